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

import datetime as dt
import time
import uuid

import grpc
import httpx
import pytest

from e2e.platform import ROOT, sign_in_tv
from runtime import registry
from sbc.egov.v1 import egov_pb2 as egov_pb
from sbc.egov.v1 import egov_pb2_grpc

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
RELIEF = "330222004000-new"  # 临时救助申请, the civil-affairs department's
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROBLEM_JSON = "application/problem+json"
VIEWPORT = {"width": 1920, "height": 1080}
# A PC keyboard's arrow codes (what the journey's arrow keys send).
ARROWS = {"up": 38, "down": 40, "left": 37, "right": 39}


@pytest.fixture(scope="module")
def tv_platform(platform):
    return platform


@pytest.fixture(scope="module")
def gw(tv_platform):
    # (Idle connections dropped before the gateway's keep-alive ends them: no reset on reuse.)
    with httpx.Client(base_url=tv_platform.base_url, timeout=30, limits=httpx.Limits(keepalive_expiry=2)) as c:
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


# The remote in the page: its key codes (from one key table) dispatched as key events at the focused
# element, and the exploration of one screen: move with the arrows until every element seen has
# been left in every direction (or `target` has focus, then the shortest way there). In the page,
# so that a walk is a few round trips, not three per key press.
KEYS_JS = """
  var DIRS = ["down", "right", "up", "left"];
  function focused() { var f = document.querySelector(".focused"); return f ? f.dataset.nav : null; }
  function press(code) {
    var e = document.createEvent("Event");
    e.initEvent("keydown", true, true);
    e.keyCode = code;
    e.which = code;
    (document.activeElement || document).dispatchEvent(e);
  }
  function bfs(edges, from, goal) {
    var queue = [[from, []]], seen = {};
    seen[from] = true;
    while (queue.length) {
      var node = queue.shift(), path = node[1];
      if (goal === undefined) {
        for (var i = 0; i < DIRS.length; i++) if (!(DIRS[i] in edges[node[0]])) return path.concat([DIRS[i]]);
      } else if (node[0] === goal) return path;
      for (var d in edges[node[0]]) {
        var next = edges[node[0]][d];
        if (!seen[next]) { seen[next] = true; queue.push([next, path.concat([d])]); }
      }
    }
    return null;
  }
  function explore(codes, target) {
    var here = focused();
    if (!here) throw new Error("nothing has focus");
    var edges = {};
    edges[here] = {};
    while (here !== target) {
      var path = bfs(edges, here);
      if (!path) break;
      for (var i = 0; i < path.length - 1; i++) { press(codes[path[i]]); here = edges[here][path[i]]; }
      var step = path[path.length - 1];
      press(codes[step]);
      var went = focused();
      if (!went) throw new Error("no focus after " + step + " from " + here);
      edges[here][step] = went;
      if (!edges[went]) edges[went] = {};
      here = went;
    }
    if (target && here !== target) {
      var way = bfs(edges, here, target);
      if (way) way.forEach(function (d) { press(codes[d]); });
    }
    return edges;
  }
"""
EXPLORE = "([codes, target]) => {" + KEYS_JS + "return explore(codes, target); }"
# A whole walk in the page: the screen on show and every screen it opens, each focusable element
# reached with the arrows alone, each element that opens a screen pressed with OK (one per screen
# it opens), that screen walked, then back, with the focus where it was. The screens walked, and
# what went wrong.
WALK = (
    "async (codes) => {"
    + KEYS_JS
    + """
  var walked = {}, wrong = [];
  function screen() { return document.getElementById("screen").getAttribute("data-screen"); }
  function navs(list) { return list.map(function (e) { return e.dataset.nav; }); }
  async function ready(name) {
    for (var i = 0; i < 750; i++) {
      var s = document.getElementById("screen");
      if (s.getAttribute("data-screen") === name && s.hasAttribute("data-ready")) return;
      await new Promise(function (r) { setTimeout(r, 20); });
    }
    throw new Error("the screen " + name + " never showed (on " + screen() + ")");
  }
  async function walk() {
    var name = screen();
    walked[name] = true;
    var edges = explore(codes);
    var missing = navs(TV.nav.focusables()).filter(function (n) { return !(n in edges); });
    if (missing.length) wrong.push("on " + name + ", the arrows never reach " + missing.join(", "));
    var opens = TV.nav.focusables().filter(function (e) { return e.dataset.opens; });
    var done = {};
    for (var i = 0; i < opens.length; i++) {
      var nav = opens[i].dataset.nav, target = opens[i].dataset.opens;
      if (done[target] || walked[target]) continue;
      done[target] = true;
      explore(codes, nav);
      if (focused() !== nav) { wrong.push("on " + name + ", " + nav + " cannot be reached"); continue; }
      press(codes.ok);
      await ready(target);
      await walk();
      press(codes.back);
      await ready(name);
      if (focused() !== nav) wrong.push("back from " + target + " left the focus on " + focused() + ", not " + nav);
    }
  }
  await walk();
  return { walked: Object.keys(walked), wrong: wrong };
}"""
)


class Remote:
    """A remote control pressing keys on the TV's page: one middleware's key table, its OK, back and
    number codes sent as real input (the DevTools protocol's key events, so the page sees the code
    the middleware sends) and its arrows dispatched in the page (EXPLORE), or without a table a PC
    keyboard's arrows, Enter and Backspace."""

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
        `target` has focus, then go there): the map of where each arrow leads from each element."""
        arrows = self.table or ARROWS
        return self.page.evaluate(EXPLORE, [{d: arrows[d] for d in ("up", "down", "left", "right")}, target])

    def go_to(self, nav: str) -> None:
        """Bring the focus to the element named `nav`, with the arrows alone."""
        if self.focused() == nav:
            return
        edges = self.explore(target=nav)
        assert self.focused() == nav, f"{nav} cannot be reached with the arrows (reached {sorted(edges)})"


def accessible(page, where: str) -> None:
    """axe-core on the page as it shows: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found]
    bad = [b for b, v in zip(bad, found, strict=True) if v["impact"] in ("serious", "critical")]
    assert not bad, f"{where}: {bad}"


def wait_screen(page, name: str, timeout: float = 15000) -> None:
    page.wait_for_selector(f"#screen[data-screen='{name}'][data-ready]", state="attached", timeout=timeout)


def screen_name(page) -> str:
    return page.get_attribute("#screen", "data-screen")


def walk(remote: Remote) -> set[str]:
    """The walk (WALK) from the screen on show with the remote's key table: the screens walked."""
    got = remote.page.evaluate(WALK, remote.table)
    assert not got["wrong"], f"{remote.table}: {got['wrong']}"
    return set(got["walked"])


# --- the key walks ---


def text_of(tv) -> str:
    return tv.inner_text("#screen")


def open_alarms(tv) -> list[dict]:
    return httpx.get(
        tv.url.split("/tv/")[0] + "/v1/eldercare/alarms",
        params={"open_only": "true"},
        headers=bearer(tv_token(tv)),
        timeout=10,
    ).json()["alarms"]


@pytest.fixture(scope="module")
def department(tv_platform):
    """The egov service's DepartmentService, as the civil-affairs department's own system calls it."""
    port = registry.load().service("egov").local_port(tv_platform.port_base)
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield egov_pb2_grpc.DepartmentServiceStub(channel)


def approved_application(gw, p, token: str, department) -> str:
    """A relief application the household filed and the civil-affairs department approved."""
    guide = gw.get(f"/v1/egov/items/{RELIEF}", headers=bearer(token)).json()
    r = gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=bearer(token, key=True))
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    for m in guide["guide"]["materials"]:
        if m.get("required"):
            r = gw.put(
                f"/v1/egov/applications/{app_id}/materials/{m['code']}",
                params={"file_name": f"{m['code']}.pdf"},
                content=PDF,
                headers={**bearer(token), "Content-Type": "application/pdf"},
            )
            assert r.status_code == 200, r.text
    assert gw.post(f"/v1/egov/applications/{app_id}/submit", headers=bearer(token)).status_code == 200
    r = gw.post("/v1/identity/token", data={"grant_type": "client_credentials", **p.seed.departments["civil_affairs"]})
    civil = [("authorization", f"Bearer {r.json()['access_token']}")]
    department.AcceptApplication(egov_pb.DecisionRequest(id=app_id), metadata=civil)
    department.ApproveApplication(egov_pb.DecisionRequest(id=app_id, reason="核准临时救助金2000元"), metadata=civil)
    return app_id


@pytest.fixture(scope="module")
def walked_tv(browser, tv_platform, gw, shots, department):
    """The second household's TV, signed in, with an elder (so eldercare's tile and red key), an SOS
    alarm open, a repair resolved and waiting for its rating, the messages it was pushed, and a
    relief application approved and waiting for its rating."""
    p = tv_platform
    household = p.households_of("tv")[1]
    # All made from the household's other device first (the home is cached per household).
    token = sign_in_tv(gw, household, f"STB-{uuid.uuid4().hex[:8]}")
    r = gw.post(
        "/v1/servicedesk/requests",
        json={"service_type": "fault_repair_general", "description": "没有声音"},
        headers=bearer(token, key=True),
    )
    assert r.status_code == 201, r.text
    resolve(gw, p, r.json()["id"], "tech2.jb", 30)
    r = gw.post("/v1/eldercare/elders", json={"name": "沈阿婆", "birth_year": 1941}, headers=bearer(token))
    assert r.status_code == 201, r.text
    assert gw.post("/v1/eldercare/sos", json={}, headers=bearer(token)).status_code == 201
    approved_application(gw, p, token, department)
    tv = sign_in_on_tv(browser, p, household, shots, "walk")
    deadline = time.monotonic() + 30  # (the messages screen reads them itself: the home may be cached)
    while not gw.get("/v1/notifications/messages", headers=bearer(token)).json()["messages"]:
        assert time.monotonic() < deadline, "no push message reached the household"
        time.sleep(0.5)
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
    "egov",
    "egov.items",
    "egov.item",
    "egov.application",
    "egov.rate",
    "eldercare",
    "eldercare.sos",
    "more",
    "devices",
    "device",
    # legal's screens that need nothing of the household's own (its questions, content and activities
    # are walked in e2e/test_legal.py)
    "legal",
    "legal.ask",
    "legal.ask_topic",
    "legal.ask_confirm",
    "legal.call_back",
    "legal.questions",
    "legal.quizzes",
    "legal.quiz",
    "legal.activities",
}


@pytest.mark.parametrize("table", TABLES)
def test_every_screen_is_walked_with_one_key_tables_arrows_ok_and_back_alone(walked_tv, shots, table):
    tv = walked_tv
    assert sorted(tv.evaluate("() => Object.keys(TV.KEY_TABLES)")) == sorted(TABLES), "a key table without its walk"
    remote = Remote(tv, tv.evaluate("t => TV.KEY_TABLES[t]", table))
    assert screen_name(tv) == "home"
    walked = walk(remote)
    assert walked >= SCREENS, f"never reached {sorted(SCREENS - walked)}"
    assert screen_name(tv) == "home"
    tv.screenshot(path=str(shots / f"walk-{table}.png"))
    if table == "arrows":  # (one key table's walk is enough for the page's accessibility)
        accessible(tv, "home")

    # Where the household has an elder, the red key opens the SOS and OK calls: an SOS alarm from
    # this TV (the phone's SOS is another device's alarm).
    if "red" in remote.table:
        before = {a["id"] for a in open_alarms(tv) if a["type"] == "sos"}
        remote.press("red")
        wait_screen(tv, "eldercare.sos")
        assert remote.focused() == "sos:call"
        remote.press("ok")
        tv.wait_for_selector(".result[data-status='201']", timeout=10000)
        assert "已呼救" in text_of(tv)
        [new] = [a for a in open_alarms(tv) if a["type"] == "sos" and a["id"] not in before]
        assert new["state"] == "raised"
        remote.press("back")
        wait_screen(tv, "home")

    # Number keys are quick jumps: 1 opens the first tile's screen. (This household has an elder,
    # so its TV is in simple mode: the first tile is the server's first simple tile, and the last
    # one, 更多服务, opens the rest.)
    assert tv.evaluate("() => TV.simple"), "a household with an elder starts in simple mode"
    first, more = tv.evaluate("() => [TV.homeTiles[0].screen, TV.homeTiles.length + 1]")
    remote.code(48 + 1)
    wait_screen(tv, first)
    remote.press("back")
    wait_screen(tv, "home")
    if "exit" in remote.table:  # iPanel's exit goes straight home, from two screens down
        remote.code(48 + more)
        wait_screen(tv, "more")
        remote.code(48 + 1)
        wait_screen(tv, tv.evaluate("() => TV.moreTiles[0].screen"))
        remote.press("exit")
        wait_screen(tv, "home")


def test_an_application_rated_a_guide_read_and_an_elders_alarm_answered_with_the_remote(walked_tv, gw):
    """(After the walks, which need it unrated.) With arrows, Enter and Backspace: a decided
    application's state and decision, its 好差评 once; an item's guide; the elder and their open
    alarms, one answered."""
    tv = walked_tv
    keys = Remote(tv)
    token = tv_token(tv)
    [app] = gw.get("/v1/egov/applications", headers=bearer(token)).json()["applications"]
    keys.go_to("tile:egov")
    keys.press("ok")
    wait_screen(tv, "egov")
    assert "临时救助" in text_of(tv) and "已办结：准予办理" in text_of(tv)
    keys.go_to(f"app:{app['id']}")
    keys.press("ok")
    wait_screen(tv, "egov.application")
    assert "核准临时救助金2000元" in text_of(tv) and "承诺时限" in text_of(tv)
    keys.go_to("application:rate")
    keys.press("ok")
    wait_screen(tv, "egov.rate")
    keys.go_to("egrate:satisfied")
    keys.press("ok")
    wait_screen(tv, "egov.application")
    assert "您的评价：满意" in text_of(tv)
    assert "application:rate" not in keys.reachable(), "rated once"
    got = gw.get(f"/v1/egov/applications/{app['id']}", headers=bearer(token)).json()
    assert got["rating"]["level"] == "satisfied"
    keys.press("back")
    wait_screen(tv, "egov")
    keys.go_to("eg:items")
    keys.press("ok")
    wait_screen(tv, "egov.items")
    keys.go_to(f"item:{RELIEF}")
    keys.press("ok")
    wait_screen(tv, "egov.item")
    guide = text_of(tv)
    assert "嘉兴市秀洲区民政局" in guide and "承诺 10 个工作日内办结" in guide and "需要准备的材料" in guide
    accessible(tv, "egov.item")
    keys.press("back")
    wait_screen(tv, "egov.items")
    keys.press("back")
    wait_screen(tv, "egov")
    keys.press("back")
    wait_screen(tv, "home")

    # Eldercare's screen: the elder and the open SOS alarms, answered with OK.
    keys.go_to("tile:eldercare")
    keys.press("ok")
    wait_screen(tv, "eldercare")
    assert "沈阿婆（1941 年生）" in text_of(tv) and "未处理的告警" in text_of(tv)
    accessible(tv, "eldercare")
    [alarm, *_] = [a for a in open_alarms(tv) if a["state"] == "raised"]
    keys.go_to(f"alarm:{alarm['id']}")
    keys.press("ok")
    tv.wait_for_function(
        "id => !document.querySelector('[data-nav=\"alarm:' + id + '\"]') && "
        "document.querySelector('#screen[data-ready]')",
        arg=alarm["id"],
    )
    assert alarm["id"] not in [a["id"] for a in open_alarms(tv) if a["state"] == "raised"], "acknowledged"
    keys.press("back")
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
    accessible(tv, "the alert taking over")
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
    # The emergency manager's live page lists the alerts in force: no id to type in.
    page = browser.new_page()
    try:
        page.goto(p.base_url + "/alerts/live")
        page.wait_for_selector(f"#in-force button[data-alert='{alert['id']}']", timeout=10000)
        assert "嘉北街道 洪水橙色预警" in page.inner_text(f"#in-force button[data-alert='{alert['id']}']")
        page.fill("#username", p.seed.alert_staff["approver"]["username"])
        page.fill("#password", p.seed.alert_staff["approver"]["password"])
        page.click("button[type=submit]")
        page.click(f"#in-force button[data-alert='{alert['id']}']")
        page.wait_for_selector(f"tr[data-area='{household['area_code']}']", timeout=10000)
        assert int(page.locator(f"tr[data-area='{household['area_code']}'] td").all_text_contents()[5]) >= 1
        accessible(page, "the alerts' live page")
    finally:
        page.close()
    r = gw.post(f"/v1/alerts/{alert['id']}/cancel", json={"reason": "水位回落"}, headers=dept(gw, p))
    assert r.status_code == 200, r.text

    # Simple mode, switched with the keys and kept by the server for the household.
    keys.go_to("home:simple")
    keys.press("ok")
    tv.wait_for_selector(
        "body.simple[data-simple-saved='on'] #screen[data-screen='home'][data-ready]", state="attached"
    )
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
    accessible(tv, "home in simple mode")
    # Fewer tiles: the server's few, then one tile for the rest, which opens them all, as big.
    home = gw.get("/v1/home", headers=bearer(token)).json()
    few, rest = home["simple_tiles"], [t["service"] for t in home["tiles"] if t["service"] not in home["simple_tiles"]]
    assert few and rest, home
    tiles = [n for n in keys.reachable() if n.startswith("tile:")]
    assert tiles == [f"tile:{s}" for s in few] + ["tile:more"], tiles
    keys.go_to("tile:more")
    keys.press("ok")
    wait_screen(tv, "more")
    assert [n for n in keys.reachable() if n.startswith("tile:")] == [f"tile:{s}" for s in rest]
    assert "更多服务" in tv.inner_text("#app")
    accessible(tv, "simple mode's other services")
    keys.press("back")
    wait_screen(tv, "home")
    assert keys.focused() == "tile:more", "back comes back to where it was"

    # Signing out forgets the token: the TV shows a new sign-in code.
    keys.go_to("home:signout")
    keys.press("ok")
    wait_screen(tv, "signin")
    assert tv_token(tv) is None
    tv.context.close()


def test_a_tv_whose_token_expires_refreshes_it_and_one_refused_signs_in_again(walked_tv):
    """(The walks' TV, last.)"""
    tv = walked_tv
    before = tv_token(tv)
    assert tv.evaluate("() => localStorage.getItem('sbc.tv.refresh_token')")
    assert tv.evaluate("() => localStorage.getItem('sbc.tv.device_secret')")
    # Its token about to expire: the TV trades its refresh token for a new one and stays signed in.
    tv.evaluate("() => localStorage.setItem('sbc.tv.token_until', String(Date.now() + 1000))")
    tv.wait_for_function(f"() => localStorage.getItem('sbc.tv.token') !== {before!r}", timeout=15000)
    assert tv_token(tv) and screen_name(tv) != "signin"
    # A token the gateway refuses (revoked, or signed by a key gone) and a refresh token identity
    # refuses: the next call signs in again.
    tv.evaluate(
        "() => { localStorage.setItem('sbc.tv.token', 'not-a-token'); "
        "localStorage.setItem('sbc.tv.refresh_token', 'not-a-refresh-token'); "
        "localStorage.setItem('sbc.tv.token_until', String(Date.now() + 3600000)); }"
    )
    tv.reload()
    wait_screen(tv, "signin", timeout=15000)
    assert tv_token(tv) is None


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
