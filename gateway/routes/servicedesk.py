"""The service desk under /v1/servicedesk/: the service guide and service points, a household's
requests (file, read, cancel, rate, audit), the outreach events of its town; the staff API by
role (point managers, technicians, village agents); the assessment of the service points for
district managers, and its page (/servicedesk/assessment: gateway/static/servicedesk/assessment.html
draws inline SVG from the same API; no chart library). Every rule is the service desk's: the
gateway maps JSON to gRPC and gRPC errors to problem+json.

Where a field's schema names values the service checks (a rating's level, a channel), the service
refuses others with 400, naming the field; what the gateway checks itself is 422."""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gateway.common import (
    ID,
    ID_OR_EMPTY,
    IDEMPOTENCY_KEY,
    LINE,
    RATING_LEVELS,
    TEXT,
    IdempotencyKey,
    Instant,
    ServiceClient,
    SignedIn,
    json_body,
    to_json,
)
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, array, body, obj, page_of, problems
from gateway.problems import Problem
from runtime.errors import INVISIBLE_CHARACTERS
from runtime.times import to_timestamp
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from sbc.servicedesk.v1 import servicedesk_pb2_grpc

router = APIRouter(prefix="/v1/servicedesk")
pages = APIRouter(prefix="/servicedesk")
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "servicedesk"

# Values the service desk knows (services/servicedesk): its domain, and the standard catalog's codes.
CHANNELS = ["set_top_box", "mobile", "village_agent", "service_hall", "outreach_event", "hotline"]
HOME_VISITS = ["elderly", "disabled"]
Indicator = Literal["efficiency", "attitude", "result"]
OPEN_STATES = ["submitted", "accepted", "waiting_for_citizen", "dispatched", "on_site"]
CODE = "^[a-z][a-z0-9_]*$"
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=CODE)]


class ServiceDesk(ServiceClient):
    service = "servicedesk"
    stub_class = servicedesk_pb2_grpc.ServiceDeskServiceStub

    async def catalog(self, on_date: str = "", district_code: str = "") -> pb.Catalog:
        request = pb.GetCatalogRequest(on_date=on_date, district_code=district_code)
        return await self.stub.GetCatalog(request, **self.options)

    async def service_points(self, district_code: str = "") -> pb.ListServicePointsResponse:
        request = pb.ListServicePointsRequest(district_code=district_code)
        return await self.stub.ListServicePoints(request, **self.options)

    async def create(self, request: pb.CreateServiceRequestRequest) -> pb.ServiceRequest:
        return await self.stub.CreateServiceRequest(request, **self.options)

    async def get(self, request_id: str) -> pb.ServiceRequest:
        return await self.stub.GetServiceRequest(pb.GetServiceRequestRequest(id=request_id), **self.options)

    async def list_mine(self, page: common_pb2.PageRequest) -> pb.ListMyServiceRequestsResponse:
        return await self.stub.ListMyServiceRequests(pb.ListMyServiceRequestsRequest(page=page), **self.options)

    async def audit(self, request_id: str) -> pb.ListAuditEntriesResponse:
        return await self.stub.ListAuditEntries(pb.GetServiceRequestRequest(id=request_id), **self.options)

    async def rate(self, request: pb.RateServiceRequestRequest) -> pb.ServiceRequest:
        return await self.stub.RateServiceRequest(request, **self.options)

    # A request moves along its lifecycle: each with the request's id and a reason or note.
    async def cancel(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.CancelServiceRequest(action, **self.options)

    async def accept(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.AcceptServiceRequest(action, **self.options)

    async def reject(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.RejectServiceRequest(action, **self.options)

    async def wait_for_citizen(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.WaitForCitizen(action, **self.options)

    async def resume(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.ResumeServiceRequest(action, **self.options)

    async def record_follow_up(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.RecordRectificationFollowUp(action, **self.options)

    async def mark_on_site(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.MarkOnSite(action, **self.options)

    async def resolve(self, action: pb.ActOnRequest) -> pb.ServiceRequest:
        return await self.stub.ResolveServiceRequest(action, **self.options)

    async def dispatch(self, request: pb.DispatchServiceRequestRequest) -> pb.ServiceRequest:
        return await self.stub.DispatchServiceRequest(request, **self.options)

    async def point_queue(self, state: str, page: common_pb2.PageRequest) -> pb.ListMyServiceRequestsResponse:
        return await self.stub.ListPointQueue(pb.ListPointQueueRequest(state=state, page=page), **self.options)

    async def my_jobs(self, page: common_pb2.PageRequest) -> pb.ListMyServiceRequestsResponse:
        return await self.stub.ListMyJobs(pb.ListMyJobsRequest(page=page), **self.options)

    async def assessment(self, period: str, months: int) -> pb.Assessment:
        return await self.stub.GetAssessment(pb.GetAssessmentRequest(period=period, months=months), **self.options)

    async def outreach_events(self) -> pb.ListOutreachEventsResponse:
        return await self.stub.ListOutreachEvents(pb.ListOutreachEventsRequest(), **self.options)

    async def create_outreach_event(self, request: pb.CreateOutreachEventRequest) -> pb.OutreachEvent:
        return await self.stub.CreateOutreachEvent(request, **self.options)


def desk(request: Request, auth: SignedIn) -> ServiceDesk:
    return ServiceDesk.of(request, auth[1])


Desk = Annotated[ServiceDesk, Depends(desk)]
RequestId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The request's id")]
PageSize = Annotated[int, Query(ge=1, le=100)]
PageToken = Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)]


def date_or_empty(value: str) -> str:
    if value:
        try:
            dt.date.fromisoformat(value if len(value) == 10 else "not a date")
        except ValueError:
            raise ValueError("a date, YYYY-MM-DD") from None
    return value


def page(page_size: int, page_token: str) -> common_pb2.PageRequest:
    return common_pb2.PageRequest(page_size=page_size, page_token=page_token)


def requests_page(r: pb.ListMyServiceRequestsResponse) -> dict:
    return {"requests": [to_json(x) for x in r.requests], "next_page_token": r.page.next_page_token}


REQUESTS_PAGE = body(page_of("requests", pb.ServiceRequest))
A_REQUEST = body(pb.ServiceRequest)

# --- the service guide ---


@router.get(
    "/guide",
    tags=["service guide"],
    summary="Every service: what to bring, how long, how much",
    responses={
        200: body(
            obj(version={"type": "string"}, effective_from={"type": "string"}, services=array(pb.ServiceStandard))
        ),
        **problems(404),
    },
)
async def service_guide(
    desk: Desk,
    on_date: Annotated[
        str,
        Query(
            max_length=10,
            description="YYYY-MM-DD; empty: today in the district",
            json_schema_extra={"anyOf": [{"const": ""}, {"format": "date"}]},
        ),
        AfterValidator(date_or_empty),
    ] = "",
):
    c = await desk.catalog(on_date)
    return {"version": c.version, "effective_from": c.effective_from, "services": [to_json(t) for t in c.service_types]}


@router.get(
    "/guide/{code}",
    tags=["service guide"],
    summary="One service's guide in plain Chinese",
    responses={200: body(pb.ServiceStandard)},
)
async def service_guide_one(desk: Desk, code: Annotated[str, Path(max_length=64, pattern=CODE)]):
    c = await desk.catalog()
    for t in c.service_types:
        if t.code == code:
            return to_json(t)
    raise Problem(404, f"no service {code!r} in the standard catalog")


@router.get(
    "/points",
    tags=["service guide"],
    summary="The district's service points",
    responses={200: body(obj(service_points=array(pb.ServicePoint)))},
)
async def service_points(desk: Desk):
    r = await desk.service_points()
    return {"service_points": [to_json(p) for p in r.service_points]}


@router.get(
    "/outreach-events",
    tags=["service guide"],
    summary="The upcoming outreach events of the household's town, by date",
    responses={200: body(obj(events=array(pb.OutreachEvent)))},
)
async def outreach_events(desk: Desk):
    r = await desk.outreach_events()
    return {"events": [to_json(e) for e in r.events]}


# --- the household's own requests ---


class NewServiceRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"service_type": "fault_repair_general", "description": "没有信号"}]},
    )
    service_type: str = Field(
        min_length=1, max_length=64, pattern=CODE, description="A code from the standard catalog (see the guide)"
    )
    description: str = Field(default="", max_length=2000, pattern=TEXT)
    channel: str = Field(
        default="",
        max_length=32,
        json_schema_extra={"enum": ["", *CHANNELS]},
        description="How it is filed; empty: set_top_box for a household",
    )
    materials: list[Code] = Field(default_factory=list, max_length=20, description="Codes of the materials at hand")
    # Staff filing for a household (a village agent, or a manager at the counter).
    household_id: str = Field(default="", max_length=36, pattern=LINE)
    household_area_code: str = Field(default="", max_length=12, pattern="^([0-9]{12})?$")
    consent: str = Field(default="", max_length=500, pattern=LINE, description="How the household consented (agents)")
    outreach_event_id: str = Field(
        default="", max_length=36, pattern=ID_OR_EMPTY, description="Channel outreach_event: the event"
    )
    home_visit: str = Field(
        default="",
        max_length=16,
        json_schema_extra={"enum": ["", *HOME_VISITS]},
        description="Ask for a home visit (types whose standard offers one)",
    )


@router.post(
    "/requests",
    status_code=201,
    tags=["service requests"],
    dependencies=[Depends(json_body)],
    summary="File a service request for the signed-in household (or, staff, for a household)",
    responses={201: A_REQUEST, **problems(404, 409)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def create_request(desk: Desk, body: NewServiceRequest, key: IdempotencyKey):
    r = await desk.create(pb.CreateServiceRequestRequest(idempotency_key=key, **body.model_dump()))
    # Already JSON's types (MessageToDict): answered as it is, without FastAPI walking it again
    # (jsonable_encoder: some 40 calls a request on the write path).
    return JSONResponse(to_json(r), status_code=201)


@router.get(
    "/requests",
    tags=["service requests"],
    summary="The household's requests, newest first",
    responses={200: REQUESTS_PAGE},
)
async def list_requests(desk: Desk, page_size: PageSize = 20, page_token: PageToken = ""):
    return requests_page(await desk.list_mine(page(page_size, page_token)))


@router.get(
    "/requests/{request_id}",
    tags=["service requests"],
    summary="One of the household's requests",
    responses={200: A_REQUEST},
)
async def get_request(
    desk: Desk,
    # The service checks this id (400 when longer than any id; 404 when no request of the household has it).
    request_id: Annotated[
        str, Path(description="The request's id", json_schema_extra={"maxLength": 36, "pattern": ID})
    ],
):
    return to_json(await desk.get(request_id))


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500, pattern=TEXT)


class RequiredReason(BaseModel):
    # The document requires it; the service answers 400 without one, naming it.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["reason"]})
    reason: str = Field(default="", max_length=500, pattern=TEXT, json_schema_extra={"minLength": 1})


# A reason the household is told as written (a push to its TV): one short line, nothing invisible
# or direction-changing (what the service refuses, runtime.errors).
TO_CITIZEN = f"^[^\\x00-\\x1f\\x7f{INVISIBLE_CHARACTERS}]*$"


class ReasonToCitizen(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["reason"]})
    reason: str = Field(
        default="",
        max_length=140,
        pattern=TO_CITIZEN,
        json_schema_extra={"minLength": 1},
        description="What the household reads on its TV: one line, at most 140 characters",
    )


Transition = Callable[[ServiceDesk, pb.ActOnRequest], Awaitable[pb.ServiceRequest]]


def transition(
    path: str, move: Transition, summary: str, tag: str, reason_required: bool = False, to_citizen: bool = False
) -> None:
    """A POST that moves one request along its lifecycle (409 where its state does not allow it)."""
    if to_citizen:

        async def endpoint(desk: Desk, request_id: RequestId, body: ReasonToCitizen):
            return to_json(await move(desk, pb.ActOnRequest(id=request_id, reason=body.reason)))

    elif reason_required:

        async def endpoint(desk: Desk, request_id: RequestId, body: RequiredReason):
            return to_json(await move(desk, pb.ActOnRequest(id=request_id, reason=body.reason)))

    else:

        async def endpoint(desk: Desk, request_id: RequestId, body: Reason):
            return to_json(await move(desk, pb.ActOnRequest(id=request_id, reason=body.reason)))

    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        summary=summary,
        tags=[tag],
        dependencies=[Depends(json_body)],
        name=move.__name__,
        responses={200: A_REQUEST, **problems(409)},
    )


transition(
    "/requests/{request_id}/cancel", ServiceDesk.cancel, "Cancel one of the household's requests", "service requests"
)


class NewRating(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"level": "satisfied", "indicators": {"efficiency": 5, "attitude": 5, "result": 4}}]
        },
    )
    level: str = Field(min_length=1, max_length=32, json_schema_extra={"enum": RATING_LEVELS})
    indicators: dict[Indicator, Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict, max_length=3, description="1..5 each"
    )
    comment: str = Field(default="", max_length=1000, pattern=TEXT)


@router.post(
    "/requests/{request_id}/rating",
    tags=["service requests"],
    dependencies=[Depends(json_body)],
    summary="Rate a resolved request (好差评), once",
    responses={200: A_REQUEST, **problems(409)},
)
async def rate(desk: Desk, request_id: RequestId, body: NewRating):
    r = await desk.rate(
        pb.RateServiceRequestRequest(id=request_id, level=body.level, indicators=body.indicators, comment=body.comment)
    )
    return to_json(r)


@router.get(
    "/requests/{request_id}/audit",
    tags=["service requests"],
    summary="Who did what, when",
    responses={200: body(obj(entries=array(pb.AuditEntry)))},
)
async def audit(desk: Desk, request_id: RequestId):
    r = await desk.audit(request_id)
    return {"entries": [to_json(e) for e in r.entries]}


# --- staff ---


@router.get(
    "/staff/queue",
    tags=["staff"],
    summary="The manager's service point's open requests, oldest first",
    responses={200: REQUESTS_PAGE},
)
async def queue(
    desk: Desk,
    state: Annotated[str, Query(max_length=32, json_schema_extra={"enum": ["", *OPEN_STATES, "resolved"]})] = "",
    page_size: PageSize = 20,
    page_token: PageToken = "",
):
    return requests_page(await desk.point_queue(state, page(page_size, page_token)))


@router.get("/staff/jobs", tags=["staff"], summary="The technician's jobs", responses={200: REQUESTS_PAGE})
async def jobs(desk: Desk, page_size: PageSize = 20, page_token: PageToken = ""):
    return requests_page(await desk.my_jobs(page(page_size, page_token)))


@router.get(
    "/staff/requests/{request_id}",
    tags=["staff"],
    summary="One request of the point or job",
    responses={200: A_REQUEST},
)
async def staff_get(desk: Desk, request_id: RequestId):
    return to_json(await desk.get(request_id))


STAFF = "/staff/requests/{request_id}/"
transition(STAFF + "accept", ServiceDesk.accept, "Accept a request (point manager)", "staff")
transition(
    STAFF + "reject",
    ServiceDesk.reject,
    "Reject a request with a reason the household reads on its TV (point manager)",
    "staff",
    to_citizen=True,
)
transition(
    STAFF + "wait-for-citizen",
    ServiceDesk.wait_for_citizen,
    "Pause the clock until the citizen acts; a reason the household reads (point manager)",
    "staff",
    to_citizen=True,
)
transition(STAFF + "resume", ServiceDesk.resume, "The citizen is back: the clock runs again (point manager)", "staff")
transition(
    STAFF + "rectification-follow-up",
    ServiceDesk.record_follow_up,
    "Record the follow-up of a bad rating (point manager)",
    "staff",
    True,
)
transition(STAFF + "on-site", ServiceDesk.mark_on_site, "The technician is at the household", "staff")
transition(STAFF + "resolve", ServiceDesk.resolve, "The technician has resolved it", "staff")


class Dispatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    technician: str = Field(min_length=1, max_length=100, pattern=LINE, description="A technician of the point")
    window_start: Instant = Field(description="In the future, at most 30 days ahead")
    window_end: Instant = Field(description="After window_start")


@router.post(
    STAFF + "dispatch",
    tags=["staff"],
    dependencies=[Depends(json_body)],
    summary="Assign a technician of the point with an appointment window (point manager)",
    responses={200: A_REQUEST, **problems(409)},
)
async def dispatch(desk: Desk, request_id: RequestId, body: Dispatch):
    r = await desk.dispatch(
        pb.DispatchServiceRequestRequest(
            id=request_id,
            technician=body.technician,
            window_start=to_timestamp(body.window_start),
            window_end=to_timestamp(body.window_end),
        )
    )
    return to_json(r)


class NewOutreachEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str = Field(
        min_length=10,
        max_length=10,
        pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        description="YYYY-MM-DD in the district's time, from today to 180 days ahead",
        json_schema_extra={"format": "date"},
    )
    start_time: str = Field(min_length=5, max_length=5, pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM")
    end_time: str = Field(min_length=5, max_length=5, pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM")
    area_code: str = Field(min_length=12, max_length=12, pattern="^[0-9]{12}$", description="The village's code")
    place: str = Field(min_length=1, max_length=200, pattern=LINE)
    service_types: list[Code] = Field(min_length=1, max_length=12, description="Codes of the services taken there")


@router.post(
    "/staff/outreach-events",
    status_code=201,
    tags=["staff"],
    dependencies=[Depends(json_body)],
    summary="Schedule an outreach event in a village of the manager's point",
    responses={201: body(pb.OutreachEvent)},
)
async def create_outreach_event(desk: Desk, body: NewOutreachEvent):
    return to_json(await desk.create_outreach_event(pb.CreateOutreachEventRequest(**body.model_dump())))


# --- the assessment of the service points (绩效考核) ---


@router.get(
    "/assessment",
    tags=["assessment"],
    summary="The nine service points ranked for a month, with scores over the preceding months (district managers)",
    responses={200: body(pb.Assessment)},
)
async def assessment(
    desk: Desk,
    # The service checks the month (400); the gateway keeps to the years the service can count months in.
    period: Annotated[
        str,
        Query(
            max_length=7,
            pattern="^(2[0-9]{3}-[0-9]{2})?$",
            description="YYYY-MM; empty: this month",
            json_schema_extra={"pattern": "^(2[0-9]{3}-(0[1-9]|1[0-2]))?$"},
        ),
    ] = "",
    months: Annotated[int, Query(ge=1, le=24)] = 6,
):
    out = to_json(await desk.assessment(period, months))
    out.setdefault("points", [])
    return out


@pages.get("/assessment", include_in_schema=False)
async def assessment_page():
    return FileResponse(STATIC / "assessment.html", media_type="text/html")


# --- the TV's home screen (gateway/routes/home.py) ---


async def home_tile(request: Request, caller, token: str) -> dict:
    """The household's latest requests, their state and deadline."""
    import asyncio

    desk = ServiceDesk.of(request, token)
    catalog, mine = await asyncio.gather(desk.catalog(), desk.list_mine(page(3, "")))
    names = {t.code: t.name for t in catalog.service_types}
    items = []
    for r in mine.requests:
        item = {"id": r.id, "title": names.get(r.service_type, r.service_type), "detail": r.reference_number}
        items.append(item | {"state": r.state} | ({"at": to_json(r)["deadline"]} if r.HasField("deadline") else {}))
    return {"title": "报修与服务", "screen": "servicedesk", "items": items}
