"""Education through the gateway, every process of the platform a separate OS process: Gaozhao's
station editor makes a series of farm programmes and schedules two of them on the sub-district's
village loudspeakers next week; a third that overlaps is refused; the district's editor sees
Gaozhao one short of the weekly rule in the API and on the compliance page in real Chromium, whose
figures are the API's; a household's TV reads its town's schedule and may schedule nothing."""

from __future__ import annotations

import base64
import datetime as dt
import pathlib
import time
import uuid
from zoneinfo import ZoneInfo

import httpx
import pytest

from e2e.platform import sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

GAOZHAO = "330411004"
ZONE = ZoneInfo("Asia/Shanghai")
HLS = "https://media.example.cn/gz/ep{}.m3u8"
# A trusted department's rainstorm warning, moved to Gaozhao (whose households are this module's only).
RAINSTORM = (
    (
        pathlib.Path(__file__).resolve().parents[1]
        / "services"
        / "alerts"
        / "tests"
        / "samples"
        / "national_rainstorm.xml"
    )
    .read_text(encoding="utf-8")
    .replace("330411105", GAOZHAO)
    .replace("洪合镇", "高照街道")
)


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


def field_class(gw, editor: dict, episode_id: str, village: str, place: str, in_minutes: int, capacity: int) -> dict:
    """An hour's field class after an episode, starting in a few minutes."""
    start = dt.datetime.now(ZONE) + dt.timedelta(minutes=in_minutes)
    r = gw.post(
        "/v1/education/sessions",
        json={
            "episode_id": episode_id,
            "village_code": village,
            "place": place,
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
            "capacity": capacity,
        },
        headers=editor,
    )
    assert r.status_code == 201, r.text
    return r.json()


def on_venue_screen(page, platform, session_id: str, staff: dict) -> None:
    """The venue's screen of a session, signed in as a staff member."""
    page.goto(f"{platform.base_url}/education/venue?session_id={session_id}")
    page.fill("input[name=username]", staff["username"])
    page.fill("input[name=password]", staff["password"])
    page.click("#sign-in button")


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

    def reports(t: dict) -> str:
        return " / ".join(str(t["plays"].get(k, 0)) for k in ("played", "failed", "preempted", "interrupted"))

    assert rows == [
        [
            t["town_code"],
            t["town_name"],
            t["brand"],
            str(t["farm_programmes"]),
            str(t["required"]),
            str(t["gap"]),
            str(t["aired"]),
            reports(t),
            str(t["resumed"]),
            str(t["tv_households"]),
            str(t["villages_reached"]),
        ]
        for t in api["towns"]
    ]
    assert bars == [[t["town_code"], t["farm_programmes"], t["gap"]] for t in api["towns"]]
    assert days == gaozhao["by_day"] and required == str(api["required"]) and short == str(api["towns_short"])


def test_a_household_watches_resumes_signs_up_on_its_tv_and_is_checked_in(
    gw, tokens, week, platform, browser, tmp_path
):
    """Today's programmes on the TV's home tile; a lesson watched, then resumed from the TV's my
    courses; a field class signed up for with the remote (arrows, Enter, Backspace); checked in at
    the venue with its rotating code, typed on the number keys."""
    from e2e.test_tv import Remote, sign_in_on_tv, wait_screen

    editor, home = h(tokens["gaozhao_editor"]), platform.households_of("education")[1]
    # A slot on demand a minute from now: today's, unless the day ends first.
    now = dt.datetime.now(ZONE)
    at = now + dt.timedelta(minutes=1)
    slot = {
        "town_code": GAOZHAO,
        "channel": "vod",
        "episode_id": week["episodes"][2]["id"],
        "starts_at": at.isoformat(),
    }
    r = gw.post("/v1/education/slots", json=slot, headers=editor)
    assert r.status_code == 201, r.text
    # The field class in the household's village, in ten minutes, two places.
    session = field_class(gw, editor, week["episodes"][0]["id"], home["area_code"], "高照村文化礼堂", 10, 2)

    tv = sign_in_on_tv(browser, platform, home, tmp_path, "education")
    try:
        token = tv.evaluate("() => localStorage.getItem('sbc.tv.token')")
        # The member watches 20 s of the first lesson on the phone (the same household).
        lesson = week["episodes"][0]["id"]
        for position in (0, 20):
            r = gw.put(
                f"/v1/education/episodes/{lesson}/progress",
                json={"member": "本人", "position_seconds": position},
                headers=h(token),
            )
            assert r.status_code == 200, r.text
        assert r.json()["watched_seconds"] == 20 and r.json()["percent"] == 2
        problem(
            gw.put(
                f"/v1/education/episodes/{lesson}/progress",
                json={"member": "本人", "position_seconds": -1},
                headers=h(token),
            ),
            422,
        )
        problem(
            gw.put(
                f"/v1/education/episodes/{lesson}/progress",
                json={"member": "本人", "position_seconds": 5000},
                headers=h(token),
            ),
            400,
        )

        tile = gw.get("/v1/education/home-tile", headers=h(token)).json()
        expected = [week["episodes"][2]["title"]] if at.date() == now.date() else []
        assert [i["title"] for i in tile["items"]] == expected and tile["title"].startswith("今日节目")

        tv.reload()
        wait_screen(tv, "home")
        remote = Remote(tv)
        remote.go_to("tile:education")
        remote.press("ok")
        wait_screen(tv, "education")
        assert (tv.inner_text("#screen").count(week["episodes"][2]["title"]) == 1) is bool(expected)
        if expected:
            # Today's programme: follow its series, ask the presenter, rate it (好差评), all with the remote.
            vod = tile["items"][0]["id"]
            remote.go_to(f"edu:slot:{vod}")
            remote.press("ok")
            wait_screen(tv, "education_programme")
            for nav, said in [
                ("edu:follow", "已关注"),
                ("edu:ask:1", "问题已送给主持人"),
                ("edu:rate:satisfied", "谢谢您的评价：满意"),
            ]:
                remote.go_to(nav)
                remote.press("ok")
                tv.wait_for_function(
                    f"(document.querySelector('#edu-heard') || {{textContent: ''}}).textContent.indexOf('{said}') >= 0"
                )
            remote.press("ok")  # rating the same episode again: refused
            tv.wait_for_function(
                "(document.querySelector('#edu-heard') || {textContent: ''}).textContent.indexOf('没有成功') >= 0"
            )
            assert "取消关注" in tv.inner_text("[data-nav='edu:follow']")
            # A programme of the followed series in five minutes: 快开播了 on this TV, once.
            soon = {**slot, "episode_id": week["episodes"][1]["id"]}
            soon["starts_at"] = (dt.datetime.now(ZONE) + dt.timedelta(minutes=5)).isoformat()
            r = gw.post("/v1/education/slots", json=soon, headers=editor)
            assert r.status_code == 201, r.text
            tv.wait_for_function(
                "() => document.getElementById('toast').textContent.includes('快开播了')", timeout=30000
            )
            told = gw.get("/v1/notifications/messages", headers=h(token)).json()["messages"]
            reminders = [m for m in told if m["kind"] == "education.starting_soon"]
            assert len(reminders) == 1 and week["series"]["title"] in reminders[0]["body"], told
            remote.press("back")
            wait_screen(tv, "education")
        remote.go_to("edu:courses")
        remote.press("ok")
        wait_screen(tv, "education_courses")
        course = f"edu:course:{week['series']['id']}:本人"
        assert tv.get_attribute(f"[data-nav='{course}']", "data-resume") == "20"
        assert "从 00:20 开始" in tv.inner_text(f"[data-nav='{course}']")
        remote.press("back")
        wait_screen(tv, "education")
        remote.go_to("edu:classes")
        remote.press("ok")
        wait_screen(tv, "education_classes")
        remote.go_to(f"edu:session:{session['id']}")
        remote.press("ok")
        tv.wait_for_selector("#edu-notice")
        assert "报名成功" in tv.inner_text("#edu-notice")
        entry = f"[data-nav='edu:session:{session['id']}']"
        tv.wait_for_function(
            f"(document.querySelector(\"{entry}\") || {{textContent: ''}}).textContent.indexOf('剩余 1 个名额') >= 0"
        )
        # The same sign-up again, with the remote: refused, the places unchanged.
        remote.press("ok")
        tv.wait_for_function(
            "(document.querySelector('#edu-notice') || {textContent: ''}).textContent.indexOf('没有成功') >= 0"
        )
        # Cancelling ten minutes before the class, past the deadline (60 minutes before): refused.
        remote.go_to(f"edu:cancel:{session['id']}")
        remote.press("ok")
        tv.wait_for_function(
            "(document.querySelector('#edu-notice') || {textContent: ''}).textContent.indexOf('取消没有成功') >= 0"
        )
        assert "剩余 1 个名额" in tv.inner_text(entry)
        # At the venue: the editor's screen shows the code; the member types it on the TV's number keys.
        code = gw.get(f"/v1/education/sessions/{session['id']}/check-in-code", headers=editor).json()["code"]
        remote.go_to(f"edu:check-in:{session['id']}")
        remote.press("ok")
        wait_screen(tv, "education_checkin")
        for digit in code:
            tv.keyboard.press(digit)
        assert tv.inner_text("#edu-code") == code
        remote.go_to("edu:code:ok")
        remote.press("ok")
        tv.wait_for_function("document.querySelector('#edu-checked').textContent === '签到成功：准时'")
        remote.press("back")
        wait_screen(tv, "education_classes")
        remote.press("back")
        wait_screen(tv, "education")
    finally:
        tv.context.close()

    # The same member again, and codes that are not the venue's: refused, nothing changes.
    problem(gw.get(f"/v1/education/sessions/{session['id']}/check-in-code", headers=h(token)), 403)
    problem(
        gw.post(
            f"/v1/education/sessions/{session['id']}/check-in",
            json={"member": "本人", "code": "0000"},
            headers=h(token),
        ),
        400,
    )
    problem(
        gw.post(
            f"/v1/education/sessions/{session['id']}/check-in",
            json={"member": "本人", "code": "12ab"},
            headers=h(token),
        ),
        422,
    )
    problem(
        gw.post(
            f"/v1/education/sessions/{session['id']}/check-in", json={"member": "本人", "code": code}, headers=h(token)
        ),
        409,
    )
    other = tokens["home"]  # another household of the module: not signed up
    problem(
        gw.post(
            f"/v1/education/sessions/{session['id']}/check-in", json={"member": "本人", "code": code}, headers=h(other)
        ),
        409,
    )
    att = gw.get(
        f"/v1/education/series/{week['series']['id']}/attendance", params={"member": "本人"}, headers=h(token)
    ).json()
    assert [s["status"] for s in att["sessions"]] == ["present"]


def test_the_venue_shows_its_rotating_qr_code_the_phone_checks_in_with_it_and_asks_the_presenter(
    gw, tokens, week, platform, browser
):
    """At 360x640: the member signs up for a field class on the phone; the venue's screen (the
    editor signed in) shows the session's code as a QR code; the phone films it and is checked in,
    present; filmed again, it is told it checked in already; a mistyped code is refused; the
    member's attendance and certificate are the API's. The village's agent records a member who will
    miss the code (excused) from the roster on the venue's screen; the venue's screen asks for the
    next code when the code changes (its clock moved on). The member types a question to the
    presenter of one of today's programmes, which reaches the station."""
    from e2e.test_phone import home_with, phone_signed_in, tap, wait_screen
    from e2e.test_phone_scan import FAKE_CAMERA

    editor = h(tokens["gaozhao_editor"])
    home = platform.households_of("education")[0]
    member = home["members"][0]
    now = dt.datetime.now(ZONE)
    # A programme today (on demand, so it clashes with nothing) and a field class in five minutes.
    at = min(now + dt.timedelta(minutes=1), dt.datetime.combine(now.date(), dt.time(23, 59, 59), ZONE))
    r = gw.post(
        "/v1/education/slots",
        json={
            "town_code": GAOZHAO,
            "channel": "vod",
            "episode_id": week["episodes"][1]["id"],
            "starts_at": at.isoformat(),
        },
        headers=editor,
    )
    assert r.status_code == 201, r.text
    slot = r.json()
    session = field_class(gw, editor, week["episodes"][1]["id"], home["area_code"], "高照村农家书屋", 5, 3)
    # The QR code's drawing: a code that is not digits, or no session, is refused.
    problem(gw.get("/v1/education/check-in-qr.svg", params={"session_id": session["id"], "code": "ab12"}), 422)
    problem(gw.get("/v1/education/check-in-qr.svg", params={"code": "123456"}), 422)
    problem(gw.get("/v1/education/check-in-qr.svg", params={"session_id": session["id"], "code": "1" * 17}), 422)
    problem(gw.get("/v1/education/check-in-qr.svg", params={"session_id": "s" * 37, "code": "123456"}), 422)
    drawn = gw.get("/v1/education/check-in-qr.svg", params={"session_id": session["id"], "code": "123456"})
    assert drawn.status_code == 200 and drawn.headers["content-type"] == "image/svg+xml"

    # The venue's screen, signed in as the editor: the code the API gives, as a QR code.
    s = platform.seed.education_staff["gaozhao_editor"]
    venue = browser.new_page()
    venue.clock.install()  # its timers run at real pace until the test moves them on (below)
    on_venue_screen(venue, platform, session["id"], s)
    venue.wait_for_selector("body[data-code]")
    venue.wait_for_function("document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0")
    first = venue.get_attribute("body", "data-code")
    api = gw.get(f"/v1/education/sessions/{session['id']}/check-in-code", headers=editor).json()
    if api["code"] != first:  # it changed between the two looks: the page follows within a second
        venue.wait_for_function(f"document.body.dataset.code === '{api['code']}'")
        first = api["code"]
    assert venue.inner_text("#code") == first
    qr_png = venue.locator("#qr").screenshot()

    # The phone: signed in, signs the member up, films the venue's QR code: present.
    camera = FAKE_CAMERA.replace("__PNG__", base64.b64encode(qr_png).decode())
    page = phone_signed_in(browser, platform.base_url, member, camera)
    phone = page.context
    try:
        home_with(page, "education")
        tap(page, "tile:education", "education")
        page.click(f"[data-name='edu:sign-up:{session['id']}']")
        page.wait_for_selector("#edu-notice")
        assert page.inner_text("#edu-notice") == "报名成功。"
        page.click("[data-name='edu:scan']")  # the camera's first frames have the code: no stop at the scanner
        wait_screen(page, "education.checkin")
        page.wait_for_selector("#edu-checkin-result.done")
        assert page.inner_text("#edu-checkin-result") == "签到成功：准时。"
        # Filmed again: checked in already, nothing changes. A code typed wrong: refused.
        page.go_back()
        page.wait_for_selector("#edu-checkin-result.error")
        assert page.inner_text("#edu-checkin-result") == "您已经签到过了。"
        page.evaluate("fakeCamera.aimed = false")  # what follows is typed
        page.fill("#edu-code", "12x")
        page.click("[data-name='edu:check-in']")
        assert page.inner_text("#edu-checkin-result") == "签到码是现场屏幕上的数字，请核对后重新输入。"
        page.fill("#edu-code", "0000000")
        page.click("[data-name='edu:check-in']")
        page.wait_for_function(
            "document.querySelector('#edu-checkin-result').textContent.indexOf('签到码不对或已过期') === 0"
        )
        att = gw.get(
            f"/v1/education/series/{week['series']['id']}/attendance",
            params={"member": "本人"},
            headers=h(tokens["home"]),
        ).json()
        assert [x["status"] for x in att["sessions"] if x["session_id"] == session["id"]] == ["present"]
        # The member's attendance in the course, as the API has it, and the certificate when it says complete
        # (every class after enrolment taken place or attended), else not yet.
        page.go_back()
        page.go_back()
        wait_screen(page, "education")
        tap(page, f"edu:attendance:{session['id']}", "education.attendance")
        shown = page.eval_on_selector_all("#edu-attendance li", "els => els.map(e => e.dataset.status)")
        assert shown == [x["status"] for x in att["sessions"]] and "present" in shown
        assert page.inner_text("#edu-summary").startswith(f"已出勤 {att['attended']}/{att['counted']} 堂")
        page.click("[data-name='edu:certificate']")
        page.wait_for_selector("#edu-certificate.done, #edu-certificate.error")
        said = page.inner_text("#edu-certificate")
        assert (
            said.startswith(f"结业证书：《{week['series']['title']}》")
            if att["complete"]
            else said.startswith("还不能领取")
        )

        # A question typed to the presenter of today's programme, in Chinese, within its bound.
        page.go_back()
        wait_screen(page, "education")
        tap(page, f"edu:ask:{slot['id']}", "education.ask")
        assert page.get_attribute("#edu-question", "maxlength") == "300"
        page.click("[data-name='edu:submit']")
        assert page.inner_text("#edu-note") == "请写下您的问题。"
        question = "稻田养虾的水位要保持多深？"
        page.fill("#edu-question", question)
        assert page.inner_text("#edu-count") == f"{len(question)}/300"
        page.click("[data-name='edu:submit']")
        page.wait_for_selector("#edu-note.done")
        assert page.inner_text("#edu-note") == "问题已送给主持人，下期节目解答。"
    finally:
        phone.close()
    listeners = gw.get(f"/v1/education/series/{week['series']['id']}/listeners", headers=editor).json()
    asked = [q for e in listeners["episodes"] for q in e["questions"] if q["episode_id"] == slot["episode_id"]]
    assert [q["text"] for q in asked if q["text"] == question] == [question]

    # Someone who will miss the code: the village's agent records them excused, with the household's
    # consent, on the venue's screen; the roster is the API's.
    assert home["area_code"] == "330411004001"  # the agent's village (e2e/seed.py)
    r = gw.post(f"/v1/education/sessions/{session['id']}/sign-ups", json={"member": "奶奶"}, headers=h(tokens["home"]))
    assert r.status_code == 201, r.text
    agent = platform.seed.education_staff["gaozhao_agent"]
    desk = browser.new_page()
    try:
        on_venue_screen(desk, platform, session["id"], agent)
        desk.wait_for_selector("#roster tr[data-member='奶奶'] button[data-status=excused]")
        assert desk.get_attribute("#roster tr[data-member='本人']", "data-status") == "present"
        desk.click("#roster tr[data-member='奶奶'] button[data-status=excused]")
        assert desk.inner_text("#roster-message").startswith("请先填写住户的同意方式")
        desk.fill("input[name=consent]", "电话确认")
        desk.click("#roster tr[data-member='奶奶'] button[data-status=excused]")
        desk.wait_for_selector("#roster tr[data-member='奶奶'][data-status=excused]")
        assert desk.inner_text("#roster-message") == "已补签：奶奶，请假"
    finally:
        desk.close()
    problem(gw.get(f"/v1/education/sessions/{session['id']}/roster", headers=h(tokens["home"])), 403)
    roster = gw.get(f"/v1/education/sessions/{session['id']}/roster", headers=editor).json()
    assert [(e["member"], e["status"]) for e in roster["entries"]] == [("本人", "present"), ("奶奶", "excused")]
    assert "电话确认" in roster["entries"][1]["recorded_by"]

    # The venue's screen asks for the next code when the code changes: its clock moved on past the
    # change (no waiting for a period), it asks again and draws what the service says then.
    try:
        until = venue.evaluate("Date.parse(document.body.dataset.changes) - Date.now()")
        with venue.expect_request(lambda q: "/check-in-code" in q.url):
            venue.clock.fast_forward(max(int(until), 0) + 1000)
        now_code = gw.get(f"/v1/education/sessions/{session['id']}/check-in-code", headers=editor).json()["code"]
        venue.wait_for_function(f"document.body.dataset.code === '{now_code}'")
        assert venue.inner_text("#code") == now_code and f"code={now_code}" in venue.get_attribute("#qr", "src")
    finally:
        venue.close()


def test_the_loudspeakers_play_a_slot_at_its_time_and_an_alert_takes_precedence(gw, tokens, platform):
    """Gaozhao's editor registers a village loudspeaker controller (a real HTTP server here); a slot
    on the loudspeakers starting in a few seconds is played on it, its play report kept; a
    trusted department's emergency alert for Gaozhao cuts it on air and preempts the next slot,
    which the controller never gets; the compliance check counts all three."""
    from education.tests.test_playout import Controller

    editor, district = h(tokens["gaozhao_editor"]), h(tokens["district_editor"])
    controller = Controller("played")
    try:
        cid = f"GZ-{uuid.uuid4().hex[:8]}"
        spec = {"controller_id": cid, "village_code": "330411004001", "endpoint": controller.url}
        problem(
            gw.post("/v1/education/controllers", json={**spec, "endpoint": "http://203.0.113.7/"}, headers=editor), 400
        )
        problem(
            gw.post("/v1/education/controllers", json={**spec, "village_code": "330411105001"}, headers=editor), 403
        )
        problem(gw.post("/v1/education/controllers", json=spec, headers=h(tokens["home"])), 403)
        problem(gw.post("/v1/education/controllers", json={**spec, "extra": 1}, headers=editor), 422)
        r = gw.post("/v1/education/controllers", json=spec, headers=editor)
        assert r.status_code == 201, r.text

        series = gw.post(
            "/v1/education/series",
            json={"town_code": GAOZHAO, "title": f"高照村村响 {uuid.uuid4().hex[:4]}", "local": True},
            headers=editor,
        ).json()
        eps = []
        for n in (1, 2):
            r = gw.post(
                f"/v1/education/series/{series['id']}/episodes",
                json={
                    "number": n,
                    "title": f"第{n}期 村村响农技",
                    "kind": "audio",
                    "topic": "agriculture",
                    "duration_seconds": 60,
                    "presenters": ["高老师"],
                    "media_url": HLS.format(10 + n),
                },
                headers=editor,
            )
            assert r.status_code == 201, r.text
            eps.append(r.json())

        def schedule(episode, at: dt.datetime) -> dict:
            r = gw.post(
                "/v1/education/slots",
                json={
                    "town_code": GAOZHAO,
                    "channel": "loudspeaker",
                    "episode_id": episode["id"],
                    "starts_at": at.isoformat(),
                },
                headers=editor,
            )
            assert r.status_code == 201, r.text
            return r.json()

        first = schedule(eps[0], dt.datetime.now(ZONE) + dt.timedelta(seconds=3))
        deadline = time.monotonic() + 15
        while not controller.received and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [b["PlayID"] for b in controller.received] == [f"{first['id']}/{cid}"]
        assert controller.received[0]["media_url"] == HLS.format(11)

        starts = dt.datetime.fromisoformat(first["starts_at"].replace("Z", "+00:00"))
        time.sleep(max(0.0, (starts - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)  # on air
        now = dt.datetime.now(ZONE)
        cap = RAINSTORM.replace("33041141600000_20260701130000", f"edu-{uuid.uuid4().hex}").replace(
            "2099-07-01 20:00:00", (now + dt.timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S")
        )
        dept = platform.seed.departments["trusted"]
        token = gw.post("/v1/identity/token", data={"grant_type": "client_credentials", **dept}).json()["access_token"]
        r = gw.post("/v1/alerts/cap", content=cap.encode(), headers={**h(token), "Content-Type": "application/cap+xml"})
        assert r.status_code == 201, r.text
        assert r.json()["area_codes"] == [GAOZHAO]

        def plays() -> dict:
            c = gw.get("/v1/education/compliance", headers=district).json()
            return next(t for t in c["towns"] if t["town_code"] == GAOZHAO)

        deadline = time.monotonic() + 15
        while plays()["plays"].get("interrupted", 0) < 1 and time.monotonic() < deadline:
            time.sleep(0.3)
        schedule(eps[1], dt.datetime.fromisoformat(first["ends_at"].replace("Z", "+00:00")) + dt.timedelta(seconds=1))
        while plays()["plays"].get("preempted", 0) < 1 and time.monotonic() < deadline:
            time.sleep(0.3)
        town = plays()
        assert town["plays"] == {"played": 1, "interrupted": 1, "preempted": 1}, town
        assert town["aired"] == 1
        assert len(controller.received) == 1, "the preempted programme never reached the controller"
    finally:
        controller.close()


def test_the_station_sees_each_episodes_listeners_on_its_page_as_the_api_does(gw, tokens, week, platform, browser):
    """The household's question and rating from its TV (above), and its viewing, on the editor's
    page: the episodes' table, charts and questions are the API's."""
    editor = h(tokens["gaozhao_editor"])
    series_id = week["series"]["id"]
    problem(gw.get(f"/v1/education/series/{series_id}/listeners", headers=h(tokens["home"])), 403)
    problem(gw.get("/v1/education/series/no-such-series/listeners", headers=editor), 404)
    first = week["episodes"][0]["id"]
    problem(gw.post(f"/v1/education/episodes/{first}/questions", json={"member": "本人"}, headers=editor), 422)
    r = gw.post(
        f"/v1/education/episodes/{week['episodes'][0]['id']}/rating",
        json={"member": "本人", "level": "great"},
        headers=h(tokens["home"]),
    )
    assert problem(r, 400)["errors"].get("level"), r.text
    api = gw.get(f"/v1/education/series/{series_id}/listeners", headers=editor).json()
    assert api["episodes"][0]["tv_households"] >= 1  # the member who watched 20 s

    s = platform.seed.education_staff["gaozhao_editor"]
    page = browser.new_page()
    try:
        page.goto(f"{platform.base_url}/education/compliance")
        page.fill("input[name=username]", s["username"])
        page.fill("input[name=password]", s["password"])
        page.click("#sign-in button")
        page.wait_for_selector("body[data-loaded=true]")
        page.wait_for_selector(f"#series-choice select[name=series] option[value='{series_id}']", state="attached")
        page.select_option("#series-choice select[name=series]", series_id)
        page.click("#series-choice button")
        page.wait_for_selector(f"body[data-listeners='{series_id}']")
        rows = page.eval_on_selector_all(
            "#episodes tbody tr",
            "rows => rows.map(r => [r.dataset.episode, ...[...r.children].map(c => c.textContent)])",
        )
        bars = page.eval_on_selector_all(
            "#episode-audience rect[data-key=tv]", "els => els.map(e => [e.dataset.row, +e.dataset.count])"
        )
        questions = page.eval_on_selector_all("#questions li", "els => els.map(e => e.textContent)")
    finally:
        page.close()

    def rated(e: dict) -> int:
        return sum(e["ratings"].values())

    assert rows == [
        [
            e["episode_id"],
            str(e["number"]),
            e["title"],
            str(e["tv_households"]),
            str(e["tv_members"]),
            str(e["completed"]),
            str(e["villages"]),
            str(rated(e)),
            f"{e['satisfied_percent']}%" if rated(e) else "—",
            str(len(e["questions"])),
        ]
        for e in api["episodes"]
    ]
    assert bars == [[e["episode_id"], e["tv_households"]] for e in api["episodes"]]
    asked = [f"第{e['number']}期 · {q['member']}：{q['text']}" for e in api["episodes"] for q in e["questions"]]
    assert questions == asked
