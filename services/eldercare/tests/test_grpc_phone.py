"""Family on the phone, over real gRPC on SQLite and PostgreSQL: a household member signed in with
phone and password (identity's member token: kind MEMBER, no device) acts as their household, with
the same privacy rules as its TV. A member of a bound family sees the elder, the devices, the alarms
and the missed doses, binds by the code the elder's TV shows, and neither confirms a dose, commands
a device, invites others nor presses the elder's SOS; a member of another household sees nothing."""

from __future__ import annotations

import uuid

import grpc
import pytest

from eldercare import store
from eldercare.tests.test_grpc import (
    ELDER_HOME,
    SON,
    STRANGER,
    call_button,
    count,
    enrolled,
    svc,  # noqa: F401 (the fixture)
)
from eldercare.tests.test_grpc_medication import doses, local, schedule_request, scheduler_at
from runtime.auth import Caller, CallerKind
from runtime.testing import rpc_error
from sbc.eldercare.v1 import eldercare_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def member(of: Caller) -> Caller:
    """A member of `of`'s household on the phone (the claims identity's password grant gives)."""
    return Caller(
        subject=f"member:{uuid.uuid4()}", kind=CallerKind.MEMBER, household_id=of.household_id, area_code=of.area_code
    )


SON_PHONE = member(SON)
STRANGER_PHONE = member(STRANGER)
ELDER_PHONE = member(ELDER_HOME)  # someone of the elder's own household, on their phone


async def test_a_family_member_binds_on_the_phone_and_sees_what_family_see(svc):
    elder = await enrolled(svc)
    device = await call_button(svc, elder)
    # Before binding, the son's phone sees nothing of the elder, and its home has no elder.
    assert not (await svc.api.ListElders(pb.ListEldersRequest(), metadata=svc.md(SON_PHONE))).elders
    err = await rpc_error(svc.api.ListAlarms(pb.ListAlarmsRequest(elder_id=elder.id), metadata=svc.md(SON_PHONE)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    home = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(SON_PHONE))
    assert (home.elders, home.family_elders) == (0, 0)

    # The elder's TV shows a code; the son enters it on his phone: his household is bound.
    invitation = await svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))
    bound = await svc.api.BindFamily(pb.BindFamilyRequest(code=invitation.code), metadata=svc.md(SON_PHONE))
    assert (bound.elder_id, bound.elder_name, bound.household_id) == (elder.id, "张阿婆", SON.household_id)
    err = await rpc_error(
        svc.api.BindFamily(pb.BindFamilyRequest(code=invitation.code), metadata=svc.md(STRANGER_PHONE))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND, "a code works once"

    # The phone and the household's TV see the same: the elder with health data, the device, the alarm.
    alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    for who in (SON_PHONE, SON):
        [seen] = (await svc.api.ListElders(pb.ListEldersRequest(), metadata=svc.md(who))).elders
        assert (seen.id, list(seen.conditions)) == (elder.id, ["高血压"])
        listed = await svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(who))
        assert [d.id for d in listed.devices] == [device.device_id]
        alarms = await svc.api.ListAlarms(pb.ListAlarmsRequest(open_only=True), metadata=svc.md(who))
        assert [(a.id, a.type, a.state) for a in alarms.alarms] == [(alarm.id, "sos", "raised")]
    home = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(SON_PHONE))
    assert (home.elders, home.family_elders) == (0, 1)

    # What family do not do, from the phone as from the TV: invite others, press the elder's SOS,
    # command the elder's devices. Each refused, nothing changed.
    invitations_before, alarms_before = count(svc.db, store.family_invitations), count(svc.db, store.alarms)
    for call in (
        svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(SON_PHONE)),
        svc.api.PressSos(pb.PressSosRequest(elder_id=elder.id), metadata=svc.md(SON_PHONE)),
        svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(SON_PHONE)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(
        svc.api.SendDeviceCommand(
            pb.SendDeviceCommandRequest(device_id=device.device_id, command="self_test"), metadata=svc.md(SON_PHONE)
        )
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, (
        "family see the devices, the elder's household commands them"
    )
    assert (count(svc.db, store.family_invitations), count(svc.db, store.alarms)) == (invitations_before, alarms_before)

    # A family member may answer the alarm (the reminders stop), as the family's TV may.
    acknowledged = await svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(SON_PHONE))
    assert acknowledged.state == "acknowledged"

    # A member of another household sees none of it, whatever id it names.
    assert not (await svc.api.ListElders(pb.ListEldersRequest(), metadata=svc.md(STRANGER_PHONE))).elders
    assert not (await svc.api.ListAlarms(pb.ListAlarmsRequest(), metadata=svc.md(STRANGER_PHONE))).alarms
    for call in (
        svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(STRANGER_PHONE)),
        svc.api.ResolveAlarm(pb.ResolveAlarmRequest(id=alarm.id, follow_up="x"), metadata=svc.md(STRANGER_PHONE)),
        svc.api.ListDoses(pb.ListDosesRequest(elder_id=elder.id), metadata=svc.md(STRANGER_PHONE)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND


async def test_the_family_phone_sees_a_missed_dose_but_only_the_elder_confirms(svc):
    elder = await enrolled(svc)
    invitation = await svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))
    await svc.api.BindFamily(pb.BindFamilyRequest(code=invitation.code), metadata=svc.md(SON_PHONE))
    svc.clock.at = local(1, 7)
    schedule = await svc.api.SetMedicationSchedule(schedule_request(elder.id), metadata=svc.md(SON_PHONE))
    assert schedule.created_by == SON.household_id, "family arrange medication from the phone"
    scheduler_at(svc, local(1, 8))
    [due] = await doses(svc, SON_PHONE)
    err = await rpc_error(svc.api.ConfirmDose(pb.ConfirmDoseRequest(id=due.id), metadata=svc.md(SON_PHONE)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "family see doses, the elder's household confirms them"
    scheduler_at(svc, local(1, 8) + store.medication().confirm_within)
    assert [d.state for d in await doses(svc, SON_PHONE, state="missed")] == ["missed"]
    home = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(SON_PHONE))
    assert home.missed_doses == 1


async def test_the_elders_own_household_on_the_phone_is_the_household(svc):
    elder = await enrolled(svc)
    alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_PHONE))
    assert (alarm.elder_id, alarm.type) == (elder.id, "sos")
    tv_alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    assert tv_alarm.id != alarm.id, "the phone's SOS is its own terminal's alarm, the TV's another"
    again = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_PHONE))
    assert (again.id, again.repeats) == (alarm.id, alarm.repeats + 1), "a repeat folds into the open alarm"
    invitation = await svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(ELDER_PHONE))
    assert len(invitation.code) == 8
    err = await rpc_error(svc.api.BindFamily(pb.BindFamilyRequest(code=invitation.code), metadata=svc.md(ELDER_PHONE)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "the elder's own household is not its family"
    seen = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(ELDER_PHONE))
    assert (seen.elders, seen.open_alarms) == (1, 2)


async def test_an_alarms_family_reminder_names_the_bound_families_for_their_phones(svc):
    from eldercare.tests.test_grpc_medication import outbox_event
    from sbc.events.v1 import eldercare_events_pb2

    elder = await enrolled(svc)
    invitation = await svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))
    await svc.api.BindFamily(pb.BindFamilyRequest(code=invitation.code), metadata=svc.md(SON_PHONE))
    alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    reminded = outbox_event(svc.db, "sbc.eldercare.alarm.reminded.v1", eldercare_events_pb2.EldercareAlarmReminded)
    assert (reminded.alarm_id, reminded.who, reminded.type) == (alarm.id, "family", "sos")
    assert list(reminded.family_household_ids) == [SON.household_id]
    assert reminded.where.household_id == ELDER_HOME.household_id
