"""Education through the gateway, every process of the platform a separate OS process: Gaozhao's
station editor makes a series of farm programmes and schedules two of them on the sub-district's
village loudspeakers next week; a third that overlaps is refused; the district's editor sees
Gaozhao one short of the weekly rule in the API and on the compliance page in real Chromium, whose
figures are the API's; a household's TV reads its town's schedule and may schedule nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import httpx
import pytest

from e2e.platform import sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

GAOZHAO = "330411004"
ZONE = ZoneInfo("Asia/Shanghai")
HLS = "https://media.example.cn/gz/ep{}.m3u8"


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(platform, gw) -> dict[str, str]:
    homes = platform.households_of("education")
    out = {"home": sign_in_tv(gw, homes[0], f"STB-EDU-{uuid.uuid4().hex[:6]}")}
    for part, s in platform.seed.education_staff.items():
        r = gw.post(
            "/v1/identity/token", data={"grant_type": "password", "username": s["username"], "password": s["password"]}
        )
        assert r.status_code == 200, r.text
        out[part] = r.json()["access_token"]
    return out


def h(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def next_monday_evening() -> dt.datetime:
    today = dt.datetime.now(ZONE).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(19, 0), ZONE)


@pytest.fixture(scope="module")
def week(gw, tokens) -> dict:
    """Gaozhao's editor makes the series, three episodes, and two slots next week."""
    editor = h(tokens["gaozhao_editor"])
    r = gw.post(
        "/v1/education/series",
        json={"town_code": GAOZHAO, "title": f"高照农技站 {uuid.uuid4().hex[:4]}", "local": True},
        headers=editor,
    )
    assert r.status_code == 201, r.text
    series = r.json()
    eps = []
    for n in (1, 2, 3):
        r = gw.post(
            f"/v1/education/series/{series['id']}/episodes",
            json={
                "number": n,
                "title": f"第{n}期 稻田冬管",
                "kind": "audio",
                "topic": "agriculture",
                "duration_seconds": 900,
                "presenters": ["高老师"],
                "media_url": HLS.format(n),
            },
            headers=editor,
        )
        assert r.status_code == 201, r.text
        eps.append(r.json())
    monday = next_monday_evening()
    slots = []
    for i, ep in enumerate(eps[:2]):
        at = (monday + dt.timedelta(days=2 * i)).isoformat()
        r = gw.post(
            "/v1/education/slots",
            json={"town_code": GAOZHAO, "channel": "loudspeaker", "episode_id": ep["id"], "starts_at": at},
            headers=editor,
        )
        assert r.status_code == 201, r.text
        slots.append(r.json())
    return {"series": series, "episodes": eps, "slots": slots, "week_of": monday.date().isoformat()}


def test_the_station_schedules_and_overlaps_are_refused(gw, tokens, week):
    editor = h(tokens["gaozhao_editor"])
    towns = gw.get("/v1/education/towns", headers=h(tokens["home"])).json()
    assert {t["code"]: t["brand"]["name"] for t in towns["towns"]}["330411103"] == "郝老师课堂"
    listed = gw.get(
        f"/v1/education/towns/{GAOZHAO}/schedule", params={"week_of": week["week_of"]}, headers=h(tokens["home"])
    )
    assert listed.status_code == 200, listed.text
    assert [s["id"] for s in listed.json()["slots"]] == [s["id"] for s in week["slots"]]
    assert listed.json()["slots"][0]["series_title"] == week["series"]["title"]

    # Ten minutes into the first slot, on the same loudspeaker network: refused, nothing added.
    at = (next_monday_evening() + dt.timedelta(minutes=10)).isoformat()
    clash = {"town_code": GAOZHAO, "channel": "loudspeaker", "episode_id": week["episodes"][2]["id"], "starts_at": at}
    p = problem(gw.post("/v1/education/slots", json=clash, headers=editor), 409)
    assert "starts_at" in p["errors"] and "不能重叠" in p["detail"]
    # Another district's town, a household, Gaozhao's editor for Honghe, media that is not a stream.
    problem(gw.post("/v1/education/slots", json={**clash, "town_code": "330402001"}, headers=editor), 400)
    problem(gw.post("/v1/education/slots", json={**clash, "town_code": "330411105"}, headers=editor), 403)
    problem(gw.post("/v1/education/slots", json=clash, headers=h(tokens["home"])), 403)
    problem(gw.post("/v1/education/slots", json={**clash, "starts_at": "tomorrow"}, headers=editor), 422)
    problem(gw.post("/v1/education/slots", json=clash), 401)
    bad_media = {
        "number": 9,
        "title": "x",
        "kind": "audio",
        "topic": "agriculture",
        "duration_seconds": 900,
        "presenters": ["高老师"],
        "media_url": "https://media.example.cn/gz/ep9.mp4",
    }
    p = problem(gw.post(f"/v1/education/series/{week['series']['id']}/episodes", json=bad_media, headers=editor), 400)
    assert "media_url" in p["errors"]
    again = gw.get(f"/v1/education/towns/{GAOZHAO}/schedule", params={"week_of": week["week_of"]}, headers=editor)
    assert len(again.json()["slots"]) == 2
    eps = gw.get(f"/v1/education/series/{week['series']['id']}/episodes", headers=editor).json()["episodes"]
    assert [e["number"] for e in eps] == [1, 2, 3]


def test_the_compliance_page_shows_gaozhaos_gap_as_the_api_does(gw, tokens, week, platform, browser):
    r = gw.get("/v1/education/compliance", params={"week_of": week["week_of"]}, headers=h(tokens["district_editor"]))
    assert r.status_code == 200, r.text
    api = r.json()
    gaozhao = next(t for t in api["towns"] if t["town_code"] == GAOZHAO)
    assert (gaozhao["farm_programmes"], gaozhao["required"], gaozhao["gap"]) == (2, 3, 1)
    assert gaozhao["by_day"] == [1, 0, 1, 0, 0, 0, 0]
    problem(gw.get("/v1/education/compliance", headers=h(tokens["home"])), 403)
    problem(
        gw.get("/v1/education/compliance", params={"week_of": "2026-02-30"}, headers=h(tokens["district_editor"])), 400
    )
    problem(gw.get("/v1/education/compliance", params={"week_of": "next"}, headers=h(tokens["district_editor"])), 422)

    s = platform.seed.education_staff["district_editor"]
    page = browser.new_page()
    try:
        page.goto(f"{platform.base_url}/education/compliance")
        page.fill("input[name=username]", s["username"])
        page.fill("input[name=password]", s["password"])
        page.click("#sign-in button")
        page.wait_for_selector("body[data-loaded=true]")
        page.fill("input[name=week_of]", week["week_of"])
        page.click("#choose button")
        page.wait_for_function(f"document.querySelector('#week').textContent === '{api['week_start']}'")
        rows = page.eval_on_selector_all(
            "#towns tbody tr", "rows => rows.map(r => [r.dataset.town, ...[...r.children].map(c => c.textContent)])"
        )
        bars = page.eval_on_selector_all(
            "#aired-bars rect", "els => els.map(e => [e.dataset.town, +e.dataset.aired, +e.dataset.gap])"
        )
        days = page.eval_on_selector_all(
            f"#by-day rect[data-town='{GAOZHAO}']", "els => els.map(e => +e.dataset.count)"
        )
        required = page.get_attribute("#required-line", "data-required")
        short = page.text_content("#short")
    finally:
        page.close()
    assert rows == [
        [t["town_code"], t["town_name"], t["brand"], str(t["farm_programmes"]), str(t["required"]), str(t["gap"])]
        for t in api["towns"]
    ]
    assert bars == [[t["town_code"], t["farm_programmes"], t["gap"]] for t in api["towns"]]
    assert days == gaozhao["by_day"] and required == str(api["required"]) and short == str(api["towns_short"])
