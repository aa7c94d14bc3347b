"""The service desk over real gRPC: its own server (the runtime's, with the same interceptor,
error mapping and token verification as in production) on a migrated database (SQLite and
PostgreSQL), with tokens minted by the runtime's test plugin."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid

import grpc
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import text

from runtime.auth import Caller, CallerKind, Signer
from runtime.grpc_server import field_errors_of
from runtime.testing import department, rpc_error, staff
from runtime.times import utcnow
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from servicedesk import events, store
from servicedesk.domain import Role
from servicedesk.tests.desk import Desk, home

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

AREA = "330411101001"


@pytest_asyncio.fixture(loop_scope="session")
async def desk(start_desk) -> Desk:
    """On the wall clock."""
    return await start_desk(utcnow)


def device(household_id: str, area: str = AREA) -> Caller:
    return home(household_id, area)


async def create(desk, caller, service_type="fault_repair_general", description="没有信号", key=None, channel=""):
    return await desk.stub.CreateServiceRequest(
        pb.CreateServiceRequestRequest(
            service_type=service_type, description=description, idempotency_key=key or uuid.uuid4().hex, channel=channel
        ),
        metadata=desk.md(caller),
        timeout=30,
    )


async def list_(desk, caller, page_size: int = 0, page_token: str = ""):
    return await desk.stub.ListMyServiceRequests(
        pb.ListMyServiceRequestsRequest(page=common_pb2.PageRequest(page_size=page_size, page_token=page_token)),
        metadata=desk.md(caller),
        timeout=30,
    )


# --- create, get, list ---


async def test_create_then_get_and_list_own_request(desk):
    home_ = device("hh-a")
    before = utcnow().replace(microsecond=0)
    r = await create(desk, home_, description="电视没有信号 no signal")
    assert r.id and r.household_id == "hh-a" and r.area.code == AREA
    assert r.service_type == "fault_repair_general" and r.state == "submitted"
    assert r.channel == "set_top_box", "a device's request defaults to the set-top-box channel"
    assert r.reference_number.startswith("SR-") and r.reference_number.endswith(f"{1:06d}")
    assert r.submitted_by.actor_id == home_.subject and r.submitted_by.actor_role == CallerKind.DEVICE
    assert r.submitted_at.ToDatetime(dt.UTC) >= before

    got = await desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=r.id), metadata=desk.md(home_))
    assert got == r
    listed = await list_(desk, home_)
    assert [x.id for x in listed.requests] == [r.id] and listed.page.next_page_token == ""

    # Another terminal of the same household sees it too.
    sibling = device("hh-a")
    assert (
        await desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=r.id), metadata=desk.md(sibling))
    ).id == r.id


async def test_list_pages_newest_first_and_only_own_household(desk):
    mine_, other = device("hh-a"), device("hh-b")
    mine = [await create(desk, mine_, description=f"#{i}") for i in range(5)]
    await create(desk, other, description="not yours")
    seen, token, pages = [], "", 0
    while True:
        page = await list_(desk, mine_, page_size=2, page_token=token)
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
    assert len((await list_(desk, mine_)).requests) == 5
    assert [x.description for x in (await list_(desk, other)).requests] == ["not yours"]


# --- idempotency ---


async def test_same_idempotency_key_returns_the_same_request(desk):
    home_ = device("hh-a")
    first = await create(desk, home_, key="press-ok-1")
    again = await create(desk, home_, key="press-ok-1")
    assert again == first
    assert desk.count() == 1
    assert len(desk.events()) == 1, "a replay writes no second event"
    # The key belongs to the household: another household's same key is another request.
    theirs = await create(desk, device("hh-b"), key="press-ok-1")
    assert theirs.id != first.id and desk.count() == 2


async def test_same_key_different_body_is_already_exists_and_changes_nothing(desk):
    home_ = device("hh-a")
    first = await create(desk, home_, key="k-1", description="no signal")
    err = await rpc_error(create(desk, home_, key="k-1", description="a different problem"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "idempotency_key" in field_errors_of(err)
    err = await rpc_error(create(desk, home_, key="k-1", service_type="package_change", description="no signal"))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert [x.id for x in (await list_(desk, home_)).requests] == [first.id]
    assert len(desk.events()) == 1


@pytest.mark.parametrize("window", ["natural", "widened"])
async def test_concurrent_retries_with_one_key_file_exactly_one_request(desk, monkeypatch, window):
    home_ = device("hh-race")
    if window == "widened":
        # Hold every first look-up open a moment, so that on PostgreSQL all ten
        # calls see "no such key" and race to insert (the unique constraint decides).
        lookup = store.Requests.by_idempotency_key

        def slow_lookup(self, household_id, key):
            found = lookup(self, household_id, key)
            if found is None:
                time.sleep(0.3)
            return found

        monkeypatch.setattr(store.Requests, "by_idempotency_key", slow_lookup)
    results = await asyncio.gather(
        *[create(desk, home_, key="retry-storm", description="同一个请求") for _ in range(10)],
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, f"a retry failed: {errors[:1]}"
    assert len({r.id for r in results}) == 1
    assert len({r.reference_number for r in results}) == 1
    assert desk.count() == 1
    rows = desk.events()
    assert len(rows) == 1 and rows[0].key == results[0].id


# --- who may call ---


async def test_another_households_request_is_not_found(desk):
    theirs = await create(desk, device("hh-b"), description="李家的地址 secret")
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
        "technician": staff(Role.TECHNICIAN, Role.SERVICE_POINT_MANAGER, area_code="330411101"),
        "department": department(roles=(Role.DEPARTMENT_OFFICER,)),
        "device without household": Caller(subject="device:x", kind=CallerKind.DEVICE),
    }[who]
    filed = await create(desk, device("hh-a"))
    for call in [
        create(desk, caller),
        desk.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=filed.id), metadata=desk.md(caller)),
        list_(desk, caller),
    ]:
        assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    assert desk.count() == 1 and len(desk.events()) == 1


async def test_calls_without_a_valid_token_are_unauthenticated(desk, tokens):
    home_ = device("hh-a")
    signer = tokens.signer
    foreign = Signer(ec.generate_private_key(ec.SECP256R1()), kid=signer.kid)  # same kid, other key
    stranger = Signer(ec.generate_private_key(ec.SECP256R1()), kid="unknown-kid")

    def bearer(token: str) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {token}")]

    def signed_by(other: Signer, caller: Caller) -> str:
        return other.sign(caller.token_claims(utcnow(), dt.timedelta(hours=1), jti=str(uuid.uuid4())))

    good = tokens.mint(home_)
    head, payload, sig = good.split(".")
    flipped = payload[:5] + ("A" if payload[5] != "A" else "B") + payload[6:]
    request = pb.CreateServiceRequestRequest(service_type="fault_repair_general", idempotency_key="k")
    cases = {
        "no token": [],
        "not a JWT": bearer("not-a-token"),
        "basic auth": [("authorization", "Basic dXNlcjpwYXNz")],
        "empty bearer": [("authorization", "Bearer ")],
        "forged, same kid": bearer(signed_by(foreign, home_)),
        "forged, unknown kid": bearer(signed_by(stranger, home_)),
        "tampered payload": bearer(f"{head}.{flipped}.{sig}"),
        "expired": bearer(tokens.mint(home_, at=utcnow() - dt.timedelta(days=31))),
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
    assert desk.count() == 0 and desk.events() == []


# --- bad input ---


async def test_invalid_create_requests_name_their_fields_and_write_nothing(desk):
    home_ = device("hh-a")
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
            desk.stub.CreateServiceRequest(pb.CreateServiceRequestRequest(**fields), metadata=desk.md(home_))
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (fields, err.details())
        assert field in field_errors_of(err), (fields, field_errors_of(err))
        assert err.details()
    assert desk.count() == 0
    assert desk.events() == [], "a refused request must not announce anything"
    # The limits themselves are accepted.
    ok = await create(desk, home_, description="长" * 2000, key="k" * 100, channel="mobile")
    assert ok.channel == "mobile"
    assert desk.count() == 1 and len(desk.events()) == 1


async def test_each_created_request_writes_exactly_one_outbox_event(desk):
    home_ = device("hh-a")
    made = [await create(desk, home_, description=f"#{i}") for i in range(3)]
    await rpc_error(create(desk, home_, service_type="nope"))
    rows = desk.events()
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
    home_ = device("hh-a")
    await create(desk, home_)
    err = await rpc_error(list_(desk, home_, **page))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_errors_of(err)


async def test_page_token_beyond_64_bits_is_invalid_argument(desk):
    home_ = device("hh-a")
    await create(desk, home_)
    err = await rpc_error(list_(desk, home_, page_token="9" * 30))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (err.code(), err.details())


async def test_an_unexpected_failure_is_internal_and_tells_the_caller_nothing_of_the_insides(desk):
    home_ = device("hh-a")
    await create(desk, home_)
    with desk.db.transaction() as s:  # the database breaks under the service
        s.execute(text("DROP TABLE audit_entries"))
        s.execute(text("DROP TABLE service_requests"))
    err = await rpc_error(list_(desk, home_))
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
    home_ = device("hh-a")
    fields = dict(service_type="fault_repair_general", description="ok", idempotency_key="k")
    fields[field] = "a\x00b"
    err = await rpc_error(
        desk.stub.CreateServiceRequest(pb.CreateServiceRequestRequest(**fields), metadata=desk.md(home_))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (err.code(), err.details()[:200])
    assert field in field_errors_of(err)
    assert desk.count() == 0 and desk.events() == []
