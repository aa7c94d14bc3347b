"""Culture and tourism's waiting-list offers on the households' TVs: tourism's reservation events
(on sbc.tourism.reservations.v1) as notifications' consumer reads them from the real Kafka. An offer
reaches the household waiting for it (候补到号: the venue, the slot, until when it is kept), once even
when the record is delivered twice; a reservation's other changes, and an agent's group offered
places, tell nobody. And the words (pure)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from notifications import events, tourism
from notifications.tests.test_egov_steps import (
    FAST,
    running,
    send,
    svc,  # noqa: F401 (the fixture)
    wait_for,
)
from notifications.tests.test_eldercare_doses import messages_of
from runtime.consumer import Consumer
from runtime.events import Event
from runtime.testing import household
from runtime.times import to_timestamp
from sbc.events.v1 import tourism_events_pb2 as pb

WAITING = household("hh-tour-wu")
OTHER = household("hh-tour-other")
MUSEUM = "嘉兴市乡村广播记忆馆"
# Saturday 5 December 2026, 09:00 in Xiuzhou; the offer is kept until 4 December, 18:30.
STARTS = dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC)
LAPSES = dt.datetime(2026, 12, 4, 10, 30, tzinfo=dt.UTC)


def changed(state: str, household_id: str = WAITING.household_id, expires: dt.datetime | None = None) -> Event:
    m = pb.TourismReservationChanged(
        reservation_id="res-1",
        household_id=household_id,
        venue_id="rural-broadcasting-museum",
        slot_id="rural-broadcasting-museum/2026-12-05/1",
        party=2,
        state=state,
        at=to_timestamp(LAPSES - dt.timedelta(hours=1)),
        expires_at=to_timestamp(expires),
        venue_name=MUSEUM,
        starts_at=to_timestamp(STARTS),
    )
    return Event.new(m, type=tourism.RESERVATION_CHANGED, source="sbc/tourism", subject="res-1")


def test_the_offer_reads_chinese_with_the_venue_the_slot_and_when_it_lapses():
    notice = tourism.offer(events.CITIZENS, MUSEUM, STARTS, LAPSES)
    assert notice.kind == "tourism.offer" and notice.title == "候补到号"
    assert notice.body.startswith(f"{MUSEUM} 12月5日 09:00 ") and "保留至 12月4日 18:30" in notice.body
    assert "{" not in notice.title + notice.body
    assert tourism.offer(events.CITIZENS, "", STARTS, LAPSES).body.startswith("您候补的场馆")


def test_the_tv_listens_for_the_offer():
    screen = events.MESSAGES.parents[3] / "gateway" / "static" / "tv" / "screens" / "tourism.js"
    assert tourism.OFFER_KIND in screen.read_text(encoding="utf-8")


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_an_offer_reaches_the_waiting_households_tv_once(svc, kafka_bootstrap, new_topic):
    topic = new_topic(partitions=1)
    waiting = changed("waiting")
    offered = changed("offered", expires=LAPSES)
    confirmed = changed("confirmed")
    group = changed("offered", household_id="", expires=LAPSES)  # a village agent's group
    records = [(e.headers(), e.payload) for e in (waiting, offered, group, offered, confirmed)]  # offered twice
    send(kafka_bootstrap, topic, records)
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 4 and consumer.duplicates >= 1, what="four applied, one duplicate")

    [told] = await messages_of(svc, WAITING)
    assert (told.kind, told.title, told.household_id) == ("tourism.offer", "候补到号", WAITING.household_id)
    assert told.cause_event_id == offered.id
    assert MUSEUM in told.body and "12月5日 09:00" in told.body and "18:30" in told.body
    assert await messages_of(svc, OTHER) == []
