"""The gateway with a Redis that is down or frozen (running, not answering): it stays ready, a TV's
call still gets its answer, the rate limits hold in the process's memory, and /status says what is
away. The Redis here is one of this test's own (a redis-server on a free port, frozen with
SIGSTOP by its pid), never the shared one; the service desk is a small real gRPC server."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from concurrent import futures

import grpc
import httpx
import pytest
import redis
from grpc_health.v1 import health, health_pb2_grpc

from gateway.tests.test_rate_limit import Keys, free_port, running_gateway, unused_addr
from sbc.identity.v1 import identity_pb2_grpc
from sbc.servicedesk.v1 import servicedesk_pb2, servicedesk_pb2_grpc

pytestmark = pytest.mark.infra

LIMIT = 5


class Desk(servicedesk_pb2_grpc.ServiceDeskServiceServicer):
    def ListMyServiceRequests(self, request, context):
        return servicedesk_pb2.ListMyServiceRequestsResponse()


@pytest.fixture(scope="module")
def backends():
    """Identity's keys and the service desk, on one small gRPC server."""
    keys = Keys()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(keys, server)
    servicedesk_pb2_grpc.add_ServiceDeskServiceServicer_to_server(Desk(), server)
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    keys.addr = f"127.0.0.1:{port}"
    yield keys
    server.stop(0)


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test only; stopped (and first woken) by its pid."""
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield proc, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(10)


def wait_for_status(c: httpx.Client, dependency: str, state_prefix: str) -> dict:
    deadline = time.monotonic() + 10
    while True:
        body = c.get("/status").json()
        if body["dependencies"].get(dependency, {}).get("state", "").startswith(state_prefix):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


@pytest.mark.parametrize("fault", ["frozen", "down"])
def test_with_redis_frozen_or_down_a_tv_is_served_and_limited_in_memory(backends, own_redis, kafka_bootstrap, fault):
    proc, redis_url = own_redis
    with (
        running_gateway(
            identity_addr=backends.addr,
            servicedesk_addr=backends.addr,
            notifications_addr=unused_addr(),
            redis_url=redis_url,
            kafka_bootstrap_servers=kafka_bootstrap,
            rate_limit_ip=f"{LIMIT}/minute",
            rate_limit_device=f"{LIMIT}/minute",
        ) as url,
        httpx.Client(base_url=url, timeout=5) as c,
    ):
        auth = {"Authorization": f"Bearer {backends.token('device:degraded-' + fault)}"}
        assert c.get("/v1/servicedesk/requests", headers=auth).status_code == 200
        assert wait_for_status(c, "redis", "SERVING")["dependencies"]["redis"]["rate_limits"] == "in Redis"

        if fault == "frozen":
            os.kill(proc.pid, signal.SIGSTOP)
        else:
            proc.terminate()
            proc.wait(10)
        # Before the fix a frozen Redis held this call for more than 10 s; the client's 5 s
        # timeout fails the test then.
        r = c.get("/v1/servicedesk/requests", headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["requests"] == []
        assert c.get("/readyz").json() == {"status": "ready"}

        status = wait_for_status(c, "redis", "DOWN")
        assert status["status"] == "degraded"
        assert status["dependencies"]["redis"]["rate_limits"].startswith("in memory")
        assert status["dependencies"]["servicedesk"]["state"] == "SERVING"
        assert status["dependencies"]["notifications"]["state"] == "UNAVAILABLE"

        # The limit still holds, counted in this process: the device's calls past it are 429.
        answers = [c.get("/v1/servicedesk/requests", headers=auth).status_code for _ in range(LIMIT)]
        assert 429 in answers and set(answers) <= {200, 429}, answers
        limited = c.get("/v1/servicedesk/requests", headers=auth)
        assert limited.status_code == 429 and limited.headers["retry-after"].isdigit()
        # Another terminal is not held back by the first one's calls.
        other = {"Authorization": f"Bearer {backends.token('device:degraded-other-' + fault)}"}
        assert c.get("/v1/servicedesk/requests", headers=other).status_code == 200


def test_with_the_signing_keys_unreachable_a_valid_token_is_503_not_401(backends, redis_url, kafka_bootstrap):
    """A 401 invalid_token makes a standard client throw its token away, and a TV would then need
    someone on the phone to sign it in again: a token that could not be checked is a 503."""
    with (
        running_gateway(
            identity_addr=unused_addr(),  # where identity's keys are not
            servicedesk_addr=backends.addr,
            redis_url=redis_url.rsplit("/", 1)[0] + "/15",
            kafka_bootstrap_servers=kafka_bootstrap,
        ) as url,
        httpx.Client(base_url=url, timeout=10) as c,
    ):
        r = c.get("/v1/servicedesk/requests", headers={"Authorization": f"Bearer {backends.token('device:no-keys')}"})
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["retry-after"].isdigit()
    assert "invalid_token" not in r.headers.get("www-authenticate", "")
    assert "keys" in r.json()["detail"]
