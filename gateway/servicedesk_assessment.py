"""Performance assessment of the service points (绩效考核): the API a district
manager's tools read, and the page that shows the ranking with charts over
time (gateway/static/servicedesk/assessment.html draws inline SVG from the
same API; no chart library)."""

from __future__ import annotations

import pathlib

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from gateway.common import signed_in, to_json
from sbc.servicedesk.v1 import servicedesk_pb2

router = APIRouter()
STATIC = pathlib.Path(__file__).resolve().parent / "static" / "servicedesk"


@router.get(
    "/v1/assessment",
    tags=["assessment"],
    summary="The nine service points ranked for a month, with scores over the preceding months",
)
async def assessment(
    request: Request,
    period: str = Query("", max_length=7, description="YYYY-MM; empty = this month"),
    months: int = Query(6, ge=1, le=24),
    auth=Depends(signed_in),
):
    backends = request.app.state.backends
    r = await backends.servicedesk.GetAssessment(
        servicedesk_pb2.GetAssessmentRequest(period=period, months=months),
        metadata=backends.auth(auth[1]),
        timeout=request.app.state.settings.backend_timeout,
    )
    body = to_json(r)
    body.setdefault("points", [])
    return body


@router.get("/servicedesk/assessment", include_in_schema=False)
async def assessment_page():
    return FileResponse(STATIC / "assessment.html", media_type="text/html")
