"""The phone app's sign-in through the real gateway and identity server (the fixtures of
test_token_lifecycle.py): the password grant with client_id sbc-phone gives a household member's
token (it reads the household's devices) and a rotating refresh token; a wrong password is 401
invalid_grant; a locked account is 429 with the lock's real Retry-After; malformed and missing
input a clear 400/422; the /phone/ app and its service worker are served."""

from __future__ import annotations

import json

import jwt
import pytest

from gateway.tests.test_token_lifecycle import bearer, gateway_for, households, identity, seed  # noqa: F401
from identity import domain, service
from identity.service import device_policy

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

PHONE = "sbc-phone"
SIGN_IN = domain.SignInPolicy.of(json.loads((service.DATA / "sign_in.json").read_text(encoding="utf-8")))


def password_grant(member: dict, password: str | None = None) -> dict:
    return {
        "grant_type": "password",
        "client_id": PHONE,
        "username": member["phone"],
        "password": password or member["password"],
    }


async def test_a_member_signs_in_on_the_phone_and_refreshes(identity, redis_url, kafka_bootstrap):
    (member,) = households(1)
    seed(identity.db, member)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        r = await c.post("/v1/identity/token", data=password_grant(member))
        assert r.status_code == 200, r.text
        assert r.headers["cache-control"] == "no-store"
        first = r.json()
        claims = jwt.decode(first["access_token"], options={"verify_signature": False})
        assert claims["typ"] == "member" and claims["hid"] == member["id"] and claims["sub"].startswith("member:")
        assert first["expires_in"] == int(device_policy().member_access_ttl.total_seconds())
        assert "device_secret" not in first
        # A household's call works with it.
        assert (await c.get("/v1/identity/devices", headers=bearer(first))).status_code == 200

        r = await c.post(
            "/v1/identity/token",
            data={"grant_type": "refresh_token", "client_id": PHONE, "refresh_token": first["refresh_token"]},
        )
        assert r.status_code == 200, r.text
        second = r.json()
        assert second["refresh_token"] != first["refresh_token"]
        assert jwt.decode(second["access_token"], options={"verify_signature": False})["sub"] == claims["sub"]
        # Used before: invalid_grant.
        r = await c.post(
            "/v1/identity/token",
            data={"grant_type": "refresh_token", "client_id": PHONE, "refresh_token": first["refresh_token"]},
        )
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


async def test_wrong_password_locked_out_malformed_and_missing(identity, redis_url, kafka_bootstrap):
    (member,) = households(1)
    seed(identity.db, member)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        # Missing and malformed: a clear error, nothing counted against the account.
        for data, status, error in (
            ({"grant_type": "password", "client_id": PHONE, "username": member["phone"]}, 400, "invalid_request"),
            ({"grant_type": "password", "client_id": PHONE, "password": "x"}, 400, "invalid_request"),
            (password_grant(member) | {"client_id": "evil-app"}, 401, "invalid_grant"),  # staff: no such user
            (password_grant(member) | {"username": "138\x01"}, 400, "invalid_request"),
        ):
            r = await c.post("/v1/identity/token", data=data)
            assert r.status_code == status and r.json()["error"] == error, (data, r.text)
        r = await c.post("/v1/identity/token", data=password_grant(member) | {"username": "1" * 201})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")

        for _ in range(SIGN_IN.free_failures):
            r = await c.post("/v1/identity/token", data=password_grant(member, "wrong-pass"))
            assert r.status_code == 401 and r.json()["error"] == "invalid_grant", r.text
        # Locked now, even with the right password: 429 with the lock's own Retry-After.
        r = await c.post("/v1/identity/token", data=password_grant(member))
        assert r.status_code == 429, r.text
        assert r.json()["error"] == "slow_down" and r.headers["retry-after"] == str(SIGN_IN.first_lockout_seconds)
        assert r.headers["cache-control"] == "no-store"


async def test_the_phone_app_is_served(identity, redis_url, kafka_bootstrap):
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        r = await c.get("/phone/")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert 'lang="zh-CN"' in r.text and "manifest.webmanifest" in r.text
        manifest = (await c.get("/phone/manifest.webmanifest")).json()
        assert manifest["start_url"] == "/phone/" and manifest["display"] == "standalone"
        assert any(i["sizes"] == "512x512" for i in manifest["icons"])
        sw = await c.get("/phone/sw.js")
        assert sw.status_code == 200 and "javascript" in sw.headers["content-type"]
        # The worker may control all of /phone/ and is never served stale itself.
        assert sw.headers["cache-control"] == "no-cache"
        assert (await c.get("/phone/no-such-file.js")).status_code == 404
