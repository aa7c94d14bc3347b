"""The relay wakes on commit (PostgreSQL: LISTEN/NOTIFY; SQLite: a commit in its process) instead of
polling, and an idle relay on SQLite backs off; against the real Kafka broker and both databases."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import MetaData

from runtime import kafka_clients, outbox
from runtime.db import Database
from runtime.outbox import Relay
from sbc.events.v1 import servicedesk_events_pb2

EVENT_TYPE = "sbc.test.submitted.v1"


def make_db(url: str) -> Database:
    metadata = MetaData()
    outbox.define_tables(metadata)
    db = Database(url)
    metadata.create_all(db.engine)
    return db


def file_one(db: Database, topic: str, i: int) -> None:
    with db.transaction() as s:
        outbox.publish(
            s,
            topic=topic,
            key=f"r-{i}",
            message=servicedesk_events_pb2.ServiceRequestSubmitted(request_id=f"r-{i}"),
            event_type=EVENT_TYPE,
            source="sbc/test",
        )


@pytest.mark.infra
def test_a_commit_wakes_an_idle_relay_long_before_its_next_look(database_url, new_topic, kafka_bootstrap):
    db = make_db(database_url)
    topic = new_topic(1)
    # Without a wake-up, the second event would wait for the relay's next look: 30 s.
    relay = Relay(db, kafka_bootstrap, idle_sleep=30, idle_max=30, listen_poll=30)
    thread = threading.Thread(target=relay.run_forever, daemon=True)
    thread.start()
    consumer = kafka_clients.consumer(kafka_bootstrap, topic, auto_offset_reset="earliest")
    try:
        latencies = []
        for i in range(2):
            t0 = time.monotonic()
            file_one(db, topic, i)
            got = []
            while not got and time.monotonic() - t0 < 20:
                got = [r for rs in consumer.poll(timeout_ms=200).values() for r in rs]
            assert [r.key for r in got] == [f"r-{i}".encode()]
            latencies.append(time.monotonic() - t0)
        # The second event was filed while the relay waited, with nothing to send, for 30 s.
        assert latencies[1] < 5, latencies
    finally:
        consumer.close()
        relay.stop()
        thread.join(10)
    assert not thread.is_alive(), "stop() wakes the waiting relay"
    assert outbox.pending_count(db) == 0


def test_a_rolled_back_transaction_wakes_nobody(tmp_path):
    db = make_db(f"sqlite:///{tmp_path / 'o.db'}")
    before = outbox._commits
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            outbox.publish(
                s,
                topic="t",
                key="k",
                message=servicedesk_events_pb2.ServiceRequestSubmitted(request_id="k"),
                event_type=EVENT_TYPE,
                source="sbc/test",
            )
            raise RuntimeError("failed after writing")
    with db.transaction():
        pass  # a later commit without outbox rows
    assert outbox._commits == before
    file_one(db, "t", 1)
    assert outbox._commits == before + 1


def test_an_idle_relay_backs_off_and_comes_back_to_fast_looks_after_work(tmp_path):
    db = make_db(f"sqlite:///{tmp_path / 'o.db'}")
    relay = Relay(db, "127.0.0.1:1", idle_sleep=0.05, idle_max=1.0)
    # What each look finds: nothing six times, a batch, nothing again.
    found = iter([0, 0, 0, 0, 0, 0, 7, 0, 0])
    waits: list[float] = []
    relay.run_once = lambda: next(found)  # type: ignore[method-assign]

    def wait(idle: float, seen: int) -> None:
        waits.append(idle)
        if len(waits) == 8:
            relay.stop()

    relay.wait_for_commit = wait  # type: ignore[method-assign]
    relay.run_forever()
    assert waits == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 0.05, 0.1]
