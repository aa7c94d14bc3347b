"""The households a questionnaire asks: opinions' `households` consumer reads identity's
DeviceRegistered and DeviceRevoked records from the real Kafka (applied once each), and a
published questionnaire then invites exactly the known households of its areas and audience (in
the outbox, with the publication, at most 500 an event), and its results count them as targeted."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid

import pytest
from sqlalchemy import select

from opinions import events
from opinions.tests.conftest import NEIGHBOURHOOD, OTHER_TOWN, VILLAGE, editor
from opinions.tests.test_grpc import a_draft, outbox_rows
from runtime import kafka_clients
from runtime.consumer import Consumer, RetryPolicy
from runtime.events import Event
from runtime.outbox import outbox_table
from runtime.times import to_timestamp, utcnow
from sbc.events.v1 import identity_events_pb2, opinions_events_pb2
from sbc.opinions.v1 import opinions_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def registered(device: str, household_id: str, area: str) -> Event:
    m = identity_events_pb2.DeviceRegistered(
        device_id=device, household_id=household_id, area_code=area, serial=device, registered_at=to_timestamp(utcnow())
    )
    return Event.new(m, type=events.DEVICE_REGISTERED, source="sbc/identity", subject=device)


def revoked(device: str, household_id: str, area: str) -> Event:
    m = identity_events_pb2.DeviceRevoked(device_id=device, household_id=household_id, area_code=area)
    return Event.new(m, type=events.DEVICE_REVOKED, source="sbc/identity", subject=device)


@contextlib.contextmanager
def running(consumer: Consumer):
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        consumer.stop()
        thread.join(15)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def invitations(db) -> list[list[str]]:
    t = outbox_table()
    with db.transaction() as s:
        rows = s.execute(select(t).where(t.c.event_type == events.INVITED).order_by(t.c.seq))
        return [list(opinions_events_pb2.OpinionsHouseholdsInvited.FromString(r.payload).household_ids) for r in rows]


async def test_published_questionnaires_invite_and_count_the_known_households_of_their_audience(
    svc, kafka_bootstrap, new_topic
):
    topic = new_topic(partitions=1)
    records = [
        registered("box-1", "hh-village", VILLAGE),
        registered("box-2", "hh-village", VILLAGE),  # a second box of the same household
        registered("box-3", "hh-town", NEIGHBOURHOOD),
        registered("box-4", "hh-elsewhere", OTHER_TOWN + "201"),
        registered("box-5", "hh-gone", VILLAGE),
        revoked("box-5", "hh-gone", VILLAGE),
    ]
    producer = kafka_clients.producer(kafka_bootstrap)
    try:
        for e in [*records, records[0]]:  # the first delivered twice
            producer.send(topic, key=e.subject.encode(), value=e.payload, headers=e.headers())
        producer.flush(10)
    finally:
        producer.close()
    consumer = Consumer(
        svc.db,
        kafka_bootstrap,
        f"opinions-{uuid.uuid4().hex[:8]}",
        [topic],
        events.HANDLERS,
        retry=RetryPolicy(attempts=2, first_pause=0.05),
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 6 and consumer.duplicates >= 1)

    md = svc.md(editor())
    everyone = await svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=a_draft()), metadata=md)
    villages = await svc.api.CreateQuestionnaire(
        pb.CreateQuestionnaireRequest(draft=a_draft(audience="villages")), metadata=md
    )
    for q in (everyone, villages):
        await svc.api.PublishQuestionnaire(pb.QuestionnaireRef(id=q.id), metadata=md)
    assert invitations(svc.db) == [["hh-town", "hh-village"], ["hh-village"]]
    kinds = [kind for _, kind in outbox_rows(svc.db)]
    assert kinds[:2] == [events.PUBLISHED, events.INVITED], "announced and invited in one transaction"
    for q, targeted in ((everyone, 2), (villages, 1)):
        r = await svc.api.GetResults(pb.QuestionnaireRef(id=q.id), metadata=md)
        assert r.targeted_households == targeted and r.responses == 0
