"""The TV's home is cached per household in Redis, in the running platform, and a change someone
else makes shows on the household's next home without its asking fresh: the technician's dispatch
reaches the household as a push, and every push drops the household's cached home
(gateway/routes/home.py `forget`)."""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid

import httpx
import pytest
import redis

from e2e.platform import SseListener, sign_in_tv
from e2e.test_eldercare_phone import member_token
from gateway.routes.home import HOME_CACHE_SECONDS, cache_key

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


def staff(c: httpx.Client, p, username: str) -> dict:
    r = c.post(
        "/v1/identity/token",
        data={"grant_type": "password", "username": username, "password": p.seed.password(username)},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def desk_items(home: dict) -> list[dict]:
    return next(t for t in home["tiles"] if t["service"] == "servicedesk")["items"]


def test_a_dispatch_by_staff_shows_on_the_cached_home_without_asking_fresh(platform):
    p = platform
    [household] = p.households_of("home")
    cache = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:16379/0"))
    with httpx.Client(base_url=p.base_url, timeout=30) as c:
        token = sign_in_tv(c, household, f"STB-{uuid.uuid4().hex[:8]}")
        tv = {"Authorization": f"Bearer {token}"}
        stream = SseListener(p.base_url, token).start()
        try:
            r = c.post(
                "/v1/servicedesk/requests",
                json={"service_type": "fault_repair_general", "description": "电视没有图像"},
                headers={**tv, "Idempotency-Key": uuid.uuid4().hex},
            )
            assert r.status_code == 201, r.text
            request_id = r.json()["id"]
            stream.wait_for(lambda e: e.get("event") == "service_request.received")
            home = c.get("/v1/home", headers=tv).json()
            cached_at = time.monotonic()
            [item] = desk_items(home)
            assert (item["id"], item["state"]) == (request_id, "submitted")
            key = cache_key(household["id"], "tv")
            assert 0 < cache.ttl(key), "the home is cached in Redis"
            assert c.get("/v1/home", headers=tv).json() == home, "and served from it"

            # The point's manager accepts and dispatches it: the household is told, and its next
            # home (not asked fresh) says so.
            manager = staff(c, p, "manager.jb")
            # (hours ahead no other module books tech2.jb for: e2e/test_tv.py takes 30)
            start = dt.datetime.now(dt.UTC) + dt.timedelta(hours=80)
            window = {"window_start": start.isoformat(), "window_end": (start + dt.timedelta(hours=1)).isoformat()}
            for action, body in (("accept", {}), ("dispatch", {"technician": "tech2.jb", **window})):
                r = c.post(f"/v1/servicedesk/staff/requests/{request_id}/{action}", json=body, headers=manager)
                assert r.status_code == 200, (action, r.text)
            stream.wait_for(lambda e: e.get("event") == "service_request.dispatched")
            while cache.exists(key):  # (dropped as the push reaches the gateway)
                assert time.monotonic() - cached_at < HOME_CACHE_SECONDS - 1, "the push left the cached home"
                time.sleep(0.1)
            assert time.monotonic() - cached_at < HOME_CACHE_SECONDS, "dropped, not lapsed"
            [item] = desk_items(c.get("/v1/home", headers=tv).json())
            assert (item["id"], item["state"]) == (request_id, "dispatched")
        finally:
            stream.stop()


def test_a_phone_and_a_tv_of_one_household_each_get_their_own_home_at_once(platform):
    """The TV's home is cached first; the member's phone right after gets its own (with eldercare's
    tile to bind family, which the TV has not), and the TV still its own."""
    p = platform
    [household] = p.households_of("home")
    with httpx.Client(base_url=p.base_url, timeout=30) as c:
        tv = {"Authorization": f"Bearer {sign_in_tv(c, household, f'STB-{uuid.uuid4().hex[:8]}')}"}
        phone = {"Authorization": f"Bearer {member_token(c, household['members'][0])}"}

        def eldercare(home: dict) -> list[str]:
            return [i["title"] for t in home["tiles"] if t["service"] == "eldercare" for i in t["items"]]

        tv_home = c.get("/v1/home", headers=tv).json()
        assert eldercare(tv_home) == [], "no elder in this household: nothing of eldercare on the TV"
        assert "绑定家中老人" in eldercare(c.get("/v1/home", headers=phone).json()), "the phone's own home"
        assert c.get("/v1/home", headers=tv).json() == tv_home
