"""The dissemination channels that run in workers of their own, each a
consumer of the alert broadcast topic: village loudspeaker controllers (an EBD
over HTTP, with retries and backoff; the reply is the receipt) and home IoT
devices (MQTT QoS 1 on a topic per area; receipts come back over MQTT).
Set-top boxes are reached by the gateway, which reads the same topic.

Sending happens outside any database transaction: the event is checked as
not yet applied and its deliveries made, it is sent, then its receipts and its
event id are recorded. A crash in between sends it again (at least once), and
a loudspeaker delivery that gave no receipt is sent again by the scheduler's
re-delivery: controllers and devices drop a repeated EBDID / (alert, kind, attempt)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator

import httpx

from alerts import domain, events, handlers, store
from alerts.store import UnitOfWork
from runtime import loudspeakers
from runtime.consumer import Consumer, already_applied, mark_applied
from runtime.db import Database
from runtime.events import Event
from runtime.mqtt_broker import Connection, area_and_parents
from runtime.settings import env, env_int
from runtime.times import utcnow
from sbc.events.v1 import alert_events_pb2

log = logging.getLogger(__name__)
REPLY_TO_RECEIPT = {"received": "delivered", "delivered": "delivered", "played": "displayed", "displayed": "displayed"}


class ChannelConsumer(Consumer):
    """Applies each broadcast to the terminals of one channel: their deliveries are made, then
    `send` sends it and returns the receipts (which it may also record as they come)."""

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
            if b is not None and terminals and events.receipted(b):
                # Deliveries first, so that a receipt recorded as soon as it comes counts.
                handlers.sent_on_channel(UnitOfWork.joining(s), self.channel, b.alert_id, terminals, {}, utcnow())
        receipts = self.send(b, terminals) if b is not None and terminals else {}
        with self.db.transaction() as s:
            if b is not None and events.receipted(b):
                handlers.sent_on_channel(UnitOfWork.joining(s), self.channel, b.alert_id, terminals, receipts, utcnow())
            mark_applied(s, self.group, event)
        self.applied += 1
        return True


# --- village loudspeakers ---


def receipt_of(reply: bytes, ebd_id: str) -> str:
    """A controller's reply, checked: a JSON object naming this EBD; its result as a receipt
    ("delivered" when it names none we know). Empty when the reply is not that."""
    try:
        r = json.loads(reply)
    except ValueError:
        return ""
    if not isinstance(r, dict) or r.get("EBDID") != ebd_id:
        return ""
    result = r.get("result")
    return REPLY_TO_RECEIPT.get(result, "delivered") if isinstance(result, str) else "delivered"


class Loudspeakers(ChannelConsumer):
    """Each delivery runs on its own, on an event loop beside the consumer, with an overall deadline
    (`delivery_deadline_seconds`, across its retries), so one slow, trickling or broken controller
    never holds up the others: each controller gets its EBDs in order, each receipt is recorded
    when it comes. An alert counts as applied once its deliveries exist (the scheduler sends it
    again to those without a receipt); a withdrawal once it was sent or given up."""

    channel = domain.Channel.LOUDSPEAKER

    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        settings: dict,
        source_id: str = "SBC-330411",
        group: str = "alerts-loudspeakers",
        topic: str = "",
        allowed: domain.EndpointAllowList | None = None,
    ):
        super().__init__(db, bootstrap_servers, group, topic)
        self.backoff = list(settings["http_backoff_seconds"])
        self.timeout = float(settings["http_timeout_seconds"])
        self.deadline = float(settings["delivery_deadline_seconds"])
        self.concurrency = int(settings["http_concurrency"])
        self.allowed = allowed or store.load_endpoint_allow_list()
        self.source_id = source_id
        # Deliveries under way at most; past that the consumer waits (a town has thousands of controllers).
        self.slots = threading.BoundedSemaphore(self.concurrency * 4)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.latest: dict[str, asyncio.Task] = {}  # per controller, its last delivery under way

    @contextlib.contextmanager
    def opened(self) -> Iterator[None]:
        """The deliveries' event loop runs while the consumer applies events."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="loudspeakers", daemon=True)
        thread.start()
        self.loop = loop
        self.gate = asyncio.run_coroutine_threadsafe(self._start(), loop).result()
        try:
            yield
        finally:
            asyncio.run_coroutine_threadsafe(self._stop(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            self.loop = None

    async def _start(self) -> asyncio.Semaphore:
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        self.http = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, limits=limits)
        return asyncio.Semaphore(self.concurrency)

    async def _stop(self) -> None:
        """Deliveries under way are given up (those without a receipt are sent again later)."""
        under_way = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in under_way:
            t.cancel()
        await asyncio.gather(*under_way, return_exceptions=True)
        await self.http.aclose()

    def send(self, b, terminals) -> dict[str, str]:
        if self.loop is None:
            raise RuntimeError("the loudspeakers' event loop is not running (use opened())")
        futures = []
        for t in terminals:
            self.slots.acquire()
            f = asyncio.run_coroutine_threadsafe(self._deliver(b, t), self.loop)
            f.add_done_callback(lambda _: self.slots.release())
            futures.append(f)
        if not events.receipted(b):
            concurrent.futures.wait(futures)  # a withdrawal counts as applied once sent or given up
        return {}  # each receipt is recorded when it comes

    async def _deliver(self, b: alert_events_pb2.AlertBroadcast, t: domain.Terminal) -> None:
        me = asyncio.current_task()
        assert me is not None
        before, self.latest[t.terminal_id] = self.latest.get(t.terminal_id), me
        try:
            if before is not None:
                await asyncio.wait([before])  # in order per controller
            async with self.gate:
                kind = await asyncio.wait_for(self._send_one(b, t), self.deadline)
            if kind and events.receipted(b):
                await asyncio.to_thread(self._record, b.alert_id, t.terminal_id, kind)
        except TimeoutError:
            log.warning("loudspeaker too slow, it gets the alert again later", extra={"terminal": t.terminal_id})
        except Exception:  # one bad controller never stops the others
            log.exception("loudspeaker delivery failed", extra={"terminal": t.terminal_id})
        finally:
            if self.latest.get(t.terminal_id) is me:
                del self.latest[t.terminal_id]

    def _record(self, alert_id: str, terminal_id: str, kind: str) -> None:
        handlers.record_channel_receipt(UnitOfWork(self.db), self.channel, alert_id, terminal_id, kind, utcnow())

    def _ebd(self, b: alert_events_pb2.AlertBroadcast, t: domain.Terminal, ebd_id: str) -> dict:
        return domain.render_ebd(
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

    async def _send_one(self, b: alert_events_pb2.AlertBroadcast, t: domain.Terminal) -> str:
        ebd_id = domain.ebd_id(b.alert_id, b.kind, b.attempt, t.terminal_id)
        body = self._ebd(b, t, ebd_id)
        reply = await loudspeakers.send(
            self.http, self.allowed, t.endpoint, body, self.backoff, self.deadline, self.stopping, t.terminal_id
        )
        if reply is None:
            return ""  # no receipt: the server's re-delivery sends it again later
        kind = receipt_of(reply, ebd_id)
        if not kind:
            log.warning("loudspeaker's reply is not a receipt for this EBD", extra={"terminal": t.terminal_id})
        return kind


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
        connection: Connection,
        group: str = "alerts-iot",
        topic: str = "",
    ):
        super().__init__(db, bootstrap_servers, group, topic)
        self.alert_topic = settings["mqtt_alert_topic"]
        self.receipt_topic = settings["mqtt_receipt_topic"]
        # Its own broker client (ALERTS_MQTT_USERNAME/_PASSWORD): the only one whose role may publish
        # alerts; a device may publish only its own receipts, and read its own area's alerts.
        self.client = connection.client(f"sbc-alerts-iot-{id(self):x}")
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_receipt
        self.client.reconnect_delay_set(1, 5)
        self.connection = connection
        self.connected = threading.Event()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if reason_code.is_failure:
            log.error("the MQTT broker refused the alerts service: %s", reason_code)
            return
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
        self.client.connect_async(self.connection.host, self.connection.port, keepalive=30)
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
        Connection(
            env("MQTT_HOST", "127.0.0.1"),
            env_int("MQTT_PORT", 11883),
            env("ALERTS_MQTT_USERNAME"),
            env("ALERTS_MQTT_PASSWORD"),
            env("MQTT_CA_FILE"),  # TLS when set
        ),
        group=ctx.group,
        topic=ctx.topics[0],
    )


def subscribe_topics(area_code: str, template: str) -> list[str]:
    """What a device in `area_code` subscribes to: its village, town and district topics."""
    return [template.format(area=c) for c in area_and_parents(area_code)]
