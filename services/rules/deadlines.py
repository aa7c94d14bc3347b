"""Deadlines, the same for every service: working days (and working hours within them) in the
district's time zone, how much of a time limit is used, which thresholds that passes, and whom a threshold escalates to.

Working days are China's official ones: Monday to Friday except the public holidays the State
Council announces each year, plus the weekend days it makes working days (调休), from the
maintained `chinese-calendar` package (upgrade it when the next year's notice is out, each
November). For a year the package does not know yet, Monday to Friday (`calendar_knows` says which).

Instants are aware datetimes (UTC on the platform); the time zone that decides what a working day
is, and every number, come from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

import chinese_calendar  # type: ignore[import-untyped]  # ships no type hints

SATURDAY = 5


def calendar_knows(year: int) -> bool:
    """Whether the official holidays and make-up working days of `year` are known."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    """An official working day in China (a make-up Saturday too), and not one of the given extra
    holidays; Monday to Friday in a year the calendar does not know yet."""
    if day in holidays:
        return False
    if calendar_knows(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < SATURDAY


def add_working_days(start: dt.datetime, days: int, tz: dt.tzinfo, holidays: Collection[dt.date] = ()) -> dt.datetime:
    """The same local time-of-day, `days` working days after `start` (working days counted in `tz`).
    The result is in UTC."""
    if days < 0:
        raise ValueError("working days are counted forwards")
    local = start.astimezone(tz)
    while days > 0:
        local += dt.timedelta(days=1)
        if is_working_day(local.date(), holidays):
            days -= 1
    return local.astimezone(dt.UTC)


def _window(day: dt.date, tz: dt.tzinfo, opens: dt.time, closes: dt.time) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(day, opens, tzinfo=tz), dt.datetime.combine(day, closes, tzinfo=tz)


def add_working_hours(
    start: dt.datetime,
    duration: dt.timedelta,
    tz: dt.tzinfo,
    opens: dt.time,
    closes: dt.time,
    holidays: Collection[dt.date] = (),
    every_day: bool = False,
) -> dt.datetime:
    """The instant `duration` of working time after `start`: working time is `opens`..`closes` (local
    time in `tz`) of each working day (of every day with `every_day`: a duty roster that never
    closes for weekends or holidays). The result is in UTC."""
    if duration < dt.timedelta(0) or opens >= closes:
        raise ValueError("working time is counted forwards, in a day that opens before it closes")
    local, left = start.astimezone(tz), duration
    while True:
        day = local.date()
        if every_day or is_working_day(day, holidays):
            open_at, close_at = _window(day, tz, opens, closes)
            local = max(local, open_at)
            if local < close_at:
                if left <= close_at - local:
                    return (local + left).astimezone(dt.UTC)
                left -= close_at - local
        local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


def working_time_between(
    start: dt.datetime,
    end: dt.datetime,
    tz: dt.tzinfo,
    opens: dt.time,
    closes: dt.time,
    holidays: Collection[dt.date] = (),
    every_day: bool = False,
) -> dt.timedelta:
    """How much working time (as add_working_hours counts it) lies between `start` and `end`."""
    total = dt.timedelta(0)
    day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    while day <= last:
        if every_day or is_working_day(day, holidays):
            open_at, close_at = _window(day, tz, opens, closes)
            total += max(dt.timedelta(0), min(close_at, end) - max(open_at, start))
        day += dt.timedelta(days=1)
    return total


def percent_used(started: dt.datetime, deadline: dt.datetime, paused: dt.timedelta, at: dt.datetime) -> float:
    """How much of a time limit is used at `at`, in percent. `deadline` has been moved on by the
    time `paused` (a clock stopped while waiting for the citizen), which does not count as used."""
    limit = (deadline - started) - paused
    if limit.total_seconds() <= 0:
        return 100.0
    return 100.0 * ((at - started) - paused) / limit


def thresholds_reached(percent: float, already: int, thresholds: Iterable[int]) -> list[int]:
    """The thresholds (e.g. 80 and 100 percent) newly passed, in order, given the highest one
    already raised: each is raised once."""
    return [t for t in sorted(thresholds) if already < t <= percent]


def escalation_target(percent: int, ladder: Mapping[int, str]) -> str:
    """Whom reaching `percent` escalates to. `ladder` maps thresholds to targets (e.g.
    {80: "service_point_manager", 100: "district"}): the target of the highest threshold not above
    `percent`; below the first, the first's."""
    if not ladder:
        raise ValueError("an escalation ladder needs at least one threshold")
    reached = [t for t in ladder if t <= percent]
    return ladder[max(reached) if reached else min(ladder)]


PERIODS = ("month", "quarter", "year")


def calendar_period(day: dt.date, every: str, back: int = 0) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar month, quarter or year holding `day` (a duty due
    once in each), or of the one `back` periods before it."""
    if every not in PERIODS:
        raise ValueError(f"a period is one of {', '.join(PERIODS)}")
    months = {"month": 1, "quarter": 3, "year": 12}[every]
    index = (day.year * 12 + day.month - 1) // months - back
    first = dt.date(index * months // 12, index * months % 12 + 1, 1)
    after = index * months + months
    return first, dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)
