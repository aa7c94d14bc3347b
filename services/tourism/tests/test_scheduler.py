"""The tourism scheduler over real gRPC on a clock the test moves (SQLite and PostgreSQL): a hold
that lapses hands its places to the waiting list at once, in order and by party size, the offers
lapse in their turn and go on down the line, and a waiting entry ends when its slot starts; each
change is an event on the reservations topic (through the outbox)."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from sqlalchemy import select

from runtime.outbox import outbox_table
from runtime.testing import household
from sbc.events.v1 import tourism_events_pb2 as events_pb2
from sbc.tourism.v1 import tourism_pb2 as pb
from tourism.service import scheduler_pass
from tourism.tests.conftest import MUSEUM, TOMORROW, ids, slot_id
from tourism.tests.test_grpc import book, hold, outbox_count, remaining

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def last_events(db, n: int) -> list[events_pb2.TourismReservationChanged]:
    """The last n reservation events in the outbox, oldest first (what the relay puts on Kafka)."""
    table = outbox_table()
    with db.transaction() as s:
        rows = s.execute(select(table.c.payload).order_by(table.c.seq.desc()).limit(n)).scalars().all()
    return [events_pb2.TourismReservationChanged.FromString(bytes(p)) for p in reversed(rows)]


async def wait(svc, caller, slot, visitors, key="w1"):
    request = pb.HoldReservationRequest(slot_id=slot, visitor_id_numbers=visitors, idempotency_key=key)
    return await svc.api.JoinWaitingList(request, metadata=svc.md(caller))


async def state(svc, caller, reservation) -> str:
    return (await svc.api.GetReservation(pb.ReservationRef(id=reservation.id), metadata=svc.md(caller))).state


async def test_lapsed_holds_and_offers_go_down_the_waiting_list_at_once(svc, who):
    run = scheduler_pass(types.SimpleNamespace(db=svc.db), clock=svc.clock)  # the scheduler has no gRPC server
    slot = slot_id(MUSEUM, TOMORROW, 2)  # 30 places
    for i in range(5):
        await book(svc, household(f"hh-s{i}"), slot, ids(200 + 5 * i, 5))
    late = household("hh-slow")
    held = await hold(svc, late, slot, ids(300, 5))  # never confirmed
    a, b, c = household("hh-a"), household("hh-b"), household("hh-c")
    first = await wait(svc, a, slot, ids(1, 2))
    second = await wait(svc, b, slot, ids(10, 4))
    third = await wait(svc, c, slot, ids(20, 5))
    run()
    assert [await state(svc, x, r) for x, r in ((a, first), (b, second), (c, third))] == ["waiting"] * 3

    # The hold lapses (30 minutes): at the next pass, with no booking in between, its 5 places are
    # offered: 2 to the first, then the second's 4 do not fit, the third's 5 neither: they wait.
    svc.clock.move(minutes=31)
    events = outbox_count(svc.db)
    run()
    assert await state(svc, late, held) == "expired"
    assert [await state(svc, x, r) for x, r in ((a, first), (b, second), (c, third))] == [
        "offered",
        "waiting",
        "waiting",
    ]
    offer = await svc.api.GetReservation(pb.ReservationRef(id=first.id), metadata=svc.md(a))
    assert offer.expires_at.seconds - svc.clock().timestamp() == 60 * 60, "an offer keeps its places an hour"
    assert await remaining(svc, a, slot) == 3, "what the line cannot use is bookable"
    assert outbox_count(svc.db) == events + 2, "the expiry and the offer are each an event"
    told = last_events(svc.db, 2)
    assert [(e.reservation_id, e.state) for e in told] == [(held.id, "expired"), (first.id, "offered")]
    assert told[1].household_id == "hh-a" and told[1].expires_at.seconds == offer.expires_at.seconds
    # The lapsed hold's visitors may book again, and a second pass changes nothing.
    run()
    assert outbox_count(svc.db) == events + 2
    again = await hold(svc, household("hh-slow"), slot, ids(300, 1), key="again")
    assert again.state == "held"

    # The offer lapses (60 minutes) and so does the new hold: 2 + 1 + 3 free places, the second's 4 fit.
    svc.clock.move(minutes=61)
    run()
    assert [await state(svc, x, r) for x, r in ((a, first), (b, second), (c, third))] == [
        "expired",
        "offered",
        "waiting",
    ]
    confirmed = await svc.api.ConfirmReservation(pb.ReservationRef(id=second.id), metadata=svc.md(b))
    assert confirmed.state == "confirmed" and confirmed.ticket_code

    # When the slot starts, whoever still waits has waited in vain: expired, and told so.
    svc.clock.at = dt.datetime.fromtimestamp(confirmed.starts_at.seconds, dt.UTC)
    events = outbox_count(svc.db)
    run()
    assert await state(svc, c, third) == "expired" and outbox_count(svc.db) == events + 1
