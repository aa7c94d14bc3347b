"""Appointments: the window a technician is booked for. A technician is never booked for two
windows that overlap; dispatch holds the technician's lock (the store's) while it looks at their
bookings, so two managers booking one technician at once are served one after the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from runtime.errors import FailedPrecondition, InvalidArgument
from servicedesk.domain.catalog import Catalog


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime

    @classmethod
    def of(cls, start: dt.datetime | None, end: dt.datetime | None, at: dt.datetime, catalog: Catalog) -> Window:
        """An appointment window asked for at `at`: ahead, not empty, within the days the standard allows."""
        errors = {}
        if start is None:
            errors["window_start"] = "is required"
        if end is None:
            errors["window_end"] = "is required"
        if start is None or end is None:
            raise InvalidArgument("the appointment window is required", errors)
        ahead = catalog.rule("appointment_max_days_ahead")
        if start < at:
            errors["window_start"] = "is in the past"
        if end <= start:
            errors["window_end"] = "must be after window_start"
        if start > at + dt.timedelta(days=ahead):
            errors["window_start"] = f"at most {ahead} days ahead"
        if errors:
            raise InvalidArgument("invalid appointment window: " + ", ".join(errors), errors)
        return cls(start, end)

    def overlaps(self, other: Window) -> bool:
        return overlaps(self.start, self.end, other.start, other.end)


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """Back to back is not an overlap."""
    return a_start < b_end and b_start < a_end


class TechnicianBooked(FailedPrecondition):
    """The technician has a job in an overlapping window already."""


def check_free(technician: str, window: Window, booked: Iterable[Window]) -> None:
    """Refuse a window that overlaps one the technician is booked for already."""
    for other in booked:
        if window.overlaps(other):
            raise TechnicianBooked(
                f"{technician} already has a job from {other.start:%Y-%m-%d %H:%M} to {other.end:%H:%M} UTC",
                {"window_start": "overlaps another job of this technician"},
            )


class Technician:
    """A technician of a point's roster (the row dispatch locks)."""

    def __init__(self, username: str, service_point_code: str):
        self.username = username
        self.service_point_code = service_point_code
