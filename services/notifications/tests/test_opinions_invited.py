"""Questionnaires on the households' TVs and phones: opinions' households.invited events (on
sbc.opinions.questionnaires.v1) as notifications' consumer reads them from the real Kafka. Each
invited household is told once (邀请您参与意见征集: who asks, what, until when), even when the record
is delivered twice; a household not named hears nothing; an invitation read after the
questionnaire closed tells nobody. And the words (pure)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from notifications import events, opinions
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
from runtime.times import to_timestamp, utcnow
from sbc.events.v1 import opinions_events_pb2 as pb

ASKED = [household("hh-op-a"), household("hh-op-b")]
OTHER = household("hh-op-other")
TITLE = "广播电视服务满意度调查"
CLOSES = dt.datetime(2026, 12, 8, 12, 0, tzinfo=dt.UTC)  # 20:00 in Xiuzhou


def invited(closes: dt.datetime, ids: list[str]) -> Event:
    m = pb.OpinionsHouseholdsInvited(
        questionnaire_id="q-1",
        title=TITLE,
        organizer="洪合镇人民政府",
        closes_at=to_timestamp(closes),
        household_ids=ids,
        at=to_timestamp(utcnow()),
    )
    return Event.new(m, type=opinions.INVITED, source="sbc/opinions", subject="q-1")


def test_the_invitation_reads_chinese_and_opens_the_questionnaire():
    notice = opinions.invited(events.CITIZENS, TITLE, "洪合镇人民政府", CLOSES, "q-1")
    assert notice.kind == "opinions.invited" and notice.title == "邀请您参与意见征集"
    assert notice.body.startswith("洪合镇人民政府发起《广播电视服务满意度调查》，12月8日 20:00 截止")
    assert notice.opens == "opinions.questionnaire/q-1" and "{" not in notice.title + notice.body
    english = opinions.invited("en", TITLE, "Honghe", CLOSES, "q-1")
    assert english.title == "Your opinion is asked" and "12/8 20:00" in english.body


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_each_invited_household_is_told_once(svc, kafka_bootstrap, new_topic):
    topic = new_topic(partitions=1)
    later = utcnow() + dt.timedelta(days=2)
    first = invited(later, [h.household_id for h in ASKED])
    closed = invited(utcnow() - dt.timedelta(minutes=1), [OTHER.household_id])
    send(kafka_bootstrap, topic, [(e.headers(), e.payload) for e in (first, first, closed)])
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 2 and consumer.duplicates >= 1, what="two applied, one duplicate")

    for home in ASKED:
        [told] = await messages_of(svc, home)
        assert (told.kind, told.title, told.household_id) == (
            "opinions.invited",
            "邀请您参与意见征集",
            home.household_id,
        )
        assert TITLE in told.body
    assert await messages_of(svc, OTHER) == []
