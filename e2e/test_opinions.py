"""群众意见征集 through the gateway, every process of the platform a separate OS process, on the
wall clock: Honghe's editor writes a questionnaire for two of its village committees (a single
choice, a multiple choice, a 1-5 scale and a short text) and publishes it once opinions knows the
first household's box (identity's devices topic); that box is invited (the notifications push);
another town's editor sees none of it. One household answers on the TV in real Chromium with the
remote alone (arrows, Enter, Backspace, a number key for the scale; the short text shows
请用手机填写 with its QR code, and is skipped); a second household answers on the phone, text
included; the first household's second try, from its member's phone, is refused; the results
(JSON, and the staff page's SVG bar charts in Chromium) count both, naming no household."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import httpx
import pytest

from e2e.platform import ROOT, sign_in_tv
from e2e.test_phone import home_with, phone_signed_in
from e2e.test_tv import VIEWPORT, Remote, accessible, wait_screen

pytestmark = [pytest.mark.infra, pytest.mark.slow]

HONGHE = "330411105"
SUGGESTION = "希望多放一些农业技术节目"


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c


def h(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def staff_token(gw, s: dict) -> str:
    r = gw.post(
        "/v1/identity/token", data={"grant_type": "password", "username": s["username"], "password": s["password"]}
    )
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


@pytest.fixture(scope="module")
def tv_token(platform, gw) -> str:
    """The first household's box, signed in before the questionnaire is published (so invited)."""
    return sign_in_tv(gw, platform.households_of("opinions")[0], f"STB-OPN-{uuid.uuid4().hex[:6]}")


@pytest.fixture(scope="module")
def questionnaire(platform, gw, tv_token) -> dict:
    editor = staff_token(gw, platform.seed.opinions_staff["editor"])
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    villages = [home["area_code"] for home in platform.households_of("opinions")]
    draft = {
        "title": f"广播电视服务满意度调查 {uuid.uuid4().hex[:4]}",
        "purpose": "了解群众对广播电视服务的意见和建议",
        "organizer": "洪合镇人民政府",
        "opens_at": (now - dt.timedelta(minutes=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=1)).isoformat(),
        "target_areas": villages,
        "audience": "villages",
        "questions": [
            {
                "kind": "single",
                "text": "您家主要通过什么收看电视？",
                "required": True,
                "choices": ["有线电视", "网络电视"],
            },
            {"kind": "multiple", "text": "您希望增加哪些节目？", "choices": ["农技", "戏曲", "法治"], "max_picks": 2},
            {
                "kind": "scale",
                "text": "您对广播电视服务满意吗？",
                "required": True,
                "scale_low": "很不满意",
                "scale_high": "很满意",
            },
            {"kind": "text", "text": "您还有什么建议？", "max_length": 100},
        ],
    }
    r = gw.post("/v1/opinions/questionnaires", json=draft, headers=h(editor))
    assert r.status_code == 201, r.text
    made = r.json()
    # Opinions learns of the box from identity's devices topic: the draft's results count it once it has.
    deadline = time.monotonic() + 60
    while True:
        r = gw.get(f"/v1/opinions/questionnaires/{made['id']}/results", headers=h(editor))
        if r.json()["targeted_households"] >= 1:
            break
        assert time.monotonic() < deadline, f"the box never reached opinions: {r.text}"
        time.sleep(0.5)
    r = gw.post(f"/v1/opinions/questionnaires/{made['id']}/publish", headers=h(editor))
    assert r.status_code == 200 and r.json()["state"] == "published", r.text
    return {**r.json(), "editor": editor}


def test_another_towns_editor_sees_none_of_it(platform, gw, questionnaire):
    other = staff_token(gw, platform.seed.opinions_staff["other_editor"])
    r = gw.get(f"/v1/opinions/questionnaires/{questionnaire['id']}/results", headers=h(other))
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    listed = gw.get("/v1/opinions/questionnaires", headers=h(other)).json()["questionnaires"]
    assert questionnaire["id"] not in [q["id"] for q in listed]


def test_the_households_box_is_invited(gw, questionnaire, tv_token):
    deadline = time.monotonic() + 60
    while True:
        r = gw.get("/v1/notifications/messages", headers=h(tv_token))
        assert r.status_code == 200, r.text
        told = [m for m in r.json()["messages"] if m.get("kind") == "opinions.invited"]
        if told:
            break
        assert time.monotonic() < deadline, f"never invited: {r.text}"
        time.sleep(0.5)
    assert told[0]["title"] == "邀请您参与意见征集" and questionnaire["title"] in told[0]["body"]
    assert told[0].get("opens") == f"opinions.questionnaire/{questionnaire['id']}"


def test_a_household_answers_on_the_tv_with_the_remote(browser, platform, gw, questionnaire, tv_token):
    shots = ROOT / "var" / "e2e" / platform.run_id / "opinions"
    shots.mkdir(parents=True, exist_ok=True)
    qid = questionnaire["id"]
    token = tv_token
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(
        f"localStorage.setItem('sbc.tv.token', '{token}');"
        "localStorage.setItem('sbc.tv.token_until', String(Date.now() + 3600 * 1000));"
    )
    tv = context.new_page()
    try:
        tv.goto(platform.base_url + "/tv/")
        wait_screen(tv, "home", timeout=30000)
        tv.wait_for_selector("[data-nav='tile:opinions']", timeout=30000)
        remote = Remote(tv)  # a PC keyboard: arrows, Enter, Backspace, and the number keys

        def press_on(nav: str, screen: str | None = None) -> None:
            tv.wait_for_selector(f"#screen[data-ready] [data-nav='{nav}']", state="attached")
            remote.go_to(nav)
            remote.press("ok")
            if screen:
                wait_screen(tv, screen)

        press_on("tile:opinions", "opinions")
        press_on(f"op:{qid}", "opinions.questionnaire")
        assert questionnaire["title"] in tv.inner_text("#op-title")
        accessible(tv, "opinions.questionnaire")
        press_on("op:start", "opinions.answer")
        assert "第 1/4 题" in tv.inner_text("#op-progress")
        press_on("q0:1")  # 网络电视: the next question follows
        tv.wait_for_selector("[data-nav='q1:0']")
        assert "第 2/4 题" in tv.inner_text("#op-progress")
        press_on("q1:0")  # 农技, toggled on
        tv.wait_for_selector("[data-nav='q1:0'][aria-pressed='true']")
        press_on("q1:2")  # 法治
        press_on("q1:1")  # 戏曲: a third pick, then off again
        press_on("q1:1")
        tv.wait_for_selector("[data-nav='q1:1'][aria-pressed='false']")
        press_on("q1:next")
        tv.wait_for_selector("[data-nav='q2:s5']")
        accessible(tv, "opinions.answer (scale)")
        tv.keyboard.press("4")  # the number key picks on the scale
        tv.wait_for_selector("#op-text")
        assert "请用手机填写" in tv.inner_text("#op-text")
        qr = tv.get_attribute("#op-qr", "src")
        assert qr.startswith("/v1/home/qr.svg?uri=") and qid in httpx.URL(platform.base_url + qr).params["uri"]
        tv.screenshot(path=str(shots / "tv-text-on-phone.png"))
        press_on("q3:skip")
        tv.wait_for_selector("#op-review")
        review = tv.inner_text("#screen")
        assert "网络电视" in review and "农技、法治" in review and "4 分" in review and "请用手机填写" in review
        tv.screenshot(path=str(shots / "tv-review.png"))
        # Back to a question from the review and forward again: the answers stay.
        press_on("review:q4")
        tv.wait_for_selector("[data-nav='q3:skip']")
        press_on("q3:skip")
        tv.wait_for_selector("#op-review")
        press_on("review:submit", "opinions.thanks")
        assert "感谢" in tv.inner_text("#op-thanks")
        tv.screenshot(path=str(shots / "tv-thanks.png"))
        remote.press("back")
        wait_screen(tv, "opinions")
        assert remote.focused() == f"op:{qid}", "back returns the focus to the questionnaire it left"
        assert "已参与" in tv.inner_text(f"[data-nav='op:{qid}']")
    finally:
        context.close()
    # The TV's household again (its box): refused.
    again = gw.post(
        f"/v1/opinions/questionnaires/{qid}/responses",
        json={"answers": [{"question_id": "q1", "choices": [0]}, {"question_id": "q3", "scale": 1}]},
        headers=h(token),
    )
    assert again.status_code == 409 and "questionnaire_id" in again.json()["errors"], again.text


def test_a_second_household_answers_on_the_phone_and_the_first_households_phone_is_refused(
    browser, platform, gw, questionnaire
):
    qid = questionnaire["id"]
    first, second = platform.households_of("opinions")
    page = phone_signed_in(browser, platform.base_url, second["members"][0])
    try:
        home_with(page, "opinions")
        page.click("button[data-name='tile:opinions']")
        wait_screen(page, "opinions")
        page.click(f"button[data-name='op:{qid}']")
        wait_screen(page, "opinions.questionnaire")
        page.click("[data-name='op:submit']")  # nothing answered: the page names the first required question
        assert "第 1 题" in page.inner_text("#op-note")
        page.check("#op-q1-0")
        page.check("#op-q2-1")
        page.check("#op-q2-2")
        page.check("#op-q3-5")
        page.fill("#op-q4", SUGGESTION)
        page.click("[data-name='op:submit']")
        page.wait_for_selector("#op-thanks")
        assert page.get_attribute("#op-note", "data-status") == "201"
    finally:
        page.context.close()

    # The first household's member, from the TV's QR code's link: answered already, so refused.
    page = phone_signed_in(browser, platform.base_url, first["members"][0])
    try:
        page.goto(f"{platform.base_url}/phone/#opens=opinions.questionnaire/{qid}")
        page.reload(wait_until="domcontentloaded")
        wait_screen(page, "opinions.questionnaire")
        assert "已经填写过" in page.inner_text("#op-state")
        token = page.evaluate("() => localStorage.getItem('sbc.phone.token')")
    finally:
        page.context.close()
    if token:
        r = gw.post(
            f"/v1/opinions/questionnaires/{qid}/responses",
            json={"answers": [{"question_id": "q1", "choices": [0]}, {"question_id": "q3", "scale": 2}]},
            headers=h(token),
        )
        assert r.status_code == 409, r.text


def test_the_results_count_both_households_in_json_and_on_the_staff_page(browser, platform, gw, questionnaire):
    qid, editor = questionnaire["id"], questionnaire["editor"]
    r = gw.get(f"/v1/opinions/questionnaires/{qid}/results", headers=h(editor))
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["responses"] == 2 and res["targeted_households"] == 1  # only the first household has a box
    single, multiple, scale, text = res["questions"]
    assert [(c["choice"], c["count"]) for c in single["choices"]] == [("有线电视", 1), ("网络电视", 1)]
    assert [c["count"] for c in multiple["choices"]] == [1, 1, 2]
    assert scale["scale_counts"] == [0, 0, 0, 1, 1] and scale["scale_mean"] == 4.5
    assert text["text_answers"] == 1 and res["towns"] == [{"town_code": HONGHE, "responses": 2}]
    homes = {home["id"] for home in platform.households_of("opinions")}
    assert not any(home in r.text for home in homes), "results name no household"
    answers = gw.get(f"/v1/opinions/questionnaires/{qid}/questions/q4/answers", headers=h(editor)).json()
    assert [a["text"] for a in answers["answers"]] == [SUGGESTION]

    s = platform.seed.opinions_staff["editor"]
    page = browser.new_page()
    try:
        page.goto(f"{platform.base_url}/opinions/")
        page.fill("input[name=username]", s["username"])
        page.fill("input[name=password]", s["password"])
        page.click("#sign-in button")
        page.wait_for_selector("body[data-loaded=true]")
        page.click(f"tr[data-id='{qid}'] button:has-text('结果')")
        page.wait_for_selector(f"body[data-results='{qid}']")
        charts = page.eval_on_selector_all(
            "#charts figure svg",
            "svgs => svgs.map(s => [...s.querySelectorAll('rect')].map(r => [r.dataset.label, +r.dataset.count]))",
        )
        assert page.inner_text("#responses") == "2" and page.inner_text("#targeted") == "1 户"
        assert page.locator("#sign-in").is_hidden()
        assert SUGGESTION in page.inner_text("#charts")
        page.screenshot(path=str(ROOT / "var" / "e2e" / platform.run_id / "opinions-results.png"), full_page=True)
    finally:
        page.close()
    assert charts[0] == [["有线电视", 1], ["网络电视", 1]]
    assert charts[1] == [["农技", 1], ["戏曲", 1], ["法治", 2]]
    assert [n for _, n in charts[2]] == [0, 0, 0, 1, 1]
    assert charts[3] == [[HONGHE, 2]]
