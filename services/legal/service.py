"""What the runtime runs of legal (python -m legal [serve|relay|scheduler|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from legal import handlers, store
from legal.servicer import LegalServicer
from legal.store import UnitOfWork
from runtime.households import IdentityHouseholds
from runtime.service import Service, periodic
from runtime.times import utcnow
from sbc.legal.v1 import legal_pb2, legal_pb2_grpc


def scheduler_pass(ctx, clock=utcnow):
    """Consultations escalate to the judicial office on time, and lapsed waiting-list offers move on
    to the next waiting, not on someone's next call."""
    districts = store.load_districts(store.configured_data_dir())

    def tick() -> None:
        now = clock()
        handlers.escalate_due(UnitOfWork(ctx.db), districts, now)
        handlers.move_lapsed_offers(UnitOfWork(ctx.db), districts, now)

    return tick


SERVICE = Service(
    name="legal",
    proto=legal_pb2,
    register=legal_pb2_grpc.add_LegalServiceServicer_to_server,
    servicer=lambda ctx: LegalServicer(
        ctx.db,
        store.load_districts(store.configured_data_dir()),
        households=IdentityHouseholds(ctx.settings.identity_addr),
    ),
    workers={
        # Waiting consultations escalate at 80% and 100% of their answer time; lapsed offers move on.
        "scheduler": periodic(scheduler_pass, every="LEGAL_CHECK_SECONDS", default=5),
    },
)
