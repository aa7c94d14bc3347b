"""What the runtime runs of evaluation (python -m evaluation [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from evaluation.servicer import EvaluationServicer
from runtime.service import Service
from sbc.evaluation.v1 import evaluation_pb2, evaluation_pb2_grpc

SERVICE = Service(
    name="evaluation",
    proto=evaluation_pb2,
    register=evaluation_pb2_grpc.add_EvaluationServiceServicer_to_server,
    servicer=lambda ctx: EvaluationServicer(ctx.db),
    # A worker per consumer or periodic process of the registry, e.g.
    # "reminders": runtime.service.consumer(events.HANDLERS).
    workers={},
)
