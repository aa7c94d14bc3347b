"""What the runtime runs of tourism (python -m tourism [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from runtime.service import Service
from sbc.tourism.v1 import tourism_pb2, tourism_pb2_grpc
from tourism import store
from tourism.servicer import TourismServicer

SERVICE = Service(
    name="tourism",
    proto=tourism_pb2,
    register=tourism_pb2_grpc.add_TourismServiceServicer_to_server,
    servicer=lambda ctx: TourismServicer(ctx.db, store.load_places()),
    workers={},
)
