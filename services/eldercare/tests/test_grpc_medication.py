"""Medication reminders over real gRPC on SQLite and PostgreSQL: family set a schedule, the
scheduler's pass (on an injected clock) makes the dose due and reminds until the elder's TV confirms
it, a dose not confirmed within its window is missed and the family sees it; who may do what; bad
input changes nothing."""

from __future__ import annotations

import datetime as dt
import types
from zoneinfo import ZoneInfo

import grpc
import pytest
from sqlalchemy import select

from eldercare import scheduler, store
from eldercare.tests.test_grpc import (
    CAREGIVER,
    ELDER_HOME,
    OTHER_CAREGIVER,
    SON,
    STRANGER,
    bound_family,
    count,
    enrolled,
    outbox_types,
    svc,  # noqa: F401 (the fixture)
)
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import department, rpc_error
from sbc.eldercare.v1 import eldercare_pb2 as pb
from sbc.events.v1 import eldercare_events_pb2

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

TZ = ZoneInfo(store.care()["time_zone"])
WINDOW = store.medication().confirm_within
EVERY = store.medication().reminders.steps[0].repeat_every


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


def timing(**kw) -> pb.MedicationTiming:
    return pb.MedicationTiming(**{"times_of_day": ["08:00"], "every_days": 1, "starts_on": "2026-12-01", **kw})


def schedule_request(elder_id: str, **kw) -> pb.SetMedicationScheduleRequest:
    return pb.SetMedicationScheduleRequest(
        **{"elder_id": elder_id, "medicine": "氨氯地平", "dose": "1片", "timing": timing(), **kw}
    )


def outbox_event(db, event_type: str, message_class):
    """The last event of this type in the outbox, as notifications' consumer decodes it."""
    t = outbox_table()
    with db.transaction() as s:
        row = s.execute(select(t).where(t.c.event_type == event_type).order_by(t.c.seq.desc())).first()
    return message_class.FromString(row.payload)


def scheduler_at(svc, at: dt.datetime) -> None:
    """One pass of the scheduler process at `at` (its own tick, on the test's database)."""
    scheduler.scheduler_pass(types.SimpleNamespace(db=svc.db), clock=lambda: at)()


async def doses(svc, who, **kw) -> list[pb.Dose]:
    return list((await svc.api.ListDoses(pb.ListDosesRequest(**kw), metadata=svc.md(who))).doses)


async def test_family_set_a_schedule_the_tv_is_reminded_until_it_confirms_and_a_missed_dose_reaches_family(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    svc.clock.at = local(1, 7)
    s = await svc.api.SetMedicationSchedule(schedule_request(elder.id), metadata=svc.md(SON))
    assert (s.medicine, list(s.timing.times_of_day), s.created_by, s.elder_id) == (
        "氨氯地平",
        ["08:00"],
        "hh-son",
        elder.id,
    )
    scheduler_at(svc, local(1, 8) - dt.timedelta(seconds=1))
    assert await doses(svc, ELDER_HOME) == []
    scheduler_at(svc, local(1, 8))
    [due] = await doses(svc, ELDER_HOME)
    assert (due.state, due.reminders, due.medicine, due.dose) == ("due", 1, "氨氯地平", "1片")
    assert due.due_at.ToDatetime(dt.UTC) == local(1, 8) and due.confirm_by.ToDatetime(dt.UTC) == local(1, 8) + WINDOW
    home = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(ELDER_HOME))
    assert (home.elders, home.due_doses) == (1, 1)
    scheduler_at(svc, local(1, 8) + EVERY)
    [due] = await doses(svc, ELDER_HOME)
    assert due.reminders == 2, "reminded again, not yet confirmed"
    svc.clock.at = local(1, 8) + EVERY + dt.timedelta(seconds=30)
    err = await rpc_error(svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=due.id), metadata=svc.md(SON)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "family see doses, the elder confirms them"
    confirmed = await svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=due.id), metadata=svc.md(ELDER_HOME))
    assert (confirmed.state, confirmed.confirmed_by) == ("confirmed", "hh-elder")
    err = await rpc_error(svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=due.id), metadata=svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "confirmed already"
    scheduler_at(svc, local(1, 12))
    assert [(d.state, d.reminders) for d in await doses(svc, SON)] == [("confirmed", 2)], "no reminder once confirmed"

    # the next morning's dose is not confirmed: missed exactly at the end of its window
    scheduler_at(svc, local(2, 8))
    scheduler_at(svc, local(2, 8) + WINDOW - dt.timedelta(seconds=1))
    assert (await doses(svc, SON, state="due"))[0].due_at.ToDatetime(dt.UTC) == local(2, 8)
    assert (await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(SON))).missed_doses == 0
    scheduler_at(svc, local(2, 8) + WINDOW)
    [missed] = await doses(svc, SON, state="missed", elder_id=elder.id)
    assert missed.missed_at.ToDatetime(dt.UTC) == local(2, 8) + WINDOW
    svc.clock.at = local(2, 8) + WINDOW
    family = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(SON))
    assert (family.elders, family.family_elders, family.missed_doses) == (0, 1, 1), "the family's alert"
    err = await rpc_error(svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=missed.id), metadata=svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and field_errors_of(err) == {"state": "missed"}
    kinds = [t for t in outbox_types(svc.db) if ".dose." in t]
    assert kinds.count("sbc.eldercare.dose.confirmed.v1") == 1 and kinds[-1] == "sbc.eldercare.dose.missed.v1"
    assert kinds.count("sbc.eldercare.dose.missed.v1") == 1
    told = outbox_event(svc.db, "sbc.eldercare.dose.missed.v1", eldercare_events_pb2.EldercareDoseMissed)
    assert (list(told.family_household_ids), told.elder_name, told.dose) == (["hh-son"], elder.name, "1片")
    reminded = outbox_event(svc.db, "sbc.eldercare.dose.reminded.v1", eldercare_events_pb2.EldercareDoseReminded)
    assert (reminded.where.household_id, reminded.medicine, reminded.dose) == ("hh-elder", "氨氯地平", "1片")

    # stopped: no dose falls due after it; a caregiver of the area may stop it too
    stopped = await svc.api.StopMedicationSchedule(
        pb.StopMedicationScheduleRequest(id=s.id), metadata=svc.md(CAREGIVER)
    )
    assert stopped.stopped_at.seconds > 0
    scheduler_at(svc, local(4, 9))
    assert len(await doses(svc, ELDER_HOME)) == 2
    err = await rpc_error(
        svc.api.StopMedicationSchedule(pb.StopMedicationScheduleRequest(id=s.id), metadata=svc.md(SON))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "stopped already"
    listed = await svc.api.ListMedicationSchedules(
        pb.ListMedicationSchedulesRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME)
    )
    assert [x.id for x in listed.schedules] == [s.id]


async def test_only_family_and_the_areas_care_staff_set_and_see_medication(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    svc.clock.at = local(1, 7)
    err = await rpc_error(svc.api.SetMedicationSchedule(schedule_request(elder.id), metadata=svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "the elder's TV confirms doses, family set them"
    for who in (STRANGER, OTHER_CAREGIVER, department()):
        err = await rpc_error(svc.api.SetMedicationSchedule(schedule_request(elder.id), metadata=svc.md(who)))
        assert err.code() == grpc.StatusCode.NOT_FOUND
    assert count(svc.db, store.medication_schedules) == 0
    s = await svc.api.SetMedicationSchedule(schedule_request(elder.id), metadata=svc.md(CAREGIVER))
    scheduler_at(svc, local(1, 8))
    [dose] = await doses(svc, CAREGIVER)
    for who in (STRANGER, OTHER_CAREGIVER, department()):
        assert await doses(svc, who) == []
        for call in (
            svc.api.ListDoses(pb.ListDosesRequest(elder_id=elder.id), metadata=svc.md(who)),
            svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=dose.id), metadata=svc.md(who)),
            svc.api.StopMedicationSchedule(pb.StopMedicationScheduleRequest(id=s.id), metadata=svc.md(who)),
            svc.api.ListMedicationSchedules(pb.ListMedicationSchedulesRequest(elder_id=elder.id), metadata=svc.md(who)),
        ):
            assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    assert (await rpc_error(svc.api.ListDoses(pb.ListDosesRequest()))).code() == grpc.StatusCode.UNAUTHENTICATED
    [dose] = await doses(svc, ELDER_HOME)
    assert dose.state == "due", "nothing changed"
    svc.clock.at = local(1, 8, 10)
    assert (
        await svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=dose.id), metadata=svc.md(CAREGIVER))
    ).confirmed_by == "cg-1"


BAD_SCHEDULES = [
    ({"elder_id": ""}, "elder_id"),
    ({"medicine": ""}, "medicine"),
    ({"medicine": "药" * 51}, "medicine"),
    ({"dose": "1\x00"}, "dose"),
    ({"timing": timing(times_of_day=[])}, "times_of_day"),
    ({"timing": timing(times_of_day=["25:00"])}, "times_of_day"),
    ({"timing": timing(times_of_day=["08:00"] * 7)}, "times_of_day"),
    ({"timing": timing(days_of_week=["someday"])}, "days_of_week"),
    ({"timing": timing(every_days=0)}, "every_days"),
    ({"timing": timing(starts_on="tomorrow")}, "starts_on"),
    ({"timing": timing(ends_on="2026-11-30")}, "ends_on"),
]
BAD_DOSE_CALLS = [
    (lambda api, md: api.ConfirmDose(pb.ConfirmDoseRequest(id=""), metadata=md), "id"),
    (lambda api, md: api.ConfirmDose(pb.ConfirmDoseRequest(id="x" * 37), metadata=md), "id"),
    (lambda api, md: api.ListDoses(pb.ListDosesRequest(state="eaten"), metadata=md), "state"),
    (lambda api, md: api.ListDoses(pb.ListDosesRequest(limit=201), metadata=md), "limit"),
    (lambda api, md: api.StopMedicationSchedule(pb.StopMedicationScheduleRequest(id=""), metadata=md), "id"),
]


async def test_bad_input_is_invalid_argument_naming_the_field_and_changes_nothing(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    for change, field in BAD_SCHEDULES:
        request = schedule_request(**{"elder_id": elder.id, **change})
        err = await rpc_error(svc.api.SetMedicationSchedule(request, metadata=svc.md(SON)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), change
    for call, field in BAD_DOSE_CALLS:
        err = await rpc_error(call(svc.api, svc.md(ELDER_HOME)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), field
    assert count(svc.db, store.medication_schedules) == 0 and count(svc.db, store.doses) == 0
