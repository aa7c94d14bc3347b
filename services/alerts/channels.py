"""The dissemination channels that run in workers of their own, each a
consumer of the alert broadcast topic: village loudspeaker controllers (an EBD
over HTTP, with retries and backoff; the reply is the receipt) and home IoT
devices (MQTT QoS 1 on a topic per area; receipts come back over MQTT).
Set-top boxes are reached by the gateway, which reads the same topic.

Sending happens outside any database transaction: the event is checked as
not yet applied, sent, then its receipts and its event id are recorded in one
transaction. A crash in between sends it again (at least once): controllers
and devices drop a repeated EBDID / (alert, kind, attempt)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx

from alerts import domain, events, handlers, store
from alerts.store import UnitOfWork
from runtime.consumer import Consumer, already_applied, mark_applied
from runtime.db import Database
from runtime.events import Event
from runtime.settings import env, env_int
from runtime.times import utcnow
from sbc.events.v1 import alert_events_pb2

log = logging.getLogger(__name__)
REPLY_TO_RECEIPT = {"received": "delivered", "delivered": "delivered", "played": "displayed", "displayed": "displayed"}


class ChannelConsumer(Consumer):
    """Applies each broadcast to the terminals of one channel; `send` returns receipts."""

    channel = ""

    def __init__(self, db: Database, bootstrap_servers: str, group: str, topic: str = ""):
        super().__init__(db, bootstrap_servers, group, [topic or events.BROADCAST_TOPIC], {})

    def send(self, b: alert_events_pb2.AlertBroadcast, terminals: list[domain.Terminal]) -> dict[str, str]:
        raise NotImplementedError

    def apply(self, event: Event, span=None) -> bool:
        with self.db.transaction() as s:
            if already_applied(s, self.group, event.id):
                self.duplicates += 1
                return False
            b = events.broadcast_of(event)
            terminals: list[domain.Terminal] = []
            if b is not None:
                terminals = handlers.channel_terminals(
                    UnitOfWork.joining(s), self.channel, list(b.area_codes), list(b.only_terminals)
                )
        receipts = self.send(b, terminals) if b is not None and terminals else {}
        with self.db.transaction() as s:
            if b is not None and events.receipted(b):
                handlers.sent_on_channel(UnitOfWork.joining(s), self.channel, b.alert_id, terminals, receipts, utcnow())
            mark_applied(s, self.group, event)
        self.applied += 1
        return True


# --- village loudspeakers ---


class Loudspeakers(ChannelConsumer):
    channel = domain.Channel.LOUDSPEAKER

    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        settings: dict,
        source_id: str = "SBC-330411",
        group: str = "alerts-loudspeakers",
        topic: str = "",
    ):
        super().__init__(db, bootstrap_servers, group, topic)
        self.backoff = list(settings["http_backoff_seconds"])
        self.http = httpx.Client(timeout=settings["http_timeout_seconds"])
        self.pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="loudspeaker")
        self.source_id = source_id

    def send(self, b, terminals) -> dict[str, str]:
        results = self.pool.map(lambda t: (t.terminal_id, self._send_one(b, t)), terminals)
        return {tid: kind for tid, kind in results if kind}

    def _send_one(self, b: alert_events_pb2.AlertBroadcast, t: domain.Terminal) -> str:
        ebd_id = domain.ebd_id(b.alert_id, b.kind, b.attempt, t.terminal_id)
        body = domain.render_ebd(
            domain.EbdFields(
                ebd_id=ebd_id,
                source=self.source_id,
                destination=t.terminal_id,
                alert_id=b.alert_id,
                related_alert_ids=tuple(b.supersedes),
                kind=b.kind,
                drill=b.drill,
                sender_name=b.sender_name,
                sender_code=b.sender,
                sent=b.sent.ToDatetime(dt.UTC),
                event_type=b.event_type,
                severity=b.severity,
                level=b.level,
                expires=b.expires.ToDatetime(dt.UTC) if b.HasField("expires") else None,
                texts=tuple(
                    domain.AlertText(x.language, x.headline, x.description, x.instruction, x.event) for x in b.texts
                ),
                area_codes=tuple(b.area_codes),
                attempt=b.attempt,
            ),
            utcnow(),
        )
        for i, pause in enumerate([0.0, *self.backoff]):
            if pause and self.stopping.wait(pause):
                return ""
            try:
                r = self.http.post(t.endpoint, json=body)
                if r.status_code < 300:
                    reply = r.json()
                    if reply.get("EBDID") == ebd_id:
                        return REPLY_TO_RECEIPT.get(reply.get("result", ""), "delivered")
                    log.warning("loudspeaker replied for another EBD", extra={"terminal": t.terminal_id})
                    return ""
                if r.status_code < 500 and r.status_code != 429:
                    log.warning(
                        "loudspeaker refused the EBD", extra={"terminal": t.terminal_id, "status": r.status_code}
                    )
                    return ""
            except (httpx.HTTPError, ValueError) as exc:
                log.info(
                    "loudspeaker unreachable, will retry",
                    extra={"terminal": t.terminal_id, "try": i + 1, "error": type(exc).__name__},
                )
        return ""  # no receipt: the server's re-delivery sends it again later


def make_loudspeakers(ctx) -> Loudspeakers:
    return Loudspeakers(ctx.db, ctx.kafka, store.load_channels(), group=ctx.group, topic=ctx.topics[0])


# --- home IoT over MQTT ---


def iot_payload(b: alert_events_pb2.AlertBroadcast) -> bytes:
    zh = b.texts[0] if b.texts else alert_events_pb2.AlertText()
    return json.dumps(
        {
            "alert_id": b.alert_id,
            "kind": b.kind,
            "attempt": b.attempt,
            "drill": b.drill,
            "severity": b.severity,
            "level": b.level,
            "event": b.event_type,
            "headline": zh.headline,
            "description": zh.description,
            "instruction": zh.instruction,
            "area_codes": list(b.area_codes),
            "supersedes": list(b.supersedes),
            "expires": b.expires.ToJsonString() if b.HasField("expires") else "",
        },
        ensure_ascii=False,
    ).encode()


class Iot(ChannelConsumer):
    """Publishes each broadcast once per targeted area (devices subscribe to the topics of their
    village, town and district), QoS 1; a listener records the receipts devices publish back."""

    channel = domain.Channel.IOT

    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        settings: dict,
        mqtt_host: str,
        mqtt_port: int,
        group: str = "alerts-iot",
        topic: str = "",
    ):
        super().__init__(db, bootstrap_servers, group, topic)
        import paho.mqtt.client as mqtt

        self.alert_topic = settings["mqtt_alert_topic"]
        self.receipt_topic = settings["mqtt_receipt_topic"]
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"sbc-alerts-iot-{id(self):x}", protocol=mqtt.MQTTv311
        )
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_receipt
        self.client.reconnect_delay_set(1, 5)
        self.mqtt_host, self.mqtt_port = mqtt_host, mqtt_port
        self.connected = threading.Event()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        # Shared subscription (named after the Kafka group): with several iot workers, each
        # receipt is recorded by one of them.
        client.subscribe(f"$share/{self.group}/" + self.receipt_topic.format(device="+"), qos=1)
        self.connected.set()

    def _on_receipt(self, client, userdata, msg) -> None:
        device = msg.topic.rsplit("/", 1)[-1]
        try:
            r = json.loads(msg.payload)
            alert_id, kind = str(r["alert_id"])[:36], str(r["kind"])
            if kind not in domain.RECEIPT_KINDS:
                raise ValueError(kind)
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable IoT receipt", extra={"device": device[:100]})
            return
        try:
            handlers.record_channel_receipt(UnitOfWork(self.db), self.channel, alert_id, device[:100], kind, utcnow())
        except Exception:
            log.exception("could not record an IoT receipt")

    def send(self, b, terminals) -> dict[str, str]:
        if not self.connected.wait(10):
            raise RuntimeError("MQTT broker unreachable")  # the consumer retries the event
        payload = iot_payload(b)
        infos = [self.client.publish(self.alert_topic.format(area=code), payload, qos=1) for code in b.area_codes]
        for info in infos:
            info.wait_for_publish(10)  # QoS 1: the broker has it
        return {}  # receipts come from the devices

    @contextlib.contextmanager
    def opened(self) -> Iterator[None]:
        """Connected to the MQTT broker while it applies events: running, or replaying a parked one."""
        self.client.connect_async(self.mqtt_host, self.mqtt_port, keepalive=30)
        self.client.loop_start()
        try:
            yield
        finally:
            self.client.loop_stop()
            self.client.disconnect()


def make_iot(ctx) -> Iot:
    return Iot(
        ctx.db,
        ctx.kafka,
        store.load_channels(),
        env("MQTT_HOST", "127.0.0.1"),
        env_int("MQTT_PORT", 11883),
        group=ctx.group,
        topic=ctx.topics[0],
    )


def subscribe_topics(area_code: str, template: str) -> list[str]:
    """What a device in `area_code` subscribes to: its village, town and district topics."""
    codes = [area_code[:n] for n in (6, 9, 12) if len(area_code) >= n]
    return [template.format(area=c) for c in codes]
