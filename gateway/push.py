"""Server push to terminals: every gateway replica reads the whole push topic
(no consumer group: each replica must see every message, since a terminal may
be connected to any of them) and hands each message to the SSE streams of its
household's terminals that are connected here (or, for a message to a staff member, to that
member's own streams: STAFF_PUSH_ROLES). A terminal that was offline
lists what it missed through the notifications API.

Emergency alerts come on a topic of their own (AlertHub), read the same way by
every replica and handed to every connected terminal in the targeted areas.

Both read through the runtime's group-less reader (runtime.reader.TopicTail): from the end of the
topic, positions kept across reconnects."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opentelemetry import metrics, trace

from runtime import registry
from runtime.events import Event, process_span
from runtime.reader import TopicTail
from runtime.record_signing import RecordVerifier, verifier_for
from runtime.settings import kafka_name
from sbc.events.v1 import alert_events_pb2, notification_events_pb2

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("sbc.gateway.push")
_rejected = metrics.get_meter("sbc.gateway").create_counter(
    "sbc.gateway.records_rejected",
    unit="{record}",
    description="records on a terminal topic whose signature did not hold (unsigned, unknown key, bad signature)",
)
PUSH_TOPIC = "sbc.notifications.push.v1"
# The staff roles that notifications addresses push messages to (the village agent who filed an
# application for a household hears of its steps): they may open a push stream of their own.
STAFF_PUSH_ROLES = frozenset({"village_agent"})
ALERT_TOPIC = "sbc.alerts.broadcast.v1"


class StreamsFull(Exception):
    """The household already has as many streams open on this replica as it may."""

    def __init__(self, limit: int):
        super().__init__(f"this household already has {limit} push streams open; close one or try again later")
        self.limit = limit


@dataclass(frozen=True)
class StreamLimits:
    """How many push streams one replica keeps open, and how long it waits for a slow terminal.
    Counted per replica: what they guard is this process's memory (each stream holds a buffer)."""

    per_device: int = 2
    per_household: int = 6
    # Messages waiting for one terminal; beyond it the terminal is too slow and its stream is closed.
    buffer: int = 200
    # Seconds one write to a terminal may take before the stream is closed.
    send_timeout: float = 10.0


class Subscription:
    def __init__(self, household_id: str, device_id: str, area_code: str = "", buffer: int = 1000, staff: str = ""):
        self.household_id = household_id
        # A staff member's stream (their token's subject; no household): their own messages only.
        self.staff = staff
        self.device_id = device_id
        self.area_code = area_code
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=buffer)
        # Delivery from Kafka is at least once: drop a message id seen recently.
        self._recent: collections.deque[str] = collections.deque(maxlen=500)
        # Why the stream was closed by the gateway ("" while open): the stream ends at its next message.
        self.closed = ""
        self.opened = 0  # the order streams were opened in (PushHub.subscribe)

    def close(self, reason: str) -> None:
        """End the stream: the terminal reconnects and lists what it missed."""
        if self.closed:
            return
        self.closed = reason
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)  # wakes the stream; a full queue is read anyway

    def _put(self, message) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            # A terminal that does not read: its buffer stays bounded, and it no longer holds
            # anything up. Closed, it reconnects and lists what it missed (an alert is sent
            # again to a terminal that sent no receipt).
            log.warning("push queue full; closing a slow terminal's stream", extra={"household": self.household_id})
            self.close("too slow")

    def offer(self, message: notification_events_pb2.PushMessage) -> None:
        if message.device_id and message.device_id != self.device_id:
            return
        if message.id in self._recent:
            return
        self._recent.append(message.id)
        self._put(message)

    def offer_alert(self, alert: alert_events_pb2.AlertBroadcast) -> None:
        """An alert, once per (alert, kind, attempt) on this stream; ahead of anything queued is not
        needed: the queue is read as fast as the terminal takes it."""
        key = f"alert:{alert.alert_id}:{alert.kind}:{alert.attempt}"
        if key in self._recent:
            return
        self._recent.append(key)
        self._put(alert)


class PushHub:
    topic = PUSH_TOPIC

    def __init__(
        self, bootstrap_servers: str, limits: StreamLimits | None = None, verifier: RecordVerifier | None = None
    ):
        self.bootstrap_servers = bootstrap_servers
        # Only the topic's publisher may reach a terminal: its records are signed (runtime.record_signing).
        self.verifier = verifier or verifier_for(registry.load().topic_owner(self.topic))
        self.rejected = 0
        self.limits = limits or StreamLimits()
        # The connected streams, by what a message is addressed to (see `key`).
        self.streams: dict[str, set[Subscription]] = collections.defaultdict(set)
        self._opened = itertools.count()
        self.loop: asyncio.AbstractEventLoop | None = None
        # Every partition of the topic, from its end, in a thread of its own.
        self.reader = TopicTail(bootstrap_servers, kafka_name(self.topic), self._handle, client_id="sbc-gateway-push")
        # Set once the reader's first positions are resolved (readyz).
        self.ready = self.reader.ready
        self.on_message: Callable[[Any], object] | None = None

    @staticmethod
    def key(sub: Subscription) -> str:
        """Push messages are addressed to a household, or to a staff member."""
        return sub.household_id or sub.staff

    def subscribe(self, household_id: str, device_id: str, area_code: str = "", staff: str = "") -> Subscription:
        """A new stream of a terminal (or of a staff member: `staff`, their subject, as its
        household and device). A box past its own limit is reconnecting (its older connection may
        be half-dead): its oldest stream is closed. A household past its limit is refused
        (StreamsFull)."""
        household = [s for s in self.streams.get(household_id or staff, ()) if not s.closed]
        mine = sorted((s for s in household if s.device_id == device_id), key=lambda s: s.opened)
        for old in mine[: max(0, len(mine) - self.limits.per_device + 1)]:
            old.close("replaced by a newer stream of the same box")
            household.remove(old)
        if len(household) >= self.limits.per_household:
            raise StreamsFull(self.limits.per_household)
        sub = Subscription(household_id, device_id, area_code, self.limits.buffer, staff)
        sub.opened = next(self._opened)
        self.add(sub)
        return sub

    def add(self, sub: Subscription) -> None:
        self.streams[self.key(sub)].add(sub)

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self.streams.get(self.key(sub))
        if subs is not None:
            subs.discard(sub)
            if not subs:
                self.streams.pop(self.key(sub), None)

    def connected(self) -> int:
        return sum(len(s) for s in self.streams.values())

    def deliver(self, message: notification_events_pb2.PushMessage) -> int:
        """On the event loop: offer a message to its household's streams (or its staff member's),
        and tell `on_message` (the app drops the household's cached home)."""
        subs = list(self.streams.get(message.household_id or message.staff_subject, ()))
        for sub in subs:
            sub.offer(message)
        if self.on_message is not None:
            self.on_message(message)
        return len(subs)

    # --- the Kafka side, in a thread ---

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.reader.start()

    def stop(self) -> None:
        self.reader.stop(5)

    # What this reader carries, and how it is handed to the terminals.
    message_class = notification_events_pb2.PushMessage
    handoff_span = "push to terminals"

    def deliver_from_reader(self, message) -> None:
        self.deliver(message)

    def _handle(self, record) -> None:
        problem = self.verifier.problem(record)
        if problem:
            self.rejected += 1
            _rejected.add(1, {"topic": self.topic, "reason": problem})
            log.warning(
                "%s reader: dropping a record that its publisher did not sign (%s)",
                self.topic,
                problem,
                extra={"offset": record.offset, "partition": record.partition},
            )
            return
        try:
            event = Event.from_headers(record.headers, record.value)
            message = event.decode(self.message_class)
        except Exception:
            log.warning("%s reader: skipping an unreadable record", self.topic, extra={"offset": record.offset})
            return
        loop = self.loop
        if loop is None:
            return  # not started: nobody to hand it to
        with process_span(record, event):
            with _tracer.start_as_current_span(self.handoff_span):
                # Hand over without waiting: with thousands of streams the event loop may be
                # busy for seconds, and the reader must not take that for a Kafka failure.
                loop.call_soon_threadsafe(self.deliver_from_reader, message)


class AlertHub(PushHub):
    """Emergency alerts to every connected terminal whose area is targeted."""

    topic = ALERT_TOPIC
    message_class = alert_events_pb2.AlertBroadcast
    handoff_span = "alert to terminals"

    @staticmethod
    def key(sub: Subscription) -> str:
        """Alerts are addressed to areas: an alert for a town looks at the town's villages'
        streams, not at every stream of the district."""
        return sub.area_code

    def deliver_alert(self, alert: alert_events_pb2.AlertBroadcast) -> int:
        # A re-delivery names the terminals that sent no receipt; the others already have it.
        only = {t.removeprefix("set_top_box:") for t in alert.only_terminals if t.startswith("set_top_box:")}
        if alert.only_terminals and not only:
            return 0
        codes = [c for c in alert.area_codes if c]
        n = 0
        for area, subs in list(self.streams.items()):
            if not any(area.startswith(code) for code in codes):
                continue
            for sub in list(subs):
                if only and sub.device_id not in only:
                    continue
                sub.offer_alert(alert)
                n += 1
        return n

    def deliver_from_reader(self, alert) -> None:
        self.deliver_alert(alert)


# --- Web Push: the phone told while the app is closed ---

# The browsers' push services (a subscription's endpoint is on one of them): the gateway posts
# only there, never to an address a caller made up. A local run may add its own (tests).
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "web.push.apple.com",
    ".notify.windows.com",
)


class BadSubscription(ValueError):
    """A subscription the gateway will not post to (its field is named)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class WebPush:
    """Web Push (RFC 8030) to the phones of a household's members: each push message for the
    household goes to its members' subscriptions, encrypted for each (RFC 8291, aes128gcm) and
    signed with the platform's VAPID key (RFC 8292), by pywebpush. Subscriptions are kept in Redis
    per household (the phone app subscribes again each time it opens, so a lost one comes back);
    every replica reads every push message, so the first to claim a message sends it. A push
    service answering 404 or 410 has dropped the subscription: it is removed."""

    PREFIX = "sbc:webpush:v1"
    MAX_PER_HOUSEHOLD = 20

    def __init__(self, redis, private_key_file: str, subject: str, local_endpoints: tuple[str, ...] = ()):
        from py_vapid import Vapid02

        self.redis = redis
        self.vapid = Vapid02.from_file(private_key_file)
        self.subject = subject
        self.local_endpoints = local_endpoints
        self.sent = 0

    def public_key(self) -> str:
        """The VAPID public key as the browser's applicationServerKey (base64url, uncompressed point)."""
        import base64

        from cryptography.hazmat.primitives import serialization

        raw = self.vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def check(self, endpoint: str, p256dh: str, auth: str) -> None:
        import base64
        from urllib.parse import urlsplit

        url = urlsplit(endpoint)
        local = any(endpoint.startswith(prefix) for prefix in self.local_endpoints)
        host = url.hostname or ""
        known = url.scheme == "https" and any(
            host == h or (h.startswith(".") and host.endswith(h)) for h in PUSH_SERVICE_HOSTS
        )
        if not (known or local):
            raise BadSubscription("endpoint", "not the address of a browser's push service")
        try:
            key = base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))
            secret = base64.urlsafe_b64decode(auth + "=" * (-len(auth) % 4))
        except ValueError as exc:
            raise BadSubscription("keys", "keys must be base64url") from exc
        if len(key) != 65 or key[0] != 4:
            raise BadSubscription("keys.p256dh", "not a P-256 public key (65 bytes, uncompressed)")
        if len(secret) != 16:
            raise BadSubscription("keys.auth", "the auth secret is 16 bytes")

    def _key(self, household_id: str) -> str:
        return f"{self.PREFIX}:subs:{household_id}"

    async def subscribe(self, household_id: str, endpoint: str, p256dh: str, auth: str) -> None:
        import json

        self.check(endpoint, p256dh, auth)
        key = self._key(household_id)
        if await self.redis.hlen(key) >= self.MAX_PER_HOUSEHOLD and not await self.redis.hexists(key, endpoint):
            raise BadSubscription("endpoint", f"a household keeps at most {self.MAX_PER_HOUSEHOLD} phones subscribed")
        await self.redis.hset(key, endpoint, json.dumps({"p256dh": p256dh, "auth": auth}))

    async def unsubscribe(self, household_id: str, endpoint: str) -> None:
        await self.redis.hdel(self._key(household_id), endpoint)

    async def send(self, message: notification_events_pb2.PushMessage) -> int:
        """The message to its household's subscriptions, once across replicas. How many took it."""
        import json

        if not message.household_id or message.device_id:
            return 0  # addressed to one box: not for the phones
        subs = await self.redis.hgetall(self._key(message.household_id))
        if not subs or not await self.redis.set(f"{self.PREFIX}:sent:{message.id}", "1", nx=True, ex=86400):
            return 0
        payload = json.dumps(
            {
                "id": message.id,
                "kind": message.kind,
                "title": message.title,
                "body": message.body,
                "opens": message.opens,
            },
            ensure_ascii=False,
        )
        took = 0
        for endpoint, keys in subs.items():
            endpoint = endpoint.decode() if isinstance(endpoint, bytes) else endpoint
            status = await asyncio.to_thread(self._post, endpoint, json.loads(keys), payload)
            if status in (404, 410):
                await self.unsubscribe(message.household_id, endpoint)
            elif 200 <= status < 300:
                took += 1
            else:
                log.warning("a push service refused a message", extra={"status": status})
        self.sent += took
        return took

    def _post(self, endpoint: str, keys: dict, payload: str) -> int:
        from pywebpush import WebPushException, webpush

        try:
            r = webpush(
                {"endpoint": endpoint, "keys": keys},
                data=payload,
                vapid_private_key=self.vapid,
                vapid_claims={"sub": self.subject},
                timeout=5,
                ttl=3600,
            )
            return r.status_code
        except WebPushException as exc:
            return exc.response.status_code if exc.response is not None else 0
        except Exception:
            log.warning("a push service did not answer", exc_info=True)
            return 0
