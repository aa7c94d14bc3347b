"""Transactional outbox and its relay.

A service writes its state change and the event that announces it in one
database transaction (`publish(session, ...)`). The relay, a separate
process, reads unsent rows in order, publishes them to Kafka (acks=all,
retries, one request in flight per connection so each key stays in order)
and marks them sent only after the broker acknowledged them. If the relay
dies between the acknowledgement and the mark, the row is sent again:
delivery is at least once, and consumers are idempotent on the event id.

The relay wakes on commit. On PostgreSQL, `publish` adds a NOTIFY to the
transaction (delivered only if it commits) and the relay LISTENs; it still
looks every `listen_poll` seconds, in case a notification was lost with its
connection. On SQLite, a commit in the same process wakes it at once; from
another process it is found by polling, which backs off from `idle_sleep`
to `idle_max` while there is nothing to send, so an idle relay costs next
to no CPU.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from typing import Any

from google.protobuf.message import Message
from opentelemetry import metrics, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    text,
    update,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from runtime import kafka_clients
from runtime.db import Database, UtcDateTime
from runtime.events import Event, current_trace_headers, trace_context, utcnow
from runtime.record_signing import RecordSigner
from runtime.settings import kafka_name

log = logging.getLogger(__name__)
_tracer = trace.get_tracer("sbc.outbox")
_meter = metrics.get_meter("sbc.outbox")
_published = _meter.create_counter("sbc.outbox.published", unit="{event}", description="events the relay published")
_failures = _meter.create_counter(
    "sbc.outbox.publish_failures", unit="{batch}", description="batches that failed to publish"
)

OUTBOX = "outbox"
# The PostgreSQL channel a commit with outbox rows notifies (one database per service).
CHANNEL = "sbc_outbox"

# Relays of this process wait on it; a commit that wrote outbox rows sets it (SQLite's wake-up
# when the server and its relay share a process).
_committed = threading.Condition()
_commits = 0


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    global _commits
    if session.info.pop("outbox_written", False):
        with _committed:
            _commits += 1
            _committed.notify_all()


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("outbox_written", None)


def define_tables(metadata: MetaData) -> Table:
    """Add the outbox table to a service's metadata (and so its migrations)."""
    if OUTBOX in metadata.tables:
        return metadata.tables[OUTBOX]
    return Table(
        OUTBOX,
        metadata,
        # Sequence number: the relay publishes in this order.
        Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("event_time", String(40), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        # Trace context of the transaction that wrote the row (JSON).
        Column("trace_headers", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False, server_default=func.now()),
        Column("sent_at", UtcDateTime, nullable=True, index=True),
    )


def publish(
    session: Session,
    *,
    topic: str,
    key: str,
    message: Message,
    event_type: str,
    source: str,
    subject: str = "",
) -> Event:
    """Record an event in the same transaction as the state change it announces."""
    event = Event.new(message, type=event_type, source=source, subject=subject or key)
    table = outbox_table()
    session.execute(
        table.insert().values(
            event_id=event.id,
            topic=topic,
            key=key,
            event_type=event.type,
            source=event.source,
            subject=event.subject,
            event_time=event.time,
            payload=event.payload,
            trace_headers=json.dumps(current_trace_headers()),
        )
    )
    if not session.info.get("outbox_written"):
        session.info["outbox_written"] = True
        if session.get_bind().dialect.name == "postgresql":
            # Sent at commit, dropped on rollback; several in one transaction are sent once.
            session.execute(text(f"NOTIFY {CHANNEL}"))
    return event


# The outbox table is the same in every service's database; this standalone
# copy lets publish() and the relay work without the service's own metadata.
_OUTBOX_METADATA = MetaData()
define_tables(_OUTBOX_METADATA)


def outbox_table() -> Table:
    return _OUTBOX_METADATA.tables[OUTBOX]


def pending_count(db: Database) -> int:
    t = outbox_table()
    with db.transaction() as s:
        return s.execute(select(func.count()).select_from(t).where(t.c.sent_at.is_(None))).scalar_one()


def make_producer(bootstrap_servers: str):
    return kafka_clients.producer(
        bootstrap_servers,
        acks="all",
        retries=2_147_483_647,
        # One request in flight per connection: retries cannot reorder a key's events.
        max_in_flight_requests_per_connection=1,
        linger_ms=5,
        request_timeout_ms=15_000,
        delivery_timeout_ms=60_000,
        reconnect_backoff_max_ms=2_000,
        # Fail fast when the broker is away; the relay loop retries.
        max_block_ms=10_000,
        bootstrap_timeout_ms=5_000,
        client_id="sbc-outbox-relay",
    )


class Relay:
    """Publishes a service's outbox to Kafka. Run one per service database."""

    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        batch_size: int = 200,
        idle_sleep: float = 0.05,
        idle_max: float = 1.0,
        listen_poll: float = 5.0,
        keep_sent: dt.timedelta = dt.timedelta(hours=24),
        signer: RecordSigner | None = None,
    ):
        self.db = db
        # Signs every record (runtime.record_signing): readers that show records to people check it.
        self.signer = signer
        # Sent rows are kept a while (to look into a problem), then pruned.
        self.keep_sent = keep_sent
        self._pruned_at = 0.0
        self.bootstrap_servers = bootstrap_servers
        self.batch_size = batch_size
        self.idle_sleep = idle_sleep
        self.idle_max = idle_max
        self.listen_poll = listen_poll
        self.stopping = threading.Event()
        self.published = 0
        self._producer = None

        self._listener: Any = None  # the psycopg connection that LISTENs (PostgreSQL)

    def stop(self) -> None:
        self.stopping.set()
        with _committed:
            _committed.notify_all()

    def run_forever(self) -> None:
        log.info("outbox relay started", extra={"database": self.db.engine.url.render_as_string()})
        idle = self.idle_sleep
        while not self.stopping.is_set():
            try:
                seen = _commits
                sent = self.run_once()
                if sent >= self.batch_size:
                    idle = self.idle_sleep
                    continue  # a full batch: more may be waiting
                # A part batch emptied the outbox as it was read: what was committed since has
                # notified, so the relay waits instead of looking again (a transaction per event saved).
                if sent == 0:
                    self.prune()
                else:
                    idle = self.idle_sleep
                self.wait_for_commit(idle, seen)
                idle = min(self.idle_max, idle * 2)
            except Exception:  # broker or database away: keep the rows, try again
                _failures.add(1)
                log.exception("outbox relay: publish failed, will retry")
                self._close_producer()
                self._close_listener()
                self.stopping.wait(1.0)
        self._close_producer()
        self._close_listener()

    def wait_for_commit(self, idle: float, seen: int) -> None:
        """Until a commit may have written outbox rows (at most `idle` seconds on SQLite,
        `listen_poll` on PostgreSQL), or the relay stops. `seen`: this process's commit count
        before the last look, so a commit in between is not slept through."""
        if self.db.is_postgres:
            self._listen(self.listen_poll)
            return
        with _committed:
            if _commits == seen and not self.stopping.is_set():
                _committed.wait(idle)

    def _listen(self, timeout: float) -> None:
        if self._listener is None:
            import psycopg

            url = self.db.engine.url.set(drivername="postgresql")
            self._listener = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self._listener.execute(f"LISTEN {CHANNEL}")
            return  # rows committed before LISTEN are looked for by the caller's next batch
        # Wakes on the first notification (one is enough: the batch reads every unsent row); in
        # slices, so that stop() is not kept waiting by a quiet database.
        deadline = time.monotonic() + timeout
        while not self.stopping.is_set() and time.monotonic() < deadline:
            slice_ = min(0.5, deadline - time.monotonic())
            if any(True for _ in self._listener.notifies(timeout=slice_, stop_after=1)):
                # The commits of a burst wake it once: the rest of their notifications are read now.
                for _ in self._listener.notifies(timeout=0):
                    pass
                return

    def _close_listener(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:
                pass
            self._listener = None

    def run_once(self) -> int:
        """Publish one batch; return how many rows were marked sent."""
        t = outbox_table()
        with self.db.transaction() as s:
            rows = s.execute(select(t).where(t.c.sent_at.is_(None)).order_by(t.c.seq).limit(self.batch_size)).all()
        if not rows:
            return 0
        producer = self._producer_or_new()
        futures = []
        for row in rows:
            event = Event(
                id=row.event_id,
                type=row.event_type,
                source=row.source,
                subject=row.subject,
                time=row.event_time,
                payload=row.payload,
            )
            parent = trace_context(json.loads(row.trace_headers))
            with _tracer.start_as_current_span(
                f"{row.topic} publish",
                context=parent,
                kind=SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": row.topic,
                    "messaging.message.id": row.event_id,
                    "messaging.kafka.message.key": row.key,
                    "cloudevents.event_type": row.event_type,
                },
            ):
                event = Event(**{**event.__dict__, "extra": current_trace_headers()})
                topic, key, headers = kafka_name(row.topic), row.key.encode(), event.headers()
                if self.signer is not None:
                    headers = self.signer.headers(topic, key, headers, row.payload)
                futures.append(producer.send(topic, key=key, value=row.payload, headers=headers))
        producer.flush()
        for f in futures:
            f.get(timeout=60)  # raises if the broker did not acknowledge
        with self.db.transaction() as s:
            s.execute(update(t).where(t.c.seq.in_([r.seq for r in rows])).values(sent_at=utcnow()))
        self.published += len(rows)
        _published.add(len(rows))
        return len(rows)

    def prune(self, every_seconds: float = 60.0) -> int:
        """Delete rows sent longer ago than keep_sent (at most once a minute)."""
        if time.monotonic() - self._pruned_at < every_seconds:
            return 0
        self._pruned_at = time.monotonic()
        t = outbox_table()
        with self.db.transaction() as s:
            result = s.execute(t.delete().where(t.c.sent_at.is_not(None), t.c.sent_at < utcnow() - self.keep_sent))
        return getattr(result, "rowcount", 0) or 0

    def _producer_or_new(self):
        if self._producer is None:
            self._producer = make_producer(self.bootstrap_servers)
        return self._producer

    def _close_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=5)
            except Exception:
                pass
            self._producer = None
