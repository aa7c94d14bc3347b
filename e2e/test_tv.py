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

from e2e.platform import ROOT

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
                assert self.focused() == here, f"the arrows went elsewhere than before from {here}"
            step = path[-1]
            self.press(step)
            went = self.focused()
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
