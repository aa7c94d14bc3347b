"""The alerts service's server under test, on SQLite and PostgreSQL (the runtime's plugin)."""

from __future__ import annotations

import pytest_asyncio

from alerts.service import SERVICE
from alerts.tests.support import Svc
from sbc.alerts.v1 import alerts_pb2_grpc


@pytest_asyncio.fixture(loop_scope="session")
async def svc(grpc_service, database_url, monkeypatch) -> Svc:
    # The tests' loudspeaker controllers listen on 127.0.0.1 (a local run's extra network).
    monkeypatch.setenv("ALERTS_LOUDSPEAKER_LOCAL_NETWORKS", "127.0.0.1/32")
    running = await grpc_service(SERVICE, database_url)
    return Svc(running, running.stub(alerts_pb2_grpc.AlertServiceStub))
