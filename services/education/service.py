"""What the runtime runs of education (python -m education [serve|relay|playout|alerts|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from education import events, playout, store
from education.servicer import EducationServicer
from runtime.service import Service, consumer
from sbc.education.v1 import education_pb2, education_pb2_grpc

SERVICE = Service(
    name="education",
    proto=education_pb2,
    register=education_pb2_grpc.add_EducationServiceServicer_to_server,
    servicer=lambda ctx: EducationServicer(ctx.db, store.load_districts()),
    workers={
        "playout": playout.worker,
        "alerts": consumer(events.HANDLERS),
    },
)
