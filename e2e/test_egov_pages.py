"""E-government's screens and pages in real headless Chromium against the suite's platform, with the
module's own Honghe household (e2e/seed.py, egov_pages) and agent.hh of its village:
- the TV gives the household's consent code for its agent (办事指南 → an item → 请代办员帮我办), the
  agent files with it, and after the pushes the yellow key opens the application the TV was told of
  (the push's `opens`, not the newest application); the agent's own push stream hears of each step;
- the phone at 360x640 continues the application started on the TV: each material from a file input
  (the camera or the files), then submits it;
- the civil-affairs department's portal (client credentials): its queue, accepting and approving
  with a reason, with the arrows, Enter and Backspace;
- the district government-service office's KPI page: the figures by town, item and agency point, with
  their charts, in Chinese.
Each page is checked by axe-core (0 serious or critical violations)."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from e2e.platform import ROOT, SseListener, sign_in_tv
from e2e.seed import Seed
from e2e.test_phone import phone_signed_in
from e2e.test_tv import VIEWPORT, Remote, accessible, text_of, wait_screen

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

RELIEF = "330222004000-new"  # 临时救助申请, the civil-affairs department's, fully online
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HBBTV = {"up": 38, "down": 40, "left": 37, "right": 39, "ok": 13, "back": 461, "yellow": 405}


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def home(platform) -> dict:
    (household,) = platform.households_of("egov_pages")
    return household


@pytest.fixture(scope="module")
def tv_token(gw, home) -> str:
    return sign_in_tv(gw, home, f"STB-EGP-{uuid.uuid4().hex[:6]}")


@pytest.fixture(scope="module")
def shots(platform):
    folder = ROOT / "var" / "e2e" / platform.run_id / "egov"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def h(token: str, key: bool = False) -> dict:
    out = {"Authorization": f"Bearer {token}"}
    if key:
        out["Idempotency-Key"] = uuid.uuid4().hex
    return out


def token_of(gw, **form) -> str:
    r = gw.post("/v1/identity/token", data=form)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def agent_token(gw) -> str:
    return token_of(gw, grant_type="password", username="agent.hh", password=Seed.password("agent.hh"))


def tv_page(browser, platform, token: str):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60000)  # a loaded CI machine; nothing here waits unless it must
    context.add_init_script(
        f"localStorage.setItem('sbc.tv.token', {json.dumps(token)});"
        "localStorage.setItem('sbc.tv.token_until', String(Date.now() + 3600e3));"
    )
    page = context.new_page()
    page.goto(platform.base_url + "/tv/", wait_until="domcontentloaded", timeout=120000)
    wait_screen(page, "home", timeout=120000)
    return context, page


def test_the_tv_gives_the_consent_code_and_the_yellow_key_opens_the_pushed_application(
    browser, platform, gw, home, tv_token, shots
):
    context, tv = tv_page(browser, platform, tv_token)
    try:
        keys = Remote(tv, HBBTV)
        keys.go_to("tile:egov")
        keys.press("ok")
        wait_screen(tv, "egov")
        keys.go_to("eg:items")
        keys.press("ok")
        wait_screen(tv, "egov.items")
        keys.go_to(f"item:{RELIEF}")
        keys.press("ok")
        wait_screen(tv, "egov.item")
        keys.go_to("item:consent")
        keys.press("ok")
        wait_screen(tv, "egov.consent")
        code = tv.inner_text(".consent-code").strip()
        assert len(code) == 6 and code.isdigit(), code
        assert "请把下面的授权码告诉村里的代办员" in text_of(tv) and "只能使用一次" in text_of(tv)
        accessible(tv, "the TV's consent code")
        tv.screenshot(path=str(shots / "tv-consent.png"))

        agent = agent_token(gw)
        agent_stream = SseListener(platform.base_url, agent).start()
        proxy = {"household_id": home["id"], "household_area_code": home["area_code"], "consent": code}
        r = gw.post("/v1/egov/applications", json={"item_code": RELIEF, **proxy}, headers=h(agent, key=True))
        assert r.status_code == 201, r.text
        app_id = r.json()["id"]
        again = gw.post("/v1/egov/applications", json={"item_code": RELIEF, **proxy}, headers=h(agent, key=True))
        assert again.status_code == 403, "a code is used once"
        for m in ("id_card", "hardship_proof", "application_form"):
            up = gw.put(
                f"/v1/egov/applications/{app_id}/materials/{m}",
                content=PDF,
                headers={**h(agent), "Content-Type": "application/pdf"},
            )
            assert up.status_code == 200, up.text
        assert gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h(agent)).status_code == 200
        tv.wait_for_function(
            "() => document.getElementById('toast').textContent.includes('已提交：临时救助申请')", timeout=60000
        )
        # The agent who filed it is told too, on their own stream, of the same application.
        told = agent_stream.wait_for(lambda e: e.get("event") == "egov.submitted", timeout=60)
        agent_stream.stop()
        assert [e["data"]["opens"] for e in told] == [f"egov.application/{app_id}"], agent_stream.events
        # The household starts another application meanwhile (a draft, not pushed): the newest one
        # is not what the push was about, and yellow still opens the pushed one.
        draft = gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=h(tv_token, key=True))
        assert draft.status_code == 201, draft.text
        keys.press("yellow")
        wait_screen(tv, "egov.application")
        assert "临时救助申请" in text_of(tv) and "已提交" in text_of(tv)
        keys.press("back")
        wait_screen(tv, "egov.consent")
    finally:
        context.close()


def test_the_phone_continues_an_application_started_on_the_tv_and_uploads_its_materials(
    browser, platform, gw, home, tv_token, shots
):
    r = gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=h(tv_token, key=True))
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    member = home["members"][0]
    page = phone_signed_in(browser, platform.base_url, member)
    context = page.context
    try:
        page.click("[data-name='tile:egov']")
        wait_screen(page, "egov")
        page.click(f"[data-name='app:{app_id}']")
        wait_screen(page, "egov.application")
        assert "需要的材料" in page.inner_text("#screen")
        # a forbidden type is refused with a clear message, and nothing is kept
        page.set_input_files(
            "#file-id_card", files=[{"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}]
        )
        page.wait_for_function("() => document.querySelector('#screen [role=alert]').textContent.includes('没有成功')")
        for code, name, ctype, content in (
            ("id_card", "id.pdf", "application/pdf", PDF),
            ("hardship_proof", "photo.png", "image/png", PNG),
            ("application_form", "form.pdf", "application/pdf", PDF),
        ):
            page.set_input_files(f"#file-{code}", files=[{"name": name, "mimeType": ctype, "buffer": content}])
            page.wait_for_selector(f"[data-material='{code}'] .state:text('已上传')")
        accessible(page, "the phone's application")
        page.screenshot(path=str(shots / "phone-materials.png"))
        page.click("[data-name='eg:submit']")
        page.wait_for_function("() => document.getElementById('screen').textContent.includes('已提交')")
        seen = gw.get(f"/v1/egov/applications/{app_id}", headers=h(tv_token)).json()
        assert seen["state"] == "submitted" and sorted(m["code"] for m in seen["materials"]) == [
            "application_form",
            "hardship_proof",
            "id_card",
        ]
        assert {m["media_type"] for m in seen["materials"]} == {"application/pdf", "image/png"}
    finally:
        context.close()


def submitted_by(gw, token: str) -> str:
    r = gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=h(token, key=True))
    app_id = r.json()["id"]
    for m in ("id_card", "hardship_proof", "application_form"):
        gw.put(
            f"/v1/egov/applications/{app_id}/materials/{m}",
            content=PDF,
            headers={**h(token), "Content-Type": "application/pdf"},
        )
    assert gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h(token)).status_code == 200
    return app_id


def test_a_department_decides_on_its_portal_with_the_keys(browser, platform, gw, tv_token, shots):
    app_id = submitted_by(gw, tv_token)
    dept = platform.seed.departments["civil_affairs"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60000)
    page = context.new_page()
    try:
        page.goto(platform.base_url + "/egov/portal", wait_until="domcontentloaded")
        page.wait_for_selector("#sign-in:not([hidden])")
        page.keyboard.type(dept["client_id"])
        page.keyboard.press("ArrowDown")
        page.keyboard.type(dept["client_secret"])
        page.keyboard.press("Enter")
        page.wait_for_selector("body[data-loaded='queue']")
        target = f"[data-nav='app:{app_id}']"
        for _ in range(50):  # the arrows to the application (newest first: near the top)
            if page.evaluate(f"document.activeElement.matches({json.dumps(target)})"):
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_selector("body[data-loaded='application']")
        assert page.evaluate("document.activeElement.dataset.nav") == "step:accept"
        accessible(page, "the department's portal")
        page.keyboard.press("Enter")  # 受理
        page.wait_for_function("() => document.getElementById('message').textContent.includes('已受理')")
        page.wait_for_selector("[data-nav='step:approve']")
        assert page.evaluate("document.activeElement.dataset.nav") == "step:approve"
        page.keyboard.press("Enter")  # 准予办理: the reason first
        page.keyboard.press("Enter")  # without a reason: refused, nothing changes
        page.wait_for_function("() => document.getElementById('message').className === 'error'")
        assert gw.get(f"/v1/egov/applications/{app_id}", headers=h(tv_token)).json()["state"] == "accepted"
        page.keyboard.type("核准临时救助金1500元")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('message').textContent.includes('已准予办理')")
        page.screenshot(path=str(shots / "portal.png"))
        seen = gw.get(f"/v1/egov/applications/{app_id}", headers=h(tv_token)).json()
        assert (seen["state"], seen["decision_reason"]) == ("approved", "核准临时救助金1500元")
        page.keyboard.press("Backspace")
        page.wait_for_selector("body[data-loaded='queue']")
        assert app_id not in page.inner_text("#entries")
    finally:
        context.close()


def test_the_office_reads_the_figures_by_town_item_and_agency_point_with_charts(browser, platform, gw, shots):
    office = platform.seed.egov_staff["egov_office"]
    r = gw.get("/v1/egov/figures", headers=h(token_of(gw, grant_type="password", **_login(office))))
    assert r.status_code == 200, r.text
    figures = r.json()
    honghe = next(t for t in figures["towns"] if t["name"] == "洪合镇")
    assert honghe["applications"] >= 3, honghe
    point = next(t for t in figures["agency_points"] if t["code"] == "330411105201")
    assert point["applications"] >= 1 and point["by_channel"] == {"village_agent": point["applications"]}
    assert gw.get("/v1/egov/figures", headers=h(agent_token(gw))).status_code == 403

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60000)
    page = context.new_page()
    try:
        page.goto(platform.base_url + "/egov/kpi", wait_until="domcontentloaded")
        page.wait_for_selector("#sign-in:not([hidden])")
        page.fill("[name=username]", office["username"])
        page.fill("[name=password]", office["password"])
        page.keyboard.press("Enter")
        page.wait_for_selector("body[data-loaded='true']")
        text = page.inner_text("#report")
        assert "最多跑一次" in text and "按时办结率" in text and "洪合镇" in text and "村级代办点" in text
        bars = page.locator("#towns-visits rect[data-group='330411105'][data-series='no_visit']")
        assert bars.count() == 1 and float(bars.get_attribute("data-value")) > 0
        assert page.locator("#points-count rect[data-group='330411105201']").count() == 1
        row = page.locator("#agency-points tr[data-code='330411105201'] td").all_inner_texts()
        assert row[0] == "洪合镇村级代办点（330411105201）" and int(row[1]) == point["applications"]
        accessible(page, "the KPI page")
        page.screenshot(path=str(shots / "kpi.png"), full_page=True)
    finally:
        context.close()


def _login(staff: dict) -> dict:
    return {"username": staff["username"], "password": staff["password"]}
