"""Emergency broadcast through the gateway, every part a separate process:
a department's CAP alert and an issuer's approved drill reach the set-top
boxes of the targeted areas over SSE (and a box that connects later), the
terminals' receipts show in the live status and on the emergency manager's
page (headless Chromium), a cancel withdraws the alert, and bad input is
refused with a clear error that changes nothing."""

from __future__ import annotations

import json
import pathlib
import time

import httpx
import pytest

from e2e.platform import Platform, SseListener, sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

SAMPLES = pathlib.Path(__file__).resolve().parents[1] / "services" / "alerts" / "tests" / "samples"
# This module's TVs, loudspeakers and devices are the only ones of the suite's platform in
# Youchegang (330411102) and Xincheng town (330411103): every terminal an alert targets is this
# module's. The samples (a flood in Wangjiangjing, a rainstorm in Honghe) are moved there.
FLOOD = (
    (SAMPLES / "cap_flood.xml")
    .read_text(encoding="utf-8")
    .replace("330411101", "330411102")
    .replace("Wangjiangjing", "Youchegang")
    .replace("王江泾镇", "油车港镇")
)
RAINSTORM = (
    (SAMPLES / "national_rainstorm.xml")
    .read_text(encoding="utf-8")
    .replace("330411105", "330411103")
    .replace("洪合镇", "新塍镇")
)


@pytest.fixture(scope="module")
def alerts_platform(platform):
    """The suite's platform (its seed has alert staff and departments; terminals without a receipt
    get an alert again after 3 s)."""
    return platform


@pytest.fixture
def gw(alerts_platform):
    with httpx.Client(base_url=alerts_platform.base_url, timeout=30) as c:
        yield c


def dept_token(c: httpx.Client, p: Platform, which: str) -> dict:
    d = p.seed.departments[which]
    r = c.post("/v1/identity/token", data={"grant_type": "client_credentials", **d})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def staff_token(c: httpx.Client, p: Platform, who: str) -> dict:
    s = p.seed.alert_staff[who]
    r = c.post(
        "/v1/identity/token", data={"grant_type": "password", "username": s["username"], "password": s["password"]}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def tv(c: httpx.Client, p: Platform, index: int, name: str) -> tuple[str, SseListener]:
    token = sign_in_tv(c, p.households_of("alerts")[index], serial=f"STB-{p.run_id}-{name}")
    return token, SseListener(p.base_url, token).start()


def alerts_of(stream: SseListener, alert_id: str, kind: str, timeout: float = 20, attempt: int = 1) -> list[dict]:
    return stream.wait_for(
        lambda e: (
            e["event"] == "alert"
            and e["data"]["alert_id"] == alert_id
            and e["data"]["kind"] == kind
            and e["data"].get("attempt", 1) == attempt
        ),
        timeout=timeout,
    )


def test_a_department_alert_reaches_the_targeted_tvs_with_receipts_and_a_cancel(alerts_platform, gw, browser):
    p = alerts_platform
    # households[0] lives in 330411102001 (Youchegang), households[1] in 330411103001 (Xincheng).
    ycg_token, ycg = tv(gw, p, 0, "ycg")
    _, xincheng = tv(gw, p, 1, "xincheng")
    # A box signed in but switched off: registered with its household's area (identity's
    # DeviceRegistered, through the relay and Kafka), so targeted, though never delivered.
    sign_in_tv(gw, p.households_of("alerts")[2], serial=f"STB-{p.run_id}-off")  # households[2] is in Youchegang too
    xml = FLOOD.replace("33041141600000_20260701120000", f"e2e-{p.run_id}")
    r = gw.post(
        "/v1/alerts/cap",
        content=xml.encode(),
        headers={**dept_token(gw, p, "trusted"), "Content-Type": "application/cap+xml"},
    )
    assert r.status_code == 201, r.text
    alert = r.json()
    assert alert["state"] == "issued" and alert["area_codes"] == ["330411102"]

    [got] = alerts_of(ycg, alert["id"], "alert")
    assert got["data"]["texts"][0]["headline"] == "油车港镇 洪水橙色预警" and got["data"]["drill"] is False
    assert got["data"]["severity"] == "Severe" and got["data"]["level"] == 2
    tv_auth = {"Authorization": f"Bearer {ycg_token}"}
    for kind in ("delivered", "displayed"):
        rr = gw.post(f"/v1/alerts/{alert['id']}/receipts", json={"kind": kind}, headers=tv_auth)
        assert rr.status_code == 204, rr.text

    manager = staff_token(gw, p, "approver")
    deadline = time.monotonic() + 20
    while True:  # the switched-off box is registered asynchronously (before or after the alert)
        status = gw.get(f"/v1/alerts/{alert['id']}/status", headers=manager).json()
        row = {(x["channel"], x["area_code"]): x for x in status["rows"]}[("set_top_box", "330411102001")]
        if row["targeted"] == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert (row["targeted"], row["delivered"], row["displayed"]) == (2, 1, 1)
    assert all(x["area_code"].startswith("330411102") for x in status["rows"]), "Xincheng was not targeted"

    # The emergency manager's live page, in a real browser.
    page = browser.new_page()
    try:
        page.goto(f"{p.base_url}/alerts/live?alert={alert['id']}")
        page.fill("#username", p.seed.alert_staff["approver"]["username"])
        page.fill("#password", p.seed.alert_staff["approver"]["password"])
        page.click("button[type=submit]")
        page.wait_for_selector("#status:not([hidden])", timeout=10_000)
        cells = page.locator("tr[data-area='330411102001'] td").all_text_contents()
        assert cells[:4] == ["set_top_box", "330411102001", "2", "1"]
        assert "油车港镇 洪水橙色预警" in page.text_content("#alert")
        # Live: an acknowledgement shows without reloading.
        gw.post(f"/v1/alerts/{alert['id']}/receipts", json={"kind": "acknowledged"}, headers=tv_auth)
        page.wait_for_function("document.getElementById('t-acknowledged').textContent === '1'", timeout=10_000)
    finally:
        page.close()

    # Outbound CAP and the Atom feed, for other systems.
    doc = gw.get(f"/v1/alerts/{alert['id']}/cap.xml")
    assert doc.status_code == 200 and doc.headers["content-type"].startswith("application/cap+xml")
    from alerts import cap

    cap.schema().validate(doc.text)
    assert f"/v1/alerts/{alert['id']}/cap.xml" in gw.get("/v1/alerts/feed.atom").text

    # The issuer cancels it; the TV is told to take it down.
    r = gw.post(f"/v1/alerts/{alert['id']}/cancel", json={"reason": "水位回落"}, headers=staff_token(gw, p, "issuer"))
    assert r.status_code == 200 and r.json()["state"] == "cancelled", r.text
    assert alerts_of(ycg, alert["id"], "cancel")
    assert f"/v1/alerts/{alert['id']}/cap.xml" not in gw.get("/v1/alerts/feed.atom").text
    time.sleep(0.5)
    assert not [e for e in xincheng.events if e["event"] == "alert"], "Xincheng's TV got nothing"
    ycg.stop()
    xincheng.stop()


def test_an_authored_drill_needs_a_second_person_and_reaches_late_tvs_on_connect(alerts_platform, gw):
    p = alerts_platform
    _, xincheng = tv(gw, p, 1, "xincheng-2")
    issuer = staff_token(gw, p, "issuer")
    r = gw.post(
        "/v1/alerts",
        json={
            "headline": "应急演练：台风",
            "description": "这是一次演练",
            "level": 2,
            "event_type": "台风",
            "area_codes": ["330411103"],
            "status": "Exercise",
        },
        headers=issuer,
    )
    assert r.status_code == 201, r.text
    d = r.json()
    assert gw.post(f"/v1/alerts/{d['id']}/submit", json={}, headers=issuer).status_code == 200
    own = gw.post(f"/v1/alerts/{d['id']}/approve", json={}, headers=issuer)
    assert own.status_code == 403 and own.headers["content-type"] == "application/problem+json"
    assert not alerts_of(xincheng, d["id"], "alert", timeout=1)
    ok = gw.post(f"/v1/alerts/{d['id']}/approve", json={"reason": "ok"}, headers=staff_token(gw, p, "approver"))
    assert ok.status_code == 200 and ok.json()["state"] == "issued"
    [got] = alerts_of(xincheng, d["id"], "alert")
    assert got["data"]["drill"] is True and got["data"]["status"] == "Exercise"
    # A TV of the same area that switches on later gets it on connect.
    _, late = tv(gw, p, 3, "xincheng-late")  # households[3] is in 330411103001 too
    assert alerts_of(late, d["id"], "alert", timeout=10)
    trail = gw.get(f"/v1/alerts/{d['id']}/audit", headers=issuer).json()["entries"]
    assert [e["action"] for e in trail] == ["drafted", "submitted", "approved", "issued"]
    xincheng.stop()
    late.stop()


def test_bad_cap_input_through_the_gateway_is_refused_and_changes_nothing(alerts_platform, gw):
    p = alerts_platform
    dept = {**dept_token(gw, p, "untrusted"), "Content-Type": "application/cap+xml"}
    feed_before = gw.get("/v1/alerts/feed.atom").text
    cases = [
        ({"Content-Type": "application/cap+xml"}, FLOOD, 401),
        ({**dept, "Authorization": "Bearer forged"}, FLOOD, 401),
        ({**dept, "Content-Type": "text/plain"}, FLOOD, 415),
        (dept, FLOOD.replace("<status>Actual</status>", "<status>Real</status>"), 400),
        (dept, '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>', 400),
        (dept, '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aa"><!ENTITY b "&a;&a;&a;&a;">]><alert>&b;</alert>', 400),
        # Real CAP embeds audio and images: this route takes 8 MiB (ALERTS_CAP_MAX_BYTES), not more.
        (dept, FLOOD.replace("运河水位上涨。", "水" * 3 * 1024 * 1024), 413),
        (
            dept,  # as the water bureau's own sender (data/cap_senders.json), so that only the area is wrong
            RAINSTORM.replace("<value>330411103</value>", "<value>330411999</value>").replace(
                "<senderCode>33041141600000</senderCode>", "<senderCode>xiuzhou.water@330411</senderCode>"
            ),
            400,
        ),
        (dept, RAINSTORM, 403),  # the meteorological office's sender
        (dept, "<alert", 400),
    ]
    for headers, body, status in cases:
        r = gw.post("/v1/alerts/cap", content=body.encode(), headers=headers)
        assert r.status_code == status, (status, r.status_code, r.text[:300])
        assert r.headers["content-type"] == "application/problem+json"
        assert "root:" not in r.text
    # A TV's token cannot submit alerts.
    tv_token = sign_in_tv(gw, p.households_of("alerts")[0], serial=f"STB-{p.run_id}-bad")
    r = gw.post(
        "/v1/alerts/cap",
        content=FLOOD.encode(),
        headers={"Authorization": f"Bearer {tv_token}", "Content-Type": "application/cap+xml"},
    )
    assert r.status_code == 403
    r = gw.post("/v1/alerts/no-such-id/approve", json={}, headers=staff_token(gw, p, "approver"))
    assert r.status_code == 404
    r = gw.post(
        "/v1/alerts/no-such-id/receipts",
        json={"kind": "delivered"},
        headers={"Authorization": f"Bearer {tv_token}"},
    )
    assert r.status_code == 404
    assert gw.get("/v1/alerts/feed.atom").text.count("<entry") == feed_before.count("<entry")


def test_every_channel_gets_the_alert_and_returns_receipts(alerts_platform, gw):
    """Set-top box (SSE), village loudspeaker controller (EBD over HTTP) and a home IoT
    speaker (MQTT), all in Xincheng, all through the platform's own worker processes."""
    import threading
    import uuid

    from eldercare.tests.broker_support import device_connection

    from alerts import channels, store
    from alerts.tests.test_channels import ACCOUNTS, Controller

    p = alerts_platform
    settings = store.load_channels()
    issuer = staff_token(gw, p, "issuer")
    controller = Controller()
    ls_id, iot_id = f"LS-{p.run_id}", f"iot-{p.run_id}"
    for body in (
        {
            "channel": "loudspeaker",
            "terminal_id": ls_id,
            "area_code": "330411103001",
            "endpoint": controller.url.replace("/ebd", f"/ebd/{ls_id}"),
        },
        {"channel": "iot", "terminal_id": iot_id, "area_code": "330411103002"},
    ):
        r = gw.post("/v1/alerts/terminals", json=body, headers=issuer)
        assert r.status_code == 201, r.text
    subscribed, got = threading.Event(), []

    def on_connect(client, *_):
        for topic in channels.subscribe_topics("330411103002", settings["mqtt_alert_topic"]):
            client.subscribe(topic, qos=1)
        subscribed.set()

    def on_message(client, userdata, msg):
        alert = json.loads(msg.payload)
        got.append(alert)
        client.publish(
            settings["mqtt_receipt_topic"].format(device=iot_id),
            json.dumps({"alert_id": alert["alert_id"], "kind": "displayed"}),
            qos=1,
        )

    # The speaker's own broker account (as eldercare's provisioning makes it), over TLS.
    ACCOUNTS.open(iot_id, f"secret-{iot_id}", "330411103002")
    account = device_connection(iot_id, f"secret-{iot_id}")
    speaker = account.client(iot_id)
    speaker.on_connect, speaker.on_message = on_connect, on_message
    speaker.connect(account.host, account.port)
    speaker.loop_start()
    tv_token, box = tv(gw, p, 1, "xincheng-3")
    alert_id = ""
    try:
        assert subscribed.wait(10)
        xml = RAINSTORM.replace("33041141600000_20260701130000", f"e2e-all-{uuid.uuid4().hex[:8]}")
        r = gw.post(
            "/v1/alerts/cap",
            content=xml.encode(),
            headers={**dept_token(gw, p, "trusted"), "Content-Type": "application/cap+xml"},
        )
        assert r.status_code == 201, r.text
        alert_id = r.json()["id"]
        assert alerts_of(box, alert_id, "alert")
        gw.post(
            f"/v1/alerts/{alert_id}/receipts",
            json={"kind": "displayed"},
            headers={"Authorization": f"Bearer {tv_token}"},
        )
        manager = staff_token(gw, p, "approver")
        deadline, by_channel = time.monotonic() + 30, {}
        while time.monotonic() < deadline:
            rows = gw.get(f"/v1/alerts/{alert_id}/status", headers=manager).json()["rows"]
            by_channel = {x["channel"]: x for x in rows}
            if all(by_channel.get(c, {}).get("displayed") == 1 for c in ("set_top_box", "loudspeaker", "iot")):
                break
            time.sleep(0.3)
        # Every Xincheng TV signed in during this module is targeted; this one displayed it.
        assert {c: (x["area_code"], x.get("targeted", 0) >= 1, x.get("displayed")) for c, x in by_channel.items()} == {
            "set_top_box": ("330411103001", True, 1),
            "loudspeaker": ("330411103001", True, 1),
            "iot": ("330411103002", True, 1),
        }
        assert controller.problems == []
        assert [m["headline"] for m in got if m["alert_id"] == alert_id] == ["秀洲区气象台发布暴雨黄色预警"]
    finally:
        if alert_id:  # the drill is over: it must not cover the town's terminals in the modules after this one
            gw.post(f"/v1/alerts/{alert_id}/cancel", json={"reason": "演练结束"}, headers=staff_token(gw, p, "issuer"))
        box.stop()
        speaker.loop_stop()
        speaker.disconnect()
        ACCOUNTS.close(iot_id)
        controller.close()


def test_bad_authoring_and_receipt_input_through_the_gateway(alerts_platform, gw):
    p = alerts_platform
    issuer = staff_token(gw, p, "issuer")
    good = {"headline": "测试", "level": 3, "area_codes": ["330411102"]}
    cases = [
        (gw.post("/v1/alerts", content=b"{not json", headers={**issuer, "Content-Type": "application/json"}), 400),
        (gw.post("/v1/alerts", json={"level": 3}, headers=issuer), 422),
        (gw.post("/v1/alerts", json={**good, "colour": "red"}, headers=issuer), 422),
        (gw.post("/v1/alerts", json={**good, "headline": "x" * 201}, headers=issuer), 422),
        (gw.post("/v1/alerts", json={**good, "area_codes": ["330411999"]}, headers=issuer), 400),
        (gw.post("/v1/alerts", json={**good, "description": "长" * 30000}, headers=issuer), 413),
        (gw.post("/v1/alerts", content=b"headline=x", headers={**issuer, "Content-Type": "text/plain"}), 415),
        (gw.post("/v1/alerts", json=good), 401),
        (gw.post("/v1/alerts", json=good, headers=dept_token(gw, p, "trusted")), 403),
        (gw.post("/v1/alerts/x/explode", json={}, headers=issuer), 404),
        (
            gw.post(
                "/v1/alerts/terminals",
                json={"channel": "fax", "terminal_id": "x", "area_code": "330411103001"},
                headers=issuer,
            ),
            400,
        ),
        (
            gw.post("/v1/alerts/terminals", json={"channel": "iot", "terminal_id": "x", "area_code": "330411103001"}),
            401,
        ),
        (gw.get("/v1/alerts/no-such-alert/status", headers=issuer), 404),
    ]
    for r, status in cases:
        assert r.status_code == status, (status, r.status_code, r.text[:300])
        assert r.headers["content-type"] == "application/problem+json"
    tv_token = sign_in_tv(gw, p.households_of("alerts")[0], serial=f"STB-{p.run_id}-bad-2")
    r = gw.post("/v1/alerts/x/receipts", json={"kind": "seen"}, headers={"Authorization": f"Bearer {tv_token}"})
    assert r.status_code == 400
    d = gw.post("/v1/alerts", json=good, headers=issuer).json()
    r = gw.post(f"/v1/alerts/{d['id']}/approve", json={}, headers=staff_token(gw, p, "approver"))
    assert r.status_code == 409, "a draft not yet submitted cannot be approved"
    assert gw.get(f"/v1/alerts/{d['id']}", headers=issuer).json()["state"] == "draft"


def test_a_tv_that_sent_no_receipt_gets_the_alert_again_and_the_others_do_not(alerts_platform, gw):
    import uuid

    p = alerts_platform
    silent_token, silent = tv(gw, p, 0, "silent")
    prompt_token, prompt = tv(gw, p, 2, "prompt")  # households[2] is in Youchegang too
    xml = FLOOD.replace("33041141600000_20260701120000", f"e2e-again-{uuid.uuid4().hex[:8]}")
    r = gw.post(
        "/v1/alerts/cap",
        content=xml.encode(),
        headers={**dept_token(gw, p, "trusted"), "Content-Type": "application/cap+xml"},
    )
    assert r.status_code == 201, r.text
    alert_id = r.json()["id"]
    assert alerts_of(prompt, alert_id, "alert")
    r = gw.post(
        f"/v1/alerts/{alert_id}/receipts",
        json={"kind": "delivered"},
        headers={"Authorization": f"Bearer {prompt_token}"},
    )
    assert r.status_code == 204
    assert alerts_of(silent, alert_id, "alert")
    again = alerts_of(silent, alert_id, "alert", timeout=20, attempt=2)
    assert again, "no receipt after 3 s: sent again"
    gw.post(
        f"/v1/alerts/{alert_id}/receipts",
        json={"kind": "displayed"},
        headers={"Authorization": f"Bearer {silent_token}"},
    )
    time.sleep(1)
    assert not [
        e
        for e in prompt.events
        if e["event"] == "alert" and e["data"]["alert_id"] == alert_id and e["data"].get("attempt", 1) > 1
    ], "the terminal that answered is not sent it again"
    silent.stop()
    prompt.stop()


def test_receipts_sent_at_the_same_moment_are_recorded_together_and_each_gets_its_own_answer(alerts_platform, gw):
    import random
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    p = alerts_platform
    # households[0] and [2] are in Youchegang, which the flood alert targets; [1] is in Xincheng.
    boxes = [tv(gw, p, (0, 2)[i % 2], f"together-{i}") for i in range(24)]
    outsider_token, outsider = tv(gw, p, 1, "together-outsider")
    xml = FLOOD.replace("33041141600000_20260701120000", f"e2e-together-{uuid.uuid4().hex[:8]}")
    r = gw.post(
        "/v1/alerts/cap",
        content=xml.encode(),
        headers={**dept_token(gw, p, "trusted"), "Content-Type": "application/cap+xml"},
    )
    assert r.status_code == 201, r.text
    alert_id = r.json()["id"]
    for _, stream in boxes:
        assert alerts_of(stream, alert_id, "alert")

    # Every box answers at once, with a few wrong receipts mixed in: each gets its own answer.
    sends = [
        (token, alert_id, "acknowledged" if i % 3 == 0 else "delivered", 204) for i, (token, _) in enumerate(boxes)
    ]
    sends += [
        (outsider_token, alert_id, "delivered", 404),
        (boxes[0][0], alert_id, "seen", 400),
        (boxes[1][0], "no-such-alert", "delivered", 404),
    ]
    random.shuffle(sends)

    def send(s):
        token, alert, kind, _ = s
        return gw.post(
            f"/v1/alerts/{alert}/receipts", json={"kind": kind}, headers={"Authorization": f"Bearer {token}"}
        )

    with ThreadPoolExecutor(len(sends)) as pool:
        answers = list(pool.map(send, sends))
    assert [a.status_code for a in answers] == [s[3] for s in sends], [
        a.text[:200] for a in answers if a.status_code != 204
    ]
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers if a.status_code != 204)

    rows = gw.get(f"/v1/alerts/{alert_id}/status", headers=staff_token(gw, p, "approver")).json()["rows"]
    boxes_rows = [x for x in rows if x["channel"] == "set_top_box"]
    assert sum(x["delivered"] for x in boxes_rows) == 24 and sum(x["acknowledged"] for x in boxes_rows) == 8
    assert sum(x["targeted"] for x in boxes_rows) >= 24
    assert all(x["area_code"].startswith("330411102") for x in boxes_rows), "the outsider's receipt changed nothing"
    for _, stream in boxes:
        stream.stop()
    outsider.stop()
