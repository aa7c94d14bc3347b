"""Dead letters: the records a consumer could not apply, parked on its service's dead-letter topic.

A consumer (runtime.consumer) tries a record a bounded number of times; then it parks it on
`sbc.<service>.dead_letters.v1` (runtime.registry derives one for each service with a consumer)
and goes on. A parked record is the original one, unchanged (its key, its value, its headers:
the CloudEvents attributes and the trace context), with `sbc_dlt_*` headers added: the consumer
group, the original topic, partition, offset and timestamp, the error and its traceback, how many
attempts were made and when it was parked. A record that is not an event at all (no CloudEvents
headers) is parked the same way, at once.

    python -m <service> dead-letters list   [--group G] [--json]
    python -m <service> dead-letters replay [--group G] (--id EVENT_ID | --all)

`list` reads the whole topic and shows each parked record once (the same event parked again after
a failed replay is one entry, `times` counts them), with its status: `parked` (waiting),
`applied` (its event id is recorded as applied by its group: a replay, or a delivery, applied
it since), `not-an-event` (nothing can apply it). `replay` applies the parked events through the
group's own consumer (the service's worker, the same idempotent path: its event id is recorded in
the transaction of its effect), with the same retries; an event already applied is skipped, so a
second replay changes nothing, and one that fails again is parked again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
import traceback as tb
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from runtime import kafka_clients
from runtime.events import Event

if TYPE_CHECKING:
    from runtime import registry
    from runtime.consumer import Consumer
    from runtime.db import Database
    from runtime.service import Service

log = logging.getLogger(__name__)

PREFIX = "sbc_dlt_"
GROUP = PREFIX + "group"
TOPIC = PREFIX + "topic"
PARTITION = PREFIX + "partition"
OFFSET = PREFIX + "offset"
TIMESTAMP = PREFIX + "timestamp"
ERROR = PREFIX + "error"
TRACEBACK = PREFIX + "traceback"
ATTEMPTS = PREFIX + "attempts"
PARKED_AT = PREFIX + "parked_at"
# Headers are kept small: the error's first 1000 characters, the traceback's last 4000.
ERROR_CHARS = 1000
TRACEBACK_CHARS = 4000


@dataclass(frozen=True)
class Record:
    """A Kafka record as a consumer sees it (what a parked record is replayed as)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    timestamp: int = -1


def describe(error: BaseException | str) -> str:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return text[:ERROR_CHARS]


def traceback_of(error: BaseException | str) -> str:
    if isinstance(error, str):
        return ""
    return "".join(tb.format_exception(error))[-TRACEBACK_CHARS:]


def headers_for(record: Any, *, group: str, error: BaseException | str, attempts: int) -> list[tuple[str, bytes]]:
    """The parked record's headers: the original ones, then where it came from and why it is here."""
    original = [(k, v or b"") for k, v in (record.headers or []) if not k.startswith(PREFIX)]
    added = {
        GROUP: group,
        TOPIC: record.topic,
        PARTITION: str(record.partition),
        OFFSET: str(record.offset),
        TIMESTAMP: str(getattr(record, "timestamp", -1)),
        ERROR: describe(error),
        TRACEBACK: traceback_of(error),
        ATTEMPTS: str(attempts),
        PARKED_AT: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return original + [(k, v.encode()) for k, v in added.items()]


def event_id_of(record: Any) -> str:
    """The record's event id, or "" when it is not an event."""
    try:
        return Event.from_headers(record.headers, record.value).id
    except ValueError:
        return ""


class Producer:
    """Writes parked records (made on first use; the broker acknowledges each before it counts)."""

    def __init__(self, bootstrap_servers: str, client_id: str):
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self._producer: Any = None

    def park(self, topic: str, record: Any, headers: list[tuple[str, bytes]]) -> None:
        if self._producer is None:
            self._producer = kafka_clients.producer(
                self.bootstrap_servers,
                acks="all",
                retries=5,
                max_in_flight_requests_per_connection=1,
                request_timeout_ms=15_000,
                delivery_timeout_ms=30_000,
                reconnect_backoff_max_ms=2_000,
                # A missing dead-letter topic (auto-creation is off) fails here, not forever.
                max_block_ms=10_000,
                client_id=self.client_id,
            )
        try:
            self._producer.send(topic, key=record.key, value=record.value, headers=headers).get(timeout=30)
        except Exception as exc:
            self.close()
            raise RuntimeError(
                f"could not park a record on {topic} ({type(exc).__name__}: {exc}); is the topic created "
                "(python -m runtime.registry topics)? The record is not committed: it is tried again"
            ) from exc

    def close(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=5)
            except Exception:
                pass
            self._producer = None


# --- reading them back ---


@dataclass
class Parked:
    """One parked record (the newest copy when it was parked more than once)."""

    id: str  # its event id; topic:partition:offset when it is not an event
    group: str
    event_type: str
    topic: str
    partition: int
    offset: int
    key: str
    error: str
    traceback: str
    attempts: int
    parked_at: str
    times: int
    is_event: bool
    status: str = "parked"  # parked | applied | not-an-event

    def record(self, raw: Any) -> Record:
        """The original record, as its consumer saw it."""
        return Record(
            topic=self.topic,
            partition=self.partition,
            offset=self.offset,
            key=raw.key,
            value=raw.value,
            headers=[(k, v) for k, v in raw.headers or [] if not k.startswith(PREFIX)],
            timestamp=int(_header(raw, TIMESTAMP) or -1),
        )


def _header(raw: Any, name: str) -> str:
    for k, v in raw.headers or []:
        if k == name:
            return (v or b"").decode("utf-8", "replace")
    return ""


def read_topic(bootstrap_servers: str, topic: str, timeout: float = 30.0) -> list[Any]:
    """Every record of `topic`, from its beginning to its end as it is now."""
    from kafka import TopicPartition

    consumer = kafka_clients.consumer(
        bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        client_id="sbc-dead-letters",
    )
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise SystemExit(f"the dead-letter topic {topic} does not exist: create the registry's topics")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end in {timeout:.0f} s")
            for records in consumer.poll(timeout_ms=500).values():
                out.extend(records)
        return sorted(out, key=lambda r: (r.timestamp, r.partition, r.offset))
    finally:
        consumer.close(autocommit=False)


def collect(raws: Sequence[Any]) -> list[tuple[Parked, Any]]:
    """One entry per (group, event), the newest copy, in the order they were first parked."""
    entries: dict[tuple[str, str], tuple[Parked, Any]] = {}
    for raw in raws:
        group = _header(raw, GROUP)
        topic = _header(raw, TOPIC)
        partition, offset = int(_header(raw, PARTITION) or -1), int(_header(raw, OFFSET) or -1)
        original = [(k, v) for k, v in raw.headers or [] if not k.startswith(PREFIX)]
        try:
            event: Event | None = Event.from_headers(original, raw.value)
        except ValueError:
            event = None
        ident = event.id if event is not None else f"{topic}:{partition}:{offset}"
        before = entries.get((group, ident))
        entries[(group, ident)] = (
            Parked(
                id=ident,
                group=group,
                event_type=event.type if event is not None else "",
                topic=topic,
                partition=partition,
                offset=offset,
                key=(raw.key or b"").decode("utf-8", "replace"),
                error=_header(raw, ERROR),
                traceback=_header(raw, TRACEBACK),
                attempts=int(_header(raw, ATTEMPTS) or 0),
                parked_at=_header(raw, PARKED_AT),
                times=(before[0].times if before else 0) + 1,
                is_event=event is not None,
                status="parked" if event is not None else "not-an-event",
            ),
            raw,
        )
    return list(entries.values())


# --- the command: python -m <service> dead-letters list|replay ---


def _parser(service: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=f"python -m {service} dead-letters",
        description=f"The records {service}'s consumers parked on its dead-letter topic.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="show the parked records and whether each has been applied since")
    ls.add_argument("--group", help="only this consumer group's (the registry's name)")
    ls.add_argument("--json", action="store_true", help="one JSON object a line")
    rp = sub.add_parser("replay", help="apply parked events again through their consumer (idempotent)")
    rp.add_argument("--group", help="only this consumer group's (the registry's name)")
    which = rp.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", dest="event_id", help="the event id that `list` shows")
    which.add_argument("--all", action="store_true", help="every parked event not applied yet")
    return p


class DeadLetters:
    """The dead letters on `topic` (a Kafka name) of consumers writing to `db`, and a way to make
    the consumer of each group (`make_consumer(group)`, on demand) that applies their replays."""

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        db: Database,
        groups: Mapping[str, Callable[[], Consumer]],
        owner: str = "",
    ):
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.db = db
        # Kafka group name -> a factory of its consumer.
        self.groups = dict(groups)
        self.owner = owner or topic
        self._consumers: dict[str, Consumer] = {}

    @classmethod
    def of(cls, service: Service) -> DeadLetters:
        """A service's: its consumers are its worker processes, made as the runtime makes them."""
        from runtime import db as dbmod
        from runtime.consumer import Consumer
        from runtime.service import Context
        from runtime.settings import Settings, kafka_name

        entry = service.entry
        topic = entry.dead_letters
        if topic is None:
            raise SystemExit(f"{service.name} has no consumer, so no dead letters")
        settings = Settings.from_env(service.name, entry.port)
        db = dbmod.Database(settings.effective_database_url)

        def maker(process: registry.Process) -> Callable[[], Consumer]:
            def make() -> Consumer:
                worker = service.workers[process.name](Context(settings, db, entry, process))
                if not isinstance(worker, Consumer):
                    raise LookupError(f"{process.component} is not a runtime consumer")
                return worker

            return make

        groups = {kafka_name(p.group): maker(p) for p in entry.consumers}
        return cls(settings.kafka_bootstrap_servers, kafka_name(topic.name), db, groups, owner=service.name)

    def group_filter(self, group: str | None) -> str | None:
        """The Kafka name of `--group` (the registry's name, or already the Kafka one)."""
        from runtime.settings import kafka_name, registry_name

        if group is None:
            return None
        for name in (kafka_name(group), group):
            if name in self.groups:
                return name
        known = ", ".join(registry_name(g) for g in self.groups)
        raise SystemExit(f"{self.owner} has no consumer group {group!r}; its groups: {known}")

    def entries(self, group: str | None = None) -> list[tuple[Parked, Any]]:
        """The parked records (of `group`, a Kafka name), each with whether it is applied by now."""
        from runtime.consumer import already_applied

        found = collect(read_topic(self.bootstrap_servers, self.topic))
        if group is not None:
            found = [(p, raw) for p, raw in found if p.group == group]
        with self.db.transaction() as s:
            for p, _ in found:
                if p.is_event and already_applied(s, p.group, p.id):
                    p.status = "applied"
        return found

    def consumer(self, group: str) -> Consumer:
        """The group's own consumer (never started: it applies the replays), parking on this topic."""
        if group not in self._consumers:
            make = self.groups.get(group)
            if make is None:
                raise LookupError(f"the group {group} is none of {self.owner}'s consumers")
            worker = make()
            worker.dead_letter_topic = self.topic
            self._consumers[group] = worker
        return self._consumers[group]

    def replay(self, entries: list[tuple[Parked, Any]], named: bool, out=sys.stdout) -> int:
        """Apply each parked event; 0 when each is applied (now or before), else 1. A record that is
        not an event is passed over (and counts as a failure only when it was named by --id)."""
        failed = 0
        for p, raw in entries:
            if not p.is_event:
                print(f"skipped  {p.id} ({p.group}): not an event, nothing can apply it", file=out)
                failed += named
                continue
            if p.status == "applied":
                print(f"skipped  {p.id} ({p.group}): already applied", file=out)
                continue
            consumer = self.consumer(p.group)
            with consumer.opened():
                outcome = consumer.settle(p.record(raw))
            if outcome == "applied":
                p.status = "applied"
                print(f"applied  {p.id} ({p.group})", file=out)
            elif outcome == "duplicate":
                p.status = "applied"
                print(f"skipped  {p.id} ({p.group}): already applied", file=out)
            else:
                failed += 1
                print(f"failed   {p.id} ({p.group}): parked again: {consumer.last_error}", file=out)
        return 1 if failed else 0

    def close(self) -> None:
        for c in self._consumers.values():
            c.close()


def _show(entries: list[tuple[Parked, Any]], topic: str, as_json: bool, out=sys.stdout) -> None:
    if as_json:
        for p, _ in entries:
            print(json.dumps(asdict(p), ensure_ascii=False), file=out)
        return
    waiting = sum(1 for p, _ in entries if p.status == "parked")
    print(f"{topic}: {len(entries)} parked records, {waiting} waiting for a replay", file=out)
    for p, _ in entries:
        print(
            f"{p.status:<13} {p.group}  {p.id}  {p.event_type or '-'}  from {p.topic}[{p.partition}]@{p.offset}"
            f"  key {p.key or '-'}  parked {p.parked_at} after {p.attempts} attempts"
            + (f" ({p.times} times)" if p.times > 1 else ""),
            file=out,
        )
        print(f"{'':<13} {p.error}", file=out)


def main(service: Service, argv: list[str]) -> int:
    from runtime import telemetry
    from runtime.settings import env

    args = _parser(service.name).parse_args(argv)
    # The report goes to stdout; logs (retries of a replay) to stderr.
    level = env("LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(stream=sys.stderr, level=level, format="%(levelname)s %(message)s")
    logging.getLogger("kafka").setLevel(logging.ERROR)
    telemetry.setup_telemetry(f"{service.name}-dead-letters")
    dl = DeadLetters.of(service)
    try:
        entries = dl.entries(dl.group_filter(args.group))
        if args.command == "list":
            _show(entries, dl.topic, args.json)
            return 0
        if not args.all:
            entries = [(p, raw) for p, raw in entries if p.id == args.event_id]
            if not entries:
                print(f"no parked record with id {args.event_id}", file=sys.stderr)
                return 1
        return dl.replay(entries, named=not args.all)
    finally:
        dl.close()
        dl.db.dispose()
        telemetry.flush()
