"""A sign-in locked out after too many wrong passwords says, through the gateway, how long to
wait: identity's own lockout (services/identity/data/sign_in.json), not a second, so a TV or a
phone that waits as told is not retried into a longer lockout."""

from __future__ import annotations

import json
import pathlib
import uuid

import httpx
import pytest

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

POLICY = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "services/identity/data/sign_in.json").read_text(encoding="utf-8")
)


def test_a_locked_out_sign_in_is_told_the_real_wait_in_retry_after(platform):
    username = f"lockout-{uuid.uuid4().hex[:8]}"  # an account of this test only
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:

        def sign_in(password: str) -> httpx.Response:
            return c.post(
                "/v1/identity/token", data={"grant_type": "password", "username": username, "password": password}
            )

        for _ in range(POLICY["free_failures"]):
            assert sign_in("wrong").status_code == 401
        locked = sign_in("still wrong")
    assert locked.status_code == 429, locked.text
    # The token endpoint answers in OAuth's words (RFC 6749 5.2), with the lock's own wait.
    assert locked.headers["Retry-After"] == str(POLICY["first_lockout_seconds"])
    assert locked.json()["error"] == "slow_down"
    assert f"{POLICY['first_lockout_seconds']} s" in locked.json()["error_description"]
