"""Eldercare's medication on the households' TVs: eldercare's dose events (on sbc.eldercare.care.v1)
as notifications' consumer reads them from the real Kafka. A reminder reaches the elder's own
household (该吃药了), a missed dose each bound family household (漏服药), each once, a record
delivered twice still once; eldercare's other events on the topic tell nobody. And the words (pure)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from notifications import eldercare, events
from notifications.tests.test_egov_steps import (
    CJK,
    FAST,
    running,
    send,
    svc,  # noqa: F401 (the fixture)
    wait_for,
)
from runtime.consumer import Consumer
from runtime.events import Event
from runtime.testing import household
from runtime.times import to_timestamp
from sbc.common.v1 import common_pb2
from sbc.events.v1 import eldercare_events_pb2 as pb
from sbc.notifications.v1 import notifications_pb2

ELDER_HOME = household("hh-care-qian", area_code="330411105001")
SON = household("hh-care-son")
DAUGHTER = household("hh-care-daughter")
STRANGER = household("hh-care-stranger")
# 1 December 2026, 08:00 in Xiuzhou.
DUE = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
WHERE = pb.EldercareWhere(elder_id="elder-1", household_id=ELDER_HOME.household_id, area_code="330411105001")


def reminded(repeat: int = 0) -> Event:
    m = pb.EldercareDoseReminded(
        dose_id="dose-1", where=WHERE, medicine="二甲双胍", dose="1片", due_at=to_timestamp(DUE), repeat=repeat
    )
    return Event.new(m, type=eldercare.DOSE_REMINDED, source="sbc/eldercare", subject="dose-1")


def missed() -> Event:
    m = pb.EldercareDoseMissed(
        dose_id="dose-1",
        where=WHERE,
        medicine="二甲双胍",
        dose="1片",
        due_at=to_timestamp(DUE),
        family_household_ids=[SON.household_id, DAUGHTER.household_id],
        elder_name="钱阿婆",
    )
    return Event.new(m, type=eldercare.DOSE_MISSED, source="sbc/eldercare", subject="dose-1")


# --- the words (pure) ---


def test_the_reminder_and_the_missed_dose_read_chinese_in_the_districts_time():
    due = eldercare.dose_due(events.CITIZENS, "二甲双胍", "1片", DUE)
    assert due.title == "该吃药了" and "08:00" in due.body and "二甲双胍，1片" in due.body
    gone = eldercare.dose_missed(events.CITIZENS, "二甲双胍", "1片", DUE, "钱阿婆")
    assert gone.title == "漏服药" and gone.body.startswith("钱阿婆08:00") and "二甲双胍" in gone.body
    assert CJK.search(eldercare.dose_missed(events.CITIZENS, "x", "y", DUE, "").body[:4]), "an unnamed elder"


def test_every_language_has_the_same_eldercare_words_and_fills_them():
    for path in events.MESSAGES.glob("*.json"):
        language = json.loads(path.read_text(encoding="utf-8"))["language"]
        assert eldercare.words(language).keys() == eldercare.words(events.CITIZENS).keys(), language
        for notice in (
            eldercare.dose_due(language, "m", "d", DUE),
            eldercare.dose_missed(language, "m", "d", DUE, "e"),
            eldercare.rectification(language, "alarm", "called_back"),
            eldercare.alarm_reminded(language, "sos", 0),
            eldercare.alarm_reminded(language, "unknown", 2),
            eldercare.rectification(language, "care_order", "fixed"),
        ):
            assert "{" not in notice.title + notice.body, language


def test_the_tv_listens_for_the_eldercare_pushes():
    screen = events.MESSAGES.parents[3] / "gateway" / "static" / "tv" / "screens" / "eldercare.js"
    text = screen.read_text(encoding="utf-8")
    assert eldercare.DOSE_DUE_KIND in text and eldercare.DOSE_MISSED_KIND in text


# --- through Kafka ---


async def messages_of(svc, who) -> list:
    page = common_pb2.PageRequest(page_size=50)
    r = await svc.api.ListMyPushMessages(notifications_pb2.ListMyPushMessagesRequest(page=page), metadata=svc.md(who))
    return list(r.messages)


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_a_reminder_reaches_the_elders_tv_and_a_missed_dose_each_family_once(svc, kafka_bootstrap, new_topic):
    topic = new_topic(partitions=1)
    first, again, gone = reminded(0), reminded(1), missed()
    confirmed = Event.new(
        pb.EldercareDoseConfirmed(dose_id="dose-2", where=WHERE, by="hh-care-qian"),
        type="sbc.eldercare.dose.confirmed.v1",
        source="sbc/eldercare",
        subject="dose-2",
    )
    records = [(e.headers(), e.payload) for e in (first, confirmed, again, gone)]
    send(kafka_bootstrap, topic, records + [(gone.headers(), gone.payload)])  # the last one delivered twice
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 4 and consumer.duplicates >= 1, what="four applied, one duplicate")

    tv = await messages_of(svc, ELDER_HOME)
    assert [(m.kind, m.title) for m in tv] == [("eldercare.dose_due", "该吃药了")] * 2, "each reminder once"
    assert {m.cause_event_id for m in tv} == {first.id, again.id}
    for family in (SON, DAUGHTER):
        [told] = await messages_of(svc, family)
        assert (told.kind, told.title, told.household_id) == ("eldercare.dose_missed", "漏服药", family.household_id)
        assert "钱阿婆" in told.body and "二甲双胍" in told.body
    assert await messages_of(svc, STRANGER) == []


def rectification_changed(state: str, rated_by: str = SON.household_id) -> Event:
    m = pb.EldercareRectificationChanged(
        rectification_id="rect-1", where=WHERE, subject="alarm", subject_id="alarm-1", state=state, rated_by=rated_by
    )
    return Event.new(m, type=eldercare.RECTIFICATION_CHANGED, source="sbc/eldercare", subject="rect-1")


def test_a_rectifications_words():
    assert eldercare.rectification(events.CITIZENS, "alarm", "open") is None, "opening it tells nobody"
    fixed = eldercare.rectification(events.CITIZENS, "alarm", "fixed")
    assert (fixed.kind, fixed.title) == ("eldercare.rectification_fixed", "差评已整改") and "告警处理" in fixed.body


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_the_rater_of_a_bad_rating_is_told_of_its_call_back_and_its_fix_once(svc, kafka_bootstrap, new_topic):
    topic = new_topic(partitions=1)
    opened, called, fixed = (
        rectification_changed("open"),
        rectification_changed("called_back"),
        rectification_changed("fixed"),
    )
    records = [(e.headers(), e.payload) for e in (opened, called, fixed, fixed)]  # the fix delivered twice
    send(kafka_bootstrap, topic, records)
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 3 and consumer.duplicates >= 1, what="three applied, one duplicate")
    told = await messages_of(svc, SON)
    assert sorted((m.kind, m.title) for m in told) == [
        ("eldercare.rectification_called_back", "差评已回访"),
        ("eldercare.rectification_fixed", "差评已整改"),
    ]
    assert await messages_of(svc, ELDER_HOME) == [], "only the rater is told"


def alarm_reminded(who: str, repeat: int) -> Event:
    m = pb.EldercareAlarmReminded(
        alarm_id="alarm-1",
        where=WHERE,
        who=who,
        step=0 if who == "family" else 1,
        repeat=repeat,
        type="sos",
        family_household_ids=[SON.household_id, DAUGHTER.household_id] if who == "family" else [],
    )
    return Event.new(m, type=eldercare.ALARM_REMINDED, source="sbc/eldercare", subject="alarm-1")


@pytest.mark.infra
@pytest.mark.asyncio(loop_scope="session")
async def test_an_alarms_family_reminders_reach_the_elders_household_and_each_family_each_once(
    svc, kafka_bootstrap, new_topic
):
    topic = new_topic(partitions=1)
    first, again, caregiver = (
        alarm_reminded("family", 0),
        alarm_reminded("family", 1),
        alarm_reminded("village_caregiver", 0),
    )
    send(kafka_bootstrap, topic, [(e.headers(), e.payload) for e in (first, again, again, caregiver)])
    consumer = Consumer(
        svc.db, kafka_bootstrap, f"notifications-{uuid.uuid4().hex[:8]}", [topic], events.HANDLERS, retry=FAST
    )
    with running(consumer):
        wait_for(lambda: consumer.applied >= 3 and consumer.duplicates >= 1, what="three applied, one duplicate")
    for who in (ELDER_HOME, SON, DAUGHTER):
        told = await messages_of(svc, who)
        assert [(m.kind, m.title) for m in told] == [("eldercare.alarm_reminded", "家中老人告警：一键呼叫")] * 2, who
        assert sorted("第 1 次提醒" in m.body for m in told) == [False, True]
    assert await messages_of(svc, STRANGER) == []
