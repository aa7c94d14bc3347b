"""The gateway's Redis-backed rate limits, per IP and per device, against the
real Redis: the real gateway app under uvicorn (in a thread, on a free port)
with tiny limits. Its backends need not exist: the limit is checked before any
backend call, except identity's published keys, which a small real gRPC server
here serves so that the gateway verifies tokens the way it always does.

Each test talks from loopback addresses of its own (127.x.y.z, chosen at
random), so its limit buckets are new even when the suite is run again within
the window; the keys it made are deleted afterwards."""

from __future__ import annotations

import contextlib
import json
import pathlib
import random
import socket
import threading
import time
import uuid
from concurrent import futures

import grpc
import httpx
import jwt
import pytest
import redis
import uvicorn
import yaml
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.app import create_app
from gateway.settings import GatewaySettings
from runtime import registry
from runtime.auth import ALGORITHM, AUDIENCE, ISSUER, Caller, CallerKind
from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

pytestmark = pytest.mark.infra

LIMIT = 3  # per minute, for both buckets
KID = "rate-limit-test-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unused_addr() -> str:
    """A port nobody listens on: the backends the limit must never reach."""
    return f"127.0.0.1:{free_port()}"


class Keys(identity_pb2_grpc.IdentityServiceServicer):
    """Identity's GetJwks, on a key of this test; every other call is UNIMPLEMENTED."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        jwk = jwt.algorithms.ECAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        self.jwks = {"keys": [{**jwk, "kid": KID, "use": "sig", "alg": ALGORITHM}]}

    def GetJwks(self, request, context):
        return identity_pb2.Jwks(json=json.dumps(self.jwks))

    def token(self, subject: str) -> str:
        now = int(time.time())
        caller = Caller(
            subject=subject, kind=CallerKind.DEVICE, household_id="hh-rate", device_id=subject, area_code="330411101001"
        )
        return jwt.encode(
            {**caller.claims(), "iat": now, "exp": now + 600, "iss": ISSUER, "aud": AUDIENCE},
            self.key,
            algorithm=ALGORITHM,
            headers={"kid": KID},
        )


@pytest.fixture(scope="module")
def redis_db15(redis_url) -> str:
    """The gateway's limits go to Redis database 15, away from everything else."""
    return redis_url.rsplit("/", 1)[0] + "/15"


@pytest.fixture(scope="module")
def keys():
    servicer = Keys()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    servicer.addr = f"127.0.0.1:{port}"
    yield servicer
    server.stop(0)


@contextlib.contextmanager
def running_gateway(**overrides):
    """The real gateway app under uvicorn in a thread, on a free port."""
    # <service>_addr=... names a backend; the others point where nothing listens.
    backends = {svc.name: overrides.pop(f"{svc.name}_addr", "") or unused_addr() for svc in registry.load().public()}
    # Whose X-Forwarded-For uvicorn trusts (FORWARDED_ALLOW_IPS in a deployment).
    forwarded_allow_ips = overrides.pop("forwarded_allow_ips", "127.0.0.1")
    settings = GatewaySettings(**{"http_port": free_port(), "backend_timeout": 2.0, "backends": backends, **overrides})
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=settings.http_port,
            forwarded_allow_ips=forwarded_allow_ips,
            log_config=None,
            access_log=False,
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, name="gateway-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{settings.http_port}"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(scope="module")
def gateway(keys, redis_db15, kafka_bootstrap):
    with running_gateway(
        identity_addr=keys.addr,
        servicedesk_addr=unused_addr(),
        notifications_addr=unused_addr(),
        alerts_addr=unused_addr(),
        redis_url=redis_db15,
        kafka_bootstrap_servers=kafka_bootstrap,
        rate_limit_ip=f"{LIMIT}/minute",
        rate_limit_device=f"{LIMIT}/minute",
    ) as url:
        yield url


@pytest.fixture
def idents(redis_db15):
    """Fresh loopback source addresses and device subjects for one test; the
    Redis keys of their buckets are deleted afterwards."""
    used: list[str] = []

    class Idents:
        @staticmethod
        def ip() -> str:
            while True:
                ip = f"127.{random.randint(1, 254)}.{random.randint(0, 254)}.{random.randint(1, 254)}"
                if ip not in used:
                    used.append(ip)
                    return ip

        @staticmethod
        def subject() -> str:
            used.append(f"device:rate-{uuid.uuid4().hex}")
            return used[-1]

    yield Idents
    r = redis.Redis.from_url(redis_db15)
    try:
        for ident in used:
            for key in r.scan_iter(match=f"*/{ident}/*"):
                r.delete(key)
    finally:
        r.close()


def client_from(base_url: str, ip: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=10, transport=httpx.HTTPTransport(local_address=ip))


def ask_for_code(c: httpx.Client) -> httpx.Response:
    return c.post(
        "/v1/identity/device_authorization", data={"client_id": "sbc-set-top-box", "device_serial": "STB-rate"}
    )


def assert_429(r: httpx.Response, about: str) -> None:
    assert r.status_code == 429, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    retry = r.headers["retry-after"]
    assert retry.isdigit() and 1 <= int(retry) <= 60, retry
    body = r.json()
    assert body["status"] == 429 and body["title"] and body["type"]
    assert about in body["detail"] and f"{retry} s" in body["detail"]
    assert body["request_id"] and body["request_id"] == r.headers["x-request-id"]


def test_the_fourth_call_from_one_ip_in_a_minute_is_429(gateway, idents):
    ip = idents.ip()
    with client_from(gateway, ip) as c:
        first = [ask_for_code(c) for _ in range(LIMIT)]
        # Within the limit the call goes on to identity (which does not start device flows here).
        assert [r.status_code for r in first] == [501] * LIMIT, [r.text for r in first]
        limited = ask_for_code(c)
        assert_429(limited, "address")
        assert_429(ask_for_code(c), "address")
        # Another rate-limited endpoint shares the address's bucket.
        assert_429(c.post("/v1/identity/token", data={"grant_type": "client_credentials"}), "address")
    # Another address has a bucket of its own.
    with client_from(gateway, idents.ip()) as other:
        assert ask_for_code(other).status_code == 501


def test_the_fourth_call_from_one_device_is_429_whatever_its_address(gateway, idents, keys):
    token = keys.token(idents.subject())
    auth = {"Authorization": f"Bearer {token}"}
    for i in range(LIMIT):
        with client_from(gateway, idents.ip()) as c:
            r = c.get("/v1/servicedesk/requests", headers=auth)
            # Within the limit the call reaches for the service desk, which is not there.
            assert r.status_code == 503, (i, r.status_code, r.text)
    with client_from(gateway, idents.ip()) as c:
        assert_429(c.get("/v1/servicedesk/requests", headers=auth), "terminal")
        # The same fresh address, another device: not limited.
        r = c.get("/v1/servicedesk/requests", headers={"Authorization": f"Bearer {keys.token(idents.subject())}"})
        assert r.status_code == 503, r.text


def test_retry_after_is_honest(gateway, idents):
    """Retry-After counts down with the window: waiting it out is what lets the next call in."""
    with client_from(gateway, idents.ip()) as c:
        for _ in range(LIMIT):
            ask_for_code(c)
        first = int(ask_for_code(c).headers["retry-after"])
        time.sleep(1.1)
        second = int(ask_for_code(c).headers["retry-after"])
        assert 1 <= second < first <= 60


def test_calls_with_bad_tokens_count_against_the_ip_limit(gateway, idents, keys):
    forged = keys.token(idents.subject())[:-6] + "AAAAAA"
    with client_from(gateway, idents.ip()) as c:
        answers = [
            c.get("/v1/servicedesk/requests", headers={"Authorization": f"Bearer {forged}"}).status_code
            for _ in range(LIMIT + 1)
        ]
    assert answers[:LIMIT] == [401] * LIMIT
    assert answers[LIMIT] == 429, answers


def test_with_redis_away_the_answer_is_still_a_problem_with_a_request_id(keys, kafka_bootstrap):
    with running_gateway(
        identity_addr=keys.addr,
        servicedesk_addr=unused_addr(),
        notifications_addr=unused_addr(),
        redis_url=f"redis://127.0.0.1:{free_port()}/15",
        kafka_bootstrap_servers=kafka_bootstrap,
        rate_limit_ip=f"{LIMIT}/minute",
        rate_limit_device=f"{LIMIT}/minute",
    ) as url:
        with httpx.Client(base_url=url, timeout=10) as c:
            r = ask_for_code(c)
    assert r.status_code >= 500 or r.status_code == 501, r.status_code
    assert r.headers.get("x-request-id"), (r.status_code, r.headers)
    assert r.headers["content-type"].startswith("application/problem+json"), (r.status_code, r.text[:200])


def test_signed_in_terminals_behind_one_address_are_not_held_back_by_it(gateway, idents, keys):
    """A village's TVs share one address: once a terminal's token is known, only its own bucket
    counts. A token the gateway has not seen still counts against the address first."""
    ip = idents.ip()
    tokens = [keys.token(idents.subject()) for _ in range(LIMIT)]
    with client_from(gateway, ip) as c:
        for token in tokens:  # each new token spends one of the address's calls
            assert c.get("/v1/servicedesk/requests", headers={"Authorization": f"Bearer {token}"}).status_code == 503
        for token in tokens:
            r = c.get("/v1/servicedesk/requests", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 503, r.text  # past the address's limit, yet through to the service desk
        assert_429(
            c.get("/v1/servicedesk/requests", headers={"Authorization": f"Bearer {keys.token(idents.subject())}"}),
            "address",
        )


def test_a_receipt_while_the_alerts_service_is_away_is_a_503_problem_so_the_tv_sends_it_again(gateway, idents, keys):
    token = keys.token(idents.subject())
    with client_from(gateway, idents.ip()) as c:
        r = c.post(
            "/v1/alerts/some-alert/receipts",
            json={"kind": "delivered"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["request_id"] == r.headers["x-request-id"]


def chart_forwarded_allow_ips() -> str:
    values = yaml.safe_load(
        (pathlib.Path(__file__).resolve().parents[2] / "charts/sbc-platform/values.yaml").read_text()
    )
    return values["components"]["gateway"]["env"]["FORWARDED_ALLOW_IPS"]


@pytest.mark.parametrize(
    "trusted, limited",
    [
        pytest.param(chart_forwarded_allow_ips(), True, id="as-the-chart-sets-it-a-stranger-is-limited"),
        pytest.param("127.0.0.0/8", False, id="from-the-ingress-each-citizen-counts-alone"),
    ],
)
def test_x_forwarded_for_counts_only_from_the_ingress_range(
    keys, redis_db15, kafka_bootstrap, idents, trusted, limited
):
    """A client that names a new address in X-Forwarded-For on every call must not get a new
    bucket each time: the header counts only from the ingress's address range."""
    assert trusted != "*"
    with (
        running_gateway(
            identity_addr=keys.addr,
            redis_url=redis_db15,
            kafka_bootstrap_servers=kafka_bootstrap,
            rate_limit_ip=f"{LIMIT}/minute",
            rate_limit_device=f"{LIMIT}/minute",
            forwarded_allow_ips=trusted,
        ) as url,
        client_from(url, idents.ip()) as c,
    ):
        answers = [
            c.post(
                "/v1/identity/device_authorization",
                data={"client_id": "sbc-set-top-box", "device_serial": "STB-rate"},
                headers={"X-Forwarded-For": idents.ip()},
            ).status_code
            for _ in range(LIMIT + 2)
        ]
    if limited:
        assert answers[:LIMIT] == [501] * LIMIT and answers[LIMIT:] == [429, 429], answers
    else:
        assert answers == [501] * (LIMIT + 2), answers
