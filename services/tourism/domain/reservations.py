"""Timed-entry reservations: an entry slot (the aggregate that owns a slot's capacity, loaded with
a row lock) admits a party by services/rules/booking.py's rules (the window, the capacity counted by
party size, the per-account and per-ID limits, blocked accounts); the reservation is held until its
hold expires, confirmed, cancelled before the deadline, or checked in at the gate. A confirmed
reservation whose slot ended without a check-in is a no-show."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from rules import booking
from rules.acting import ActorKind
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_text, require
from runtime.uow import Aggregate
from tourism.domain.places import SlotTime, Venue
from tourism.domain.visitors import check_id_numbers

MAX_IDEMPOTENCY_KEY = 100


class State:
    HELD = "held"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    # On the slot's waiting list; offered: places kept for it until the offer expires.
    WAITING = "waiting"
    OFFERED = "offered"


# States whose visitors hold their one booking of the day.
ACTIVE = (State.HELD, State.CONFIRMED, State.ATTENDED, State.WAITING, State.OFFERED)


class TooLateToCheckIn(FailedPrecondition):
    pass


@dataclass(frozen=True)
class ReservationChanged:
    reservation_id: str
    household_id: str
    venue_id: str
    slot_id: str
    party: int
    state: str
    at: dt.datetime
    expires_at: dt.datetime | None = None
    venue_name: str = ""
    starts_at: dt.datetime | None = None


class Slot(Aggregate):
    """One entry slot of one venue on one day, with its capacity: the row locked while it admits."""

    def __init__(
        self, id: str, venue_id: str, day: dt.date, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int
    ):
        self.id = id
        self.venue_id = venue_id
        self.day = day
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.capacity = capacity

    @classmethod
    def of(cls, t: SlotTime) -> Slot:
        return cls(t.id, t.venue_id, t.day, t.starts_at, t.ends_at, t.capacity)

    def hold(
        self,
        policy: booking.Policy,
        booker: Booker,
        venue: Venue,
        claims: list[Reservation],
        id_hashes: list[str],
        account_people_that_day: int,
        already_booked: bool,
        blocked_until: dt.datetime | None,
        idempotency_key: str,
        now: dt.datetime,
    ) -> Reservation:
        """Admit a party (one visitor per ID number) into this slot, held until the hold expires.
        Raises the booking rule it breaks; the caller counted the claims under this slot's lock."""
        self._admit(
            policy, booker, venue, claims, id_hashes, account_people_that_day, already_booked, blocked_until, now
        )
        return self._new(booker, venue, id_hashes, State.HELD, booking.hold_expires(policy, now), idempotency_key, now)

    def wait(
        self,
        policy: booking.Policy,
        booker: Booker,
        venue: Venue,
        claims: list[Reservation],
        id_hashes: list[str],
        account_people_that_day: int,
        already_booked: bool,
        blocked_until: dt.datetime | None,
        idempotency_key: str,
        now: dt.datetime,
    ) -> Reservation:
        """Join this slot's waiting list: only when it is full, and by every other rule of a booking."""
        try:
            self._admit(
                policy, booker, venue, claims, id_hashes, account_people_that_day, already_booked, blocked_until, now
            )
        except booking.Full:
            return self._new(booker, venue, id_hashes, State.WAITING, None, idempotency_key, now)
        raise FailedPrecondition("this slot has places left: reserve them", {"slot_id": "not full"})

    def offer(self, policy: booking.Policy, claims: list[Reservation], now: dt.datetime) -> list[Reservation]:
        """Offer the places free now to the waiting list, first come first (booking.next_offers);
        each offer keeps its places until it expires. The caller holds this slot's lock."""
        waiting = sorted((c for c in claims if c.state_at(now) == State.WAITING), key=lambda c: c.created_at)
        free = booking.remaining(self.capacity, claims, now)
        offered = []
        for o in booking.next_offers(policy, [w.party for w in waiting], free, now):
            w = waiting[o.index]
            w.state, w.expires_at = State.OFFERED, o.expires_at
            w.record(w.changed(now))
            offered.append(w)
        return offered

    def release_lapsed(self, policy: booking.Policy, claims: list[Reservation], now: dt.datetime) -> list[Reservation]:
        """The scheduler's step: mark the holds and offers whose time is up, and the waiting entries
        of a slot that has started, expired, then offer the places free now to the waiting list
        (until booking closes). Returns the reservations that changed; the caller holds the lock."""
        changed = [c for c in claims if c.lapse(now)]
        if now < booking.closes_at(policy, self.starts_at):
            changed += self.offer(policy, claims, now)
        return changed

    def _admit(
        self,
        policy: booking.Policy,
        booker: Booker,
        venue: Venue,
        claims: list[Reservation],
        id_hashes: list[str],
        account_people_that_day: int,
        already_booked: bool,
        blocked_until: dt.datetime | None,
        now: dt.datetime,
    ) -> None:
        booking.admit(
            policy,
            capacity=self.capacity,
            claims=claims,
            party=len(id_hashes),
            starts_at=self.starts_at,
            now=now,
            zone=venue.zone,
            account_people_that_day=account_people_that_day,
            already_booked=already_booked,
            blocked_until=blocked_until,
            group=booker.is_group,
        )

    def _new(
        self,
        booker: Booker,
        venue: Venue,
        id_hashes: list[str],
        state: str,
        expires_at: dt.datetime | None,
        idempotency_key: str,
        now: dt.datetime,
    ) -> Reservation:
        r = Reservation(
            id=str(uuid.uuid4()),
            account=booker.account,
            household_id=booker.household_id,
            booked_by=booker.subject,
            booker_kind=booker.kind,
            booker_name=booker.name,
            group_village_code=booker.group_village_code,
            venue_id=self.venue_id,
            venue_name=venue.name,
            slot_id=self.id,
            day=self.day,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            party=len(id_hashes),
            state=state,
            expires_at=expires_at,
            idempotency_key=idempotency_key,
            visitors_key=",".join(sorted(id_hashes)),
            created_at=now,
        )
        r.record(r.changed(now))
        return r


@dataclass(frozen=True)
class Booker:
    """Whose reservation it is: a household on its own terminal, or a village agent booking a group
    of their own village's outreach trip (their own account, another limit)."""

    subject: str
    kind: str
    name: str
    account: str
    household_id: str = ""
    group_village_code: str = ""

    @classmethod
    def of(cls, caller: Caller, group_village_code: str, agent_role: str) -> Booker:
        if caller.is_household():
            if group_village_code:
                raise PermissionDenied("group bookings are for village agents", {"group_village_code": "not yours"})
            return cls(caller.subject, ActorKind.HOUSEHOLD, caller.name, caller.household_id, caller.household_id)
        if agent_role not in caller.roles:
            raise PermissionDenied("reservations are for a household's terminal or a village agent's group")
        if len(group_village_code) != 12 or not group_village_code.isdigit():
            raise InvalidArgument(
                "a group booking names its village", {"group_village_code": "12 digits (the agent's village)"}
            )
        if group_village_code != caller.area_code:
            raise PermissionDenied(
                "an agent books only for their own village's group", {"group_village_code": "outside your village"}
            )
        return cls(caller.subject, ActorKind.VILLAGE_AGENT, caller.name, caller.subject, "", group_village_code)

    @property
    def is_group(self) -> bool:
        return bool(self.group_village_code)


class Reservation(Aggregate):
    def __init__(
        self,
        id: str,
        account: str,
        household_id: str,
        booked_by: str,
        booker_kind: str,
        booker_name: str,
        group_village_code: str,
        venue_id: str,
        venue_name: str,
        slot_id: str,
        day: dt.date,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        party: int,
        state: str,
        expires_at: dt.datetime | None,
        idempotency_key: str,
        visitors_key: str,
        created_at: dt.datetime,
        confirmed_at: dt.datetime | None = None,
        cancelled_at: dt.datetime | None = None,
        checked_in_at: dt.datetime | None = None,
        checked_in_by: str = "",
        checked_in_entry: str = "",
    ):
        self.id = id
        self.account = account
        self.household_id = household_id
        self.booked_by = booked_by
        self.booker_kind = booker_kind
        self.booker_name = booker_name
        self.group_village_code = group_village_code
        self.venue_id = venue_id
        self.venue_name = venue_name
        self.slot_id = slot_id
        self.day = day
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.party = party
        self.state = state
        self.expires_at = expires_at
        self.idempotency_key = idempotency_key
        self.visitors_key = visitors_key
        self.created_at = created_at
        self.confirmed_at = confirmed_at
        self.cancelled_at = cancelled_at
        self.checked_in_at = checked_in_at
        self.checked_in_by = checked_in_by
        # The gate's own id of the entry that let this ticket in ("" from a gate that sends none).
        self.checked_in_entry = checked_in_entry

    def state_at(self, now: dt.datetime) -> str:
        """The state as the visitor sees it: a hold past its time has expired, a confirmed
        reservation whose slot ended without a check-in is a no-show."""
        if self.state in (State.HELD, State.OFFERED) and self.expires_at is not None and self.expires_at <= now:
            return State.EXPIRED
        if self.state == State.WAITING and self.starts_at <= now:
            return State.EXPIRED
        if self.state == State.CONFIRMED and self.ends_at <= now:
            return State.NO_SHOW
        return self.state

    def lapse(self, now: dt.datetime) -> bool:
        """Record a hold, an offer or a waiting entry whose time is up as expired (once)."""
        if self.state not in (State.HELD, State.OFFERED, State.WAITING) or self.state_at(now) != State.EXPIRED:
            return False
        self.state = State.EXPIRED
        self.record(self.changed(now))
        return True

    def is_active(self, now: dt.datetime) -> bool:
        return self.state_at(now) in ACTIVE

    def visible_to(self, caller: Caller) -> bool:
        if caller.is_household():
            return caller.household_id == self.household_id
        return caller.subject == self.booked_by

    def is_same(self, slot_id: str, id_hashes: Iterable[str]) -> bool:
        return self.slot_id == slot_id and self.visitors_key == ",".join(sorted(id_hashes))

    def changed(self, now: dt.datetime) -> ReservationChanged:
        expires = self.expires_at if self.state in (State.HELD, State.OFFERED) else None
        return ReservationChanged(
            self.id,
            self.household_id,
            self.venue_id,
            self.slot_id,
            self.party,
            self.state,
            now,
            expires,
            self.venue_name,
            self.starts_at,
        )

    def confirm(self, now: dt.datetime) -> None:
        state = self.state_at(now)
        if state == State.CONFIRMED:
            return  # confirming twice (a retry) changes nothing
        if state not in (State.HELD, State.OFFERED, State.EXPIRED) or self.state == State.WAITING:
            raise FailedPrecondition(f"a {state} reservation cannot be confirmed", {"id": state})
        booking.check_confirm(self, now)
        self.state, self.confirmed_at, self.expires_at = State.CONFIRMED, now, None
        self.record(self.changed(now))

    def cancel(self, policy: booking.Policy, venue: Venue, now: dt.datetime) -> None:
        state = self.state_at(now)
        if state not in (State.HELD, State.CONFIRMED, State.WAITING, State.OFFERED):
            raise FailedPrecondition(f"a {state} reservation cannot be cancelled", {"id": state})
        if state != State.WAITING:  # leaving the waiting list is possible until the slot starts
            booking.check_cancel(policy, self, self.starts_at, now, venue.zone)
        self.state, self.cancelled_at = State.CANCELLED, now
        self.record(self.changed(now))

    def check_in(
        self, gate_venue: Venue, staff: str, now: dt.datetime, entry: GateEntry | None = None
    ) -> DoubleEntry | None:
        """At the gate, on the slot's day, until the slot ends; once. A gate that was offline uploads
        its entry later (`entry`, with its own id): the same upload again changes nothing, and another
        gate's entry of a ticket already in is a double entry (returned, to be recorded): both gates
        let the party in, but it is one visit."""
        if self.venue_id != gate_venue.id:
            raise FailedPrecondition(
                f"this ticket is for {self.venue_name}, not {gate_venue.name}", {"venue_id": "another venue's ticket"}
            )
        state = self.state_at(now)
        if state == State.ATTENDED and self.checked_in_at is not None:
            if entry is not None and entry.id == self.checked_in_entry:
                return None  # a retry of the upload that let it in
            if entry is not None:
                return DoubleEntry(entry.id, self.id, self.venue_id, self.party, now, self.checked_in_at, staff)
            at = self.checked_in_at.astimezone(gate_venue.zone).strftime("%H:%M")
            raise FailedPrecondition(f"this ticket was used at {at}", {"ticket_code": "used already"})
        if state == State.NO_SHOW:
            raise TooLateToCheckIn("this ticket's entry slot has ended", {"ticket_code": "slot ended"})
        if state != State.CONFIRMED:
            raise FailedPrecondition(f"a {state} reservation does not enter", {"ticket_code": state})
        if now.astimezone(gate_venue.zone).date() != self.day:
            raise FailedPrecondition(f"this ticket is for {self.day.isoformat()}", {"ticket_code": "another day"})
        self.state, self.checked_in_at, self.checked_in_by = State.ATTENDED, now, staff
        self.checked_in_entry = entry.id if entry is not None else ""
        self.record(self.changed(now))
        return None


@dataclass(frozen=True)
class GateEntry:
    """An offline gate's own record of letting a ticket in, uploaded later: its id (a UUID the gate
    made then). An online gate asks before it lets anyone in, and sends none."""

    id: str

    @classmethod
    def of(cls, entry_id: str) -> GateEntry | None:
        if not entry_id:
            return None
        if len(entry_id) > 36 or not all(c.isascii() and (c.isalnum() or c == "-") for c in entry_id):
            raise InvalidArgument(
                "entry_id is the gate's id of its entry", {"entry_id": "at most 36 letters, digits, -"}
            )
        return cls(entry_id)


@dataclass
class DoubleEntry:
    """A ticket let in by a second gate while it was offline, after another gate had let it in:
    recorded for the staff, never a second visit (occupancy counts the reservation once)."""

    entry_id: str
    reservation_id: str
    venue_id: str
    party: int
    entered_at: dt.datetime
    first_entered_at: dt.datetime
    gate_staff: str


# An offline gate uploads its entries within a day (a ticket is good on its own day only).
MAX_OFFLINE_SECONDS = 86400


def entered_at(now: dt.datetime, offline_seconds: int) -> dt.datetime:
    """When a ticket was let in: now, or as long ago as an offline gate says."""
    if not 0 <= offline_seconds <= MAX_OFFLINE_SECONDS:
        raise InvalidArgument(
            "an offline entry is uploaded within a day", {"offline_seconds": f"from 0 to {MAX_OFFLINE_SECONDS}"}
        )
    return now - dt.timedelta(seconds=offline_seconds)


def check_hold(slot_id: str, id_numbers: list[str], idempotency_key: str) -> None:
    require({"slot_id": slot_id, "idempotency_key": idempotency_key})
    check_text({"idempotency_key": (idempotency_key, MAX_IDEMPOTENCY_KEY)})
    check_id_numbers(id_numbers)
