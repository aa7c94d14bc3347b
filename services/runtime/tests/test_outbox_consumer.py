"""The outbox relay and the idempotent consumer against the real Kafka broker,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, select

from runtime import consumer as consumer_mod
from runtime import kafka_clients, outbox
from runtime.consumer import Consumer
from runtime.db import Database
from runtime.events import Event
from runtime.outbox import Relay
from sbc.events.v1 import servicedesk_events_pb2

pytestmark = pytest.mark.infra

EVENT_TYPE = "sbc.test.submitted.v1"


def make_db(url: str) -> tuple[Database, Table]:
    metadata = MetaData()
    outbox.define_tables(metadata)
    consumer_mod.define_tables(metadata)
    effects = Table("effects", metadata, Column("request_id", String(36), primary_key=True))
    db = Database(url)
    metadata.create_all(db.engine)
    return db, effects


def message(i: int) -> servicedesk_events_pb2.ServiceRequestSubmitted:
    return servicedesk_events_pb2.ServiceRequestSubmitted(request_id=f"r-{i}", reference_number=f"SR-{i:06d}")


def read_all(bootstrap: str, topic: str, expected: int, timeout: float = 30.0) -> list:
    c = kafka_clients.consumer(
        bootstrap,
        topic,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    out, deadline = [], time.monotonic() + timeout
    while len(out) < expected and time.monotonic() < deadline:
        for records in c.poll(timeout_ms=500).values():
            out.extend(records)
    c.close()
    return out


def test_state_change_and_event_commit_together_or_not_at_all(database_url):
    db, effects = make_db(database_url)
    with db.transaction() as s:
        s.execute(effects.insert().values(request_id="kept"))
        outbox.publish(s, topic="t", key="kept", message=message(1), event_type=EVENT_TYPE, source="test")
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            s.execute(effects.insert().values(request_id="rolled-back"))
            outbox.publish(s, topic="t", key="rolled-back", message=message(2), event_type=EVENT_TYPE, source="test")
            raise RuntimeError("the request failed after writing")
    with db.transaction() as s:
        assert s.execute(select(effects.c.request_id)).scalars().all() == ["kept"]
        assert [r.key for r in s.execute(select(outbox.outbox_table()))] == ["kept"]


def test_relay_publishes_in_order_with_cloudevents_headers_and_marks_sent(database_url, new_topic, kafka_bootstrap):
    db, _ = make_db(database_url)
    topic = new_topic(3)
    with db.transaction() as s:
        for i in range(30):
            # Three aggregates, ten events each: each key's events must arrive in order.
            outbox.publish(
                s, topic=topic, key=f"agg-{i % 3}", message=message(i), event_type=EVENT_TYPE, source="sbc/test"
            )
    relay = Relay(db, kafka_bootstrap, batch_size=7)
    while relay.run_once():
        pass
    assert outbox.pending_count(db) == 0
    records = read_all(kafka_bootstrap, topic, 30)
    assert len(records) == 30
    by_key: dict[bytes, list[int]] = {}
    for r in records:
        event = Event.from_headers(r.headers, r.value)
        assert event.type == EVENT_TYPE and event.source == "sbc/test" and event.time
        assert "traceparent" in event.extra
        payload = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted)
        by_key.setdefault(r.key, []).append(int(payload.request_id[2:]))
    assert set(by_key) == {b"agg-0", b"agg-1", b"agg-2"}
    for numbers in by_key.values():
        assert numbers == sorted(numbers)


def test_relay_keeps_rows_when_the_broker_is_unreachable(database_url):
    db, _ = make_db(database_url)
    with db.transaction() as s:
        outbox.publish(s, topic="nowhere", key="k", message=message(1), event_type=EVENT_TYPE, source="test")
    relay = Relay(db, "127.0.0.1:1")  # nothing listens there
    with pytest.raises(Exception):
        relay.run_once()
    assert outbox.pending_count(db) == 1


def test_consumer_applies_each_event_once_even_when_delivered_twice(database_url, new_topic, kafka_bootstrap):
    db, effects = make_db(database_url)
    topic = new_topic(2)
    with db.transaction() as s:
        for i in range(20):
            outbox.publish(s, topic=topic, key=f"r-{i}", message=message(i), event_type=EVENT_TYPE, source="test")
    relay = Relay(db, kafka_bootstrap)
    relay.run_once()
    # A relay that died before marking its rows sent publishes them again.
    t = outbox.outbox_table()
    with db.transaction() as s:
        s.execute(t.update().values(sent_at=None))
    relay.run_once()
    assert len(read_all(kafka_bootstrap, topic, 40)) == 40

    def effect(session, event):
        e = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted)
        session.execute(effects.insert().values(request_id=e.request_id))

    group = f"g-{topic}"
    c = Consumer(db, kafka_bootstrap, group, [topic], {EVENT_TYPE: effect}, poll_timeout_ms=200)
    thread = threading.Thread(target=c.run_forever)
    thread.start()
    deadline = time.monotonic() + 30
    while c.applied + c.duplicates < 40 and time.monotonic() < deadline:
        time.sleep(0.1)
    c.stop()
    thread.join(10)
    assert (c.applied, c.duplicates) == (20, 20)
    with db.transaction() as s:
        assert s.execute(select(func.count()).select_from(effects)).scalar_one() == 20


def test_consumer_retries_an_event_whose_effect_failed(database_url, new_topic, kafka_bootstrap):
    db, effects = make_db(database_url)
    topic = new_topic(1)
    with db.transaction() as s:
        outbox.publish(s, topic=topic, key="r-1", message=message(1), event_type=EVENT_TYPE, source="test")
    Relay(db, kafka_bootstrap).run_once()
    attempts = []

    def flaky(session, event):
        attempts.append(event.id)
        session.execute(effects.insert().values(request_id="r-1"))
        if len(attempts) == 1:
            raise ConnectionError("database went away mid-way")

    c = Consumer(db, kafka_bootstrap, f"g-{topic}", [topic], {EVENT_TYPE: flaky}, poll_timeout_ms=200)
    thread = threading.Thread(target=c.run_forever)
    thread.start()
    deadline = time.monotonic() + 30
    while c.applied < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    c.stop()
    thread.join(10)
    assert len(attempts) == 2 and c.applied == 1
    with db.transaction() as s:
        assert s.execute(select(func.count()).select_from(effects)).scalar_one() == 1


def test_new_consumer_group_starts_from_the_earliest_offset(database_url, new_topic, kafka_bootstrap):
    db, effects = make_db(database_url)
    topic = new_topic(1)
    with db.transaction() as s:
        for i in range(5):
            outbox.publish(s, topic=topic, key="k", message=message(i), event_type=EVENT_TYPE, source="test")
    Relay(db, kafka_bootstrap).run_once()
    seen = []
    c = Consumer(
        db, kafka_bootstrap, f"late-{topic}", [topic], {EVENT_TYPE: lambda s, e: seen.append(e.id)}, poll_timeout_ms=200
    )
    thread = threading.Thread(target=c.run_forever)
    thread.start()
    deadline = time.monotonic() + 30
    while len(seen) < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    c.stop()
    thread.join(10)
    assert len(seen) == 5


def test_relay_prunes_rows_sent_long_ago_and_keeps_the_rest(database_url):
    import datetime as dt

    db, _ = make_db(database_url)
    t = outbox.outbox_table()
    with db.transaction() as s:
        for i in range(3):
            outbox.publish(s, topic="t", key=f"k{i}", message=message(i), event_type=EVENT_TYPE, source="test")
        now = dt.datetime.now(dt.UTC)
        s.execute(t.update().where(t.c.key == "k0").values(sent_at=now - dt.timedelta(days=2)))
        s.execute(t.update().where(t.c.key == "k1").values(sent_at=now - dt.timedelta(minutes=5)))
    relay = Relay(db, "127.0.0.1:1", keep_sent=dt.timedelta(hours=24))
    assert relay.prune(every_seconds=0) == 1
    with db.transaction() as s:
        assert sorted(r.key for r in s.execute(select(t))) == ["k1", "k2"]


def test_batched_consumer_parks_the_bad_record_alone_and_applies_the_rest_once(
    database_url, new_topic, kafka_bootstrap
):
    db, effects = make_db(database_url)
    topic, dead = new_topic(1), new_topic(1)
    producer = kafka_clients.producer(kafka_bootstrap)
    made = [Event.new(message(i), type=EVENT_TYPE, source="test", subject=f"r-{i}") for i in range(10)]
    # r-3 twice in one batch (applied once); r-5 always fails (parked alone).
    for e in [*made[:4], made[3], *made[4:]]:
        producer.send(topic, key=b"k", value=e.payload, headers=e.headers())
    producer.flush(10)
    producer.close()

    def effect(session, event):
        e = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted)
        if e.request_id == "r-5":
            raise RuntimeError("a bad record")
        session.execute(effects.insert().values(request_id=e.request_id))

    c = Consumer(
        db,
        kafka_bootstrap,
        f"g-{topic}",
        [topic],
        {EVENT_TYPE: effect},
        poll_timeout_ms=200,
        retry=consumer_mod.RetryPolicy(attempts=2, first_pause=0.05),
        dead_letter_topic=dead,
        batch_size=50,
    )
    thread = threading.Thread(target=c.run_forever)
    thread.start()
    deadline = time.monotonic() + 30
    while c.applied + c.duplicates + c.parked < 11 and time.monotonic() < deadline:
        time.sleep(0.1)
    c.stop()
    thread.join(10)
    assert (c.applied, c.duplicates, c.parked) == (9, 1, 1)
    with db.transaction() as s:
        assert sorted(s.execute(select(effects.c.request_id)).scalars()) == sorted(
            f"r-{i}" for i in range(10) if i != 5
        )
    [parked] = read_all(kafka_bootstrap, dead, 1)
    assert dict(parked.headers)["ce_id"].decode() == made[5].id

    # The batch delivered again (a new member of the group from offset 0) changes nothing.
    again = Consumer(db, kafka_bootstrap, f"g-{topic}", [topic], {EVENT_TYPE: effect}, batch_size=50)
    assert again.apply_batch(read_all(kafka_bootstrap, topic, 11)[:5]) == (0, 5)
    assert again.applied == 0
