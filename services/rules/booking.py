"""Capacity-limited booking, the same in every service: timed-entry slots (tourism), class
sign-ups (education), volunteer activities (legal), appointments (e-government).

A capacity is taken by claims, each for a party of people: a hold that expires unless confirmed
(pretix keeps a cart's quota for 30 minutes), a confirmed booking, or a waiting-list offer that
expires unless taken. Capacity goes down by the party's size, never by one per booking. Limits per
account and per person, the booking window, the cancellation deadline and the no-show block
(the National Museum of China's rules: 7 days ahead, cancel until 15:00 on the day, at most 5
people per account per day, one booking per ID per day, 3 no-shows block for 30 days) are the
service's data, read by `Policy.of`. No I/O, nothing of any one service.

Never oversold: the service loads the aggregate that owns the capacity with a row lock
(`session.get(Slot, id, with_for_update=True)`: PostgreSQL locks the row, SQLite's BEGIN IMMEDIATE
already serializes writers), counts its claims with `taken`, asks `admit`, and adds the new claim
in the same transaction.

    policy = booking.Policy.of(district_data["booking"])
    booking.admit(policy, capacity=slot.capacity, claims=slot.claims, party=3, starts_at=slot.starts_at,
                  now=now, zone=tz, account_people_that_day=2)
    slot.claims.append(Reservation(party=3, state=booking.HELD, expires_at=booking.hold_expires(policy, now)))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument

# The states of a claim. Held and offered places count until they expire; confirmed, attended
# and no-show ones always count (a no-show's place was kept for them).
HELD = "held"
OFFERED = "offered"
CONFIRMED = "confirmed"
ATTENDED = "attended"
NO_SHOW = "no_show"
CANCELLED = "cancelled"
EXPIRED = "expired"
STATES = (HELD, OFFERED, CONFIRMED, ATTENDED, NO_SHOW, CANCELLED, EXPIRED)
EXPIRING = frozenset({HELD, OFFERED})
COUNTED = frozenset({CONFIRMED, ATTENDED, NO_SHOW})


class SlotPast(FailedPrecondition):
    """The slot has started (or booking for it has closed)."""


class NotOpenYet(FailedPrecondition):
    """Booking for the slot opens later."""


class Full(FailedPrecondition):
    """Fewer places are left than the party needs."""


class OverLimit(FailedPrecondition):
    """More people than the account may book for one day."""


class AlreadyBooked(AlreadyExists):
    """The same person (or account) has a booking for that day, or for that slot, already."""


class AccountBlocked(FailedPrecondition):
    """Too many no-shows: the account may not book until the block ends."""


class TooLateToCancel(FailedPrecondition):
    """The cancellation deadline has passed."""


class Lapsed(FailedPrecondition):
    """A hold or an offer that has expired can no longer be confirmed."""


class ClaimLike(Protocol):
    """What the rules read of a claim: the service's own reservation, sign-up or `Claim`."""

    @property
    def party(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def expires_at(self) -> dt.datetime | None: ...


@dataclass(frozen=True)
class Claim:
    party: int
    state: str
    expires_at: dt.datetime | None = None


def counts(claim: ClaimLike, now: dt.datetime) -> bool:
    """Whether a claim takes places at `now`."""
    if claim.state in COUNTED:
        return True
    return claim.state in EXPIRING and (claim.expires_at is None or claim.expires_at > now)


def lapsed(claim: ClaimLike, now: dt.datetime) -> bool:
    """A hold or offer whose time is up (the service marks it expired when it next touches it)."""
    return claim.state in EXPIRING and claim.expires_at is not None and claim.expires_at <= now


def taken(claims: Iterable[ClaimLike], now: dt.datetime) -> int:
    """The people counted against a capacity at `now`, by party size."""
    return sum(c.party for c in claims if counts(c, now))


def remaining(capacity: int, claims: Iterable[ClaimLike], now: dt.datetime) -> int:
    return max(0, capacity - taken(claims, now))


def _minutes(data: Mapping, key: str) -> dt.timedelta | None:
    value = data.get(key)
    return None if value is None else dt.timedelta(minutes=float(value))


def _days(data: Mapping, key: str) -> dt.timedelta | None:
    value = data.get(key)
    return None if value is None else dt.timedelta(days=float(value))


@dataclass(frozen=True)
class Policy:
    # How long a hold keeps its places until confirmed (None: a booking is confirmed at once).
    hold: dt.timedelta | None = None
    # Booking opens at local midnight this many days before the slot's day (None: any time).
    opens_days_ahead: int | None = None
    # Booking closes this long before the slot starts (zero: when it starts).
    closes_before: dt.timedelta = dt.timedelta(0)
    # Cancellation until this local time on the slot's day, and/or this long before it starts
    # (the earlier of the two; neither: until it starts).
    cancel_until: dt.time | None = None
    cancel_before: dt.timedelta | None = None
    max_party: int = 1
    # A village agent's group (an outreach trip): its own size limit, and no per-account limit.
    max_group_party: int | None = None
    max_people_per_account_per_day: int | None = None
    one_per_person_per_day: bool = False
    # `no_show_limit` no-shows within `no_show_window` (None: ever) block the account `block_for`.
    no_show_limit: int | None = None
    no_show_window: dt.timedelta | None = None
    block_for: dt.timedelta = dt.timedelta(0)
    # How long a waiting-list offer keeps its places.
    offer_for: dt.timedelta | None = None
    # The reminder the day before the slot, at this local time (None: no reminder).
    remind_day_before_at: dt.time | None = None

    KEYS = frozenset(
        {
            "hold_minutes",
            "opens_days_ahead",
            "closes_before_minutes",
            "cancel_until",
            "cancel_before_minutes",
            "max_party",
            "max_group_party",
            "max_people_per_account_per_day",
            "one_per_person_per_day",
            "no_show_limit",
            "no_show_window_days",
            "block_days",
            "offer_minutes",
            "remind_day_before_at",
        }
    )

    def __post_init__(self) -> None:
        if self.max_party < 1 or (self.max_group_party is not None and self.max_group_party < 1):
            raise ValueError("a party is at least one person")
        if self.no_show_limit is not None and (self.no_show_limit < 1 or self.block_for <= dt.timedelta(0)):
            raise ValueError("a no-show limit is at least 1 and blocks for a positive time")
        if self.opens_days_ahead is not None and self.opens_days_ahead < 0:
            raise ValueError("booking opens before the slot's day, not after it")

    @classmethod
    def of(cls, data: Mapping) -> Policy:
        """From a service's data; a key it does not know is a mistake in the data."""
        unknown = set(data) - cls.KEYS
        if unknown:
            raise ValueError(f"unknown booking policy keys: {', '.join(sorted(unknown))}")
        until = data.get("cancel_until")
        remind = data.get("remind_day_before_at")
        return cls(
            hold=_minutes(data, "hold_minutes"),
            opens_days_ahead=None if data.get("opens_days_ahead") is None else int(data["opens_days_ahead"]),
            closes_before=_minutes(data, "closes_before_minutes") or dt.timedelta(0),
            cancel_until=None if until is None else dt.time.fromisoformat(str(until)),
            cancel_before=_minutes(data, "cancel_before_minutes"),
            max_party=int(data.get("max_party", 1)),
            max_group_party=None if data.get("max_group_party") is None else int(data["max_group_party"]),
            max_people_per_account_per_day=(
                None
                if data.get("max_people_per_account_per_day") is None
                else int(data["max_people_per_account_per_day"])
            ),
            one_per_person_per_day=bool(data.get("one_per_person_per_day", False)),
            no_show_limit=None if data.get("no_show_limit") is None else int(data["no_show_limit"]),
            no_show_window=_days(data, "no_show_window_days"),
            block_for=_days(data, "block_days") or dt.timedelta(0),
            offer_for=_minutes(data, "offer_minutes"),
            remind_day_before_at=None if remind is None else dt.time.fromisoformat(str(remind)),
        )

    def party_limit(self, group: bool) -> int:
        return (self.max_group_party or self.max_party) if group else self.max_party


def opens_at(policy: Policy, starts_at: dt.datetime, zone: dt.tzinfo) -> dt.datetime | None:
    """When booking for a slot opens (None: it is always open until it closes)."""
    if policy.opens_days_ahead is None:
        return None
    day = starts_at.astimezone(zone).date() - dt.timedelta(days=policy.opens_days_ahead)
    return dt.datetime.combine(day, dt.time(0), zone).astimezone(dt.UTC)


def closes_at(policy: Policy, starts_at: dt.datetime) -> dt.datetime:
    return starts_at - policy.closes_before


def cancel_deadline(policy: Policy, starts_at: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Until when a booking for a slot may be cancelled."""
    deadlines = [starts_at]
    if policy.cancel_until is not None:
        local_day = starts_at.astimezone(zone).date()
        deadlines = [dt.datetime.combine(local_day, policy.cancel_until, zone).astimezone(dt.UTC)]
    if policy.cancel_before is not None:
        deadlines.append(starts_at - policy.cancel_before)
    return min(deadlines)


def reminder_at(policy: Policy, starts_at: dt.datetime, zone: dt.tzinfo) -> dt.datetime | None:
    """When the reminder of a booking for a slot is sent: the local day before, at the policy's time."""
    if policy.remind_day_before_at is None:
        return None
    day = starts_at.astimezone(zone).date() - dt.timedelta(days=1)
    return dt.datetime.combine(day, policy.remind_day_before_at, zone).astimezone(dt.UTC)


def reminder_due(
    policy: Policy, booked_at: dt.datetime, starts_at: dt.datetime, now: dt.datetime, zone: dt.tzinfo
) -> bool:
    """Whether a confirmed booking's reminder is due now: its time has come and the slot has not
    started. A booking made after the reminder's time gets none: it was just confirmed on screen."""
    at = reminder_at(policy, starts_at, zone)
    return at is not None and booked_at < at <= now < starts_at


def hold_expires(policy: Policy, now: dt.datetime) -> dt.datetime | None:
    """When a new hold lapses (None: the policy confirms at once, there is no hold)."""
    return None if policy.hold is None else now + policy.hold


def offer_expires(policy: Policy, now: dt.datetime) -> dt.datetime | None:
    return None if policy.offer_for is None else now + policy.offer_for


def bookable(
    policy: Policy,
    *,
    capacity: int,
    claims: Iterable[ClaimLike],
    starts_at: dt.datetime,
    now: dt.datetime,
    zone: dt.tzinfo,
) -> bool:
    """An honest calendar shows a slot only when someone could book it now: open, not closed, a place left."""
    opens = opens_at(policy, starts_at, zone)
    return (
        (opens is None or now >= opens) and now < closes_at(policy, starts_at) and remaining(capacity, claims, now) > 0
    )


def admit(
    policy: Policy,
    *,
    capacity: int,
    claims: Iterable[ClaimLike],
    party: int,
    starts_at: dt.datetime,
    now: dt.datetime,
    zone: dt.tzinfo,
    account_people_that_day: int = 0,
    already_booked: bool = False,
    blocked_until: dt.datetime | None = None,
    group: bool = False,
) -> None:
    """Raise the first rule a new claim for `party` people would break; return when it may be taken.

    `account_people_that_day`: the people the account has booked already for the slot's day (its
    active claims); `already_booked`: the person (or account) has a booking that day (when the
    policy allows one per person per day) or for this very slot; `blocked_until`: from
    `blocked_until()` over the account's no-shows; `group`: a village agent's group booking."""
    limit = policy.party_limit(group)
    if not 1 <= party <= limit:
        raise InvalidArgument(f"a party is 1 to {limit} people", {"party": f"from 1 to {limit}"})
    if blocked_until is not None and blocked_until > now:
        raise AccountBlocked(f"too many missed bookings: booking is possible again from {blocked_until.isoformat()}")
    if now >= closes_at(policy, starts_at):
        raise SlotPast("booking for this time has closed")
    opens = opens_at(policy, starts_at, zone)
    if opens is not None and now < opens:
        raise NotOpenYet(f"booking for this time opens at {opens.isoformat()}")
    if already_booked:
        raise AlreadyBooked("there is a booking for this day already")
    most = policy.max_people_per_account_per_day
    if not group and most is not None and account_people_that_day + party > most:
        raise OverLimit(f"at most {most} people per account per day ({account_people_that_day} booked already)")
    left = remaining(capacity, claims, now)
    if party > left:
        raise Full(f"{left} places left, {party} needed")


def check_confirm(claim: ClaimLike, now: dt.datetime) -> None:
    """A hold (or an offer) is confirmed only while it has not lapsed."""
    if claim.state not in EXPIRING:
        raise FailedPrecondition(f"only a held or offered booking can be confirmed (this one is {claim.state})")
    if lapsed(claim, now):
        raise Lapsed("the places were kept until " + (claim.expires_at.isoformat() if claim.expires_at else "now"))


def check_cancel(policy: Policy, claim: ClaimLike, starts_at: dt.datetime, now: dt.datetime, zone: dt.tzinfo) -> None:
    if claim.state not in EXPIRING | {CONFIRMED}:
        raise FailedPrecondition(f"a {claim.state} booking cannot be cancelled")
    deadline = cancel_deadline(policy, starts_at, zone)
    if now > deadline:
        raise TooLateToCancel(f"cancellation was possible until {deadline.isoformat()}")


def blocked_until(policy: Policy, no_shows: Iterable[dt.datetime], now: dt.datetime) -> dt.datetime | None:
    """Until when an account with these no-shows may not book (None: it may book now).

    Every `no_show_limit` no-shows within the window block the account for `block_for` from the
    last of them; once a block is served, counting starts again."""
    if policy.no_show_limit is None:
        return None
    block_end: dt.datetime | None = None
    counted: list[dt.datetime] = []
    for at in sorted(no_shows):
        if block_end is not None and at < block_end:
            continue  # a booking made before the block, missed during it: the block already covers it
        counted.append(at)
        if policy.no_show_window is not None:
            counted = [t for t in counted if t > at - policy.no_show_window]
        if len(counted) >= policy.no_show_limit:
            block_end = at + policy.block_for
            counted = []
    return block_end if block_end is not None and block_end > now else None


@dataclass(frozen=True)
class Offer:
    # The position of the waiting entry in the list given to `next_offers`.
    index: int
    party: int
    expires_at: dt.datetime | None


def next_offers(policy: Policy, waiting: Sequence[int], free: int, now: dt.datetime) -> list[Offer]:
    """Who on a waiting list (party sizes, first come first) gets an offer for `free` places.

    In order, each party that fits in what is left gets an offer (a party too big for it keeps
    its place in the line for the next release); an offer holds its places until it expires."""
    offers: list[Offer] = []
    for index, party in enumerate(waiting):
        if party <= free:
            offers.append(Offer(index, party, offer_expires(policy, now)))
            free -= party
        if free <= 0:
            break
    return offers
