"""Idempotent Kafka consumer, with bounded retries and a dead-letter topic.

Each consumed event's id is recorded in the same transaction as its effect,
so an event delivered twice (a relay retry, a rebalance, a crash before the
offset commit) is applied once. Offsets are committed after the effects.
A new consumer group starts from the earliest offset, so nothing published
before the group first ran is skipped.

A record whose handler raises is tried again, 5 times in all (RetryPolicy), pausing 0.5 s after
the first failure and twice as long after each next one (0.5, 1, 2, 4 s: 7.5 s before it is given
up: long enough for a brief hiccup of what the handler calls, short enough that an emergency
broadcast behind a bad record waits seconds, not hours). Then it is parked on its service's
dead-letter topic (runtime.dead_letters) with the error and the consumer group, its offset is
committed and the consumer goes on: one bad record never stops its partition. A record that is not
an event at all (no CloudEvents headers) is parked at once. A record is parked only while the
consumer's database answers: when the database is away, every record would fail, and none of
them is to blame, so the record is tried again until the database is back. A record that cannot
be parked (Kafka away, the topic missing) is not committed: it is tried again after a reconnect.

What it is doing shows in `status()` (the worker status service of runtime.service, beside gRPC
health) and in OpenTelemetry metrics: `sbc.consumer.applied`, `sbc.consumer.duplicates`,
`sbc.consumer.failures` (failed attempts), `sbc.consumer.parked` and the gauge
`sbc.consumer.lag` (records not yet consumed, per partition).

Batches: a consumer with `batch_size` N > 1 applies up to N records of one poll (of one partition)
in one transaction: their event ids are looked up in one query and recorded together, an id seen
twice in the batch is applied once, and the offsets are committed after the transaction. When the
batch's transaction fails, its records are applied again one at a time, each in its own transaction
with the retry and park rules above: a bad record is parked alone and the others are applied once.
The default stays 1: a handler that does outside I/O (pushing to devices, calling a service) would
do it again for every record of a batch that is rolled back and replayed one at a time, so only a
consumer whose handlers touch nothing but its database (a read model) sets a larger batch.
"""

from __future__ import annotations

import contextlib
import logging
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from sqlalchemy import Column, MetaData, String, Table, func, select, text
from sqlalchemy.orm import Session

from runtime import dead_letters, kafka_clients
from runtime.db import Database, UtcDateTime
from runtime.events import Event, process_span
from runtime.reader import KafkaLoop
from runtime.settings import kafka_name, registry_name

log = logging.getLogger(__name__)
_meter = metrics.get_meter("sbc.consumer")
_applied = _meter.create_counter("sbc.consumer.applied", unit="{event}", description="events applied")
_duplicates = _meter.create_counter(
    "sbc.consumer.duplicates", unit="{event}", description="events seen again and skipped"
)
_failures = _meter.create_counter(
    "sbc.consumer.failures", unit="{attempt}", description="attempts to apply a record that failed"
)
_parked = _meter.create_counter(
    "sbc.consumer.parked", unit="{record}", description="records parked on the dead-letter topic"
)
# Every consumer of this process, for the lag gauge.
_LIVE: weakref.WeakSet[Consumer] = weakref.WeakSet()


def _observe_lag(options: CallbackOptions) -> Iterable[Observation]:
    for c in list(_LIVE):
        for (topic, partition), lag in list(c.lag.items()):
            yield Observation(lag, {"consumer": c.group, "topic": registry_name(topic), "partition": partition})


_meter.create_observable_gauge(
    "sbc.consumer.lag",
    callbacks=[_observe_lag],
    unit="{record}",
    description="records of a partition not yet consumed by the group (its end offset - the group's position)",
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


def applied_among(session: Session, group: str, event_ids: Iterable[str]) -> set[str]:
    """Which of `event_ids` the group has applied (one query)."""
    ids = list(set(event_ids))
    if not ids:
        return set()
    q = select(_PROCESSED.c.event_id).where(_PROCESSED.c.consumer == group, _PROCESSED.c.event_id.in_(ids))
    return set(session.execute(q).scalars())


def mark_all_applied(session: Session, group: str, events: list[Event]) -> None:
    """Record the events (distinct ids) as applied, in one statement of their effects' transaction."""
    if events:
        session.execute(
            _PROCESSED.insert(), [{"consumer": group, "event_id": e.id, "event_type": e.type} for e in events]
        )


class NotAnEvent(ValueError):
    """A record without the CloudEvents headers: nothing can apply it."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failing record is tried before it is parked, and the pauses in between."""

    attempts: int = 5
    first_pause: float = 0.5
    max_pause: float = 30.0

    def pause(self, failures: int) -> float:
        """The pause after the `failures`-th failed attempt (1, 2, ...)."""
        return min(self.max_pause, self.first_pause * 2 ** max(0, failures - 1))


def dead_letter_topic_of(group: str) -> str:
    """The dead-letter topic (Kafka name) of the service whose consumer group this is, or ""."""
    from runtime import registry

    reg = registry.load()
    process = reg.consumer_of_group(registry_name(group))
    if process is None or kafka_name(process.group) != group:
        return ""
    topic = reg.service(process.service).dead_letters
    return kafka_name(topic.name) if topic is not None else ""


class Consumer(KafkaLoop):
    """Consumes `topics` as consumer group `group`, applying each event's handler
    (chosen by its CloudEvents type) in one transaction with the event-id record.

    A subclass may override `apply(event, span) -> bool` (False for a duplicate); everything
    else (retries, parking, lag, status) stays the runtime's."""

    # Records fetched per poll.
    max_poll_records = 200
    # Records of one poll applied in one transaction (see the module's docstring); 1: each alone.
    batch_size = 1
    # Seconds between two measures of the lag (and of whether Kafka answers when idle).
    lag_interval = 5.0

    def __init__(
        self,
        db: Database,
        bootstrap_servers: str,
        group: str,
        topics: list[str],
        handlers: dict[str, Handler],
        poll_timeout_ms: int = 500,
        *,
        retry: RetryPolicy | None = None,
        dead_letter_topic: str | None = None,
        batch_size: int | None = None,
    ):
        super().__init__()
        if batch_size is not None:
            if batch_size < 1:
                raise ValueError(f"batch_size must be at least 1, not {batch_size}")
            self.batch_size = batch_size
        self.db = db
        self.bootstrap_servers = bootstrap_servers
        self.group = group
        self.topics = topics
        self.handlers = handlers
        self.poll_timeout_ms = poll_timeout_ms
        self.retry = retry or RetryPolicy()
        # None: the registry's, for the service whose group this is (found on first use).
        self._dead_letter_topic = dead_letter_topic
        self.loop_name = f"consumer {group}"
        self.applied = 0
        self.duplicates = 0
        self.failures = 0
        self.parked = 0
        self.last_error = ""
        self.last_parked: dict[str, Any] | None = None
        # (topic, partition) -> records not yet consumed, for the partitions assigned to this member.
        self.lag: dict[tuple[str, int], int] = {}
        self.state = "starting"
        self.started_at = time.monotonic()
        # When Kafka last answered (a poll with records, a commit, a lag measure).
        self.kafka_ok_at = self.started_at
        self._lag_at = 0.0
        self._dlq = dead_letters.Producer(bootstrap_servers, client_id=f"sbc-{group}-dead-letters")
        _LIVE.add(self)

    # --- configuration ---

    @property
    def dead_letter_topic(self) -> str:
        if self._dead_letter_topic is None:
            self._dead_letter_topic = dead_letter_topic_of(self.group)
        return self._dead_letter_topic

    @dead_letter_topic.setter
    def dead_letter_topic(self, topic: str) -> None:
        self._dead_letter_topic = topic

    @contextlib.contextmanager
    def opened(self) -> Iterator[None]:
        """What the consumer needs around applying events (its connections). run_forever applies
        within it, and so does a replay (python -m <service> dead-letters replay), which applies
        without running the consumer. Nothing by default; a subclass that connects to something
        overrides it."""
        yield

    # --- the loop ---

    def _make_kafka_consumer(self):
        kafka = kafka_clients.consumer(
            self.bootstrap_servers,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id=f"sbc-{self.group}",
            max_poll_records=self.max_poll_records,
            # A member that died (kill -9) is noticed after this, and its partitions reassigned.
            session_timeout_ms=10_000,
            heartbeat_interval_ms=2_000,
            reconnect_backoff_max_ms=2_000,
        )
        try:
            # Know the topics' partitions before joining the group: a member that joins first gets
            # no partitions and must join again once the metadata comes, and kafka-python (3.0)
            # sometimes never applies the assignment of that second join.
            for topic in self.topics:
                kafka.partitions_for_topic(topic)
            kafka.subscribe(self.topics)
        except Exception:
            kafka.close(autocommit=False)
            raise
        return kafka

    def run_forever(self) -> None:
        try:
            with self.opened():
                super().run_forever()
        finally:
            self.state = "stopped"
            self.close()

    def close(self) -> None:
        self._dlq.close()

    def connect(self) -> Any:
        self.state = "connecting"
        kafka = self._make_kafka_consumer()
        log.info("consumer started", extra={"group": self.group, "topics": self.topics})
        return kafka

    def disconnected(self, error: Exception) -> None:
        self.state = f"reconnecting to Kafka ({type(error).__name__})"

    def read(self, kafka: Any) -> None:
        self.state = "consuming"
        while not self.stopping.is_set():
            batch = kafka.poll(timeout_ms=self.poll_timeout_ms)
            if batch:
                self.kafka_ok_at = time.monotonic()
            done: dict[Any, int] = {}
            for tp, records in batch.items():
                for start in range(0, len(records), self.batch_size):
                    chunk = records[start : start + self.batch_size]
                    if self.batch_size > 1 and self.apply_batch(chunk) is not None:
                        done[tp] = chunk[-1].offset + 1
                        continue
                    # One at a time: always with batch_size 1, and the records of a batch whose
                    # transaction failed, with the retry and park rules.
                    for record in chunk:
                        outcome = self.settle(record)
                        if outcome == "stopped":
                            # Not settled: it stays uncommitted, for whoever reads the partition next.
                            self._commit(kafka, done)
                            return
                        done[tp] = record.offset + 1
                        if outcome == "parked":
                            # Committed at once: a rebalance never parks it twice.
                            self._commit(kafka, done)
            self._commit(kafka, done)
            self._measure_lag(kafka)

    def _commit(self, kafka: Any, done: dict[Any, int]) -> None:
        if not done:
            return
        from kafka.structs import OffsetAndMetadata

        kafka.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in done.items()})
        self.kafka_ok_at = time.monotonic()

    def _measure_lag(self, kafka: Any) -> None:
        now = time.monotonic()
        if now - self._lag_at < self.lag_interval:
            return
        self._lag_at = now
        from kafka import TopicPartition

        try:
            assigned = list(kafka.assignment() or ())
            # A member with no partition asks for one anyway: it tells whether Kafka answers.
            ends = kafka.end_offsets(assigned or [TopicPartition(self.topics[0], 0)], timeout_ms=5_000)
            lag = {}
            for tp in assigned:
                position = kafka.position(tp, timeout_ms=1_000)
                if position is not None and tp in ends:
                    lag[(tp.topic, tp.partition)] = max(0, ends[tp] - position)
        except Exception as exc:
            log.warning("consumer %s: Kafka does not answer (%s)", self.group, exc)
            return
        self.lag = lag
        self.kafka_ok_at = time.monotonic()

    # --- one record ---

    def settle(self, record: Any) -> str:
        """Apply one record, trying again after a failure, parking it when it keeps failing.
        Returns "applied", "duplicate", "parked", or "stopped" (stop() came while it waited to try
        again: it is neither applied nor parked)."""
        failures = 0
        while True:
            try:
                outcome = "applied" if self.handle(record, attempt=failures + 1) else "duplicate"
                if failures:
                    self.state = "consuming"
                return outcome
            except NotAnEvent as exc:
                # Nothing can apply it, now or later: parked at once, said plainly.
                self._park(record, str(exc), attempts=1)
                return "parked"
            except Exception as exc:
                failures += 1
                self.failures += 1
                self.last_error = dead_letters.describe(exc)
                _failures.add(1, {"consumer": self.group})
                where = f"{record.topic}[{record.partition}]@{record.offset}"
                if failures >= self.retry.attempts:
                    if self._database_answers():
                        self._park(record, exc, attempts=failures)
                        self.state = "consuming"
                        return "parked"
                    next_step = "its database does not answer, so it is not parked: trying again"
                else:
                    next_step = "trying again"
                pause = self.retry.pause(failures)
                self.state = f"retrying {where} (attempt {failures} of {self.retry.attempts} failed)"
                log.warning(
                    "consumer %s: %s failed (attempt %d of %d): %s; %s in %.1f s",
                    self.group,
                    where,
                    failures,
                    self.retry.attempts,
                    self.last_error,
                    next_step,
                    pause,
                    exc_info=failures == 1,
                )
                if self.stopping.wait(pause):
                    return "stopped"

    def handle(self, record: Any, attempt: int = 1) -> bool:
        """Apply one record once, no retry: False for a duplicate. Raises NotAnEvent for a record
        without the event headers, or what applying it raised."""
        try:
            event = Event.from_headers(record.headers, record.value)
        except ValueError as exc:
            raise NotAnEvent(str(exc)) from exc
        attrs = {"messaging.consumer.group.name": self.group, "sbc.attempt": attempt}
        with process_span(record, event, **attrs) as span:
            return self.apply(event, span)

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

    def apply_batch(self, records: list) -> tuple[int, int] | None:
        """Apply the records in one transaction: (applied, duplicates), or None when a record is
        not an event or the transaction failed (nothing of the batch is applied then)."""
        try:
            events = [Event.from_headers(r.headers, r.value) for r in records]
        except ValueError:
            return None
        fresh: list[Event] = []
        try:
            with self.db.transaction() as s:
                seen = applied_among(s, self.group, (e.id for e in events))
                for record, event in zip(records, events, strict=True):
                    attrs = {"messaging.consumer.group.name": self.group, "sbc.batch": len(records)}
                    with process_span(record, event, **attrs) as span:
                        if event.id in seen:
                            span.set_attribute("sbc.duplicate", True)
                            continue
                        seen.add(event.id)
                        handler = self.handlers.get(event.type)
                        if handler is not None:
                            handler(s, event)
                        fresh.append(event)
                mark_all_applied(s, self.group, fresh)
        except Exception as exc:
            log.warning(
                "consumer %s: a batch of %d records failed (%s); applying them one at a time",
                self.group,
                len(records),
                dead_letters.describe(exc),
            )
            return None
        duplicates = len(records) - len(fresh)
        self.applied += len(fresh)
        self.duplicates += duplicates
        if fresh:
            _applied.add(len(fresh), {"consumer": self.group})
        if duplicates:
            _duplicates.add(duplicates, {"consumer": self.group})
        return len(fresh), duplicates

    def _database_answers(self) -> bool:
        try:
            with self.db.engine.connect() as c:
                c.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def _park(self, record: Any, error: BaseException | str, attempts: int) -> None:
        topic = self.dead_letter_topic
        if not topic:
            raise RuntimeError(
                f"consumer {self.group}: no dead-letter topic to park {record.topic}[{record.partition}]"
                f"@{record.offset} on (a group the registry does not name); it is tried again"
            )
        headers = dead_letters.headers_for(record, group=self.group, error=error, attempts=attempts)
        self._dlq.park(topic, record, headers)
        self.parked += 1
        self.last_error = dead_letters.describe(error)
        _parked.add(1, {"consumer": self.group, "topic": registry_name(record.topic)})
        self.last_parked = {
            "id": dead_letters.event_id_of(record) or f"{record.topic}:{record.partition}:{record.offset}",
            "from": f"{record.topic}[{record.partition}]@{record.offset}",
            "error": self.last_error,
            "attempts": attempts,
            "at": time.time(),
        }
        log.error(
            "consumer %s: parked %s[%d]@%d on %s after %d attempts: %s",
            self.group,
            record.topic,
            record.partition,
            record.offset,
            topic,
            attempts,
            self.last_error,
        )

    # --- health ---

    def healthy(self, stall_seconds: float) -> bool:
        """False when Kafka has not answered for `stall_seconds` (away, or the consumer is stuck
        waiting for its database): it cannot make progress."""
        return time.monotonic() - self.kafka_ok_at < stall_seconds

    def status(self) -> dict[str, Any]:
        """What it is doing (Kafka's names of its group and topics; metrics carry the registry's)."""
        lag = dict(self.lag)
        return {
            "group": self.group,
            "topics": list(self.topics),
            "state": self.state,
            "kafka_answered_seconds_ago": round(time.monotonic() - self.kafka_ok_at, 1),
            "applied": self.applied,
            "duplicates": self.duplicates,
            "failed_attempts": self.failures,
            "parked": self.parked,
            "last_parked": self.last_parked,
            "dead_letter_topic": self.dead_letter_topic,
            "lag": {f"{t}[{p}]": n for (t, p), n in sorted(lag.items())},
            "lag_total": sum(lag.values()),
        }
