"""Capacity-limited booking: places by party size, holds and offers that lapse, the window, the
limits, cancellation, no-show blocks and the waiting list."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rules import booking
from rules.booking import Claim, Policy
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument

ZONE = ZoneInfo("Asia/Shanghai")
# A museum's entry slot: 10:00 local on 8 December 2026.
STARTS = dt.datetime(2026, 12, 8, 10, 0, tzinfo=ZONE).astimezone(dt.UTC)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=ZONE).astimezone(dt.UTC)
MIN = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
MUSEUM = Policy.of(
    {
        "hold_minutes": 30,
        "opens_days_ahead": 7,
        "cancel_until": "15:00",
        "max_party": 5,
        "max_group_party": 40,
        "max_people_per_account_per_day": 5,
        "one_per_person_per_day": True,
        "no_show_limit": 3,
        "no_show_window_days": 180,
        "block_days": 30,
        "offer_minutes": 60,
    }
)


def admit(**kw: Any) -> None:
    args: dict[str, Any] = dict(capacity=10, claims=[], party=1, starts_at=STARTS, now=NOW, zone=ZONE) | kw
    booking.admit(MUSEUM, **args)


def test_capacity_goes_down_by_the_partys_size_not_by_one_per_booking():
    claims = [Claim(4, booking.CONFIRMED), Claim(3, booking.HELD, NOW + 30 * MIN)]
    assert booking.taken(claims, NOW) == 7
    assert booking.remaining(10, claims, NOW) == 3
    admit(claims=claims, party=3)
    with pytest.raises(booking.Full, match="3 places left, 4 needed"):
        admit(claims=claims, party=4)


def test_a_hold_counts_until_it_lapses_and_cancelled_or_expired_claims_never_count():
    hold = Claim(5, booking.HELD, booking.hold_expires(MUSEUM, NOW))
    assert booking.counts(hold, NOW + 29 * MIN)
    assert not booking.counts(hold, NOW + 30 * MIN) and booking.lapsed(hold, NOW + 30 * MIN)
    assert booking.taken([Claim(5, booking.CANCELLED), Claim(5, booking.EXPIRED)], NOW) == 0
    assert booking.taken([Claim(2, booking.ATTENDED), Claim(1, booking.NO_SHOW)], NOW) == 3


def test_a_hold_is_confirmed_only_before_it_lapses():
    hold = Claim(2, booking.HELD, NOW + 30 * MIN)
    booking.check_confirm(hold, NOW + 29 * MIN)
    with pytest.raises(booking.Lapsed):
        booking.check_confirm(hold, NOW + 30 * MIN)
    with pytest.raises(FailedPrecondition, match="only a held or offered"):
        booking.check_confirm(Claim(2, booking.CONFIRMED), NOW)


def test_the_booking_window_opens_at_local_midnight_seven_days_before_and_closes_at_the_start():
    opens = dt.datetime(2026, 12, 1, 0, 0, tzinfo=ZONE)
    assert booking.opens_at(MUSEUM, STARTS, ZONE) == opens
    with pytest.raises(booking.NotOpenYet):
        admit(now=opens - MIN)
    admit(now=opens)
    admit(now=STARTS - MIN)
    with pytest.raises(booking.SlotPast):
        admit(now=STARTS)


def test_party_size_and_the_daily_limit_per_account():
    with pytest.raises(InvalidArgument, match="1 to 5"):
        admit(party=6)
    with pytest.raises(InvalidArgument):
        admit(party=0)
    admit(party=2, account_people_that_day=3)
    with pytest.raises(booking.OverLimit, match="at most 5"):
        admit(party=3, account_people_that_day=3)


def test_a_village_agents_group_has_its_own_size_limit_and_no_per_account_limit():
    admit(capacity=50, party=40, account_people_that_day=5, group=True)
    with pytest.raises(InvalidArgument, match="1 to 40"):
        admit(capacity=50, party=41, group=True)


def test_one_booking_per_person_per_day():
    with pytest.raises(AlreadyExists):
        admit(already_booked=True)


def test_cancellation_until_three_in_the_afternoon_on_the_day():
    deadline = dt.datetime(2026, 12, 8, 15, 0, tzinfo=ZONE)
    assert booking.cancel_deadline(MUSEUM, STARTS, ZONE) == deadline
    confirmed = Claim(2, booking.CONFIRMED)
    booking.check_cancel(MUSEUM, confirmed, STARTS, deadline, ZONE)
    with pytest.raises(booking.TooLateToCancel):
        booking.check_cancel(MUSEUM, confirmed, STARTS, deadline + MIN, ZONE)
    with pytest.raises(FailedPrecondition):
        booking.check_cancel(MUSEUM, Claim(2, booking.CANCELLED), STARTS, NOW, ZONE)


def test_a_cancellation_deadline_before_the_start_takes_the_earlier_of_the_two():
    policy = Policy.of({"cancel_before_minutes": 120})
    assert booking.cancel_deadline(policy, STARTS, ZONE) == STARTS - 120 * MIN
    assert booking.cancel_deadline(Policy(), STARTS, ZONE) == STARTS


def test_three_no_shows_within_the_window_block_the_account_for_thirty_days_then_counting_restarts():
    t = NOW - 100 * DAY
    shows = [t, t + 10 * DAY, t + 20 * DAY]
    assert booking.blocked_until(MUSEUM, shows[:2], NOW) is None
    assert booking.blocked_until(MUSEUM, shows, t + 25 * DAY) == t + 50 * DAY
    assert booking.blocked_until(MUSEUM, shows, t + 50 * DAY) is None  # served
    # After the block, one more no-show does not block again: it starts a new count.
    assert booking.blocked_until(MUSEUM, [*shows, t + 60 * DAY], t + 61 * DAY) is None
    with pytest.raises(booking.AccountBlocked):
        admit(blocked_until=t + 50 * DAY, now=t + 49 * DAY, starts_at=t + 51 * DAY)


def test_no_shows_further_apart_than_the_window_do_not_add_up():
    shows = [NOW - 400 * DAY, NOW - 200 * DAY, NOW - 10 * DAY]
    assert booking.blocked_until(MUSEUM, shows, NOW) is None


def test_the_waiting_list_offers_released_places_in_order_to_parties_that_fit():
    offers = booking.next_offers(MUSEUM, [2, 4, 1, 1], free=4, now=NOW)
    assert [(o.index, o.party) for o in offers] == [(0, 2), (2, 1), (3, 1)]
    assert all(o.expires_at == NOW + 60 * MIN for o in offers)
    assert booking.next_offers(MUSEUM, [3], free=2, now=NOW) == []


def test_an_offer_counts_until_it_expires_and_is_confirmed_like_a_hold():
    offer = Claim(2, booking.OFFERED, NOW + 60 * MIN)
    assert booking.remaining(3, [offer], NOW) == 1
    assert booking.remaining(3, [offer], NOW + 60 * MIN) == 3
    booking.check_confirm(offer, NOW + 59 * MIN)


def test_the_honest_calendar_shows_only_slots_someone_could_book_now():
    full = [Claim(10, booking.CONFIRMED)]
    ok: dict[str, Any] = dict(capacity=10, starts_at=STARTS, now=NOW, zone=ZONE)
    assert booking.bookable(MUSEUM, claims=[], **ok)
    assert not booking.bookable(MUSEUM, claims=full, **ok)
    assert not booking.bookable(MUSEUM, claims=[], **ok | {"now": STARTS})
    assert not booking.bookable(MUSEUM, claims=[], **ok | {"starts_at": STARTS + 10 * DAY})


def test_a_policy_with_unknown_or_impossible_data_is_refused():
    with pytest.raises(ValueError, match="unknown booking policy keys: hold"):
        Policy.of({"hold": 30})
    with pytest.raises(ValueError):
        Policy.of({"max_party": 0})
    with pytest.raises(ValueError):
        Policy.of({"no_show_limit": 3})  # blocks for no time


def test_the_reminder_is_due_from_its_local_time_the_day_before_until_the_slot_starts():
    hall = Policy.of({"remind_day_before_at": "18:00"})
    at = dt.datetime(2026, 12, 7, 18, 0, tzinfo=ZONE).astimezone(dt.UTC)  # the local day before, 18:00
    assert booking.reminder_at(hall, STARTS, ZONE) == at
    booked = NOW
    assert not booking.reminder_due(hall, booked, STARTS, at - MIN, ZONE)
    assert booking.reminder_due(hall, booked, STARTS, at, ZONE)
    assert booking.reminder_due(hall, booked, STARTS, STARTS - MIN, ZONE)
    assert not booking.reminder_due(hall, booked, STARTS, STARTS, ZONE), "not once the slot has started"
    # Booked after the reminder's time: just confirmed on screen, no reminder.
    assert not booking.reminder_due(hall, at + MIN, STARTS, at + 2 * MIN, ZONE)
    # A policy without a reminder time sends none.
    assert booking.reminder_at(MUSEUM, STARTS, ZONE) is None
    assert not booking.reminder_due(MUSEUM, booked, STARTS, STARTS - MIN, ZONE)
