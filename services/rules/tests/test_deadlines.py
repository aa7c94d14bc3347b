"""Deadline arithmetic shared by the domains."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules.deadlines import (
    add_working_days,
    add_working_hours,
    calendar_knows,
    calendar_period,
    escalation_target,
    is_working_day,
    percent_used,
    thresholds_reached,
    working_time_between,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in the district


def test_working_days_skip_weekends():
    friday = dt.datetime(2026, 11, 6, 2, 0, tzinfo=dt.UTC)
    assert add_working_days(friday, 1, SHANGHAI).date() == dt.date(2026, 11, 9)
    assert add_working_days(MONDAY_9AM, 15, SHANGHAI).date() == dt.date(2026, 11, 23)
    assert add_working_days(MONDAY_9AM, 0, SHANGHAI) == MONDAY_9AM
    assert add_working_days(MONDAY_9AM, 1, SHANGHAI).tzinfo == dt.UTC


def test_working_days_are_the_districts_not_utcs():
    # 07:00 on Saturday in the district is still Friday 23:00 in UTC: the next working day is Monday.
    saturday_local = dt.datetime(2026, 11, 6, 23, 0, tzinfo=dt.UTC)
    assert add_working_days(saturday_local, 1, SHANGHAI) == dt.datetime(2026, 11, 8, 23, 0, tzinfo=dt.UTC)
    assert add_working_days(saturday_local, 1, dt.UTC).date() == dt.date(2026, 11, 9)


def test_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 5), holidays={dt.date(2026, 11, 5)})
    assert is_working_day(dt.date(2026, 11, 5)) and not is_working_day(dt.date(2026, 11, 7))
    assert not is_working_day(dt.date(2026, 10, 1)), "National Day"
    assert add_working_days(MONDAY_9AM, 1, SHANGHAI, holidays={dt.date(2026, 11, 3)}).date() == dt.date(2026, 11, 4)
    with pytest.raises(ValueError):
        add_working_days(MONDAY_9AM, -1, SHANGHAI)


def test_percent_used_ignores_the_time_paused():
    deadline = MONDAY_9AM + dt.timedelta(hours=24 + 10)  # moved on by 10 h of waiting
    at = MONDAY_9AM + dt.timedelta(hours=10 + 12)
    assert percent_used(MONDAY_9AM, deadline, dt.timedelta(hours=10), at) == pytest.approx(50.0)
    assert percent_used(MONDAY_9AM, MONDAY_9AM, dt.timedelta(0), MONDAY_9AM) == 100.0, "no time at all: all used"


def test_thresholds_are_raised_once_in_order():
    assert thresholds_reached(85, 0, [80, 100]) == [80]
    assert thresholds_reached(130, 0, [100, 80]) == [80, 100]
    assert thresholds_reached(130, 80, [80, 100]) == [100]
    assert thresholds_reached(130, 100, [80, 100]) == []
    assert thresholds_reached(79.9, 0, [80, 100]) == []


def test_escalation_climbs_the_ladder():
    ladder = {80: "service_point_manager", 100: "district"}
    assert escalation_target(80, ladder) == "service_point_manager"
    assert escalation_target(100, ladder) == "district"
    assert escalation_target(150, ladder) == "district"
    assert escalation_target(50, ladder) == "service_point_manager"
    with pytest.raises(ValueError):
        escalation_target(80, {})


def test_working_days_follow_the_official_holidays_and_make_up_days():
    # 2026 (the State Council's notice): Spring Festival 15-23 February off, Saturdays 14 and 28
    # February worked; National Day 1-7 October off, Sunday 20 September and Saturday 10 October worked.
    assert calendar_knows(2026)
    assert not is_working_day(dt.date(2026, 2, 16)) and not is_working_day(dt.date(2026, 2, 20))
    assert is_working_day(dt.date(2026, 2, 14)) and is_working_day(dt.date(2026, 2, 28))
    assert is_working_day(dt.date(2026, 9, 20)) and is_working_day(dt.date(2026, 10, 10))
    assert not is_working_day(dt.date(2026, 10, 7)) and not is_working_day(dt.date(2026, 1, 1))
    tuesday = dt.datetime(2026, 2, 10, 1, 0, tzinfo=dt.UTC)
    assert add_working_days(tuesday, 15, SHANGHAI).date() == dt.date(2026, 3, 9)
    assert add_working_days(dt.datetime(2026, 9, 28, 1, 0, tzinfo=dt.UTC), 5, SHANGHAI).date() == dt.date(2026, 10, 10)
    assert not is_working_day(dt.date(2026, 11, 3), holidays={dt.date(2026, 11, 3)}), "extra holidays still count"


def test_a_year_the_calendar_does_not_know_yet_counts_monday_to_friday():
    # chinese-calendar 1.11.0 knows up to 2026; the 2027 notice is not in it yet (upgrade it).
    if calendar_knows(2027):
        pytest.skip("the calendar knows 2027: this package version has the 2027 notice")
    assert is_working_day(dt.date(2027, 1, 1)), "New Year's Day 2027 counts as a Friday until the calendar knows it"
    assert not is_working_day(dt.date(2027, 1, 2))


# --- working hours (legal outreach's 5 working hours to an answer) ---

OPENS, CLOSES = dt.time(8, 30), dt.time(17, 0)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_working_hours_run_within_the_day_and_over_nights_weekends_and_holidays():
    five = dt.timedelta(hours=5)
    # Tuesday 10:00 + 5 h = 15:00 the same day.
    assert add_working_hours(local(2026, 12, 1, 10), five, SHANGHAI, OPENS, CLOSES) == local(2026, 12, 1, 15)
    # Tuesday 15:00 + 5 h: 2 h that day, 3 h from 08:30 on Wednesday.
    assert add_working_hours(local(2026, 12, 1, 15), five, SHANGHAI, OPENS, CLOSES) == local(2026, 12, 2, 11, 30)
    # Asked on Saturday evening: the clock starts on Monday at 08:30.
    assert add_working_hours(local(2026, 12, 5, 20), five, SHANGHAI, OPENS, CLOSES) == local(2026, 12, 7, 13, 30)
    # Asked before National Day (2025-10-01..08 off; the calendar knows 2025): it waits for the 9th.
    assert add_working_hours(local(2025, 9, 30, 16), five, SHANGHAI, OPENS, CLOSES) == local(2025, 10, 9, 12, 30)


def test_working_time_between_counts_only_open_hours_of_working_days():
    start = local(2026, 12, 4, 16)  # a Friday
    assert working_time_between(start, local(2026, 12, 7, 9, 30), SHANGHAI, OPENS, CLOSES) == dt.timedelta(hours=2)
    assert working_time_between(start, start, SHANGHAI, OPENS, CLOSES) == dt.timedelta(0)
    end = add_working_hours(start, dt.timedelta(hours=5), SHANGHAI, OPENS, CLOSES)
    assert working_time_between(start, end, SHANGHAI, OPENS, CLOSES) == dt.timedelta(hours=5)


def test_a_duty_roster_of_every_day_counts_weekends_too():
    saturday = local(2026, 12, 5, 16)
    got = add_working_hours(saturday, dt.timedelta(hours=2), SHANGHAI, OPENS, CLOSES, every_day=True)
    assert got == local(2026, 12, 6, 9, 30)
    assert working_time_between(saturday, got, SHANGHAI, OPENS, CLOSES, every_day=True) == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    "day, every, back, period",
    [
        (dt.date(2026, 12, 1), "month", 0, (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
        (dt.date(2026, 3, 1), "month", 1, (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        (dt.date(2026, 1, 15), "month", 1, (dt.date(2025, 12, 1), dt.date(2025, 12, 31))),
        (dt.date(2026, 12, 1), "quarter", 0, (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        (dt.date(2026, 2, 10), "quarter", 1, (dt.date(2025, 10, 1), dt.date(2025, 12, 31))),
        (dt.date(2026, 6, 30), "quarter", 0, (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
        (dt.date(2026, 7, 1), "year", 0, (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
        (dt.date(2026, 7, 1), "year", 1, (dt.date(2025, 1, 1), dt.date(2025, 12, 31))),
    ],
)
def test_a_calendar_period_holds_its_day(day, every, back, period):
    assert calendar_period(day, every, back) == period


def test_a_period_is_a_month_a_quarter_or_a_year():
    with pytest.raises(ValueError):
        calendar_period(dt.date(2026, 1, 1), "week")
