"""What the runtime runs of opinions (python -m opinions [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from opinions import events, store
from opinions.servicer import OpinionsServicer
from runtime.service import Service, consumer
from sbc.opinions.v1 import opinions_pb2, opinions_pb2_grpc

SERVICE = Service(
    name="opinions",
    proto=opinions_pb2,
    register=opinions_pb2_grpc.add_OpinionsServiceServicer_to_server,
    servicer=lambda ctx: OpinionsServicer(ctx.db, store.load_audiences()),
    # The households known by their boxes, from identity's devices topic.
    workers={"households": consumer(events.HANDLERS)},
)
