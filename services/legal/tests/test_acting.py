"""A village agent asking the legal advisor for a household, over real gRPC against a real identity
server: the household and its village are identity's (GetHousehold, runtime.households), never what
the request says (rules.acting.registered_area); an agent of another town is refused and nothing is
asked."""

from __future__ import annotations

import json
import uuid

import grpc
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives import serialization
from sqlalchemy import func, select

from identity.service import SERVICE as IDENTITY
from legal import store
from legal.service import SERVICE
from legal.servicer import LegalServicer
from legal.tests.conftest import OTHER_VILLAGE, VILLAGE, Clock, districts_with
from runtime.grpc_server import field_errors_of
from runtime.households import IdentityHouseholds
from runtime.testing import household, rpc_error, staff
from sbc.legal.v1 import legal_pb2 as pb
from sbc.legal.v1 import legal_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

MINE = {"id": f"hh-gz-{uuid.uuid4().hex[:8]}", "area_code": VILLAGE}
HONGHE = {"id": f"hh-hh-{uuid.uuid4().hex[:8]}", "area_code": OTHER_VILLAGE}
SEED = {
    "households": [
        {**h, "name": "测试家庭", "address": "测试地址", "members": [{"phone": p, "password": "pw"}]}
        for h, p in ((MINE, "13900000201"), (HONGHE, "13900000202"))
    ],
    "staff": [],
    "departments": [],
}
AGENT = staff("village_agent", username="agent.gz", area_code=VILLAGE)


@pytest_asyncio.fixture(loop_scope="session")
async def svc(grpc_service, tokens, database_url, tmp_path, monkeypatch):
    """Legal, asking a real identity server (on its own SQLite file) who households are."""
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
        SERVICE,
        database_url,
        servicer=lambda ctx: LegalServicer(ctx.db, districts_with(), Clock(), households=households),
    )
    running.api = running.stub(legal_pb2_grpc.LegalServiceStub)
    return running


def for_household(h: dict, **over) -> pb.AskQuestionRequest:
    fields = {
        "topic": "elders",
        "question": "老人的养老金被子女拿走了，可以要回来吗？",
        "household_id": h["id"],
        "consent": "户主当面同意",
        "idempotency_key": uuid.uuid4().hex,
    }
    return pb.AskQuestionRequest(**{**fields, **over})


def count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.consultations))


async def test_the_agent_asks_for_a_household_of_their_village_in_its_registered_village(svc):
    asked = await svc.api.AskQuestion(for_household(MINE), metadata=svc.md(AGENT))
    assert (asked.household_id, asked.village_code, asked.asker_kind) == (MINE["id"], VILLAGE, "village_agent")
    mine = await svc.api.ListConsultations(
        pb.ListConsultationsRequest(), metadata=svc.md(household(MINE["id"], VILLAGE))
    )
    assert [c.id for c in mine.consultations] == [asked.id]


async def test_an_agent_asking_for_a_household_of_another_town_is_refused_and_nothing_is_asked(svc):
    # Typing the agent's own village for it, its real one, or none: identity says where it lives.
    err = await rpc_error(
        svc.api.AskQuestion(for_household(HONGHE, household_area_code=VILLAGE), metadata=svc.md(AGENT))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "household_area_code" in field_errors_of(err)
    for typed in (OTHER_VILLAGE, ""):
        err = await rpc_error(
            svc.api.AskQuestion(for_household(HONGHE, household_area_code=typed), metadata=svc.md(AGENT))
        )
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, typed
    err = await rpc_error(svc.api.AskQuestion(for_household({"id": "hh-nobody"}), metadata=svc.md(AGENT)))
    assert err.code() == grpc.StatusCode.NOT_FOUND and "household_id" in field_errors_of(err)
    assert count(svc.db) == 0
    honghe = household(HONGHE["id"], OTHER_VILLAGE)
    assert (await svc.api.ListConsultations(pb.ListConsultationsRequest(), metadata=svc.md(honghe))).consultations == []
