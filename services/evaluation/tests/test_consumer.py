"""The assessment read model over the real Kafka: services' events produced to a topic, consumed by
evaluation's consumer group (runtime.consumer): a record delivered twice is counted once, and a bad
record is parked on the dead-letter topic while the records behind it in its partition are applied."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
import uuid

import pytest

from evaluation import events
from evaluation.service import SERVICE
from evaluation.tests import activity
from runtime import dead_letters, kafka_clients
from runtime.consumer import Consumer, RetryPolicy
from runtime.events import Event
from runtime.testing import staff
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc
from sbc.events.v1 import servicedesk_events_pb2 as sd

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

FAST = RetryPolicy(attempts=2, first_pause=0.05)
UTC = dt.UTC
VILLAGE, POINT = "330411101201", "SP-330411101"
T0 = dt.datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)


@pytest.fixture
async def svc(grpc_service, new_pg_database):
    running = await grpc_service(SERVICE, new_pg_database())
    running.api = running.stub(evaluation_pb2_grpc.EvaluationServiceStub)
    return running


def send(bootstrap: str, topic: str, records: list[tuple[bytes, list, bytes]]) -> None:
    producer = kafka_clients.producer(bootstrap)
    try:
        for key, headers, payload in records:
            producer.send(topic, key=key, value=payload, headers=headers)
        producer.flush(10)
    finally:
        producer.close()


@contextlib.contextmanager
def running(consumer: Consumer):
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        consumer.stop()
        thread.join(15)


def wait_for(condition, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


async def test_events_from_kafka_are_counted_once_and_a_bad_record_is_parked(svc, kafka_bootstrap, new_topic):
    topic, dead = new_topic(partitions=1), new_topic(partitions=1)
    deadline = T0 + 24 * H
    good = [
        activity.submitted("r1", VILLAGE, POINT, T0, deadline),
        activity.transitioned("r1", VILLAGE, POINT, T0, deadline, "resolved", T0 + 2 * H),
    ]
    # Of the service desk's type but not its message: it can never be applied.
    broken = Event.new(sd.ServiceRequestRated(), type=events.REQUEST_RATED, source="sbc/servicedesk", subject="r1")
    behind = activity.submitted("r2", VILLAGE, POINT, T0, deadline)
    records = [(b"r1", e.headers(), e.payload) for e in good]
    records += [(b"r1", good[0].headers(), good[0].payload)]  # delivered twice
    records += [(b"r1", broken.headers(), b"\x0a\x7fnot protobuf"), (b"r2", behind.headers(), behind.payload)]
    send(kafka_bootstrap, topic, records)
    consumer = Consumer(
        svc.db,
        kafka_bootstrap,
        f"evaluation-{uuid.uuid4().hex[:8]}",
        [topic],
        events.HANDLERS,
        retry=FAST,
        dead_letter_topic=dead,
        batch_size=events.BATCH_SIZE,  # as the assessment worker: the bad record fails its batch
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 3 and consumer.parked >= 1, what="three applied, one parked")
        wait_for(lambda: sum(consumer.lag.values()) == 0 and consumer.lag, what="no lag")
    assert consumer.duplicates == 1

    assessor = staff("assessor", username="assessor.xz", area_code="330411")
    report = await svc.api.GetReport(
        pb.GetReportRequest(district="330411", period="2026-11"), metadata=svc.md(assessor)
    )
    on_time = {f.code: f for f in report.overall.indicators}["on_time_rate"]
    filed = {f.code: f for f in report.overall.indicators}["complaint_rate"].denominator
    assert (on_time.numerator, on_time.denominator, filed) == (1, 1, 2)
    [parked] = dead_letters.read_topic(kafka_bootstrap, dead)
    assert dict(parked.headers)["ce_id"].decode() == broken.id
