"""Staff acting for a household, over real gRPC against a real identity: the household and its area
are identity's (GetHousehold), never what the request says; an idempotency key is its filer's own
and a retry must ask for all the same; a reason the household reads on its TV is one short line."""

from __future__ import annotations

import json
import socket
import uuid

import grpc
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives import serialization

from identity.service import SERVICE as IDENTITY
from runtime.grpc_server import field_errors_of
from runtime.households import IdentityHouseholds
from runtime.testing import household, rpc_error
from runtime.times import utcnow
from servicedesk import events
from servicedesk.scheduler import SlaScheduler
from servicedesk.service import SERVICE
from servicedesk.servicer import ServiceDeskServicer
from servicedesk.tests.desk import AGENT_WJJ, HH_VILLAGE, MANAGER_WJJ, WJJ_URBAN, Desk

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

MINE = {"id": f"hh-wjj-{uuid.uuid4().hex[:8]}", "area_code": WJJ_URBAN}
HONGHE = {"id": f"hh-hh-{uuid.uuid4().hex[:8]}", "area_code": HH_VILLAGE}
SEED = {
    "households": [
        {**h, "name": "测试家庭", "address": "测试地址", "members": [{"phone": p, "password": "pw"}]}
        for h, p in ((MINE, "13900000101"), (HONGHE, "13900000102"))
    ],
    "staff": [],
    "departments": [],
}


@pytest_asyncio.fixture(loop_scope="session")
async def desk(grpc_service, tokens, database_url, tmp_path, monkeypatch) -> Desk:
    """The service desk, asking a real identity server (on its own SQLite file) who households are."""
    seed, key = tmp_path / "seed.json", tmp_path / "key.pem"
    seed.write_text(json.dumps(SEED, ensure_ascii=False), encoding="utf-8")
    key.write_bytes(
        tokens.signer.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    monkeypatch.setenv("IDENTITY_SEED_FILE", str(seed))
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILE", str(key))
    monkeypatch.delenv("REDIS_URL", raising=False)
    identity = await grpc_service(IDENTITY, f"sqlite:///{tmp_path / 'identity.db'}")
    households = IdentityHouseholds(f"127.0.0.1:{identity.port}")
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: ServiceDeskServicer(ctx.db, households=households)
    )
    return Desk(running, utcnow, SlaScheduler(running.db, running.servicer.desk.standards))  # type: ignore[arg-type]


def for_household(h: dict, key: str = "", **over) -> dict:
    return {
        "channel": "village_agent",
        "household_id": h["id"],
        "consent": "户主当面同意并签字",
        "idempotency_key": key or uuid.uuid4().hex,
        **over,
    }


async def refused(desk, awaitable, code, field=None) -> grpc.aio.AioRpcError:
    before = (desk.count(), len(desk.events()))
    err = await rpc_error(awaitable)
    assert err.code() == code, (err.code(), err.details())
    if field:
        assert field in field_errors_of(err), field_errors_of(err)
    assert (desk.count(), len(desk.events())) == before, "a refused filing changes nothing"
    return err


async def test_an_agent_files_for_a_household_of_another_town_and_is_refused(desk):
    # Typing the agent's own village for it, or its real one: identity says where it lives.
    err = await refused(
        desk,
        desk.file(AGENT_WJJ, **for_household(HONGHE, household_area_code=WJJ_URBAN)),
        grpc.StatusCode.PERMISSION_DENIED,
        "household_area_code",
    )
    assert "not registered in area" in err.details()
    err = await refused(desk, desk.file(AGENT_WJJ, **for_household(HONGHE)), grpc.StatusCode.PERMISSION_DENIED)
    assert "own village" in err.details()
    assert (await desk.call("ListMyServiceRequests", household(HONGHE["id"], HH_VILLAGE))).requests == []


async def test_an_unknown_household_is_not_found_and_a_malformed_one_invalid(desk):
    err = await refused(
        desk, desk.file(AGENT_WJJ, **for_household({"id": "hh-nobody"})), grpc.StatusCode.NOT_FOUND, "household_id"
    )
    assert "hh-nobody" in err.details()
    for bad in ("x" * 37, "hh\x00nul", ""):
        await refused(
            desk, desk.file(AGENT_WJJ, **for_household({"id": bad})), grpc.StatusCode.INVALID_ARGUMENT, "household_id"
        )


async def test_the_agent_files_for_a_household_of_their_village_in_its_registered_area(desk):
    r = await desk.file(AGENT_WJJ, **for_household(MINE))
    assert r.household_id == MINE["id"] and r.area.code == WJJ_URBAN and r.service_point_code == "SP-330411101"
    mine = await desk.call("ListMyServiceRequests", household(MINE["id"], WJJ_URBAN))
    assert [x.id for x in mine.requests] == [r.id]


async def test_a_key_is_its_filers_own_and_a_retry_must_ask_for_all_the_same(desk):
    key = uuid.uuid4().hex
    first = await desk.file(AGENT_WJJ, **for_household(MINE, key))
    assert (await desk.file(AGENT_WJJ, **for_household(MINE, key))) == first
    # The same key from the manager at the counter, or the household's TV: their own requests.
    counter = await desk.file(MANAGER_WJJ, **for_household(MINE, key, channel="service_hall"))
    tv = await desk.file(household(MINE["id"], WJJ_URBAN), idempotency_key=key)
    assert len({first.id, counter.id, tv.id}) == 3 and first.submitted_by.actor_id == AGENT_WJJ.subject
    # The same filer and key asking for anything else: refused, naming the key.
    for over in ({"consent": "电话同意"}, {"materials": ["id_card"]}, {"description": "另一个问题"}):
        err = await refused(
            desk,
            desk.file(AGENT_WJJ, **for_household(MINE, key, **over)),
            grpc.StatusCode.ALREADY_EXISTS,
            "idempotency_key",
        )
        assert "different request" in err.details()
    # A retry is checked again: the key does not let the agent at a household they may not act for.
    await refused(desk, desk.file(AGENT_WJJ, **for_household(HONGHE, key)), grpc.StatusCode.PERMISSION_DENIED)


@pytest.mark.parametrize("move", ["RejectServiceRequest", "WaitForCitizen"])
async def test_a_reason_the_household_reads_is_one_short_visible_line(desk, move):
    r = await desk.file(household(MINE["id"], WJJ_URBAN))
    if move == "WaitForCitizen":
        await desk.call("AcceptServiceRequest", MANAGER_WJJ, id=r.id)
    before = len(desk.events(events.REQUEST_TRANSITIONED))
    for bad in ("长" * 141, "第一行\n第二行", "请\u202e致电", "零\u200b宽", "隔\u2066离", "软\u00ad连字", ""):
        await refused(
            desk, desk.call(move, MANAGER_WJJ, id=r.id, reason=bad), grpc.StatusCode.INVALID_ARGUMENT, "reason"
        )
    assert len(desk.events(events.REQUEST_TRANSITIONED)) == before
    moved = await desk.call(move, MANAGER_WJJ, id=r.id, reason="材料不全，请带身份证到服务站" + "。" * 126)
    assert moved.reason.startswith("材料不全") and len(moved.reason) == 140
    assert desk.row(r.id).reason == moved.reason


async def test_with_identity_not_answering_staff_filings_are_unavailable_and_file_nothing(grpc_service, database_url):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        nobody = s.getsockname()[1]  # a port nothing listens on once closed
    households = IdentityHouseholds(f"127.0.0.1:{nobody}", timeout=1)
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: ServiceDeskServicer(ctx.db, households=households)
    )
    desk = Desk(running, utcnow, SlaScheduler(running.db, running.servicer.desk.standards))
    err = await refused(desk, desk.file(AGENT_WJJ, **for_household(MINE)), grpc.StatusCode.UNAVAILABLE)
    assert "try again" in err.details()
    # A household on its own terminal needs no look-up.
    assert (await desk.file(household(MINE["id"], WJJ_URBAN))).household_id == MINE["id"]
