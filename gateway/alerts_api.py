"""Emergency broadcast over HTTP: CAP intake from departments, authoring and
approval for alert staff, the live status, receipts from terminals, outbound
CAP and the Atom feed, and the emergency manager's live page."""

from __future__ import annotations

import datetime as dt
import pathlib

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, ConfigDict, Field

from gateway.batching import Batcher
from gateway.common import json_body, signed_in, to_json
from gateway.problems import Problem, problem_for_code
from sbc.alerts.v1 import alerts_pb2

router = APIRouter()
STATIC = pathlib.Path(__file__).resolve().parent / "static" / "alerts"
CAP_TYPES = {"application/cap+xml", "application/xml", "text/xml"}


def _alerts(request: Request):
    return request.app.state.backends.alerts


def _opts(request: Request, token: str = "") -> dict:
    md = request.app.state.backends.auth(token) if token else []
    return {"metadata": md, "timeout": request.app.state.settings.backend_timeout}


@router.post(
    "/v1/alerts/cap",
    status_code=201,
    tags=["emergency broadcast"],
    summary="A department submits a CAP 1.2 alert (application/cap+xml)",
)
async def submit_cap(request: Request, auth=Depends(signed_in)):
    _, token = auth
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in CAP_TYPES:
        raise Problem(415, "send the alert as application/cap+xml (or application/xml)")
    body = await request.body()
    try:
        xml = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the CAP message must be UTF-8", {"body": "not UTF-8"}) from None
    r = await _alerts(request).SubmitCap(alerts_pb2.SubmitCapRequest(xml=xml), **_opts(request, token))
    return to_json(r)


class NewAlert(BaseModel):
    model_config = ConfigDict(extra="forbid")
    headline: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    instruction: str = Field(default="", max_length=2000)
    level: int = Field(ge=1, le=4, description="1 red 特别重大 .. 4 blue 一般")
    event_type: str = Field(default="", max_length=100)
    area_codes: list[str] = Field(default_factory=list, max_length=200)
    expires: dt.datetime | None = None
    status: str = Field(default="Actual", max_length=20, description="Actual, Exercise or Test (drills)")
    msg_type: str = Field(default="Alert", max_length=20)
    references_alert_id: str = Field(default="", max_length=36)


@router.post(
    "/v1/alerts",
    status_code=201,
    tags=["emergency broadcast"],
    dependencies=[Depends(json_body)],
    summary="An alert issuer drafts an alert",
)
async def draft_alert(request: Request, body: NewAlert, auth=Depends(signed_in)):
    _, token = auth
    expires = None
    if body.expires is not None:
        if body.expires.tzinfo is None:
            raise Problem(422, "expires needs a time zone offset", {"expires": "needs an offset"})
        expires = Timestamp()
        expires.FromDatetime(body.expires.astimezone(dt.UTC))
    r = await _alerts(request).DraftAlert(
        alerts_pb2.DraftAlertRequest(
            headline=body.headline,
            description=body.description,
            instruction=body.instruction,
            level=body.level,
            event_type=body.event_type,
            area_codes=body.area_codes,
            expires=expires,
            status=body.status,
            msg_type=body.msg_type,
            references_alert_id=body.references_alert_id,
        ),
        **_opts(request, token),
    )
    return to_json(r)


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500)


ACTIONS = {"submit": "SubmitForApproval", "approve": "ApproveAlert", "reject": "RejectAlert", "cancel": "CancelAlert"}


@router.post(
    "/v1/alerts/{alert_id}/{action}",
    tags=["emergency broadcast"],
    dependencies=[Depends(json_body)],
    summary="Submit for approval, approve, reject (another person) or cancel an alert",
)
async def act(request: Request, alert_id: str, action: str, body: Action, auth=Depends(signed_in)):
    _, token = auth
    method = ACTIONS.get(action)
    if method is None:
        raise Problem(404, f"no action {action[:40]!r}; one of {', '.join(ACTIONS)}")
    r = await getattr(_alerts(request), method)(
        alerts_pb2.AlertAction(alert_id=alert_id, reason=body.reason), **_opts(request, token)
    )
    return to_json(r)


@router.get("/v1/alerts/feed.atom", tags=["emergency broadcast"], summary="Atom feed of the active alerts")
async def feed(request: Request):
    await request.app.state.security.open(request)
    base = str(request.base_url).rstrip("/")
    r = await _alerts(request).GetActiveFeed(alerts_pb2.GetActiveFeedRequest(base_url=base), **_opts(request))
    return Response(r.xml, media_type="application/atom+xml")


@router.get("/v1/alerts/{alert_id}/cap.xml", tags=["emergency broadcast"], summary="An issued alert as CAP 1.2")
async def cap_xml(request: Request, alert_id: str):
    await request.app.state.security.open(request)
    r = await _alerts(request).GetAlertCap(alerts_pb2.GetAlertRequest(alert_id=alert_id), **_opts(request))
    return Response(r.xml, media_type="application/cap+xml")


@router.get("/v1/alerts/{alert_id}", tags=["emergency broadcast"], summary="One alert")
async def get_alert(request: Request, alert_id: str, auth=Depends(signed_in)):
    r = await _alerts(request).GetAlert(alerts_pb2.GetAlertRequest(alert_id=alert_id), **_opts(request, auth[1]))
    return to_json(r)


@router.get(
    "/v1/alerts/{alert_id}/status",
    tags=["emergency broadcast"],
    summary="Targeted, delivered, displayed and acknowledged terminals per channel and area",
)
async def alert_status(request: Request, alert_id: str, auth=Depends(signed_in)):
    r = await _alerts(request).GetAlertStatus(alerts_pb2.GetAlertRequest(alert_id=alert_id), **_opts(request, auth[1]))
    out = to_json(r)
    out.setdefault("rows", [])
    return out


@router.get("/v1/alerts/{alert_id}/audit", tags=["emergency broadcast"], summary="The alert's audit trail")
async def audit(request: Request, alert_id: str, auth=Depends(signed_in)):
    r = await _alerts(request).GetAuditTrail(alerts_pb2.GetAlertRequest(alert_id=alert_id), **_opts(request, auth[1]))
    return {"entries": [to_json(e) for e in r.entries]}


class NewTerminal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: str = Field(description="loudspeaker or iot", max_length=20)
    terminal_id: str = Field(min_length=1, max_length=100)
    area_code: str = Field(min_length=6, max_length=12, description="the village (or town) it serves")
    endpoint: str = Field(default="", max_length=500, description="a loudspeaker controller's URL")


@router.post(
    "/v1/alerts/terminals",
    status_code=201,
    tags=["emergency broadcast"],
    dependencies=[Depends(json_body)],
    summary="Register a village loudspeaker controller or a home IoT device with its area",
)
async def register_terminal(request: Request, body: NewTerminal, auth=Depends(signed_in)):
    r = await _alerts(request).RegisterTerminal(
        alerts_pb2.RegisterTerminalRequest(**body.model_dump()), **_opts(request, auth[1])
    )
    return to_json(r)


class Receipt(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="delivered, displayed or acknowledged", max_length=20)


@router.post(
    "/v1/terminal/alerts/{alert_id}/receipts",
    status_code=204,
    tags=["terminal"],
    dependencies=[Depends(json_body)],
    summary="The terminal's receipt for an alert",
)
async def receipt(request: Request, alert_id: str, body: Receipt, auth=Depends(signed_in)):
    # Recorded together with the receipts arriving at the same moment (gateway/batching.py).
    outcome = await request.app.state.receipts.call(
        alerts_pb2.TerminalReceipt(token=auth[1], alert_id=alert_id, kind=body.kind)
    )
    if outcome.code:
        raise problem_for_code(outcome.code, outcome.message)
    return Response(status_code=204)


def receipts_batcher(backends, timeout: float) -> Batcher:
    """Terminals' receipts, many to a RecordReceipts call; each answered when its batch is committed."""

    async def send(receipts: list) -> list:
        r = await backends.alerts.RecordReceipts(alerts_pb2.RecordReceiptsRequest(receipts=receipts), timeout=timeout)
        return list(r.results)

    return Batcher("receipts", send)


@router.get(
    "/alerts/live", tags=["emergency broadcast"], summary="The emergency manager's live page", include_in_schema=False
)
async def live_page():
    return FileResponse(STATIC / "live.html", media_type="text/html")
