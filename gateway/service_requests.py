"""Service requests for set-top boxes and mobile apps."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

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
        raise Problem(400, "send an Idempotency-Key header, so a retried request is never filed twice",
                      {"Idempotency-Key": "is required"})
    r = await request.app.state.backends.servicedesk.CreateServiceRequest(
        servicedesk_pb2.CreateServiceRequestRequest(
            service_type=body.service_type, description=body.description,
            idempotency_key=key, channel=body.channel,
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
