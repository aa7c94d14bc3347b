"""Volunteer activities over real gRPC on SQLite and PostgreSQL: a station's manager publishes an
activity, volunteers sign up themselves (never past its capacity, even all at once), check in and
out with its QR code or by the organizer, hours by the rounding rule, star levels, totals per
station, and the manager's audited correction; bad input and callers who may not."""

from __future__ import annotations

import asyncio
import datetime as dt
import types

import grpc
import pytest
from sqlalchemy import func, select

from legal import store
from legal.service import scheduler_pass
from legal.tests.conftest import NOW, VILLAGE
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import household, rpc_error, staff
from runtime.times import to_timestamp
from sbc.events.v1.legal_events_pb2 import LegalVolunteerStep
from sbc.legal.v1 import legal_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

MANAGER = staff("station_manager", username="manager.gz", area_code=VILLAGE)
OTHER_MANAGER = staff("station_manager", username="manager.hh", area_code="330411105001")


def activity(capacity=10, **kw) -> pb.PublishActivityRequest:
    fields = dict(
        title="敬老院清扫",
        roles=["清扫", "陪聊"],
        capacity=capacity,
        starts_at=to_timestamp(NOW + dt.timedelta(days=1)),
        ends_at=to_timestamp(NOW + dt.timedelta(days=1, hours=4)),
    )
    fields.update(kw)
    return pb.PublishActivityRequest(**fields)


def rows(db, table) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(table))


async def test_a_volunteer_signs_up_checks_in_and_out_and_gets_rounded_hours(svc, who):
    a = await svc.api.PublishActivity(activity(), metadata=svc.md(MANAGER))
    assert a.remaining == 10 and a.check_in_code and a.station_name.startswith("高照")
    listed = await svc.api.ListActivities(pb.ListActivitiesRequest(), metadata=svc.md(who.home))
    assert [x.id for x in listed.activities] == [a.id] and listed.activities[0].check_in_code == "", (
        "the QR is the manager's"
    )

    signed = await svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="陪聊"), metadata=svc.md(who.home))
    assert signed.sign_up.state == "confirmed" and signed.activity.remaining == 9
    err = await rpc_error(svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="陪聊"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS

    out = pb.CheckInRequest(activity_id=a.id, code=a.check_in_code)
    err = await rpc_error(svc.api.CheckOut(out, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "check in" in err.details()
    wrong = pb.CheckInRequest(activity_id=a.id, code="not-the-code")
    assert (
        await rpc_error(svc.api.CheckIn(wrong, metadata=svc.md(who.home)))
    ).code() == grpc.StatusCode.PERMISSION_DENIED
    svc.clock.move(days=1)
    await svc.api.CheckIn(out, metadata=svc.md(who.home))
    err = await rpc_error(svc.api.CheckIn(out, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "already" in err.details()
    svc.clock.move(hours=2, minutes=40)  # 2 h 40 min: 2.5 h by the rounding rule
    done = await svc.api.CheckOut(out, metadata=svc.md(who.home))
    assert done.sign_up.state == "attended" and done.sign_up.hours == 2.5
    err = await rpc_error(svc.api.CheckOut(out, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION

    record = await svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(who.home))
    assert record.total_hours == 2.5 and record.stars == 0 and record.sign_ups[0].activity_title == "敬老院清扫"
    totals = await svc.api.GetStationTotals(pb.GetStationTotalsRequest(), metadata=svc.md(who.author))
    assert [(t.station, t.volunteers, t.hours) for t in totals.stations] == [(VILLAGE, 1, 2.5)]


async def test_the_organizer_checks_a_volunteer_in_and_out_and_corrects_hours_with_an_audit_entry(svc, who):
    a = await svc.api.PublishActivity(activity(), metadata=svc.md(MANAGER))
    await svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(who.home))
    by_manager = pb.CheckInRequest(activity_id=a.id, volunteer_id="hh-home")
    svc.clock.move(days=1)
    err = await rpc_error(svc.api.CheckIn(by_manager, metadata=svc.md(OTHER_MANAGER)))
    assert err.code() == grpc.StatusCode.NOT_FOUND or err.code() == grpc.StatusCode.PERMISSION_DENIED
    await svc.api.CheckIn(by_manager, metadata=svc.md(MANAGER))
    svc.clock.move(minutes=14)  # 14 min: 0 h
    done = await svc.api.CheckOut(by_manager, metadata=svc.md(MANAGER))
    assert done.sign_up.hours == 0

    fix = pb.CorrectHoursRequest(activity_id=a.id, sign_up_id=done.sign_up.id, hours=3, reason="")
    err = await rpc_error(svc.api.CorrectHours(fix, metadata=svc.md(MANAGER)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "reason" in field_errors_of(err)
    assert rows(svc.db, store.hours_corrections) == 0, "no change without an audit entry"
    for caller in (who.home, OTHER_MANAGER, who.author):
        fix.reason = "签到机故障，实际服务3小时"
        code = (await rpc_error(svc.api.CorrectHours(fix, metadata=svc.md(caller)))).code()
        assert code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND), caller
    fixed = await svc.api.CorrectHours(fix, metadata=svc.md(MANAGER))
    assert fixed.sign_up.hours == 3
    [entry] = fixed.sign_up.corrections
    assert (entry.hours_before, entry.hours_after, entry.reason) == (0, 3, "签到机故障，实际服务3小时")
    assert rows(svc.db, store.hours_corrections) == 1
    record = await svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(who.home))
    assert record.total_hours == 3


async def test_the_last_places_go_to_exactly_as_many_volunteers_as_there_are(svc, who):
    """Many volunteers at once for the last 3 places: 3 get them, the others are told it is full."""
    a = await svc.api.PublishActivity(activity(capacity=3), metadata=svc.md(MANAGER))
    homes = [household(f"hh-v{i}", area_code=VILLAGE) for i in range(12)]
    results = await asyncio.gather(
        *(svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(h)) for h in homes),
        return_exceptions=True,
    )
    ok = [r for r in results if isinstance(r, pb.SignUpResult)]
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(ok) == 3 and len(refused) == 9, results
    assert {e.code() for e in refused} == {grpc.StatusCode.FAILED_PRECONDITION}
    assert rows(svc.db, store.sign_ups) == 3
    got = await svc.api.GetActivity(pb.GetActivityRequest(id=a.id), metadata=svc.md(who.home))
    assert got.remaining == 0


@pytest.mark.parametrize(
    "request_, field",
    [
        (activity(title=""), "title"),
        (activity(title="x" * 101), "title"),
        (activity(capacity=0), "capacity"),
        (activity(capacity=501), "capacity"),
        (activity(roles=[]), "roles"),
        (activity(roles=["a", "a"]), "roles"),
        (activity(ends_at=to_timestamp(NOW + dt.timedelta(hours=1))), "ends_at"),
        (pb.PublishActivityRequest(title="x", roles=["a"], capacity=1), "starts_at"),
    ],
)
async def test_bad_activities_are_refused_and_change_nothing(svc, request_, field):
    err = await rpc_error(svc.api.PublishActivity(request_, metadata=svc.md(MANAGER)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert rows(svc.db, store.activities) == 0


async def test_who_may_do_what_with_activities(svc, who):
    for caller in (who.home, who.author, who.agent, who.advisor):
        err = await rpc_error(svc.api.PublishActivity(activity(), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, caller
    a = await svc.api.PublishActivity(activity(), metadata=svc.md(MANAGER))
    for caller in (MANAGER, who.author, who.agent):
        err = await rpc_error(svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, caller
    err = await rpc_error(svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="厨师"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "role" in field_errors_of(err)
    err = await rpc_error(svc.api.GetActivity(pb.GetActivityRequest(id=a.id), metadata=svc.md(who.outsider)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(MANAGER)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # Another household's sign-up is not checked in with a code alone: a code checks in its bearer.
    err = await rpc_error(
        svc.api.CheckIn(
            pb.CheckInRequest(activity_id=a.id, code="x", volunteer_id="hh-home"), metadata=svc.md(who.neighbour)
        )
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # Signing up after the start is refused.
    svc.clock.move(days=2)
    err = await rpc_error(svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert rows(svc.db, store.sign_ups) == 0


async def test_a_volunteer_cancels_before_the_start_the_place_is_free_and_they_may_sign_up_again(svc, who):
    a = await svc.api.PublishActivity(activity(capacity=1), metadata=svc.md(MANAGER))
    ref = pb.CancelSignUpRequest(activity_id=a.id)
    err = await rpc_error(svc.api.CancelSignUp(ref, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.NOT_FOUND, "nothing to cancel yet"
    await svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(who.home))
    full = await rpc_error(
        svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(who.neighbour))
    )
    assert full.code() == grpc.StatusCode.FAILED_PRECONDITION
    for outsider in (who.neighbour, MANAGER):  # no sign-up of theirs; a manager is not a volunteer
        assert (await rpc_error(svc.api.CancelSignUp(ref, metadata=svc.md(outsider)))).code() in (
            grpc.StatusCode.NOT_FOUND,
            grpc.StatusCode.PERMISSION_DENIED,
        )

    cancelled = await svc.api.CancelSignUp(ref, metadata=svc.md(who.home))
    assert cancelled.sign_up.state == "cancelled" and cancelled.activity.remaining == 1
    again = await rpc_error(svc.api.CancelSignUp(ref, metadata=svc.md(who.home)))
    assert again.code() == grpc.StatusCode.NOT_FOUND, "cancelled already"
    taken = await svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="陪聊"), metadata=svc.md(who.neighbour))
    assert taken.activity.remaining == 0
    await svc.api.CancelSignUp(ref, metadata=svc.md(who.neighbour))
    back = await svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="陪聊"), metadata=svc.md(who.home))
    assert (back.sign_up.id, back.sign_up.state, back.sign_up.role) == (cancelled.sign_up.id, "confirmed", "陪聊")

    # Once it has started, or checked in: no cancellation.
    svc.clock.move(days=1, minutes=1)
    err = await rpc_error(svc.api.CancelSignUp(ref, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    await svc.api.CheckIn(pb.CheckInRequest(activity_id=a.id, code=a.check_in_code), metadata=svc.md(who.home))
    err = await rpc_error(svc.api.CancelSignUp(ref, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert rows(svc.db, store.sign_ups) == 2


async def test_a_full_activitys_waiting_list_gets_the_freed_place_first_come_first(svc, who):
    a = await svc.api.PublishActivity(activity(capacity=1), metadata=svc.md(MANAGER))

    def sign_up(caller, wait=False):
        r = pb.SignUpRequest(activity_id=a.id, role="清扫", join_waiting_list=wait)
        return svc.api.SignUp(r, metadata=svc.md(caller))

    await sign_up(who.home)
    assert (await rpc_error(sign_up(who.neighbour))).code() == grpc.StatusCode.FAILED_PRECONDITION, "full"
    first = await sign_up(who.neighbour, wait=True)
    assert (first.sign_up.state, first.activity.remaining, first.activity.waiting) == ("waiting", 0, 1)
    assert (await rpc_error(sign_up(who.neighbour, wait=True))).code() == grpc.StatusCode.ALREADY_EXISTS
    second = await sign_up(who.elsewhere, wait=True)
    assert second.activity.waiting == 2

    # The place freed goes to the first waiting, offered for the district's offer time (720 minutes).
    await svc.api.CancelSignUp(pb.CancelSignUpRequest(activity_id=a.id), metadata=svc.md(who.home))
    record = await svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(who.neighbour))
    offered = record.sign_ups[0]
    assert offered.state == "offered"
    assert offered.expires_at.ToDatetime(tzinfo=dt.UTC) == svc.clock() + dt.timedelta(minutes=720)
    assert (await rpc_error(sign_up(who.home))).code() == grpc.StatusCode.FAILED_PRECONDITION, "the offer holds it"
    # Not taken in time: it lapses and the next waiting is offered it, taken by signing up again.
    svc.clock.move(minutes=721)
    taken = await sign_up(who.elsewhere)
    assert (taken.sign_up.state, taken.activity.remaining, taken.activity.waiting) == ("confirmed", 0, 0)
    record = await svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(who.neighbour))
    assert record.sign_ups[0].state == "expired"


async def test_a_checked_in_volunteer_keeps_their_place(svc, who):
    a = await svc.api.PublishActivity(activity(capacity=1), metadata=svc.md(MANAGER))
    await svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(who.home))
    await svc.api.CheckIn(pb.CheckInRequest(activity_id=a.id, code=a.check_in_code), metadata=svc.md(who.home))
    err = await rpc_error(
        svc.api.SignUp(pb.SignUpRequest(activity_id=a.id, role="清扫"), metadata=svc.md(who.neighbour))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "still full"


async def test_the_scheduler_moves_a_lapsed_offer_on_without_anyone_touching_the_activity(svc, who):
    a = await svc.api.PublishActivity(activity(capacity=1), metadata=svc.md(MANAGER))
    for caller, wait in ((who.home, False), (who.neighbour, True), (who.elsewhere, True)):
        r = pb.SignUpRequest(activity_id=a.id, role="清扫", join_waiting_list=wait)
        await svc.api.SignUp(r, metadata=svc.md(caller))
    await svc.api.CancelSignUp(pb.CancelSignUpRequest(activity_id=a.id), metadata=svc.md(who.home))

    async def state_of(caller) -> str:
        record = await svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(caller))
        return record.sign_ups[0].state

    assert (await state_of(who.neighbour), await state_of(who.elsewhere)) == ("offered", "waiting")
    svc.clock.move(minutes=719)
    scheduler_tick(svc)
    assert (await state_of(who.neighbour), await state_of(who.elsewhere)) == ("offered", "waiting"), "not yet"
    svc.clock.move(minutes=2)
    scheduler_tick(svc)
    assert (await state_of(who.neighbour), await state_of(who.elsewhere)) == ("expired", "offered")
    steps = volunteer_steps(svc.db)
    assert steps[-2:] == ["offer_lapsed", "offered"]
    scheduler_tick(svc)
    assert volunteer_steps(svc.db) == steps, "a pass with nothing lapsed changes nothing"
    # The next one's offer runs from the pass that made it.
    record = await svc.api.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), metadata=svc.md(who.elsewhere))
    assert record.sign_ups[0].expires_at.ToDatetime(tzinfo=dt.UTC) == svc.clock() + dt.timedelta(minutes=720)


def scheduler_tick(svc) -> None:
    """One pass of the scheduler process, on the test's clock."""
    scheduler_pass(types.SimpleNamespace(db=svc.db), clock=svc.clock)()


def volunteer_steps(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [
            LegalVolunteerStep.FromString(r.payload).step
            for r in s.execute(select(t).order_by(t.c.seq))
            if r.event_type == "sbc.legal.volunteer.step.v1"
        ]
