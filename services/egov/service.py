"""What the runtime runs of e-government (python -m egov [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from egov import store
from egov.servicer import EgovServicer, register
from runtime.service import Service
from sbc.egov.v1 import egov_pb2

SERVICE = Service(
    name="egov",
    proto=egov_pb2,
    register=register,
    servicer=lambda ctx: EgovServicer(ctx.db, store.load_catalogs()),
    workers={},
)
