"""Medication reminders without I/O, on injected time: the FHIR-like timing, doses falling due,
the repeated reminders until confirmed, and a dose missed exactly at the end of its window."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from eldercare import domain, store
from runtime.errors import FailedPrecondition, InvalidArgument
from runtime.testing import household, staff

TZ = ZoneInfo(store.care()["time_zone"])
S = dt.timedelta(seconds=1)
WHERE = domain.Where("elder-1", "hh-elder", "330411001001")
SON = household("hh-son", area_code="330411105001")
ELDER_TV = household("hh-elder", area_code="330411001001")
CAREGIVER = staff("village_caregiver", username="cg-1", area_code="330411001001")
RULES = store.medication()


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


def schedule(times=("08:00", "20:00"), days=(), every=1, start="2026-12-01", end="") -> domain.MedicationSchedule:
    timing = domain.Timing.of(list(times), list(days), every, start, end)
    return domain.MedicationSchedule.set(SON, "elder-1", "氨氯地平", "1片", timing, local(1, 0), RULES.confirm_within)


def test_the_timing_names_the_local_times_of_its_days_within_its_bounds():
    s = schedule(end="2026-12-02")
    assert s.timing.due_between(local(1, 0), local(5, 0), TZ) == [local(1, 8), local(1, 20), local(2, 8), local(2, 20)]
    every_other = schedule(times=("07:30",), every=2)
    assert every_other.timing.due_between(local(1, 0), local(6, 0), TZ) == [
        local(1, 7, 30),
        local(3, 7, 30),
        local(5, 7, 30),
    ]
    mondays = schedule(times=("09:00",), days=("mon",))  # 2026-12-07 is a Monday
    assert mondays.timing.due_between(local(1, 0), local(14, 23), TZ) == [local(7, 9), local(14, 9)]
    # the bounds are (after, until]: a dose exactly at `until` is due, one exactly at `after` was made before
    assert s.timing.due_between(local(1, 8), local(1, 20), TZ) == [local(1, 20)]


@pytest.mark.parametrize(
    "times, days, every, start, end, field",
    [
        ([], [], 1, "2026-12-01", "", "times_of_day"),
        (["8:00"], [], 1, "2026-12-01", "", "times_of_day"),
        (["24:00"], [], 1, "2026-12-01", "", "times_of_day"),
        (["08:00", "08:00"], [], 1, "2026-12-01", "", "times_of_day"),
        ([f"0{n}:00" for n in range(7)], [], 1, "2026-12-01", "", "times_of_day"),
        (["08:00"], ["monday"], 1, "2026-12-01", "", "days_of_week"),
        (["08:00"], [], 0, "2026-12-01", "", "every_days"),
        (["08:00"], [], 31, "2026-12-01", "", "every_days"),
        (["08:00"], [], 1, "", "", "starts_on"),
        (["08:00"], [], 1, "2026-13-01", "", "starts_on"),
        (["08:00"], [], 1, "2026-12-02", "2026-12-01", "ends_on"),
    ],
)
def test_a_bad_timing_names_its_field(times, days, every, start, end, field):
    with pytest.raises(InvalidArgument) as e:
        domain.Timing.of(times, days, every, start, end)
    assert field in e.value.field_errors


def test_a_schedule_set_within_a_doses_window_still_reminds_of_it():
    timing = domain.Timing.of(["08:00"], [], 1, "2026-12-01", "")
    set_late = domain.MedicationSchedule.set(
        SON, "elder-1", "氨氯地平", "1片", timing, local(1, 8, 10), RULES.confirm_within
    )
    assert [d.due_at for d in set_late.make_due(WHERE, local(1, 8, 10), TZ)] == [local(1, 8)]
    window_over = local(1, 8) + RULES.confirm_within
    set_after = domain.MedicationSchedule.set(
        SON, "elder-1", "氨氯地平", "1片", timing, window_over, RULES.confirm_within
    )
    assert set_after.make_due(WHERE, window_over, TZ) == [], "its window is over: not that dose"


def test_doses_fall_due_at_their_time_once_and_a_late_pass_makes_each_it_missed():
    s = schedule()
    assert s.make_due(WHERE, local(1, 8) - S, TZ) == []
    [first] = s.make_due(WHERE, local(1, 8), TZ)
    assert (first.due_at, first.state, first.medicine, first.household_id) == (
        local(1, 8),
        "due",
        "氨氯地平",
        "hh-elder",
    )
    assert s.make_due(WHERE, local(1, 9), TZ) == [], "made once"
    late = s.make_due(WHERE, local(2, 21), TZ)
    assert [d.due_at for d in late] == [local(1, 20), local(2, 8), local(2, 20)]
    s.stop(local(2, 22))
    assert s.make_due(WHERE, local(5, 0), TZ) == []
    with pytest.raises(FailedPrecondition):
        s.stop(local(5, 0))


def test_a_dose_reminds_until_confirmed_and_stops_then():
    [dose] = schedule().make_due(WHERE, local(1, 8), TZ)
    every = RULES.reminders.steps[0].repeat_every
    dose.remind(RULES.reminders, RULES.confirm_within, local(1, 8))
    assert dose.reminders == 1
    dose.remind(RULES.reminders, RULES.confirm_within, local(1, 8) + every - S)
    assert dose.reminders == 1
    dose.remind(RULES.reminders, RULES.confirm_within, local(1, 8) + 2 * every)
    assert dose.reminders == 3, "a late pass sends each reminder it missed"
    assert [type(e).__name__ for e in dose.pull_events()] == ["DoseReminded"] * 3
    dose.confirm(ELDER_TV, RULES.confirm_within, local(1, 8) + 2 * every + S)
    assert (dose.state, dose.confirmed_by) == ("confirmed", "hh-elder")
    dose.remind(RULES.reminders, RULES.confirm_within, local(1, 12))
    assert dose.reminders == 3 and dose.state == "confirmed", "no reminder, never missed once confirmed"
    assert [type(e).__name__ for e in dose.pull_events()] == ["DoseConfirmed"]
    with pytest.raises(FailedPrecondition):
        dose.confirm(ELDER_TV, RULES.confirm_within, local(1, 8) + 3 * every)


def test_a_dose_is_missed_exactly_at_the_end_of_its_window():
    window = RULES.confirm_within
    [dose] = schedule().make_due(WHERE, local(1, 8), TZ)
    dose.remind(RULES.reminders, window, local(1, 8) + window - S)
    assert dose.state == "due"
    reminded = dose.reminders
    dose.remind(RULES.reminders, window, local(1, 8) + window)
    assert (dose.state, dose.missed_at) == ("missed", local(1, 8) + window)
    assert dose.reminders == reminded, "no reminder at or past the window's end"
    assert type(dose.pull_events()[-1]).__name__ == "DoseMissed"
    with pytest.raises(FailedPrecondition) as e:
        dose.confirm(ELDER_TV, window, local(1, 8) + window + S)
    assert e.value.field_errors == {"state": "missed"}


def test_confirming_is_refused_at_the_windows_end_even_before_the_scheduler_marks_it():
    window = RULES.confirm_within
    [dose] = schedule().make_due(WHERE, local(1, 8), TZ)
    with pytest.raises(FailedPrecondition):
        dose.confirm(CAREGIVER, window, local(1, 8) + window)
    dose.confirm(CAREGIVER, window, local(1, 8) + window - S)
    assert dose.confirmed_by == "cg-1"


def test_who_arranges_and_who_confirms():
    stranger = household("hh-x", area_code="330411001001")
    other_area = staff("village_caregiver", username="cg-9", area_code="330411002")
    family = {"hh-son"}
    assert domain.may_arrange_care(SON, WHERE.area_code, family)
    assert domain.may_arrange_care(CAREGIVER, WHERE.area_code, family)
    assert not domain.may_arrange_care(ELDER_TV, WHERE.area_code, family), "the elder's TV confirms, not sets"
    assert not domain.may_arrange_care(stranger, WHERE.area_code, family)
    assert not domain.may_arrange_care(other_area, WHERE.area_code, family)
    assert domain.may_confirm_dose(ELDER_TV, WHERE.household_id, WHERE.area_code)
    assert domain.may_confirm_dose(CAREGIVER, WHERE.household_id, WHERE.area_code)
    assert not domain.may_confirm_dose(SON, WHERE.household_id, WHERE.area_code)
    assert not domain.may_confirm_dose(other_area, WHERE.household_id, WHERE.area_code)
