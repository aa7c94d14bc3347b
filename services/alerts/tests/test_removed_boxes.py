"""A box removed in identity (stolen, sold: DeviceRevoked over real Kafka) leaves alerts' set-top-box
registry: the next alert does not target it. Applied once however often it arrives; a bad record
is parked on the dead-letter topic and the records behind it are still applied."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import uuid

import pytest

from alerts import terminals
from alerts.tests.support import FLOOD, TRUSTED
from alerts.tests.test_grpc import device_registered
from runtime import dead_letters
from runtime.consumer import RetryPolicy
from runtime.events import Event
from runtime.outbox import make_producer
from sbc.alerts.v1 import alerts_pb2 as pb
from sbc.events.v1 import identity_events_pb2

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

FAST = RetryPolicy(attempts=2, first_pause=0.05)


def device_revoked(device_id: str, household_id: str, area_code: str) -> Event:
    m = identity_events_pb2.DeviceRevoked(
        device_id=device_id, household_id=household_id, area_code=area_code, revoked_by="staff:x", reason="被盗"
    )
    return Event.new(m, type=terminals.DEVICE_REVOKED, source="sbc/identity", subject=device_id)


async def targeted(svc, alert_id: str) -> list[tuple[str, int]]:
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=alert_id), metadata=svc.md(TRUSTED))
    return [(r.area_code, r.targeted) for r in status.rows if r.channel == "set_top_box"]


async def test_a_removed_box_is_not_targeted_by_the_next_alert(svc, new_topic, kafka_bootstrap):
    topic, dead = new_topic(), new_topic()
    consumer = terminals.make_consumer(
        svc.db, kafka_bootstrap, topic, f"alerts-terminals-{uuid.uuid4().hex[:8]}", retry=FAST, dead_letter_topic=dead
    )
    producer = make_producer(kafka_bootstrap)
    thread = threading.Thread(target=consumer.run_forever, daemon=True)

    def send(*evs: Event) -> None:
        for e in evs:  # keyed by device id, as identity's relay does
            producer.send(topic, key=e.subject.encode(), value=e.payload, headers=e.headers())
        producer.flush()

    async def consumed(applied: int, duplicates: int, parked: int = 0) -> None:
        for _ in range(300):
            if (consumer.applied, consumer.duplicates, consumer.parked) == (applied, duplicates, parked):
                return
            await asyncio.sleep(0.1)
        got = (consumer.applied, consumer.duplicates, consumer.parked)
        raise AssertionError(f"consumed {got}, want {(applied, duplicates, parked)}")

    stolen, kept = str(uuid.uuid4()), str(uuid.uuid4())
    thread.start()
    try:
        send(device_registered(stolen, "hh-1", "330411101001"), device_registered(kept, "hh-2", "330411101001"))
        await consumed(2, 0)
        first = await svc.submit(TRUSTED, FLOOD)
        assert await targeted(svc, first.id) == [("330411101001", 2)]

        revoked = device_revoked(stolen, "hh-1", "330411101001")
        poison = Event.new(
            identity_events_pb2.DeviceRevoked(household_id="hh-1"),  # no device id
            type=terminals.DEVICE_REVOKED,
            source="sbc/identity",
            subject="poison",
        )
        garbage = dataclasses.replace(device_revoked(kept, "hh-2", "330411101001"), payload=b"\xff\x00 not a protobuf")
        # The poison and the garbage are parked; the revocation behind them is applied, once;
        # a second revocation of the same box (another event) changes nothing either.
        send(poison, garbage, revoked, revoked, device_revoked(stolen, "hh-1", "330411101001"))
        await consumed(4, 1, parked=2)
        parked = {dict(r.headers)["ce_id"].decode() for r in dead_letters.read_topic(kafka_bootstrap, dead)}
        assert parked == {poison.id, garbage.id}

        second = await svc.submit(TRUSTED, FLOOD.replace("_20260701120000<", "_20260701120500<"))
        assert await targeted(svc, second.id) == [("330411101001", 1)]
    finally:
        consumer.stop()
        await asyncio.to_thread(thread.join, 15)
        producer.close(timeout=5)
