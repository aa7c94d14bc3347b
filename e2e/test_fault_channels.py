"""Faults of the channels a TV depends on, on the whole platform: identity's keys unreachable
(its server frozen with SIGSTOP, then the gateway restarted without the keys) answered 503, never
401 invalid_token, so the TV keeps its token; the gateway stays ready meanwhile and /status says
what is away. (Redis down or frozen: gateway/tests/test_degraded.py, on a Redis of its own, since
the platform's Redis is shared.)"""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from e2e.platform import sign_in_tv

pytestmark = pytest.mark.infra


def wait_for(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
            if value:
                return value
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_with_identity_frozen_a_signed_in_tv_gets_503_and_keeps_its_token(platform, client):
    household = platform.households_of("fault_channels")[0]
    token = sign_in_tv(client, household, f"STB-{platform.run_id}-channels")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/servicedesk/requests", headers=auth).status_code == 200

    identity = platform.pid("identity")
    os.kill(identity, signal.SIGSTOP)
    try:
        status = wait_for(
            lambda: (s := client.get("/status").json())["dependencies"]["identity"]["state"] != "SERVING" and s,
            "the gateway's /status did not notice identity away",
        )
        assert status["status"] == "degraded"
        assert client.get("/readyz").json() == {"status": "ready"}
        # The gateway and the service desk verified this token before: it is still served.
        assert client.get("/v1/servicedesk/requests", headers=auth).status_code == 200

        # A gateway that starts now cannot fetch the keys: the token is not the TV's fault.
        platform.kill9("gateway")
        wait_for(lambda: client.get("/readyz").status_code == 200, "the gateway did not come back")
        r = client.get("/v1/servicedesk/requests", headers=auth)
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"].isdigit()
        assert "invalid_token" not in r.headers.get("www-authenticate", "")
    finally:
        os.kill(identity, signal.SIGCONT)
    # Identity back: the same token works again, without signing in.
    wait_for(
        lambda: client.get("/v1/servicedesk/requests", headers=auth).status_code == 200,
        "the TV's token was not accepted again",
    )
