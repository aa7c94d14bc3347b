"""Tourism's use cases: each loads aggregates through a unit of work, lets the domain (and
services/rules/booking.py) decide, and commits the change with the events it recorded. Called by
the servicer on the database threads (runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError

from rules import booking
from runtime import paging
from runtime.auth import Caller
from runtime.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied
from tourism import domain
from tourism.domain import reservations as rv
from tourism.domain.places import FIRST_DAY, LAST_DAY
from tourism.domain.visitors import id_hash
from tourism.store import UnitOfWork

log = logging.getLogger(__name__)

MAX_EVENT_DAYS = 31
DEFAULT_EVENT_DAYS = 7


@dataclass(frozen=True)
class Setup:
    """What every use case reads: the district's places and its booking rules (from its data)."""

    places: domain.Places
    policy: booking.Policy
    group_role: str

    @classmethod
    def of(cls, places: domain.Places) -> Setup:
        return cls(places, booking.Policy.of(places.data["booking"]), places.data["group_booking_role"])


class Keys:
    """The service's ticket-signing key and ID-hash key, kept in its database (made on first use)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._signer: domain.TicketSigner | None = None
        self._id_key: bytes | None = None

    def load(self, uow: UnitOfWork) -> tuple[domain.TicketSigner, bytes]:
        with self._lock:
            if self._signer is None or self._id_key is None:
                with uow:
                    raw = uow.secrets.get_or_make(
                        "ticket_ed25519",
                        lambda: Ed25519PrivateKey.generate().private_bytes(
                            serialization.Encoding.Raw,
                            serialization.PrivateFormat.Raw,
                            serialization.NoEncryption(),
                        ),
                    )
                    id_key = uow.secrets.get_or_make("id_hash_hmac", lambda: os.urandom(32))
                    uow.commit()
                self._signer = domain.TicketSigner(Ed25519PrivateKey.from_private_bytes(raw))
                self._id_key = id_key
            return self._signer, self._id_key


# --- places and events ---


def list_venues(setup: Setup, kind: str) -> list[domain.Venue]:
    if kind and kind not in {v.kind for v in setup.places.venues.values()}:
        raise InvalidArgument(f"no venues of kind {kind[:40]!r}", {"kind": "museum, cultural_hall or scenic_spot"})
    return [v for v in setup.places.venues.values() if not kind or v.kind == kind]


def list_events(
    setup: Setup, from_date: str, days: int, venue_id: str, now: dt.datetime
) -> list[tuple[dt.date, domain.Event]]:
    first = setup.places.today(now)
    if from_date:
        try:
            first = dt.date.fromisoformat(from_date if len(from_date) == 10 else "not a date")
        except ValueError:
            raise InvalidArgument("from_date is YYYY-MM-DD", {"from_date": "not a date"}) from None
    if not 0 <= days <= MAX_EVENT_DAYS:
        raise InvalidArgument(f"days is 1..{MAX_EVENT_DAYS}", {"days": f"1..{MAX_EVENT_DAYS}"})
    if not FIRST_DAY <= first <= LAST_DAY:
        raise InvalidArgument("from_date is out of range", {"from_date": "2000-01-01 to 2999-12-31"})
    last = first + dt.timedelta(days=(days or DEFAULT_EVENT_DAYS) - 1)
    return setup.places.events_on(first, last, venue_id)


@dataclass(frozen=True)
class OpenSlot:
    slot: domain.SlotTime
    remaining: int


def calendar(uow: UnitOfWork, setup: Setup, venue_id: str, now: dt.datetime) -> tuple[list[OpenSlot], list[OpenSlot]]:
    """The slots someone could book now, with the places left (nothing closed, started, not yet open
    or full), and the full ones whose waiting list is open (booking open, not started)."""
    venue = setup.places.venue(venue_id)
    today = setup.places.today(now)
    ahead = setup.policy.opens_days_ahead if setup.policy.opens_days_ahead is not None else 0
    times = list(venue.slots_between(today, today + dt.timedelta(days=ahead)))
    with uow:
        claims = uow.reservations.of_slots([t.id for t in times])
    policy = setup.policy
    open_slots, full = [], []
    for t in times:
        left = booking.remaining(t.capacity, claims[t.id], now)
        window = dict(capacity=t.capacity, starts_at=t.starts_at, now=now, zone=venue.zone)
        if booking.bookable(policy, claims=claims[t.id], **window):
            open_slots.append(OpenSlot(t, left))
        elif left == 0 and booking.bookable(policy, claims=[], **window):  # full, but inside the booking window
            full.append(OpenSlot(t, 0))
    return open_slots, full


# --- reservations ---


def hold(
    uow: UnitOfWork,
    setup: Setup,
    keys: Keys,
    caller: Caller,
    slot_id: str,
    id_numbers: list[str],
    idempotency_key: str,
    group_village_code: str,
    now: dt.datetime,
    waiting_list: bool = False,
) -> domain.Reservation:
    """A hold on places of a slot, or (`waiting_list`) a place on its waiting list when it is full."""
    booker = domain.Booker.of(caller, group_village_code, setup.group_role)
    rv.check_hold(slot_id, id_numbers, idempotency_key)
    t = setup.places.slot(slot_id)
    venue = setup.places.venues[t.venue_id]
    _, id_key = keys.load(uow)
    hashes = [id_hash(id_key, n) for n in id_numbers]
    for attempt in (1, 2):
        try:
            return _hold(uow, setup, booker, venue, t, hashes, idempotency_key, now, waiting_list)
        except IntegrityError:
            # The same key, or the same visitor, booked at the same moment by another call: the
            # second attempt sees what that one committed (a replay, or AlreadyBooked).
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _hold(
    uow: UnitOfWork,
    setup: Setup,
    booker: domain.Booker,
    venue: domain.Venue,
    t: domain.SlotTime,
    hashes: list[str],
    idempotency_key: str,
    now: dt.datetime,
    waiting_list: bool,
) -> domain.Reservation:
    with uow:
        existing = uow.reservations.by_idempotency_key(booker.account, idempotency_key)
        if existing is not None:
            if not existing.is_same(t.id, hashes):
                raise AlreadyExists(
                    "this idempotency key was used for another reservation", {"idempotency_key": "already used"}
                )
            return existing
        slot = uow.slots.locked(t)
        claims = uow.reservations.of_slot(slot.id)
        # Places freed since (lapsed holds and offers) go to the waiting list first.
        slot.offer(setup.policy, claims, now)
        # A visitor's booking of the day is held by an active reservation; lapsed ones let it go.
        holders = [uow.reservations.get(i) for i in uow.visitor_days.holders(venue.id, t.day, hashes)]
        uow.visitor_days.release([h.id for h in holders if h is not None and not h.is_active(now)])
        already = setup.policy.one_per_person_per_day and any(h is not None and h.is_active(now) for h in holders)
        no_shows = [r.ends_at for r in uow.reservations.confirmed_before(booker.account, now)]
        admit = slot.wait if waiting_list else slot.hold
        reservation = admit(
            setup.policy,
            booker,
            venue,
            claims,
            hashes,
            account_people_that_day=booking.taken(uow.reservations.of_account_on(booker.account, venue.id, t.day), now),
            already_booked=already,
            blocked_until=booking.blocked_until(setup.policy, no_shows, now),
            idempotency_key=idempotency_key,
            now=now,
        )
        uow.reservations.add(reservation)
        uow.visitor_days.add(venue.id, t.day, hashes, reservation.id)
        uow.commit()
        return reservation


def release_lapsed(uow: UnitOfWork, setup_of: Callable[[str], Setup], now: dt.datetime) -> int:
    """The scheduler's pass: in each slot with a hold or offer whose time is up, those places go to
    the waiting list at once (each slot in its own transaction, under its lock, as a booking takes
    it). How many reservations changed. `setup_of(venue id)`: the rules of the venue's district."""
    with uow:
        slot_ids = uow.reservations.slots_with_lapsed(now)
    changed = 0
    for slot_id in slot_ids:
        try:
            with uow:
                slot = uow.slots.get_locked(slot_id)
                if slot is None:
                    continue
                policy = setup_of(slot_id.split("/")[0]).policy
                done = slot.release_lapsed(policy, uow.reservations.of_slot(slot.id), now)
                uow.visitor_days.release([r.id for r in done if r.state == domain.State.EXPIRED])
                uow.commit()
                changed += len(done)
        except Exception:  # one broken slot never holds back the others' offers
            log.exception("tourism scheduler: the lapsed claims of slot %s failed", slot_id)
    return changed


def _mine(uow: UnitOfWork, caller: Caller, reservation_id: str, lock: bool = False) -> domain.Reservation:
    check_id(reservation_id)
    found = uow.reservations.get(reservation_id, lock=lock)
    if found is None or not found.visible_to(caller):
        raise NotFound(f"no reservation {reservation_id!r}", {"id": "not found"})
    return found


def get_reservation(uow: UnitOfWork, caller: Caller, reservation_id: str) -> domain.Reservation:
    with uow:
        return _mine(uow, caller, reservation_id)


def confirm(uow: UnitOfWork, caller: Caller, reservation_id: str, now: dt.datetime) -> domain.Reservation:
    with uow:
        reservation = _mine(uow, caller, reservation_id, lock=True)
        reservation.confirm(now)
        uow.commit()
        return reservation


def cancel(uow: UnitOfWork, setup: Setup, caller: Caller, reservation_id: str, now: dt.datetime) -> domain.Reservation:
    check_id(reservation_id)
    with uow:
        found = uow.reservations.get(reservation_id)
        if found is None or not found.visible_to(caller):
            raise NotFound(f"no reservation {reservation_id!r}", {"id": "not found"})
        # The slot's lock first (as a booking takes it), then the reservation's.
        slot = uow.slots.locked(setup.places.slot(found.slot_id))
        reservation = _mine(uow, caller, reservation_id, lock=True)
        reservation.cancel(setup.policy, setup.places.venues[reservation.venue_id], now)
        uow.visitor_days.release([reservation.id])
        slot.offer(setup.policy, uow.reservations.of_slot(slot.id), now)
        uow.commit()
        return reservation


def list_mine(uow: UnitOfWork, caller: Caller, page) -> tuple[list[domain.Reservation], str]:
    if caller.is_household():
        column, value = "household_id", caller.household_id
    elif caller.roles:
        column, value = "booked_by", caller.subject
    else:
        raise PermissionDenied("this call is for a household's terminal or a village agent")
    with uow:
        return uow.reservations.page_of(column, value, paging.page_token(page.page_token), paging.page_size(page))


# --- at the gate ---


@dataclass(frozen=True)
class Occupancy:
    venue: domain.Venue
    inside: int
    entered_today: int
    at: dt.datetime


def check_in(
    uow: UnitOfWork,
    setup: Setup,
    keys: Keys,
    caller: Caller,
    venue_id: str,
    code: str,
    now: dt.datetime,
    offline_seconds: int = 0,
    entry_id: str = "",
) -> tuple[domain.Reservation, Occupancy, domain.DoubleEntry | None]:
    """A ticket in at the gate, now; or, uploaded by a gate that was offline, when it let it in
    (a second gate's upload of a ticket in already: the double entry, recorded once)."""
    caller.require_role(domain.Role.GATE)
    entered_at = domain.entered_at(now, offline_seconds)
    entry = domain.GateEntry.of(entry_id)
    venue = setup.places.venue(venue_id)
    domain.require_gate_staff_of(caller, venue)
    signer, _ = keys.load(uow)
    ticket = signer.read(code)
    with uow:
        reservation = uow.reservations.get(ticket.reservation_id, lock=True)
        if reservation is None:
            raise NotFound("no reservation for this ticket", {"ticket_code": "no such reservation"})
        double = uow.double_entries.get(entry.id) if entry is not None else None
        if double is None:
            double = reservation.check_in(venue, caller.subject, entered_at, entry)
            if double is not None:
                uow.double_entries.add(double)
        uow.commit()
    return reservation, occupancy(uow, setup, caller, venue_id, now), double


def gate_entries(
    uow: UnitOfWork, setup: Setup, caller: Caller, venue_id: str, now: dt.datetime
) -> tuple[list[domain.Reservation], list[domain.DoubleEntry]]:
    """Today's entries at a venue, and its double entries today."""
    caller.require_role(domain.Role.GATE)
    venue = setup.places.venue(venue_id)
    domain.require_gate_staff_of(caller, venue)
    today = setup.places.today(now)
    start = dt.datetime.combine(today, dt.time(), venue.zone)
    with uow:
        entered = uow.reservations.attended_on(venue.id, today)
        doubles = uow.double_entries.at_venue_between(venue.id, start, start + dt.timedelta(days=1))
    return sorted(entered, key=lambda r: r.checked_in_at or now), doubles


def occupancy(uow: UnitOfWork, setup: Setup, caller: Caller, venue_id: str, now: dt.datetime) -> Occupancy:
    caller.require_role(domain.Role.GATE)
    venue = setup.places.venue(venue_id)
    domain.require_gate_staff_of(caller, venue)
    with uow:
        # Inside: those checked in within the venue's usual visit time (there is no exit gate yet).
        recent = uow.reservations.checked_in_since(venue.id, now - dt.timedelta(minutes=venue.visit_minutes))
        today = uow.reservations.attended_on(venue.id, setup.places.today(now))
        return Occupancy(venue, booking.taken(recent, now), booking.taken(today, now), now)


def ticket_code(signer: domain.TicketSigner, r: domain.Reservation) -> str:
    if r.state not in (domain.State.CONFIRMED, domain.State.ATTENDED):
        return ""
    return signer.code(domain.Ticket(r.id, r.venue_id, r.slot_id, r.party, r.day.isoformat()))


def public_key(keys: Keys, uow: UnitOfWork) -> bytes:
    signer, _ = keys.load(uow)
    return signer.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def check_id(reservation_id: str) -> None:
    if not reservation_id or len(reservation_id) > 36:
        raise InvalidArgument(
            "id is a reservation's id",
            {"id": "is required" if not reservation_id else "at most 36 characters"},
        )
