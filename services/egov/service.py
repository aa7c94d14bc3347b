"""What the runtime runs of egov (python -m egov [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from egov.servicer import EgovServicer
from runtime.service import Service
from sbc.egov.v1 import egov_pb2, egov_pb2_grpc

SERVICE = Service(
    name="egov",
    proto=egov_pb2,
    register=egov_pb2_grpc.add_EgovServiceServicer_to_server,
    servicer=lambda ctx: EgovServicer(ctx.db),
    # A worker per consumer or periodic process of the registry, e.g.
    # "reminders": runtime.service.consumer(events.HANDLERS).
    workers={},
)
