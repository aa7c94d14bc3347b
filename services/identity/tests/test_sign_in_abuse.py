"""Sign-in abuse, over real gRPC on SQLite and PostgreSQL: the phone page's confirmation checks
the code before the password (no oracle), failed sign-ins are counted per account and per TV
user code and locked out with backoff, counted in Redis across replicas, and in memory (failing
closed) while Redis is away. Each test signs in with accounts of its own (fresh phone numbers and
user names), so runs never lock each other out in the shared Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid

import grpc
import pytest
import pytest_asyncio
import redis

from identity import domain, handlers, service
from identity.service import SERVICE
from identity.store import UnitOfWork
from identity.tests.test_grpc import KNOWN_ROLES, STB
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.identity.v1 import identity_pb2 as pb
from sbc.identity.v1 import identity_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

POLICY = domain.SignInPolicy.of(json.loads((service.DATA / "sign_in.json").read_text(encoding="utf-8")))
FREE = POLICY.free_failures


class Clock:
    def __init__(self):
        self.t = time.time()

    def __call__(self) -> float:
        return self.t


def accounts() -> dict:
    """A household member and a staff member no other test uses."""
    n = uuid.uuid4().int
    return {
        "households": [
            {
                "id": f"hh-abuse-{n % 10**8}",
                "name": "测试家庭",
                "area_code": "330411101001",
                "members": [{"phone": f"137{n % 10**8:08d}", "password": "right-pass"}],
            }
        ],
        "staff": [
            {"username": f"abuse-{n % 10**8}", "name": "员工", "password": "right-pass", "roles": ["technician"]}
        ],
    }


@pytest_asyncio.fixture(loop_scope="session")
async def identity_server(grpc_service, database_url, monkeypatch, redis_url):
    """Start identity servers on one database, counting failures in Redis (or not, redis_url="")."""

    async def start(redis_url: str = redis_url):
        monkeypatch.setenv("REDIS_URL", redis_url)
        running = await grpc_service(SERVICE, database_url)
        clock = Clock()
        running.servicer.attempts.clock = clock
        return running.stub(identity_pb2_grpc.IdentityServiceStub), running, clock

    return start


def seed(running) -> tuple[dict, dict]:
    data = accounts()
    handlers.load_seed(UnitOfWork(running.db), data, KNOWN_ROLES)
    return data["households"][0]["members"][0], data["staff"][0]


def staff(stub, who: dict, password: str):
    return stub.StaffToken(pb.StaffTokenRequest(username=who["username"], password=password))


def confirm(stub, user_code: str, phone: str, password: str):
    return stub.ConfirmDeviceAuthorization(
        pb.ConfirmDeviceAuthorizationRequest(user_code=user_code, phone=phone, password=password, approve=True)
    )


async def new_code(stub) -> str:
    grant = await stub.StartDeviceAuthorization(
        pb.StartDeviceAuthorizationRequest(client_id=STB, device_serial=f"STB-{uuid.uuid4().hex[:10]}")
    )
    return grant.user_code


async def test_a_code_that_is_not_waiting_gets_the_same_answer_whatever_the_password(identity_server):
    stub, running, _ = await identity_server()
    member, _ = seed(running)
    right = await rpc_error(confirm(stub, "BCDF-GHJK", member["phone"], member["password"]))
    wrong = await rpc_error(confirm(stub, "BCDF-GHJK", member["phone"], "wrong-pass"))
    assert right.code() == wrong.code() == grpc.StatusCode.NOT_FOUND
    assert right.details() == wrong.details()
    # Where the code waits, a wrong password is the one message of every wrong credential.
    code = await new_code(stub)
    err = await rpc_error(confirm(stub, code, member["phone"], "wrong-pass"))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED and err.details() == "wrong user name or password"
    ok = await confirm(stub, code, member["phone"], member["password"])
    assert ok.household_id == running_household(member, running)


def running_household(member: dict, running) -> str:
    with UnitOfWork(running.db) as uow:
        return uow.members.by_phone(member["phone"]).household_id


async def test_an_account_is_locked_after_its_free_failures_with_a_doubling_lockout(identity_server):
    stub, running, clock = await identity_server()
    _, who = seed(running)
    for _ in range(FREE - 1):
        assert (await rpc_error(staff(stub, who, "wrong"))).code() == grpc.StatusCode.UNAUTHENTICATED
    locking = await rpc_error(staff(stub, who, "wrong"))  # the last free failure earns the first lockout
    assert locking.code() == grpc.StatusCode.UNAUTHENTICATED
    # Locked: even the right password is refused, without being looked at.
    locked = await rpc_error(staff(stub, who, who["password"]))
    assert locked.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert field_errors_of(locked)["retry_after_seconds"] == str(POLICY.first_lockout_seconds)
    assert f"try again in {POLICY.first_lockout_seconds} s" in locked.details()

    clock.t += POLICY.first_lockout_seconds + 1
    await rpc_error(staff(stub, who, "wrong"))  # one more failure: twice as long
    again = await rpc_error(staff(stub, who, who["password"]))
    assert field_errors_of(again)["retry_after_seconds"] == str(2 * POLICY.first_lockout_seconds)

    clock.t += 2 * POLICY.first_lockout_seconds + 1
    assert (await staff(stub, who, who["password"])).access_token
    # A success forgets the failures: the next wrong password is a free one again.
    assert (await rpc_error(staff(stub, who, "wrong"))).code() == grpc.StatusCode.UNAUTHENTICATED
    assert (await staff(stub, who, who["password"])).access_token


async def test_a_tv_code_is_locked_after_wrong_passwords_of_many_phones(identity_server):
    stub, running, _ = await identity_server()
    member, _ = seed(running)
    code = await new_code(stub)
    for _ in range(FREE):
        # Each guess names another phone: no one account reaches its limit, the code does.
        err = await rpc_error(confirm(stub, code, f"136{uuid.uuid4().int % 10**8:08d}", "guess"))
        assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    locked = await rpc_error(confirm(stub, code, member["phone"], member["password"]))
    assert locked.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    # The member's other TV's code is not locked.
    assert (await confirm(stub, await new_code(stub), member["phone"], member["password"])).household_id


async def test_failures_count_across_replicas_through_redis(identity_server):
    one, running, _ = await identity_server()
    other, _, _ = await identity_server()
    _, who = seed(running)
    for i in range(FREE):
        await rpc_error(staff(one if i % 2 else other, who, "wrong"))
    for stub in (one, other):
        assert (await rpc_error(staff(stub, who, who["password"]))).code() == grpc.StatusCode.RESOURCE_EXHAUSTED


@pytest.fixture
def own_redis(tmp_path):
    port = int(
        subprocess.check_output(
            ["python3", "-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"]
        )
    )
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    yield proc, url
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(10)


async def test_with_redis_frozen_failures_are_counted_in_memory_and_still_lock(identity_server, own_redis):
    proc, url = own_redis
    stub, running, _ = await identity_server(url)
    _, who = seed(running)
    await rpc_error(staff(stub, who, "wrong"))
    os.kill(proc.pid, signal.SIGSTOP)
    started = time.monotonic()
    for _ in range(FREE):
        assert (await rpc_error(staff(stub, who, "wrong"))).code() == grpc.StatusCode.UNAUTHENTICATED
    assert time.monotonic() - started < 5, "a frozen Redis held sign-ins up"
    # Not let through: counted in memory, the account locks all the same.
    assert (await rpc_error(staff(stub, who, who["password"]))).code() == grpc.StatusCode.RESOURCE_EXHAUSTED
