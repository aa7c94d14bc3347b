"""A staff member who left, through the real gateway and the real identity server
(test_token_lifecycle.py's): a staff administrator revokes the account; the member's next call is
401 within the revocation refresh, and signing in again is 401; callers who may not, and bad
input, change nothing."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from gateway.tests.test_box_revocation import staff
from gateway.tests.test_token_lifecycle import (  # noqa: F401 (the fixture)
    REFRESH_SECONDS,
    bearer,
    gateway_for,
    households,
    identity,
    seed,
)

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_a_member_who_left_is_refused_on_the_next_call(identity, redis_url, kafka_bootstrap):
    (household,) = households(1)  # 王江泾镇 民主村 (330411101001)
    seed(identity.db, household)
    async with gateway_for(f"127.0.0.1:{identity.port}", redis_url, kafka_bootstrap) as c:
        run = uuid.uuid4().hex[:6]
        admin = await staff(c, identity, f"admin-{run}", ["staff_admin"], "330411101")
        outsider = await staff(c, identity, f"admin-hh-{run}", ["staff_admin"], "330411105")
        boxes = await staff(c, identity, f"boxes-{run}", ["device_manager"], "330411101")
        leaver, password = f"leaver-{run}", f"pass-{run}"
        token = await staff(c, identity, leaver, ["device_manager"], "330411101", password)
        listing = f"/v1/identity/households/{household['id']}/devices"  # a call the member may make
        path = f"/v1/identity/staff/{leaver}/revoke"

        refused = [
            (c.post(path, json={"reason": "离职"}, headers=bearer(outsider)), 403),
            (c.post(path, json={"reason": "离职"}, headers=bearer(boxes)), 403),
            (c.post(path, json={"reason": "离职"}), 401),
            (c.post(path, json={}, headers=bearer(admin)), 422),
            (c.post(path, json={"reason": ""}, headers=bearer(admin)), 422),
            (c.post(path, json={"reason": "离职" * 101}, headers=bearer(admin)), 422),
            (c.post(path, json={"reason": "离\n职"}, headers=bearer(admin)), 422),
            (c.post(path, json={"reason": "离职", "x": 1}, headers=bearer(admin)), 422),
            (c.post(path, content=b"{not json", headers=bearer(admin) | {"content-type": "application/json"}), 400),
            (c.post("/v1/identity/staff/bad name!/revoke", json={"reason": "离职"}, headers=bearer(admin)), 422),
            (c.post("/v1/identity/staff/no-such-user/revoke", json={"reason": "离职"}, headers=bearer(admin)), 404),
        ]  # fmt: skip
        for call, status in refused:
            r = await call
            assert r.status_code == status, (r.request.url, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
        assert (await c.get(listing, headers=bearer(token))).status_code == 200

        r = await c.post(path, json={"reason": "已离职，账号注销"}, headers=bearer(admin))
        assert r.status_code == 204, r.text
        start = time.monotonic()
        while (r := await c.get(listing, headers=bearer(token))).status_code == 200:
            assert time.monotonic() - start < REFRESH_SECONDS + 3, "the revoked member's token still works"
            await asyncio.sleep(0.05)
        assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
        print(f"a member who left was refused {time.monotonic() - start:.2f} s after the revocation")
        again = {"grant_type": "password", "username": leaver, "password": password}
        r = await c.post("/v1/identity/token", data=again)
        assert r.status_code == 401, r.text
        # Out of order: revoked already.
        r = await c.post(path, json={"reason": "再次注销"}, headers=bearer(admin))
        assert r.status_code == 409, r.text
        assert (await c.get(listing, headers=bearer(boxes))).status_code == 200
