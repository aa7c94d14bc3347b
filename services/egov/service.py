"""What the runtime runs of e-government (python -m egov [serve|relay|scheduler|all|migrate]); the
registry (charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from egov import handlers, store
from egov.servicer import EgovServicer, register
from runtime import objects
from runtime.households import IdentityHouseholds
from runtime.service import Context, Service, periodic
from runtime.times import utcnow
from sbc.egov.v1 import egov_pb2


def scheduler_pass(ctx: Context, clock: Callable[[], dt.datetime] = utcnow):
    """The day-before reminders of appointments, and the invitations to rate completed applications."""
    catalogs = store.load_catalogs()

    def tick() -> None:
        handlers.remind_appointments(store.UnitOfWork(ctx.db), catalogs, clock())
        handlers.invite_ratings(store.UnitOfWork(ctx.db), catalogs, clock())

    return tick


SERVICE = Service(
    name="egov",
    proto=egov_pb2,
    register=register,
    servicer=lambda ctx: EgovServicer(
        ctx.db,
        store.load_catalogs(),
        households=IdentityHouseholds(ctx.settings.identity_addr),
        objects=objects.from_env("egov"),
    ),
    workers={"scheduler": periodic(scheduler_pass, every="EGOV_CHECK_SECONDS", default=60)},
)
