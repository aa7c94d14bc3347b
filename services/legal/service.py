"""What the runtime runs of legal (python -m legal [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from legal import store
from legal.servicer import LegalServicer
from runtime.service import Service
from sbc.legal.v1 import legal_pb2, legal_pb2_grpc

SERVICE = Service(
    name="legal",
    proto=legal_pb2,
    register=legal_pb2_grpc.add_LegalServiceServicer_to_server,
    servicer=lambda ctx: LegalServicer(ctx.db, store.load_districts()),
    workers={},
)
