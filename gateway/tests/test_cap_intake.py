"""A department's CAP through the real gateway (uvicorn, its body limits) to the real alerts
service (its gRPC server on SQLite, the runtime's message size): the bytes as sent, in the
encoding their declaration names, several MiB with embedded audio; 413 only past
ALERTS_CAP_MAX_BYTES, and only on this route (every other body still stops at 64 KiB)."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent import futures

import grpc
import httpx
import pytest
import pytest_asyncio
from grpc_health.v1 import health, health_pb2_grpc

from alerts import cap, store
from alerts.service import SERVICE
from alerts.tests.support import FLOOD, RAINSTORM, TRUSTED
from alerts.tests.test_real_world_cap import with_audio
from gateway.tests.test_rate_limit import running_gateway
from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


class Jwks(identity_pb2_grpc.IdentityServiceServicer):
    """Identity's published keys: those the tests' tokens are signed with."""

    def __init__(self, jwks: str):
        self.jwks = jwks

    def GetJwks(self, request, context):
        return identity_pb2.Jwks(json=self.jwks)


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(grpc_service, tokens, tmp_path):
    running = await grpc_service(SERVICE, f"sqlite:///{tmp_path / 'alerts.db'}")
    identity = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(Jwks(tokens.signer.jwks()), identity)
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), identity)
    port = identity.add_insecure_port("127.0.0.1:0")
    identity.start()
    with contextlib.ExitStack() as stack:
        base = await asyncio.to_thread(
            stack.enter_context,
            running_gateway(
                alerts_addr=f"127.0.0.1:{running.port}", identity_addr=f"127.0.0.1:{port}", backend_timeout=60.0
            ),
        )
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            client.headers["Authorization"] = f"Bearer {tokens.mint(TRUSTED)}"
            yield client, running
        await asyncio.to_thread(stack.close)
    identity.stop(0)


def count(running) -> int:
    with store.UnitOfWork(running.db) as uow:
        return len(uow.alerts.issued())


async def test_cap_in_a_declared_encoding_and_of_several_mib_is_accepted_through_the_gateway(gateway):
    client, running = gateway
    gb = RAINSTORM.replace('encoding="UTF-8"', 'encoding="GB18030"').encode("gb18030")
    r = await client.post("/v1/alerts/cap", content=gb, headers={"Content-Type": "application/cap+xml"})
    assert r.status_code == 201, r.text
    assert r.json()["texts"][0]["headline"] == "秀洲区气象台发布暴雨黄色预警"
    big = with_audio(FLOOD, 5 * 1024 * 1024).encode()
    assert len(big) > 6 * 1024 * 1024
    r = await client.post("/v1/alerts/cap", content=big, headers={"Content-Type": "application/xml"})
    assert r.status_code == 201, r.text
    assert count(running) == 2


async def test_bad_cap_through_the_gateway_is_refused_and_changes_nothing(gateway):
    client, running = gateway
    cases = [
        ("application/cap+xml", RAINSTORM.replace('<?xml version="1.0" encoding="UTF-8"?>', "").encode("gb18030"), 400),
        ("application/cap+xml", with_audio(FLOOD, cap.DEFAULT_MAX_BYTES).encode(), 413),
        ("application/json", FLOOD.encode(), 415),
    ]
    for ctype, raw, status in cases:
        r = await client.post("/v1/alerts/cap", content=raw, headers={"Content-Type": ctype})
        assert r.status_code == status, (status, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json")
        if status == 400:
            assert "declares no encoding" in r.json()["detail"]
    assert count(running) == 0
    # The larger limit is this route's only: a draft of 100 KiB still gets 413.
    r = await client.post(
        "/v1/alerts", content=b'{"headline": "' + b"x" * 100_000 + b'"}', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413
