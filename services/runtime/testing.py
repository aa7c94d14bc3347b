"""What every service's tests use: a pytest plugin (the root conftest loads it).

- `tokens`: mints real ES256 tokens, as identity signs them, with a key of this test session's
  own; servers under test verify them with `tokens.verifier()`. A service's tests need nothing
  of identity's code.
- `grpc_service`: starts a service's real gRPC server in this process (the runtime's server, with
  the same interceptor, error mapping and token checks as in production) on a migrated database,
  from the service's own declaration (services/<name>/service.py).
- `household()`, `staff()`, `department()`: callers, as their tokens describe them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import functools
import pathlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import grpc
import pytest
import pytest_asyncio

from runtime import db as dbmod
from runtime.auth import Caller, CallerKind, Signer, TokenVerifier, static_jwks
from runtime.grpc_server import Server
from runtime.service import Context, Service
from runtime.settings import REPO_ROOT, Settings
from runtime.times import utcnow

TOKEN_TTL = dt.timedelta(hours=1)


# make test's two processes share the local infrastructure, and e2e/test_fault.py restarts its Kafka
# broker. Every test module outside e2e/ holds this lock shared while it runs; the restart holds it
# alone, so it waits for the other process's module to end, and no module starts against a broker
# that is down. (A turnstile before it: a restart waiting is not starved by modules coming one after
# another, since flock lets a new shared holder in past a waiting exclusive one.)
def _lock_files() -> tuple[pathlib.Path, pathlib.Path]:
    run = REPO_ROOT / "var" / "run"  # make test's two processes run from one checkout
    run.mkdir(parents=True, exist_ok=True)
    return run / "shared-infra.turnstile", run / "shared-infra.lock"


@contextlib.contextmanager
def shared_infrastructure(alone: bool = False) -> Iterator[None]:
    """Use the shared local infrastructure (alone: to stop or restart part of it)."""
    turnstile_path, lock_path = _lock_files()
    with open(turnstile_path, "a") as turnstile, open(lock_path, "a") as lock:
        if alone:
            fcntl.flock(turnstile, fcntl.LOCK_EX)
            fcntl.flock(lock, fcntl.LOCK_EX)
        else:
            fcntl.flock(turnstile, fcntl.LOCK_SH)
            fcntl.flock(lock, fcntl.LOCK_SH)
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            fcntl.flock(turnstile, fcntl.LOCK_UN)


@pytest.fixture(scope="module", autouse=True)
def _shared_infrastructure(request) -> Iterator[None]:
    if request.node.nodeid.startswith("e2e/"):  # the module that restarts the broker is one of these
        yield
        return
    with shared_infrastructure():
        yield


def household(household_id: str = "", area_code: str = "330411101001", name: str = "测试家庭") -> Caller:
    """A household's signed-in set-top box."""
    device = str(uuid.uuid4())
    return Caller(
        subject=f"device:{device}",
        kind=CallerKind.DEVICE,
        household_id=household_id or f"hh-{uuid.uuid4().hex[:8]}",
        device_id=device,
        area_code=area_code,
        name=name,
    )


def member(household_id: str = "", phone: str = "13900000001", area_code: str = "330411101001") -> Caller:
    """A household member signed in on the phone app, with their mobile number."""
    return Caller(
        subject=f"member:{uuid.uuid4()}",
        kind=CallerKind.MEMBER,
        household_id=household_id or f"hh-{uuid.uuid4().hex[:8]}",
        area_code=area_code,
        name="测试家庭",
        phone=phone,
    )


def staff(*roles: str, username: str = "", area_code: str = "330411") -> Caller:
    """A staff member with roles."""
    username = username or f"staff-{uuid.uuid4().hex[:6]}"
    return Caller(
        subject=f"staff:{uuid.uuid4()}",
        kind=CallerKind.STAFF,
        area_code=area_code,
        roles=frozenset(roles),
        name=username,
        username=username,
    )


def department(client_id: str = "dept-test", area_code: str = "330411", roles=("department_officer",)) -> Caller:
    """A government department's system, signed in with its client credentials."""
    return Caller(
        subject=f"department:{client_id}", kind=CallerKind.DEPARTMENT, area_code=area_code, roles=frozenset(roles)
    )


class Tokens:
    """Mints tokens as identity does, with a key of its own."""

    def __init__(self, signer: Signer | None = None):
        self.signer = signer or Signer.generate()

    def mint(self, caller: Caller, at: dt.datetime | None = None, ttl: dt.timedelta = TOKEN_TTL) -> str:
        return self.signer.sign(caller.token_claims(at or utcnow(), ttl, jti=str(uuid.uuid4())))

    def metadata(self, caller: Caller, **kw) -> list[tuple[str, str]]:
        """Call metadata carrying a fresh token for `caller`."""
        return [("authorization", f"Bearer {self.mint(caller, **kw)}")]

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(static_jwks(self.signer.jwks()))


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()


@dataclasses.dataclass
class RunningService:
    """A service's server under test."""

    service: Service
    db: dbmod.Database
    servicer: Any
    channel: grpc.aio.Channel
    port: int
    tokens: Tokens

    def stub(self, stub_class: type) -> Any:
        return stub_class(self.channel)

    def md(self, caller: Caller, **kw) -> list[tuple[str, str]]:
        return self.tokens.metadata(caller, **kw)


@pytest_asyncio.fixture(loop_scope="session")
async def grpc_service(tokens) -> AsyncIterator[Callable[..., Any]]:
    """`await grpc_service(SERVICE, database_url, servicer=...)`: the service's server, migrated and
    started, stopped after the test. `servicer(ctx)` replaces the declaration's (a test's clock, data)."""
    running: list[tuple[Server, grpc.aio.Channel, dbmod.Database]] = []

    async def start(
        service: Service, database_url: str, servicer: Callable[[Context], Any] | None = None
    ) -> RunningService:
        dbmod.migrate(service.migrations, database_url)
        db = dbmod.Database(database_url)
        settings = Settings(service_name=f"{service.name}-test", grpc_port=0, shutdown_grace_seconds=1)
        entry = service.entry
        verifier = tokens.verifier()
        ctx = Context(settings, db, entry, entry.process("serve"), _verifier=verifier)
        instance = (servicer or service.servicer)(ctx)
        server = Server(
            settings,
            service.grpc_service(
                functools.partial(service.register, instance), service.grpc_names, set(service.public_methods)
            ),
            verifier,
        )
        await server.start()
        channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
        running.append((server, channel, db))
        return RunningService(service, db, instance, channel, server.port, tokens)

    yield start
    for server, channel, db in running:
        await channel.close()
        await server.stop()
        db.dispose()


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    """The error a call fails with (the test fails if it succeeds)."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await awaitable
    return info.value
