"""What the runtime runs of evaluation (python -m evaluation [serve|assessment|all|migrate]); the
registry (charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from evaluation import events
from evaluation.servicer import EvaluationServicer
from runtime.service import Service, consumer
from sbc.evaluation.v1 import evaluation_pb2, evaluation_pb2_grpc

SERVICE = Service(
    name="evaluation",
    proto=evaluation_pb2,
    register=evaluation_pb2_grpc.add_EvaluationServiceServicer_to_server,
    servicer=lambda ctx: EvaluationServicer(ctx.db),
    # The assessment read model: every service's events, folded into its counters (its handlers
    # touch only its database, so a poll's records go in batches of one transaction each).
    workers={"assessment": consumer(events.HANDLERS, batch_size=events.BATCH_SIZE)},
)
