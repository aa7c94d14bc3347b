"""The escalation timetable: who is reminded when, until someone acknowledges."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.escalation import Reminder, Timetable

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
TABLE = Timetable.of(
    [
        {"who": "family", "after_seconds": 0, "repeat_seconds": 60},
        {"who": "village_caregiver", "after_seconds": 150, "repeat_seconds": 60},
        {"who": "care_centre", "after_seconds": 300, "repeat_seconds": 120},
    ]
)


def test_the_first_reminder_is_the_first_steps_at_the_start():
    assert TABLE.next_reminder(T0, None) == Reminder(0, "family", T0, 0)


def test_a_step_repeats_until_the_next_one_begins_then_the_next_takes_over():
    ats = [(r.who, (r.at - T0).total_seconds(), r.repeat) for r in TABLE.due(T0, None, T0 + 560 * S)]
    assert ats == [
        ("family", 0, 0),
        ("family", 60, 1),
        ("family", 120, 2),
        # 180 would be past the caregiver's start at 150: the caregiver's step begins instead
        ("village_caregiver", 150, 0),
        ("village_caregiver", 210, 1),
        ("village_caregiver", 270, 2),
        ("care_centre", 300, 0),
        ("care_centre", 420, 1),
        ("care_centre", 540, 2),
    ]


def test_the_last_step_repeats_for_ever():
    r = TABLE.next_reminder(T0, T0 + dt.timedelta(days=3))
    assert r.who == "care_centre" and r.at > T0 + dt.timedelta(days=3) and (r.at - T0 - 300 * S) % (120 * S) == 0 * S


def test_nothing_is_due_before_its_time_and_each_reminder_once():
    first = TABLE.due(T0, None, T0)
    assert [r.at for r in first] == [T0]
    assert TABLE.due(T0, T0, T0 + 59 * S) == [], "the next repeat is at 60 s"
    assert [r.repeat for r in TABLE.due(T0, T0, T0 + 60 * S)] == [1], "due exactly at its instant"


def test_the_step_current_at_an_instant():
    assert [TABLE.step_at(T0, T0 + n * S) for n in (0, 149, 150, 299, 300, 10_000)] == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [{"who": "a", "after_seconds": 10, "repeat_seconds": 5}],
        [{"who": "a", "after_seconds": 0, "repeat_seconds": 5}, {"who": "b", "after_seconds": 0, "repeat_seconds": 5}],
        [{"who": "a", "after_seconds": 0, "repeat_seconds": 0}],
    ],
)
def test_a_broken_timetable_is_refused(steps):
    with pytest.raises(ValueError):
        Timetable.of(steps)
