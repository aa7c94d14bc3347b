"""The operator's staff revoke a stolen box through the real gateway and the real identity server
(test_token_lifecycle.py's): the household's boxes listed, the box revoked with a reason, its next
call 401 within the revocation refresh and its refresh token refused; callers who may not, and bad
input, change nothing."""

from __future__ import annotations

import uuid

import pytest

from gateway.tests.test_token_lifecycle import (  # noqa: F401 (the fixture)
    REFRESH_SECONDS,
    bearer,
    device_id,
    gateway_for,
    households,
    identity,
    refresh,
    seed,
    sign_in,
    until_401,
)
from identity import handlers
from identity.store import UnitOfWork
from runtime import registry

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def staff(c, identity, username: str, roles: list[str], area_code: str, password: str = "") -> str:
    """A new staff member, signed in through the gateway: their access token."""
    password = password or f"pass-{uuid.uuid4().hex[:6]}"
    member = {"username": username, "name": username, "password": password, "roles": roles, "area_code": area_code}
    handlers.load_seed(UnitOfWork(identity.db), {"staff": [member]}, set(registry.load().roles()))
    r = await c.post("/v1/identity/token", data={"grant_type": "password", "username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


async def test_staff_revoke_a_stolen_box_and_its_next_call_is_refused(identity, redis_url, kafka_bootstrap):
    (member,) = households(1)  # 王江泾镇 民主村 (330411101001)
    seed(identity.db, member)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        stolen = await sign_in(c, member, f"STB-{uuid.uuid4().hex[:8]}")
        kept = await sign_in(c, member, f"STB-{uuid.uuid4().hex[:8]}")
        run = uuid.uuid4().hex[:6]
        manager = await staff(c, identity, f"boxes-{run}", ["device_manager"], "330411101")
        outside = await staff(c, identity, f"boxes-hh-{run}", ["device_manager"], "330411105")
        technician = await staff(c, identity, f"tech-{run}", ["technician"], "330411101")
        path = f"/v1/identity/devices/{device_id(stolen)}/revoke"
        listing = f"/v1/identity/households/{member['id']}/devices"

        r = await c.get(listing, headers=bearer(manager))
        assert r.status_code == 200, r.text
        assert {d["id"] for d in r.json()["devices"]} == {device_id(stolen), device_id(kept)}
        assert r.json()["devices"][0]["serial"].startswith("STB-")

        # Who may not, and bad input: each a problem, and the box keeps working.
        refused = [
            (c.get(listing, headers=bearer(outside)), 403),
            (c.get(listing, headers=bearer(technician)), 403),
            (c.get(listing, headers=bearer(kept)), 403),
            (c.get(listing), 401),
            (c.get("/v1/identity/households/no-such/devices", headers=bearer(manager)), 404),
            (c.get("/v1/identity/households/bad id!/devices", headers=bearer(manager)), 422),
            (c.post(path, json={"reason": "被盗"}, headers=bearer(outside)), 403),
            (c.post(path, json={"reason": "被盗"}, headers=bearer(technician)), 403),
            (c.post(path, json={"reason": "被盗"}), 401),
            (c.post(path, json={}, headers=bearer(manager)), 400),  # staff say why
            (c.post(path, json={"reason": "被盗" * 101}, headers=bearer(manager)), 422),
            (c.post(path, json={"reason": "被\n盗"}, headers=bearer(manager)), 422),
            (c.post(path, json={"reason": "被盗", "x": 1}, headers=bearer(manager)), 422),
            (c.post(path, content=b"{not json", headers=bearer(manager) | {"content-type": "application/json"}), 400),
            (c.post(f"/v1/identity/devices/{uuid.uuid4()}/revoke", json={"reason": "x"}, headers=bearer(manager)), 404),
        ]  # fmt: skip
        for call, status in refused:
            r = await call
            assert r.status_code == status, (r.request.url, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
        assert (await c.get("/v1/identity/devices", headers=bearer(stolen))).status_code == 200

        r = await c.post(path, json={"reason": "用户来电报失：机顶盒被盗"}, headers=bearer(manager))
        assert r.status_code == 204, r.text
        waited = await until_401(c, stolen, bound=REFRESH_SECONDS + 3)
        print(f"a box revoked by staff was refused {waited:.2f} s after its revocation")
        assert (await refresh(c, stolen["refresh_token"])).json()["error"] == "invalid_grant"
        r = await c.get(listing, headers=bearer(manager))
        assert [d["id"] for d in r.json()["devices"]] == [device_id(kept)]
        # Out of order: removed already.
        r = await c.post(path, json={"reason": "再次报失"}, headers=bearer(manager))
        assert r.status_code == 409, r.text
        assert (await c.get("/v1/identity/devices", headers=bearer(kept))).status_code == 200
