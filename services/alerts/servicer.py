"""The emergency broadcast's gRPC face: protobuf in, a handler call, protobuf out. No rules here
(the domain's), no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from alerts import cap, domain, events, handlers
from alerts.handlers import Setup
from alerts.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import Caller, TokenVerifier, current_caller
from runtime.db import Database
from runtime.errors import Unauthenticated
from runtime.grpc_server import grpc_code_number
from runtime.times import to_timestamp, utcnow
from sbc.alerts.v1 import alerts_pb2 as pb
from sbc.alerts.v1 import alerts_pb2_grpc

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AlertService"].full_name
# Other systems read issued alerts as CAP and the Atom feed without signing in, and the museum's
# exhibition area the delivery figures. The gateway's batched calls carry a token per terminal,
# checked here, instead of one for the call.
PUBLIC_METHODS = {"GetAlertCap", "GetActiveFeed", "RecordReceipts", "ConnectTerminals", "GetDeliveryFigures"}


def alert_message(alert: domain.Alert) -> pb.Alert:
    m = alert.message
    return pb.Alert(
        id=alert.id,
        identifier=alert.identifier,
        sender=alert.sender,
        sender_name=m.sender_name,
        state=alert.state,
        status=m.status,
        msg_type=m.msg_type,
        drill=m.drill,
        severity=m.severity,
        level=m.level,
        colour=m.colour,
        event_type=m.event_type,
        texts=events.text_messages(m.texts),
        area_codes=list(alert.area_codes),
        sent=to_timestamp(m.sent),
        expires=to_timestamp(m.expires),
        references=list(m.references),
        created_by=alert.created_by,
        approved_by=alert.approved_by,
        origin=alert.origin,
    )


def draft_of(request: pb.DraftAlertRequest) -> domain.Draft:
    return domain.Draft(
        headline=request.headline,
        level=request.level,
        area_codes=tuple(request.area_codes),
        description=request.description,
        instruction=request.instruction,
        event_type=request.event_type,
        expires=request.expires.ToDatetime(dt.UTC) if request.HasField("expires") else None,
        status=request.status,
        msg_type=request.msg_type,
        references_alert_id=request.references_alert_id,
    )


def area_status(s: domain.AreaStatus) -> pb.ChannelAreaStatus:
    return pb.ChannelAreaStatus(
        channel=s.channel,
        area_code=s.area_code,
        targeted=s.targeted,
        delivered=s.delivered,
        displayed=s.displayed,
        acknowledged=s.acknowledged,
    )


def audit_entry(e: domain.AuditEntry) -> pb.AuditEntry:
    return pb.AuditEntry(
        seq=e.seq, action=e.action, actor=e.actor, actor_role=e.actor_role, detail=e.detail, at=to_timestamp(e.at)
    )


class Broadcasts:
    """Broadcasts as protobuf, each made once (a thousand terminals connecting share a few)."""

    def __init__(self) -> None:
        self.made: dict[str, object] = {}

    def __call__(self, broadcasts: list[domain.Broadcast]) -> list:
        out = []
        for b in broadcasts:
            key = f"{b.alert_id}/{b.kind}/{b.attempt}"
            if key not in self.made:
                self.made[key] = events.broadcast_message(b)
            out.append(self.made[key])
        return out


class AlertServicer(alerts_pb2_grpc.AlertServiceServicer):
    def __init__(
        self,
        db: Database,
        setup: Setup | None = None,
        verifier: TokenVerifier | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ):
        self.db = db
        self.setup = setup or Setup.load()
        self.verifier = verifier  # for the tokens inside the batched calls
        # The time source (tests may hand in a clock of their own).
        self.now = clock
        cap.schema()  # build the XSD now (about a second), not on the first alert

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    def _verified(self, token: str) -> Caller:
        """The caller of a token carried inside a batched call (the gateway's batches of terminals)."""
        if self.verifier is None:
            raise Unauthenticated("this server cannot verify tokens")
        return self.verifier.verify(token)

    # --- intake, authoring and approval ---

    async def SubmitCap(self, request, context):
        xml = request.cap or request.xml  # the bytes as sent, when the gateway passes them
        alert = await run_sync(handlers.submit_cap, self.uow(), current_caller(), xml, self.setup, self.now())
        return alert_message(alert)

    async def DraftAlert(self, request, context):
        draft = draft_of(request)
        alert = await run_sync(handlers.draft_alert, self.uow(), current_caller(), draft, self.setup, self.now())
        return alert_message(alert)

    async def _step(self, step, request):
        caller, alert_id, reason = current_caller(), request.alert_id, request.reason
        return alert_message(await run_sync(step, self.uow(), caller, alert_id, reason, self.now()))

    async def SubmitForApproval(self, request, context):
        return await self._step(handlers.submit_for_approval, request)

    async def ApproveAlert(self, request, context):
        return await self._step(handlers.approve, request)

    async def RejectAlert(self, request, context):
        return await self._step(handlers.reject, request)

    async def CancelAlert(self, request, context):
        return await self._step(handlers.cancel, request)

    # --- reading ---

    async def GetAlert(self, request, context):
        return alert_message(await run_sync(handlers.get_alert, self.uow(), current_caller(), request.alert_id))

    async def GetAlertStatus(self, request, context):
        alert, rows = await run_sync(handlers.alert_status, self.uow(), current_caller(), request.alert_id)
        return pb.AlertStatus(alert=alert_message(alert), rows=[area_status(r) for r in rows])

    async def GetAuditTrail(self, request, context):
        entries = await run_sync(handlers.audit_trail, self.uow(), current_caller(), request.alert_id)
        return pb.AuditTrail(entries=[audit_entry(e) for e in entries])

    async def ListActiveAlerts(self, request, context):
        active = await run_sync(handlers.list_active, self.uow(), current_caller(), request.area_code, self.now())
        return pb.ListActiveAlertsResponse(alerts=Broadcasts()(active))

    async def GetAlertCap(self, request, context):
        xml = await run_sync(handlers.alert_cap, self.uow(), request.alert_id, self.setup)
        return pb.CapDocument(content_type="application/cap+xml", xml=xml)

    async def GetActiveFeed(self, request, context):
        xml = await run_sync(handlers.active_feed, self.uow(), request.base_url, self.now())
        return pb.CapDocument(content_type="application/atom+xml", xml=xml)

    # --- terminals and receipts ---

    async def ConnectTerminal(self, request, context):
        showing = await run_sync(handlers.connect_terminal, self.uow(), current_caller(), self.now())
        return pb.ListActiveAlertsResponse(alerts=Broadcasts()(showing))

    async def ConnectTerminals(self, request, context):
        results = await run_sync(handlers.connect_terminals, self.uow(), self._verified, request.tokens, self.now())
        out, broadcasts = [], Broadcasts()
        for r in results:
            if isinstance(r, list):
                out.append(pb.TerminalConnection(alerts=broadcasts(r)))
            else:
                out.append(pb.TerminalConnection(code=grpc_code_number(r), message=r.message))
        return pb.ConnectTerminalsResponse(connections=out)

    async def RecordReceipt(self, request, context):
        await run_sync(
            handlers.record_receipt, self.uow(), current_caller(), request.alert_id, request.kind, self.now()
        )
        return pb.RecordReceiptResponse()

    async def RecordReceipts(self, request, context):
        receipts = [(r.token, r.alert_id, r.kind) for r in request.receipts]
        errors = await run_sync(handlers.record_receipts, self.uow(), self._verified, receipts, self.now())
        return pb.RecordReceiptsResponse(
            results=[
                pb.ReceiptResult() if e is None else pb.ReceiptResult(code=grpc_code_number(e), message=e.message)
                for e in errors
            ]
        )

    async def RegisterTerminal(self, request, context):
        t = await run_sync(
            handlers.register_terminal,
            self.uow(),
            current_caller(),
            request.channel,
            request.terminal_id,
            request.area_code,
            request.endpoint,
            self.setup,
            self.now(),
        )
        return pb.Terminal(channel=t.channel, terminal_id=t.terminal_id, area_code=t.area_code, endpoint=t.endpoint)

    async def GetDeliveryCommitments(self, request, context):
        c = handlers.delivery_commitments(current_caller())
        return pb.DeliveryCommitments(
            reach_within_seconds=c.reach_within_seconds,
            reach_source=c.reach_source,
            approval=c.approval,
            channels=[pb.ChannelCommitment(code=x.code, name=x.name, commitment=x.commitment) for x in c.channels],
            redeliver_after_seconds=round(c.redeliver_after_seconds),
            max_attempts=c.max_attempts,
            levels=[
                pb.WarningLevel(level=lv.level, roman=lv.roman, colour=lv.colour, name=lv.name, severity=lv.severity)
                for lv in c.levels
            ],
        )

    async def GetDeliveryFigures(self, request, context):
        sent, targeted, delivered = await run_sync(handlers.delivery_figures, self.uow())
        return pb.DeliveryFigures(alerts=sent, targeted=targeted, delivered=delivered, at=to_timestamp(self.now()))
