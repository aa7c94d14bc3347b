"""Poison records against the real Kafka broker, on SQLite and on PostgreSQL: a record whose
handler keeps failing is tried a bounded number of times, then parked on the dead-letter topic
with its error and group, and the partition goes on; what is parked and the lag show in the
consumer's status and metrics; `dead-letters list` shows them and `replay` applies them once."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from kafka import TopicPartition
from opentelemetry.metrics import CallbackOptions
from sqlalchemy import Column, MetaData, String, Table, select

from runtime import consumer as consumer_mod
from runtime import dead_letters, kafka_clients, outbox, registry, status
from runtime.consumer import Consumer, RetryPolicy, already_applied, mark_applied
from runtime.db import Database
from runtime.dead_letters import DeadLetters
from runtime.events import Event
from runtime.outbox import Relay
from runtime.settings import REPO_ROOT
from sbc.events.v1 import servicedesk_events_pb2

pytestmark = pytest.mark.infra

EVENT_TYPE = "sbc.test.submitted.v1"
FAST = RetryPolicy(attempts=3, first_pause=0.05)


def make_db(url: str) -> tuple[Database, Table]:
    metadata = MetaData()
    outbox.define_tables(metadata)
    consumer_mod.define_tables(metadata)
    effects = Table("effects", metadata, Column("request_id", String(36), primary_key=True))
    db = Database(url)
    metadata.create_all(db.engine)
    return db, effects


def publish(db: Database, bootstrap: str, topic: str, numbers, key: str = "agg-1") -> list[str]:
    """Events r-<n> through the outbox and the relay; their event ids."""
    ids = []
    with db.transaction() as s:
        for i in numbers:
            m = servicedesk_events_pb2.ServiceRequestSubmitted(request_id=f"r-{i}", reference_number=f"SR-{i:06d}")
            ids.append(outbox.publish(s, topic=topic, key=key, message=m, event_type=EVENT_TYPE, source="test").id)
    relay = Relay(db, bootstrap)
    while relay.run_once():
        pass
    return ids


def applied_ids(db: Database, effects: Table) -> list[str]:
    with db.transaction() as s:
        return sorted(s.execute(select(effects.c.request_id)).scalars())


def wait_for(condition, timeout: float = 30.0, what: str = "", show=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}" + (
            f": {show()}" if show else ""
        )
        time.sleep(0.05)


@contextlib.contextmanager
def running(consumer: Consumer):
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        consumer.stop()
        thread.join(15)
        assert not thread.is_alive()


def parked_on(bootstrap: str, topic: str) -> list:
    return dead_letters.read_topic(bootstrap, topic)


def headers(record) -> dict[str, str]:
    return {k: (v or b"").decode() for k, v in record.headers}


def committed(bootstrap: str, group: str, topic: str, partition: int = 0) -> int | None:
    """The group's committed offset (asked without joining the group)."""
    c = kafka_clients.consumer(bootstrap, group_id=group, enable_auto_commit=False)
    try:
        return c.committed(TopicPartition(topic, partition))
    finally:
        c.close(autocommit=False)


def recording_effect(effects: Table, broken: set[str], attempts: Counter):
    def effect(session, event):
        rid = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted).request_id
        attempts[rid] += 1
        if rid in broken:
            raise ValueError("the controller answered []")
        session.execute(effects.insert().values(request_id=rid))

    return effect


def dead_letters_of(bootstrap: str, dlt: str, db: Database, consumers: dict[str, Consumer]) -> DeadLetters:
    return DeadLetters(bootstrap, dlt, db, {g: (lambda c=c: c) for g, c in consumers.items()}, owner="test")


def test_a_poison_record_is_retried_then_parked_and_its_partition_goes_on_and_a_replay_applies_it_once(
    database_url, new_topic, kafka_bootstrap
):
    db, effects = make_db(database_url)
    topic = new_topic(1)
    dlt = new_topic(1, name=f"test.{uuid.uuid4().hex[:10]}.dead_letters.v1")
    ids = publish(db, kafka_bootstrap, topic, range(5))
    broken, attempts = {"r-2"}, Counter()
    group = f"g-{topic}"
    c = Consumer(
        db,
        kafka_bootstrap,
        group,
        [topic],
        {EVENT_TYPE: recording_effect(effects, broken, attempts)},
        poll_timeout_ms=200,
        retry=FAST,
        dead_letter_topic=dlt,
    )
    c.lag_interval = 0.0
    with running(c):
        wait_for(lambda: c.applied == 4 and c.parked == 1, what="4 applied, 1 parked")
        # The records after it on the same partition are applied; the group is committed past it.
        assert applied_ids(db, effects) == ["r-0", "r-1", "r-3", "r-4"]
        assert attempts["r-2"] == FAST.attempts
        wait_for(lambda: committed(kafka_bootstrap, group, topic) == 5, what="committed past the poison record")
        wait_for(lambda: c.status()["lag"] == {f"{topic}[0]": 0}, what="lag measured")
        st = c.status()
        assert st["parked"] == 1 and st["applied"] == 4 and st["failed_attempts"] == FAST.attempts
        assert st["last_parked"]["id"] == ids[2] and st["last_parked"]["from"] == f"{topic}[0]@2"
        assert st["last_parked"]["error"] == "ValueError: the controller answered []"
        assert st["lag_total"] == 0 and st["state"] == "consuming" and st["dead_letter_topic"] == dlt
        assert c.healthy(60)

    # Parked: the original record (key, value, headers) with where it came from and why.
    (raw,) = parked_on(kafka_bootstrap, dlt)
    h = headers(raw)
    assert raw.key == b"agg-1"
    assert h["ce_id"] == ids[2] and h["ce_type"] == EVENT_TYPE and "traceparent" in h
    assert h["sbc_dlt_group"] == group and h["sbc_dlt_topic"] == topic
    assert (h["sbc_dlt_partition"], h["sbc_dlt_offset"], h["sbc_dlt_attempts"]) == ("0", "2", "3")
    assert h["sbc_dlt_error"] == "ValueError: the controller answered []"
    assert "Traceback" in h["sbc_dlt_traceback"] and h["sbc_dlt_parked_at"]
    assert (
        Event.from_headers(raw.headers, raw.value).decode(servicedesk_events_pb2.ServiceRequestSubmitted).request_id
        == "r-2"
    )

    # list shows it, waiting.
    replayer = Consumer(
        db,
        kafka_bootstrap,
        group,
        [topic],
        {EVENT_TYPE: recording_effect(effects, broken, attempts)},
        retry=FAST,
    )
    dl = dead_letters_of(kafka_bootstrap, dlt, db, {group: replayer})
    (entry,) = [p for p, _ in dl.entries()]
    assert (entry.id, entry.group, entry.status, entry.attempts, entry.times) == (ids[2], group, "parked", 3, 1)
    assert (entry.topic, entry.partition, entry.offset, entry.key) == (topic, 0, 2, "agg-1")
    assert entry.error == "ValueError: the controller answered []" and entry.event_type == EVENT_TYPE
    out = io.StringIO()
    dead_letters._show(dl.entries(), dlt, as_json=False, out=out)
    assert "1 waiting for a replay" in out.getvalue() and ids[2] in out.getvalue()

    # The handler is fixed: a replay applies it, once.
    broken.clear()
    stale = dl.entries()
    assert dl.replay(stale, named=False, out=io.StringIO()) == 0
    assert applied_ids(db, effects) == ["r-0", "r-1", "r-2", "r-3", "r-4"]
    assert attempts["r-2"] == FAST.attempts + 1
    # A second replay changes nothing: listed as applied, skipped...
    assert [p.status for p, _ in dl.entries()] == ["applied"]
    again = io.StringIO()
    assert dl.replay(dl.entries(), named=True, out=again) == 0
    assert "already applied" in again.getvalue()
    # ...and even from a stale list, the idempotent path applies it no second time.
    for p, _ in stale:
        p.status = "parked"
    assert dl.replay(stale, named=False, out=io.StringIO()) == 0
    assert applied_ids(db, effects) == ["r-0", "r-1", "r-2", "r-3", "r-4"]
    assert attempts["r-2"] == FAST.attempts + 1
    with db.transaction() as s:
        assert already_applied(s, group, ids[2])
    assert len(parked_on(kafka_bootstrap, dlt)) == 1


def test_a_replay_that_fails_again_parks_it_again(database_url, new_topic, kafka_bootstrap):
    db, effects = make_db(database_url)
    topic = new_topic(1)
    dlt = new_topic(1, name=f"test.{uuid.uuid4().hex[:10]}.dead_letters.v1")
    (event_id,) = publish(db, kafka_bootstrap, topic, [7])
    attempts: Counter = Counter()
    group = f"g-{topic}"

    def make() -> Consumer:
        effect = recording_effect(effects, {"r-7"}, attempts)
        return Consumer(db, kafka_bootstrap, group, [topic], {EVENT_TYPE: effect}, retry=FAST, dead_letter_topic=dlt)

    c = make()
    with running(c):
        wait_for(lambda: c.parked == 1)
    dl = dead_letters_of(kafka_bootstrap, dlt, db, {group: make()})
    out = io.StringIO()
    assert dl.replay(dl.entries(), named=True, out=out) == 1
    assert "parked again: ValueError: the controller answered []" in out.getvalue()
    assert attempts["r-7"] == 2 * FAST.attempts
    assert len(parked_on(kafka_bootstrap, dlt)) == 2
    (entry,) = [p for p, _ in dl.entries()]
    assert (entry.id, entry.status, entry.times) == (event_id, "parked", 2)
    assert applied_ids(db, effects) == []


def test_a_record_that_is_not_an_event_is_parked_at_once_not_dropped(tmp_path, new_topic, kafka_bootstrap):
    db, effects = make_db(f"sqlite:///{tmp_path / 'test.db'}")
    topic = new_topic(1)
    dlt = new_topic(1, name=f"test.{uuid.uuid4().hex[:10]}.dead_letters.v1")
    producer = kafka_clients.producer(kafka_bootstrap)
    producer.send(topic, key=b"k", value=b"not protobuf, no headers").get(30)
    producer.send(topic, key=b"k", value=b"{}", headers=[("content-type", b"application/json")]).get(30)
    producer.close()
    publish(db, kafka_bootstrap, topic, [1])
    attempts: Counter = Counter()
    group = f"g-{topic}"
    c = Consumer(
        db,
        kafka_bootstrap,
        group,
        [topic],
        {EVENT_TYPE: recording_effect(effects, set(), attempts)},
        retry=FAST,
        dead_letter_topic=dlt,
    )
    with running(c):
        wait_for(lambda: c.applied == 1 and c.parked == 2)
    assert applied_ids(db, effects) == ["r-1"] and c.failures == 0
    parked = parked_on(kafka_bootstrap, dlt)
    assert [r.value for r in parked] == [b"not protobuf, no headers", b"{}"]
    assert headers(parked[1])["content-type"] == "application/json"
    assert all(headers(r)["sbc_dlt_error"].startswith("not an event: missing headers") for r in parked)
    assert [headers(r)["sbc_dlt_attempts"] for r in parked] == ["1", "1"]
    dl = dead_letters_of(kafka_bootstrap, dlt, db, {group: c})
    entries = dl.entries()
    assert [(p.id, p.status) for p, _ in entries] == [
        (f"{topic}:0:0", "not-an-event"),
        (f"{topic}:0:1", "not-an-event"),
    ]
    # Nothing can apply them: `replay --all` passes them over, `--id` says it failed.
    assert dl.replay(entries, named=False, out=io.StringIO()) == 0
    assert dl.replay(entries[:1], named=True, out=io.StringIO()) == 1
    assert len(parked_on(kafka_bootstrap, dlt)) == 2


def test_the_lag_of_each_partition_shows_in_the_status_and_the_metric(tmp_path, new_topic, kafka_bootstrap):
    db, _ = make_db(f"sqlite:///{tmp_path / 'test.db'}")
    topic = new_topic(2)
    dlt = new_topic(1, name=f"test.{uuid.uuid4().hex[:10]}.dead_letters.v1")
    producer = kafka_clients.producer(kafka_bootstrap)
    for i in range(6):
        e = Event.new(servicedesk_events_pb2.ServiceRequestSubmitted(request_id=f"r-{i}"), EVENT_TYPE, "test", "x")
        producer.send(topic, key=b"x", value=e.payload, headers=e.headers(), partition=i % 2).get(30)
    producer.close()
    gate, calls = threading.Event(), []

    def slow(session, event):
        calls.append(event.id)
        if len(calls) == 2:
            gate.wait(30)  # the second record holds the consumer up

    group = f"g-{topic}"
    c = Consumer(db, kafka_bootstrap, group, [topic], {EVENT_TYPE: slow}, retry=FAST, dead_letter_topic=dlt)
    c.max_poll_records, c.lag_interval = 1, 0.0

    def observed() -> dict[int, int]:
        found = [o for o in consumer_mod._observe_lag(CallbackOptions()) if o.attributes["consumer"] == group]
        assert all(o.attributes["topic"] == topic for o in found)
        return {o.attributes["partition"]: o.value for o in found}

    with running(c):
        # One record applied, one in hand: five not yet consumed, over both partitions.
        wait_for(lambda: len(calls) == 2 and c.status()["lag_total"] == 5, what="lag of 5")
        assert set(c.status()["lag"]) == {f"{topic}[0]", f"{topic}[1]"}
        assert sum(observed().values()) == 5 and set(observed()) == {0, 1}
        gate.set()
        wait_for(lambda: c.applied == 6 and c.status()["lag_total"] == 0, what="caught up")
        assert observed() == {0: 0, 1: 0}
    assert c.status()["state"] == "stopped"


def test_a_consumer_whose_database_does_not_answer_parks_nothing_and_says_it_is_stuck(new_topic, kafka_bootstrap):
    """When the database is away every record fails, and none of them is to blame."""
    topic = new_topic(1)
    dlt = new_topic(1, name=f"test.{uuid.uuid4().hex[:10]}.dead_letters.v1")
    event = Event.new(servicedesk_events_pb2.ServiceRequestSubmitted(request_id="r-1"), EVENT_TYPE, "test", "r-1")
    producer = kafka_clients.producer(kafka_bootstrap)
    producer.send(topic, key=b"r-1", value=event.payload, headers=event.headers()).get(30)
    producer.close()
    away = Database("postgresql+psycopg://sbc:sbc@127.0.0.1:1/nowhere?connect_timeout=1")
    c = Consumer(
        away,
        kafka_bootstrap,
        f"g-{topic}",
        [topic],
        {EVENT_TYPE: lambda s, e: None},
        retry=RetryPolicy(attempts=2, first_pause=0.05, max_pause=0.2),
        dead_letter_topic=dlt,
    )
    with running(c):
        wait_for(lambda: c.failures >= 6, what="several failed attempts")
        time.sleep(1.0)
        assert c.parked == 0 and c.status()["state"].startswith("retrying")
        # Kafka has not heard from it since it took the record: it cannot make progress.
        assert not c.healthy(0.5) and c.healthy(60)
    assert parked_on(kafka_bootstrap, dlt) == []


class Loudspeakers(Consumer):
    """Like the alerts service's channel consumers: overrides apply() only. It 'sends' each
    broadcast to a controller and records the receipt; one controller answers `[]`."""

    def __init__(self, db, bootstrap, group, topic, effects, replies, **kw):
        super().__init__(db, bootstrap, group, [topic], {}, **kw)
        self.effects, self.replies, self.sent = effects, replies, []

    def apply(self, event: Event, span=None) -> bool:
        with self.db.transaction() as s:
            if already_applied(s, self.group, event.id):
                self.duplicates += 1
                return False
        rid = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted).request_id
        self.sent.append(rid)
        reply = self.replies.get(rid, {"EBDID": rid, "result": "played"})
        receipt = reply.get("EBDID")  # a controller that answered [] has no .get
        with self.db.transaction() as s:
            s.execute(self.effects.insert().values(request_id=receipt))
            mark_applied(s, self.group, event)
        self.applied += 1
        return True


def test_a_loudspeaker_controller_that_answers_a_list_no_longer_stops_the_broadcasts_behind_it(
    tmp_path, new_topic, kafka_bootstrap
):
    db, effects = make_db(f"sqlite:///{tmp_path / 'test.db'}")
    topic = new_topic(1)
    dlt = new_topic(1, name=f"test.{uuid.uuid4().hex[:10]}.dead_letters.v1")
    publish(db, kafka_bootstrap, topic, range(4), key="alert-1")
    worker = Loudspeakers(
        db, kafka_bootstrap, f"g-{topic}", topic, effects, {"r-1": []}, retry=FAST, dead_letter_topic=dlt
    )
    with running(worker) as thread:
        wait_for(lambda: worker.applied == 3 and worker.parked == 1)
        assert thread.is_alive() and worker.healthy(60)
        assert applied_ids(db, effects) == ["r-0", "r-2", "r-3"]
        assert worker.sent.count("r-1") == FAST.attempts
        assert worker.status()["last_parked"]["error"] == "AttributeError: 'list' object has no attribute 'get'"
    (raw,) = parked_on(kafka_bootstrap, dlt)
    assert headers(raw)["sbc_dlt_error"] == "AttributeError: 'list' object has no attribute 'get'"


# --- the worker process: its status beside its health, and the command ---


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int, name: str = "") -> int:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as ch:
        return health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(service=name), timeout=2).status


def test_a_worker_shows_what_it_parked_and_its_lag_on_its_health_port_and_the_command_lists_and_replays(
    tmp_path, new_topic, kafka_bootstrap
):
    """`python -m notifications consumer` as the chart runs it (alone, HEALTH_PORT), then
    `python -m notifications dead-letters list|replay` beside it."""
    prefix = f"test-{uuid.uuid4().hex[:8]}."
    source = new_topic(2, name=prefix + "sbc.servicedesk.requests.v1")
    dlt = new_topic(1, name=prefix + "sbc.notifications.dead_letters.v1")
    # Every other topic the consumer reads, as a deployment has them (a missing one keeps its
    # group's metadata unsettled, and the replays below join that group).
    for topic in registry.load().consumer_of_group("notifications").reads:
        if topic != "sbc.servicedesk.requests.v1":
            new_topic(1, name=prefix + topic)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "services"), str(REPO_ROOT / "protos")]),
        "DATA_DIR": str(tmp_path),
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "KAFKA_PREFIX": prefix,
        "HEALTH_PORT": str(port),
    }
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "notifications", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("migrate").returncode == 0
    # A submitted request whose payload is not its message, and a record that is no event.
    bad = Event.new(servicedesk_events_pb2.ServiceRequestSubmitted(), "sbc.servicedesk.request.submitted.v1", "t", "x")
    producer = kafka_clients.producer(kafka_bootstrap)
    producer.send(source, key=b"hh-1", value=b"\xff\xff\xff", headers=bad.headers(), partition=0).get(30)
    producer.send(source, key=b"hh-1", value=b"hello", partition=0).get(30)
    producer.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "notifications", "consumer"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        component = "notifications-consumer"

        def worker_status() -> dict:
            try:
                return status.get(f"127.0.0.1:{port}")["workers"][component]
            except grpc.RpcError:
                assert proc.poll() is None, proc.stdout.read()
                return {}

        wait_for(lambda: worker_status().get("parked") == 2, timeout=60, what="2 parked")
        wait_for(
            lambda: (
                {k: v for k, v in (worker_status().get("lag") or {}).items() if k.startswith(source)}
                == {f"{source}[0]": 0, f"{source}[1]": 0}
            ),
            what="lag",
            timeout=20,
            show=worker_status,
        )
        st = worker_status()
        assert st["serving"] is True and st["kind"] == "consumer" and st["state"] == "consuming"
        assert st["group"] == prefix + "notifications" and st["dead_letter_topic"] == dlt
        assert st["last_parked"]["error"].startswith("not an event")
        assert health(port) == health(port, component) == health_pb2.HealthCheckResponse.SERVING
        grpcurl = shutil.which("grpcurl") or str(REPO_ROOT / ".cache" / "go" / "bin" / "grpcurl")
        if os.path.exists(grpcurl):  # what an SRE types: reflection describes it, no proto file needed
            out = subprocess.run(
                [grpcurl, "-plaintext", f"127.0.0.1:{port}", f"{status.SERVICE_NAME}/Get"],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert out.returncode == 0, out.stderr
            assert '"parked": 2' in out.stdout and component in out.stdout

        listed = run("dead-letters", "list")
        assert listed.returncode == 0, listed.stderr
        assert f"{dlt}: 2 parked records, 1 waiting for a replay" in listed.stdout
        assert bad.id in listed.stdout and "DecodeError" in listed.stdout
        assert f"not-an-event  {prefix}notifications  {source}:0:1" in listed.stdout
        assert run("dead-letters", "list", "--group", "notifications").stdout == listed.stdout
        nope = run("dead-letters", "list", "--group", "nope")
        assert nope.returncode != 0 and "no consumer group 'nope'; its groups: notifications" in nope.stderr

        # Its payload is still not a message: the replay fails again and parks it again.
        replayed = run("dead-letters", "replay", "--id", bad.id)
        assert (
            replayed.returncode == 1 and f"failed   {bad.id}" in replayed.stdout and "parked again" in replayed.stdout
        )
        assert len(parked_on(kafka_bootstrap, dlt)) == 3
        assert "(2 times)" in run("dead-letters", "list").stdout
        assert run("dead-letters", "replay", "--id", "no-such-id").returncode == 1
        usage = run("dead-letters", "replay")
        assert usage.returncode == 2 and "one of the arguments --id --all is required" in usage.stderr

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_service_without_consumers_has_no_dead_letters():
    out = subprocess.run(
        [sys.executable, "-m", "identity", "dead-letters", "list"],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "services"), str(REPO_ROOT / "protos")])},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0 and "identity has no consumer, so no dead letters" in out.stderr


def test_each_service_with_a_consumer_has_a_dead_letter_topic_no_entry_names_and_none_publishes():
    import copy

    import yaml

    from runtime import registry

    reg = registry.load()
    derived = {t.name: t for t in reg.topics() if t.dead_letters}
    assert set(derived) == {f"sbc.{s.name}.dead_letters.v1" for s in reg.services.values() if s.consumers}
    assert "sbc.identity.dead_letters.v1" not in derived  # identity consumes nothing
    assert all(
        registry.TOPIC.match(n) and (t.partitions, t.retention_ms) == (1, 2_592_000_000) for n, t in derived.items()
    )
    raw = yaml.safe_load(registry.REGISTRY_FILE.read_text(encoding="utf-8"))
    data = copy.deepcopy(raw)
    data["services"]["alerts"]["publishes"]["sbc.alerts.dead_letters.v1"] = {"partitions": 1, "retention_ms": -1}
    with pytest.raises(registry.RegistryError, match="a dead_letters topic is the runtime's"):
        registry.parse(data)
    data = copy.deepcopy(raw)
    data["services"]["alerts"]["processes"]["iot"]["reads"] = ["sbc.servicedesk.dead_letters.v1"]
    with pytest.raises(registry.RegistryError, match="which no service publishes"):
        registry.parse(data)
