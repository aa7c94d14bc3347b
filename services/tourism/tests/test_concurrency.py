"""Never oversold, on PostgreSQL: hundreds of households ask at the same moment for the last places
of an entry slot, through the real gRPC server (its database threads run the transactions side by
side); the slot's row lock lets exactly as many in as there are places."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from sqlalchemy import select

from runtime.testing import household
from sbc.tourism.v1 import tourism_pb2 as pb
from tourism import store
from tourism.tests.conftest import MUSEUM, TOMORROW, ids, slot_id

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

ATTEMPTS = 300


@pytest.fixture
def database_url(new_pg_database) -> str:
    return new_pg_database()


async def test_hundreds_of_simultaneous_bookings_for_the_last_places_never_oversell(svc):
    slot = slot_id(MUSEUM, TOMORROW, 1)  # 40 places
    for i in range(11):  # 33 taken: 7 left
        r = pb.HoldReservationRequest(slot_id=slot, visitor_id_numbers=ids(1 + 3 * i, 3), idempotency_key="k")
        await svc.api.HoldReservation(r, metadata=svc.md(household(f"hh-early-{i}")))

    async def attempt(n: int) -> str:
        r = pb.HoldReservationRequest(slot_id=slot, visitor_id_numbers=ids(1000 + n, 1), idempotency_key="k")
        try:
            await svc.api.HoldReservation(r, metadata=svc.md(household(f"hh-storm-{n}")))
            return "held"
        except grpc.aio.AioRpcError as e:
            return e.code().name + ":" + e.details()

    outcomes = await asyncio.gather(*(attempt(n) for n in range(ATTEMPTS)))
    held = outcomes.count("held")
    refused = {o for o in outcomes if o != "held"}
    assert held == 7, (held, refused)
    assert refused == {"FAILED_PRECONDITION:0 places left, 1 needed"}, refused
    with svc.db.transaction() as s:
        parties = list(s.scalars(select(store.reservations.c.party).where(store.reservations.c.slot_id == slot)))
    assert sum(parties) == 40 and len(parties) == 11 + 7, "0 oversold, exactly the places there were"
    cal = await svc.api.ListSlots(pb.VenueRef(venue_id=MUSEUM), metadata=svc.md(household()))
    assert slot not in [s.id for s in cal.slots], "a full slot is not offered"
