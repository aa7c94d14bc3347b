"""Outreach events and home visits through the gateway, on the service-desk
platform shared with test_servicedesk_journey (no platform of its own): the
Wangjiangjing manager schedules events in the town's villages, its households
see the upcoming ones in plain Chinese, staff file at the event for households
of the town (the event id is on the request and in its audit); a household
asks for a home visit, which the manager's queue and the technician's job show.
Every refusal is a clear problem and changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from e2e.desk import desk_platform, file, gw, h, problem, staff_post, tokens, window  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

DISTRICT_TZ = ZoneInfo("Asia/Shanghai")
WJJ = "330411101001"
HH = "330411105201"


def district_day(days_ahead: int = 0) -> str:
    return (dt.datetime.now(DISTRICT_TZ).date() + dt.timedelta(days=days_ahead)).isoformat()


def schedule(gw, token, days_ahead=0, **over):
    body = {
        "date": district_day(days_ahead),
        "start_time": "00:00",
        "end_time": "23:59",
        "area_code": WJJ,
        "place": "社区服务中心",
        "service_types": ["fault_repair_general", "installation"],
        **over,
    }
    return gw.post("/v1/servicedesk/staff/outreach-events", json=body, headers=h(token))


def events_of(gw, token) -> list[dict]:
    r = gw.get("/v1/servicedesk/outreach-events", headers=h(token))
    assert r.status_code == 200, r.text
    return r.json()["events"]


def test_households_see_their_towns_upcoming_outreach_events(gw, tokens):
    later = schedule(gw, tokens["manager.wjj"], days_ahead=2)
    soon = schedule(gw, tokens["manager.wjj"], days_ahead=1, start_time="09:00", end_time="11:30")
    assert later.status_code == 201 and soon.status_code == 201, (later.text, soon.text)
    listed = events_of(gw, tokens["home1"])
    ids = [e["id"] for e in listed]
    assert ids.index(soon.json()["id"]) < ids.index(later.json()["id"])
    assert [e["date"] for e in listed] == sorted(e["date"] for e in listed)
    assert all(e["date"] >= district_day() and e["area"]["code"][:9] == WJJ[:9] for e in listed)
    shown = next(e for e in listed if e["id"] == soon.json()["id"])
    assert "09:00—11:30，在社区服务中心，可以办理：一般故障维修、新装开户。" in shown["text"]
    # Honghe's households see Honghe's events only.
    assert all(e["area"]["code"][:9] == HH[:9] for e in events_of(gw, tokens["home2"]))
    assert soon.json()["id"] not in [e["id"] for e in events_of(gw, tokens["home2"])]


def test_bad_or_unauthorized_events_are_refused_and_add_nothing(gw, tokens):
    before = events_of(gw, tokens["home1"])
    problem(schedule(gw, tokens["manager.hh"], 1), 403)  # another point's village
    problem(schedule(gw, tokens["tech.wjj"], 1), 403)
    problem(schedule(gw, tokens["agent.wjj"], 1), 403)
    problem(schedule(gw, tokens["home1"], 1), 403)
    problem(gw.post("/v1/servicedesk/staff/outreach-events", json={}), 401)
    problem(schedule(gw, tokens["manager.wjj"], -1), 400, "date")
    problem(schedule(gw, tokens["manager.wjj"], 1, date="2026-02-30"), 400, "date")
    problem(schedule(gw, tokens["manager.wjj"], 1, end_time="00:00"), 400, "end_time")
    problem(schedule(gw, tokens["manager.wjj"], 1, service_types=["teleportation"]), 400, "service_types")
    problem(schedule(gw, tokens["manager.wjj"], 1, place=""), 422, "place")
    problem(schedule(gw, tokens["manager.wjj"], 1, place="长" * 201), 422, "place")
    problem(schedule(gw, tokens["manager.wjj"], 1, extra=1), 422)
    problem(gw.get("/v1/servicedesk/outreach-events", headers=h(tokens["manager.wjj"])), 403)
    assert events_of(gw, tokens["home1"]) == before


def test_staff_of_the_point_file_at_todays_event_for_households_of_the_town(gw, desk_platform, tokens):
    event = schedule(gw, tokens["manager.wjj"]).json()
    tomorrow = schedule(gw, tokens["manager.wjj"], 1).json()
    mine, other = desk_platform.households_of("desk")
    body = dict(
        channel="outreach_event",
        outreach_event_id=event["id"],
        household_id=mine["id"],
        household_area_code=mine["area_code"],
        consent="户主在活动现场签字",
    )

    def own() -> list[dict]:
        return gw.get("/v1/servicedesk/requests", headers=h(tokens["home1"]), params={"page_size": 100}).json()[
            "requests"
        ]

    before = len(own())
    problem(file(gw, tokens["manager.hh"], **body), 403)
    problem(file(gw, tokens["tech.wjj"], **body), 403)
    problem(
        file(
            gw,
            tokens["manager.wjj"],
            **{**body, "household_id": other["id"], "household_area_code": other["area_code"]},
        ),
        403,
    )
    problem(file(gw, tokens["manager.wjj"], **{**body, "outreach_event_id": ""}), 400, "outreach_event_id")
    problem(file(gw, tokens["manager.wjj"], **{**body, "outreach_event_id": "no-such-event"}), 404)
    problem(file(gw, tokens["manager.wjj"], **{**body, "outreach_event_id": tomorrow["id"]}), 409, "outreach_event_id")
    problem(file(gw, tokens["manager.wjj"], **body, service_type="complaint"), 400, "service_type")
    assert len(own()) == before

    by_manager = file(gw, tokens["manager.wjj"], **body)
    by_agent = file(gw, tokens["agent.wjj"], **body)
    for r in (by_manager, by_agent):
        assert r.status_code == 201, r.text
        assert r.json()["outreach_event_id"] == event["id"] and r.json()["channel"] == "outreach_event"
    listed = {x["id"]: x for x in own()}
    assert listed[by_manager.json()["id"]]["outreach_event_id"] == event["id"]
    audit = gw.get(f"/v1/servicedesk/requests/{by_agent.json()['id']}/audit", headers=h(tokens["home1"])).json()[
        "entries"
    ]
    assert event["id"] in audit[0]["reason"] and audit[0]["by"]["channel"] == "outreach_event"
    assert audit[0]["by"]["actor_role"] == "village_agent"


def test_a_home_visit_is_offered_asked_for_and_shown_to_staff(gw, tokens):
    guide = gw.get("/v1/servicedesk/guide/fault_repair_general", headers=h(tokens["home1"])).json()
    assert guide["home_visit_offered"] and "老年人、残疾人可以预约上门服务" in guide["guide"]
    before = len(
        gw.get("/v1/servicedesk/requests", headers=h(tokens["home1"]), params={"page_size": 100}).json()["requests"]
    )
    problem(file(gw, tokens["home1"], service_type="complaint", home_visit="elderly"), 400, "home_visit")
    problem(file(gw, tokens["home1"], home_visit="young"), 400, "home_visit")
    problem(file(gw, tokens["home1"], home_visit="x" * 17), 422, "home_visit")
    after = gw.get("/v1/servicedesk/requests", headers=h(tokens["home1"]), params={"page_size": 100}).json()["requests"]
    assert len(after) == before

    r = file(gw, tokens["home1"], description="老人独居，电视没信号", home_visit="elderly")
    assert r.status_code == 201 and r.json()["home_visit"] == "elderly", r.text
    rid = r.json()["id"]
    queue = gw.get("/v1/servicedesk/staff/queue", headers=h(tokens["manager.wjj"]), params={"page_size": 100}).json()[
        "requests"
    ]
    assert [x["home_visit"] for x in queue if x["id"] == rid] == ["elderly"]
    staff_post(gw, tokens["manager.wjj"], rid, "accept")
    d = staff_post(gw, tokens["manager.wjj"], rid, "dispatch", technician="tech2.wjj", **window(20, 1))
    assert d.status_code == 200, d.text
    jobs = gw.get("/v1/servicedesk/staff/jobs", headers=h(tokens["tech2.wjj"]), params={"page_size": 100}).json()[
        "requests"
    ]
    assert [j["home_visit"] for j in jobs if j["id"] == rid] == ["elderly"]
