"""Eldercare's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (on the database
threads), the bridge (each MQTT message a device sends) and the scheduler (inactivity, escalation)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from eldercare import domain, store
from eldercare.broker import DeviceAccounts
from eldercare.store import UnitOfWork
from runtime.auth import Caller
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

log = logging.getLogger(__name__)
MAX_ID = 36
MAX_SCHEDULES = 20  # active medication schedules per elder


# --- elders and families ---


def enrol_elder(
    uow: UnitOfWork, caller: Caller, name: str, birth_year: int, conditions: list[str], contacts: list[str], now
) -> domain.Elder:
    elder = domain.Elder.enrol(caller, name, birth_year, conditions, contacts, now)
    try:
        with uow:
            existing = uow.elders.by_name(elder.household_id, name)
            if existing is not None:
                return existing
            uow.elders.add(elder)
            uow.commit()
            return elder
    except IntegrityError:
        with uow:  # the same elder enrolled at the same moment: that one stands
            existing = uow.elders.by_name(elder.household_id, name)
            if existing is None:
                raise
            return existing


def list_elders(uow: UnitOfWork, caller: Caller) -> list[domain.Elder]:
    with uow:
        return uow.elders.visible_to(caller)


def _visible_elder(uow: UnitOfWork, caller: Caller, elder_id: str, field: str = "elder_id") -> domain.Elder:
    check_id(elder_id, field)
    elder = uow.elders.get(elder_id)
    if elder is None or not domain.may_see(
        caller, elder.household_id, elder.area_code, uow.families.of_elder(elder_id)
    ):
        raise NotFound(f"no elder {elder_id!r}", {field: "not found"})
    return elder


def invite_family(
    uow: UnitOfWork, caller: Caller, elder_id: str, now: dt.datetime, phone: str = ""
) -> domain.FamilyInvitation:
    caller.require_household()
    # A code on the TV is typed there and then; an invitation by number waits for its person.
    valid = dt.timedelta(
        seconds=store.care()["family_invitation_by_phone_seconds" if phone else "family_invitation_seconds"]
    )
    with uow:
        elder = _visible_elder(uow, caller, elder_id)
        invitation = domain.FamilyInvitation.issue(elder, caller, now, valid, phone)
        uow.invitations.add(invitation)
        uow.commit()
        return invitation


def invitations_waiting(
    uow: UnitOfWork, caller: Caller, now: dt.datetime
) -> list[tuple[domain.FamilyInvitation, domain.Elder]]:
    """The invitations addressed to the number the caller signed in with on the phone, with their elders."""
    caller.require_household()
    if not caller.phone:
        raise PermissionDenied("invitations by number are seen on the phone, signed in with that number")
    with uow:
        waiting = [i for i in uow.invitations.addressed_to(caller.phone) if i.waiting_for(caller, now)]
        return [(i, e) for i in waiting if (e := uow.elders.get(i.elder_id)) is not None]


def bind_family(uow: UnitOfWork, caller: Caller, code: str, now: dt.datetime) -> tuple[domain.FamilyBinding, str]:
    caller.require_household()
    domain.check_code(code)
    with uow:
        invitation = uow.invitations.get_for_update(code)
        if invitation is None:
            raise NotFound("no such invitation (wrong, used or expired code)", {"code": "not valid"})
        binding = invitation.accept(caller, now)
        existing = uow.families.get(binding.elder_id, binding.household_id)
        if existing is None:
            uow.families.add(binding)
        else:
            binding = existing
        elder = uow.elders.get(binding.elder_id)
        uow.commit()
        return binding, elder.name if elder else ""


# --- devices ---


def register_device(
    uow: UnitOfWork, caller: Caller, profile_key: str, serial: str, elder_id: str, now
) -> domain.Device:
    domain.require_care_staff(caller, domain.Role.CARE_OPERATOR)
    profile = _profile(profile_key)
    with uow:
        _visible_elder(uow, caller, elder_id)
        device = domain.Device.register(profile, serial, elder_id, now)
        if uow.devices.by_serial(profile.key, serial) is not None:
            raise AlreadyExists("this device is known already", {"serial": "already registered"})
        uow.devices.add(device)
        uow.commit()
        return device


@dataclass(frozen=True)
class Provisioned:
    device: domain.Device
    credential: str


def provision_device(
    uow: UnitOfWork, accounts: DeviceAccounts, key: str, secret: str, serial: str, now: dt.datetime
) -> Provisioned:
    if not key or not secret:
        missing = {f: "is required" for f, v in (("provision_key", key), ("provision_secret", secret)) if not v}
        raise InvalidArgument("missing required fields: " + ", ".join(missing), missing)
    profile = next((p for p in store.profiles().values() if p.provision_key == key), None)
    if profile is None:
        raise NotFound("no such provisioning key and secret", {"provision_key": "not found"})
    with uow:
        existing = uow.devices.by_serial(profile.key, serial) if serial else None
        device, credential = domain.Device.provision(profile, secret, serial, existing, now)
        if existing is None:
            uow.devices.add(device)
        # The broker's client first: if the commit fails, nobody knows that password.
        elder = uow.elders.get(device.elder_id) if device.elder_id else None
        accounts.open(device.id, credential, elder.area_code if elder else "")
        uow.commit()
        return Provisioned(device, credential)


def assign_device(
    uow: UnitOfWork, accounts: DeviceAccounts, caller: Caller, device_id: str, elder_id: str
) -> domain.Device:
    domain.require_care_staff(caller, domain.Role.CARE_OPERATOR)
    check_id(device_id, "device_id")
    with uow:
        elder = _visible_elder(uow, caller, elder_id)
        device = uow.devices.get(device_id, for_update=True)
        if device is None:
            raise NotFound(f"no device {device_id!r}", {"device_id": "not found"})
        device.assign(elder_id)
        if device.credential_sha256:  # provisioned: it reads its elder's area's alerts from now on
            accounts.move(device.id, elder.area_code)
        uow.commit()
        return device


def _operated_device(uow: UnitOfWork, caller: Caller, device_id: str) -> tuple[domain.Device, str]:
    """A device a care operator sees (its elder's area's, or one no elder has yet), locked, and the
    area whose alerts it reads."""
    domain.require_care_staff(caller, domain.Role.CARE_OPERATOR)
    check_id(device_id, "device_id")
    device = uow.devices.get(device_id, for_update=True)
    elder = uow.elders.get(device.elder_id) if device is not None and device.elder_id else None
    if device is None or not domain.may_see(
        caller, elder.household_id if elder else "", elder.area_code if elder else "", set()
    ):
        raise NotFound(f"no device {device_id!r}", {"device_id": "not found"})
    return device, elder.area_code if elder else ""


def rotate_credential(uow: UnitOfWork, accounts: DeviceAccounts, caller: Caller, device_id: str) -> Provisioned:
    """A new credential for the device: the broker's password first (a commit that then fails
    leaves the device locked out until rotated again, never the old credential working)."""
    with uow:
        device, area_code = _operated_device(uow, caller, device_id)
        credential = device.rotate_credential()
        accounts.open(device.id, credential, area_code)
        uow.commit()
        return Provisioned(device, credential)


def deprovision_device(
    uow: UnitOfWork, accounts: DeviceAccounts, caller: Caller, device_id: str, now: dt.datetime
) -> domain.Device:
    """Out of service: the broker's account goes first, so a failure refuses the device, never keeps it."""
    with uow:
        device, _ = _operated_device(uow, caller, device_id)
        device.deprovision(now)
        accounts.close(device.id)
        uow.commit()
        return device


def set_offline_timeout(uow: UnitOfWork, caller: Caller, device_id: str, seconds: int) -> domain.Device:
    with uow:
        device, _ = _operated_device(uow, caller, device_id)
        device.set_offline_after(seconds)
        uow.commit()
        return device


def list_devices(uow: UnitOfWork, caller: Caller, elder_id: str) -> list[domain.Device]:
    with uow:
        ids = [_visible_elder(uow, caller, elder_id).id] if elder_id else [e.id for e in uow.elders.visible_to(caller)]
        return uow.devices.of_elders(ids)


def _profile(key: str) -> domain.Profile:
    profile = store.profiles().get(key)
    if profile is None:
        raise NotFound(f"no device profile {key[:40]!r}", {"profile": "not found"})
    return profile


# --- alarms ---


def list_alarms(uow: UnitOfWork, caller: Caller, elder_id: str, open_only: bool, limit: int) -> list[domain.Alarm]:
    if not 0 <= limit <= 200:
        raise InvalidArgument("limit is 1..200", {"limit": "1..200"})
    with uow:
        if elder_id:
            ids, unassigned = [_visible_elder(uow, caller, elder_id).id], False
        else:
            ids = [e.id for e in uow.elders.visible_to(caller)]
            unassigned = domain.may_see(caller, "", "", set())
        return uow.alarms.of_elders(ids, unassigned, open_only, limit or 50)


def _visible_alarm(uow: UnitOfWork, caller: Caller, alarm_id: str) -> domain.Alarm:
    check_id(alarm_id, "id")
    alarm = uow.alarms.get(alarm_id, for_update=True)
    family = uow.families.of_elder(alarm.elder_id) if alarm is not None and alarm.elder_id else set()
    if alarm is None or not domain.may_see(caller, alarm.household_id, alarm.area_code, family):
        raise NotFound(f"no alarm {alarm_id!r}", {"id": "not found"})
    return alarm


def acknowledge_alarm(uow: UnitOfWork, caller: Caller, alarm_id: str, now: dt.datetime) -> domain.Alarm:
    with uow:
        alarm = _visible_alarm(uow, caller, alarm_id)
        alarm.acknowledge(caller, now)
        uow.commit()
        return alarm


def resolve_alarm(uow: UnitOfWork, caller: Caller, alarm_id: str, follow_up: str, now: dt.datetime) -> domain.Alarm:
    with uow:
        alarm = _visible_alarm(uow, caller, alarm_id)
        alarm.resolve(caller, follow_up, now)
        uow.commit()
        return alarm


def add_follow_up_note(uow: UnitOfWork, caller: Caller, alarm_id: str, text: str, now: dt.datetime) -> domain.Alarm:
    with uow:
        alarm = _visible_alarm(uow, caller, alarm_id)
        alarm.add_note(caller, text, now)
        uow.commit()
        return alarm


MAX_FIGURES_DAYS = 366


def alarm_figures(uow: UnitOfWork, caller: Caller, days: int, now: dt.datetime) -> domain.AlarmFigures:
    """The care staff's figures over the alarms they see raised in the last `days`."""
    domain.require_care_staff(caller)
    if not 0 <= days <= MAX_FIGURES_DAYS:
        raise InvalidArgument(f"days is 1..{MAX_FIGURES_DAYS}", {"days": f"1..{MAX_FIGURES_DAYS}"})
    standards = store.standards()
    days = days or standards.default_days
    with uow:
        ids = [e.id for e in uow.elders.visible_to(caller)]
        found = uow.alarms.of_elders_since(ids, domain.may_see(caller, "", "", set()), now - dt.timedelta(days=days))
        return domain.figures(found, standards, days, now)


def press_sos(uow: UnitOfWork, caller: Caller, elder_id: str, now: dt.datetime) -> domain.Alarm:
    """The remote's SOS key (or the household's phone): raises the household's elder's SOS, one open
    alarm per terminal (a box by its device id, a phone by its member)."""
    household_id = caller.require_household()
    with uow:
        if elder_id:
            elder = _visible_elder(uow, caller, elder_id)
            if elder.household_id != household_id:
                raise NotFound(f"no elder {elder_id!r} of this household", {"elder_id": "not found"})
        else:
            own = [e for e in uow.elders.visible_to(caller) if e.household_id == household_id]
            if len(own) != 1:
                raise NotFound(
                    "name the elder" if own else "no elder is enrolled in this household", {"elder_id": "not found"}
                )
            elder = own[0]
        where = domain.Where(elder.id, elder.household_id, elder.area_code)
        terminal = f"stb:{caller.device_id}" if caller.device_id else caller.subject
        alarm = _raise(uow, "sos", severity_of("sos"), terminal[:36], where, now)
        uow.commit()
        return alarm


@dataclass(frozen=True)
class HomeSummary:
    elders: int
    open_alarms: int
    reminders: int
    due_doses: int
    family_elders: int
    missed_doses: int


def home_summary(uow: UnitOfWork, caller: Caller, now: dt.datetime) -> HomeSummary:
    """The household's own elders (alarms, doses due now), and the elders it is bound to as family
    (their doses missed lately: the family's alert)."""
    household_id = caller.require_household()
    with uow:
        visible = uow.elders.visible_to(caller)
        own = [e.id for e in visible if e.household_id == household_id]
        family = [e.id for e in visible if e.household_id != household_id]
        open_ = uow.alarms.of_elders(own, False, True, 200)
        due = uow.doses.of_elders(own, domain.DoseState.DUE, None, 200) if own else []
        since = now - store.medication().family_sees_missed
        missed = uow.doses.of_elders(family, domain.DoseState.MISSED, since, 200) if family else []
        return HomeSummary(
            len(own),
            len(open_),
            sum(a.reminders for a in open_ if a.state == domain.AlarmState.RAISED),
            len(due),
            len(family),
            len(missed),
        )


def response_commitments() -> tuple[tuple[domain.SeverityCommitment, ...], domain.Standards]:
    """The published response-time commitments: the escalation per severity, and the figures' targets."""
    return store.response_commitments(), store.standards()


def severity_of(event: str) -> str:
    return store.care()["event_severity"].get(event, "MAJOR")


def _raise(uow: UnitOfWork, type: str, severity: str, device_id: str, where: domain.Where, at) -> domain.Alarm:
    """One open alarm per device and type: a repeat folds into the open one."""
    alarm = uow.alarms.open_for(device_id, type)
    if alarm is not None:
        alarm.repeat(at)
        return alarm
    alarm = domain.Alarm.raise_(type, severity, device_id, where, at)
    family = uow.families.of_elder(where.elder_id) if where.elder_id else set()
    alarm.escalate(store.escalation(severity), at, family)  # the first step's reminder goes out at once
    return uow.alarms.add(alarm)


# --- what the bridge and the scheduler do ---


def take_message(uow: UnitOfWork, topic: str, payload: bytes, now: dt.datetime) -> str:
    """One MQTT message of a device, on <root>/devices/<device id>/<telemetry|events>: stored (its
    values, its alarms, its id against repeats) or parked. Returns what became of it."""
    parts = topic.split("/")
    device_id, kind = (parts[-2], parts[-1]) if len(parts) >= 3 else ("", "")
    care = store.care()
    with uow:
        device = uow.devices.get(device_id) if kind in ("telemetry", "events") and len(device_id) <= MAX_ID else None
        reason = "no such device" if device is None else ""
        message = None
        if device is not None:
            try:
                message = domain.read_message(
                    payload, kind, store.profiles()[device.profile], care["max_payload_bytes"]
                )
                if not device.credential_matches(message.credential):
                    reason = "wrong credential"
            except domain.BadMessage as exc:
                reason = str(exc)
        if reason or device is None or message is None:
            uow.messages.park(topic, payload[: care["max_payload_bytes"]], reason, now)
            uow.commit()
            return f"parked: {reason}"
        if uow.messages.seen(device.id, message.id):
            return "repeat"
        profile = store.profiles()[device.profile]
        body = json.dumps({"values": message.telemetry, "event": message.event}, ensure_ascii=False)
        uow.messages.add(device.id, message.id, kind, body, now, care["history_per_device"])
        elder = uow.elders.get(device.elder_id) if device.elder_id else None
        where = domain.Where(elder.id, elder.household_id, elder.area_code) if elder else domain.Where("", "", "")
        if message.event:
            alarm_type = profile.events[message.event]["alarm"]
            _raise(uow, alarm_type, severity_of(alarm_type), device.id, where, now)
            device.seen(now)
        else:
            for rule in device.take_telemetry(profile, message.telemetry, now):
                _raise(uow, rule.alarm, rule.severity, device.id, where, now)
            for rule in profile.inactivity_rules():
                open_alarm = uow.alarms.open_for(device.id, rule.alarm)
                if (
                    open_alarm is not None
                    and rule.key in message.telemetry
                    and rule.is_activity(message.telemetry[rule.key])
                ):
                    open_alarm.clear(now)
        uow.commit()
        return "stored"


def check_inactivity(uow: UnitOfWork, now: dt.datetime) -> int:
    """Raise the "no activity for X" alarms due at `now` (the scheduler, every check interval)."""
    watched = [p.key for p in store.profiles().values() if p.inactivity_rules()]
    raised = 0
    with uow:
        for device in uow.devices.watched_for_inactivity(watched):
            elder = uow.elders.get(device.elder_id) if device.elder_id else None
            where = domain.Where(elder.id, elder.household_id, elder.area_code) if elder else domain.Where("", "", "")
            for rule, since in device.inactive(store.profiles()[device.profile], now):
                # One alarm per spell of inactivity: none while one is open, none again once it is resolved.
                if uow.alarms.open_for(device.id, rule.alarm) is None and not uow.alarms.raised_since(
                    device.id, rule.alarm, since
                ):
                    _raise(uow, rule.alarm, rule.severity, device.id, where, now)
                    raised += 1
        uow.commit()
    return raised


def escalate_due(uow: UnitOfWork, now: dt.datetime) -> int:
    """Send the reminders due on every unacknowledged alarm; mark those past their deadline."""
    with uow:
        found = uow.alarms.unacknowledged()
        for alarm in found:
            family = uow.families.of_elder(alarm.elder_id) if alarm.elder_id else set()
            alarm.escalate(store.escalation(alarm.severity), now, family)
        uow.commit()
        return len(found)


def check_id(value: str, field: str) -> None:
    if not value or len(value) > MAX_ID:
        raise InvalidArgument(
            f"{field} is an id", {field: "is required" if not value else f"at most {MAX_ID} characters"}
        )


# --- medication reminders ---


def _arranging(uow: UnitOfWork, caller: Caller, elder_id: str) -> domain.Elder:
    """The elder, for one who may set their medication and care (bound family, care staff)."""
    elder = _visible_elder(uow, caller, elder_id)
    if not domain.may_arrange_care(caller, elder.area_code, uow.families.of_elder(elder.id)):
        raise PermissionDenied("bound family or the elder's care staff set medication and care orders")
    return elder


@dataclass(frozen=True)
class TimingFields:
    times_of_day: list[str]
    days_of_week: list[str]
    every_days: int
    starts_on: str
    ends_on: str


def set_medication(
    uow: UnitOfWork,
    caller: Caller,
    elder_id: str,
    medicine: str,
    dose: str,
    fields: TimingFields,
    now: dt.datetime,
) -> domain.MedicationSchedule:
    check_id(elder_id, "elder_id")
    timing = domain.Timing.of(
        fields.times_of_day, fields.days_of_week, fields.every_days, fields.starts_on, fields.ends_on
    )
    with uow:
        elder = _arranging(uow, caller, elder_id)
        if len([s for s in uow.schedules.of_elder(elder.id) if s.active]) >= MAX_SCHEDULES:
            raise FailedPrecondition(f"an elder has at most {MAX_SCHEDULES} medication schedules: stop one first")
        schedule = uow.schedules.add(
            domain.MedicationSchedule.set(
                caller, elder.id, medicine, dose, timing, now, store.medication().confirm_within
            )
        )
        uow.commit()
        return schedule


def stop_medication(uow: UnitOfWork, caller: Caller, schedule_id: str, now: dt.datetime) -> domain.MedicationSchedule:
    check_id(schedule_id, "id")
    with uow:
        schedule = uow.schedules.get(schedule_id)
        if schedule is None:
            raise NotFound(f"no medication schedule {schedule_id!r}", {"id": "not found"})
        try:
            _arranging(uow, caller, schedule.elder_id)
        except NotFound:
            raise NotFound(f"no medication schedule {schedule_id!r}", {"id": "not found"}) from None
        schedule.stop(now)
        uow.commit()
        return schedule


def list_medication(uow: UnitOfWork, caller: Caller, elder_id: str) -> list[domain.MedicationSchedule]:
    with uow:
        return uow.schedules.of_elder(_visible_elder(uow, caller, elder_id).id)


def list_doses(
    uow: UnitOfWork, caller: Caller, elder_id: str, state: str, limit: int
) -> list[tuple[domain.Dose, bool]]:
    """The doses, each with whether the caller may confirm it (the TV shows its confirm key then)."""
    if state and state not in (domain.DoseState.DUE, domain.DoseState.CONFIRMED, domain.DoseState.MISSED):
        raise InvalidArgument("state is due, confirmed or missed", {"state": "unknown"})
    if not 0 <= limit <= 200:
        raise InvalidArgument("limit is 1..200", {"limit": "1..200"})
    with uow:
        ids = [_visible_elder(uow, caller, elder_id).id] if elder_id else [e.id for e in uow.elders.visible_to(caller)]
        found = uow.doses.of_elders(ids, state, None, limit or 50)
        return [(d, domain.may_confirm_dose(caller, d.household_id, d.area_code)) for d in found]


def confirm_dose(uow: UnitOfWork, caller: Caller, dose_id: str, now: dt.datetime) -> domain.Dose:
    check_id(dose_id, "id")
    with uow:
        dose = uow.doses.get(dose_id)
        family = uow.families.of_elder(dose.elder_id) if dose is not None else set()
        if dose is None or not domain.may_see(caller, dose.household_id, dose.area_code, family):
            raise NotFound(f"no dose {dose_id!r}", {"id": "not found"})
        if not domain.may_confirm_dose(caller, dose.household_id, dose.area_code):
            raise PermissionDenied("the elder's own TV or their care staff confirm a dose")
        dose.confirm(caller, store.medication().confirm_within, now)
        uow.commit()
        return dose


def remind_doses(uow: UnitOfWork, now: dt.datetime) -> int:
    """The scheduler's pass: make the doses due by `now`, remind the unconfirmed ones, and mark
    those past their window missed (the family's alert). Returns how many doses are still due."""
    rules = store.medication()
    with uow:
        due = uow.doses.due()
        for schedule in uow.schedules.active():
            elder = uow.elders.get(schedule.elder_id)
            if elder is not None:
                where = domain.Where(elder.id, elder.household_id, elder.area_code)
                due += [uow.doses.add(d) for d in schedule.make_due(where, now, rules.tz)]

        def family(elder_id: str) -> tuple[set[str], str]:
            elder = uow.elders.get(elder_id)
            return uow.families.of_elder(elder_id), elder.name if elder is not None else ""

        for dose in due:
            dose.remind(rules.reminders, rules.confirm_within, now, family)
        uow.commit()
        return sum(d.state == domain.DoseState.DUE for d in due)


# --- persistent commands to devices ---


def _visible_device(uow: UnitOfWork, caller: Caller, device_id: str, for_update: bool = False):
    """The device and its elder's whereabouts, for one who may see the elder (else NOT_FOUND)."""
    check_id(device_id, "device_id")
    device = uow.devices.get(device_id, for_update=for_update)
    elder = uow.elders.get(device.elder_id) if device is not None and device.elder_id else None
    if elder is None or not domain.may_see(
        caller, elder.household_id, elder.area_code, uow.families.of_elder(elder.id)
    ):
        raise NotFound(f"no device {device_id!r}", {"device_id": "not found"})
    return device, domain.Where(elder.id, elder.household_id, elder.area_code)


def send_command(
    uow: UnitOfWork, caller: Caller, device_id: str, command: str, ttl_seconds: int, now: dt.datetime
) -> domain.DeviceCommand:
    """Queue a command; the commander process sends it while the device is online."""
    if not command:
        raise InvalidArgument("missing required fields: command", {"command": "is required"})
    limits = store.care()["commands"]
    ttl = dt.timedelta(seconds=ttl_seconds or limits["default_ttl_seconds"])
    with uow:
        device, where = _visible_device(uow, caller, device_id)
        if not domain.may_command_device(caller, where.household_id, where.area_code):
            raise PermissionDenied("the elder's household or their care staff command the devices")
        c = domain.DeviceCommand.queue(
            caller,
            device,
            _profile(device.profile),
            where,
            command,
            ttl,
            dt.timedelta(seconds=limits["max_ttl_seconds"]),
            now,
        )
        uow.commands.add(c)
        uow.commit()
        return c


def list_commands(uow: UnitOfWork, caller: Caller, device_id: str, limit: int) -> list[domain.DeviceCommand]:
    if not 0 <= limit <= 200:
        raise InvalidArgument("limit is 1..200", {"limit": "1..200"})
    with uow:
        device, _ = _visible_device(uow, caller, device_id)
        return uow.commands.of_device(device.id, limit or 50)


@dataclass(frozen=True)
class Outgoing:
    command_id: str
    topic_device: str
    message: dict


def commands_to_send(uow: UnitOfWork, now: dt.datetime) -> list[Outgoing]:
    """The queued commands of devices online now (an offline device's wait, until they expire)."""
    with uow:
        found = []
        for c in uow.commands.in_flight((domain.CommandState.QUEUED,)):
            device = uow.devices.get(c.device_id)
            if device is not None and now < c.expires_at and device.online(_profile(device.profile), now):
                found.append(Outgoing(c.id, device.id, c.message()))
        return found


def command_sent(uow: UnitOfWork, command_id: str, now: dt.datetime) -> None:
    with uow:
        c = uow.commands.get(command_id)
        if c is not None:
            c.sent(now)
            uow.commit()


def take_reply(uow: UnitOfWork, topic: str, payload: bytes, now: dt.datetime) -> str:
    """A device's reply on <root>/devices/<device id>/replies, matched by its request id: applied,
    ignored (the command is over: a late reply changes nothing) or parked (malformed, a wrong
    credential, an unknown request id or another device's command)."""
    parts = topic.split("/")
    device_id = parts[-2] if len(parts) >= 3 and parts[-1] == "replies" else ""
    max_bytes = store.care()["max_payload_bytes"]
    with uow:
        device = uow.devices.get(device_id) if 0 < len(device_id) <= MAX_ID else None
        reason, reply = ("no such device" if device is None else ""), None
        if device is not None:
            try:
                reply = domain.read_reply(payload, max_bytes)
            except ValueError as exc:
                reason = str(exc)
        command = uow.commands.get(reply.request_id) if reply is not None else None
        if device is not None and reply is not None and not reason:
            if not device.credential_matches(reply.credential):
                reason = "wrong credential"
            elif command is None or command.device_id != device.id:
                reason = "no such request id for this device"
        if reason or reply is None or command is None:
            uow.messages.park(topic, payload[:max_bytes], reason, now)
            uow.commit()
            return f"parked: {reason}"
        applied = command.take_reply(reply.status, reply.result, now)
        uow.commit()
        return "applied" if applied else "ignored"


def expire_commands(uow: UnitOfWork, now: dt.datetime) -> int:
    """The scheduler's pass: commands past their time to live are EXPIRED (never sent) or TIMEOUT."""
    with uow:
        states = (domain.CommandState.QUEUED, domain.CommandState.SENT, domain.CommandState.DELIVERED)
        over = [c for c in uow.commands.in_flight(states) if now >= c.expires_at]
        for c in over:
            c.expire(now)
        uow.commit()
        return len(over)


# --- care orders ---


def create_order(
    uow: UnitOfWork, caller: Caller, elder_id: str, kind: str, details: str, provider: str, now: dt.datetime
) -> domain.CareOrder:
    check_id(elder_id, "elder_id")
    with uow:
        elder = _arranging(uow, caller, elder_id)
        where = domain.Where(elder.id, elder.household_id, elder.area_code)
        order = uow.orders.add(domain.CareOrder.order(caller, where, kind, details, provider, store.order_rules(), now))
        uow.commit()
        return order


def list_orders(uow: UnitOfWork, caller: Caller, elder_id: str, state: str, limit: int) -> list[domain.CareOrder]:
    states = (
        domain.OrderState.REQUESTED,
        domain.OrderState.ACCEPTED,
        domain.OrderState.DONE,
        domain.OrderState.CANCELLED,
    )
    if state and state not in states:
        raise InvalidArgument(f"state is one of {', '.join(states)}", {"state": "unknown"})
    if not 0 <= limit <= 200:
        raise InvalidArgument("limit is 1..200", {"limit": "1..200"})
    with uow:
        ids = [_visible_elder(uow, caller, elder_id).id] if elder_id else [e.id for e in uow.elders.visible_to(caller)]
        return uow.orders.of_elders(ids, state, limit or 50)


def _visible_order(uow: UnitOfWork, caller: Caller, order_id: str) -> domain.CareOrder:
    check_id(order_id, "id")
    order = uow.orders.get(order_id)
    family = uow.families.of_elder(order.elder_id) if order is not None else set()
    if order is None or not domain.may_see(caller, order.household_id, order.area_code, family):
        raise NotFound(f"no care order {order_id!r}", {"id": "not found"})
    return order


def accept_order(uow: UnitOfWork, caller: Caller, order_id: str, now: dt.datetime) -> domain.CareOrder:
    with uow:
        order = _visible_order(uow, caller, order_id)
        domain.require_care_staff(caller)
        order.accept(caller, now)
        uow.commit()
        return order


def complete_order(uow: UnitOfWork, caller: Caller, order_id: str, note: str, now: dt.datetime) -> domain.CareOrder:
    with uow:
        order = _visible_order(uow, caller, order_id)
        domain.require_care_staff(caller)
        order.complete(caller, note, now)
        uow.commit()
        return order


def cancel_order(uow: UnitOfWork, caller: Caller, order_id: str, now: dt.datetime) -> domain.CareOrder:
    with uow:
        order = _visible_order(uow, caller, order_id)
        if not domain.may_arrange_care(caller, order.area_code, uow.families.of_elder(order.elder_id)):
            raise PermissionDenied("bound family or the elder's care staff cancel care orders")
        order.cancel(now)
        uow.commit()
        return order


def rate_order(
    uow: UnitOfWork,
    caller: Caller,
    order_id: str,
    level: str,
    indicators: dict[str, int],
    comment: str,
    reasons: list[str],
    now: dt.datetime,
) -> domain.CareOrder:
    """The elder's household or bound family rate a done order (好差评), once; a bad rating opens
    a rectification."""
    with uow:
        order = _visible_order(uow, caller, order_id)
        if not caller.is_household():
            raise PermissionDenied("the elder's household or family rate a care order")
        rating = order.rate(caller, level, indicators, comment, reasons, store.order_rules(), now)
        _open_rectification(uow, rating, domain.Subject.CARE_ORDER, order.id, order.where, caller)
        uow.commit()
        return order


# --- 差评 and their rectification ---


def _open_rectification(uow: UnitOfWork, rating, subject: str, subject_id: str, where, caller: Caller) -> None:
    opened = domain.Rectification.opened_by(
        rating, subject, subject_id, where, caller.household_id, store.rectification_rules()
    )
    if opened is not None:
        uow.rectifications.add(opened)


def rate_alarm(
    uow: UnitOfWork,
    caller: Caller,
    alarm_id: str,
    level: str,
    indicators: dict[str, int],
    comment: str,
    reasons: list[str],
    now: dt.datetime,
) -> domain.Alarm:
    """The elder's household or bound family rate how a resolved alarm was handled, once; a bad
    rating opens a rectification."""
    if not caller.is_household():
        raise PermissionDenied("the elder's household or family rate an alarm's handling")
    with uow:
        alarm = _visible_alarm(uow, caller, alarm_id)
        rating = domain.rectifications.rate(
            store.alarm_rating(), level, indicators, comment, reasons, alarm.rating_level, "alarm", now
        )
        alarm.rated(caller, rating)
        _open_rectification(uow, rating, domain.Subject.ALARM, alarm.id, alarm.where, caller)
        uow.commit()
        return alarm


def list_rectifications(
    uow: UnitOfWork, caller: Caller, elder_id: str, open_only: bool, limit: int
) -> list[domain.Rectification]:
    if not 0 <= limit <= 200:
        raise InvalidArgument("limit is 1..200", {"limit": "1..200"})
    with uow:
        ids = [_visible_elder(uow, caller, elder_id).id] if elder_id else [e.id for e in uow.elders.visible_to(caller)]
        return uow.rectifications.of_elders(ids, open_only, limit or 50)


def _answered(uow: UnitOfWork, caller: Caller, rectification_id: str) -> domain.Rectification:
    domain.require_care_staff(caller)
    check_id(rectification_id, "id")
    found = uow.rectifications.get(rectification_id)
    if found is None or not domain.may_see(caller, found.household_id, found.area_code, set()):
        raise NotFound(f"no rectification {rectification_id!r}", {"id": "not found"})
    return found


def call_back_rectification(
    uow: UnitOfWork, caller: Caller, rectification_id: str, note: str, now: dt.datetime
) -> domain.Rectification:
    with uow:
        found = _answered(uow, caller, rectification_id)
        found.call_back(caller, note, now)
        uow.commit()
        return found


def fix_rectification(
    uow: UnitOfWork, caller: Caller, rectification_id: str, answer: str, now: dt.datetime
) -> domain.Rectification:
    with uow:
        found = _answered(uow, caller, rectification_id)
        found.fix(caller, answer, now)
        uow.commit()
        return found
