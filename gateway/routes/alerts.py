"""Emergency broadcast under /v1/alerts/: CAP intake from departments, authoring and approval for
alert staff, the live status, terminals' receipts, outbound CAP and the Atom feed; the emergency
manager's live page (/alerts/live).

Where a field's schema names values the alerts service checks (an area code, a receipt's kind),
the service refuses others with 400, naming the field; what the gateway checks itself is 422."""

from __future__ import annotations

import contextlib
import pathlib
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Path, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.batching import Batcher
from gateway.common import ID, ID_OR_EMPTY, LINE, TEXT, Instant, ServiceClient, SignedIn, json_body, to_json
from gateway.openapi import array, body, obj, problems
from gateway.problems import Problem, problem_for_code
from runtime.times import to_timestamp
from sbc.alerts.v1 import alerts_pb2 as pb
from sbc.alerts.v1 import alerts_pb2_grpc

STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "alerts"
CAP_TYPES = ("application/cap+xml", "application/xml", "text/xml")
AREA_CODE = "^([0-9]{6}|[0-9]{9}|[0-9]{12})$"  # district, town or village


class Alerts(ServiceClient):
    service = "alerts"
    stub_class = alerts_pb2_grpc.AlertServiceStub

    async def delivery_commitments(self) -> pb.DeliveryCommitments:
        return await self.stub.GetDeliveryCommitments(pb.GetDeliveryCommitmentsRequest(), **self.options)

    async def submit_cap(self, raw: bytes) -> pb.Alert:
        return await self.stub.SubmitCap(pb.SubmitCapRequest(cap=raw), **self.options)

    async def draft(self, request: pb.DraftAlertRequest) -> pb.Alert:
        return await self.stub.DraftAlert(request, **self.options)

    async def submit_for_approval(self, action: pb.AlertAction) -> pb.Alert:
        return await self.stub.SubmitForApproval(action, **self.options)

    async def approve(self, action: pb.AlertAction) -> pb.Alert:
        return await self.stub.ApproveAlert(action, **self.options)

    async def reject(self, action: pb.AlertAction) -> pb.Alert:
        return await self.stub.RejectAlert(action, **self.options)

    async def cancel(self, action: pb.AlertAction) -> pb.Alert:
        return await self.stub.CancelAlert(action, **self.options)

    async def get(self, alert_id: str) -> pb.Alert:
        return await self.stub.GetAlert(pb.GetAlertRequest(alert_id=alert_id), **self.options)

    async def status(self, alert_id: str) -> pb.AlertStatus:
        return await self.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=alert_id), **self.options)

    async def audit(self, alert_id: str) -> pb.AuditTrail:
        return await self.stub.GetAuditTrail(pb.GetAlertRequest(alert_id=alert_id), **self.options)

    async def cap(self, alert_id: str) -> pb.CapDocument:
        return await self.stub.GetAlertCap(pb.GetAlertRequest(alert_id=alert_id), **self.options)

    async def feed(self, base_url: str) -> pb.CapDocument:
        return await self.stub.GetActiveFeed(pb.GetActiveFeedRequest(base_url=base_url), **self.options)

    async def register_terminal(self, request: pb.RegisterTerminalRequest) -> pb.Terminal:
        return await self.stub.RegisterTerminal(request, **self.options)

    # Terminals' calls, many to a call (gateway/batching.py): each item carries its terminal's token.
    async def record_receipts(self, receipts: list[pb.TerminalReceipt]) -> pb.RecordReceiptsResponse:
        return await self.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=receipts), **self.options)

    async def connect_terminals(self, tokens: list[str]) -> pb.ConnectTerminalsResponse:
        return await self.stub.ConnectTerminals(pb.ConnectTerminalsRequest(tokens=tokens), **self.options)


def alerts(request: Request, auth: SignedIn) -> Alerts:
    return Alerts.of(request, auth[1])


AlertsClient = Annotated[Alerts, Depends(alerts)]
AlertId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The alert's id")]


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    """Terminals' receipts go to the alerts service in batches: many to a RecordReceipts call, each
    answered when its batch is committed."""

    client = Alerts(app.state.backends, app.state.settings.backend_timeout)  # each receipt carries its token

    async def send(receipts: list) -> list:
        return list((await client.record_receipts(receipts)).results)

    app.state.receipts = Batcher("receipts", send)
    app.state.receipts.start()
    yield
    await app.state.receipts.stop()


router = APIRouter(prefix="/v1/alerts", tags=["emergency broadcast"], lifespan=lifespan)
pages = APIRouter(prefix="/alerts")

AN_ALERT = body(pb.Alert)


@router.post(
    "/cap",
    status_code=201,
    summary="A department submits a CAP 1.2 alert (application/cap+xml)",
    description="A sender with a registered certificate (the alerts service's data/cap_certificates/) signs "
    "its messages (XML-DSig, enveloped): 403 when unsigned or the signature does not verify. An Update of an "
    "alert never received is the alert now in force; a Cancel of only such alerts is recorded, not broadcast.",
    responses={201: AN_ALERT, **problems(409)},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A CAP 1.2 message (or the national early-warning feed's variant), its bytes in the "
            "encoding its XML declaration names (UTF-8 without one; ISO-8859-1, UTF-16, GB18030, GBK ...), at "
            "most ALERTS_CAP_MAX_BYTES (8 MiB; 413 beyond), embedded audio and images included",
            "content": {t: {"schema": {"type": "string"}} for t in CAP_TYPES},
        }
    },
)
async def submit_cap(request: Request, client: AlertsClient):
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in CAP_TYPES:
        raise Problem(415, "send the alert as application/cap+xml (or application/xml)")
    # The bytes as sent: the alerts service reads them in the encoding their declaration names.
    return to_json(await client.submit_cap(await request.body()))


class NewAlert(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"headline": "应急演练：暴雨蓝色预警", "level": 4, "area_codes": ["330411101"], "status": "Exercise"}
            ]
        },
    )
    headline: str = Field(min_length=1, max_length=200, pattern=LINE)
    description: str = Field(default="", max_length=4000, pattern=TEXT)
    instruction: str = Field(default="", max_length=2000, pattern=TEXT)
    level: int = Field(ge=1, le=4, description="1 red 特别重大 .. 4 blue 一般")
    event_type: str = Field(default="", max_length=100, pattern=LINE)
    area_codes: list[Annotated[str, Field(pattern=AREA_CODE)]] = Field(
        default_factory=list, max_length=200, description="Areas of the district (the alerts service knows them)"
    )
    expires: Instant | None = Field(default=None, description="In the future")
    status: str = Field(
        default="Actual",
        max_length=20,
        description="Actual, or Exercise or Test (drills)",
        json_schema_extra={"enum": ["", "Actual", "Exercise", "Test"]},
    )
    msg_type: str = Field(
        default="Alert",
        max_length=20,
        description="Update and Cancel name the alert they replace",
        json_schema_extra={"enum": ["", "Alert", "Update", "Cancel"]},
    )
    references_alert_id: str = Field(default="", max_length=36, pattern=ID_OR_EMPTY)


@router.post(
    "",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="An alert issuer drafts an alert",
    responses={201: AN_ALERT, **problems(404)},
)
async def draft_alert(client: AlertsClient, body: NewAlert):
    fields = body.model_dump(exclude={"expires"})
    return to_json(await client.draft(pb.DraftAlertRequest(expires=to_timestamp(body.expires), **fields)))


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500, pattern=TEXT)


def step(path: str, move, summary: str) -> None:
    """A POST that moves an alert along: each by its own role, 409 where its state does not allow it."""

    async def endpoint(client: AlertsClient, alert_id: AlertId, body: Action):
        return to_json(await move(client, pb.AlertAction(alert_id=alert_id, reason=body.reason)))

    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        summary=summary,
        dependencies=[Depends(json_body)],
        name=move.__name__,
        responses={200: AN_ALERT, **problems(409)},
    )


step("/{alert_id}/submit", Alerts.submit_for_approval, "The issuer submits a draft for approval")
step("/{alert_id}/approve", Alerts.approve, "An approver (not the issuer) approves it: it is issued")
step("/{alert_id}/reject", Alerts.reject, "An approver rejects it, with a reason")
step("/{alert_id}/cancel", Alerts.cancel, "Withdraw an issued alert on every terminal (issuer, approver or department)")


def anonymous(request: Request) -> Alerts:
    return Alerts.of(request)


@router.get(
    "/feed.atom",
    summary="Atom feed of the active alerts",
    responses={200: body({"type": "string"}, media_type="application/atom+xml")},
)
async def feed(request: Request, client: Annotated[Alerts, Depends(anonymous)]):
    await request.app.state.security.open(request)
    r = await client.feed(str(request.base_url).rstrip("/"))
    return Response(r.xml, media_type="application/atom+xml")


@router.get(
    "/{alert_id}/cap.xml",
    summary="An issued alert as CAP 1.2",
    responses={200: body({"type": "string"}, media_type="application/cap+xml")},
)
async def cap_xml(request: Request, alert_id: AlertId, client: Annotated[Alerts, Depends(anonymous)]):
    await request.app.state.security.open(request)
    r = await client.cap(alert_id)
    return Response(r.xml, media_type="application/cap+xml")


@router.get("/{alert_id}", summary="One alert", responses={200: AN_ALERT})
async def get_alert(client: AlertsClient, alert_id: AlertId):
    return to_json(await client.get(alert_id))


@router.get(
    "/{alert_id}/status",
    summary="Targeted, delivered, displayed and acknowledged terminals per channel and area",
    responses={200: body(pb.AlertStatus)},
)
async def alert_status(client: AlertsClient, alert_id: AlertId):
    out = to_json(await client.status(alert_id))
    out.setdefault("rows", [])
    return out


@router.get(
    "/{alert_id}/audit", summary="The alert's audit trail", responses={200: body(obj(entries=array(pb.AuditEntry)))}
)
async def audit(client: AlertsClient, alert_id: AlertId):
    r = await client.audit(alert_id)
    return {"entries": [to_json(e) for e in r.entries]}


class NewTerminal(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"channel": "iot", "terminal_id": "iot-0001", "area_code": "330411105001"}]},
    )
    channel: str = Field(max_length=20, json_schema_extra={"enum": ["loudspeaker", "iot"]})
    terminal_id: str = Field(min_length=1, max_length=100, pattern="^[^\\x00-\\x20\\x7f/#+]+$")
    area_code: str = Field(pattern=AREA_CODE, description="The village (or town) it serves")
    endpoint: str = Field(
        default="", max_length=500, pattern=LINE, description="A loudspeaker controller's http(s) URL"
    )


@router.post(
    "/terminals",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Register a village loudspeaker controller or a home IoT device with its area",
    responses={201: body(pb.Terminal)},
)
async def register_terminal(client: AlertsClient, body: NewTerminal):
    return to_json(await client.register_terminal(pb.RegisterTerminalRequest(**body.model_dump())))


class Receipt(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"kind": "displayed"}]})
    kind: str = Field(max_length=20, json_schema_extra={"enum": ["delivered", "displayed", "acknowledged"]})


@router.post(
    "/{alert_id}/receipts",
    status_code=204,
    tags=["terminal"],
    dependencies=[Depends(json_body)],
    summary="A set-top box's receipt for an alert: delivered, displayed or acknowledged",
    responses={204: {"description": "Recorded"}},
)
async def receipt(request: Request, alert_id: AlertId, body: Receipt, auth: SignedIn):
    # Recorded together with the receipts arriving at the same moment (gateway/batching.py).
    outcome = await request.app.state.receipts.call(
        pb.TerminalReceipt(token=auth[1], alert_id=alert_id, kind=body.kind)
    )
    if outcome.code:
        raise problem_for_code(outcome.code, outcome.message)
    return Response(status_code=204)


@pages.get("/live", include_in_schema=False)
async def live_page():
    return FileResponse(STATIC / "live.html", media_type="text/html")


# --- the TV's home screen (gateway/routes/home.py) ---


async def home_tile(request: Request, caller, token: str) -> dict:
    """The alerts in force in the household's area (the push stream puts them over the screen)."""
    client = Alerts.of(request, token)
    r = await client.stub.ListActiveAlerts(pb.ListActiveAlertsRequest(area_code=caller.area_code), **client.options)
    items = []
    for a in r.alerts:
        text = next((t for t in a.texts if t.language.startswith("zh")), a.texts[0] if a.texts else None)
        item = {"id": a.alert_id, "title": text.headline if text else a.event_type, "state": a.colour or a.severity}
        items.append(item | ({"at": to_json(a)["expires"]} if a.HasField("expires") else {}))
    return {"title": "应急广播", "screen": "alerts", "items": items}
