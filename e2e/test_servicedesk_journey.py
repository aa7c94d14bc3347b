"""The service desk through the gateway, every part a separate process: a TV
reads the service guide and files a repair; the Wangjiangjing station's
manager sees it in the queue, accepts and dispatches it; the technician marks
on-site and resolved; the household rates it badly and the manager records
the follow-up; a village agent files for a household of their village only;
and who may do what holds for every role, with bad input refused and nothing
changed."""

from __future__ import annotations

import json
import time

import pytest

from e2e.desk import desk_platform, file, gw, h, problem, staff_post, tokens, window  # noqa: F401 (fixtures)
from e2e.platform import SseListener
from e2e.seed import Seed

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


def test_the_service_guide_in_plain_chinese(gw, tokens):
    r = gw.get("/v1/servicedesk/guide/fault_repair_general", headers=h(tokens["home1"]))
    assert r.status_code == 200, r.text
    guide = r.json()["guide"]
    assert "24小时内办好" in guide and "免费" in guide and "不用带材料" in guide
    every = gw.get("/v1/servicedesk/guide", headers=h(tokens["home1"])).json()
    assert len(every["services"]) == 12 and every["version"] == "2026.1"
    problem(gw.get("/v1/servicedesk/guide/teleportation", headers=h(tokens["home1"])), 404)
    problem(gw.get("/v1/servicedesk/guide"), 401)
    assert len(gw.get("/v1/servicedesk/points", headers=h(tokens["home1"])).json()["service_points"]) == 9


def test_a_repair_from_the_tv_to_a_rectified_bad_rating(gw, desk_platform, tokens):
    tv = SseListener(desk_platform.base_url, tokens["home1"]).start()
    r = file(gw, tokens["home1"], description="没有信号")
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["service_point_code"] == "SP-330411101" and req["state"] == "submitted" and req["deadline"]
    rid = req["id"]

    queue = gw.get("/v1/servicedesk/staff/queue", headers=h(tokens["manager.wjj"])).json()["requests"]
    assert rid in [x["id"] for x in queue]
    assert rid not in [
        x["id"] for x in gw.get("/v1/servicedesk/staff/queue", headers=h(tokens["manager.hh"])).json()["requests"]
    ]

    assert staff_post(gw, tokens["manager.wjj"], rid, "accept").json()["state"] == "accepted"
    # A technician of another point, and a window in the past, are refused and change nothing.
    problem(staff_post(gw, tokens["manager.wjj"], rid, "dispatch", technician="tech.hh", **window()), 409, "technician")
    problem(
        staff_post(gw, tokens["manager.wjj"], rid, "dispatch", technician="tech.wjj", **window(-3)), 400, "window_start"
    )
    r = staff_post(gw, tokens["manager.wjj"], rid, "dispatch", technician="tech.wjj", **window())
    assert r.status_code == 200 and r.json()["technician"] == "tech.wjj", r.text

    jobs = gw.get("/v1/servicedesk/staff/jobs", headers=h(tokens["tech.wjj"])).json()["requests"]
    assert [j["id"] for j in jobs if j["id"] == rid] == [rid]
    problem(staff_post(gw, tokens["tech2.wjj"], rid, "on-site"), 403)
    problem(staff_post(gw, tokens["tech.wjj"], rid, "resolve"), 409)  # not on site yet
    assert staff_post(gw, tokens["tech.wjj"], rid, "on-site").json()["state"] == "on_site"
    assert staff_post(gw, tokens["tech.wjj"], rid, "resolve", reason="更换分支器").json()["state"] == "resolved"
    # The TV was told when a technician was sent and when it was done (through Kafka and notifications).
    ref = req["reference_number"]
    told = tv.wait_for(lambda e: ref in json.dumps(e["data"], ensure_ascii=False), count=3)
    tv.stop()
    titles = [e["data"].get("title", "") for e in told]
    assert "已派师傅上门" in titles and "已处理完成，请评价" in titles, titles

    rate = {"level": "dissatisfied", "indicators": {"efficiency": 2, "attitude": 4, "result": 2}, "comment": "修了两次"}
    problem(gw.post(f"/v1/servicedesk/requests/{rid}/rating", json=rate, headers=h(tokens["home2"])), 404)
    r = gw.post(f"/v1/servicedesk/requests/{rid}/rating", json=rate, headers=h(tokens["home1"]))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "closed" and r.json()["rectification"]["deadline"]
    problem(gw.post(f"/v1/servicedesk/requests/{rid}/rating", json=rate, headers=h(tokens["home1"])), 409)
    r = staff_post(gw, tokens["manager.wjj"], rid, "rectification-follow-up", reason="上门回访，信号正常")
    assert r.json()["rectification"]["follow_up"] == "上门回访，信号正常"

    audit = gw.get(f"/v1/servicedesk/requests/{rid}/audit", headers=h(tokens["home1"])).json()["entries"]
    assert [e["to_state"] for e in audit][:6] == [
        "submitted",
        "accepted",
        "dispatched",
        "on_site",
        "resolved",
        "closed",
    ]
    assert {e["by"]["actor_role"] for e in audit} == {"device", "service_point_manager", "technician"}


def test_an_agent_files_for_households_of_their_village_only(gw, desk_platform, tokens):
    mine, other = desk_platform.households_of("desk")
    body = dict(
        channel="village_agent",
        household_id=mine["id"],
        household_area_code=mine["area_code"],
        consent="户主当面同意并签字",
    )
    r = file(gw, tokens["agent.wjj"], **body)
    assert r.status_code == 201, r.text
    assert r.json()["household_id"] == mine["id"] and r.json()["submitted_by"]["actor_role"] == "village_agent"
    listed = gw.get("/v1/servicedesk/requests", headers=h(tokens["home1"])).json()["requests"]
    assert r.json()["id"] in [x["id"] for x in listed]
    problem(
        file(
            gw, tokens["agent.wjj"], **{**body, "household_id": other["id"], "household_area_code": other["area_code"]}
        ),
        403,
    )
    problem(file(gw, tokens["agent.wjj"], **{**body, "consent": ""}), 400, "consent")


def test_who_may_do_what_through_the_gateway(gw, tokens):
    """role × operation × own/other point: every refusal is a problem and changes nothing."""
    rid = file(gw, tokens["home1"]).json()["id"]
    cases = [  # (actor, method, path, body, expected status)
        ("home2", "get", f"/v1/servicedesk/requests/{rid}", None, 404),
        ("home2", "post", f"/v1/servicedesk/requests/{rid}/cancel", {}, 404),
        ("tech.wjj", "post", f"/v1/servicedesk/requests/{rid}/cancel", {}, 403),
        ("manager.hh", "post", f"/v1/servicedesk/staff/requests/{rid}/accept", {}, 403),
        ("tech.wjj", "post", f"/v1/servicedesk/staff/requests/{rid}/accept", {}, 403),
        ("home1", "post", f"/v1/servicedesk/staff/requests/{rid}/accept", {}, 403),
        ("agent.wjj", "post", f"/v1/servicedesk/staff/requests/{rid}/reject", {"reason": "x"}, 403),
        ("manager.hh", "get", f"/v1/servicedesk/staff/requests/{rid}", None, 404),
        ("tech.hh", "get", f"/v1/servicedesk/staff/requests/{rid}", None, 404),
        ("home1", "get", "/v1/servicedesk/staff/queue", None, 403),
        ("tech.wjj", "get", "/v1/servicedesk/staff/queue", None, 403),
        ("manager.wjj", "get", "/v1/servicedesk/staff/jobs", None, 403),
        ("tech.wjj", "get", "/v1/servicedesk/requests", None, 403),
    ]
    for actor, method, path, body, status in cases:
        kwargs = {"headers": h(tokens[actor])}
        if body is not None:
            kwargs["json"] = body
        problem(getattr(gw, method)(path, **kwargs), status)
    assert gw.get(f"/v1/servicedesk/requests/{rid}", headers=h(tokens["home1"])).json()["state"] == "submitted"
    audit = gw.get(f"/v1/servicedesk/requests/{rid}/audit", headers=h(tokens["home1"])).json()["entries"]
    assert [e["to_state"] for e in audit] == ["submitted"]


def test_bad_input_is_a_clear_error_and_files_nothing(gw, tokens):
    before = len(
        gw.get("/v1/servicedesk/requests", headers=h(tokens["home2"]), params={"page_size": 100}).json()["requests"]
    )
    problem(file(gw, tokens["home2"], service_type="teleportation"), 400, "service_type")
    problem(file(gw, tokens["home2"], service_type="transfer_of_ownership"), 400, "channel")
    problem(file(gw, tokens["home2"], service_type="installation", materials=["id_card"]), 400, "materials")
    # The gateway's own schema checks answer 422 (FastAPI's convention), the service's 400.
    problem(file(gw, tokens["home2"], materials=["x"] * 21), 422, "materials")
    problem(file(gw, tokens["home2"], description="长" * 2001), 422)
    problem(
        gw.post(
            "/v1/servicedesk/requests",
            content=b"{not json",
            headers={**h(tokens["home2"], key=True), "Content-Type": "application/json"},
        ),
        400,
    )
    problem(
        gw.post("/v1/servicedesk/requests", json={"service_type": "fault_repair_general"}, headers=h(tokens["home2"])),
        400,
    )
    problem(gw.post("/v1/servicedesk/requests", json={"service_type": "fault_repair_general"}), 401)
    rid = file(gw, tokens["home2"]).json()["id"]
    problem(staff_post(gw, tokens["manager.hh"], rid, "reject"), 400, "reason")
    problem(staff_post(gw, tokens["manager.hh"], rid, "accept", extra=1), 422)
    problem(
        gw.post(
            f"/v1/servicedesk/staff/requests/{rid}/dispatch",
            json={"technician": "tech.hh", "window_start": "tomorrow", "window_end": "later"},
            headers=h(tokens["manager.hh"]),
        ),
        422,
    )
    problem(gw.post(f"/v1/servicedesk/requests/{rid}/rating", json={"level": "great"}, headers=h(tokens["home2"])), 400)
    problem(gw.get(f"/v1/servicedesk/requests/{'x' * 37}/audit", headers=h(tokens["home2"])), 422)
    after = gw.get("/v1/servicedesk/requests", headers=h(tokens["home2"]), params={"page_size": 100}).json()["requests"]
    assert len(after) == before + 1 and after[0]["state"] == "submitted"


def test_the_assessment_page_shows_the_apis_figures(gw, desk_platform, tokens, browser):
    """The district manager signs in on the page in real Chromium; the ranking and the
    charts show what the API says, and the API's figures follow from the requests filed."""
    # One request filed and resolved at Honghe now, so this month has figures there.
    rid = file(gw, tokens["home2"]).json()["id"]
    staff_post(gw, tokens["manager.hh"], rid, "accept")
    staff_post(gw, tokens["manager.hh"], rid, "dispatch", technician="tech.hh", **window(30 / 3600, 1))
    staff_post(gw, tokens["tech.hh"], rid, "on-site")
    assert staff_post(gw, tokens["tech.hh"], rid, "resolve").json()["state"] == "resolved"
    mine = {
        x["id"]
        for x in gw.get("/v1/servicedesk/requests", headers=h(tokens["home2"]), params={"page_size": 100}).json()[
            "requests"
        ]
    }

    def api():
        r = gw.get("/v1/servicedesk/assessment", params={"months": 3}, headers=h(tokens["manager.district"]))
        assert r.status_code == 200, r.text
        return r.json()

    # The read model follows the events on Kafka: wait until it has every request of household 2.
    # The topic also holds earlier runs' events (a new group reads them all): wait until it is still, too.
    deadline = time.monotonic() + 180
    previous, still = None, 0
    while True:
        a = api()
        honghe = next(p for p in a["points"] if p["service_point_code"] == "SP-330411105")
        still = still + 1 if a == previous else 0
        if (
            honghe["metrics"].get("requests", 0) >= len(mine)
            and honghe["metrics"].get("resolved", 0) >= 1
            and still >= 3
        ):
            break
        assert time.monotonic() < deadline, honghe
        previous = a
        time.sleep(1)
    assert [p["rank"] for p in a["points"]] == list(range(1, 10))
    assert honghe["metrics"]["on_time_rate"] == 100.0

    problem(gw.get("/v1/servicedesk/assessment", headers=h(tokens["manager.wjj"])), 403)
    problem(
        gw.get("/v1/servicedesk/assessment", params={"period": "2026-13"}, headers=h(tokens["manager.district"])), 400
    )
    problem(gw.get("/v1/servicedesk/assessment", params={"months": 99}, headers=h(tokens["manager.district"])), 422)

    # The topic is shared with anything else filing meanwhile: render until the figures
    # did not move while the page loaded (the same before and after).
    for _ in range(10):
        before = api()
        page = browser.new_page()
        try:
            page.goto(f"{desk_platform.base_url}/servicedesk/assessment")
            page.fill("input[name=username]", "manager.district")
            page.fill("input[name=password]", Seed.password("manager.district"))
            page.click("#sign-in button")
            page.fill("input[name=months]", "3")
            page.click("#choose button")
            page.wait_for_selector("body[data-loaded=true]")
            page.wait_for_function("document.querySelectorAll('#ranking tbody tr').length === 9")
            # The months chosen are shown (not the first load's default of six).
            page.wait_for_function("""() => { const l = [...document.querySelectorAll('#score-lines polyline')];
                return l.length === 9 && l.every(e => e.dataset.series.split(',').length === 3); }""")
            shown = page.eval_on_selector_all(
                "#ranking tbody tr",
                """rows => rows.map(r => ({
                point: r.dataset.point, cells: [...r.children].map(c => c.textContent)}))""",
            )
            bars = page.eval_on_selector_all(
                "#score-bars rect", "els => els.map(e => [e.dataset.point, e.dataset.score])"
            )
            lines = page.eval_on_selector_all(
                "#score-lines polyline", "els => els.map(e => [e.dataset.point, e.dataset.series])"
            )
        finally:
            page.close()
        a = api()
        if a == before:
            break

    def pct(v):
        return "—" if v is None else f"{v:.1f}"

    expected = [
        {
            "point": p["service_point_code"],
            "cells": [
                str(p["rank"]),
                p["name"],
                f"{p['score']:.1f}",
                str(p["metrics"].get("requests", 0)),
                pct(p["metrics"].get("on_time_rate")),
                pct(p["metrics"].get("satisfaction_rate")),
                pct(p["metrics"].get("rectification_rate")),
                pct(p["metrics"].get("complaint_rate")),
                str(p["metrics"].get("backlog", 0)),
                str(p["metrics"].get("overdue", 0)),
                f"{int(p['metrics'].get('compensation', {}).get('fen', 0)) / 100:.2f}",
            ],
        }
        for p in a["points"]
    ]
    assert shown == expected
    assert [(code, float(score)) for code, score in bars] == [
        (p["service_point_code"], p["score"]) for p in a["points"]
    ]
    assert [(code, [float(x) for x in series.split(",")]) for code, series in lines] == [
        (p["service_point_code"], p["score_series"]) for p in a["points"]
    ]
