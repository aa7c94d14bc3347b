"""The loudspeaker and home-IoT channels end to end inside the service: an
alert issued over gRPC goes through the outbox, the relay and real Kafka to
the channel workers; loudspeaker controllers are a real HTTP server that
checks the EBD it receives and replies with its receipt (after a failure, to
exercise the retries); IoT devices are real MQTT clients on the real
Mosquitto that publish their receipts back. Re-delivery to terminals without
a receipt is checked too."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from eldercare.broker import BrokerAccounts
from eldercare.tests.broker_support import admin_connection, device_connection, service_connection

from alerts import channels, events, store
from alerts.domain import Role
from alerts.tests.support import FLOOD, RAINSTORM, TRUSTED, device
from runtime.mqtt_broker import DynamicSecurity
from runtime.outbox import Relay
from runtime.testing import staff
from sbc.alerts.v1 import alerts_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
SETTINGS = {**store.load_channels(), "http_backoff_seconds": [0.05, 0.1, 0.2]}
TEMPLATE = SETTINGS["mqtt_alert_topic"]
# Devices' broker accounts, made as eldercare's provisioning makes them.
ACCOUNTS = BrokerAccounts(DynamicSecurity(admin_connection()), "sbc/eldercare")


class Controller:
    """A village loudspeaker controller: checks each EBD, fails the first try of `flaky` ones."""

    def __init__(self, flaky: set[str] = frozenset(), dead: set[str] = frozenset()):
        self.received: list[dict] = []
        self.tries: dict[str, int] = {}
        self.problems: list[str] = []
        me = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                terminal = self.path.rsplit("/", 1)[-1]
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                me.tries[terminal] = me.tries.get(terminal, 0) + 1
                if terminal in dead or (terminal in flaky and me.tries[terminal] == 1):
                    self.send_response(503)
                    self.end_headers()
                    return
                ebd = body.get("EBD", {})
                ebm = ebd.get("EBM", {})
                for path, value in [
                    ("DEST", ebd.get("DEST", {}).get("EBRID")),
                    ("EBMID", ebm.get("EBMID")),
                    ("MsgType", ebm.get("MsgBasicInfo", {}).get("MsgType")),
                    ("AreaCode", ebm.get("MsgContent", {}).get("AreaCode")),
                ]:
                    if not value:
                        me.problems.append(f"{terminal}: missing {path}")
                if ebd.get("DEST", {}).get("EBRID") != terminal:
                    me.problems.append(f"{terminal}: addressed to {ebd.get('DEST')}")
                me.received.append({"terminal": terminal, **body})
                reply = json.dumps({"EBDID": ebd.get("EBDID"), "result": "played"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/ebd"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def run(worker) -> threading.Thread:
    t = threading.Thread(target=worker.run_forever, daemon=True)
    t.start()
    return t


@pytest.fixture
def broadcast_topic(new_topic, monkeypatch):
    topic = new_topic(3)
    monkeypatch.setattr(events, "BROADCAST_TOPIC", topic)
    return topic


@pytest.fixture
def relay(svc, kafka_bootstrap, broadcast_topic):
    r = Relay(svc.db, kafka_bootstrap, idle_sleep=0.02)
    t = run(r)
    yield r
    r.stop()
    t.join(5)


async def wait_status(svc, alert_id: str, channel: str, predicate, timeout: float = 30):
    import asyncio

    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        st = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=alert_id), metadata=svc.md(TRUSTED))
        rows = [r for r in st.rows if r.channel == channel]
        if predicate(rows):
            return rows
        await asyncio.sleep(0.2)
    raise AssertionError(f"status never matched: {rows}")


async def register(svc, channel: str, terminal_id: str, area: str, endpoint: str = ""):
    await svc.stub.RegisterTerminal(
        pb.RegisterTerminalRequest(channel=channel, terminal_id=terminal_id, area_code=area, endpoint=endpoint),
        metadata=svc.md(staff(Role.TECHNICIAN)),
    )


async def test_loudspeakers_get_the_ebm_with_retries_and_their_replies_are_receipts(
    svc, relay, broadcast_topic, kafka_bootstrap
):
    controller = Controller(flaky={"LS-2"})
    await register(svc, "loudspeaker", "LS-1", "330411105001", controller.url.replace("/ebd", "/ebd/LS-1"))
    await register(svc, "loudspeaker", "LS-2", "330411105002", controller.url.replace("/ebd", "/ebd/LS-2"))
    await register(svc, "loudspeaker", "LS-WJJ", "330411101001", controller.url.replace("/ebd", "/ebd/LS-WJJ"))
    worker = channels.Loudspeakers(
        svc.db, kafka_bootstrap, SETTINGS, group=f"test-{uuid.uuid4().hex[:8]}", topic=broadcast_topic
    )
    thread = run(worker)
    try:
        a = await svc.submit(TRUSTED, RAINSTORM)
        rows = await wait_status(svc, a.id, "loudspeaker", lambda rows: sum(r.displayed for r in rows) == 2)
        assert {(r.area_code, r.targeted, r.delivered, r.displayed) for r in rows} == {
            ("330411105001", 1, 1, 1),
            ("330411105002", 1, 1, 1),
        }
        assert controller.problems == []
        assert controller.tries["LS-2"] == 2, "a failed try is retried"
        assert "LS-WJJ" not in controller.tries, "Wangjiangjing is not targeted"
        ebm = controller.received[0]["EBD"]["EBM"]
        assert ebm["EBMID"] == a.id and ebm["MsgBasicInfo"]["MsgType"] == 1 and ebm["MsgBasicInfo"]["Severity"] == 3
        assert ebm["MsgContent"]["MsgTitle"] == "秀洲区气象台发布暴雨黄色预警"
        # Withdrawn: each controller gets a cancel EBM (type 2).
        await svc.stub.CancelAlert(pb.AlertAction(alert_id=a.id), metadata=svc.md(staff(Role.ALERT_ISSUER)))
        deadline = time.monotonic() + 20
        while (
            time.monotonic() < deadline
            and len([r for r in controller.received if r["EBD"]["EBM"]["MsgBasicInfo"]["MsgType"] == 2]) < 2
        ):
            time.sleep(0.1)
        cancels = [r["terminal"] for r in controller.received if r["EBD"]["EBM"]["MsgBasicInfo"]["MsgType"] == 2]
        assert sorted(cancels) == ["LS-1", "LS-2"]
    finally:
        worker.stop()
        thread.join(10)
        controller.close()


async def test_a_controller_that_never_answers_gets_the_alert_again_later(svc, relay, broadcast_topic, kafka_bootstrap):
    controller = Controller(dead={"LS-DEAD"})
    await register(svc, "loudspeaker", "LS-DEAD", "330411105001", controller.url.replace("/ebd", "/ebd/LS-DEAD"))
    worker = channels.Loudspeakers(
        svc.db, kafka_bootstrap, SETTINGS, group=f"test-{uuid.uuid4().hex[:8]}", topic=broadcast_topic
    )
    thread = run(worker)
    try:
        a = await svc.submit(TRUSTED, RAINSTORM)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and controller.tries.get("LS-DEAD", 0) < 4:
            time.sleep(0.1)
        assert controller.tries["LS-DEAD"] == 4, "one try and three retries with backoff"
        time.sleep(0.3)
        assert svc.redeliver_due(0, 5) == 1
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and controller.tries.get("LS-DEAD", 0) < 8:
            time.sleep(0.1)
        assert controller.tries["LS-DEAD"] == 8, "re-delivered: another round of tries"
        rows = await wait_status(svc, a.id, "loudspeaker", lambda rows: bool(rows))
        assert (rows[0].targeted, rows[0].delivered) == (1, 0)
        assert svc.redeliver_due(0, 2) == 0, "at most max_attempts"
    finally:
        worker.stop()
        thread.join(10)
        controller.close()


class Speaker:
    """A home IoT device with its own broker account (as eldercare's provisioning makes it: the
    same role), connected over TLS, subscribed to its area's alert topics; it receipts what it gets."""

    def __init__(self, device_id: str, area: str, kind: str = "acknowledged"):
        self.id, self.got, self.kind = device_id, [], kind
        self.subscribed = threading.Event()
        self.granted: list = []
        ACCOUNTS.open(device_id, f"secret-{device_id}", area)
        self.client = device_connection(device_id, f"secret-{device_id}").client(device_id)
        self.client.on_connect = lambda client, *_: self.subscribe(channels.subscribe_topics(area, TEMPLATE))
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        c = device_connection(device_id, "")
        self.client.connect(c.host, c.port)
        self.client.loop_start()
        assert self.subscribed.wait(10)

    def subscribe(self, topics: list[str]) -> None:
        self.subscribed.clear()
        self.client.subscribe([(t, 1) for t in topics])

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties=None):
        self.granted = [not rc.is_failure for rc in reason_codes]
        self.subscribed.set()

    def _on_message(self, client, userdata, msg):
        alert = json.loads(msg.payload)
        self.got.append({"topic": msg.topic, **alert})
        if "alert_id" in alert:
            self.receipt(self.id, alert["alert_id"], self.kind)

    def receipt(self, device_id: str, alert_id: str, kind: str):
        body = json.dumps({"alert_id": alert_id, "kind": kind})
        self.client.publish(SETTINGS["mqtt_receipt_topic"].format(device=device_id), body, qos=1).wait_for_publish(5)

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()
        ACCOUNTS.close(self.id)


def iot_worker(svc, kafka_bootstrap, broadcast_topic) -> channels.Iot:
    return channels.Iot(
        svc.db,
        kafka_bootstrap,
        SETTINGS,
        service_connection("alerts"),
        group=f"test-{uuid.uuid4().hex[:8]}",
        topic=broadcast_topic,
    )


async def test_home_iot_devices_get_the_alert_over_mqtt_and_publish_receipts(
    svc, relay, broadcast_topic, kafka_bootstrap
):
    speaker = Speaker(f"iot-{uuid.uuid4().hex[:8]}", "330411105001")
    await register(svc, "iot", speaker.id, "330411105001")
    worker = iot_worker(svc, kafka_bootstrap, broadcast_topic)
    thread = run(worker)
    try:
        a = await svc.submit(TRUSTED, RAINSTORM)
        rows = await wait_status(svc, a.id, "iot", lambda rows: sum(r.acknowledged for r in rows) == 1)
        assert [(r.area_code, r.targeted, r.delivered, r.acknowledged) for r in rows] == [("330411105001", 1, 1, 1)]
        [msg] = [m for m in speaker.got if m["alert_id"] == a.id]
        assert msg["topic"] == TEMPLATE.format(area="330411105") and msg["headline"] == "秀洲区气象台发布暴雨黄色预警"
        assert msg["drill"] is False and msg["level"] == 3
        # A receipt for an alert this device was never sent changes nothing.
        speaker.receipt(speaker.id, str(uuid.uuid4()), "acknowledged")
        speaker.client.publish(SETTINGS["mqtt_receipt_topic"].format(device=speaker.id), b"not json", qos=1)
    finally:
        worker.stop()
        thread.join(10)
        speaker.close()


async def test_a_device_can_neither_fake_an_alert_nor_receipt_for_another_device(
    svc, relay, broadcast_topic, kafka_bootstrap
):
    """The broker itself refuses them: a device publishes only its own receipts and reads only its
    area's alerts; only the alerts service's client publishes alerts."""
    forger = Speaker(f"iot-{uuid.uuid4().hex[:8]}", "330411105001", kind="displayed")
    neighbour = Speaker(f"iot-{uuid.uuid4().hex[:8]}", "330411105002", kind="delivered")
    await register(svc, "iot", forger.id, "330411105001")
    await register(svc, "iot", neighbour.id, "330411105002")
    fake = json.dumps({"alert_id": "fake", "kind": "alert", "headline": "假警报"})
    for area in ("330411", "330411105", "330411105002"):
        forger.client.publish(TEMPLATE.format(area=area), fake, qos=1).wait_for_publish(5)
    forger.subscribe([TEMPLATE.format(area="330411001"), TEMPLATE.format(area="+"), "sbc/alerts/receipts/+"])
    assert forger.subscribed.wait(10) and forger.granted == [False, False, False], "another area's alerts, or all"
    worker = iot_worker(svc, kafka_bootstrap, broadcast_topic)
    thread = run(worker)
    try:
        a = await svc.submit(TRUSTED, RAINSTORM)
        await wait_status(svc, a.id, "iot", lambda rows: sum(r.delivered for r in rows) == 2)
        # The neighbour got the real alert only, never the forger's.
        assert [m["alert_id"] for m in neighbour.got] == [a.id]
        assert [m["alert_id"] for m in forger.got] == [a.id]
        # The forger acknowledges in the neighbour's name, then displays in its own: only its own counts.
        forger.receipt(neighbour.id, a.id, "acknowledged")
        forger.receipt(forger.id, a.id, "acknowledged")
        rows = await wait_status(svc, a.id, "iot", lambda rows: sum(r.acknowledged for r in rows) == 1)
        assert sorted((r.area_code, r.acknowledged) for r in rows) == [("330411105001", 1), ("330411105002", 0)]
    finally:
        worker.stop()
        thread.join(10)
        forger.close()
        neighbour.close()


async def test_set_top_boxes_without_a_receipt_are_sent_the_alert_again(svc):
    tv = device("330411105001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    a = await svc.submit(TRUSTED, RAINSTORM)
    time.sleep(0.05)
    assert svc.redeliver_due(0, 5) == 1
    again = [b for _, b in svc.broadcasts() if b.only_terminals]
    assert len(again) == 1 and list(again[0].only_terminals) == [f"set_top_box:{tv.device_id}"]
    assert again[0].attempt == 2 and again[0].alert_id == a.id
    await svc.stub.RecordReceipt(pb.RecordReceiptRequest(alert_id=a.id, kind="delivered"), metadata=svc.md(tv))
    assert svc.redeliver_due(0, 5) == 0, "a receipt stops re-delivery"


async def test_the_scheduler_worker_withdraws_expired_alerts_and_sends_again_without_a_servicer(svc, monkeypatch):
    from types import SimpleNamespace

    from alerts import service

    monkeypatch.setenv("ALERTS_REDELIVER_SECONDS", "0")
    tick = service.scheduler_pass(SimpleNamespace(db=svc.db))  # the scheduler process has no gRPC server
    tv = device("330411101001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    active = await svc.submit(TRUSTED, FLOOD)
    past = FLOOD.replace("2099-07-01T18:00:00", "2026-07-01T18:00:00").replace("_20260701120000", "_20260701120100")
    over = await svc.submit(TRUSTED, past)
    time.sleep(0.05)
    tick()
    sent = [(b.alert_id, b.kind, b.attempt, list(b.only_terminals)) for _, b in svc.broadcasts()]
    assert sent == [
        (active.id, "alert", 1, []),
        (over.id, "alert", 1, []),
        (over.id, "expire", 1, []),
        (active.id, "alert", 2, [f"set_top_box:{tv.device_id}"]),
    ], "the expired alert is withdrawn, not sent again"
