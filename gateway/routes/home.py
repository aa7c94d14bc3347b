"""The gateway's own module: the TV's home screen in one call (/v1/home), and the QR code the TV shows
to sign in (/v1/home/qr.svg).

Each public service's route module (gateway/routes/<service>.py) may define

    async def home_tile(request, caller, token) -> dict | None

(title, a few items, the id of the TV screen it opens; None: nothing to show this household). The home
calls them all at once, each with a short timeout, so one slow or failing service never blanks the
home: its tile says it is unavailable. Simple mode is the household's choice (the notifications
service keeps it); until it chooses, the default comes from eldercare's `has_elder(request, caller,
token) -> bool` where that module defines it, else off.

The home is cached in Redis (the gateway's client, `app.state.redis`) per household and kind of
terminal (the TV's home and the phone's differ: a member's phone has eldercare's tile to bind family),
for HOME_CACHE_SECONDS, a home with an unavailable tile only for DEGRADED_SECONDS. Simple mode changes
no tile (the TV hides tiles itself), so it is not in the key. The key holds the household's id from
the verified token, so no household is ever served another's. A change the household makes shows at
once: its apps ask with `Cache-Control: no-cache` after a change of theirs, which computes the home
again, replaces the cached one and drops the other kinds' (`forget`). A change someone else makes (a
technician, an agent, a department) comes with a push to the household, and every push drops its
cached homes (`forget`), so the household's other screens see it at once too.
Without Redis the home is computed for every call."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from gateway.common import CACHE_SECONDS, SignedIn, cache_keep, cache_read, qr_svg
from gateway.openapi import array, body, obj
from gateway.problems import Problem
from gateway.routes.notifications import Notifications
from runtime import registry
from runtime.auth import CallerKind

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/home", tags=["home"])

# Seconds a tile may take: past it the home shows the tile as unavailable (the TV must not wait).
TILE_SECONDS = 1.0
# The household's own choice of simple mode: one indexed read, given longer than a tile, since
# guessing wrong switches an elder's screen back to small type.
PREFERENCE_SECONDS = 3.0
# The service whose route module may say a household has an elder (simple mode's default).
ELDERS = "eldercare"
# How long a household's home is served from Redis: short, since staff and devices change it too.
HOME_CACHE_SECONDS = 15
# ... and a home with a tile unavailable (so that a service back up soon shows again).
DEGRADED_SECONDS = 3
# Simple mode shows fewer tiles (适老化): these services' tiles, in this order, where the household
# has them; the TV puts every other tile behind one "more services" tile.
SIMPLE_TILES = ("eldercare", "alerts", "servicedesk", "egov")

ITEM = obj(
    title={"type": "string"},
    detail={"type": "string"},
    id={"type": "string", "description": "What the tile's screen opens (e.g. a request's id)"},
    state={"type": "string", "description": "The item's state code, e.g. a request's (the TV names it)"},
    at={"type": "string", "format": "date-time", "description": "Its time (a deadline, an expiry)"},
)
ITEM["required"] = ["title"]
TILE = obj(
    service={"type": "string", "description": "The registry's name of the service"},
    available={"type": "boolean", "description": "false: the service did not answer in time (the tile says so)"},
    title={"type": "string", "description": "Empty when unavailable: the TV names the screen"},
    screen={"type": "string", "description": "The TV screen the tile opens"},
    items=array(ITEM),
)
TILE["required"] = ["service", "available", "title", "screen", "items"]
HOME = obj(
    household_id={"type": "string"},
    simple_mode={"type": "boolean", "description": "Large type, fewer items, no pop-ups (适老化)"},
    simple_mode_chosen={"type": "boolean", "description": "false: the default (on where the household has an elder)"},
    tiles=array(TILE),
    simple_tiles={
        **array({"type": "string"}),
        "description": "The services whose tiles simple mode shows, in its order; the rest are behind 更多服务",
    },
)
HOME["required"] = ["household_id", "simple_mode", "simple_mode_chosen", "tiles", "simple_tiles"]


def tile_modules() -> list[tuple[str, Any]]:
    """(service, route module) of each public service whose module defines home_tile, in registry order."""
    out = []
    for s in registry.load().public():
        module = importlib.import_module(f"gateway.routes.{s.name}")
        if hasattr(module, "home_tile"):
            out.append((s.name, module))
    return out


async def _tile(name: str, module: Any, request: Request, caller, token: str) -> dict | None:
    unavailable = {"service": name, "available": False, "title": "", "screen": name, "items": []}
    try:
        tile = await asyncio.wait_for(module.home_tile(request, caller, token), TILE_SECONDS)
    except Exception as exc:  # a timeout or the service's error: this tile only
        log.warning("home tile unavailable", extra={"service": name, "error": type(exc).__name__})
        return unavailable
    if tile is None:
        return None
    return {"screen": name, "items": [], **tile, "service": name, "available": True}


async def _has_elder(request: Request, caller, token: str) -> bool:
    try:
        module = importlib.import_module(f"gateway.routes.{ELDERS}")
    except ImportError:
        return False
    if not hasattr(module, "has_elder"):
        return False
    try:
        return bool(await asyncio.wait_for(module.has_elder(request, caller, token), TILE_SECONDS))
    except Exception as exc:
        log.warning("has_elder unavailable", extra={"error": type(exc).__name__})
        return False


async def _simple_mode(request: Request, caller, token: str) -> tuple[bool, bool]:
    """(on, chosen by the household)."""
    try:
        prefs = await asyncio.wait_for(Notifications.of(request, token).my_preferences(), PREFERENCE_SECONDS)
    except Exception as exc:
        log.warning("preferences unavailable", extra={"error": type(exc).__name__})
        prefs = None
    if prefs is not None and prefs.HasField("simple_mode"):
        return prefs.simple_mode, True
    return await _has_elder(request, caller, token), False


# The kinds of terminal whose homes differ, by the caller's kind (a box, a member's phone).
TERMINALS = {CallerKind.DEVICE: "tv", CallerKind.MEMBER: "phone"}


def cache_key(household_id: str, terminal: str) -> str:
    """The key of one household's home on one kind of terminal (TERMINALS' values)."""
    return f"sbc:home:v3:{household_id}:{terminal}"


def encode(home: dict) -> bytes:
    """The home as its response's body, and as Redis keeps it (household_id first: `_cached` checks it)."""
    return json.dumps(home, ensure_ascii=False, separators=(",", ":")).encode()


async def _cached(request: Request, key: str, household_id: str) -> bytes | None:
    """The household's cached home as it was encoded: served as it is, without decoding and encoding
    it again (that cost more than the rest of a cached call's Python)."""
    raw = await cache_read(request, key)
    # (the key names the household already; this guards against a key written wrong)
    if raw and raw.startswith(b'{"household_id":' + json.dumps(household_id).encode() + b","):
        return raw
    return None


async def _keep(request: Request, key: str, home: dict, raw: bytes) -> None:
    seconds = HOME_CACHE_SECONDS if all(t["available"] for t in home["tiles"]) else DEGRADED_SECONDS
    await cache_keep(request, key, raw, seconds)


def forget(app, household_id: str, keep: str = "") -> None:
    """Drop the household's cached homes, on every kind of terminal but `keep` (on the event loop,
    without waiting for Redis): their next home is computed. Called for every push message to the
    household (gateway.push.PushHub), and for a home asked fresh (for the other kinds)."""
    client = getattr(app.state, "redis", None)
    if client is None or not household_id:
        return
    keys = [cache_key(household_id, t) for t in TERMINALS.values() if t != keep]

    async def drop() -> None:
        try:
            await asyncio.wait_for(client.delete(*keys), CACHE_SECONDS)
        except Exception as exc:  # Redis away: the cached home lapses on its own
            log.warning("home cache unavailable", extra={"error": type(exc).__name__})

    task = asyncio.ensure_future(drop())
    _forgetting.add(task)
    task.add_done_callback(_forgetting.discard)


_forgetting: set[asyncio.Task] = set()  # (a task nobody holds may be collected before it runs)


async def compose(request: Request, caller, token: str) -> dict:
    """The household's home, from every tile at once."""
    modules = tile_modules()
    *tiles, (simple, chosen) = await asyncio.gather(
        *(_tile(name, module, request, caller, token) for name, module in modules),
        _simple_mode(request, caller, token),
    )
    shown = [t for t in tiles if t is not None]
    have = {t["service"] for t in shown}
    return {
        "household_id": caller.household_id,
        "simple_mode": simple,
        "simple_mode_chosen": chosen,
        "tiles": shown,
        "simple_tiles": [name for name in SIMPLE_TILES if name in have],
    }


@router.get(
    "",
    summary="The signed-in household's home screen: a tile per service, and simple mode",
    description=f"Cached per household and kind of terminal (TV, phone) for {HOME_CACHE_SECONDS} s "
    f"({DEGRADED_SECONDS} s with a tile unavailable); "
    "send `Cache-Control: no-cache` after a change of the household's to have it computed again.",
    responses={200: body(HOME)},
)
async def home(request: Request, auth: SignedIn):
    caller, token = auth
    if not caller.is_household():
        raise Problem(403, "the home screen is a household's")
    terminal = TERMINALS[caller.kind]
    key = cache_key(caller.household_id, terminal)
    fresh = "no-cache" in request.headers.get("cache-control", "").lower()
    cached = None if fresh else await _cached(request, key, caller.household_id)
    if cached is not None:
        return Response(cached, media_type="application/json")
    if fresh:  # a change of the household's: its other terminals' homes are stale too
        forget(request.app, caller.household_id, keep=terminal)
    out = await compose(request, caller, token)
    raw = encode(out)
    await _keep(request, key, out, raw)
    return Response(raw, media_type="application/json")


@router.get(
    "/qr.svg",
    summary="A QR code of an address, as SVG: the TV shows its sign-in page's for the phone to scan",
    responses={200: body({"type": "string"}, "The QR code", "image/svg+xml")},
)
async def qr(
    request: Request,
    uri: Annotated[str, Query(min_length=1, max_length=500, pattern="^https?://[!-~]+$", description="An address")],
):
    await request.app.state.security.open(request)
    return Response(qr_svg(uri), media_type="image/svg+xml", headers={"Cache-Control": "max-age=600"})
