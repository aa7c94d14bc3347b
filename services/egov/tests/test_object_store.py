"""Materials in an S3-compatible object store (runtime.objects), over real gRPC on SQLite and
PostgreSQL and the real local store (infra/local/objectstore.sh: versitygw): the file goes to the
bucket under its content's digest before the commit, the row keeps only what is known of it, a
department reads it back; with the store not answering, nothing is acknowledged and nothing changes."""

from __future__ import annotations

import dataclasses
import hashlib

import grpc
import pytest
from minio import Minio

from egov import store
from egov.service import SERVICE
from egov.servicer import EgovServicer
from egov.tests.conftest import PDF, PNG, REGISTERED, catalogs
from egov.tests.test_grpc import DIBAO, add, counts, start
from runtime import objects
from runtime.testing import rpc_error
from sbc.egov.v1 import egov_pb2 as pb
from sbc.egov.v1 import egov_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def bucket() -> objects.ObjectStore:
    configured = objects.from_env("egov")
    assert configured is not None, "OBJECT_STORE_URL: start the local store (bash infra/local/infra.sh up)"
    return configured


@pytest.fixture
async def svc(grpc_service, database_url, clock, bucket):
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: EgovServicer(ctx.db, catalogs(), clock, REGISTERED, objects=bucket)
    )
    running.api = running.stub(egov_pb2_grpc.EgovServiceStub)
    return running


def row(db, app_id: str, code: str):
    with db.transaction() as s:
        m = store.materials.c
        return s.execute(store.materials.select().where(m.application_id == app_id, m.code == code)).one()


async def test_a_material_is_kept_in_the_bucket_and_read_back_from_it(svc, who, bucket):
    draft = await start(svc, who.home, DIBAO)
    unique = PDF + draft.id.encode()  # a file of this test's own
    shown = await add(svc, who.home, draft.id, "id_card", content=unique, file_name="身份证.pdf")
    given = {m.code: m for m in shown.materials}["id_card"]
    assert (given.file_name, given.media_type, given.size) == ("身份证.pdf", "application/pdf", len(unique))

    kept = row(svc.db, draft.id, "id_card")
    digest = hashlib.sha256(unique).hexdigest()
    assert (kept.object_key, kept.content, kept.sha256) == (f"egov/{digest}", b"", digest), "only its key in the row"
    stat = bucket.client.stat_object(bucket.bucket, kept.object_key)  # in the store itself
    assert (stat.size, stat.content_type) == (len(unique), "application/pdf")

    for caller in (who.home, who.civil):
        file = await svc.api.GetMaterial(
            pb.GetMaterialRequest(application_id=draft.id, material_code="id_card"), metadata=svc.md(caller)
        )
        assert (file.content, file.media_type, file.file_name) == (unique, "application/pdf", "身份证.pdf")
    # The same file for another material: the same object (its key is its digest).
    await add(svc, who.home, draft.id, "household_register", content=unique)
    assert row(svc.db, draft.id, "household_register").object_key == kept.object_key


async def test_with_the_store_not_answering_nothing_is_acknowledged_and_nothing_changes(svc, who, bucket):
    draft = await start(svc, who.home, DIBAO)
    await add(svc, who.home, draft.id, "id_card", content=PNG + draft.id.encode())
    before = counts(svc.db)
    away = Minio("127.0.0.1:9", access_key="x", secret_key="y", secure=False, http_client=bucket.client._http)
    svc.servicer.objects = dataclasses.replace(bucket, client=away)
    err = await rpc_error(add(svc, who.home, draft.id, "income_statement", content=PDF + b"away"))
    assert err.code() == grpc.StatusCode.UNAVAILABLE and "object store" in err.details()
    assert counts(svc.db) == before, "no material, no step, no event"
    err = await rpc_error(
        svc.api.GetMaterial(
            pb.GetMaterialRequest(application_id=draft.id, material_code="id_card"), metadata=svc.md(who.home)
        )
    )
    assert err.code() == grpc.StatusCode.UNAVAILABLE
    svc.servicer.objects = bucket  # back: the same call now works
    await add(svc, who.home, draft.id, "income_statement", content=PDF + b"away")
    assert counts(svc.db)[2] == before[2] + 1


async def test_a_misconfigured_store_stops_the_service_at_start(monkeypatch):
    monkeypatch.setenv("OBJECT_STORE_URL", "s3.example:9000")
    with pytest.raises(ValueError, match="OBJECT_STORE_URL"):
        objects.from_env("egov")
    monkeypatch.setenv("OBJECT_STORE_URL", "http://127.0.0.1:19000")
    monkeypatch.setenv("OBJECT_STORE_BUCKET", "")
    with pytest.raises(ValueError, match="OBJECT_STORE_BUCKET"):
        objects.from_env("egov")
    monkeypatch.delenv("OBJECT_STORE_URL")
    assert objects.from_env("egov") is None, "unset: materials stay in the database"
