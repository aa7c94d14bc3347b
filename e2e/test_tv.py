"""The TV app (gateway/static/tv/) in real headless Chromium against the suite's platform, driven by
the remote's keys alone, with this module's households (Jiabei sub-district, e2e/seed.py):

- for each middleware's key table, every screen walked with only its arrows, OK and back: each
  element reached, each screen an element opens entered and left with the focus back where it was
  (screenshots at 1920x1080 in the run's folder, var/e2e/<run>/tv/);
- a citizen's evening with arrows, Enter and Backspace alone: the TV signed in with the phone page,
  a repair filed and, once the technician resolved it, rated 好差评; an emergency alert taking over
  the screen until acknowledged; simple mode switched on and kept by the server; signing out;
- the home call, the preferences and the sign-in QR refusing bad input, changing nothing."""

from __future__ import annotations

import collections
import datetime as dt
import pathlib
import time
import uuid

import httpx
import pytest

from e2e.platform import ROOT, sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow]

TABLES = ["arrows", "ipanel", "huawei", "dvb", "hbbtv", "wasd"]
# The journey's own keys: a PC keyboard's arrows, Enter and Backspace.
KEYBOARD = {
    "up": "ArrowUp",
    "down": "ArrowDown",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    "ok": "Enter",
    "back": "Backspace",
}
SAMPLES = ROOT / "services" / "alerts" / "tests" / "samples"
JIABEI = "330411002"
PROBLEM_JSON = "application/problem+json"
VIEWPORT = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def tv_platform(platform):
    return platform


@pytest.fixture(scope="module")
def gw(tv_platform):
    with httpx.Client(base_url=tv_platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def shots(tv_platform):
    folder = ROOT / "var" / "e2e" / tv_platform.run_id / "tv"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staff(gw, username: str, p) -> dict:
    r = gw.post(
        "/v1/identity/token",
        data={"grant_type": "password", "username": username, "password": p.seed.password(username)},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def bearer(token: str, key: bool = False) -> dict:
    return {"Authorization": f"Bearer {token}", **({"Idempotency-Key": uuid.uuid4().hex} if key else {})}


def resolve(gw, p, request_id: str, technician: str, hours_ahead: float) -> None:
    """The point's manager accepts and dispatches the request; the technician comes and resolves it."""
    manager = staff(gw, "manager.jb", p)
    tech = staff(gw, technician, p)
    start = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours_ahead)
    window = {"window_start": start.isoformat(), "window_end": (start + dt.timedelta(hours=1)).isoformat()}
    steps = [
        (manager, "accept", {}),
        (manager, "dispatch", {"technician": technician, **window}),
        (tech, "on-site", {}),
        (tech, "resolve", {"reason": "更换分支器"}),
    ]
    for who, action, body in steps:
        r = gw.post(f"/v1/servicedesk/staff/requests/{request_id}/{action}", json=body, headers=who)
        assert r.status_code == 200, (action, r.text)


def sign_in_on_tv(browser, p, household: dict, shots, label: str):
    """Open the gateway's address on a new TV; the citizen reads the code off the screen and confirms
    it on the phone page; the TV signs itself in. The TV's page."""
    context = browser.new_context(viewport=VIEWPORT)
    tv = context.new_page()
    tv.goto(p.base_url + "/")
    assert tv.url.endswith("/tv/")
    wait_screen(tv, "signin")
    code = tv.inner_text("#user-code")
    qr = tv.get_attribute("img.qr", "src")
    assert qr.startswith("/v1/home/qr.svg?uri=") and code in httpx.URL(p.base_url + qr).params["uri"]
    tv.screenshot(path=str(shots / f"{label}-signin.png"))
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(p.base_url + "/identity/device?user_code=" + code)
    member = household["members"][0]
    phone.fill("input[name=phone]", member["phone"])
    phone.fill("input[name=password]", member["password"])
    phone.click("button[value=approve]")
    assert "已确认" in phone.inner_text("body")
    phone.close()
    wait_screen(tv, "home", timeout=30000)
    return tv


def tv_token(tv) -> str:
    return tv.evaluate("() => localStorage.getItem('sbc.tv.token')")


class Remote:
    """A remote control pressing keys on the TV's page: one middleware's key table, its codes sent as
    real input (the DevTools protocol's key events, so the page sees the code the middleware sends),
    or without a table a PC keyboard's arrows, Enter and Backspace."""

    def __init__(self, page, table: dict[str, int] | None = None):
        self.page = page
        self.table = table
        self.cdp = page.context.new_cdp_session(page) if table else None

    def press(self, action: str) -> None:
        if self.table is None:
            self.page.keyboard.press(KEYBOARD[action])
        else:
            self.code(self.table[action])

    def code(self, code: int) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.cdp.send(
                "Input.dispatchKeyEvent", {"type": kind, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
            )

    def focused(self) -> str:
        return self.page.evaluate(
            "() => { var f = document.querySelector('.focused'); return f ? f.dataset.nav : null }"
        )

    def reachable(self) -> list[str]:
        """Every focusable element of the active layer (the screen, or an alert over it)."""
        return self.page.evaluate("() => TV.nav.focusables().map(function (e) { return e.dataset.nav })")

    def explore(self, target: str | None = None) -> dict[str, dict[str, str]]:
        """Move with the arrows until every element seen has been left in every direction (or
        `target` has focus): the map of where each arrow leads from each element."""
        start = self.focused()
        assert start, "nothing has focus"
        edges: dict[str, dict[str, str]] = {start: {}}
        here = start
        while here != target:
            path = self._path_to_unexplored(edges, here)
            if path is None:
                break
            for step in path[:-1]:
                self.press(step)
                here = edges[here][step]
            step = path[-1]
            self.press(step)
            went = self.focused()
            assert went, f"no focus after {step} from {here}"
            edges[here][step] = went
            edges.setdefault(went, {})
            here = went
        return edges

    @staticmethod
    def _path_to_unexplored(edges, here) -> list[str] | None:
        queue = collections.deque([(here, [])])
        seen = {here}
        while queue:
            node, path = queue.popleft()
            for d in ("down", "right", "up", "left"):
                if d not in edges[node]:
                    return [*path, d]
            for d, nxt in edges[node].items():
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append((nxt, [*path, d]))
        return None

    def go_to(self, nav: str) -> None:
        """Bring the focus to the element named `nav`, with the arrows alone."""
        if self.focused() == nav:
            return
        edges = self.explore(target=nav)
        if self.focused() == nav:
            return
        path = _path(edges, self.focused(), nav)
        assert path is not None, f"{nav} cannot be reached with the arrows (reached {sorted(edges)})"
        for step in path:
            self.press(step)
        assert self.focused() == nav


def _path(edges, start, goal) -> list[str] | None:
    queue = collections.deque([(start, [])])
    seen = {start}
    while queue:
        node, path = queue.popleft()
        if node == goal:
            return path
        for d, nxt in edges.get(node, {}).items():
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, [*path, d]))
    return None


def wait_screen(page, name: str, timeout: float = 15000) -> None:
    page.wait_for_selector(f"#screen[data-screen='{name}'][data-ready]", state="attached", timeout=timeout)


def screen_name(page) -> str:
    return page.get_attribute("#screen", "data-screen")


def walk(remote: Remote, shots: pathlib.Path, label: str, walked: set[str] | None = None) -> set[str]:
    """Walk the screen on show and every screen it opens: each focusable element reached with the
    arrows alone; each element that opens a screen pressed with OK (one per screen it opens), that
    screen walked, then back, with the focus where it was. The screens walked."""
    page = remote.page
    walked = walked if walked is not None else set()
    name = screen_name(page)
    walked.add(name)
    page.screenshot(path=str(shots / f"{label}-{name}.png"))
    edges = remote.explore()
    missing = set(remote.reachable()) - set(edges)
    assert not missing, f"{label}: on {name}, the arrows never reach {sorted(missing)}"
    opens = page.evaluate(
        "() => TV.nav.focusables().filter(function (e) { return e.dataset.opens })"
        ".map(function (e) { return [e.dataset.nav, e.dataset.opens] })"
    )
    done: set[str] = set()
    for nav, target in opens:
        if target in done or target in walked:
            continue
        done.add(target)
        remote.go_to(nav)
        remote.press("ok")
        wait_screen(page, target)
        walk(remote, shots, label, walked)
        remote.press("back")
        wait_screen(page, name)
        assert remote.focused() == nav, f"{label}: back from {target} left the focus on {remote.focused()}, not {nav}"
    return walked


# --- the key walks ---


@pytest.fixture(scope="module")
def walked_tv(browser, tv_platform, gw, shots):
    """The second household's TV, signed in, with a repair resolved and waiting for its rating, and
    the messages it was pushed."""
    p = tv_platform
    tv = sign_in_on_tv(browser, p, p.households_of("tv")[1], shots, "walk")
    token = tv_token(tv)
    r = gw.post(
        "/v1/servicedesk/requests",
        json={"service_type": "fault_repair_general", "description": "没有声音"},
        headers=bearer(token, key=True),
    )
    assert r.status_code == 201, r.text
    resolve(gw, p, r.json()["id"], "tech2.jb", 30)
    deadline = time.monotonic() + 30
    while not gw.get("/v1/notifications/messages", headers=bearer(token)).json()["messages"]:
        assert time.monotonic() < deadline, "no push message reached the household"
        time.sleep(0.5)
    Remote(tv).press("ok")  # the home again, with its request and messages
    Remote(tv).press("back")
    wait_screen(tv, "home")
    yield tv
    tv.context.close()


SCREENS = {
    "home",
    "servicedesk",
    "servicedesk.file",
    "servicedesk.problem",
    "servicedesk.confirm",
    "servicedesk.request",
    "servicedesk.rate",
    "servicedesk.guide",
    "servicedesk.guide_one",
    "messages",
    "alerts",
}


@pytest.mark.parametrize("table", TABLES)
def test_every_screen_is_walked_with_one_key_tables_arrows_ok_and_back_alone(walked_tv, shots, table):
    tv = walked_tv
    assert sorted(tv.evaluate("() => Object.keys(TV.KEY_TABLES)")) == sorted(TABLES), "a key table without its walk"
    remote = Remote(tv, tv.evaluate("t => TV.KEY_TABLES[t]", table))
    assert screen_name(tv) == "home"
    walked = walk(remote, shots, table)
    assert walked >= SCREENS, f"never reached {sorted(SCREENS - walked)}"
    assert screen_name(tv) == "home"

    # Number keys are quick jumps: 1 opens the first tile's screen.
    remote.code(49)
    wait_screen(tv, "servicedesk")
    if "exit" in remote.table:  # iPanel's exit goes straight home
        remote.press("ok")
        wait_screen(tv, "servicedesk.file")
        remote.press("exit")
    else:
        remote.press("back")
    wait_screen(tv, "home")


# --- a citizen's evening, with arrows, Enter and Backspace alone ---


def dept(gw, p) -> dict:
    d = p.seed.departments["trusted"]
    r = gw.post("/v1/identity/token", data={"grant_type": "client_credentials", **d})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def flood_for(village: str) -> str:
    """The flood sample, for one village of this module's (no other module's TV is there)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    return (
        (SAMPLES / "cap_flood.xml")
        .read_text(encoding="utf-8")
        .replace("33041141600000_20260701120000", f"33041141600000_{stamp}")
        .replace("330411101", village)
        .replace("王江泾镇", "嘉北街道")
        .replace("Wangjiangjing", "Jiabei")
    )


def text_of(tv) -> str:
    return tv.inner_text("#screen")


def test_a_citizen_signs_in_files_and_rates_a_repair_sees_an_alert_and_switches_to_simple_mode(
    browser, tv_platform, gw, shots
):
    p = tv_platform
    household = p.households_of("tv")[0]
    tv = sign_in_on_tv(browser, p, household, shots, "journey")
    keys = Remote(tv)
    token = tv_token(tv)

    # A repair in a few key presses: the service desk's tile, 我要报修, the type, the problem, confirm.
    keys.go_to("tile:servicedesk")
    keys.press("ok")
    wait_screen(tv, "servicedesk")
    keys.go_to("sd:file")
    keys.press("ok")
    wait_screen(tv, "servicedesk.file")
    keys.go_to("type:fault_repair_general")
    keys.press("ok")
    wait_screen(tv, "servicedesk.problem")
    keys.go_to("problem:0")
    keys.press("ok")
    wait_screen(tv, "servicedesk.confirm")
    assert "一般故障维修" in text_of(tv) and "没有信号" in text_of(tv)
    keys.go_to("confirm:submit")
    keys.press("ok")
    wait_screen(tv, "servicedesk.done")
    tv.screenshot(path=str(shots / "journey-filed.png"))
    [mine] = gw.get("/v1/servicedesk/requests", headers=bearer(token)).json()["requests"]
    assert (mine["description"], mine["state"], mine["channel"]) == ("没有信号", "submitted", "set_top_box")
    assert mine["reference_number"] in text_of(tv)
    # The push arrives as a note in the corner (not in simple mode).
    tv.wait_for_selector("#toast:not([hidden])", timeout=30000)
    assert "已收到您的一般故障维修申请" in tv.inner_text("#toast")
    keys.go_to("done:mine")
    keys.press("ok")
    wait_screen(tv, "servicedesk")
    assert mine["reference_number"] in text_of(tv) and "已提交" in text_of(tv)

    # The technician resolves it; the citizen rates it with the remote.
    resolve(gw, p, mine["id"], "tech.jb", 2)
    keys.press("back")
    wait_screen(tv, "home")
    assert keys.focused() == "tile:servicedesk", "back returns the focus where it was"
    keys.press("ok")
    wait_screen(tv, "servicedesk")
    keys.go_to(f"req:{mine['id']}")
    keys.press("ok")
    wait_screen(tv, "servicedesk.request")
    assert "已处理，请评价" in text_of(tv)
    keys.go_to("request:rate")
    keys.press("ok")
    wait_screen(tv, "servicedesk.rate")
    tv.screenshot(path=str(shots / "journey-rate.png"))
    keys.go_to("rate:very_satisfied")
    keys.press("ok")
    wait_screen(tv, "servicedesk.request")
    assert "您的评价：非常满意" in text_of(tv)
    rated = gw.get(f"/v1/servicedesk/requests/{mine['id']}", headers=bearer(token)).json()
    assert rated["rating"]["level"] == "very_satisfied"
    assert "request:rate" not in keys.reachable(), "rated once"

    # Its messages.
    keys.press("back")
    wait_screen(tv, "servicedesk")
    keys.press("back")
    wait_screen(tv, "home")
    keys.go_to("tile:notifications")
    keys.press("ok")
    wait_screen(tv, "messages")
    assert "已收到您的一般故障维修申请" in text_of(tv)
    keys.press("back")
    wait_screen(tv, "home")

    # An emergency alert for the household's village takes over the screen until acknowledged.
    before = keys.focused()
    r = gw.post(
        "/v1/alerts/cap",
        content=flood_for(household["area_code"]).encode(),
        headers={**dept(gw, p), "Content-Type": "application/cap+xml"},
    )
    assert r.status_code in (200, 201), r.text
    alert = r.json()
    tv.wait_for_selector("#takeover:not([hidden])", timeout=30000)
    assert "嘉北街道 洪水橙色预警" in tv.inner_text("#takeover")
    assert "orange" in tv.get_attribute("#takeover", "class")
    tv.screenshot(path=str(shots / "journey-alert.png"))
    assert keys.focused() == "alert:ack" and keys.reachable() == ["alert:ack"], "only the alert answers"
    keys.press("back")
    assert tv.is_visible("#takeover"), "back does not take an alert down"
    keys.press("ok")
    tv.wait_for_selector("#takeover", state="hidden")
    assert keys.focused() == before
    deadline = time.monotonic() + 20
    while True:
        rows = gw.get(f"/v1/alerts/{alert['id']}/status", headers=dept(gw, p)).json()["rows"]
        tvs = [x for x in rows if x["channel"] == "set_top_box" and x["area_code"] == household["area_code"]]
        if tvs and tvs[0].get("acknowledged", 0) >= 1:
            break
        assert time.monotonic() < deadline, rows
        time.sleep(0.5)
    r = gw.post(f"/v1/alerts/{alert['id']}/cancel", json={"reason": "水位回落"}, headers=dept(gw, p))
    assert r.status_code == 200, r.text

    # Simple mode, switched with the keys and kept by the server for the household.
    keys.go_to("home:simple")
    keys.press("ok")
    tv.wait_for_selector("body.simple #screen[data-screen='home'][data-ready]", state="attached")
    assert gw.get("/v1/notifications/preferences", headers=bearer(token)).json()["simple_mode"] is True
    home = gw.get("/v1/home", headers=bearer(token)).json()
    assert (home["simple_mode"], home["simple_mode_chosen"]) == (True, True)
    size, spacing = tv.evaluate(
        "() => { var s = getComputedStyle(document.querySelector('.tile .item')); "
        "return [parseFloat(s.fontSize), parseFloat(s.lineHeight) / parseFloat(s.fontSize)] }"
    )
    assert size >= 40 and spacing >= 1.3
    tv.reload()
    wait_screen(tv, "home")
    assert tv.evaluate("() => document.body.classList.contains('simple')"), "the server keeps the choice"
    tv.screenshot(path=str(shots / "journey-simple.png"))

    # Signing out forgets the token: the TV shows a new sign-in code.
    keys.go_to("home:signout")
    keys.press("ok")
    wait_screen(tv, "signin")
    assert tv_token(tv) is None
    tv.context.close()


def test_a_tv_whose_token_expires_or_is_refused_signs_in_again(browser, tv_platform, shots):
    p = tv_platform
    tv = sign_in_on_tv(browser, p, p.households_of("tv")[0], shots, "expiry")
    tv.evaluate("() => localStorage.setItem('sbc.tv.token_until', String(Date.now() - 1))")
    wait_screen(tv, "signin", timeout=15000)
    assert tv_token(tv) is None
    # A token the gateway refuses (revoked, or signed by a key gone): the next call signs in again.
    tv.evaluate(
        "() => { localStorage.setItem('sbc.tv.token', 'not-a-token'); "
        "localStorage.setItem('sbc.tv.token_until', String(Date.now() + 3600000)); }"
    )
    tv.reload()
    wait_screen(tv, "signin", timeout=15000)
    assert tv_token(tv) is None
    tv.context.close()


# --- bad input ---


def problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].split(";")[0] == PROBLEM_JSON
    assert r.json()["detail"]
    return r.json()


def test_the_home_the_preferences_and_the_qr_refuse_bad_input_and_change_nothing(gw, tv_platform):
    p = tv_platform
    token = sign_in_tv(gw, p.households_of("tv")[1], f"STB-{uuid.uuid4().hex[:8]}")
    before = gw.get("/v1/notifications/preferences", headers=bearer(token)).json()
    technician = staff(gw, "tech.jb", p)
    url = "/v1/notifications/preferences"

    problem(gw.get("/v1/home"), 401)
    problem(gw.get("/v1/home", headers={"Authorization": "Bearer not-a-token"}), 401)
    problem(gw.get("/v1/home", headers=technician), 403)
    problem(gw.get(url), 401)
    problem(gw.get(url, headers=technician), 403)
    problem(gw.put(url, json={"simple_mode": True}), 401)
    problem(gw.put(url, json={"simple_mode": True}, headers=technician), 403)
    problem(gw.put(url, json={"simple_mode": "yes"}, headers=bearer(token)), 422)
    problem(gw.put(url, json={}, headers=bearer(token)), 422)
    problem(gw.put(url, json={"simple_mode": True, "colour": "red"}, headers=bearer(token)), 422)
    problem(gw.put(url, content=b"{", headers={**bearer(token), "Content-Type": "application/json"}), 400)
    problem(gw.put(url, content=b"simple_mode=1", headers={**bearer(token), "Content-Type": "text/plain"}), 415)
    big = b'{"simple_mode": true, "pad": "' + b"x" * 70_000 + b'"}'
    problem(gw.put(url, content=big, headers={**bearer(token), "Content-Type": "application/json"}), 413)
    assert gw.get(url, headers=bearer(token)).json() == before, "nothing changed"

    for uri in ("", "javascript:alert(1)", "http://" + "x" * 500, "http://a b"):
        problem(gw.get("/v1/home/qr.svg", params={"uri": uri}), 422)
    problem(gw.get("/v1/home/qr.svg"), 422)
    for uri in (p.base_url + "/identity/device?user_code=BCDF-GHJK", "https://" + "0" * 490):
        r = gw.get("/v1/home/qr.svg", params={"uri": uri})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
