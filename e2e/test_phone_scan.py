"""The phone app and the TV together, in real headless Chromium on the suite's platform, with this
module's household (a Jiabei village of its own, e2e/seed.py):

- the TV shows its code and QR code; the phone, signed in with phone and password, films it (its
  camera a fake stream showing the TV's QR code as the TV draws it, decoded in the page) and the
  member confirms: the TV signs itself in. A photo of a used code's QR code, a QR code that is not
  a TV's and a mistyped code each get a clear Chinese answer and change nothing;
- the TV removes a stolen box on its 我的设备 screen with arrows, Enter and Backspace alone: the
  box's next call is refused;
- an emergency alert for the village reaches the phone through its push stream (alerts registers
  the member's phone as a terminal of the household's area) and covers the page until 我知道了,
  whose receipt the emergency manager's status counts."""

from __future__ import annotations

import base64
import time
import uuid

import httpx
import jwt
import pytest

from e2e.platform import ROOT, sign_in_tv
from e2e.test_phone import phone_signed_in, press, wait_screen
from e2e.test_tv import Remote, accessible, dept, flood_for

pytestmark = [pytest.mark.infra, pytest.mark.slow]

# The phone's camera: a stream of a canvas showing an image (the TV's QR code as the TV showed it),
# until the test turns it away (fakeCamera.aimed = false).
FAKE_CAMERA = """
(() => {
  window.fakeCamera = { aimed: true };
  const src = "data:image/png;base64,__PNG__";
  navigator.mediaDevices.getUserMedia = () => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = 640; canvas.height = 480;
      const ctx = canvas.getContext("2d");
      const paint = () => {
        ctx.fillStyle = "#777"; ctx.fillRect(0, 0, 640, 480);
        const side = 360;
        if (window.fakeCamera.aimed) ctx.drawImage(img, 140, 60, side, side * img.height / img.width);
      };
      paint();
      setInterval(paint, 100);
      resolve(canvas.captureStream(10));
    };
    img.src = src;
  });
})();
"""


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30, limits=httpx.Limits(keepalive_expiry=2)) as c:
        yield c


@pytest.fixture(scope="module")
def shots(platform):
    folder = ROOT / "var" / "e2e" / platform.run_id / "phone"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_the_phone_scans_a_tv_the_tv_removes_a_stolen_box_and_an_alert_reaches_the_phone(
    browser, platform, gw, shots, tmp_path
):
    p = platform
    (household,) = p.households_of("phone_scan")
    member = household["members"][0]

    # The TV shows its code and QR code.
    tv_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tv_context.set_default_timeout(60000)
    tv = tv_context.new_page()
    tv.goto(p.base_url + f"/tv/?serial=STB-{uuid.uuid4().hex[:8]}", wait_until="domcontentloaded")
    wait_screen(tv, "signin")
    code = tv.inner_text("#user-code")
    tv.wait_for_function("document.querySelector('img.qr').naturalWidth > 0")
    qr_png = tv.locator("img.qr").screenshot()

    # The phone, signed in; its camera films the TV's QR code.
    camera = FAKE_CAMERA.replace("__PNG__", base64.b64encode(qr_png).decode())
    page = phone_signed_in(browser, p.base_url, member, camera)
    phone_context = page.context
    press(page, "home:scan")  # (the fake camera's code is read at once: the scan screen may show only an instant)
    wait_screen(page, "scan.confirm")
    assert page.inner_text("#scan-confirm-code") == code
    page.screenshot(path=str(shots / "scan-confirm.png"), full_page=True)
    accessible(page, "phone scan confirmation")
    page.click("[data-name='scan:approve']")
    page.wait_for_selector("#scan-result.done")
    assert page.inner_text("#scan-result") == "已确认，电视将自动登录。"
    wait_screen(tv, "home")  # the TV polled and is signed in
    tv_token = tv.evaluate("() => localStorage.getItem('sbc.tv.token')")
    assert jwt.decode(tv_token, options={"verify_signature": False})["hid"] == household["id"]

    # A photo of the same QR code: the code was used. A QR code that is not a TV's; a mistyped code.
    page.evaluate("fakeCamera.aimed = false")
    page.go_back()
    wait_screen(page, "scan")
    (tmp_path / "used.png").write_bytes(qr_png)
    page.set_input_files("#scan-photo", str(tmp_path / "used.png"))
    wait_screen(page, "scan.confirm")
    page.click("[data-name='scan:approve']")
    page.wait_for_selector("#scan-result.error")
    assert page.inner_text("#scan-result") == "这个登录码已经用过了。"
    page.go_back()
    wait_screen(page, "scan")
    other = tv_context.new_page()
    other.goto(
        p.base_url + "/v1/home/qr.svg?uri=" + httpx.QueryParams({"u": "https://example.org/?user_code=BCDF-GHJK"})["u"]
    )
    (tmp_path / "other.png").write_bytes(other.screenshot())
    other.close()
    page.set_input_files("#scan-photo", str(tmp_path / "other.png"))
    page.wait_for_selector("#scan-note.error")
    assert page.inner_text("#scan-note") == "这不是电视登录的二维码，请扫描电视上显示的二维码。"
    page.fill("#scan-code", "ABC")
    page.click("[data-name='scan:typed']")
    assert page.inner_text("#scan-code-error").startswith("登录码是 8 个字母")
    assert screen_of(page) == "scan"
    accessible(page, "phone scan")

    # 我的设备 on the TV: a stolen box (signed in elsewhere) removed with arrows, Enter and Backspace.
    stolen = sign_in_tv(gw, household, f"STB-{uuid.uuid4().hex[:8]}")
    stolen_id = jwt.decode(stolen, options={"verify_signature": False})["did"]
    assert gw.get("/v1/identity/devices", headers=bearer(stolen)).status_code == 200
    keys = Remote(tv)
    keys.go_to("home:devices")
    keys.press("ok")
    wait_screen(tv, "devices")
    assert "（本机）" in tv.inner_text("#screen")
    keys.go_to(f"box:{stolen_id}")
    keys.press("ok")
    wait_screen(tv, "device")
    assert keys.focused() == "device:remove"
    tv.screenshot(path=str(shots / "tv-device-remove.png"))
    accessible(tv, "the TV's device removal")
    keys.press("ok")
    tv.wait_for_function(
        f"() => document.getElementById('screen').dataset.screen === 'devices' && document.getElementById('screen')"
        f".hasAttribute('data-ready') && !document.querySelector(\"[data-nav='box:{stolen_id}']\")"
    )
    deadline = time.monotonic() + 20  # the gateway reads the revocations every few seconds
    while gw.get("/v1/identity/devices", headers=bearer(stolen)).status_code != 401:
        assert time.monotonic() < deadline, "the removed box's token still works"
        time.sleep(0.3)
    assert gw.get("/v1/identity/devices", headers=bearer(tv_token)).status_code == 200
    keys.press("back")
    wait_screen(tv, "home")

    # An alert for the village reaches the phone through its push stream, and covers the page.
    page.go_back()
    wait_screen(page, "home")
    r = gw.post(
        "/v1/alerts/cap",
        content=flood_for(household["area_code"]).encode(),
        headers={**dept(gw, p), "Content-Type": "application/cap+xml"},
    )
    assert r.status_code in (200, 201), r.text
    alert = r.json()
    page.wait_for_selector("#takeover:not([hidden])", timeout=30000)
    assert "嘉北街道 洪水橙色预警" in page.inner_text("#takeover")
    assert "orange" in page.get_attribute("#takeover", "class")
    page.screenshot(path=str(shots / "phone-alert.png"))
    accessible(page, "the alert on the phone")
    page.click("[data-name='alert:ack']")
    page.wait_for_selector("#takeover", state="hidden")
    deadline = time.monotonic() + 20
    while True:  # the TV shows it too, unanswered: the acknowledgement counted is the phone's
        rows = gw.get(f"/v1/alerts/{alert['id']}/status", headers=dept(gw, p)).json()["rows"]
        mine = [x for x in rows if x["channel"] == "set_top_box" and x["area_code"] == household["area_code"]]
        if mine and mine[0].get("acknowledged", 0) >= 1:
            break
        assert time.monotonic() < deadline, rows
        time.sleep(0.5)
    r = gw.post(f"/v1/alerts/{alert['id']}/cancel", json={"reason": "水位回落"}, headers=dept(gw, p))
    assert r.status_code == 200, r.text
    phone_context.close()
    tv_context.close()


def screen_of(page) -> str:
    return page.get_attribute("#screen", "data-screen")
