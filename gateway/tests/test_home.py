"""The home screen's one call (/v1/home) over HTTP on the real gateway app, with services of this test
in place of the registry's (a route module's home_tile): a slow one and a failing one each give an
unavailable tile while the others show, in the registry's order, at once; a service with nothing to
show gives no tile; simple mode's default comes from eldercare's has_elder where it is defined, else
off. (The real tiles, against the running services, are in e2e/test_tv.py.)"""

from __future__ import annotations

import asyncio
import types

import httpx
import pytest

from gateway import common
from gateway.app import create_app
from gateway.routes import eldercare, home
from gateway.settings import GatewaySettings
from runtime.testing import household, staff

HOME = household("hh-home", area_code="330411002001")


def service(tile=None, delay: float = 0.0, error: Exception | None = None, log: list | None = None, name: str = ""):
    """A route module whose home_tile answers `tile` after `delay` seconds, or raises `error`;
    `log` gets (name, "start") and (name, "end") as it starts and as it ends, even when cancelled."""
    seen = []

    async def home_tile(request, caller, token):
        seen.append((caller.household_id, token))
        if log is not None:
            log.append((name, "start"))
        try:
            await asyncio.sleep(delay)
        finally:
            if log is not None:
                log.append((name, "end"))
        if error:
            raise error
        return tile

    return types.SimpleNamespace(home_tile=home_tile, seen=seen)


@pytest.fixture
def app():
    app = create_app(GatewaySettings())
    app.dependency_overrides[common.signed_in] = lambda: (HOME, "the-token")
    return app


async def get_home(app) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tv") as c:
        return await c.get("/v1/home")


async def test_one_slow_and_one_failing_service_never_blank_the_home(app, monkeypatch):
    desk = service({"title": "报修与服务", "items": [{"id": "r1", "title": "一般故障维修", "state": "submitted"}]})
    log: list = []
    slow = service({"title": "慢"}, delay=home.TILE_SECONDS * 5, log=log, name="notifications")
    broken = service(error=RuntimeError("the service is down"))
    quiet = service(None)
    also_slow = service({"title": "也慢"}, delay=home.TILE_SECONDS * 5, log=log, name="eldercare")
    modules = [
        ("servicedesk", desk),
        ("notifications", slow),
        ("alerts", broken),
        ("egov", quiet),
        ("eldercare", also_slow),
    ]
    monkeypatch.setattr(home, "tile_modules", lambda: modules)

    r = await get_home(app)

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["household_id"] == "hh-home"
    assert [(t["service"], t["available"]) for t in body["tiles"]] == [
        ("servicedesk", True),
        ("notifications", False),
        ("alerts", False),
        ("eldercare", False),
    ]
    assert body["tiles"][0] == {
        "service": "servicedesk",
        "available": True,
        "screen": "servicedesk",
        "title": "报修与服务",
        "items": [{"id": "r1", "title": "一般故障维修", "state": "submitted"}],
    }
    assert body["tiles"][1] == {
        "service": "notifications",
        "available": False,
        "title": "",
        "screen": "notifications",
        "items": [],
    }
    # Simple mode's few tiles, in its order, of those the household has (egov had nothing to show).
    assert body["simple_tiles"] == ["eldercare", "alerts", "servicedesk"]
    # Concurrently: the second slow tile started before the first one's timeout ended it.
    assert log.index(("eldercare", "start")) < log.index(("notifications", "end")), log
    assert all(m.seen == [("hh-home", "the-token")] for _, m in modules), "each tile asked once, as the caller"


async def test_simple_mode_defaults_to_off_and_to_on_where_eldercare_says_there_is_an_elder(app, monkeypatch):
    monkeypatch.setattr(home, "tile_modules", lambda: [])
    # The preferences' service is away here: the default applies.
    monkeypatch.delattr(eldercare, "has_elder", raising=False)
    body = (await get_home(app)).json()
    assert (body["simple_mode"], body["simple_mode_chosen"], body["tiles"]) == (False, False, [])

    async def has_elder(request, caller, token):
        return caller.household_id == "hh-home"

    monkeypatch.setattr(eldercare, "has_elder", has_elder, raising=False)
    body = (await get_home(app)).json()
    assert (body["simple_mode"], body["simple_mode_chosen"]) == (True, False)

    async def slow_elder(request, caller, token):
        await asyncio.sleep(home.TILE_SECONDS * 5)
        return True

    monkeypatch.setattr(eldercare, "has_elder", slow_elder, raising=False)
    body = (await get_home(app)).json()
    assert body["simple_mode"] is False, "an eldercare service that does not answer in time: off"


async def test_the_home_is_a_households(app, monkeypatch):
    monkeypatch.setattr(home, "tile_modules", lambda: [("servicedesk", service({"title": "x"}))])
    app.dependency_overrides[common.signed_in] = lambda: (staff("technician"), "a-staff-token")
    r = await get_home(app)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


def test_every_public_services_home_tile_is_found_in_registry_order():
    from runtime import registry

    public = [s.name for s in registry.load().public()]
    found = [name for name, _ in home.tile_modules()]
    assert found == [n for n in public if n in found]
    assert {"servicedesk", "notifications", "alerts"} <= set(found)
