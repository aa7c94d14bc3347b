"""Appointments at the service hall, for the items whose guide needs a visit: slots per hall and
window on working days (from the district's data), each with its capacity, booked under the shared
booking rules (services/rules/booking.py: the window, the minimum lead time, cancellation, missed
appointments); a visit recorded at the window counts for the application ("run at most once").

A slot's row is made when it is first booked and is the lock every booking of it takes, so a slot
is never double-booked. A confirmed appointment not recorded as a visit by the end of its slot
counts as missed (no process has to mark it)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rules import booking
from rules.deadlines import is_working_day
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from runtime.uow import Aggregate

MISSED = "missed"  # shown for a confirmed appointment whose slot ended without a visit


@dataclass(frozen=True)
class Window:
    code: str
    name: str
    departments: tuple[str, ...]
    capacity: int


@dataclass(frozen=True)
class Hall:
    code: str
    name: str
    address: str
    hours: tuple[tuple[dt.time, dt.time], ...]
    slot: dt.timedelta
    windows: tuple[Window, ...]

    @classmethod
    def of(cls, data: dict) -> Hall:
        return cls(
            data["code"],
            data["name"],
            data["address"],
            tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in data["hours"]),
            dt.timedelta(minutes=data["slot_minutes"]),
            tuple(Window(w["code"], w["name"], tuple(w["departments"]), w["capacity"]) for w in data["windows"]),
        )

    def window(self, code: str) -> Window | None:
        return next((w for w in self.windows if w.code == code), None)

    def starts_on(self, day: dt.date, zone: dt.tzinfo) -> Iterator[dt.datetime]:
        """The start of each slot on a day (UTC), in order."""
        for opens, closes in self.hours:
            at = dt.datetime.combine(day, opens, zone)
            end = dt.datetime.combine(day, closes, zone)
            while at + self.slot <= end:
                yield at.astimezone(dt.UTC)
                at += self.slot


@dataclass(frozen=True)
class SlotRef:
    """A slot of the calendar: hall, window and start. Its id is what a caller books."""

    hall: Hall
    window: Window
    starts_at: dt.datetime

    @property
    def id(self) -> str:
        return slot_id(self.hall.code, self.window.code, self.starts_at)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + self.hall.slot


@dataclass(frozen=True)
class Visit:
    """An appointment as the household is told of it: where, at which window, when."""

    appointment_id: str
    hall_name: str
    hall_address: str
    window_name: str
    starts_at: dt.datetime
    time_zone: str


def slot_id(hall: str, window: str, starts_at: dt.datetime) -> str:
    return f"{hall}.{window}.{starts_at.astimezone(dt.UTC):%Y%m%dT%H%MZ}"


class Halls:
    """A district's halls and its appointment policy."""

    def __init__(self, data: dict | None, zone: dt.tzinfo, holidays: frozenset[dt.date]):
        data = data or {"policy": {}, "halls": []}
        self.policy = booking.Policy.of(data["policy"])
        self.halls = tuple(Hall.of(h) for h in data["halls"])
        self.zone, self.holidays = zone, holidays

    def names(self, hall_code: str, window_code: str) -> tuple[str, str]:
        """The hall's and the window's names (their codes, for a hall since taken out of the data)."""
        hall = next((h for h in self.halls if h.code == hall_code), None)
        window = hall.window(window_code) if hall else None
        return (hall.name if hall else hall_code), (window.name if window else window_code)

    def visit(self, appointment: Appointment) -> Visit:
        hall = next((h for h in self.halls if h.code == appointment.hall_code), None)
        hall_name, window_name = self.names(appointment.hall_code, appointment.window_code)
        return Visit(
            appointment.id,
            hall_name,
            hall.address if hall else "",
            window_name,
            appointment.starts_at,
            getattr(self.zone, "key", str(self.zone)),
        )

    def windows_for(self, department: str) -> list[tuple[Hall, Window]]:
        return [(h, w) for h in self.halls for w in h.windows if department in w.departments]

    def calendar(self, department: str, now: dt.datetime, days: int) -> list[SlotRef]:
        """Every slot on the working days from today on, at the windows serving the department."""
        today = now.astimezone(self.zone).date()
        found = []
        for n in range(days + 1):
            day = today + dt.timedelta(days=n)
            if not is_working_day(day, self.holidays):
                continue
            for hall, window in self.windows_for(department):
                found += [SlotRef(hall, window, at) for at in hall.starts_on(day, self.zone)]
        return sorted(found, key=lambda s: (s.starts_at, s.hall.code, s.window.code))

    def slot(self, id: str, department: str) -> SlotRef:
        """The slot a caller names, if it is one of the calendar's for the department."""
        if not id or len(id) > 64:
            raise InvalidArgument("invalid slot_id", {"slot_id": "a slot's id, at most 64 characters"})
        try:
            hall_code, window_code, at = id.rsplit(".", 2)
            starts_at = dt.datetime.strptime(at, "%Y%m%dT%H%MZ").replace(tzinfo=dt.UTC)
        except ValueError:
            raise InvalidArgument("invalid slot_id", {"slot_id": "a slot's id from the calendar"}) from None
        hall = next((h for h in self.halls if h.code == hall_code), None)
        window = hall.window(window_code) if hall else None
        day = starts_at.astimezone(self.zone).date()
        if (
            hall is None
            or window is None
            or department not in window.departments
            or not is_working_day(day, self.holidays)
            or starts_at not in set(hall.starts_on(day, self.zone))
        ):
            raise NotFound(f"no slot {id!r} for this item", {"slot_id": "not a slot of this item's windows"})
        return SlotRef(hall, window, starts_at)


class Appointment:
    """One household's appointment for an application, in a slot: a claim of one place."""

    party = 1
    expires_at = None  # confirmed at once: no hold

    def __init__(
        self,
        id: str,
        slot_id: str,
        application_id: str,
        household_id: str,
        hall_code: str,
        window_code: str,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        booked_by: str,
        created_at: dt.datetime,
    ):
        self.id = id
        self.slot_id = slot_id
        self.application_id = application_id
        self.household_id = household_id
        self.hall_code = hall_code
        self.window_code = window_code
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.booked_by = booked_by
        self.state = booking.CONFIRMED
        self.created_at = created_at
        self.cancelled_at: dt.datetime | None = None
        self.visited_at: dt.datetime | None = None
        # When the TV was reminded of it, the day before (once).
        self.reminded_at: dt.datetime | None = None

    def shown_state(self, now: dt.datetime) -> str:
        return MISSED if self.missed(now) else self.state

    def missed(self, now: dt.datetime) -> bool:
        return self.state == booking.CONFIRMED and self.ends_at <= now

    def active(self, now: dt.datetime) -> bool:
        """Confirmed and still ahead (or under way)."""
        return self.state == booking.CONFIRMED and self.ends_at > now

    def reminder_due(self, policy: booking.Policy, zone: dt.tzinfo, now: dt.datetime) -> bool:
        """Confirmed, not yet reminded, and the policy's reminder time has come (rules.booking)."""
        if self.state != booking.CONFIRMED or self.reminded_at is not None:
            return False
        return booking.reminder_due(policy, self.created_at, self.starts_at, now, zone)

    def reminded(self, now: dt.datetime) -> None:
        self.reminded_at = now

    def cancel(self, policy: booking.Policy, zone: dt.tzinfo, now: dt.datetime) -> None:
        if self.missed(now):
            raise FailedPrecondition("this appointment has passed")
        booking.check_cancel(policy, self, self.starts_at, now, zone)
        self.state, self.cancelled_at = booking.CANCELLED, now

    def visit(self, zone: dt.tzinfo, now: dt.datetime) -> None:
        """The household came to the window: recorded there, on the appointment's day (late too)."""
        if self.state != booking.CONFIRMED:
            raise FailedPrecondition(f"a {self.state} appointment cannot be recorded as a visit")
        if now.astimezone(zone).date() != self.starts_at.astimezone(zone).date():
            raise FailedPrecondition("a visit is recorded on the appointment's day")
        self.state, self.visited_at = booking.ATTENDED, now


class HallSlot(Aggregate):
    """A slot that has been booked: its capacity and its appointments (the lock of its bookings)."""

    appointments: list[Appointment]

    def __init__(self, id: str, hall_code: str, window_code: str, starts_at: dt.datetime, capacity: int):
        self.id = id
        self.hall_code = hall_code
        self.window_code = window_code
        self.starts_at = starts_at
        self.capacity = capacity
        self.appointments = []

    @classmethod
    def of(cls, ref: SlotRef) -> HallSlot:
        return cls(ref.id, ref.hall.code, ref.window.code, ref.starts_at, ref.window.capacity)

    def places_left(self, now: dt.datetime) -> int:
        return booking.remaining(self.capacity, self.appointments, now)

    def book(
        self,
        ref: SlotRef,
        application_id: str,
        household_id: str,
        booked_by: str,
        policy: booking.Policy,
        zone: dt.tzinfo,
        has_appointment: bool,
        missed: Iterable[dt.datetime],
        now: dt.datetime,
    ) -> Appointment:
        """One place for an application that has no appointment ahead, by a household whose missed
        appointments do not block it."""
        if has_appointment:
            raise AlreadyExists(
                "this application has an appointment already: cancel it to choose another time",
                {"application_id": "has an appointment"},
            )
        booking.admit(
            policy,
            capacity=self.capacity,
            claims=self.appointments,
            party=1,
            starts_at=self.starts_at,
            now=now,
            zone=zone,
            blocked_until=booking.blocked_until(policy, missed, now),
        )
        appointment = Appointment(
            str(uuid.uuid4()),
            self.id,
            application_id,
            household_id,
            self.hall_code,
            self.window_code,
            self.starts_at,
            ref.ends_at,
            booked_by,
            now,
        )
        self.appointments.append(appointment)
        return appointment


def missed_times(appointments: Sequence[Appointment], now: dt.datetime) -> list[dt.datetime]:
    """When each of a household's missed appointments ended (for the no-show rule)."""
    return [a.ends_at for a in appointments if a.missed(now) or a.state == booking.NO_SHOW]
