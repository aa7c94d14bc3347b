"""The home screen cached per household in the real Redis (/v1/home over HTTP on the real gateway app,
with route modules of this test in place of the services): a cached home is served while a service
is down; a household never sees another's; `Cache-Control: no-cache` (what the apps send after a
change of the household's) computes it again; a home with a tile unavailable is kept only briefly;
without Redis the home is still served."""

from __future__ import annotations

import types
import uuid

import httpx
import pytest
import redis.asyncio as aioredis

from gateway import common
from gateway.app import create_app
from gateway.routes import home
from gateway.settings import GatewaySettings
from runtime.testing import household

# The tests on the loop of the (session-scoped) async fixtures, where the Redis client connects.
pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


class Desk:
    """A service desk whose tile lists the calling household's requests, until it goes down."""

    def __init__(self):
        self.requests: dict[str, list[str]] = {}
        self.down = False
        self.calls = 0

    async def home_tile(self, request, caller, token):
        self.calls += 1
        if self.down:
            raise ConnectionError("the service desk is down")
        items = [{"title": t} for t in self.requests.get(caller.household_id, [])]
        return {"title": "报修与服务", "items": items}


@pytest.fixture
async def redis_client(redis_url):
    client = aioredis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def desk(monkeypatch):
    d = Desk()
    monkeypatch.setattr(home, "tile_modules", lambda: [("servicedesk", types.SimpleNamespace(home_tile=d.home_tile))])

    async def off(request, caller, token):  # simple mode's services are not this test's
        return False, False

    monkeypatch.setattr(home, "_simple_mode", off)
    return d


@pytest.fixture
def app(redis_client):
    app = create_app(GatewaySettings())
    app.state.redis = redis_client
    return app


async def get_home(app, who, fresh: bool = False) -> dict:
    app.dependency_overrides[common.signed_in] = lambda: (who, f"token-of-{who.household_id}")
    headers = {"Cache-Control": "no-cache"} if fresh else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tv") as c:
        r = await c.get("/v1/home", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def titles(body: dict) -> list[str]:
    [tile] = body["tiles"]
    return [i["title"] for i in tile["items"]]


def a_household():
    return household(f"hh-{uuid.uuid4().hex[:12]}", area_code="330411002001")


async def test_a_cached_home_is_served_while_a_service_is_down(app, desk, redis_client):
    me = a_household()
    desk.requests[me.household_id] = ["一般故障维修"]
    first = await get_home(app, me)
    assert titles(first) == ["一般故障维修"] and desk.calls == 1
    ttl = await redis_client.ttl(home.cache_key(me.household_id))
    assert 0 < ttl <= home.HOME_CACHE_SECONDS

    desk.down = True
    again = await get_home(app, me)
    assert again == first and desk.calls == 1, "served from the cache, the service not asked"
    # Asked fresh while the desk is down: its tile alone says so, and that home is kept only briefly.
    degraded = await get_home(app, me, fresh=True)
    assert [(t["service"], t["available"]) for t in degraded["tiles"]] == [("servicedesk", False)]
    assert 0 < await redis_client.ttl(home.cache_key(me.household_id)) <= home.DEGRADED_SECONDS


async def test_a_household_never_sees_another_households_cached_home(app, desk):
    me, neighbour = a_household(), a_household()
    desk.requests[me.household_id] = ["一般故障维修"]
    desk.requests[neighbour.household_id] = ["移机"]
    assert titles(await get_home(app, me)) == ["一般故障维修"]
    theirs = await get_home(app, neighbour)
    assert theirs["household_id"] == neighbour.household_id and titles(theirs) == ["移机"]
    mine = await get_home(app, me)
    assert mine["household_id"] == me.household_id and titles(mine) == ["一般故障维修"]
    assert desk.calls == 2


async def test_a_change_of_the_households_shows_at_once_when_asked_fresh(app, desk):
    me = a_household()
    assert titles(await get_home(app, me)) == []
    desk.requests[me.household_id] = ["一般故障维修"]  # filed from the TV
    assert titles(await get_home(app, me)) == [], "cached"
    assert titles(await get_home(app, me, fresh=True)) == ["一般故障维修"]
    assert titles(await get_home(app, me)) == ["一般故障维修"], "the fresh home replaced the cached one"


async def test_without_redis_the_home_is_computed_for_every_call(desk):
    app = create_app(GatewaySettings())
    app.state.redis = aioredis.from_url("redis://127.0.0.1:1/0")  # nothing listens there
    me = a_household()
    desk.requests[me.household_id] = ["一般故障维修"]
    try:
        assert titles(await get_home(app, me)) == ["一般故障维修"]
        assert titles(await get_home(app, me)) == ["一般故障维修"] and desk.calls == 2
    finally:
        await app.state.redis.aclose()
