"""Medication reminders: a schedule per elder shaped like FHIR's Timing (times of day, the days of
the week, every N days, between two dates), set by bound family or care staff of the elder's area.
The scheduler makes each dose due at its time; until it is confirmed (the elder's TV, or care staff)
the elder is reminded on the medication timetable (services/rules/escalation.py, repeating), and a
dose not confirmed within its window is missed, which the family sees. Numbers are data (care.json)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eldercare.domain.alarms import Where, who
from rules.escalation import Timetable
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, check_text, require
from runtime.uow import Aggregate

MAX_MEDICINE = 50
MAX_DOSE = 50
MAX_TIMES = 6
MAX_EVERY_DAYS = 30
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # FHIR's dayOfWeek codes
HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass(frozen=True)
class MedicationRules:
    """From the data: the elder's reminder timetable, the confirmation window, the district's zone."""

    reminders: Timetable
    confirm_within: dt.timedelta
    tz: dt.tzinfo
    family_sees_missed: dt.timedelta


# An elder's bound family households and the elder's name, by the elder's id (the store's answer).
FamilyOf = Callable[[str], tuple[Iterable[str], str]]


class DoseState:
    DUE = "due"
    CONFIRMED = "confirmed"
    MISSED = "missed"


@dataclass(frozen=True)
class Timing:
    """When doses fall due (FHIR Timing.repeat: timeOfDay, dayOfWeek, period in days, boundsPeriod),
    times and dates in the district's time zone."""

    times_of_day: tuple[dt.time, ...]
    days_of_week: frozenset[int]  # Monday 0; empty: every day
    every_days: int
    starts_on: dt.date
    ends_on: dt.date | None

    @classmethod
    def of(
        cls, times_of_day: list[str], days_of_week: list[str], every_days: int, starts_on: str, ends_on: str
    ) -> Timing:
        errors = {}
        if not 1 <= len(times_of_day) <= MAX_TIMES or len(set(times_of_day)) != len(times_of_day):
            errors["times_of_day"] = f"1..{MAX_TIMES} different times"
        elif not all(HH_MM.match(t) for t in times_of_day):
            errors["times_of_day"] = "each HH:MM (00:00..23:59)"
        if len(set(days_of_week)) != len(days_of_week) or not set(days_of_week) <= set(DAYS):
            errors["days_of_week"] = "different days among " + ", ".join(DAYS)
        if not 1 <= every_days <= MAX_EVERY_DAYS:
            errors["every_days"] = f"1..{MAX_EVERY_DAYS}"
        start = _date(starts_on, "starts_on", errors)
        end = _date(ends_on, "ends_on", errors) if ends_on else None
        if start and end and end < start:
            errors["ends_on"] = "on or after starts_on"
        if errors or start is None:
            errors = errors or {"starts_on": "is required"}
            raise InvalidArgument("invalid timing: " + ", ".join(errors), errors)
        times = tuple(sorted(dt.time.fromisoformat(t) for t in times_of_day))
        return cls(times, frozenset(DAYS.index(d) for d in days_of_week), every_days, start, end)

    def falls_on(self, day: dt.date) -> bool:
        if day < self.starts_on or (self.ends_on is not None and day > self.ends_on):
            return False
        if (day - self.starts_on).days % self.every_days:
            return False
        return not self.days_of_week or day.weekday() in self.days_of_week

    def due_between(self, after: dt.datetime, until: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
        """The instants (UTC) of the doses due in (after, until]."""
        found = []
        day = after.astimezone(tz).date()
        while day <= until.astimezone(tz).date():
            if self.falls_on(day):
                for t in self.times_of_day:
                    at = dt.datetime.combine(day, t, tz).astimezone(dt.UTC)
                    if after < at <= until:
                        found.append(at)
            day += dt.timedelta(days=1)
        return found


def _date(text: str, field: str, errors: dict) -> dt.date | None:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    errors[field] = "a date YYYY-MM-DD" if text else "is required"
    return None


@dataclass(frozen=True)
class DoseReminded:
    dose_id: str
    where: Where
    medicine: str
    due_at: dt.datetime
    repeat: int
    at: dt.datetime
    dose: str = ""


@dataclass(frozen=True)
class DoseConfirmed:
    dose_id: str
    where: Where
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class DoseMissed:
    dose_id: str
    where: Where
    medicine: str
    due_at: dt.datetime
    at: dt.datetime
    dose: str = ""
    # The family households told of it, and the elder's name they read.
    family: tuple[str, ...] = ()
    elder_name: str = ""


class MedicationSchedule(Aggregate):
    def __init__(
        self,
        id: str,
        elder_id: str,
        medicine: str,
        dose: str,
        times_of_day: list[str],
        days_of_week: list[str],
        every_days: int,
        starts_on: dt.date,
        ends_on: dt.date | None,
        created_by: str,
        created_at: dt.datetime,
        made_until: dt.datetime,
        stopped_at: dt.datetime | None = None,
    ):
        self.id = id
        self.elder_id = elder_id
        self.medicine = medicine
        self.dose = dose
        self.times_of_day = times_of_day
        self.days_of_week = days_of_week
        self.every_days = every_days
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.created_by = created_by
        self.created_at = created_at
        # Doses due up to here have been made (the scheduler's cursor: none twice, none skipped).
        self.made_until = made_until
        self.stopped_at = stopped_at

    @classmethod
    def set(
        cls,
        caller: Caller,
        elder_id: str,
        medicine: str,
        dose: str,
        timing: Timing,
        now: dt.datetime,
        window: dt.timedelta,
    ) -> MedicationSchedule:
        """Bound family or care staff set a schedule (whether they may is the handler's check). A dose
        whose window is still open counts: set at 08:10 for 08:00, the elder is reminded at once."""
        require({"medicine": medicine, "dose": dose})
        check_text({"medicine": (medicine, MAX_MEDICINE), "dose": (dose, MAX_DOSE)})
        return cls(
            str(uuid.uuid4()),
            elder_id,
            medicine,
            dose,
            [t.strftime("%H:%M") for t in timing.times_of_day],
            [DAYS[d] for d in sorted(timing.days_of_week)],
            timing.every_days,
            timing.starts_on,
            timing.ends_on,
            who(caller),
            now,
            now - window,
        )

    @property
    def timing(self) -> Timing:
        return Timing(
            tuple(dt.time.fromisoformat(t) for t in self.times_of_day),
            frozenset(DAYS.index(d) for d in self.days_of_week),
            self.every_days,
            self.starts_on,
            self.ends_on,
        )

    @property
    def active(self) -> bool:
        return self.stopped_at is None

    def stop(self, now: dt.datetime) -> None:
        if self.stopped_at is not None:
            raise FailedPrecondition("this schedule is stopped already")
        self.stopped_at = now

    def make_due(self, where: Where, now: dt.datetime, tz: dt.tzinfo) -> list[Dose]:
        """The doses that fell due since the last pass (a late pass makes each one it missed)."""
        if not self.active or now <= self.made_until:
            return []
        doses = [Dose.due(self, where, at) for at in self.timing.due_between(self.made_until, now, tz)]
        self.made_until = now
        return doses


class Dose(Aggregate):
    def __init__(
        self,
        id: str,
        schedule_id: str,
        elder_id: str,
        household_id: str,
        area_code: str,
        medicine: str,
        dose: str,
        due_at: dt.datetime,
        state: str = DoseState.DUE,
        reminders: int = 0,
        last_reminder_at: dt.datetime | None = None,
        confirmed_at: dt.datetime | None = None,
        confirmed_by: str = "",
        missed_at: dt.datetime | None = None,
    ):
        self.id = id
        self.schedule_id = schedule_id
        self.elder_id = elder_id
        self.household_id = household_id
        self.area_code = area_code
        self.medicine = medicine
        self.dose = dose
        self.due_at = due_at
        self.state = state
        self.reminders = reminders
        self.last_reminder_at = last_reminder_at
        self.confirmed_at = confirmed_at
        self.confirmed_by = confirmed_by
        self.missed_at = missed_at

    @classmethod
    def due(cls, schedule: MedicationSchedule, where: Where, at: dt.datetime) -> Dose:
        return cls(
            str(uuid.uuid4()),
            schedule.id,
            where.elder_id,
            where.household_id,
            where.area_code,
            schedule.medicine,
            schedule.dose,
            at,
        )

    @property
    def where(self) -> Where:
        return Where(self.elder_id, self.household_id, self.area_code)

    def missed_after(self, window: dt.timedelta) -> dt.datetime:
        return self.due_at + window

    def remind(
        self, timetable: Timetable, window: dt.timedelta, now: dt.datetime, family: FamilyOf | None = None
    ) -> None:
        """The reminders due by `now` while the dose is unconfirmed and its window is open; past the
        window the dose is missed (the family's alert: `family` says who they are, asked only then)."""
        if self.state != DoseState.DUE:
            return
        end = self.missed_after(window)
        for r in timetable.due(self.due_at, self.last_reminder_at, min(now, end)):
            if r.at >= end:
                break
            self.reminders, self.last_reminder_at = self.reminders + 1, r.at
            self.record(DoseReminded(self.id, self.where, self.medicine, self.due_at, r.repeat, r.at, self.dose))
        if now >= end:
            self.state, self.missed_at = DoseState.MISSED, end
            households, name = family(self.elder_id) if family is not None else ((), "")
            self.record(
                DoseMissed(
                    self.id, self.where, self.medicine, self.due_at, now, self.dose, tuple(sorted(households)), name
                )
            )

    def confirm(self, caller: Caller, window: dt.timedelta, now: dt.datetime) -> None:
        """The elder (their TV's confirm key) or care staff confirm it was taken, within its window."""
        if self.state == DoseState.CONFIRMED:
            raise FailedPrecondition("this dose is confirmed already", {"state": self.state})
        if self.state == DoseState.MISSED or now >= self.missed_after(window):
            raise FailedPrecondition("this dose's time is over: it was missed", {"state": DoseState.MISSED})
        self.state, self.confirmed_at, self.confirmed_by = DoseState.CONFIRMED, now, who(caller)
        self.record(DoseConfirmed(self.id, self.where, self.confirmed_by, now))
