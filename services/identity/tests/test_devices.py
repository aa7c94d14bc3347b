"""A household's boxes over real gRPC (the `identity` server of test_grpc.py, on SQLite and
PostgreSQL): refresh tokens that work once and whose reuse revokes the family, a household's
limit of boxes, removing a box (its revocation listed for the gateway), and a rotated key file
whose previous key stays published until its tokens have expired."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import grpc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import update

from identity import store
from identity.service import SERVICE, device_policy
from identity.tests.test_grpc import LI, STB, ZHANG, identity, oauth_error  # noqa: F401 (the fixture)
from runtime.auth import key_id
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.identity.v1 import identity_pb2 as pb
from sbc.identity.v1 import identity_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

POLICY = device_policy()


def auth(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


async def refresh(identity, refresh_token: str, client_id: str = STB) -> pb.Token:
    return await identity.stub.RefreshDeviceToken(
        pb.RefreshDeviceTokenRequest(client_id=client_id, refresh_token=refresh_token)
    )


async def revocations(identity) -> dict[str, dt.datetime]:
    listed = await identity.stub.ListRevocations(pb.ListRevocationsRequest())
    return {r.subject: r.revoked_at.ToDatetime(dt.UTC) for r in listed.revocations}


async def test_a_refresh_token_gives_a_new_pair_once_and_its_reuse_revokes_the_family(identity):
    verify = (await identity.verifier()).verify
    first = await identity.sign_in_box(ZHANG)
    box = verify(first.access_token)
    second = await refresh(identity, first.refresh_token)
    assert second.refresh_token and second.refresh_token != first.refresh_token and second.device_secret == ""
    assert second.expires_in == int(POLICY.access_ttl.total_seconds())
    assert verify(second.access_token).device_id == box.device_id
    assert f"device:{box.device_id}" not in await revocations(identity)

    # The first one again: someone copied it. The family is revoked, the newer token too, and
    # the box's access tokens are listed as revoked for the gateway.
    err = await rpc_error(refresh(identity, first.refresh_token))
    assert oauth_error(err) == "invalid_grant" and "already used" in err.details()
    assert oauth_error(await rpc_error(refresh(identity, second.refresh_token))) == "invalid_grant"
    assert f"device:{box.device_id}" in await revocations(identity)
    # Signing in again with its secret gives the box a new family.
    again = await identity.sign_in_box(ZHANG, box_serial(identity, box.device_id), secret=first.device_secret)
    assert verify(again.access_token).device_id == box.device_id
    assert (await refresh(identity, again.refresh_token)).access_token


def box_serial(identity, device_id: str) -> str:
    with store.UnitOfWork(identity.db) as uow:
        return uow.devices.get(device_id).serial


async def test_bad_refresh_input_is_a_clear_error(identity):
    first = await identity.sign_in_box(LI)
    assert oauth_error(await rpc_error(refresh(identity, "no-such-token"))) == "invalid_grant"
    assert oauth_error(await rpc_error(refresh(identity, first.refresh_token, client_id="evil-tv"))) == "invalid_client"
    for bad, field in (("", "refresh_token"), ("x" * 201, "refresh_token"), ("a\x00b", "refresh_token")):
        err = await rpc_error(refresh(identity, bad))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    # None of that used the box's token up.
    assert (await refresh(identity, first.refresh_token)).access_token


async def test_a_household_removes_a_stolen_box(identity):
    verify = (await identity.verifier()).verify
    stolen = await identity.sign_in_box(ZHANG)
    kept = await identity.sign_in_box(ZHANG)
    stolen_id = verify(stolen.access_token).device_id
    listed = await identity.stub.ListMyDevices(pb.ListMyDevicesRequest(), metadata=auth(kept.access_token))
    assert stolen_id in [d.id for d in listed.devices]

    # Another household cannot remove it, nor can a caller that is not a box.
    other = await identity.sign_in(LI)
    err = await rpc_error(identity.stub.RevokeDevice(pb.RevokeDeviceRequest(device_id=stolen_id), metadata=auth(other)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(identity.stub.RevokeDevice(pb.RevokeDeviceRequest(device_id=stolen_id)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(
        identity.stub.RevokeDevice(pb.RevokeDeviceRequest(device_id=""), metadata=auth(kept.access_token))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert f"device:{stolen_id}" not in await revocations(identity)

    await identity.stub.RevokeDevice(pb.RevokeDeviceRequest(device_id=stolen_id), metadata=auth(kept.access_token))
    revoked = await revocations(identity)
    assert f"device:{stolen_id}" in revoked
    assert oauth_error(await rpc_error(refresh(identity, stolen.refresh_token))) == "invalid_grant"
    listed = await identity.stub.ListMyDevices(pb.ListMyDevicesRequest(), metadata=auth(kept.access_token))
    assert stolen_id not in [d.id for d in listed.devices]
    # Its secret no longer signs it in as itself: it would be a new device.
    again = await identity.sign_in_box(ZHANG, box_serial(identity, stolen_id), secret=stolen.device_secret)
    assert verify(again.access_token).device_id != stolen_id
    # The household's other box is untouched.
    assert (await refresh(identity, kept.refresh_token)).access_token


async def test_a_household_has_at_most_its_limit_of_boxes(identity):
    household = {"id": f"hh-{uuid.uuid4().hex[:6]}", "phone": f"139{uuid.uuid4().int % 10**8:08d}", "password": "p"}
    from identity import domain, handlers

    handlers.load_seed(
        store.UnitOfWork(identity.db),
        {
            "households": [
                {
                    "id": household["id"],
                    "name": "王家",
                    "area_code": "330411101001",
                    "members": [{"phone": household["phone"], "password": household["password"]}],
                }
            ]
        },
        set(),
    )
    boxes = [await identity.sign_in_box(household) for _ in range(POLICY.max_devices_per_household)]
    grant = await identity.start()
    err = await rpc_error(identity.confirm(grant.user_code, household))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "household" in field_errors_of(err)
    assert identity.row(grant.device_code).status == domain.AuthorizationStatus.PENDING
    # A box of the household signing in again still may.
    verify = (await identity.verifier()).verify
    first_id = verify(boxes[0].access_token).device_id
    again = await identity.sign_in_box(household, box_serial(identity, first_id), secret=boxes[0].device_secret)
    assert verify(again.access_token).device_id == first_id
    # One removed makes room for another.
    await identity.stub.RevokeDevice(pb.RevokeDeviceRequest(device_id=first_id), metadata=auth(boxes[1].access_token))
    assert (await identity.sign_in_box(household)).access_token


def write_key(path) -> ec.EllipticCurvePrivateKey:
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return key


async def test_a_rotated_key_file_keeps_the_previous_key_published_until_its_tokens_expire(
    grpc_service, database_url, tmp_path, monkeypatch
):
    old = write_key(tmp_path / "old.pem")
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILE", str(tmp_path / "old.pem"))
    monkeypatch.delenv("IDENTITY_SEED_FILE", raising=False)
    first = await grpc_service(SERVICE, database_url)
    stub = first.stub(identity_pb2_grpc.IdentityServiceStub)
    assert [k["kid"] for k in json.loads((await stub.GetJwks(pb.GetJwksRequest())).json)["keys"]] == [key_id(old)]

    # The Secret is rotated and identity restarted with the new key (the old server still runs,
    # as during a rolling update: it publishes the new key too).
    new = write_key(tmp_path / "new.pem")
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILE", str(tmp_path / "new.pem"))
    second = await grpc_service(SERVICE, database_url)
    for running in (first, second):
        jwks = json.loads((await running.stub(identity_pb2_grpc.IdentityServiceStub).GetJwks(pb.GetJwksRequest())).json)
        assert {k["kid"] for k in jwks["keys"]} == {key_id(old), key_id(new)}
        assert all("d" not in k for k in jwks["keys"])

    # Once every token the old key signed has expired, it is no longer published.
    with second.db.transaction() as s:
        s.execute(
            update(store.signing_keys)
            .where(store.signing_keys.c.kid == key_id(old))
            .values(retired_at=dt.datetime.now(dt.UTC) - POLICY.longest_access_ttl() - dt.timedelta(minutes=1))
        )
    jwks = json.loads((await second.stub(identity_pb2_grpc.IdentityServiceStub).GetJwks(pb.GetJwksRequest())).json)
    assert [k["kid"] for k in jwks["keys"]] == [key_id(new)]
