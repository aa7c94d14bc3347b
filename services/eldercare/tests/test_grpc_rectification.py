"""Rectification after a 差评, over real gRPC on SQLite and PostgreSQL: a bad rating of a care order
or of how an alarm was handled (services/rules/ratings.py) opens a rectification, its call back due
within 24 hours and its fix within 15 working days (services/rules/deadlines.py, the official
calendar: a Friday's 差评 is due three weeks later); the care staff of the elder's area call the rater
back, then record the fix with an answer the rater (and the elder's household and family, on the TV or
the phone) reads. A good rating opens none; out-of-order steps, callers who may not and bad input are
each refused and change nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import grpc
import pytest

from eldercare import store
from eldercare.tests.test_grpc import (
    CAREGIVER,
    ELDER_HOME,
    OPERATOR,
    OTHER_CAREGIVER,
    SON,
    STRANGER,
    bound_family,
    count,
    enrolled,
    outbox_types,
    svc,  # noqa: F401 (the fixture)
)
from eldercare.tests.test_grpc_phone import SON_PHONE
from eldercare.tests.test_orders import order_request, rating
from rules.deadlines import add_working_days
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.eldercare.v1 import eldercare_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

TZ = ZoneInfo(store.care()["time_zone"])
FRIDAY = dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ).astimezone(dt.UTC)
RULES = store.care()["rectification"]


async def done_order(svc, elder) -> pb.CareOrder:
    o = await svc.api.CreateCareOrder(order_request(elder.id), metadata=svc.md(SON))
    await svc.api.AcceptCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(CAREGIVER))
    return await svc.api.CompleteCareOrder(
        pb.CompleteCareOrderRequest(id=o.id, note="医生已上门"), metadata=svc.md(CAREGIVER)
    )


async def resolved_alarm(svc) -> pb.Alarm:
    alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    await svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(OPERATOR))
    return await svc.api.ResolveAlarm(
        pb.ResolveAlarmRequest(id=alarm.id, follow_up="已上门查看"), metadata=svc.md(CAREGIVER)
    )


async def rectifications(svc, who, **kw) -> list[pb.Rectification]:
    found = await svc.api.ListRectifications(pb.ListRectificationsRequest(**kw), metadata=svc.md(who))
    return list(found.rectifications)


def bad_alarm_rating(alarm_id: str, **kw) -> pb.RateAlarmRequest:
    fields = {"id": alarm_id, "level": "very_dissatisfied", "indicators": {"response": 1}, "reasons": ["响应太慢"]}
    return pb.RateAlarmRequest(**{**fields, **kw})


async def test_a_bad_care_order_rating_is_called_back_fixed_and_the_answer_seen_by_the_rater(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    svc.clock.at = FRIDAY
    order = await done_order(svc, elder)
    rated = await svc.api.RateCareOrder(
        rating(order.id, level="dissatisfied", comment="医生迟到了两小时", reasons=["没有按时上门"]),
        metadata=svc.md(ELDER_HOME),
    )
    assert rated.rating_level == "dissatisfied"
    [r] = await rectifications(svc, ELDER_HOME)
    assert (r.subject, r.subject_id, r.elder_id, r.rated_by, r.level, r.state) == (
        "care_order",
        order.id,
        elder.id,
        "hh-elder",
        "dissatisfied",
        "open",
    )
    assert (r.comment, list(r.reasons)) == ("医生迟到了两小时", ["没有按时上门"])
    assert r.call_back_by.ToDatetime(dt.UTC) == FRIDAY + dt.timedelta(hours=RULES["call_back_hours"])
    assert r.due_at.ToDatetime(dt.UTC) == add_working_days(FRIDAY, RULES["working_days"], TZ)
    assert r.due_at.ToDatetime(dt.UTC) == dt.datetime(2026, 12, 25, 10, 0, tzinfo=TZ), "15 working days"
    # The elder's family (the phone too) and the area's care staff see it; nobody else does.
    for who in (SON, SON_PHONE, CAREGIVER, OPERATOR):
        assert [x.id for x in await rectifications(svc, who)] == [r.id]
    for who in (STRANGER, OTHER_CAREGIVER):
        assert await rectifications(svc, who) == []

    # Fixed before the call back: refused. The call back, then the fix with its answer.
    fix = pb.AnswerRectificationRequest(id=r.id, text="已与医生所在卫生院约谈，今后按约定时间上门")
    err = await rpc_error(svc.api.FixRectification(fix, metadata=svc.md(OPERATOR)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    svc.clock.at = FRIDAY + dt.timedelta(hours=3)
    called = await svc.api.CallBackRectification(
        pb.AnswerRectificationRequest(id=r.id, text="已电话致歉，了解了情况"), metadata=svc.md(CAREGIVER)
    )
    assert (called.state, called.call_back_note) == ("called_back", "已电话致歉，了解了情况")
    err = await rpc_error(svc.api.CallBackRectification(fix, metadata=svc.md(CAREGIVER)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "called back already"
    svc.clock.at = FRIDAY + dt.timedelta(days=2)
    fixed = await svc.api.FixRectification(fix, metadata=svc.md(OPERATOR))
    assert (fixed.state, fixed.overdue) == ("fixed", False)
    [seen] = await rectifications(svc, ELDER_HOME)
    assert (seen.state, seen.answer) == ("fixed", "已与医生所在卫生院约谈，今后按约定时间上门")
    assert await rectifications(svc, ELDER_HOME, open_only=True) == []
    err = await rpc_error(svc.api.FixRectification(fix, metadata=svc.md(OPERATOR)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "fixed already"
    assert outbox_types(svc.db).count("sbc.eldercare.rectification.changed.v1") == 3


async def test_a_bad_rating_of_an_alarms_handling_opens_one_and_a_good_one_none(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    svc.clock.at = FRIDAY
    alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    err = await rpc_error(svc.api.RateAlarm(bad_alarm_rating(alarm.id), metadata=svc.md(SON)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "rated once it is resolved"
    await svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(OPERATOR))
    await svc.api.ResolveAlarm(pb.ResolveAlarmRequest(id=alarm.id, follow_up="已回电"), metadata=svc.md(CAREGIVER))
    rated = await svc.api.RateAlarm(bad_alarm_rating(alarm.id, comment="十分钟才有人接"), metadata=svc.md(SON_PHONE))
    assert (rated.rating_level, rated.rated_at.ToDatetime(dt.UTC)) == ("very_dissatisfied", FRIDAY)
    [r] = await rectifications(svc, SON)
    assert (r.subject, r.subject_id, r.rated_by, r.comment) == ("alarm", alarm.id, "hh-son", "十分钟才有人接")
    err = await rpc_error(svc.api.RateAlarm(bad_alarm_rating(alarm.id), metadata=svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "one rating per alarm"
    # Past the call-back deadline uncalled: overdue.
    svc.clock.at = FRIDAY + dt.timedelta(hours=RULES["call_back_hours"])
    [late] = await rectifications(svc, OPERATOR)
    assert late.overdue and late.state == "open"

    good = await resolved_alarm(svc)
    await svc.api.RateAlarm(
        pb.RateAlarmRequest(id=good.id, level="very_satisfied", indicators={"overall": 5}), metadata=svc.md(ELDER_HOME)
    )
    assert [x.subject_id for x in await rectifications(svc, ELDER_HOME)] == [alarm.id], "a good rating opens none"


async def test_who_may_rate_and_answer_and_bad_input_changes_nothing(svc):
    elder = await enrolled(svc)
    alarm = await resolved_alarm(svc)
    # Not the elder's: staff rate nothing; a stranger's household sees no such alarm.
    err = await rpc_error(svc.api.RateAlarm(bad_alarm_rating(alarm.id), metadata=svc.md(CAREGIVER)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(svc.api.RateAlarm(bad_alarm_rating(alarm.id), metadata=svc.md(STRANGER)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(
        svc.api.ListRectifications(pb.ListRectificationsRequest(elder_id=elder.id), metadata=svc.md(STRANGER))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    for bad, field in (
        (bad_alarm_rating(alarm.id, level="terrible"), "level"),
        (bad_alarm_rating(alarm.id, indicators={"punctuality": 1}), "indicators"),
        (bad_alarm_rating(alarm.id, indicators={"response": 9}), "indicators"),
        (bad_alarm_rating(alarm.id, reasons=["没有按时上门"]), "reasons"),
        (bad_alarm_rating(alarm.id, comment="太" * 501), "comment"),
        (bad_alarm_rating("not-an-id" * 5), "id"),
    ):
        err = await rpc_error(svc.api.RateAlarm(bad, metadata=svc.md(ELDER_HOME)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (field, err.details())
    assert count(svc.db, store.rectifications) == 0
    assert (await svc.api.ListAlarms(pb.ListAlarmsRequest(), metadata=svc.md(ELDER_HOME))).alarms[0].rating_level == ""

    await svc.api.RateAlarm(bad_alarm_rating(alarm.id), metadata=svc.md(ELDER_HOME))
    [r] = await rectifications(svc, ELDER_HOME)
    answer = pb.AnswerRectificationRequest(id=r.id, text="已回电")
    for who, code in ((ELDER_HOME, "PERMISSION_DENIED"), (SON, "PERMISSION_DENIED"), (OTHER_CAREGIVER, "NOT_FOUND")):
        for call in (svc.api.CallBackRectification, svc.api.FixRectification):
            assert (await rpc_error(call(answer, metadata=svc.md(who)))).code().name == code, (who, call)
    for bad, field in (
        (pb.AnswerRectificationRequest(id=r.id), "note"),
        (pb.AnswerRectificationRequest(id=r.id, text="长" * 1001), "note"),
        (pb.AnswerRectificationRequest(id=r.id, text="a\x00b"), "note"),
        (pb.AnswerRectificationRequest(id="", text="x"), "id"),
    ):
        err = await rpc_error(svc.api.CallBackRectification(bad, metadata=svc.md(OPERATOR)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (field, err.details())
    err = await rpc_error(
        svc.api.ListRectifications(pb.ListRectificationsRequest(limit=201), metadata=svc.md(OPERATOR))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    [unchanged] = await rectifications(svc, OPERATOR)
    assert (unchanged.state, unchanged.call_back_note) == ("open", "")
