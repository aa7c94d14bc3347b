"""Tourism over real gRPC: its own server (the runtime's, with the interceptor, token checks and
error mapping of production) on SQLite and PostgreSQL, on a clock the test moves: the venues and
events, the honest calendar, holds, confirmation, cancellation, the limits, no-shows, a village
agent's group, tickets at the gate and the occupancy, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import household, rpc_error
from sbc.tourism.v1 import tourism_pb2 as pb
from tourism import store
from tourism.tests.conftest import HALL, MUSEUM, OTHER_VILLAGE, TODAY, TOMORROW, VILLAGE, ids, slot_id

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def outbox_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(outbox_table()))


def reservation_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.reservations))


async def hold(svc, caller, slot, visitors, key="k1", group=""):
    request = pb.HoldReservationRequest(
        slot_id=slot, visitor_id_numbers=visitors, idempotency_key=key, group_village_code=group
    )
    return await svc.api.HoldReservation(request, metadata=svc.md(caller))


async def book(svc, caller, slot, visitors, key="k1", group=""):
    held = await hold(svc, caller, slot, visitors, key, group)
    return await svc.api.ConfirmReservation(pb.ReservationRef(id=held.id), metadata=svc.md(caller))


async def remaining(svc, caller, slot) -> int | None:
    """The places left in a slot as the calendar shows it (None: the calendar does not show it)."""
    venue = slot.split("/")[0]
    cal = await svc.api.ListSlots(pb.VenueRef(venue_id=venue), metadata=svc.md(caller))
    return next((s.remaining for s in cal.slots if s.id == slot), None)


async def test_the_museum_and_what_is_on_are_listed_with_hours_capacity_and_access(svc, who):
    md = svc.md(who.home)
    venues = await svc.api.ListVenues(pb.ListVenuesRequest(), metadata=md)
    museum = next(v for v in venues.venues if v.id == MUSEUM)
    assert museum.name == "嘉兴市乡村广播记忆馆" and museum.town == "新塍镇" and museum.village == "康和桥村"
    assert museum.free_entry and museum.facts["floor_area_m2"] == "560" and museum.facts["floors"] == "2"
    assert museum.facts["opened"] == "2022-12" and len(museum.galleries) == 5 and museum.galleries[0] == "岁月回声"
    assert museum.instantaneous_capacity == 60 and museum.daily_capacity == 110 and museum.accessibility
    assert [s.starts for s in museum.slots] == ["09:00", "11:00", "13:30"] and 0 not in museum.open_days
    assert {v.kind for v in venues.venues} == {"museum", "cultural_hall", "scenic_spot"}
    halls = await svc.api.ListVenues(pb.ListVenuesRequest(kind="cultural_hall"), metadata=md)
    assert halls.venues and {v.kind for v in halls.venues} == {"cultural_hall"}
    assert (await svc.api.GetVenue(pb.VenueRef(venue_id=MUSEUM), metadata=md)) == museum
    events = await svc.api.ListEvents(pb.ListEventsRequest(venue_id=MUSEUM, days=7), metadata=md)
    by_day = {(e.date, e.id) for e in events.events}
    assert ("2026-12-02", "museum-loudspeaker-stories") in by_day and (
        "2026-12-05",
        "museum-farm-studio-open-day",
    ) in by_day
    # The exhibition runs every open day of the museum, never on its closed Monday (12-07).
    exhibition = [e.date for e in events.events if e.kind == "exhibition"]
    assert "2026-12-01" in exhibition and "2026-12-07" not in exhibition
    allover = await svc.api.ListEvents(pb.ListEventsRequest(from_date="2026-12-06", days=1), metadata=md)
    assert "xincheng-yueju-evening" in [e.id for e in allover.events]


async def test_the_calendar_shows_only_what_can_be_booked_now(svc, who):
    cal = await svc.api.ListSlots(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.home))
    shown = [s.id for s in cal.slots]
    # 10:00 on Tuesday: the 09:00 slot has started; Monday 12-07 is closed; 12-09 is 8 days ahead.
    assert slot_id(MUSEUM, TODAY, 1) not in shown and slot_id(MUSEUM, TODAY, 2) in shown
    assert not [s for s in shown if "/2026-12-07/" in s] and not [s for s in shown if "/2026-12-09/" in s]
    assert slot_id(MUSEUM, dt.date(2026, 12, 8), 3) in shown
    assert cal.max_party == 5 and cal.max_group_party == 30
    # A slot that fills up leaves the calendar.
    slot = slot_id(MUSEUM, TOMORROW, 2)
    assert await remaining(svc, who.home, slot) == 30
    for i in range(6):
        await book(svc, household(f"hh-fill-{i}"), slot, ids(100 + i * 5, 5))
    assert await remaining(svc, who.home, slot) is None
    # ... and is offered apart, to wait for; none of the full ones has started or is not yet open.
    cal = await svc.api.ListSlots(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.home))
    assert [(s.id, s.remaining, s.capacity) for s in cal.full_slots] == [(slot, 0, 30)]
    svc.clock.move(days=1, hours=3, minutes=1)  # 13:01 tomorrow: the 11:00 slot has started
    cal = await svc.api.ListSlots(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.home))
    assert not cal.full_slots


async def test_a_household_holds_confirms_and_gets_a_ticket_places_counted_by_party(svc, who):
    slot = slot_id(MUSEUM, TOMORROW, 1)
    held = await hold(svc, who.home, slot, ids(1, 3))
    assert held.state == "held" and held.state_label == "待确认" and held.party == 3 and not held.ticket_code
    assert held.expires_at.seconds - svc.clock().timestamp() == 30 * 60
    assert await remaining(svc, who.home, slot) == 37, "a party of 3 takes 3 places"
    again = await hold(svc, who.home, slot, ids(1, 3))
    assert again.id == held.id and reservation_count(svc.db) == 1, "a retry with the same key is the same hold"
    confirmed = await svc.api.ConfirmReservation(pb.ReservationRef(id=held.id), metadata=svc.md(who.home))
    assert confirmed.state == "confirmed" and confirmed.ticket_code.startswith("T1.")
    local_cancel = dt.datetime.fromtimestamp(confirmed.cancel_until.seconds, dt.UTC) + dt.timedelta(hours=8)
    assert local_cancel.strftime("%Y-%m-%d %H:%M") == "2026-12-02 15:00"
    mine = await svc.api.ListMyReservations(pb.ListMyReservationsRequest(), metadata=svc.md(who.home))
    assert [r.id for r in mine.reservations] == [held.id]
    assert not (
        await svc.api.ListMyReservations(pb.ListMyReservationsRequest(), metadata=svc.md(who.neighbour))
    ).reservations
    err = await rpc_error(svc.api.GetReservation(pb.ReservationRef(id=held.id), metadata=svc.md(who.neighbour)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert outbox_count(svc.db) == 2


async def test_a_hold_lapses_after_30_minutes_and_gives_its_places_back(svc, who):
    slot = slot_id(MUSEUM, TOMORROW, 1)
    held = await hold(svc, who.home, slot, ids(1, 2))
    svc.clock.move(minutes=30)
    assert await remaining(svc, who.home, slot) == 40
    err = await rpc_error(svc.api.ConfirmReservation(pb.ReservationRef(id=held.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    got = await svc.api.GetReservation(pb.ReservationRef(id=held.id), metadata=svc.md(who.home))
    assert got.state == "expired" and got.state_label == "已过期"
    # The visitors may book again that day.
    again = await hold(svc, who.home, slot, ids(1, 2), key="k2")
    assert again.state == "held"


async def test_limits_per_account_per_id_and_the_booking_window(svc, who):
    slot = slot_id(MUSEUM, TOMORROW, 1)
    before = outbox_count(svc.db)
    cases = [
        (hold(svc, who.home, slot, ids(1, 6)), grpc.StatusCode.INVALID_ARGUMENT),  # a party over 5
        (hold(svc, who.home, slot_id(MUSEUM, TODAY, 1), ids(1, 1)), grpc.StatusCode.FAILED_PRECONDITION),  # started
        (hold(svc, who.home, slot_id(MUSEUM, dt.date(2026, 12, 9), 1), ids(1, 1)), grpc.StatusCode.FAILED_PRECONDITION),
        (hold(svc, who.home, slot_id(MUSEUM, dt.date(2026, 12, 7), 1), ids(1, 1)), grpc.StatusCode.NOT_FOUND),  # Monday
    ]
    for call, code in cases:
        assert (await rpc_error(call)).code() == code
    await book(svc, who.home, slot, ids(1, 3))
    # 3 + 3 is over the 5 people an account may book for a day (any slot of it).
    err = await rpc_error(hold(svc, who.home, slot_id(MUSEUM, TOMORROW, 3), ids(10, 3), key="k2"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "at most 5" in err.details()
    # The same visitor twice that day: refused, from another household too.
    err = await rpc_error(hold(svc, who.neighbour, slot_id(MUSEUM, TOMORROW, 3), [ids(1, 1)[0]], key="k3"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    # The same key for something else.
    err = await rpc_error(hold(svc, who.home, slot, ids(20, 1)))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "idempotency_key" in field_errors_of(err)
    assert reservation_count(svc.db) == 1 and outbox_count(svc.db) == before + 2


async def test_cancellation_until_15_00_on_the_day_then_refused(svc, who):
    first = await book(svc, who.home, slot_id(MUSEUM, TODAY, 3), ids(1, 2))
    cancelled = await svc.api.CancelReservation(pb.ReservationRef(id=first.id), metadata=svc.md(who.home))
    assert cancelled.state == "cancelled" and not cancelled.ticket_code
    assert await remaining(svc, who.home, slot_id(MUSEUM, TODAY, 3)) == 40
    # The same visitors book again, then it is 15:01 on the day.
    second = await book(svc, who.home, slot_id(MUSEUM, TODAY, 3), ids(1, 2), key="k2")
    svc.clock.move(hours=5, minutes=1)
    before = outbox_count(svc.db)
    err = await rpc_error(svc.api.CancelReservation(pb.ReservationRef(id=second.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "until" in err.details()
    got = await svc.api.GetReservation(pb.ReservationRef(id=second.id), metadata=svc.md(who.home))
    assert got.state == "confirmed" and outbox_count(svc.db) == before
    err = await rpc_error(svc.api.CancelReservation(pb.ReservationRef(id=first.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "cancelled already"


async def test_three_no_shows_block_the_account_for_30_days(svc, who):
    for n in range(3):
        day = TOMORROW + dt.timedelta(days=n)
        await book(svc, who.home, slot_id(MUSEUM, day, 1), ids(1 + n, 1), key=f"k{n}")
        svc.clock.move(days=1)
    svc.clock.move(hours=8)  # the third slot has ended too
    err = await rpc_error(hold(svc, who.home, slot_id(MUSEUM, TODAY + dt.timedelta(days=5), 1), ids(9, 1), key="x"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "missed" in err.details()
    mine = await svc.api.ListMyReservations(pb.ListMyReservationsRequest(), metadata=svc.md(who.home))
    assert {r.state for r in mine.reservations} == {"no_show"} and not any(r.ticket_code for r in mine.reservations)
    svc.clock.move(days=30)
    ok = await hold(svc, who.home, slot_id(MUSEUM, TODAY + dt.timedelta(days=36), 1), ids(9, 1), key="y")
    assert ok.state == "held"


async def test_a_village_agent_books_their_own_villages_group_not_another(svc, who):
    slot = slot_id(MUSEUM, TOMORROW, 3)
    group = await book(svc, who.agent, slot, ids(200, 12), group=VILLAGE)
    assert group.party == 12 and group.group_village_code == VILLAGE and group.booked_by_name == "agent.kh"
    assert await remaining(svc, who.home, slot) == 28
    mine = await svc.api.ListMyReservations(pb.ListMyReservationsRequest(), metadata=svc.md(who.agent))
    assert [r.id for r in mine.reservations] == [group.id]
    before = reservation_count(svc.db)
    for caller, village, code in [
        (who.other_agent, VILLAGE, grpc.StatusCode.PERMISSION_DENIED),  # another village's group
        (who.agent, OTHER_VILLAGE, grpc.StatusCode.PERMISSION_DENIED),
        (who.home, VILLAGE, grpc.StatusCode.PERMISSION_DENIED),  # a household books no group
        (who.technician, VILLAGE, grpc.StatusCode.PERMISSION_DENIED),
        (who.agent, "", grpc.StatusCode.INVALID_ARGUMENT),
    ]:
        err = await rpc_error(hold(svc, caller, slot, ids(300, 3), key="g2", group=village))
        assert err.code() == code, (caller.username, village)
    err = await rpc_error(hold(svc, who.agent, slot, ids(300, 31), key="g3", group=VILLAGE))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "party" in field_errors_of(err)
    assert reservation_count(svc.db) == before


async def test_at_the_gate_a_ticket_enters_once_at_its_own_venue(svc, who):
    booked = await book(svc, who.home, slot_id(MUSEUM, TODAY, 2), ids(1, 3))
    gate = svc.md(who.gate)
    wrong = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(venue_id=HALL, ticket_code=booked.ticket_code), metadata=gate)
    )
    assert wrong.code() == grpc.StatusCode.FAILED_PRECONDITION and "venue_id" in field_errors_of(wrong)
    forged = booked.ticket_code[:-4] + ("AAAA" if not booked.ticket_code.endswith("AAAA") else "BBBB")
    err = await rpc_error(svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=forged), metadata=gate))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field_errors_of(err)["ticket_code"] == "forged"
    for garbage in ("T1.x.y", "hello", "T1." + "A" * 700):
        err = await rpc_error(svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=garbage), metadata=gate))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    done = await svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code), metadata=gate)
    assert done.reservation.state == "attended" and done.reservation.checked_in_at.seconds
    assert (
        done.occupancy.inside == 3 and done.occupancy.instantaneous_capacity == 60 and done.occupancy.entered_today == 3
    )
    svc.clock.move(minutes=5)
    reused = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code), metadata=gate)
    )
    assert reused.code() == grpc.StatusCode.FAILED_PRECONDITION and "10:00" in reused.details()
    svc.clock.move(minutes=90)
    later = await svc.api.GetOccupancy(pb.VenueRef(venue_id=MUSEUM), metadata=gate)
    assert later.inside == 0 and later.entered_today == 3, "out after the usual visit time; still entered today"
    # The key a gate verifies with offline.
    key = await svc.api.GetTicketKey(pb.GetTicketKeyRequest(), metadata=gate)
    assert key.algorithm == "Ed25519" and len(key.public_key) == 44


async def test_an_offline_gates_entries_are_uploaded_later_each_once_as_at_the_entry(svc, who):
    """The gate let a ticket in at 12:00 with no network (it verified the signature itself); the
    network is back at 14:00, after the slot ended (13:30): the entry counts as at 12:00, once."""
    booked = await book(svc, who.home, slot_id(MUSEUM, TODAY, 2), ids(1, 2))
    gate = svc.md(who.gate)
    svc.clock.move(hours=4)
    request = pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code)
    late = await rpc_error(svc.api.CheckIn(request, metadata=gate))
    assert late.code() == grpc.StatusCode.FAILED_PRECONDITION and "slot ended" in str(field_errors_of(late))
    for bad in (-1, 86401):
        upload = pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code, offline_seconds=bad)
        err = await rpc_error(svc.api.CheckIn(upload, metadata=gate))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "offline_seconds" in field_errors_of(err)
    before = outbox_count(svc.db)
    upload = pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code, offline_seconds=7200)
    done = await svc.api.CheckIn(upload, metadata=gate)
    assert done.reservation.state == "attended"
    assert done.reservation.checked_in_at.seconds == int(svc.clock().timestamp()) - 7200, "as at the entry"
    assert done.occupancy.entered_today == 2
    again = await rpc_error(svc.api.CheckIn(upload, metadata=gate))
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert field_errors_of(again)["ticket_code"] == "used already", "a retried upload enters once"
    assert outbox_count(svc.db) == before + 1, "one entry, one event"


async def test_two_offline_gates_let_one_ticket_in_the_second_upload_is_a_double_entry_not_a_visitor(svc, who):
    """Gates A and B were both offline and each let the same ticket in (A at 10:10, B at 10:20).
    A uploads first: the entry. B's upload is recorded as a double entry, once however often it is
    retried, and the occupancy counts the party once; the gate list shows both."""
    booked = await book(svc, who.home, slot_id(MUSEUM, TODAY, 2), ids(1, 2))
    gate = svc.md(who.gate)
    svc.clock.move(minutes=30)  # 10:30: both back online

    def upload(entry_id: str, seconds_ago: int) -> pb.CheckInRequest:
        return pb.CheckInRequest(
            venue_id=MUSEUM, ticket_code=booked.ticket_code, offline_seconds=seconds_ago, entry_id=entry_id
        )

    a = await svc.api.CheckIn(upload("gate-a-0001", 1200), metadata=gate)
    assert a.reservation.state == "attended" and not a.HasField("double_entry") and a.occupancy.entered_today == 2
    assert (await svc.api.CheckIn(upload("gate-a-0001", 1201), metadata=gate)) == a, "A's retry: the same answer"
    before = outbox_count(svc.db)
    b = await svc.api.CheckIn(upload("gate-b-0001", 600), metadata=gate)
    assert b.HasField("double_entry") and b.double_entry.reservation_id == booked.id and b.double_entry.party == 2
    assert b.double_entry.entered_at.seconds == int(svc.clock().timestamp()) - 600
    assert b.double_entry.first_entered_at.seconds == a.reservation.checked_in_at.seconds
    assert b.reservation.checked_in_at == a.reservation.checked_in_at, "the first entry stands"
    assert b.occupancy.entered_today == 2 and b.occupancy.inside == 2, "one visit, not two"
    again = await svc.api.CheckIn(upload("gate-b-0001", 605), metadata=gate)
    assert again.double_entry == b.double_entry, "B's retry is the same double entry"
    assert outbox_count(svc.db) == before, "a double entry changes no reservation"
    listed = await svc.api.ListGateEntries(pb.VenueRef(venue_id=MUSEUM), metadata=gate)
    assert [(e.reservation_id, e.party) for e in listed.entries] == [(booked.id, 2)]
    assert [d.entry_id for d in listed.double_entries] == ["gate-b-0001"]
    # Online (no entry id: it asks first), a used ticket is refused: nobody was let in, nothing to record.
    online = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=booked.ticket_code), metadata=gate)
    )
    assert (
        online.code() == grpc.StatusCode.FAILED_PRECONDITION
        and field_errors_of(online)["ticket_code"] == "used already"
    )
    # Bad input changes nothing; only gate staff see the list.
    for bad in ("x" * 37, "gate a", "门"):
        err = await rpc_error(svc.api.CheckIn(upload(bad, 60), metadata=gate))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "entry_id" in field_errors_of(err)
    err = await rpc_error(svc.api.ListGateEntries(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(svc.api.ListGateEntries(pb.VenueRef(venue_id="nowhere"), metadata=gate))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(svc.api.ListGateEntries(pb.VenueRef(venue_id=MUSEUM)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    listed_again = await svc.api.ListGateEntries(pb.VenueRef(venue_id=MUSEUM), metadata=gate)
    assert len(listed_again.double_entries) == 1 and len(listed_again.entries) == 1


async def test_a_ticket_for_another_day_or_a_cancelled_one_does_not_enter(svc, who):
    tomorrow = await book(svc, who.home, slot_id(MUSEUM, TOMORROW, 1), ids(1, 1))
    gate = svc.md(who.gate)
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=tomorrow.ticket_code), metadata=gate)
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    await svc.api.CancelReservation(pb.ReservationRef(id=tomorrow.id), metadata=svc.md(who.home))
    svc.clock.move(days=1)
    err = await rpc_error(
        svc.api.CheckIn(pb.CheckInRequest(venue_id=MUSEUM, ticket_code=tomorrow.ticket_code), metadata=gate)
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.parametrize(
    "request_, field",
    [
        (pb.HoldReservationRequest(slot_id="", visitor_id_numbers=["x"], idempotency_key="k"), "slot_id"),
        (pb.HoldReservationRequest(slot_id=f"{MUSEUM}/2026-12-02/1", idempotency_key="k"), "visitor_id_numbers"),
        (
            pb.HoldReservationRequest(
                slot_id=f"{MUSEUM}/2026-12-02/1", visitor_id_numbers=["330411198000000010"], idempotency_key="k"
            ),
            "visitor_id_numbers",
        ),  # a wrong check digit
        (pb.HoldReservationRequest(slot_id=f"{MUSEUM}/2026-12-02/1", visitor_id_numbers=ids(1, 1)), "idempotency_key"),
        (
            pb.HoldReservationRequest(slot_id="a/b", visitor_id_numbers=ids(1, 1), idempotency_key="k"),
            "slot_id",
        ),
        (
            pb.HoldReservationRequest(
                slot_id=f"{MUSEUM}/2026-12-02/1", visitor_id_numbers=ids(1, 1), idempotency_key="k" * 101
            ),
            "idempotency_key",
        ),
        (
            pb.HoldReservationRequest(
                slot_id=f"{MUSEUM}/2026-12-02/1", visitor_id_numbers=ids(1, 1) * 2, idempotency_key="k"
            ),
            "visitor_id_numbers",
        ),
    ],
)
async def test_bad_input_is_invalid_argument_naming_the_field_and_changes_nothing(svc, who, request_, field):
    err = await rpc_error(svc.api.HoldReservation(request_, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert reservation_count(svc.db) == 0 and outbox_count(svc.db) == 0


async def test_who_may_call_what(svc, who):
    err = await rpc_error(svc.api.ListVenues(pb.ListVenuesRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(svc.api.GetOccupancy(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    for call in (
        svc.api.GetVenue(pb.VenueRef(venue_id="nowhere"), metadata=svc.md(who.home)),
        svc.api.ListSlots(pb.VenueRef(venue_id="nowhere"), metadata=svc.md(who.home)),
        svc.api.GetReservation(pb.ReservationRef(id="0" * 36), metadata=svc.md(who.home)),
        hold(svc, who.home, f"{MUSEUM}/0001-01-02/1", ids(1, 1)),  # no slot on a day no calendar reaches
        hold(svc, who.home, f"{MUSEUM}/9999-12-30/1", ids(1, 1)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    for call in (
        svc.api.ListVenues(pb.ListVenuesRequest(kind="casino"), metadata=svc.md(who.home)),
        svc.api.ListEvents(pb.ListEventsRequest(from_date="2026-13-01"), metadata=svc.md(who.home)),
        svc.api.ListEvents(pb.ListEventsRequest(days=32), metadata=svc.md(who.home)),
        svc.api.ListEvents(pb.ListEventsRequest(from_date="9999-12-31"), metadata=svc.md(who.home)),
        svc.api.GetReservation(pb.ReservationRef(id=""), metadata=svc.md(who.home)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.INVALID_ARGUMENT


async def wait(svc, caller, slot, visitors, key="w1"):
    request = pb.HoldReservationRequest(slot_id=slot, visitor_id_numbers=visitors, idempotency_key=key)
    return await svc.api.JoinWaitingList(request, metadata=svc.md(caller))


async def test_a_full_slots_waiting_list_gets_offers_in_order_that_lapse(svc, who):
    slot = slot_id(MUSEUM, TOMORROW, 2)  # 30 places
    err = await rpc_error(wait(svc, who.home, slot, ids(1, 2)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "slot_id" in field_errors_of(err), "not full yet"
    booked = [await book(svc, household(f"hh-full-{i}"), slot, ids(100 + 5 * i, 5)) for i in range(6)]
    first = await wait(svc, who.home, slot, ids(1, 2))
    second = await wait(svc, who.neighbour, slot, ids(10, 3))
    third = await wait(svc, household("hh-third"), slot, ids(20, 2))
    fourth = await wait(svc, household("hh-fourth"), slot, ids(30, 5))
    assert (first.state, first.state_label, second.state) == ("waiting", "候补中", "waiting")
    err = await rpc_error(wait(svc, who.neighbour, slot, ids(10, 3), key="w2"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS, "the same visitors once a day, waiting too"
    # A party of 5 cancels: the first two in line (2 + 3) get offers, the others wait.
    await svc.api.CancelReservation(pb.ReservationRef(id=booked[0].id), metadata=svc.md(household("hh-full-0")))
    get = svc.api.GetReservation
    offered = await get(pb.ReservationRef(id=first.id), metadata=svc.md(who.home))
    assert offered.state == "offered" and offered.expires_at.seconds - svc.clock().timestamp() == 60 * 60
    assert (await get(pb.ReservationRef(id=second.id), metadata=svc.md(who.neighbour))).state == "offered"
    assert (await get(pb.ReservationRef(id=third.id), metadata=svc.md(household("hh-third")))).state == "waiting"
    assert await remaining(svc, who.home, slot) is None, "the offers keep the places"
    confirmed = await svc.api.ConfirmReservation(pb.ReservationRef(id=first.id), metadata=svc.md(who.home))
    assert confirmed.state == "confirmed" and confirmed.ticket_code
    # The second offer lapses: at the slot's next booking its 3 places go first to the line (the third,
    # 2 people; the fourth's 5 do not fit and it keeps its place), then 1 to the newcomer.
    svc.clock.move(minutes=61)
    err = await rpc_error(svc.api.ConfirmReservation(pb.ReservationRef(id=second.id), metadata=svc.md(who.neighbour)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    late = await hold(svc, household("hh-late"), slot, ids(40, 1))
    assert late.state == "held"
    assert (await get(pb.ReservationRef(id=third.id), metadata=svc.md(household("hh-third")))).state == "offered"
    assert (await get(pb.ReservationRef(id=fourth.id), metadata=svc.md(household("hh-fourth")))).state == "waiting"
    err = await rpc_error(hold(svc, household("hh-later"), slot, ids(50, 1)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "0 places left" in err.details()
    # Leaving the waiting list.
    left = await svc.api.CancelReservation(pb.ReservationRef(id=fourth.id), metadata=svc.md(household("hh-fourth")))
    assert left.state == "cancelled"


async def test_the_museums_five_galleries_have_exhibits_with_stories_and_an_audio_guide(svc, who):
    md = svc.md(who.home)
    found = await svc.api.ListGalleries(pb.VenueRef(venue_id=MUSEUM), metadata=md)
    venue = await svc.api.GetVenue(pb.VenueRef(venue_id=MUSEUM), metadata=md)
    assert found.venue_name == "嘉兴市乡村广播记忆馆" and "check" in found.check
    assert [g.name for g in found.galleries] == list(venue.galleries), "the venue's five galleries, in order"
    assert len(found.galleries) == 5 and {g.floor for g in found.galleries} == {1, 2}
    exhibits = [e for g in found.galleries for e in g.exhibits]
    assert all(g.exhibits and g.intro for g in found.galleries)
    assert all(e.story and e.guide_text and e.era and e.gallery_id and "story" in e.check for e in exhibits)
    assert len({e.id for e in exhibits}) == len(exhibits)
    assert any(e.name == "兴农直播间" for e in found.galleries[-1].exhibits), "the farm-programme studio"
    err = await rpc_error(svc.api.ListGalleries(pb.VenueRef(venue_id=HALL), metadata=md))
    assert err.code() == grpc.StatusCode.NOT_FOUND and "venue_id" in field_errors_of(err)
    err = await rpc_error(svc.api.ListGalleries(pb.VenueRef(venue_id=""), metadata=md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = await rpc_error(svc.api.ListGalleries(pb.VenueRef(venue_id=MUSEUM)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
