"""A TV's tokens through the real gateway (uvicorn in a thread) and the real identity server
(its declaration, on SQLite, started by the runtime's test plugin): the device grant with the
box's secret (two households approving STB-0001 get different device ids), refresh tokens
(rotation, reuse revokes the family), a household removing a stolen box (its next call is 401
within the gateway's revocation refresh), and a rotated key file that signs out no TV."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import update

from gateway.tests.test_rate_limit import running_gateway
from identity import handlers, store
from identity.service import SERVICE, device_policy
from identity.store import UnitOfWork
from runtime.auth import key_id

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

STB = "sbc-set-top-box"
REFRESH_SECONDS = 0.5  # the gateway's revocation refresh here


def households(n: int) -> list[dict]:
    run = uuid.uuid4().hex[:6]
    return [
        {
            "id": f"hh-life-{run}-{i}",
            "name": f"测试{i}家",
            "area_code": "330411101001",
            "phone": f"137{uuid.uuid4().int % 10**8:08d}",
            "password": f"pass-{run}-{i}",
        }
        for i in range(n)
    ]


def seed(db, *members: dict) -> None:
    handlers.load_seed(
        UnitOfWork(db),
        {
            "households": [
                {
                    "id": m["id"],
                    "name": m["name"],
                    "area_code": m["area_code"],
                    "members": [{"phone": m["phone"], "password": m["password"]}],
                }
                for m in members
            ]
        },
        set(),
    )


def write_key(path, key: ec.EllipticCurvePrivateKey | None = None) -> ec.EllipticCurvePrivateKey:
    key = key or ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return key


@contextlib.asynccontextmanager
async def gateway_for(identity_addr: str, redis_url: str, kafka_bootstrap: str):
    # Started in a thread: the identity server runs on this test's event loop, which must keep turning.
    cm = running_gateway(
        identity_addr=identity_addr,
        redis_url=redis_url.rsplit("/", 1)[0] + "/15",
        kafka_bootstrap_servers=kafka_bootstrap,
        revocation_refresh_seconds=REFRESH_SECONDS,
    )
    url = await asyncio.to_thread(cm.__enter__)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as c:
            yield c
    finally:
        await asyncio.to_thread(cm.__exit__, None, None, None)


async def sign_in(c: httpx.AsyncClient, member: dict, serial: str, secret: str = "") -> dict:
    """The whole device grant through the gateway: the TV asks, the phone page confirms, the TV polls."""
    form = {"client_id": STB, "device_serial": serial} | ({"device_secret": secret} if secret else {})
    grant = (await c.post("/v1/identity/device_authorization", data=form)).json()
    page = await c.post(
        "/identity/device",
        data={"user_code": grant["user_code"], "phone": member["phone"], "password": member["password"]},
    )
    assert page.status_code == 200, page.text
    r = await c.post(
        "/v1/identity/token",
        data={
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "client_id": STB,
            "device_code": grant["device_code"],
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


async def refresh(c: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await c.post(
        "/v1/identity/token", data={"grant_type": "refresh_token", "client_id": STB, "refresh_token": refresh_token}
    )


def bearer(token: dict | str) -> dict:
    return {"Authorization": f"Bearer {token if isinstance(token, str) else token['access_token']}"}


def device_id(token: dict) -> str:
    return jwt.decode(token["access_token"], options={"verify_signature": False})["did"]


async def until_401(c: httpx.AsyncClient, token: dict, bound: float) -> float:
    """Seconds until the token's calls are refused (fails past `bound`)."""
    start = time.monotonic()
    while True:
        r = await c.get("/v1/identity/devices", headers=bearer(token))
        if r.status_code == 401:
            assert r.headers["content-type"].startswith("application/problem+json")
            return time.monotonic() - start
        assert r.status_code == 200, r.text
        assert time.monotonic() - start < bound, "the revoked token still works"
        await asyncio.sleep(0.05)


async def stream_status(c: httpx.AsyncClient, token: dict | str) -> int:
    """What the gateway answers a TV opening its push stream with this token (checked by the
    gateway alone: the stream calls no service with it)."""
    async with c.stream("GET", "/v1/terminal/events", headers=bearer(token)) as r:
        return r.status_code


@pytest.fixture
async def identity(grpc_service, tokens, tmp_path, monkeypatch):
    # Identity signs with the test plugin's key, which its server (like every service's here)
    # verifies callers with.
    write_key(tmp_path / "key.pem", tokens.signer.private_key)
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILE", str(tmp_path / "key.pem"))
    monkeypatch.delenv("IDENTITY_SEED_FILE", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    return await grpc_service(SERVICE, f"sqlite:///{tmp_path / 'identity.db'}")


async def test_two_households_approving_stb_0001_get_boxes_of_their_own(identity, redis_url, kafka_bootstrap):
    zhang, li = households(2)
    seed(identity.db, zhang, li)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        first = await sign_in(c, zhang, "STB-0001")
        second = await sign_in(c, li, "STB-0001")
        assert first["device_secret"] and second["device_secret"] and first["refresh_token"]
        assert device_id(first) != device_id(second)
        # Each household sees only its own box.
        r = await c.get("/v1/identity/devices", headers=bearer(first))
        assert r.status_code == 200, r.text
        mine = r.json()["devices"]
        theirs = (await c.get("/v1/identity/devices", headers=bearer(second))).json()["devices"]
        assert [d["id"] for d in mine] == [device_id(first)] and [d["id"] for d in theirs] == [device_id(second)]
        # 李家 cannot remove 张家's box; 张家's box, signed in again with its secret, keeps its id.
        r = await c.post(f"/v1/identity/devices/{device_id(first)}/revoke", headers=bearer(second))
        assert r.status_code == 404, r.text
        again = await sign_in(c, zhang, "STB-0001", secret=first["device_secret"])
        assert device_id(again) == device_id(first) and "device_secret" not in again


async def test_refresh_tokens_rotate_and_a_reused_one_signs_the_box_out(identity, redis_url, kafka_bootstrap):
    (member,) = households(1)
    seed(identity.db, member)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        first = await sign_in(c, member, f"STB-{uuid.uuid4().hex[:8]}")
        assert first["expires_in"] == int(device_policy().access_ttl.total_seconds())
        r = await refresh(c, first["refresh_token"])
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        second = r.json()
        assert second["refresh_token"] != first["refresh_token"] and device_id(second) == device_id(first)
        assert (await c.get("/v1/identity/devices", headers=bearer(second))).status_code == 200

        # The first refresh token again (copied off the box): invalid_grant, and the family is gone.
        r = await refresh(c, first["refresh_token"])
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
        assert (await refresh(c, second["refresh_token"])).json()["error"] == "invalid_grant"
        # ... and the box's access tokens stop working within the revocation refresh.
        assert await until_401(c, second, bound=REFRESH_SECONDS + 3) <= REFRESH_SECONDS + 3

        # Bad input: each a clear OAuth error, and nothing changes.
        for data in ({"grant_type": "refresh_token", "client_id": STB}, {"grant_type": "refresh_token"}):
            r = await c.post("/v1/identity/token", data=data)
            assert r.status_code == 400 and r.json()["error"] == "invalid_request"
        r = await refresh(c, "x" * 201)
        assert r.status_code == 422
        r = await c.post(
            "/v1/identity/token",
            data={"grant_type": "refresh_token", "client_id": "evil", "refresh_token": "abc"},
        )
        assert r.status_code == 400 and r.json()["error"] == "invalid_client"


async def test_a_revoked_box_is_refused_within_the_refresh_bound(identity, redis_url, kafka_bootstrap):
    (member,) = households(1)
    seed(identity.db, member)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        stolen = await sign_in(c, member, f"STB-{uuid.uuid4().hex[:8]}")
        kept = await sign_in(c, member, f"STB-{uuid.uuid4().hex[:8]}")
        assert (await c.get("/v1/identity/devices", headers=bearer(stolen))).status_code == 200  # verified, cached
        r = await c.post(f"/v1/identity/devices/{device_id(stolen)}/revoke", headers=bearer(kept))
        assert r.status_code == 204, r.text
        waited = await until_401(c, stolen, bound=REFRESH_SECONDS + 3)
        print(f"a revoked box was refused {waited:.2f} s after its revocation (refresh every {REFRESH_SECONDS} s)")
        assert (await c.get("/v1/identity/devices", headers=bearer(kept))).status_code == 200
        assert (await refresh(c, stolen["refresh_token"])).json()["error"] == "invalid_grant"
        # Unauthorized and malformed: no token, a bad device id.
        assert (await c.post(f"/v1/identity/devices/{device_id(kept)}/revoke")).status_code == 401
        assert (await c.post("/v1/identity/devices/NOT-A-UUID!/revoke", headers=bearer(kept))).status_code == 422
        assert (await c.get("/v1/identity/devices", headers=bearer(kept))).status_code == 200


async def test_rotating_the_key_file_signs_out_no_tv(
    grpc_service, tokens, tmp_path, monkeypatch, redis_url, kafka_bootstrap
):
    database = f"sqlite:///{tmp_path / 'identity.db'}"
    old = write_key(tmp_path / "old.pem", tokens.signer.private_key)
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILE", str(tmp_path / "old.pem"))
    monkeypatch.delenv("IDENTITY_SEED_FILE", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    before = await grpc_service(SERVICE, database)
    (member,) = households(1)
    seed(before.db, member)
    async with gateway_for(f"127.0.0.1:{before.port}", redis_url, kafka_bootstrap) as c:
        token = await sign_in(c, member, f"STB-{uuid.uuid4().hex[:8]}")
    assert jwt.get_unverified_header(token["access_token"])["kid"] == key_id(old)

    # The Secret is rotated; identity restarts with the new key; so does the gateway (it knows no key yet).
    new = write_key(tmp_path / "new.pem")
    monkeypatch.setenv("IDENTITY_SIGNING_KEY_FILE", str(tmp_path / "new.pem"))
    after = await grpc_service(SERVICE, database)
    async with gateway_for(f"127.0.0.1:{after.port}", redis_url, kafka_bootstrap) as c:
        assert await stream_status(c, token) == 200
        r = await c.get("/v1/identity/devices", headers=bearer(token))
        assert r.status_code == 200, r.text
        fresh = (await refresh(c, token["refresh_token"])).json()
        assert jwt.get_unverified_header(fresh["access_token"])["kid"] == key_id(new)
        assert await stream_status(c, fresh) == 200
        kids = {k["kid"] for k in (await c.get("/v1/identity/jwks.json")).json()["keys"]}
        assert kids == {key_id(old), key_id(new)}

    # Long after the rotation, every token of the old key has expired and the key is removed:
    # a token it signed (here one that claims to live on) is refused.
    with after.db.transaction() as s:
        s.execute(
            update(store.signing_keys)
            .where(store.signing_keys.c.kid == key_id(old))
            .values(retired_at=dt.datetime.now(dt.UTC) - device_policy().longest_access_ttl() - dt.timedelta(hours=1))
        )
    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    forged_to_live = jwt.encode(
        {**claims, "exp": int(time.time()) + 3600}, old, algorithm="ES256", headers={"kid": key_id(old)}
    )
    async with gateway_for(f"127.0.0.1:{after.port}", redis_url, kafka_bootstrap) as c:
        r = await c.get("/v1/identity/devices", headers=bearer(forged_to_live))
        assert r.status_code == 401 and re.search("unknown key", r.json()["detail"])
        assert await stream_status(c, forged_to_live) == 401
        assert await stream_status(c, fresh) == 200
