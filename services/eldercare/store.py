"""Eldercare's tables, and the repositories and unit of work that keep its aggregates in them.
The domain's classes are mapped to the tables here (imperative mapping), so the domain stays
plain Python."""

from __future__ import annotations

import datetime as dt
import functools
import json
import pathlib
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    or_,
    select,
)
from sqlalchemy.orm import Session, registry, relationship

from eldercare import domain, events
from runtime import consumer, outbox, uow
from runtime.auth import Caller, CallerKind
from runtime.db import UtcDateTime
from runtime.settings import kafka_name

DATA = pathlib.Path(__file__).resolve().parent / "data"

metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

elders = Table(
    "elders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("area_code", String(12), nullable=False, index=True),
    Column("name", String(domain.people.MAX_NAME), nullable=False),
    Column("birth_year", Integer, nullable=False),
    Column("conditions", JSON, nullable=False),
    Column("emergency_contacts", JSON, nullable=False),
    Column("consent_at", UtcDateTime, nullable=False),
    UniqueConstraint("household_id", "name", name="uq_elders_household_name"),
)

family_invitations = Table(
    "family_invitations",
    metadata,
    Column("code", String(8), primary_key=True),
    Column("elder_id", String(36), nullable=False),
    Column("household_id", String(36), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used", Boolean, nullable=False),
    # An invitation by number: the mobile number it is addressed to ("" for a code shown on the TV).
    Column("phone", String(11), nullable=False, server_default="", index=True),
)

family_bindings = Table(
    "family_bindings",
    metadata,
    Column("elder_id", String(36), primary_key=True),
    Column("household_id", String(36), primary_key=True, index=True),
    Column("bound_at", UtcDateTime, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("profile", String(40), nullable=False),
    Column("serial", String(domain.devices.MAX_SERIAL), nullable=False),
    Column("state", String(16), nullable=False),
    Column("elder_id", String(36), nullable=False, index=True),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("credential_sha256", String(64), nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=True),
    Column("latest", Text, nullable=False),
    Column("activity", Text, nullable=False),
    Column("offline_after_seconds", Integer, nullable=False, server_default="0"),
    UniqueConstraint("profile", "serial", name="uq_devices_profile_serial"),
)

# Every message a device sent, by its id (a repeat is dropped), the newest `history_per_device` kept.
device_messages = Table(
    "device_messages",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("device_id", String(36), nullable=False),
    Column("message_id", String(domain.devices.MAX_MESSAGE_ID), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("device_id", "message_id", name="uq_device_messages_id"),
)

# What the bridge could not take (malformed, oversized, unknown device, wrong credential): kept to look at.
parked_messages = Table(
    "parked_messages",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("topic", String(300), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("reason", String(300), nullable=False),
    Column("parked_at", UtcDateTime, nullable=False),
)

alarm_notes = Table(
    "alarm_notes",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("alarm_id", String(36), ForeignKey("alarms.id"), nullable=False, index=True),
    Column("by", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

alarms = Table(
    "alarms",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("type", String(40), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("elder_id", String(36), nullable=False, index=True),
    Column("household_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False, index=True),
    Column("raised_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    # device:type while open (one open alarm per device and type), NULL once resolved
    Column("open_key", String(80), nullable=True, unique=True),
    Column("last_at", UtcDateTime, nullable=False),
    Column("repeats", Integer, nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("acknowledged_by", String(100), nullable=False),
    Column("cleared_at", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("resolved_by", String(100), nullable=False),
    Column("follow_up", Text, nullable=False),
    Column("escalation_step", Integer, nullable=False),
    Column("last_reminder_at", UtcDateTime, nullable=True),
    Column("reminders", Integer, nullable=False),
    Column("overdue", Boolean, nullable=False),
    Column("rating_level", String(32), nullable=False, server_default=""),
    Column("rated_at", UtcDateTime, nullable=True),
    Column("rated_by", String(100), nullable=False, server_default=""),
)

# A 差评's case (domain/rectifications.py): one per bad rating of an alarm or a care order.
rectifications = Table(
    "rectifications",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("subject", String(16), nullable=False),
    Column("subject_id", String(36), nullable=False),
    Column("elder_id", String(36), nullable=False, index=True),
    Column("household_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False),
    Column("rated_by", String(100), nullable=False),
    Column("level", String(32), nullable=False),
    Column("comment", Text, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("call_back_by", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("called_back_at", UtcDateTime, nullable=True),
    Column("called_back_by", String(100), nullable=False),
    Column("call_back_note", Text, nullable=False),
    Column("fixed_at", UtcDateTime, nullable=True),
    Column("fixed_by", String(100), nullable=False),
    Column("answer", Text, nullable=False),
    UniqueConstraint("subject", "subject_id", name="uq_rectifications_subject"),
)

medication_schedules = Table(
    "medication_schedules",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("elder_id", String(36), nullable=False, index=True),
    Column("medicine", String(domain.medication.MAX_MEDICINE), nullable=False),
    Column("dose", String(domain.medication.MAX_DOSE), nullable=False),
    Column("times_of_day", JSON, nullable=False),
    Column("days_of_week", JSON, nullable=False),
    Column("every_days", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("made_until", UtcDateTime, nullable=False),
    Column("stopped_at", UtcDateTime, nullable=True, index=True),
)

doses = Table(
    "medication_doses",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("schedule_id", String(36), nullable=False),
    Column("elder_id", String(36), nullable=False, index=True),
    Column("household_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False),
    Column("medicine", String(domain.medication.MAX_MEDICINE), nullable=False),
    Column("dose", String(domain.medication.MAX_DOSE), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("reminders", Integer, nullable=False),
    Column("last_reminder_at", UtcDateTime, nullable=True),
    Column("confirmed_at", UtcDateTime, nullable=True),
    Column("confirmed_by", String(100), nullable=False),
    Column("missed_at", UtcDateTime, nullable=True),
    UniqueConstraint("schedule_id", "due_at", name="uq_medication_doses_schedule_due"),
)

device_commands = Table(
    "device_commands",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("device_id", String(36), nullable=False, index=True),
    Column("elder_id", String(36), nullable=False),
    Column("household_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False),
    Column("command", String(40), nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("done_at", UtcDateTime, nullable=True),
    Column("result", String(domain.commands.MAX_RESULT), nullable=False),
)

care_orders = Table(
    "care_orders",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("elder_id", String(36), nullable=False, index=True),
    Column("household_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("details", Text, nullable=False),
    Column("provider", String(100), nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("deadline", UtcDateTime, nullable=False),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("accepted_by", String(100), nullable=False),
    Column("done_at", UtcDateTime, nullable=True),
    Column("done_by", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("cancelled_at", UtcDateTime, nullable=True),
    Column("rating_level", String(32), nullable=False),
    Column("rating_indicators", Text, nullable=False),
    Column("rating_comment", Text, nullable=False),
    Column("rating_reasons", Text, nullable=False),
    Column("rated_at", UtcDateTime, nullable=True),
    Column("rated_by", String(100), nullable=False),
)

mapper = registry()
mapper.map_imperatively(domain.Elder, elders)
mapper.map_imperatively(domain.FamilyInvitation, family_invitations)
mapper.map_imperatively(domain.FamilyBinding, family_bindings)
mapper.map_imperatively(domain.Device, devices)
mapper.map_imperatively(domain.FollowUpNote, alarm_notes)
mapper.map_imperatively(
    domain.Alarm,
    alarms,
    properties={
        "notes": relationship(
            domain.FollowUpNote, order_by=alarm_notes.c.seq, lazy="selectin", cascade="all, delete-orphan"
        )
    },
)
mapper.map_imperatively(domain.MedicationSchedule, medication_schedules)
mapper.map_imperatively(domain.Dose, doses)
mapper.map_imperatively(domain.DeviceCommand, device_commands)
mapper.map_imperatively(domain.CareOrder, care_orders)
mapper.map_imperatively(domain.Rectification, rectifications)


@functools.cache
def profiles() -> dict[str, domain.Profile]:
    return domain.load_profiles(json.loads((DATA / "device_profiles.json").read_text(encoding="utf-8")))


@functools.cache
def care() -> dict:
    return json.loads((DATA / "care.json").read_text(encoding="utf-8"))


@functools.cache
def escalation(severity: str) -> domain.Escalation:
    table = care()["escalation"]
    raw = table.get(severity, table["default"])
    return domain.Escalation(
        domain.escalation_timetable(raw["steps"]), dt.timedelta(seconds=raw["acknowledge_within_seconds"])
    )


@functools.cache
def standards() -> domain.Standards:
    raw = care()["figures"]
    return domain.Standards(
        raw["follow_up"]["target"],
        raw["follow_up"]["standard"],
        tuple((s["seconds"], s["share"], s["standard"]) for s in raw["answered_within"]),
        raw["default_days"],
    )


@functools.cache
def response_commitments() -> tuple[domain.SeverityCommitment, ...]:
    """The escalation of every severity the data names, as the published commitments."""
    c = care()
    severities = {*c["escalation"]} | set(domain.SEVERITIES)
    escalations = {s: escalation(s) for s in severities if s in c["escalation"]}
    # An alarm's severity: its device rule's, else its event's, else MAJOR (handlers.severity_of).
    by_alarm = {a: c["event_severity"].get(a, "MAJOR") for a in c["alarm_names"]}
    for profile in profiles().values():
        for rule in profile.rules:
            by_alarm[rule.alarm] = rule.severity
    return domain.response_commitments(
        escalations, by_alarm, c["alarm_names"], c.get("severity_names", {}), c.get("who_names", {})
    )


@functools.cache
def medication() -> domain.MedicationRules:
    raw = care()["medication"]
    return domain.MedicationRules(
        domain.escalation_timetable(raw["reminders"]),
        dt.timedelta(seconds=raw["confirm_within_seconds"]),
        ZoneInfo(care()["time_zone"]),
        dt.timedelta(seconds=raw["family_sees_missed_seconds"]),
    )


@functools.cache
def order_rules() -> domain.OrderRules:
    raw = care()["care_orders"]
    kinds = {
        k: domain.OrderKind(k, v["name"], v["working_days"], tuple(v["providers"])) for k, v in raw["kinds"].items()
    }
    r = raw["rating"]
    return domain.OrderRules(
        kinds, ZoneInfo(care()["time_zone"]), tuple(r["indicators"]), tuple(r["reasons"]), r["max_comment"]
    )


@functools.cache
def rectification_rules() -> domain.RectificationRules:
    r = care()["rectification"]
    return domain.RectificationRules(r["call_back_hours"], r["working_days"], ZoneInfo(care()["time_zone"]))


@functools.cache
def alarm_rating() -> domain.RatingScheme:
    r = care()["alarm_rating"]
    return domain.RatingScheme(tuple(r["indicators"]), tuple(r["reasons"]), r["max_comment"])


def order_rating() -> domain.RatingScheme:
    rules = order_rules()
    return domain.RatingScheme(rules.indicators, rules.reasons, rules.max_comment)


def area_prefix(caller: Caller):
    return elders.c.area_code.startswith(caller.area_code, autoescape=True)


class Elders(uow.Repository[domain.Elder]):
    def get(self, elder_id: str) -> domain.Elder | None:
        return self._seen(self.session.get(domain.Elder, elder_id))

    def by_name(self, household_id: str, name: str) -> domain.Elder | None:
        q = select(domain.Elder).where(elders.c.household_id == household_id, elders.c.name == name)
        return self._seen(self.session.scalar(q))

    def visible_to(self, caller: Caller) -> list[domain.Elder]:
        """The elders `caller` may see (domain.may_see, as a query)."""
        q = select(domain.Elder)
        if caller.is_household():
            bound = select(family_bindings.c.elder_id).where(family_bindings.c.household_id == caller.household_id)
            q = q.where(or_(elders.c.household_id == caller.household_id, elders.c.id.in_(bound)))
        elif caller.kind == CallerKind.STAFF and caller.roles.intersection(domain.CARE_STAFF) and caller.area_code:
            q = q.where(area_prefix(caller))
        else:
            return []
        return self._all_seen(list(self.session.scalars(q.order_by(elders.c.area_code, elders.c.name))))


class Families(uow.Repository[domain.FamilyBinding]):
    def of_elder(self, elder_id: str) -> set[str]:
        q = select(family_bindings.c.household_id).where(family_bindings.c.elder_id == elder_id)
        return set(self.session.scalars(q))

    def get(self, elder_id: str, household_id: str) -> domain.FamilyBinding | None:
        return self._seen(self.session.get(domain.FamilyBinding, (elder_id, household_id)))


class Invitations(uow.Repository[domain.FamilyInvitation]):
    def get_for_update(self, code: str) -> domain.FamilyInvitation | None:
        q = select(domain.FamilyInvitation).where(family_invitations.c.code == code).with_for_update()
        return self._seen(self.session.scalar(q))

    def addressed_to(self, phone: str) -> list[domain.FamilyInvitation]:
        q = select(domain.FamilyInvitation).where(
            family_invitations.c.phone == phone, family_invitations.c.used.is_(False)
        )
        return [self._seen(i) for i in self.session.scalars(q.order_by(family_invitations.c.expires_at))]


class Devices(uow.Repository[domain.Device]):
    def get(self, device_id: str, for_update: bool = False) -> domain.Device | None:
        q = select(domain.Device).where(devices.c.id == device_id)
        return self._seen(self.session.scalar(q.with_for_update() if for_update else q))

    def by_serial(self, profile: str, serial: str) -> domain.Device | None:
        q = select(domain.Device).where(devices.c.profile == profile, devices.c.serial == serial).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_elders(self, elder_ids: list[str]) -> list[domain.Device]:
        q = select(domain.Device).where(devices.c.elder_id.in_(elder_ids)).order_by(devices.c.profile, devices.c.serial)
        return self._all_seen(list(self.session.scalars(q)))

    def watched_for_inactivity(self, profile_keys: list[str]) -> list[domain.Device]:
        q = select(domain.Device).where(
            devices.c.profile.in_(profile_keys), devices.c.state == domain.DeviceState.PROVISIONED
        )
        return self._all_seen(list(self.session.scalars(q.with_for_update())))


class Messages:
    def __init__(self, session: Session):
        self.session = session

    def seen(self, device_id: str, message_id: str) -> bool:
        q = select(device_messages.c.seq).where(
            device_messages.c.device_id == device_id, device_messages.c.message_id == message_id
        )
        return self.session.scalar(q) is not None

    def add(self, device_id: str, message_id: str, kind: str, body: str, at: dt.datetime, keep: int) -> None:
        self.session.execute(
            device_messages.insert().values(
                device_id=device_id, message_id=message_id, kind=kind, body=body, received_at=at
            )
        )
        oldest_kept = (
            select(device_messages.c.seq)
            .where(device_messages.c.device_id == device_id)
            .order_by(device_messages.c.seq.desc())
            .offset(keep - 1)
            .limit(1)
            .scalar_subquery()
        )
        self.session.execute(
            delete(device_messages).where(device_messages.c.device_id == device_id, device_messages.c.seq < oldest_kept)
        )

    def park(self, topic: str, payload: bytes, reason: str, at: dt.datetime) -> None:
        self.session.execute(
            parked_messages.insert().values(topic=topic[:300], payload=payload, reason=reason[:300], parked_at=at)
        )


class Alarms(uow.Repository[domain.Alarm]):
    def get(self, alarm_id: str, for_update: bool = False) -> domain.Alarm | None:
        q = select(domain.Alarm).where(alarms.c.id == alarm_id)
        return self._seen(self.session.scalar(q.with_for_update() if for_update else q))

    def open_for(self, device_id: str, type: str) -> domain.Alarm | None:
        q = select(domain.Alarm).where(alarms.c.open_key == domain.Alarm.key_of(device_id, type)).with_for_update()
        return self._seen(self.session.scalar(q))

    def raised_since(self, device_id: str, type: str, since: dt.datetime) -> bool:
        q = select(alarms.c.seq).where(
            alarms.c.device_id == device_id, alarms.c.type == type, alarms.c.raised_at >= since
        )
        return self.session.scalar(q.limit(1)) is not None

    def of_elders(self, elder_ids: list[str], unassigned: bool, open_only: bool, limit: int) -> list[domain.Alarm]:
        """Newest first; `unassigned`: with the alarms of devices no elder has yet."""
        who = alarms.c.elder_id.in_(elder_ids)
        if unassigned:
            who = or_(who, alarms.c.elder_id == "")
        q = select(domain.Alarm).where(who)
        if open_only:
            q = q.where(alarms.c.state != domain.AlarmState.RESOLVED)
        return self._all_seen(list(self.session.scalars(q.order_by(alarms.c.seq.desc()).limit(limit))))

    def of_elders_since(self, elder_ids: list[str], unassigned: bool, since: dt.datetime) -> list[domain.Alarm]:
        """The alarms of these elders (and of unassigned devices) raised since `since`: the figures'."""
        who = alarms.c.elder_id.in_(elder_ids)
        if unassigned:
            who = or_(who, alarms.c.elder_id == "")
        q = select(domain.Alarm).where(who, alarms.c.raised_at >= since)
        return self._all_seen(list(self.session.scalars(q.order_by(alarms.c.seq))))

    def unacknowledged(self) -> list[domain.Alarm]:
        q = select(domain.Alarm).where(alarms.c.state == domain.AlarmState.RAISED).order_by(alarms.c.seq)
        return self._all_seen(list(self.session.scalars(q.with_for_update())))


class Schedules(uow.Repository[domain.MedicationSchedule]):
    def get(self, schedule_id: str) -> domain.MedicationSchedule | None:
        q = select(domain.MedicationSchedule).where(medication_schedules.c.id == schedule_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_elder(self, elder_id: str) -> list[domain.MedicationSchedule]:
        q = select(domain.MedicationSchedule).where(medication_schedules.c.elder_id == elder_id)
        return self._all_seen(list(self.session.scalars(q.order_by(medication_schedules.c.created_at))))

    def active(self) -> list[domain.MedicationSchedule]:
        q = select(domain.MedicationSchedule).where(medication_schedules.c.stopped_at.is_(None))
        return self._all_seen(list(self.session.scalars(q.order_by(medication_schedules.c.id).with_for_update())))


class Doses(uow.Repository[domain.Dose]):
    def get(self, dose_id: str) -> domain.Dose | None:
        q = select(domain.Dose).where(doses.c.id == dose_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_elders(self, elder_ids: list[str], state: str, since: dt.datetime | None, limit: int) -> list[domain.Dose]:
        """Newest first."""
        q = select(domain.Dose).where(doses.c.elder_id.in_(elder_ids))
        if state:
            q = q.where(doses.c.state == state)
        if since is not None:
            q = q.where(doses.c.due_at >= since)
        return self._all_seen(list(self.session.scalars(q.order_by(doses.c.due_at.desc(), doses.c.seq).limit(limit))))

    def due(self) -> list[domain.Dose]:
        q = select(domain.Dose).where(doses.c.state == domain.DoseState.DUE).order_by(doses.c.seq)
        return self._all_seen(list(self.session.scalars(q.with_for_update())))


class Commands(uow.Repository[domain.DeviceCommand]):
    def get(self, command_id: str) -> domain.DeviceCommand | None:
        q = select(domain.DeviceCommand).where(device_commands.c.id == command_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_device(self, device_id: str, limit: int) -> list[domain.DeviceCommand]:
        q = select(domain.DeviceCommand).where(device_commands.c.device_id == device_id)
        return self._all_seen(list(self.session.scalars(q.order_by(device_commands.c.seq.desc()).limit(limit))))

    def in_flight(self, states: tuple[str, ...]) -> list[domain.DeviceCommand]:
        q = select(domain.DeviceCommand).where(device_commands.c.state.in_(states))
        return self._all_seen(list(self.session.scalars(q.order_by(device_commands.c.seq).with_for_update())))


class CareOrders(uow.Repository[domain.CareOrder]):
    def get(self, order_id: str) -> domain.CareOrder | None:
        q = select(domain.CareOrder).where(care_orders.c.id == order_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_elders(self, elder_ids: list[str], state: str, limit: int) -> list[domain.CareOrder]:
        """Newest first."""
        q = select(domain.CareOrder).where(care_orders.c.elder_id.in_(elder_ids))
        if state:
            q = q.where(care_orders.c.state == state)
        return self._all_seen(list(self.session.scalars(q.order_by(care_orders.c.seq.desc()).limit(limit))))


class Rectifications(uow.Repository[domain.Rectification]):
    def get(self, rectification_id: str) -> domain.Rectification | None:
        q = select(domain.Rectification).where(rectifications.c.id == rectification_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_elders(self, elder_ids: list[str], open_only: bool, limit: int) -> list[domain.Rectification]:
        """Newest first."""
        q = select(domain.Rectification).where(rectifications.c.elder_id.in_(elder_ids))
        if open_only:
            q = q.where(rectifications.c.fixed_at.is_(None))
        return self._all_seen(list(self.session.scalars(q.order_by(rectifications.c.seq.desc()).limit(limit))))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.elders = Elders(session)
        self.families = Families(session)
        self.invitations = Invitations(session)
        self.devices = Devices(session)
        self.messages = Messages(session)
        self.alarms = Alarms(session)
        self.schedules = Schedules(session)
        self.doses = Doses(session)
        self.commands = Commands(session)
        self.orders = CareOrders(session)
        self.rectifications = Rectifications(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)


def mqtt_root() -> str:
    """The root of the devices' MQTT topics: <root>/devices/<device id>/telemetry|events. Under
    KAFKA_PREFIX, so that deployments (or test runs) sharing one broker never read each other's."""
    return kafka_name("sbc/eldercare")
