"""What the runtime runs of eldercare (python -m eldercare [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from eldercare.servicer import EldercareServicer
from runtime.service import Service
from sbc.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc

SERVICE = Service(
    name="eldercare",
    proto=eldercare_pb2,
    register=eldercare_pb2_grpc.add_EldercareServiceServicer_to_server,
    servicer=lambda ctx: EldercareServicer(ctx.db),
    # A worker per consumer or periodic process of the registry, e.g.
    # "reminders": runtime.service.consumer(events.HANDLERS).
    workers={},
)
