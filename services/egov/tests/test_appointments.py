"""Appointments at the service hall over real gRPC, on SQLite and PostgreSQL: the honest calendar of
an item's windows, booking a place (never beyond a slot's capacity, also under concurrent calls),
cancelling before the deadline, the visit recorded by the department, missed appointments that
block booking for a while, and bad input that changes nothing. And a bad rating's case: the call
back, the fix, and the household's one more rating."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import grpc
import pytest
from sqlalchemy import func, select

from egov import store
from egov.tests.conftest import VILLAGE
from egov.tests.test_grpc import start, submitted
from runtime.testing import department, household, rpc_error
from sbc.egov.v1 import egov_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
RESIDENCE = "330233002002-new"  # 居住证: one visit, the public-security department's
RELIEF = "330222004000-new"  # fully online: no appointment


def local(ts) -> dt.datetime:
    return ts.ToDatetime(dt.UTC).astimezone(SHANGHAI)


def slot_id(hall: str, window: str, day: int, hh: int, mm: int) -> str:
    at = dt.datetime(2026, 12, day, hh, mm, tzinfo=SHANGHAI).astimezone(dt.UTC)
    return f"{hall}.{window}.{at:%Y%m%dT%H%MZ}"


def appointments_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.appointments))


async def slots(svc, caller, app_id):
    return (await svc.api.ListAppointmentSlots(pb.ApplicationRef(id=app_id), metadata=svc.md(caller))).slots


async def book(svc, caller, app_id, slot):
    return await svc.api.BookAppointment(
        pb.BookAppointmentRequest(application_id=app_id, slot_id=slot), metadata=svc.md(caller)
    )


async def test_the_calendar_shows_only_slots_that_can_be_booked_now_at_the_items_windows(svc, who):
    app = await start(svc, who.home, RESIDENCE)
    found = await slots(svc, who.home, app.id)
    # Tuesday 10:00: booking closes 2 hours ahead, so today starts at 13:30; 7 days ahead, no weekend.
    first = local(found[0].starts_at)
    assert (first.date(), first.hour, first.minute) == (dt.date(2026, 12, 1), 13, 30)
    days = {local(s.starts_at).date() for s in found}
    assert max(days) == dt.date(2026, 12, 8) and not {dt.date(2026, 12, 5), dt.date(2026, 12, 6)} & days
    # Only the windows that serve public security: the centre's A01 and A02, and the town's window.
    assert {(s.hall_code, s.window_code) for s in found} == {("xzsc", "A01"), ("xzsc", "A02"), ("wjj", "1")}
    a01 = next(s for s in found if s.window_code == "A01")
    assert (a01.places_left, a01.hall_name, a01.id) == (
        2,
        "秀洲区行政服务中心 (check)",
        slot_id("xzsc", "A01", 1, 13, 30),
    )


async def test_a_booking_takes_one_place_and_the_application_shows_it(svc, who):
    app = await start(svc, who.home, RESIDENCE)
    at = slot_id("xzsc", "A01", 2, 9, 0)
    booked = await book(svc, who.home, app.id, at)
    assert (booked.state, booked.window_name, local(booked.starts_at).hour) == ("confirmed", "综合受理窗口1 (check)", 9)
    assert local(booked.cancel_until) == dt.datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    left = {s.id: s.places_left for s in await slots(svc, who.home, app.id)}
    assert left[at] == 1
    shown = await svc.api.GetApplication(pb.ApplicationRef(id=app.id), metadata=svc.md(who.home))
    assert [a.id for a in shown.appointments] == [booked.id]
    assert shown.steps[-1].action == "appointment_booked" and "综合受理窗口1" in shown.steps[-1].detail
    # One appointment ahead per application: another is refused until this one is cancelled.
    err = await rpc_error(book(svc, who.home, app.id, slot_id("xzsc", "A02", 2, 9, 0)))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "cancel it" in err.details()


async def test_a_slot_is_never_booked_beyond_its_capacity_under_concurrent_calls(svc, who):
    homes = [household(f"hh-rush-{n}", area_code=VILLAGE) for n in range(16)]
    apps = [await start(svc, h, RESIDENCE, key=f"rush-{n}") for n, h in enumerate(homes)]
    at = slot_id("xzsc", "A01", 3, 14, 0)  # capacity 2
    results = await asyncio.gather(
        *(book(svc, h, a.id, at) for h, a in zip(homes, apps, strict=True)), return_exceptions=True
    )
    booked = [r for r in results if isinstance(r, pb.Appointment)]
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(booked) == 2 and len(refused) == 14, results
    assert all(e.code() == grpc.StatusCode.FAILED_PRECONDITION and "0 places left" in e.details() for e in refused)
    assert appointments_count(svc.db) == 2
    assert at not in {s.id for s in await slots(svc, homes[0], apps[0].id)}, "a full slot is not shown"


async def test_cancelling_until_an_hour_before_frees_the_place(svc, who):
    app = await start(svc, who.home, RESIDENCE)
    at = slot_id("wjj", "1", 1, 14, 0)  # capacity 1
    booked = await book(svc, who.home, app.id, at)
    assert at not in {s.id for s in await slots(svc, who.home, app.id)}
    cancelled = await svc.api.CancelAppointment(pb.AppointmentRef(id=booked.id), metadata=svc.md(who.home))
    assert cancelled.state == "cancelled"
    again = await book(svc, who.neighbour, (await start(svc, who.neighbour, RESIDENCE)).id, at)
    assert again.state == "confirmed", "the cancelled place was free again"
    # The household books another time, and is too late to cancel it 30 minutes before.
    later = await book(svc, who.home, app.id, slot_id("wjj", "1", 1, 15, 0))
    svc.clock.move(hours=4, minutes=31)  # 14:31, the slot is at 15:00
    err = await rpc_error(svc.api.CancelAppointment(pb.AppointmentRef(id=later.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "cancellation was possible until" in err.details()
    err = await rpc_error(svc.api.CancelAppointment(pb.AppointmentRef(id=booked.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "cancelled already"
    err = await rpc_error(svc.api.CancelAppointment(pb.AppointmentRef(id=later.id), metadata=svc.md(who.neighbour)))
    assert err.code() == grpc.StatusCode.NOT_FOUND, "another household's appointment"


async def test_the_department_records_the_visit_on_its_day_and_it_counts_for_the_application(svc, who):
    police = department("dept-public-security")
    app = await start(svc, who.home, RESIDENCE)
    booked = await book(svc, who.home, app.id, slot_id("xzsc", "A02", 2, 10, 0))
    visit = pb.AppointmentRef(id=booked.id)
    err = await rpc_error(svc.dept.RecordVisit(visit, metadata=svc.md(police)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "day" in err.details()
    err = await rpc_error(svc.dept.RecordVisit(visit, metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.NOT_FOUND, "another department's application"
    svc.clock.move(days=1)
    assert (await svc.dept.RecordVisit(visit, metadata=svc.md(police))).state == "attended"
    shown = await svc.api.GetApplication(pb.ApplicationRef(id=app.id), metadata=svc.md(who.home))
    assert (shown.visits, shown.appointments[0].state, shown.steps[-1].action) == (1, "attended", "visited")
    err = await rpc_error(svc.dept.RecordVisit(visit, metadata=svc.md(police)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "recorded once"


async def test_three_missed_appointments_block_booking_for_a_while(svc, who):
    apps = [await start(svc, who.home, RESIDENCE, key=f"miss-{n}") for n in range(4)]
    for n, app in enumerate(apps[:3]):
        await book(svc, who.home, app.id, slot_id("xzsc", "A01", 1, 14 + n, 0))
    svc.clock.move(hours=7)  # 17:00: all three slots ended without a visit
    shown = await svc.api.GetApplication(pb.ApplicationRef(id=apps[0].id), metadata=svc.md(who.home))
    assert shown.appointments[0].state == "missed"
    err = await rpc_error(book(svc, who.home, apps[3].id, slot_id("xzsc", "A01", 3, 9, 0)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "missed" in err.details()
    # Another household of the village is not blocked.
    other = await start(svc, who.neighbour, RESIDENCE)
    assert (await book(svc, who.neighbour, other.id, slot_id("xzsc", "A01", 3, 9, 0))).state == "confirmed"


@pytest.mark.parametrize(
    ("slot", "code", "says"),
    [
        ("", grpc.StatusCode.INVALID_ARGUMENT, "slot_id"),
        ("not-a-slot", grpc.StatusCode.INVALID_ARGUMENT, "slot_id"),
        ("x" * 65, grpc.StatusCode.INVALID_ARGUMENT, "slot_id"),
        (slot_id("xzsc", "B01", 2, 9, 0), grpc.StatusCode.NOT_FOUND, "slot"),  # agriculture's window
        (slot_id("xzsc", "A01", 5, 9, 0), grpc.StatusCode.NOT_FOUND, "slot"),  # a Saturday
        (slot_id("xzsc", "A01", 2, 9, 10), grpc.StatusCode.NOT_FOUND, "slot"),  # not a slot's start
        (slot_id("xzsc", "A01", 2, 12, 30), grpc.StatusCode.NOT_FOUND, "slot"),  # the lunch break
        (slot_id("nohall", "A01", 2, 9, 0), grpc.StatusCode.NOT_FOUND, "slot"),
        (slot_id("xzsc", "A01", 1, 9, 0), grpc.StatusCode.FAILED_PRECONDITION, "closed"),  # past
        (slot_id("xzsc", "A01", 1, 11, 30), grpc.StatusCode.FAILED_PRECONDITION, "closed"),  # within 2 h
        (slot_id("xzsc", "A01", 9, 9, 0), grpc.StatusCode.FAILED_PRECONDITION, "opens at"),  # 8 days ahead
    ],
)
async def test_a_bad_slot_is_refused_and_changes_nothing(svc, who, slot, code, says):
    app = await start(svc, who.home, RESIDENCE)
    err = await rpc_error(book(svc, who.home, app.id, slot))
    assert err.code() == code and says in err.details(), err.details()
    assert appointments_count(svc.db) == 0


async def test_who_may_book_and_for_what(svc, who):
    app = await start(svc, who.home, RESIDENCE)
    at = slot_id("xzsc", "A01", 2, 9, 0)
    online = await start(svc, who.home, RELIEF, key="online")
    err = await rpc_error(book(svc, who.home, online.id, at))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "needs no visit" in err.details()
    err = await rpc_error(slots(svc, who.home, online.id))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    for caller, code in [
        (who.neighbour, grpc.StatusCode.NOT_FOUND),  # another household's application
        (who.agent, grpc.StatusCode.NOT_FOUND),  # an agent who did not start it
        (who.technician, grpc.StatusCode.PERMISSION_DENIED),
        (who.civil, grpc.StatusCode.PERMISSION_DENIED),
    ]:
        assert (await rpc_error(book(svc, caller, app.id, at))).code() == code, caller
    err = await rpc_error(svc.api.BookAppointment(pb.BookAppointmentRequest(application_id=app.id, slot_id=at)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(svc.dept.RecordVisit(pb.AppointmentRef(id=""), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert appointments_count(svc.db) == 0


# --- a bad rating's case (GB/T 39734): call back, fix, one more rating ---


async def decided(svc, who, item=RELIEF):
    """An application of the household's, approved by the civil-affairs department."""
    app = await submitted(svc, who.home, item, key="rated")
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=app.id), metadata=svc.md(who.civil))
    return await svc.dept.ApproveApplication(pb.DecisionRequest(id=app.id, reason="准予"), metadata=svc.md(who.civil))


async def test_a_bad_rating_is_called_back_then_fixed_and_the_household_rates_once_more(svc, who):
    app = await decided(svc, who)
    rate = svc.api.RateApplication
    bad = await rate(pb.RateApplicationRequest(id=app.id, level="very_dissatisfied"), metadata=svc.md(who.home))
    assert local(bad.rating.call_back_due) == local(bad.rating.at) + dt.timedelta(days=1)
    step = svc.dept
    ref = pb.DecisionRequest(id=app.id, reason="已修复")
    err = await rpc_error(step.RecordRectification(ref, metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "call the citizen back" in err.details()
    err = await rpc_error(step.RecordCallBack(pb.DecisionRequest(id=app.id), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, "what was said is required"
    err = await rpc_error(step.RecordCallBack(ref, metadata=svc.md(who.hrss)))
    assert err.code() == grpc.StatusCode.NOT_FOUND, "another department's application"
    # Not fixed yet: the household may not rate again.
    err = await rpc_error(rate(pb.RateApplicationRequest(id=app.id, level="satisfied"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    called = await step.RecordCallBack(
        pb.DecisionRequest(id=app.id, reason="电话回访，解释了办理时限"), metadata=svc.md(who.civil)
    )
    assert called.rating.call_back_note == "电话回访，解释了办理时限" and called.rating.HasField("called_back_at")
    err = await rpc_error(step.RecordCallBack(ref, metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "once"
    fixed = await step.RecordRectification(
        pb.DecisionRequest(id=app.id, reason="简化了材料"), metadata=svc.md(who.civil)
    )
    assert fixed.rating.rectification_note == "简化了材料"
    again = await rate(
        pb.RateApplicationRequest(id=app.id, level="satisfied", comment="改进了"), metadata=svc.md(who.home)
    )
    assert (again.rating.level, again.rating.again.level, again.rating.again.comment) == (
        "very_dissatisfied",
        "satisfied",
        "改进了",
    )
    assert [s.action for s in again.steps][-4:] == ["rated", "called_back", "rectified", "rated_again"]
    err = await rpc_error(rate(pb.RateApplicationRequest(id=app.id, level="satisfied"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "once more, not twice more"


async def test_a_good_rating_opens_no_case(svc, who):
    app = await decided(svc, who)
    await svc.api.RateApplication(pb.RateApplicationRequest(id=app.id, level="satisfied"), metadata=svc.md(who.home))
    err = await rpc_error(
        svc.dept.RecordCallBack(pb.DecisionRequest(id=app.id, reason="回访"), metadata=svc.md(who.civil))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "only a bad rating" in err.details()
