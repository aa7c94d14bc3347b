"""What the runtime runs of tourism (python -m tourism [serve|relay|scheduler|all|migrate]); the
registry (charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from runtime.service import Context, Service, periodic
from runtime.times import utcnow
from sbc.tourism.v1 import tourism_pb2, tourism_pb2_grpc
from tourism import handlers, store
from tourism.servicer import TourismServicer


def scheduler_pass(ctx: Context, clock: Callable[[], dt.datetime] = utcnow):
    """Lapsed holds and offers expire, and their places are offered to the waiting list at once."""
    places = store.load_places()
    setups = {code: handlers.Setup.of(p) for code, p in places.by_district.items()}

    def tick() -> None:
        handlers.release_lapsed(
            store.UnitOfWork(ctx.db), lambda venue_id: setups[places.of_venue(venue_id).district_code], clock()
        )

    return tick


SERVICE = Service(
    name="tourism",
    proto=tourism_pb2,
    register=tourism_pb2_grpc.add_TourismServiceServicer_to_server,
    servicer=lambda ctx: TourismServicer(ctx.db, store.load_places()),
    workers={"scheduler": periodic(scheduler_pass, every="TOURISM_CHECK_SECONDS", default=10)},
)
