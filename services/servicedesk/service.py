"""What the runtime runs of the service desk
(python -m servicedesk [serve|relay|scheduler|assessment|all|migrate])."""

from __future__ import annotations

from runtime.households import IdentityHouseholds
from runtime.service import Service, consumer, periodic
from sbc.servicedesk.v1 import servicedesk_pb2, servicedesk_pb2_grpc
from servicedesk import assessment, handlers
from servicedesk.scheduler import SlaScheduler
from servicedesk.servicer import PUBLIC_METHODS, ServiceDeskServicer

SERVICE = Service(
    name="servicedesk",
    proto=servicedesk_pb2,
    register=servicedesk_pb2_grpc.add_ServiceDeskServiceServicer_to_server,
    servicer=lambda ctx: ServiceDeskServicer(ctx.db, households=IdentityHouseholds(ctx.settings.identity_addr)),
    public_methods=frozenset(PUBLIC_METHODS),
    workers={
        "scheduler": periodic(
            lambda ctx: (
                SlaScheduler(
                    ctx.db, {code: desk.standards for code, desk in handlers.Desks.load().by_district.items()}
                ).tick
            ),
            every="SLA_SCAN_SECONDS",
            default=5,
        ),
        "assessment": consumer(assessment.HANDLERS),
    },
)
