"""Alarms: raised by a device's event, a rule's breach or an inactivity, acknowledged by someone
who may see the elder, resolved by care staff with the follow-up recorded. One open alarm per
device and type: a repeat folds into it. Until it is acknowledged its escalation timetable
(services/rules/escalation.py, per severity: data) reminds family, then the village caregiver,
then the care centre; past its acknowledgement deadline it is overdue."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from eldercare.domain.people import require_care_staff
from rules import ratings
from rules.escalation import Timetable
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, check_text, require
from runtime.uow import Aggregate

MAX_FOLLOW_UP = 1000
SEVERITIES = ("CRITICAL", "MAJOR", "MINOR", "WARNING", "INDETERMINATE")


class AlarmState:
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Escalation:
    timetable: Timetable
    acknowledge_within: dt.timedelta


@dataclass(frozen=True)
class Where:
    """Whose alarm it is: the device's elder, their household and area ("" for an unassigned device)."""

    elder_id: str
    household_id: str
    area_code: str


@dataclass(frozen=True)
class AlarmRaised:
    alarm_id: str
    type: str
    severity: str
    device_id: str
    where: Where
    at: dt.datetime


@dataclass(frozen=True)
class AlarmAcknowledged:
    alarm_id: str
    where: Where
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class AlarmResolved:
    alarm_id: str
    where: Where
    by: str
    follow_up: str
    at: dt.datetime


@dataclass(frozen=True)
class AlarmNoted:
    alarm_id: str
    where: Where
    by: str
    text: str
    at: dt.datetime


class FollowUpNote:
    """One note of an alarm's follow-up: who, what, when."""

    def __init__(self, alarm_id: str, by: str, text: str, at: dt.datetime):
        self.alarm_id = alarm_id
        self.by = by
        self.text = text
        self.at = at


FAMILY_STEP = "family"  # the escalation step (care.json) that tells the family


@dataclass(frozen=True)
class AlarmReminded:
    alarm_id: str
    where: Where
    who: str
    step: int
    repeat: int
    at: dt.datetime
    type: str = ""
    # The bound family households, on a step that tells the family (notifications pushes to them).
    family: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlarmOverdue:
    alarm_id: str
    where: Where
    at: dt.datetime


class Alarm(Aggregate):
    def __init__(
        self,
        id: str,
        type: str,
        severity: str,
        device_id: str,
        elder_id: str,
        household_id: str,
        area_code: str,
        raised_at: dt.datetime,
        state: str = AlarmState.RAISED,
        open_key: str | None = None,
        last_at: dt.datetime | None = None,
        repeats: int = 0,
        acknowledged_at: dt.datetime | None = None,
        acknowledged_by: str = "",
        cleared_at: dt.datetime | None = None,
        resolved_at: dt.datetime | None = None,
        resolved_by: str = "",
        follow_up: str = "",
        escalation_step: int = 0,
        last_reminder_at: dt.datetime | None = None,
        reminders: int = 0,
        overdue: bool = False,
        rating_level: str = "",
        rated_at: dt.datetime | None = None,
        rated_by: str = "",
    ):
        self.id = id
        self.type = type
        self.severity = severity
        self.device_id = device_id
        self.elder_id = elder_id
        self.household_id = household_id
        self.area_code = area_code
        self.raised_at = raised_at
        self.state = state
        self.open_key = open_key
        self.last_at = last_at or raised_at
        self.repeats = repeats
        self.acknowledged_at = acknowledged_at
        self.acknowledged_by = acknowledged_by
        self.cleared_at = cleared_at
        self.resolved_at = resolved_at
        self.resolved_by = resolved_by
        self.follow_up = follow_up
        self.escalation_step = escalation_step
        self.last_reminder_at = last_reminder_at
        self.reminders = reminders
        self.overdue = overdue
        # 好差评 of how the alarm was handled, by the elder's household or family, once it is resolved
        self.rating_level = rating_level
        self.rated_at = rated_at
        self.rated_by = rated_by
        self.notes: list[FollowUpNote] = []

    @staticmethod
    def key_of(device_id: str, type: str) -> str:
        return f"{device_id}:{type}"

    @classmethod
    def raise_(cls, type: str, severity: str, device_id: str, where: Where, at: dt.datetime) -> Alarm:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        alarm = cls(
            str(uuid.uuid4()), type, severity, device_id, where.elder_id, where.household_id, where.area_code, at
        )
        alarm.open_key = cls.key_of(device_id, type)
        alarm.record(AlarmRaised(alarm.id, type, severity, device_id, where, at))
        return alarm

    @property
    def where(self) -> Where:
        return Where(self.elder_id, self.household_id, self.area_code)

    @property
    def is_open(self) -> bool:
        return self.state != AlarmState.RESOLVED

    def repeat(self, at: dt.datetime) -> None:
        """The same alarm again while it is open: it folds in (no second alarm, no new escalation)."""
        self.repeats += 1
        if at > self.last_at:
            self.last_at = at
        self.cleared_at = None

    def clear(self, at: dt.datetime) -> None:
        """Its condition is over (activity again); it stays open until it is followed up."""
        if self.cleared_at is None:
            self.cleared_at = at

    def acknowledge(self, caller: Caller, at: dt.datetime) -> None:
        """Someone who may see the elder answers it: the reminders stop. (Whether they may see it is
        the handler's check, with the elder's family.)"""
        if self.state != AlarmState.RAISED:
            raise FailedPrecondition(f"this alarm is {self.state}: it is acknowledged already")
        self.state, self.acknowledged_at, self.acknowledged_by = AlarmState.ACKNOWLEDGED, at, who(caller)
        self.record(AlarmAcknowledged(self.id, self.where, self.acknowledged_by, at))

    def resolve(self, caller: Caller, follow_up: str, at: dt.datetime) -> None:
        """Care staff close it with what was done (every alarm ends with a recorded follow-up)."""
        require_care_staff(caller)
        require({"follow_up": follow_up})
        check_text({"follow_up": (follow_up, MAX_FOLLOW_UP)}, multiline={"follow_up"})
        if self.state == AlarmState.RAISED:
            raise FailedPrecondition("acknowledge the alarm before resolving it", {"state": self.state})
        if self.state == AlarmState.RESOLVED:
            raise FailedPrecondition("this alarm is resolved already", {"state": self.state})
        self.state, self.resolved_at, self.resolved_by, self.follow_up = AlarmState.RESOLVED, at, who(caller), follow_up
        self.open_key = None  # the device may raise this type again
        self.notes.append(FollowUpNote(self.id, self.resolved_by, follow_up, at))
        self.record(AlarmResolved(self.id, self.where, self.resolved_by, follow_up, at))

    def rated(self, caller: Caller, rating: ratings.Rating) -> None:
        """好差评 of its handling (one rating per alarm, Rating.give checks), once it is resolved."""
        if self.state != AlarmState.RESOLVED:
            raise FailedPrecondition("an alarm is rated once it is resolved", {"state": self.state})
        self.rating_level, self.rated_at, self.rated_by = rating.level, rating.at, who(caller)

    def add_note(self, caller: Caller, text: str, at: dt.datetime) -> None:
        """Care staff note how the follow-up goes, as often as there is something to note; after the
        alarm is resolved too (the next day's call)."""
        require_care_staff(caller)
        require({"text": text})
        check_text({"text": (text, MAX_FOLLOW_UP)}, multiline={"text"})
        if self.state == AlarmState.RAISED:
            raise FailedPrecondition("acknowledge the alarm before following it up", {"state": self.state})
        note = FollowUpNote(self.id, who(caller), text, at)
        self.notes.append(note)
        self.record(AlarmNoted(self.id, self.where, note.by, text, at))

    @property
    def followed_up(self) -> bool:
        return bool(self.follow_up or self.notes)

    def escalate(self, escalation: Escalation, now: dt.datetime, family: Collection[str] = ()) -> None:
        """The reminders due by `now` while no one has acknowledged, and the deadline's passing;
        `family`: the elder's bound family households, told on the family's steps."""
        if self.state != AlarmState.RAISED:
            return
        for r in escalation.timetable.due(self.raised_at, self.last_reminder_at, now):
            self.escalation_step, self.last_reminder_at = r.step, r.at
            self.reminders += 1
            told = tuple(sorted(family)) if r.who == FAMILY_STEP else ()
            self.record(AlarmReminded(self.id, self.where, r.who, r.step, r.repeat, r.at, self.type, told))
        if not self.overdue and now >= self.raised_at + escalation.acknowledge_within:
            self.overdue = True
            self.record(AlarmOverdue(self.id, self.where, now))

    def acknowledge_deadline(self, escalation: Escalation) -> dt.datetime:
        return self.raised_at + escalation.acknowledge_within


def who(caller: Caller) -> str:
    return caller.username or caller.household_id or caller.subject


def check_severity(severity: str) -> None:
    if severity and severity not in SEVERITIES:
        raise InvalidArgument(f"severity is one of {', '.join(SEVERITIES)}", {"severity": "unknown"})


def escalation_timetable(steps: list[dict]) -> Timetable:
    return Timetable.of(steps)


# --- the care centre's figures ---


@dataclass(frozen=True)
class Standards:
    """From the data: the follow-up rate to reach, and the answer-time thresholds with their shares."""

    follow_up_target: float
    follow_up_standard: str
    answered_within: tuple[tuple[int, float, str], ...]  # (seconds, share, standard)
    default_days: int


# --- the published response-time commitments (the standards handbook) ---


@dataclass(frozen=True)
class SeverityCommitment:
    """By when the care centre acknowledges an alarm of one severity, whom its escalation tells
    when (who, their name, after, repeat every), and the alarms raised at that severity."""

    severity: str
    name: str
    acknowledge_within: dt.timedelta
    steps: tuple[tuple[str, str, dt.timedelta, dt.timedelta], ...]
    alarm_names: tuple[str, ...]


def response_commitments(
    escalations: Mapping[str, Escalation],
    alarm_severities: Mapping[str, str],
    alarm_names: Mapping[str, str],
    severity_names: Mapping[str, str],
    who_names: Mapping[str, str],
) -> tuple[SeverityCommitment, ...]:
    """Each severity with an escalation of its own, most urgent first, then "default" for every
    other severity (the same escalation the alarms are held to)."""
    own = [s for s in SEVERITIES if s in escalations]
    out = []
    for severity in [*own, "default"]:
        if severity not in escalations:
            continue
        e = escalations[severity]
        covered = (lambda s: s not in own) if severity == "default" else (lambda s, this=severity: s == this)
        out.append(
            SeverityCommitment(
                severity,
                severity_names.get(severity, severity),
                e.acknowledge_within,
                tuple((s.who, who_names.get(s.who, s.who), s.after, s.repeat_every) for s in e.timetable.steps),
                tuple(alarm_names.get(a, a) for a, s in alarm_severities.items() if covered(s)),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class AnswerTime:
    within_seconds: int
    answered: int
    counted: int
    target: float
    standard: str

    @property
    def share(self) -> float:
        return self.answered / self.counted if self.counted else 1.0


@dataclass(frozen=True)
class AlarmFigures:
    days: int
    raised: int
    closed: int
    followed_up: int
    follow_up_target: float
    follow_up_standard: str
    answer_times: tuple[AnswerTime, ...]
    median_answer_seconds: float

    @property
    def follow_up_rate(self) -> float:
        return self.followed_up / self.closed if self.closed else 1.0


def figures(alarms: list[Alarm], standards: Standards, days: int, now: dt.datetime) -> AlarmFigures:
    """The follow-up rate (followed up / closed) and the answer times of these alarms. An alarm
    still unanswered counts against a threshold once it is older than it (not before: it may yet be
    answered in time)."""
    closed = [a for a in alarms if a.state == AlarmState.RESOLVED]
    answers = sorted((a.acknowledged_at - a.raised_at).total_seconds() for a in alarms if a.acknowledged_at is not None)
    times = []
    for seconds, share, standard in standards.answered_within:
        limit = dt.timedelta(seconds=seconds)
        counted = [a for a in alarms if a.acknowledged_at is not None or now - a.raised_at > limit]
        answered = sum(1 for a in counted if a.acknowledged_at is not None and a.acknowledged_at - a.raised_at <= limit)
        times.append(AnswerTime(seconds, answered, len(counted), share, standard))
    median = answers[len(answers) // 2] if answers else 0.0
    return AlarmFigures(
        days,
        len(alarms),
        len(closed),
        sum(1 for a in closed if a.followed_up),
        standards.follow_up_target,
        standards.follow_up_standard,
        tuple(times),
        median,
    )
