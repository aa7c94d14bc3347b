"""Following alarms up, over real gRPC on SQLite and PostgreSQL: care staff add several notes to an
alarm (before and after closing it), and the figures the live page shows: the follow-up rate
(followed up / closed, against 安居守护's 100%) and the answer times (within TSA QSF's 60 s and
180 s), on an injected clock. Who may, and bad input, each refused and changing nothing."""

from __future__ import annotations

import datetime as dt

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
    enrolled,
    outbox_types,
    svc,  # noqa: F401 (the fixture)
)
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.eldercare.v1 import eldercare_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
S = dt.timedelta(seconds=1)


async def sos(svc, elder) -> pb.Alarm:
    return await svc.api.PressSos(pb.PressSosRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))


async def ack(svc, alarm, who=OPERATOR) -> pb.Alarm:
    return await svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(who))


async def note(svc, alarm, text, who=CAREGIVER) -> pb.Alarm:
    return await svc.api.AddFollowUpNote(pb.AddFollowUpNoteRequest(id=alarm.id, text=text), metadata=svc.md(who))


async def figures(svc, who=OPERATOR, days=0) -> pb.AlarmFigures:
    return await svc.api.GetAlarmFigures(pb.GetAlarmFiguresRequest(days=days), metadata=svc.md(who))


async def test_several_notes_per_alarm_and_the_figures_against_the_standards(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    start = svc.clock.at
    alarm = await sos(svc, elder)
    err = await rpc_error(note(svc, alarm, "打电话没人接"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "acknowledge first"
    svc.clock.at = start + 45 * S
    await ack(svc, alarm)
    svc.clock.at = start + 2 * 60 * S
    await note(svc, alarm, "电话联系女儿，正在赶去")
    noted = await note(svc, alarm, "助老员上门：老人摔倒，已送医\n家属陪同")
    assert [(n.by, n.text) for n in noted.notes] == [
        ("cg-1", "电话联系女儿，正在赶去"),
        ("cg-1", "助老员上门：老人摔倒，已送医\n家属陪同"),
    ]
    done = await svc.api.ResolveAlarm(
        pb.ResolveAlarmRequest(id=alarm.id, follow_up="已出院回家"), metadata=svc.md(CAREGIVER)
    )
    assert [n.text for n in done.notes][-1] == "已出院回家" and len(done.notes) == 3
    after = await note(svc, alarm, "次日回访：老人安好")
    assert len(after.notes) == 4 and after.state == "resolved", "the follow-up goes on after closing"
    [listed] = (await svc.api.ListAlarms(pb.ListAlarmsRequest(), metadata=svc.md(SON))).alarms
    assert [n.text for n in listed.notes] == [n.text for n in after.notes], "family see the follow-up"
    assert outbox_types(svc.db).count("sbc.eldercare.alarm.noted.v1") == 3

    # a second SOS answered in 150 s (past 60, within 180), a third not answered at all
    svc.clock.at = start + 10 * 60 * S
    second = await sos(svc, elder)
    svc.clock.at += 150 * S
    await ack(svc, second)
    svc.clock.at += 10 * S
    third = await svc.api.PressSos(pb.PressSosRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))
    assert third.id == second.id, "still open: folded in"
    second_closed = await svc.api.ResolveAlarm(
        pb.ResolveAlarmRequest(id=second.id, follow_up="误按"), metadata=svc.md(CAREGIVER)
    )
    assert second_closed.state == "resolved"
    unanswered = await sos(svc, elder)
    f = await figures(svc)
    assert (f.days, f.raised, f.closed, f.followed_up, f.follow_up_rate) == (30, 3, 2, 2, 1.0)
    assert (f.follow_up_target, f.follow_up_standard) == (1.0, "杭州安居守护")
    by = {t.within_seconds: t for t in f.answer_times}
    # the unanswered one is seconds old: not yet counted against either threshold
    assert (by[60].answered, by[60].counted, by[60].target) == (1, 2, 0.975)
    assert (by[180].answered, by[180].counted, by[180].target) == (2, 2, 0.99)
    assert f.median_answer_seconds == 150.0
    svc.clock.at += 61 * S
    f = await figures(svc)
    assert {t.within_seconds: (t.answered, t.counted) for t in f.answer_times} == {60: (1, 3), 180: (2, 2)}
    svc.clock.at += 120 * S
    f = await figures(svc, days=1)
    assert {t.within_seconds: (t.answered, t.counted) for t in f.answer_times} == {60: (1, 3), 180: (2, 3)}
    assert [t.share for t in f.answer_times] == [pytest.approx(1 / 3), pytest.approx(2 / 3)]
    # the care staff of another village see none of it; households get no figures
    other = await figures(svc, OTHER_CAREGIVER)
    assert (other.raised, other.closed, other.follow_up_rate) == (0, 0, 1.0)
    for who in (ELDER_HOME, SON):
        err = await rpc_error(figures(svc, who))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    await ack(svc, unanswered)
    assert store.standards().answered_within[0][0] == 60


async def test_who_may_note_and_bad_notes_change_nothing(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    alarm = await sos(svc, elder)
    await ack(svc, alarm, SON)
    for who, code in (
        (SON, grpc.StatusCode.PERMISSION_DENIED),  # family acknowledge, care staff follow up
        (ELDER_HOME, grpc.StatusCode.PERMISSION_DENIED),
        (STRANGER, grpc.StatusCode.NOT_FOUND),
        (OTHER_CAREGIVER, grpc.StatusCode.NOT_FOUND),
    ):
        err = await rpc_error(note(svc, alarm, "x", who))
        assert err.code() == code, who
    for text, field in (("", "text"), ("x" * 1001, "text"), ("bad\x00", "text")):
        err = await rpc_error(note(svc, alarm, text))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), text
    err = await rpc_error(
        svc.api.AddFollowUpNote(pb.AddFollowUpNoteRequest(id="no such", text="x"), metadata=svc.md(CAREGIVER))
    )
    assert err.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND)
    for days in (-1, 367):
        err = await rpc_error(figures(svc, days=days))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field_errors_of(err) == {"days": "1..366"}
    [seen] = (await svc.api.ListAlarms(pb.ListAlarmsRequest(), metadata=svc.md(OPERATOR))).alarms
    assert list(seen.notes) == [] and "sbc.eldercare.alarm.noted.v1" not in outbox_types(svc.db)
