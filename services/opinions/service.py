"""What the runtime runs of opinions (python -m opinions [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from opinions import store
from opinions.servicer import OpinionsServicer
from runtime.service import Service
from sbc.opinions.v1 import opinions_pb2, opinions_pb2_grpc

SERVICE = Service(
    name="opinions",
    proto=opinions_pb2,
    register=opinions_pb2_grpc.add_OpinionsServiceServicer_to_server,
    servicer=lambda ctx: OpinionsServicer(ctx.db, store.load_audiences()),
    # A worker per consumer or periodic process of the registry, e.g.
    # "reminders": runtime.service.consumer(events.HANDLERS).
    workers={},
)
