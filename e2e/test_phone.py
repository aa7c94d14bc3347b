"""The phone app (gateway/static/phone/) in real headless Chromium at 360x640 against the suite's
platform, with this module's household (a Gaozhao village, e2e/seed.py): a wrong password's Chinese
error, then signing in with the household's phone and password; the home listing the household's
services; a repair filed from the TV (its API) and resolved by the technician, seen and rated 好差评
on the phone; a question typed to the village's lawyer and seen in 我的咨询; the volunteer record;
the messages the household was pushed; the app shell served by the service worker while offline,
with no API answer in its cache; axe-core (0 serious or critical) on sign-in, home and the screens."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from e2e.platform import ROOT, sign_in_tv
from e2e.test_tv import accessible, staff

pytestmark = [pytest.mark.infra, pytest.mark.slow]

VIEWPORT = {"width": 360, "height": 640}


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30, limits=httpx.Limits(keepalive_expiry=2)) as c:
        yield c


@pytest.fixture(scope="module")
def shots(platform):
    folder = ROOT / "var" / "e2e" / platform.run_id / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_screen(page, name: str, timeout: float = 60000) -> None:
    page.wait_for_selector(f"#screen[data-screen='{name}'][data-ready]", state="attached", timeout=timeout)


def tap(page, name: str, screen: str) -> None:
    press(page, name)
    wait_screen(page, screen)


def press(page, name: str) -> None:
    """Press a button. An emergency alert of another module's drill still in force in the household's
    area covers the screen (the takeover): the citizen presses 知道了 first, then the button."""
    for _ in range(3):
        try:
            page.click(f"[data-name='{name}']", timeout=15000)
            return
        except PlaywrightTimeout:
            acknowledge_alert(page)
    page.click(f"[data-name='{name}']")


def acknowledge_alert(page) -> None:
    if page.is_visible("#takeover"):
        page.click("[data-name='alert:ack']")
        page.wait_for_selector("#takeover", state="hidden")


def phone_signed_in(browser, base_url: str, member: dict, init_script: str = ""):
    """A member's phone (360×640, touch, zh-CN) signed in with their phone number and password, on its
    home; `init_script` runs in the page first (a test's camera). The page's context is the caller's
    to close."""
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True, locale="zh-CN")
    context.set_default_timeout(60000)  # a loaded CI machine; nothing here waits unless it must
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.goto(base_url + "/phone/", wait_until="domcontentloaded")
    wait_screen(page, "signin")
    page.fill("#phone", member["phone"])
    page.fill("#password", member["password"])
    page.click("[data-name='signin:submit']")
    wait_screen(page, "home")
    return page


def home_with(page, service: str) -> None:
    """The home with the service's tile open to a tap (a service too slow for its tile on a loaded
    machine is shown unavailable for a few seconds: the home is asked again)."""
    for _ in range(20):
        wait_screen(page, "home")
        if page.locator(f"button[data-name='tile:{service}']").count():
            return
        page.wait_for_timeout(1000)
        page.reload(wait_until="domcontentloaded")
    raise AssertionError(f"the {service} tile never opened: {page.inner_text('#screen')}")


def filed_on_tv_and_resolved(gw, p, tv: str) -> dict:
    """A repair filed with the TV's token, then accepted, dispatched and resolved by Gaozhao's staff."""
    r = gw.post(
        "/v1/servicedesk/requests",
        json={"service_type": "fault_repair_general", "description": "电视没有信号"},
        headers={"Authorization": f"Bearer {tv}", "Idempotency-Key": uuid.uuid4().hex},
    )
    assert r.status_code == 201, r.text
    filed = r.json()
    manager, tech = staff(gw, "manager.gz", p), staff(gw, "tech.gz", p)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    window = {"window_start": start.isoformat(), "window_end": (start + dt.timedelta(hours=1)).isoformat()}
    for who, action, body in [
        (manager, "accept", {}),
        (manager, "dispatch", {"technician": "tech.gz", **window}),
        (tech, "on-site", {}),
        (tech, "resolve", {"reason": "更换分支器"}),
    ]:
        r = gw.post(f"/v1/servicedesk/staff/requests/{filed['id']}/{action}", json=body, headers=who)
        assert r.status_code == 200, (action, r.text)
    return filed


def test_a_household_member_on_the_phone(browser, platform, gw, shots):
    p = platform
    (household,) = p.households_of("phone")
    member = household["members"][0]
    tv = sign_in_tv(gw, household, f"STB-{uuid.uuid4().hex[:8]}")
    filed = filed_on_tv_and_resolved(gw, p, tv)

    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True, locale="zh-CN")
    context.set_default_timeout(60000)  # a loaded CI machine; nothing here waits unless it must
    page = context.new_page()
    page.goto(p.base_url + "/phone/", wait_until="domcontentloaded")
    wait_screen(page, "signin")

    # A wrong password: a clear Chinese error, and no token kept.
    page.fill("#phone", member["phone"])
    page.fill("#password", "not-the-password")
    page.click("[data-name='signin:submit']")
    page.wait_for_function("document.getElementById('signin-error').textContent.length > 0")
    assert page.inner_text("#signin-error") == "手机号或密码不正确，请重新输入。"
    assert page.evaluate("localStorage.getItem('sbc.phone.token')") is None
    accessible(page, "phone sign-in")

    page.fill("#password", member["password"])
    page.click("[data-name='signin:submit']")
    wait_screen(page, "home")
    for service in ("servicedesk", "notifications", "legal"):
        assert page.is_visible(f"[data-name='tile:{service}']"), service
    # Touch targets at least 48 px high, and nothing wider than the phone.
    assert page.evaluate("Math.min(...[...document.querySelectorAll('button')].map(b => b.offsetHeight))") >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    page.screenshot(path=str(shots / "home.png"), full_page=True)
    accessible(page, "phone home")

    # The request filed on the TV, resolved: rated on the phone, 好差评's five levels.
    home_with(page, "servicedesk")
    tap(page, "tile:servicedesk", "servicedesk")
    card = f"[data-name='req:{filed['reference_number']}']"
    assert "已处理，请评价" in page.inner_text(card)
    page.click(card)
    wait_screen(page, "servicedesk.request")
    assert [page.inner_text(f"[data-name='rate:{lv}']") for lv in ("very_satisfied", "very_dissatisfied")] == [
        "非常满意",
        "非常不满意",
    ]
    accessible(page, "phone rating")
    page.click("[data-name='rate:satisfied']")
    page.wait_for_selector("#sd-rated")
    assert page.inner_text("#sd-rated") == "您的评价：满意"
    seen_on_tv = gw.get(f"/v1/servicedesk/requests/{filed['id']}", headers={"Authorization": f"Bearer {tv}"}).json()
    assert seen_on_tv["rating"]["level"] == "satisfied"
    page.screenshot(path=str(shots / "rated.png"), full_page=True)

    # Back (the phone's own back) to the home, then a question typed to the village's lawyer.
    page.go_back()
    wait_screen(page, "servicedesk")
    page.go_back()
    home_with(page, "legal")
    tap(page, "tile:legal", "legal")
    tap(page, "lg:ask", "legal.ask")
    page.select_option("#lg-topic", "land")
    question = f"邻居占了我家的承包地，怎么办？({uuid.uuid4().hex[:4]})"
    page.fill("#lg-question", question)
    accessible(page, "phone question")
    page.click("[data-name='lg:submit']")
    page.wait_for_selector("#lg-note.done")
    assert page.inner_text("#lg-note").startswith("已提交")
    tap(page, "lg:to_questions", "legal.questions")
    assert question in page.inner_text("#screen") and "等待答复" in page.inner_text("#screen")
    asked = gw.get("/v1/legal/consultations", headers={"Authorization": f"Bearer {tv}"}).json()["consultations"]
    assert [c["messages"][0]["text"] for c in asked] == [question]  # one question, the household's on the TV too
    page.go_back()
    wait_screen(page, "legal.ask")
    page.go_back()
    wait_screen(page, "legal")
    tap(page, "lg:volunteer", "legal.volunteer")
    assert page.inner_text("#lg-stars") == "☆☆☆☆☆" and page.inner_text("#lg-hours") == "服务时长 0 小时"
    accessible(page, "phone volunteer record")

    # The messages pushed to the household (the filing's, in Chinese).
    page.go_back()
    wait_screen(page, "legal")
    page.go_back()
    home_with(page, "notifications")
    tap(page, "tile:notifications", "messages")
    page.wait_for_function("document.getElementById('screen').innerText.includes('受理编号')", timeout=15000)
    assert filed["reference_number"] in page.inner_text("#screen")

    # Offline, the app shell still opens from the service worker's cache; no API answer is kept.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
          }
          return urls;
        }"""
    )
    assert "/phone/app.js" in cached and all(u.startswith("/phone/") for u in cached), cached
    context.set_offline(True)
    page.reload(wait_until="domcontentloaded")
    wait_screen(page, "home")
    assert "首页暂时无法打开" in page.inner_text("#screen")
    context.set_offline(False)
    page.click("[data-name='home:retry']")
    page.wait_for_selector("[data-name='home:signout']")
    page.click("[data-name='home:signout']")
    wait_screen(page, "signin")
    assert page.evaluate("localStorage.getItem('sbc.phone.token')") is None
    context.close()
