"""The service desk over real gRPC: an in-process grpc.aio server built by the
shared runtime (the same interceptor, error mapping and token verification as
in production), the servicer on a migrated database (SQLite and PostgreSQL),
and tokens signed by identity's real signer."""

from __future__ import annotations

import asyncio
import datetime as dt
import pathlib
import time
import uuid
from dataclasses import dataclass

import grpc
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, select, text

from identity import keys as identity_keys
from identity import store as identity_store
from identity.domain import token_claims
from runtime import db as dbmod
from runtime.auth import Caller, CallerKind, Signer, TokenVerifier
from runtime.grpc_server import GrpcService, Server, field_errors_of
from runtime.outbox import outbox_table
from runtime.settings import Settings
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from sbc.servicedesk.v1 import servicedesk_pb2_grpc
from servicedesk import events, store
from servicedesk.domain import Role
from servicedesk.servicer import SERVICE_NAME, ServiceDeskServicer

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

IDENTITY_MIGRATIONS = pathlib.Path(identity_store.__file__).resolve().parent / "migrations"
SERVICEDESK_MIGRATIONS = pathlib.Path(store.__file__).resolve().parent / "migrations"
AREA = "330411101001"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture(scope="session")
def signer(tmp_path_factory) -> Signer:
    """Identity's real signer, its key kept in a migrated identity database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('identity') / 'identity.db'}"
    dbmod.migrate(IDENTITY_MIGRATIONS, url)
    db = dbmod.Database(url)
    try:
        with db.transaction() as s:
            return identity_keys.load_or_create(s)
    finally:
        db.dispose()


def device(household_id: str, area: str = AREA) -> Caller:
    did = str(uuid.uuid4())
    return Caller(
        subject=f"device:{did}",
        kind=CallerKind.DEVICE,
        household_id=household_id,
        device_id=did,
        area_code=area,
        name="测试家庭",
    )


def staff(*roles: str) -> Caller:
    return Caller(
        subject=f"staff:{uuid.uuid4()}",
        kind=CallerKind.STAFF,
        area_code="330411101",
        roles=frozenset(roles),
        name="技术员",
    )


def department() -> Caller:
    return Caller(
        subject="department:dept-test",
        kind=CallerKind.DEPARTMENT,
        area_code="330411",
        roles=frozenset({Role.DEPARTMENT_OFFICER}),
        name="气象局",
    )


def mint(signer: Signer, caller: Caller, at: dt.datetime | None = None) -> str:
    return signer.sign(token_claims(caller, at or utcnow(), jti=str(uuid.uuid4())))


def bearer(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


@dataclass
class Desk:
    stub: servicedesk_pb2_grpc.ServiceDeskServiceStub
    db: dbmod.Database
    signer: Signer

    def md(self, caller: Caller) -> list[tuple[str, str]]:
        return bearer(mint(self.signer, caller))

    async def create(
        self,
        caller: Caller,
        service_type="fault_repair_general",
        description="没有信号",
        key: str | None = None,
        channel: str = "",
    ) -> pb.ServiceRequest:
        return await self.stub.CreateServiceRequest(
            pb.CreateServiceRequestRequest(
                service_type=service_type,
                description=description,
                idempotency_key=key or uuid.uuid4().hex,
                channel=channel,
            ),
            metadata=self.md(caller),
            timeout=30,
        )

    async def list(self, caller: Caller, page_size: int = 0, page_token: str = ""):
        return await self.stub.ListMyServiceRequests(
            pb.ListMyServiceRequestsRequest(page=common_pb2.PageRequest(page_size=page_size, page_token=page_token)),
            metadata=self.md(caller),
            timeout=30,
        )

    def outbox_rows(self) -> list:
        t = outbox_table()
        with self.db.transaction() as s:
            return list(s.execute(select(t).order_by(t.c.seq)))

    def request_count(self) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(store.ServiceRequestRow))


@pytest_asyncio.fixture(loop_scope="session")
async def desk(database_url, signer):
    dbmod.migrate(SERVICEDESK_MIGRATIONS, database_url)
    db = dbmod.Database(database_url)
    servicer = ServiceDeskServicer(db, store.load_catalog_data())
    service = GrpcService(
        [SERVICE_NAME], lambda server: servicedesk_pb2_grpc.add_ServiceDeskServiceServicer_to_server(servicer, server)
    )
    server = Server(
        Settings(service_name="servicedesk-test", grpc_port=0, shutdown_grace_seconds=1),
        service,
        TokenVerifier(lambda: signer.jwks()),
    )
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    try:
        yield Desk(servicedesk_pb2_grpc.ServiceDeskServiceStub(channel), db, signer)
    finally:
        await channel.close()
        await server.stop()
        db.dispose()


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await awaitable
    return info.value


# --- create, get, list ---


async def test_create_then_get_and_list_own_request(desk):
    home = device("hh-a")
    before = utcnow().replace(microsecond=0)
    r = await desk.create(home, description="电视没有信号 no signal")
    assert r.id and r.household_id == "hh-a" and r.area.code == AREA
    assert r.service_type == "fault_repair_general" and r.state == "submitted"
    assert r.channel == "set_top_box", "a device's request defaults to the set-top-box channel"
    assert r.reference_number.startswith("SR-") and r.reference_number.endswith(f"{1:06d}")
    assert r.submitted_by.actor_id == home.subject and r.submitted_by.actor_role == CallerKind.DEVICE
    assert r.submitted_at.ToDatetime(dt.UTC) >= before

    got = await desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=r.id), metadata=desk.md(home))
    assert got == r
    listed = await desk.list(home)
    assert [x.id for x in listed.requests] == [r.id] and listed.page.next_page_token == ""

    # Another terminal of the same household sees it too.
    sibling = device("hh-a")
    assert (
        await desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=r.id), metadata=desk.md(sibling))
    ).id == r.id


async def test_list_pages_newest_first_and_only_own_household(desk):
    home, other = device("hh-a"), device("hh-b")
    mine = [await desk.create(home, description=f"#{i}") for i in range(5)]
    await desk.create(other, description="not yours")
    seen, token, pages = [], "", 0
    while True:
        page = await desk.list(home, page_size=2, page_token=token)
        pages += 1
        assert len(page.requests) <= 2
        seen.extend(page.requests)
        token = page.page.next_page_token
        if not token:
            break
    assert pages == 3
    assert [x.id for x in seen] == [x.id for x in reversed(mine)], "newest first, each once"
    assert {x.household_id for x in seen} == {"hh-a"}
    # page_size 0 means the default page; exactly one page here.
    assert len((await desk.list(home)).requests) == 5
    assert [x.description for x in (await desk.list(other)).requests] == ["not yours"]


# --- idempotency ---


async def test_same_idempotency_key_returns_the_same_request(desk):
    home = device("hh-a")
    first = await desk.create(home, key="press-ok-1")
    again = await desk.create(home, key="press-ok-1")
    assert again == first
    assert desk.request_count() == 1
    assert len(desk.outbox_rows()) == 1, "a replay writes no second event"
    # The key belongs to the household: another household's same key is another request.
    theirs = await desk.create(device("hh-b"), key="press-ok-1")
    assert theirs.id != first.id and desk.request_count() == 2


async def test_same_key_different_body_is_already_exists_and_changes_nothing(desk):
    home = device("hh-a")
    first = await desk.create(home, key="k-1", description="no signal")
    err = await rpc_error(desk.create(home, key="k-1", description="a different problem"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "idempotency_key" in field_errors_of(err)
    err = await rpc_error(desk.create(home, key="k-1", service_type="package_change", description="no signal"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [x.id for x in (await desk.list(home)).requests] == [first.id]
    assert len(desk.outbox_rows()) == 1


@pytest.mark.parametrize("window", ["natural", "widened"])
async def test_concurrent_retries_with_one_key_file_exactly_one_request(desk, monkeypatch, window):
    home = device("hh-race")
    if window == "widened":
        # Hold every first look-up open a moment, so that on PostgreSQL all ten
        # calls see "no such key" and race to insert (the unique constraint decides).
        lookup = store.find_by_idempotency_key

        def slow_lookup(s, household_id, key):
            found = lookup(s, household_id, key)
            if found is None:
                time.sleep(0.3)
            return found

        monkeypatch.setattr(store, "find_by_idempotency_key", slow_lookup)
    results = await asyncio.gather(
        *[desk.create(home, key="retry-storm", description="同一个请求") for _ in range(10)],
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, f"a retry failed: {errors[:1]}"
    assert len({r.id for r in results}) == 1
    assert len({r.reference_number for r in results}) == 1
    assert desk.request_count() == 1
    rows = desk.outbox_rows()
    assert len(rows) == 1 and rows[0].key == results[0].id


# --- who may call ---


async def test_another_households_request_is_not_found(desk):
    theirs = await desk.create(device("hh-b"), description="李家的地址 secret")
    err = await rpc_error(
        desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=theirs.id), metadata=desk.md(device("hh-a")))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert "hh-b" not in err.details() and "secret" not in err.details()
    # Indistinguishable from an id that does not exist.
    missing = await rpc_error(
        desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=str(uuid.uuid4())), metadata=desk.md(device("hh-a")))
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("who", ["technician", "department", "device without household"])
async def test_household_only_calls_refuse_other_callers(desk, who):
    caller = {
        "technician": staff(Role.TECHNICIAN, Role.SERVICE_POINT_MANAGER),
        "department": department(),
        "device without household": Caller(subject="device:x", kind=CallerKind.DEVICE),
    }[who]
    filed = await desk.create(device("hh-a"))
    for call in [
        desk.create(caller),
        desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=filed.id), metadata=desk.md(caller)),
        desk.list(caller),
    ]:
        assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    assert desk.request_count() == 1 and len(desk.outbox_rows()) == 1


async def test_calls_without_a_valid_token_are_unauthenticated(desk, signer):
    home = device("hh-a")
    foreign = Signer(ec.generate_private_key(ec.SECP256R1()), kid=signer.kid)  # same kid, other key
    stranger = Signer(ec.generate_private_key(ec.SECP256R1()), kid="unknown-kid")
    good = mint(signer, home)
    head, payload, sig = good.split(".")
    flipped = payload[:5] + ("A" if payload[5] != "A" else "B") + payload[6:]
    request = pb.CreateServiceRequestRequest(service_type="fault_repair_general", idempotency_key="k")
    cases = {
        "no token": [],
        "not a JWT": bearer("not-a-token"),
        "basic auth": [("authorization", "Basic dXNlcjpwYXNz")],
        "empty bearer": [("authorization", "Bearer ")],
        "forged, same kid": bearer(mint(foreign, home)),
        "forged, unknown kid": bearer(mint(stranger, home)),
        "tampered payload": bearer(f"{head}.{flipped}.{sig}"),
        "expired": bearer(mint(signer, home, at=utcnow() - dt.timedelta(days=31))),
    }
    for name, md in cases.items():
        err = await rpc_error(desk.stub.CreateServiceRequest(request, metadata=md))
        assert err.code() == grpc.StatusCode.UNAUTHENTICATED, f"{name}: {err.code()} {err.details()}"
        assert err.details(), name
    assert (
        "expired"
        in (
            await rpc_error(
                desk.stub.ListMyServiceRequests(pb.ListMyServiceRequestsRequest(), metadata=cases["expired"])
            )
        ).details()
    )
    assert desk.request_count() == 0 and desk.outbox_rows() == []


# --- bad input ---


async def test_invalid_create_requests_name_their_fields_and_write_nothing(desk):
    home = device("hh-a")
    cases = [
        (dict(service_type="", idempotency_key="k"), "service_type"),
        (dict(service_type="fault_repair_general", idempotency_key=""), "idempotency_key"),
        (dict(service_type="teleportation", idempotency_key="k"), "service_type"),
        (dict(service_type="fault_repair_general", idempotency_key="k", description="长" * 2001), "description"),
        (dict(service_type="fault_repair_general", idempotency_key="k" * 101), "idempotency_key"),
        (dict(service_type="fault_repair_general", idempotency_key="k", channel="fax"), "channel"),
        (dict(service_type="x" * 500, idempotency_key="k"), "service_type"),
    ]
    for fields, field in cases:
        err = await rpc_error(
            desk.stub.CreateServiceRequest(pb.CreateServiceRequestRequest(**fields), metadata=desk.md(home))
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (fields, err.details())
        assert field in field_errors_of(err), (fields, field_errors_of(err))
        assert err.details()
    assert desk.request_count() == 0
    assert desk.outbox_rows() == [], "a refused request must not announce anything"
    # The limits themselves are accepted.
    ok = await desk.create(home, description="长" * 2000, key="k" * 100, channel="mobile")
    assert ok.channel == "mobile"
    assert desk.request_count() == 1 and len(desk.outbox_rows()) == 1


async def test_each_created_request_writes_exactly_one_outbox_event(desk):
    home = device("hh-a")
    made = [await desk.create(home, description=f"#{i}") for i in range(3)]
    await rpc_error(desk.create(home, service_type="nope"))
    rows = desk.outbox_rows()
    assert [r.key for r in rows] == [m.id for m in made]
    assert {r.topic for r in rows} == {events.TOPIC}
    assert {r.event_type for r in rows} == {events.REQUEST_SUBMITTED}
    assert all(r.sent_at is None for r in rows)


@pytest.mark.parametrize(
    "page,field",
    [
        (dict(page_size=-1), "page.page_size"),
        (dict(page_size=101), "page.page_size"),
        (dict(page_token="abc"), "page.page_token"),
        (dict(page_token="12abc"), "page.page_token"),
    ],
)
async def test_invalid_pages_are_invalid_argument(desk, page, field):
    home = device("hh-a")
    await desk.create(home)
    err = await rpc_error(desk.list(home, **page))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_errors_of(err)


async def test_page_token_beyond_64_bits_is_invalid_argument(desk):
    home = device("hh-a")
    await desk.create(home)
    err = await rpc_error(desk.list(home, page_token="9" * 30))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (err.code(), err.details())


async def test_an_unexpected_failure_is_internal_and_tells_the_caller_nothing_of_the_insides(desk):
    home = device("hh-a")
    await desk.create(home)
    with desk.db.transaction() as s:  # the database breaks under the service
        s.execute(text("DROP TABLE audit_entries"))
        s.execute(text("DROP TABLE service_requests"))
    err = await rpc_error(desk.list(home))
    assert err.code() == grpc.StatusCode.INTERNAL, (err.code(), err.details())
    for leak in ("service_requests", "SELECT", "sqlalchemy", "Unexpected <class"):
        assert leak not in err.details()


@pytest.mark.parametrize("request_id", ["", "x" * 37])
async def test_get_with_a_bad_id_is_invalid_argument(desk, request_id):
    err = await rpc_error(
        desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=request_id), metadata=desk.md(device("hh-a")))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "id" in field_errors_of(err)


@pytest.mark.parametrize("field", ["description", "idempotency_key"])
async def test_a_nul_character_is_invalid_argument_on_every_database(desk, field):
    home = device("hh-a")
    fields = dict(service_type="fault_repair_general", description="ok", idempotency_key="k")
    fields[field] = "a\x00b"
    err = await rpc_error(
        desk.stub.CreateServiceRequest(pb.CreateServiceRequestRequest(**fields), metadata=desk.md(home))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (err.code(), err.details()[:200])
    assert field in field_errors_of(err)
    assert desk.request_count() == 0 and desk.outbox_rows() == []
