"""Service requests: the service guide, filing, own requests, cancel and rate
for set-top boxes and mobile apps; the staff API by role (point managers,
technicians, village agents). Every rule is the service desk's: the gateway
maps JSON to gRPC and gRPC errors to problem+json."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query, Request
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from gateway.common import json_body, signed_in, to_json
from gateway.problems import Problem
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2

router = APIRouter(prefix="/v1")


class NewServiceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service_type: str = Field(min_length=1, max_length=64, description="A code from the standard catalog")
    description: str = Field(default="", max_length=2000)
    channel: str = Field(default="", max_length=32)
    materials: list[str] = Field(default_factory=list, max_length=20, description="Codes of the materials at hand")
    # Staff filing for a household (a village agent, or a manager at the counter).
    household_id: str = Field(default="", max_length=36)
    household_area_code: str = Field(default="", max_length=12)
    consent: str = Field(default="", max_length=500, description="How the household consented (agents)")
    outreach_event_id: str = Field(default="", max_length=36, description="Channel outreach_event: the event")
    home_visit: str = Field(default="", max_length=16, description="Ask for a home visit: elderly or disabled")


@router.post(
    "/service-requests",
    status_code=201,
    tags=["service requests"],
    dependencies=[Depends(json_body)],
    summary="File a service request for the signed-in household",
)
async def create_service_request(request: Request, body: NewServiceRequest, auth=Depends(signed_in)):
    _, token = auth
    key = request.headers.get("idempotency-key", "")
    if not key:
        raise Problem(
            400,
            "send an Idempotency-Key header, so a retried request is never filed twice",
            {"Idempotency-Key": "is required"},
        )
    r = await request.app.state.backends.servicedesk.CreateServiceRequest(
        servicedesk_pb2.CreateServiceRequestRequest(
            service_type=body.service_type,
            description=body.description,
            idempotency_key=key,
            channel=body.channel,
            materials=body.materials,
            household_id=body.household_id,
            household_area_code=body.household_area_code,
            consent=body.consent,
            outreach_event_id=body.outreach_event_id,
            home_visit=body.home_visit,
        ),
        metadata=request.app.state.backends.auth(token),
        timeout=request.app.state.settings.backend_timeout,
    )
    return to_json(r)


@router.get("/service-requests/{request_id}", tags=["service requests"], summary="One of the household's requests")
async def get_service_request(request: Request, request_id: str, auth=Depends(signed_in)):
    _, token = auth
    r = await request.app.state.backends.servicedesk.GetServiceRequest(
        servicedesk_pb2.GetServiceRequestRequest(id=request_id),
        metadata=request.app.state.backends.auth(token),
        timeout=request.app.state.settings.backend_timeout,
    )
    return to_json(r)


@router.get("/service-requests", tags=["service requests"], summary="The household's requests, newest first")
async def list_service_requests(
    request: Request,
    page_size: int = Query(20, ge=1, le=100),
    page_token: str = Query("", max_length=40),
    auth=Depends(signed_in),
):
    _, token = auth
    r = await request.app.state.backends.servicedesk.ListMyServiceRequests(
        servicedesk_pb2.ListMyServiceRequestsRequest(
            page=common_pb2.PageRequest(page_size=page_size, page_token=page_token)
        ),
        metadata=request.app.state.backends.auth(token),
        timeout=request.app.state.settings.backend_timeout,
    )
    return {"requests": [to_json(x) for x in r.requests], "next_page_token": r.page.next_page_token}


RequestId = Path(min_length=1, max_length=36)


async def call(request: Request, token: str, method: str, message):
    backends = request.app.state.backends
    return await getattr(backends.servicedesk, method)(
        message, metadata=backends.auth(token), timeout=request.app.state.settings.backend_timeout
    )


# --- the service guide ---


@router.get("/service-guide", tags=["service guide"], summary="Every service: what to bring, how long, how much")
async def service_guide(request: Request, on_date: str = Query("", max_length=10), auth=Depends(signed_in)):
    c = await call(request, auth[1], "GetCatalog", servicedesk_pb2.GetCatalogRequest(on_date=on_date))
    return {"version": c.version, "effective_from": c.effective_from, "services": [to_json(t) for t in c.service_types]}


@router.get("/service-guide/{code}", tags=["service guide"], summary="One service's guide in plain Chinese")
async def service_guide_one(request: Request, code: str = Path(max_length=64), auth=Depends(signed_in)):
    c = await call(request, auth[1], "GetCatalog", servicedesk_pb2.GetCatalogRequest())
    for t in c.service_types:
        if t.code == code:
            return to_json(t)
    raise Problem(404, f"no service {code!r} in the standard catalog")


@router.get("/service-points", tags=["service guide"], summary="The district's service points")
async def service_points(request: Request, auth=Depends(signed_in)):
    r = await call(request, auth[1], "ListServicePoints", servicedesk_pb2.ListServicePointsRequest())
    return {"service_points": [to_json(p) for p in r.service_points]}


# --- the household's own requests ---


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500)


class NewRating(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level: str = Field(min_length=1, max_length=32, description="very_satisfied ... very_dissatisfied")
    indicators: dict[str, int] = Field(
        default_factory=dict, max_length=3, description="efficiency, attitude, result: 1..5"
    )
    comment: str = Field(default="", max_length=1000)


def act(method: str, path: str, summary: str, tag: str):
    """A POST that moves one request along its lifecycle."""

    async def endpoint(request: Request, body: Reason, request_id: str = RequestId, auth=Depends(signed_in)):
        r = await call(request, auth[1], method, servicedesk_pb2.ActOnRequest(id=request_id, reason=body.reason))
        return to_json(r)

    router.add_api_route(
        path, endpoint, methods=["POST"], summary=summary, tags=[tag], dependencies=[Depends(json_body)], name=method
    )


act(
    "CancelServiceRequest",
    "/service-requests/{request_id}/cancel",
    "Cancel one of the household's requests",
    "service requests",
)


@router.post(
    "/service-requests/{request_id}/rating",
    tags=["service requests"],
    dependencies=[Depends(json_body)],
    summary="Rate a resolved request (好差评), once",
)
async def rate(request: Request, body: NewRating, request_id: str = RequestId, auth=Depends(signed_in)):
    r = await call(
        request,
        auth[1],
        "RateServiceRequest",
        servicedesk_pb2.RateServiceRequestRequest(
            id=request_id, level=body.level, indicators=body.indicators, comment=body.comment
        ),
    )
    return to_json(r)


@router.get("/service-requests/{request_id}/audit", tags=["service requests"], summary="Who did what, when")
async def audit(request: Request, request_id: str = RequestId, auth=Depends(signed_in)):
    r = await call(request, auth[1], "ListAuditEntries", servicedesk_pb2.GetServiceRequestRequest(id=request_id))
    return {"entries": [to_json(e) for e in r.entries]}


# --- staff ---


@router.get("/staff/queue", tags=["staff"], summary="The manager's service point's open requests, oldest first")
async def queue(
    request: Request,
    state: str = Query("", max_length=32),
    page_size: int = Query(20, ge=1, le=100),
    page_token: str = Query("", max_length=40),
    auth=Depends(signed_in),
):
    r = await call(
        request,
        auth[1],
        "ListPointQueue",
        servicedesk_pb2.ListPointQueueRequest(
            state=state, page=common_pb2.PageRequest(page_size=page_size, page_token=page_token)
        ),
    )
    return {"requests": [to_json(x) for x in r.requests], "next_page_token": r.page.next_page_token}


@router.get("/staff/jobs", tags=["staff"], summary="The technician's jobs")
async def jobs(
    request: Request,
    page_size: int = Query(20, ge=1, le=100),
    page_token: str = Query("", max_length=40),
    auth=Depends(signed_in),
):
    r = await call(
        request,
        auth[1],
        "ListMyJobs",
        servicedesk_pb2.ListMyJobsRequest(page=common_pb2.PageRequest(page_size=page_size, page_token=page_token)),
    )
    return {"requests": [to_json(x) for x in r.requests], "next_page_token": r.page.next_page_token}


@router.get("/staff/service-requests/{request_id}", tags=["staff"], summary="One request of the point or job")
async def staff_get(request: Request, request_id: str = RequestId, auth=Depends(signed_in)):
    return to_json(
        await call(request, auth[1], "GetServiceRequest", servicedesk_pb2.GetServiceRequestRequest(id=request_id))
    )


for _method, _path, _summary in [
    ("AcceptServiceRequest", "accept", "Accept a request (point manager)"),
    ("RejectServiceRequest", "reject", "Reject a request with a reason (point manager)"),
    ("WaitForCitizen", "wait-for-citizen", "Pause the clock until the citizen acts; reason required (point manager)"),
    ("ResumeServiceRequest", "resume", "The citizen is back: the clock runs again (point manager)"),
    ("RecordRectificationFollowUp", "rectification-follow-up", "Record the follow-up of a bad rating (point manager)"),
    ("MarkOnSite", "on-site", "The technician is at the household"),
    ("ResolveServiceRequest", "resolve", "The technician has resolved it"),
]:
    act(_method, f"/staff/service-requests/{{request_id}}/{_path}", _summary, "staff")


class Dispatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    technician: str = Field(min_length=1, max_length=100)
    window_start: AwareDatetime
    window_end: AwareDatetime


def stamp(at: dt.datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(at.astimezone(dt.UTC))
    return out


@router.post(
    "/staff/service-requests/{request_id}/dispatch",
    tags=["staff"],
    dependencies=[Depends(json_body)],
    summary="Assign a technician of the point with an appointment window (point manager)",
)
async def dispatch(request: Request, body: Dispatch, request_id: str = RequestId, auth=Depends(signed_in)):
    r = await call(
        request,
        auth[1],
        "DispatchServiceRequest",
        servicedesk_pb2.DispatchServiceRequestRequest(
            id=request_id,
            technician=body.technician,
            window_start=stamp(body.window_start),
            window_end=stamp(body.window_end),
        ),
    )
    return to_json(r)


# --- outreach events in the villages ---


@router.get(
    "/outreach-events", tags=["service guide"], summary="The upcoming outreach events of the household's town, by date"
)
async def outreach_events(request: Request, auth=Depends(signed_in)):
    r = await call(request, auth[1], "ListOutreachEvents", servicedesk_pb2.ListOutreachEventsRequest())
    return {"events": [to_json(e) for e in r.events]}


class NewOutreachEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str = Field(min_length=1, max_length=10, description="YYYY-MM-DD in the district's time")
    start_time: str = Field(min_length=1, max_length=5, description="HH:MM")
    end_time: str = Field(min_length=1, max_length=5, description="HH:MM")
    area_code: str = Field(min_length=1, max_length=12, description="The village's 12-digit code")
    place: str = Field(min_length=1, max_length=200)
    service_types: list[str] = Field(min_length=1, max_length=20)


@router.post(
    "/staff/outreach-events",
    status_code=201,
    tags=["staff"],
    dependencies=[Depends(json_body)],
    summary="Schedule an outreach event in a village of the manager's point",
)
async def create_outreach_event(request: Request, body: NewOutreachEvent, auth=Depends(signed_in)):
    r = await call(
        request,
        auth[1],
        "CreateOutreachEvent",
        servicedesk_pb2.CreateOutreachEventRequest(
            date=body.date,
            start_time=body.start_time,
            end_time=body.end_time,
            area_code=body.area_code,
            place=body.place,
            service_types=body.service_types,
        ),
    )
    return to_json(r)
