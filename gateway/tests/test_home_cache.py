"""The home screen cached per household and kind of terminal in the real Redis (/v1/home over HTTP
on the real gateway app, with route modules of this test in place of the services): a cached home is
served while a service is down; a household never sees another's; `Cache-Control: no-cache` (what the apps send after a
change of the household's) computes it again, and drops the household's other terminals' homes; a
TV and a phone of one household each get their own home at once; a home with a tile unavailable is kept only briefly;
without Redis the home is still served."""

from __future__ import annotations

import asyncio
import types
import uuid

import httpx
import pytest
import redis.asyncio as aioredis

from gateway import common
from gateway.app import create_app
from gateway.routes import home
from gateway.settings import GatewaySettings
from runtime.auth import Caller, CallerKind
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
        if caller.kind == CallerKind.MEMBER:  # (as eldercare's tile: binding family is on the phone)
            items.append({"title": "绑定家中老人"})
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
    ttl = await redis_client.ttl(home.cache_key(me.household_id, "tv"))
    assert 0 < ttl <= home.HOME_CACHE_SECONDS

    desk.down = True
    again = await get_home(app, me)
    assert again == first and desk.calls == 1, "served from the cache, the service not asked"
    # Asked fresh while the desk is down: its tile alone says so, and that home is kept only briefly.
    degraded = await get_home(app, me, fresh=True)
    assert [(t["service"], t["available"]) for t in degraded["tiles"]] == [("servicedesk", False)]
    assert 0 < await redis_client.ttl(home.cache_key(me.household_id, "tv")) <= home.DEGRADED_SECONDS


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


def phone_of(box: Caller) -> Caller:
    """A member of the box's household, signed in on the phone."""
    return Caller(
        subject=f"member:{uuid.uuid4()}", kind=CallerKind.MEMBER, household_id=box.household_id, area_code=box.area_code
    )


async def test_a_tv_and_a_phone_of_one_household_each_get_their_own_home_at_once(app, desk, redis_client):
    tv = a_household()
    phone = phone_of(tv)
    desk.requests[tv.household_id] = ["一般故障维修"]
    assert titles(await get_home(app, tv)) == ["一般故障维修"]
    assert titles(await get_home(app, phone)) == ["一般故障维修", "绑定家中老人"], "not the TV's cached home"
    assert titles(await get_home(app, tv)) == ["一般故障维修"], "nor the phone's on the TV"
    assert desk.calls == 2
    for terminal in ("tv", "phone"):
        assert 0 < await redis_client.ttl(home.cache_key(tv.household_id, terminal)) <= home.HOME_CACHE_SECONDS

    # A change from the phone, asked fresh there: the TV's home is dropped too, and shows it.
    desk.requests[tv.household_id] = ["移机"]
    assert titles(await get_home(app, phone, fresh=True)) == ["移机", "绑定家中老人"]
    for _ in range(50):  # (dropped on the loop without waiting for Redis)
        if not await redis_client.exists(home.cache_key(tv.household_id, "tv")):
            break
        await asyncio.sleep(0.02)
    assert titles(await get_home(app, tv)) == ["移机"]


async def test_a_push_drops_the_households_homes_on_every_terminal(app, desk, redis_client):
    tv = a_household()
    await get_home(app, tv)
    await get_home(app, phone_of(tv))
    keys = [home.cache_key(tv.household_id, t) for t in ("tv", "phone")]
    assert await redis_client.exists(*keys) == 2
    home.forget(app, tv.household_id)
    for _ in range(50):
        if not await redis_client.exists(*keys):
            break
        await asyncio.sleep(0.02)
    assert await redis_client.exists(*keys) == 0
