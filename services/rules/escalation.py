"""Escalation timetables, the same for every service: a list of steps (whom to tell, how long after
the start), each repeating its reminder until someone acknowledges (eldercare's alarms today,
legal outreach next).

Step i is current from `start + steps[i].after` until the next step begins; while it is current its
audience is reminded at its start and then every `repeat_every` (the last step repeats for ever).
Acknowledging stops it: the caller simply stops asking for the next reminder. Instants are aware
datetimes; every number comes from the caller's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    who: str
    after: dt.timedelta
    repeat_every: dt.timedelta


@dataclass(frozen=True)
class Reminder:
    step: int
    who: str
    at: dt.datetime
    # 0 for the step's first reminder, then 1, 2, ...
    repeat: int


@dataclass(frozen=True)
class Timetable:
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("an escalation timetable needs at least one step")
        if self.steps[0].after != dt.timedelta(0):
            raise ValueError("the first step starts at once")
        afters = [s.after for s in self.steps]
        if afters != sorted(afters) or len(set(afters)) != len(afters):
            raise ValueError("steps start one after another")
        if any(s.repeat_every <= dt.timedelta(0) for s in self.steps):
            raise ValueError("a step repeats after a positive interval")

    @classmethod
    def of(cls, steps: Iterable[Mapping]) -> Timetable:
        """From data: [{"who": ..., "after_seconds": ..., "repeat_seconds": ...}, ...]."""
        return cls(
            tuple(
                Step(
                    str(s["who"]),
                    dt.timedelta(seconds=float(s["after_seconds"])),
                    dt.timedelta(seconds=float(s["repeat_seconds"])),
                )
                for s in steps
            )
        )

    def step_at(self, start: dt.datetime, at: dt.datetime) -> int:
        """The index of the step current at `at` (0 before the start)."""
        current = 0
        for i, step in enumerate(self.steps):
            if at >= start + step.after:
                current = i
        return current

    def next_reminder(self, start: dt.datetime, after: dt.datetime | None) -> Reminder:
        """The first reminder strictly after `after` (the very first one when None)."""
        for i, step in enumerate(self.steps):
            begins = start + step.after
            ends = start + self.steps[i + 1].after if i + 1 < len(self.steps) else None
            if after is None or begins > after:
                return Reminder(i, step.who, begins, 0)
            if ends is not None and after >= ends:
                continue
            n = int((after - begins) / step.repeat_every) + 1
            at = begins + n * step.repeat_every
            if ends is None or at < ends:
                return Reminder(i, step.who, at, n)
        raise AssertionError("unreachable: the last step repeats for ever")  # pragma: no cover

    def due(self, start: dt.datetime, last_sent: dt.datetime | None, now: dt.datetime) -> list[Reminder]:
        """Every reminder after `last_sent` up to `now`, in order (several when a pass came late)."""
        found: list[Reminder] = []
        reminder = self.next_reminder(start, last_sent)
        while reminder.at <= now:
            found.append(reminder)
            reminder = self.next_reminder(start, reminder.at)
        return found
