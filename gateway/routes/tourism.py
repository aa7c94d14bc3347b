"""Culture and tourism under /v1/tourism/: the district's venues (the rural broadcasting memory
museum, cultural halls, scenic spots) and events, the honest calendar of entry slots, a household's
(or a village agent's group) timed-entry reservations with their tickets as QR codes, the gate's
check-in and each venue's live occupancy, today's entries and double entries (two offline gates
letting one ticket in), the key that verifies tickets offline, the gate's page (/tourism/gate), the
TV home screen's tile (`home_tile`), and the museum exhibition area's figures and big screen
(/tourism/exhibition: its three live public figures need no sign-in). Every rule is the service's: the gateway
maps JSON to gRPC and gRPC errors to problem+json."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import pathlib
import time
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gateway.common import (
    ID,
    IDEMPOTENCY_KEY,
    IdempotencyKey,
    ServiceClient,
    SignedIn,
    cache_keep,
    cache_read,
    json_body,
    qr_svg,
    to_json,
)
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, array, body, obj, page_of, problems
from gateway.problems import Problem
from gateway.routes import alerts as alerts_routes
from gateway.routes import education as education_routes
from gateway.routes import egov as egov_routes
from gateway.routes import identity as identity_routes
from gateway.routes import servicedesk as servicedesk_routes
from gateway.routes.home import ITEM as HOME_ITEM
from gateway.settings import GatewaySettings
from runtime.auth import Caller
from sbc.alerts.v1 import alerts_pb2
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2
from sbc.tourism.v1 import tourism_pb2 as pb
from sbc.tourism.v1 import tourism_pb2_grpc

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/tourism", tags=["culture and tourism"])
pages = APIRouter(prefix="/tourism", include_in_schema=False)
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "tourism"

VENUE_ID = "^[a-z0-9-]+$"
SLOT_ID = "^[a-z0-9-]+/[0-9]{4}-[0-9]{2}-[0-9]{2}/[0-9]{1,2}$"
KINDS = ["", "museum", "cultural_hall", "scenic_spot"]
TICKET = "^T1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"
TV_SCREEN = "tourism"
TILE_EVENTS = 3


class Tourism(ServiceClient):
    service = "tourism"
    stub_class = tourism_pb2_grpc.TourismServiceStub

    async def venues(self, kind: str) -> pb.ListVenuesResponse:
        return await self.stub.ListVenues(pb.ListVenuesRequest(kind=kind), **self.options)

    async def venue(self, venue_id: str) -> pb.Venue:
        return await self.stub.GetVenue(pb.VenueRef(venue_id=venue_id), **self.options)

    async def events(self, from_date: str, days: int, venue_id: str) -> pb.ListEventsResponse:
        r = pb.ListEventsRequest(from_date=from_date, days=days, venue_id=venue_id)
        return await self.stub.ListEvents(r, **self.options)

    async def slots(self, venue_id: str) -> pb.ListSlotsResponse:
        return await self.stub.ListSlots(pb.VenueRef(venue_id=venue_id), **self.options)

    async def hold(self, request: pb.HoldReservationRequest) -> pb.Reservation:
        return await self.stub.HoldReservation(request, **self.options)

    async def wait(self, request: pb.HoldReservationRequest) -> pb.Reservation:
        return await self.stub.JoinWaitingList(request, **self.options)

    async def confirm(self, reservation_id: str) -> pb.Reservation:
        return await self.stub.ConfirmReservation(pb.ReservationRef(id=reservation_id), **self.options)

    async def cancel(self, reservation_id: str) -> pb.Reservation:
        return await self.stub.CancelReservation(pb.ReservationRef(id=reservation_id), **self.options)

    async def reservation(self, reservation_id: str) -> pb.Reservation:
        return await self.stub.GetReservation(pb.ReservationRef(id=reservation_id), **self.options)

    async def mine(self, page: common_pb2.PageRequest) -> pb.ListReservationsResponse:
        return await self.stub.ListMyReservations(pb.ListMyReservationsRequest(page=page), **self.options)

    async def check_in(
        self, venue_id: str, code: str, offline_seconds: int = 0, entry_id: str = ""
    ) -> pb.CheckInResult:
        request = pb.CheckInRequest(
            venue_id=venue_id, ticket_code=code, offline_seconds=offline_seconds, entry_id=entry_id
        )
        return await self.stub.CheckIn(request, **self.options)

    async def gate_entries(self, venue_id: str) -> pb.GateEntries:
        return await self.stub.ListGateEntries(pb.VenueRef(venue_id=venue_id), **self.options)

    async def occupancy(self, venue_id: str) -> pb.Occupancy:
        return await self.stub.GetOccupancy(pb.VenueRef(venue_id=venue_id), **self.options)

    async def galleries(self, venue_id: str) -> pb.ListGalleriesResponse:
        return await self.stub.ListGalleries(pb.VenueRef(venue_id=venue_id), **self.options)

    async def ticket_key(self) -> pb.TicketKey:
        return await self.stub.GetTicketKey(pb.GetTicketKeyRequest(), **self.options)


def client(request: Request, auth: SignedIn) -> Tourism:
    return Tourism.of(request, auth[1])


Client = Annotated[Tourism, Depends(client)]
VenueId = Annotated[str, Path(min_length=1, max_length=64, pattern=VENUE_ID, description="A venue's id")]
ReservationId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The reservation's id")]
A_RESERVATION = body(pb.Reservation)


def date_or_empty(value: str) -> str:
    if value:
        try:
            dt.date.fromisoformat(value if len(value) == 10 else "not a date")
        except ValueError:
            raise ValueError("a date, YYYY-MM-DD") from None
    return value


# --- venues and events ---


@router.get(
    "/venues",
    summary="The district's venues: the museum, cultural halls, scenic spots (hours, capacities, accessibility)",
    responses={200: body(pb.ListVenuesResponse)},
)
async def list_venues(
    client: Client,
    kind: Annotated[str, Query(max_length=32, json_schema_extra={"enum": KINDS}, description="'' every kind")] = "",
):
    return to_json(await client.venues(kind))


@router.get("/venues/{venue_id}", summary="One venue", responses={200: body(pb.Venue)})
async def get_venue(client: Client, venue_id: VenueId):
    return to_json(await client.venue(venue_id))


@router.get(
    "/venues/{venue_id}/galleries",
    summary="A museum's galleries and exhibits: each object's story, photo and audio guide (recording and text)",
    responses={200: body(pb.ListGalleriesResponse)},
)
async def list_galleries(request: Request, client: Client, venue_id: VenueId):
    body = to_json(await client.galleries(venue_id))
    media = pathlib.Path(request.app.state.settings.tourism_media_dir)
    for g in body.get("galleries", []):
        for e in g.get("exhibits", []):
            # The museum's own photograph and recording, once its staff put the files in the media folder.
            if e.get("photo_file") and (media / e["photo_file"]).is_file():
                e["photo_url"], e["photo_note"] = f"/tourism/media/{e['photo_file']}", ""
            if e.get("audio_file") and (media / e["audio_file"]).is_file():
                e["audio_url"] = f"/tourism/media/{e['audio_file']}"
    return body


@router.get(
    "/venues/{venue_id}/slots",
    summary="The entry slots that can be booked now, with the places left; apart, the full ones to wait for",
    responses={200: body(pb.ListSlotsResponse)},
)
async def list_slots(client: Client, venue_id: VenueId):
    return to_json(await client.slots(venue_id))


@router.get(
    "/events",
    summary="What is on, day by day: exhibitions, performances, the museum's monthly activities",
    responses={200: body(pb.ListEventsResponse), **problems(404)},
)
async def list_events(
    client: Client,
    from_date: Annotated[
        str,
        Query(
            max_length=10,
            description="YYYY-MM-DD; empty: today in the district",
            json_schema_extra={"anyOf": [{"const": ""}, {"format": "date"}]},
        ),
        AfterValidator(date_or_empty),
    ] = "",
    days: Annotated[int, Query(ge=1, le=31)] = 7,
    venue_id: Annotated[str, Query(max_length=64, pattern="^[a-z0-9-]*$")] = "",
):
    return to_json(await client.events(from_date, days, venue_id))


# --- reservations ---


class NewReservation(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"slot_id": "rural-broadcasting-museum/2026-12-02/1", "visitor_id_numbers": ["330411198000000013"]}
            ]
        },
    )
    slot_id: str = Field(min_length=1, max_length=140, pattern=SLOT_ID)
    visitor_id_numbers: list[Annotated[str, Field(min_length=18, max_length=18, pattern="^[0-9]{17}[0-9Xx]$")]] = Field(
        min_length=1, max_length=100, description="each visitor's resident ID number: the party's size"
    )
    group_village_code: str = Field(
        default="", max_length=12, pattern="^([0-9]{12})?$", description="a village agent's group: their village"
    )


@router.post(
    "/reservations",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Hold places in an entry slot for 30 minutes (a household; a village agent for their village's group)",
    responses={201: A_RESERVATION, **problems(404, 409)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def hold_reservation(client: Client, body: NewReservation, key: IdempotencyKey):
    r = pb.HoldReservationRequest(
        slot_id=body.slot_id,
        visitor_id_numbers=body.visitor_id_numbers,
        idempotency_key=key,
        group_village_code=body.group_village_code,
    )
    return to_json(await client.hold(r))


@router.post(
    "/waiting-list",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Join a full slot's waiting list; offers come in order and keep their places for 60 minutes",
    responses={201: A_RESERVATION, **problems(404, 409)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def join_waiting_list(client: Client, body: NewReservation, key: IdempotencyKey):
    r = pb.HoldReservationRequest(
        slot_id=body.slot_id,
        visitor_id_numbers=body.visitor_id_numbers,
        idempotency_key=key,
        group_village_code=body.group_village_code,
    )
    return to_json(await client.wait(r))


@router.get(
    "/reservations",
    summary="The household's reservations (an agent's groups), newest first",
    responses={200: body(page_of("reservations", pb.Reservation))},
)
async def list_reservations(
    client: Client,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.mine(common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"reservations": [to_json(x) for x in r.reservations], "next_page_token": r.page.next_page_token}


@router.get("/reservations/{reservation_id}", summary="One reservation", responses={200: A_RESERVATION})
async def get_reservation(client: Client, reservation_id: ReservationId):
    return to_json(await client.reservation(reservation_id))


@router.post(
    "/reservations/{reservation_id}/confirm",
    summary="Confirm a held reservation or a waiting-list offer: it then carries its ticket (409 once lapsed)",
    responses={200: A_RESERVATION, **problems(409)},
)
async def confirm_reservation(client: Client, reservation_id: ReservationId):
    return to_json(await client.confirm(reservation_id))


@router.post(
    "/reservations/{reservation_id}/cancel",
    summary="Cancel a reservation (until 15:00 on the day; 409 after)",
    responses={200: A_RESERVATION, **problems(409)},
)
async def cancel_reservation(client: Client, reservation_id: ReservationId):
    return to_json(await client.cancel(reservation_id))


@router.get(
    "/qr.svg",
    summary="A ticket's QR code, as SVG (the TV shows a ticket's; the code itself is what the gate checks)",
    responses={200: body({"type": "string"}, "The QR code", "image/svg+xml")},
)
async def ticket_qr(
    request: Request,
    code: Annotated[str, Query(min_length=1, max_length=600, pattern=TICKET, description="A ticket's code")],
):
    await request.app.state.security.open(request)
    return Response(qr_svg(code), media_type="image/svg+xml", headers={"Cache-Control": "max-age=600"})


# --- at the gate ---


class CheckIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"venue_id": "rural-broadcasting-museum", "ticket_code": "T1.e30.AAAA"}]},
    )
    venue_id: str = Field(min_length=1, max_length=64, pattern=VENUE_ID)
    ticket_code: str = Field(min_length=1, max_length=600, pattern=TICKET)
    # An offline gate's entry, uploaded later: how many seconds ago it let the ticket in.
    offline_seconds: int = Field(default=0, ge=0, le=86400)
    # The gate's own id of the entry: a retried upload is the same entry, and another gate's upload
    # of a ticket in already is a double entry (the answer's double_entry).
    entry_id: str = Field(default="", max_length=36, pattern="^[A-Za-z0-9-]*$")


@router.post(
    "/gate/check-in",
    dependencies=[Depends(json_body)],
    summary="Gate staff check a ticket in, or upload an offline entry (400 forged, 409 used, another venue's or "
    "day's; an offline entry of a ticket another gate let in first: 200 with double_entry, one visit)",
    responses={200: body(pb.CheckInResult), **problems(404, 409)},
)
async def check_in(client: Client, body: CheckIn):
    return to_json(await client.check_in(body.venue_id, body.ticket_code, body.offline_seconds, body.entry_id))


@router.get(
    "/venues/{venue_id}/gate-entries",
    summary="Today's entries at a venue (what every gate let in) and the double entries offline gates uploaded "
    "(gate staff)",
    responses={200: body(pb.GateEntries), **problems(404)},
)
async def gate_entries(client: Client, venue_id: VenueId):
    return to_json(await client.gate_entries(venue_id))


@router.get(
    "/venues/{venue_id}/occupancy",
    summary="Who is inside now against the instantaneous capacity, and today's entries (gate staff)",
    responses={200: body(pb.Occupancy)},
)
async def occupancy(client: Client, venue_id: VenueId):
    return to_json(await client.occupancy(venue_id))


@router.get(
    "/ticket-key",
    summary="The Ed25519 public key that verifies tickets, for gates checking offline",
    responses={200: body(pb.TicketKey)},
)
async def ticket_key(client: Client):
    return to_json(await client.ticket_key())


@pages.get("/gate")
async def gate_page():
    return FileResponse(STATIC / "gate.html", media_type="text/html")


MEDIA_TYPES = {".svg": "image/svg+xml", ".jpg": "image/jpeg", ".png": "image/png", ".mp3": "audio/mpeg"}


@pages.get("/media/{name}")
async def exhibit_media(
    request: Request, name: Annotated[str, Path(max_length=80, pattern="^[a-z0-9-]+\\.(svg|jpg|png|mp3)$")]
):
    """An exhibit's picture or recorded guide (the exhibits' data names them), from the media folder."""
    path = pathlib.Path(request.app.state.settings.tourism_media_dir) / name
    if not path.is_file():  # the drawn illustrations the image carries, under a mounted folder too
        path = STATIC / "media" / name
    if not path.is_file():
        raise Problem(404, f"no media {name!r}")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "max-age=86400"})


# --- the TV's home screen ---


async def home_tile(request: Request, caller: Caller, token: str) -> dict | None:
    """The culture-and-tourism tile of a household's TV home screen: its next ticket, then today's
    events; the TV screen it opens. None for anyone but a household."""
    if not caller.is_household():
        return None
    c = Tourism.of(request, token)
    mine = await c.mine(common_pb2.PageRequest(page_size=10))
    items = []
    upcoming = [r for r in mine.reservations if r.state in ("held", "offered", "confirmed")]
    if upcoming:
        r = min(upcoming, key=lambda x: x.starts_at.seconds)
        at = to_json(r)["starts_at"]
        items.append({"title": r.venue_name, "detail": r.state_label, "id": r.id, "state": r.state, "at": at})
    today = await c.events("", 1, "")  # today in the district
    for e in today.events[:TILE_EVENTS]:
        items.append({"title": e.title, "detail": f"{e.venue_name} {e.times}", "id": e.id, "state": e.kind})
    return {"service": "tourism", "title": "文化旅游", "screen": TV_SCREEN, "items": items}


# The home screen's tile contract (gateway/routes/home.py): a title, a few items, the screen it opens.
TILE = obj(
    service={"type": "string", "const": "tourism"},
    title={"type": "string"},
    screen={"type": "string"},
    items=array(HOME_ITEM),
)


@router.get(
    "/home-tile",
    summary="The culture-and-tourism tile of the household's TV home screen",
    responses={200: body(TILE)},
)
async def get_home_tile(request: Request, auth: SignedIn):
    tile = await home_tile(request, auth[0], auth[1])
    if tile is None:
        raise Problem(403, "the home screen's tile is a household's")
    return tile


# --- the museum's public-service exhibition area (its big screen) ---

# Read-only public figures of the platform's other services, each read through that service's own
# API with the caller's token (the museum's staff signed in on the big screen): counts only, no
# person's data. A figure a service does not give this caller, or a service that does not answer,
# is `available: false` and the rest still show.
FIGURE_SECONDS = 2.0


def _section(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["available"],
        "properties": {"available": {"type": "boolean"}, **properties},
    }


COUNT = {"type": "integer", "minimum": 0}
EXHIBITION = obj(
    at={"type": "string", "format": "date-time"},
    museum=_section(
        name={"type": "string"},
        inside=COUNT,
        instantaneous_capacity=COUNT,
        entered_today=COUNT,
        daily_capacity=COUNT,
    ),
    emergency=_section(alerts_in_force=COUNT, headlines=array({"type": "string"})),
    egov=_section(items=COUNT, zero_visits=COUNT, at_most_one_visit=COUNT, online=COUNT),
    broadcasting=_section(
        week_start={"type": "string"},
        loudspeaker=COUNT,
        tv=COUNT,
        farm=COUNT,
        farm_target=COUNT,
        towns=array(
            obj(name={"type": "string"}, loudspeaker=COUNT, tv=COUNT, farm=COUNT),
        ),
    ),
    service_points=_section(points=COUNT, names=array({"type": "string"})),
)


async def _figure(read) -> dict[str, Any]:
    try:
        return {"available": True, **await asyncio.wait_for(read(), FIGURE_SECONDS)}
    except Exception as e:  # one service refusing or down never blanks the whole screen
        log.info("exhibition figure unavailable: %s", type(e).__name__)
        return {"available": False}


async def _museum(request: Request, token: str) -> dict[str, Any]:
    c = Tourism.of(request, token)
    museums = await c.venues("museum")
    o = await c.occupancy(museums.venues[0].id)
    return {
        "name": o.venue_name,
        "inside": o.inside,
        "instantaneous_capacity": o.instantaneous_capacity,
        "entered_today": o.entered_today,
        "daily_capacity": o.daily_capacity,
    }


async def _emergency(request: Request, token: str) -> dict[str, Any]:
    c = alerts_routes.Alerts.of(request, token)
    r = await c.stub.ListActiveAlerts(alerts_pb2.ListActiveAlertsRequest(), **c.options)
    headlines = []
    for a in r.alerts:
        text = next((t for t in a.texts if t.language.startswith("zh")), a.texts[0] if a.texts else None)
        headlines.append(text.headline if text else a.event_type)
    return {"alerts_in_force": len(r.alerts), "headlines": headlines}


async def _egov(request: Request, token: str) -> dict[str, Any]:
    r = await egov_routes.Egov.of(request, token).items("", "", "")
    return {
        "items": len(r.items),
        "zero_visits": sum(1 for i in r.items if i.guide.visits == 0),
        "at_most_one_visit": sum(1 for i in r.items if i.guide.visits <= 1),
        "online": sum(1 for i in r.items if i.guide.online),
    }


async def _broadcasting(request: Request, token: str) -> dict[str, Any]:
    c = education_routes.Education.of(request, token)
    towns = await c.towns()
    weeks = await asyncio.gather(*(c.week(t.code, "") for t in towns.towns))
    rows = []
    for town, week in zip(towns.towns, weeks, strict=True):
        aired = [s for s in week.slots if s.state == "scheduled"]
        rows.append(
            {
                "name": town.name,
                "loudspeaker": sum(1 for s in aired if s.channel == "loudspeaker"),
                "tv": sum(1 for s in aired if s.channel == "tv"),
                "farm": sum(1 for s in aired if s.farm and s.local and s.channel in ("loudspeaker", "tv")),
            }
        )
    return {
        "week_start": weeks[0].week_start if weeks else "",
        "loudspeaker": sum(r["loudspeaker"] for r in rows),
        "tv": sum(r["tv"] for r in rows),
        "farm": sum(r["farm"] for r in rows),
        "farm_target": towns.farm_programmes_per_week * len(rows),
        "towns": rows,
    }


async def _service_points(request: Request, token: str) -> dict[str, Any]:
    r = await servicedesk_routes.ServiceDesk.of(request, token).service_points()
    return {"points": len(r.service_points), "names": [p.name for p in r.service_points]}


@router.get(
    "/exhibition",
    summary="The museum's public-service exhibition area: live public figures read from the platform's services",
    description="Counts only (no person's data), each read through its service's API with the caller's token; "
    "a figure the caller may not read, or a service that does not answer in time, is `available: false`.",
    responses={200: body(EXHIBITION)},
)
async def exhibition(request: Request, auth: SignedIn):
    token = auth[1]
    museum, emergency, egov, broadcasting, points = await asyncio.gather(
        _figure(lambda: _museum(request, token)),
        _figure(lambda: _emergency(request, token)),
        _figure(lambda: _egov(request, token)),
        _figure(lambda: _broadcasting(request, token)),
        _figure(lambda: _service_points(request, token)),
    )
    return {
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "museum": museum,
        "emergency": emergency,
        "egov": egov,
        "broadcasting": broadcasting,
        "service_points": points,
    }


# --- the exhibition area's three live public figures (no sign-in) ---

# Counts only, the same for everyone, so composed once and kept in Redis for a few seconds: every
# big screen and TV polling reads the three services at most once in that time. Service requests
# and alerts answer anonymously (their public figures); e-government's figures are its office's
# (role egov_office), read with the staff account the office lends the museum (settings).
PUBLIC_FIGURES_SECONDS = 15
DEGRADED_SECONDS = 3  # a figure missing: ask again soon
REFUSED_SIGN_IN_SECONDS = 300
PUBLIC_FIGURES = obj(
    at={"type": "string", "format": "date-time"},
    service_requests=_section(since={"type": "string"}, done=COUNT, done_on_time=COUNT),
    alerts=_section(alerts=COUNT, targeted=COUNT, delivered=COUNT),
    egov=_section(done=COUNT, done_without_travel=COUNT, done_at_most_one_visit=COUNT),
)


def figures_key(settings: GatewaySettings) -> str:
    """The Redis key of the composed figures: one per set of the three services (every replica of a
    deployment shares it; another platform on the same Redis, such as a test run, has its own)."""
    where = ",".join(settings.backends[name] for name in ("servicedesk", "alerts", "egov"))
    return f"sbc:tourism:exhibition-figures:v1:{hashlib.sha256(where.encode()).hexdigest()[:16]}"


async def _requests_done(request: Request) -> dict[str, Any]:
    c = servicedesk_routes.ServiceDesk.of(request)
    f = await c.stub.GetPublicFigures(servicedesk_pb2.GetPublicFiguresRequest(), **c.options)
    return {"since": f.since, "done": f.done, "done_on_time": f.done_on_time}


async def _alerts_delivered(request: Request) -> dict[str, Any]:
    c = alerts_routes.Alerts.of(request)
    f = await c.stub.GetDeliveryFigures(alerts_pb2.GetDeliveryFiguresRequest(), **c.options)
    return {"alerts": f.alerts, "targeted": f.targeted, "delivered": f.delivered}


async def _office_token(request: Request, fresh: bool = False) -> str:
    """The lent office account's token, kept by this gateway process until shortly before it expires."""
    settings = request.app.state.settings
    if not settings.exhibition_staff_username:
        raise LookupError("EXHIBITION_STAFF_USERNAME is not set")
    kept = getattr(request.app.state, "exhibition_token", None)
    if kept and not fresh and kept[1] > time.monotonic():
        if not kept[0]:
            raise LookupError("the lent office account was refused a while ago")
        return kept[0]
    identity = identity_routes.Identity.of(request)
    try:
        t = await identity.staff_token(settings.exhibition_staff_username, settings.exhibition_staff_password)
    except grpc.aio.AioRpcError as e:
        # Refused (a wrong password, locked): not asked again for a while, so that a screen polling
        # never locks the office's own account with failed sign-ins.
        if e.code() in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.RESOURCE_EXHAUSTED):
            request.app.state.exhibition_token = ("", time.monotonic() + REFUSED_SIGN_IN_SECONDS)
        raise
    request.app.state.exhibition_token = (t.access_token, time.monotonic() + max(0, t.expires_in - 60))
    return t.access_token


async def _egov_done(request: Request) -> dict[str, Any]:
    try:
        f = await egov_routes.Egov.of(request, await _office_token(request)).figures()
    except grpc.aio.AioRpcError as e:  # the kept token was revoked or outlived: once more, signed in anew
        if e.code() != grpc.StatusCode.UNAUTHENTICATED:
            raise
        f = await egov_routes.Egov.of(request, await _office_token(request, fresh=True)).figures()
    d = f.district
    # The shares are over the applications done, unrounded: back to whole applications.
    return {
        "done": d.done,
        "done_without_travel": round(d.done * d.no_visit_share),
        "done_at_most_one_visit": round(d.done * d.at_most_one_visit_share),
    }


async def public_figures(request: Request) -> dict[str, Any]:
    """The three figures, from Redis when another caller composed them a moment ago."""
    key = figures_key(request.app.state.settings)
    raw = await cache_read(request, key)
    if raw:
        return json.loads(raw)
    requests_done, alerts, egov = await asyncio.gather(
        _figure(lambda: _requests_done(request)),
        _figure(lambda: _alerts_delivered(request)),
        _figure(lambda: _egov_done(request)),
    )
    out = {
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "service_requests": requests_done,
        "alerts": alerts,
        "egov": egov,
    }
    complete = all(out[k]["available"] for k in ("service_requests", "alerts", "egov"))
    seconds = PUBLIC_FIGURES_SECONDS if complete else DEGRADED_SECONDS
    await cache_keep(request, key, json.dumps(out), seconds)
    return out


@router.get(
    "/exhibition/figures",
    summary="The exhibition area's three live public figures: service requests done on time, alerts delivered, "
    "government applications done without travel (no sign-in)",
    description="Counts only, each read through its service's API (service desk, alerts, e-government), "
    f"composed at most once in {PUBLIC_FIGURES_SECONDS} s for every caller; a service that does not answer "
    "in time is `available: false` and the rest still show.",
    responses={200: body(PUBLIC_FIGURES)},
)
async def exhibition_figures(request: Request):
    await request.app.state.security.open(request)
    return await public_figures(request)


@pages.get("/exhibition", include_in_schema=False)
async def exhibition_page():
    return FileResponse(STATIC / "exhibition.html", media_type="text/html")
