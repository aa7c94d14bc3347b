"""Idempotent Kafka consumer.

Each consumed event's id is recorded in the same transaction as its effect,
so an event delivered twice (a relay retry, a rebalance, a crash before the
offset commit) is applied once. Offsets are committed after the effects.
A new consumer group starts from the earliest offset, so nothing published
before the group first ran is skipped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from opentelemetry import metrics
from sqlalchemy import Column, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from runtime.db import Database, UtcDateTime
from runtime.events import Event, process_span

log = logging.getLogger(__name__)
_meter = metrics.get_meter("sbc.consumer")
_applied = _meter.create_counter("sbc.consumer.applied", unit="{event}", description="events applied")
_duplicates = _meter.create_counter(
    "sbc.consumer.duplicates", unit="{event}", description="events seen again and skipped"
)

PROCESSED = "processed_events"
Handler = Callable[[Session, Event], None]


def define_tables(metadata: MetaData) -> Table:
    if PROCESSED in metadata.tables:
        return metadata.tables[PROCESSED]
    return Table(
        PROCESSED,
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", UtcDateTime, nullable=False, server_default=func.now()),
    )


_METADATA = MetaData()
_PROCESSED = define_tables(_METADATA)


def already_applied(session: Session, group: str, event_id: str) -> bool:
    return (
        session.execute(
            select(_PROCESSED.c.event_id).where(_PROCESSED.c.consumer == group, _PROCESSED.c.event_id == event_id)
        ).first()
        is not None
    )


def mark_applied(session: Session, group: str, event: Event) -> None:
    """Record the event as applied, in the transaction of its effect."""
    session.execute(_PROCESSED.insert().values(consumer=group, event_id=event.id, event_type=event.type))


class Consumer:
    """Consumes `topics` as consumer group `group`, applying each event's handler
    (chosen by its CloudEvents type) in one transaction with the event-id record."""

    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        group: str,
        topics: list[str],
        handlers: dict[str, Handler],
        poll_timeout_ms: int = 500,
    ):
        self.db = db
        self.bootstrap_servers = bootstrap_servers
        self.group = group
        self.topics = topics
        self.handlers = handlers
        self.poll_timeout_ms = poll_timeout_ms
        self.stopping = threading.Event()
        self.applied = 0
        self.duplicates = 0

    def stop(self) -> None:
        self.stopping.set()

    def _make_kafka_consumer(self):
        from kafka import KafkaConsumer

        return KafkaConsumer(
            *self.topics,
            bootstrap_servers=self.bootstrap_servers.split(","),
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id=f"sbc-{self.group}",
            max_poll_records=200,
            # A member that died (kill -9) is noticed after this, and its partitions reassigned.
            session_timeout_ms=10_000,
            heartbeat_interval_ms=2_000,
            reconnect_backoff_max_ms=2_000,
        )

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            kafka = None
            try:
                kafka = self._make_kafka_consumer()
                log.info("consumer started", extra={"group": self.group, "topics": self.topics})
                while not self.stopping.is_set():
                    batch = kafka.poll(timeout_ms=self.poll_timeout_ms)
                    if not batch:
                        continue
                    for tp, records in batch.items():
                        for record in records:
                            try:
                                self.handle(record)
                            except Exception:
                                # Effect not applied: go back to this record and retry later.
                                log.exception("consumer: handling failed, will retry", extra={"offset": record.offset})
                                kafka.seek(tp, record.offset)
                                self.stopping.wait(1.0)
                                break
                    kafka.commit()
            except Exception:
                log.exception("consumer: Kafka connection failed, reconnecting")
                self.stopping.wait(1.0)
            finally:
                if kafka is not None:
                    try:
                        kafka.close(autocommit=False)
                    except Exception:
                        pass

    def handle(self, record) -> None:
        try:
            event = Event.from_headers(record.headers, record.value)
        except ValueError:
            log.warning("consumer: skipping a record without event headers", extra={"offset": record.offset})
            return
        with process_span(record, event, **{"messaging.consumer.group.name": self.group}) as span:
            self.apply(event, span)

    def apply(self, event: Event, span=None) -> bool:
        """Apply one event exactly once. Returns False for a duplicate."""
        with self.db.transaction() as s:
            if already_applied(s, self.group, event.id):
                self.duplicates += 1
                _duplicates.add(1, {"consumer": self.group})
                if span is not None:
                    span.set_attribute("sbc.duplicate", True)
                return False
            handler = self.handlers.get(event.type)
            if handler is not None:
                handler(s, event)
            mark_applied(s, self.group, event)
        self.applied += 1
        _applied.add(1, {"consumer": self.group})
        return True
