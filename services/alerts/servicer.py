"""gRPC face of the emergency broadcast service."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from alerts import cap, domain, events, store
from alerts.domain import Role, State
from runtime.auth import Caller, CallerKind, TokenVerifier, current_caller
from runtime.db import Database
from runtime.errors import (
    AlreadyExists,
    DomainError,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    check_text,
)
from runtime.grpc_server import grpc_code_number
from sbc.alerts.v1 import alerts_pb2, alerts_pb2_grpc

SERVICE_NAME = alerts_pb2.DESCRIPTOR.services_by_name["AlertService"].full_name
# Other systems read issued alerts as CAP and the Atom feed without signing in.
# The gateway's batched calls carry a token per terminal, checked here, instead of one for the call.
PUBLIC_METHODS = {"GetAlertCap", "GetActiveFeed", "RecordReceipts", "ConnectTerminals"}
RECEIPT_KINDS = ("delivered", "displayed", "acknowledged")
MAX_PER_BATCH = 1000
PUBLISHED_STATES = {State.ISSUED, State.CANCELLED, State.SUPERSEDED, State.EXPIRED}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def role_of(caller: Caller) -> str:
    return ",".join(sorted(caller.roles)) or caller.kind


class AlertServicer(alerts_pb2_grpc.AlertServiceServicer):
    def __init__(
        self,
        db: Database,
        areas: domain.Areas | None = None,
        levels: domain.Levels | None = None,
        trusted: set[str] | None = None,
        verifier: TokenVerifier | None = None,
    ):
        self.db = db
        self.verifier = verifier  # for the tokens inside the batched calls
        self.areas = areas or store.load_areas()
        self.levels = levels or store.load_levels()
        self.trusted = store.load_trusted() if trusted is None else trusted
        self.area_names = {c: a.name for c, a in self.areas.by_code.items()}
        cap.schema()  # build the XSD now (about a second), not on the first alert

    async def _run(self, fn, *args):
        return await asyncio.to_thread(fn, current_caller(), *args)

    # --- intake ---

    async def SubmitCap(self, request, context):
        return await self._run(self._submit_cap, request)

    def _submit_cap(self, caller: Caller, request):
        client_id = domain.require_department(caller)
        alert = cap.read(request.xml, self.levels)
        domain.check_rules(alert)
        t = now()
        with self.db.transaction() as s:
            if store.find_by_identity(s, alert.sender, alert.identifier) is not None:
                raise AlreadyExists(
                    "an alert with this sender and identifier was already received", {"identifier": "already received"}
                )
            refs = self._resolve_references(s, alert.references, caller)
            alert = self._targeted(s, alert, refs)
            row = self._new_row(alert, "cap", caller.subject, refs, t)
            row.submitted_by = caller.subject
            s.add(row)
            try:
                s.flush()
            except IntegrityError as exc:  # the same message sent twice at once
                raise AlreadyExists(
                    "an alert with this sender and identifier was already received", {"identifier": "already received"}
                ) from exc
            store.audit(
                s,
                row.id,
                "received",
                caller.subject,
                role_of(caller),
                f"CAP {alert.msg_type} {alert.identifier} from {client_id}",
                t,
            )
            if domain.initial_state_for_department(client_id, self.trusted) == State.ISSUED:
                store.audit(s, row.id, "approval skipped", caller.subject, role_of(caller), "trusted sender", t)
                self._issue(s, row, t)
            else:
                row.state = State.PENDING
            return self._to_proto(row)

    def _resolve_references(self, s, references, caller: Caller) -> list[store.AlertRow]:
        rows = []
        for ref in references:
            sender, identifier = domain.parse_reference(ref)
            row = store.find_by_identity(s, sender, identifier)
            if row is None:
                raise NotFound(f"references an unknown alert: {identifier[:100]}", {"references": "unknown alert"})
            if row.created_by != caller.subject:
                # A department updates or cancels only its own alerts (alert staff can cancel any).
                raise PermissionDenied(
                    "an Update or Cancel may only reference the sender's own alerts",
                    {"references": "another sender's alert"},
                )
            rows.append(row)
        return rows

    def _targeted(self, s, alert: domain.Alert, refs: list[store.AlertRow]) -> domain.Alert:
        if not alert.areas and not alert.area_codes and refs:
            # A Cancel (or an Update without areas) goes where the alerts it replaces went.
            inherited = [c for r in refs for c in json.loads(r.area_codes)]
            return dataclasses.replace(alert, area_codes=tuple(dict.fromkeys(inherited)))
        return dataclasses.replace(alert, area_codes=domain.resolve_targets(alert, self.areas))

    def _new_row(self, alert: domain.Alert, origin: str, actor: str, refs, t) -> store.AlertRow:
        return store.AlertRow(
            identifier=alert.identifier,
            sender=alert.sender,
            origin=origin,
            state=State.DRAFT,
            body=events.alert_to_json(alert),
            area_codes=json.dumps(list(alert.area_codes)),
            expires=alert.expires,
            references_alert_ids=json.dumps([r.id for r in refs]),
            created_by=actor,
            created_at=t,
        )

    def _issue(self, s, row: store.AlertRow, t: dt.datetime) -> None:
        """Issue: replace what it references, target every registered terminal, announce it."""
        row.state = State.ISSUED
        alert = events.alert_from_json(row.body)
        kind = {"Update": "update", "Cancel": "cancel"}.get(alert.msg_type, "alert")
        for ref_id in json.loads(row.references_alert_ids):
            ref = s.get(store.AlertRow, ref_id)
            if ref is not None and ref.state == State.ISSUED:
                ref.state = State.CANCELLED if kind == "cancel" else State.SUPERSEDED
                store.audit(s, ref.id, ref.state, row.created_by, "", f"by {row.identifier}", t)
        store.add_deliveries(s, row.id, json.loads(row.area_codes), t)
        store.audit(s, row.id, "issued", row.approved_by or row.created_by, "", kind, t)
        events.publish_broadcast(s, row, kind)

    # --- authoring and approval ---

    async def DraftAlert(self, request, context):
        return await self._run(self._draft, request)

    def _draft(self, caller: Caller, request):
        domain.require_issuer(caller)
        check_text(
            {
                "headline": (request.headline, 200),
                "description": (request.description, 4000),
                "instruction": (request.instruction, 2000),
                "event_type": (request.event_type, 100),
            },
            multiline={"description", "instruction"},
        )
        errors = {}
        if not request.headline:
            errors["headline"] = "is required"
        if request.status not in ("", "Actual", "Exercise", "Test"):
            errors["status"] = "Actual, Exercise or Test"
        if request.msg_type not in ("", "Alert", "Update", "Cancel"):
            errors["msg_type"] = "Alert, Update or Cancel"
        if request.msg_type in ("Update", "Cancel") and not request.references_alert_id:
            errors["references_alert_id"] = f"an {request.msg_type} names the alert it replaces"
        if not request.area_codes and request.msg_type != "Cancel":
            errors["area_codes"] = "is required"
        if len(request.area_codes) > 200:
            errors["area_codes"] = "at most 200"
        if errors:
            raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
        self.areas.check_codes(list(request.area_codes))
        level = self.levels.by_number(request.level)
        t = now()
        expires = request.expires.ToDatetime(dt.UTC) if request.HasField("expires") else None
        if expires is not None and expires <= t:
            raise InvalidArgument("expires must be in the future", {"expires": "in the past"})
        with self.db.transaction() as s:
            refs = []
            if request.references_alert_id:
                ref = s.get(store.AlertRow, request.references_alert_id[:36])
                if ref is None or ref.state != State.ISSUED:
                    raise NotFound("references an unknown or inactive alert", {"references_alert_id": "unknown alert"})
                refs = [ref]
            ref_triples = tuple(
                f"{r.sender},{r.identifier},{cap.cap_time(events.alert_from_json(r.body).sent)}" for r in refs
            )
            alert = domain.authored_alert(
                identifier=domain.authored_identifier(self.areas.district, t, secrets.token_hex(3)),
                sender=f"{self.areas.district}.sbc",
                sender_name=caller.name or "秀洲区应急广播",
                now=t,
                level=level,
                event_type=request.event_type,
                headline=request.headline,
                description=request.description,
                instruction=request.instruction,
                area_codes=tuple(request.area_codes),
                expires=expires,
                status=request.status,
                msg_type=request.msg_type,
                references=ref_triples,
            )
            if not alert.area_codes:
                alert = self._targeted(s, alert, refs)
            domain.check_rules(alert)
            row = self._new_row(alert, "authored", caller.subject, refs, t)
            s.add(row)
            s.flush()
            store.audit(s, row.id, "drafted", caller.subject, role_of(caller), request.headline[:200], t)
            return self._to_proto(row)

    async def SubmitForApproval(self, request, context):
        return await self._run(self._submit, request)

    def _submit(self, caller: Caller, request):
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            domain.check_submit(caller, row.state, row.created_by)
            row.state, row.submitted_by = State.PENDING, caller.subject
            store.audit(s, row.id, "submitted", caller.subject, role_of(caller), request.reason[:500], now())
            return self._to_proto(row)

    async def ApproveAlert(self, request, context):
        return await self._run(self._approve, request)

    def _approve(self, caller: Caller, request):
        t = now()
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            domain.check_approval(caller, row.state, row.created_by, row.submitted_by)
            row.approved_by = caller.subject
            store.audit(s, row.id, "approved", caller.subject, role_of(caller), request.reason[:500], t)
            self._issue(s, row, t)
            return self._to_proto(row)

    async def RejectAlert(self, request, context):
        return await self._run(self._reject, request)

    def _reject(self, caller: Caller, request):
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            domain.check_approval(caller, row.state, row.created_by, row.submitted_by)
            row.state = State.REJECTED
            store.audit(s, row.id, "rejected", caller.subject, role_of(caller), request.reason[:500], now())
            return self._to_proto(row)

    async def CancelAlert(self, request, context):
        return await self._run(self._cancel, request)

    def _cancel(self, caller: Caller, request):
        t = now()
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            domain.check_cancel(caller, row.state, row.created_by)
            row.state = State.CANCELLED
            store.audit(s, row.id, "cancelled", caller.subject, role_of(caller), request.reason[:500], t)
            events.publish_broadcast(s, row, "cancel")
            return self._to_proto(row)

    def expire_due(self) -> int:
        """Announce every issued alert whose time has passed (run periodically)."""
        t = now()
        with self.db.transaction() as s:
            rows = store.expired_but_issued(s, t)
            for row in rows:
                row.state = State.EXPIRED
                store.audit(s, row.id, "expired", "system", "", "", t)
                events.publish_broadcast(s, row, "expire")
            return len(rows)

    def redeliver_due(self, after_seconds: float, max_attempts: int) -> int:
        """Send an active alert again to every terminal with no receipt after `after_seconds`
        (one event per alert, naming those terminals; each channel sends to its own)."""
        t = now()
        by_alert: dict[str, list[store.DeliveryRow]] = {}
        with self.db.transaction() as s:
            for d in store.unreceipted(s, t - dt.timedelta(seconds=after_seconds), max_attempts):
                by_alert.setdefault(d.alert_id, []).append(d)
            sent = 0
            for alert_id, due in by_alert.items():
                row = s.get(store.AlertRow, alert_id)
                if row is None or not domain.is_active(row.state, store.aware(row.expires), t):
                    continue
                for d in due:
                    d.attempts += 1
                    d.last_sent_at = t
                attempt = max(d.attempts for d in due)
                events.publish_broadcast(
                    s, row, self._kind(row), attempt, [f"{d.channel}:{d.terminal_id}" for d in due]
                )
                sent += len(due)
            return sent

    # --- reading ---

    def _get_row(self, s, alert_id: str) -> store.AlertRow:
        if not alert_id or len(alert_id) > 36:
            raise InvalidArgument("alert_id is required", {"alert_id": "is required" if not alert_id else "too long"})
        row = s.get(store.AlertRow, alert_id)
        if row is None:
            raise NotFound("no such alert", {"alert_id": "not found"})
        return row

    def _require_reader(self, caller: Caller, row: store.AlertRow) -> None:
        staff = caller.kind == CallerKind.STAFF and caller.roles & {Role.ALERT_ISSUER, Role.ALERT_APPROVER}
        if not staff and caller.subject != row.created_by:
            raise PermissionDenied("alerts are read by alert staff and the department that sent them")

    async def GetAlert(self, request, context):
        return await self._run(self._get, request)

    def _get(self, caller, request):
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            self._require_reader(caller, row)
            return self._to_proto(row)

    async def GetAlertStatus(self, request, context):
        return await self._run(self._status, request)

    def _status(self, caller, request):
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            self._require_reader(caller, row)
            rows = [
                alerts_pb2.ChannelAreaStatus(
                    channel=c, area_code=a, targeted=n, delivered=d, displayed=p, acknowledged=k
                )
                for c, a, n, d, p, k in store.status_rows(s, row.id)
            ]
            return alerts_pb2.AlertStatus(alert=self._to_proto(row), rows=rows)

    async def GetAuditTrail(self, request, context):
        return await self._run(self._audit, request)

    def _audit(self, caller, request):
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            self._require_reader(caller, row)
            entries = s.scalars(
                select(store.AuditRow).where(store.AuditRow.alert_id == row.id).order_by(store.AuditRow.seq)
            )
            return alerts_pb2.AuditTrail(
                entries=[
                    alerts_pb2.AuditEntry(
                        seq=e.seq,
                        action=e.action,
                        actor=e.actor,
                        actor_role=e.actor_role,
                        detail=e.detail,
                        at=events.ts(e.at),
                    )
                    for e in entries
                ]
            )

    async def ListActiveAlerts(self, request, context):
        return await self._run(self._list_active, request)

    def _list_active(self, caller, request):
        if caller.kind not in (CallerKind.STAFF, CallerKind.DEPARTMENT, CallerKind.DEVICE):
            raise PermissionDenied("sign in first")
        with self.db.transaction() as s:
            rows = self._showing(s, now())
        if request.area_code:
            rows = [r for r in rows if domain.is_targeted(json.loads(r.area_codes), request.area_code)]
        return alerts_pb2.ListActiveAlertsResponse(alerts=[events.broadcast(r, self._kind(r)) for r in rows])

    @staticmethod
    def _showing(s, t: dt.datetime) -> list[store.AlertRow]:
        """Alerts a terminal should be showing now: issued, not expired; a Cancel message has done
        its work once delivered (the alert it withdrew is no longer active either)."""
        return [r for r in store.active(s, t) if events.alert_from_json(r.body).msg_type != "Cancel"]

    @staticmethod
    def _kind(row) -> str:
        return {"Update": "update", "Cancel": "cancel"}.get(events.alert_from_json(row.body).msg_type, "alert")

    async def GetAlertCap(self, request, context):
        return await self._run(self._cap, request)

    def _cap(self, caller, request):
        with self.db.transaction() as s:
            row = self._get_row(s, request.alert_id)
            if row.state not in PUBLISHED_STATES:
                raise NotFound("no such alert", {"alert_id": "not found"})
            alert = events.alert_from_json(row.body)
        return alerts_pb2.CapDocument(content_type="application/cap+xml", xml=cap.render(alert, self.area_names))

    async def GetActiveFeed(self, request, context):
        return await self._run(self._feed, request)

    def _feed(self, caller, request):
        base = request.base_url[:200].rstrip("/")
        with self.db.transaction() as s:
            rows = self._showing(s, now())
        entries = [(r.id, events.alert_from_json(r.body)) for r in rows]
        return alerts_pb2.CapDocument(content_type="application/atom+xml", xml=cap.atom_feed(entries, base, now()))

    # --- terminals and receipts ---

    async def ConnectTerminal(self, request, context):
        return await self._run(self._connect)

    def _connect(self, caller: Caller):
        caller.require_household()
        with self.db.transaction() as s:
            [alerts] = self._connect_boxes(s, [caller], now())
        return alerts_pb2.ListActiveAlertsResponse(alerts=alerts)

    async def ConnectTerminals(self, request, context):
        return await self._run(self._connects, request)

    def _connects(self, _caller: Caller, request):
        self._check_batch(len(request.tokens), "tokens")
        out = [alerts_pb2.TerminalConnection() for _ in request.tokens]
        callers = {}
        for i, token in enumerate(request.tokens):
            try:
                caller = self._verified(token)
                caller.require_household()
                callers[i] = caller
            except DomainError as exc:
                out[i].code, out[i].message = grpc_code_number(exc), exc.message
        with self.db.transaction() as s:
            for i, alerts in zip(callers, self._connect_boxes(s, list(callers.values()), now()), strict=True):
                out[i].alerts.extend(alerts)
        return alerts_pb2.ConnectTerminalsResponse(connections=out)

    def _connect_boxes(self, s, callers: list[Caller], t: dt.datetime) -> list[list]:
        """Set-top boxes opening their streams: registered with their household's area, and
        sent (now and in the live status) the alerts showing there. Their alerts, in order."""
        if not callers:
            return []
        terms = store.upsert_set_top_boxes(
            s, [(c.device_id or c.subject, c.area_code, c.household_id) for c in callers], t
        )
        showing = [(r, json.loads(r.area_codes)) for r in self._showing(s, t)]
        broadcasts = {r.id: events.broadcast(r, self._kind(r)) for r, _ in showing}
        out, pairs = [], []
        for c in callers:
            term = terms[c.device_id or c.subject]
            mine = [r.id for r, areas in showing if domain.is_targeted(areas, c.area_code)]
            pairs += [(alert_id, term) for alert_id in mine]
            out.append([broadcasts[alert_id] for alert_id in mine])
        store.ensure_deliveries(s, pairs, t)
        return out

    async def RecordReceipt(self, request, context):
        return await self._run(self._receipt, request)

    def _receipt(self, caller: Caller, request):
        terminal_id = self._receipt_sender(caller, request.kind)
        with self.db.transaction() as s:
            self._get_row(s, request.alert_id)
            if not store.record_receipt(
                s, request.alert_id, domain.Channel.SET_TOP_BOX, terminal_id, request.kind, now()
            ):
                raise NotFound("this terminal was not sent that alert", {"alert_id": "not sent to this terminal"})
        return alerts_pb2.RecordReceiptResponse()

    @staticmethod
    def _receipt_sender(caller: Caller, kind: str) -> str:
        """The set-top box a receipt is from, once the receipt is known to be sound."""
        caller.require_household()
        if kind not in RECEIPT_KINDS:
            raise InvalidArgument(f"kind is one of {', '.join(RECEIPT_KINDS)}", {"kind": "unknown receipt"})
        return caller.device_id or caller.subject

    async def RecordReceipts(self, request, context):
        return await self._run(self._receipts, request)

    def _receipts(self, _caller: Caller, request):
        self._check_batch(len(request.receipts), "receipts")
        results = [alerts_pb2.ReceiptResult() for _ in request.receipts]
        sound = []  # (index, alert id, terminal id, kind)
        for i, r in enumerate(request.receipts):
            try:
                sound.append((i, r.alert_id, self._receipt_sender(self._verified(r.token), r.kind), r.kind))
            except DomainError as exc:
                results[i].code, results[i].message = grpc_code_number(exc), exc.message
        with self.db.transaction() as s:
            sent = store.record_receipts(s, domain.Channel.SET_TOP_BOX, [(a, t, k) for _, a, t, k in sound], now())
        for i, alert_id, terminal_id, _ in sound:
            if (alert_id, terminal_id) not in sent:
                results[i].code = grpc_code_number(NotFound(""))
                results[i].message = "this terminal was not sent that alert"
        return alerts_pb2.RecordReceiptsResponse(results=results)

    def _verified(self, token: str) -> Caller:
        """The caller of a token carried inside a batched call (the gateway's batches of terminals)."""
        if self.verifier is None:
            raise Unauthenticated("this server cannot verify tokens")
        return self.verifier.verify(token)

    @staticmethod
    def _check_batch(n: int, name: str) -> None:
        if n > MAX_PER_BATCH:
            raise InvalidArgument(f"at most {MAX_PER_BATCH} {name} per call", {name: "too many"})

    async def RegisterTerminal(self, request, context):
        return await self._run(self._register, request)

    def _register(self, caller: Caller, request):
        if caller.kind != CallerKind.STAFF or not caller.roles & {
            Role.ALERT_ISSUER,
            Role.ALERT_APPROVER,
            Role.TECHNICIAN,
        }:
            raise PermissionDenied("terminals are registered by alert staff or technicians")
        errors = {}
        if request.channel not in (domain.Channel.LOUDSPEAKER, domain.Channel.IOT):
            errors["channel"] = "loudspeaker or iot"
        if not request.terminal_id or len(request.terminal_id) > 100 or any(c in request.terminal_id for c in " /#+"):
            errors["terminal_id"] = "1..100 characters, no spaces, '/', '#' or '+'"
        if request.channel == domain.Channel.LOUDSPEAKER and not request.endpoint.startswith(("http://", "https://")):
            errors["endpoint"] = "a loudspeaker controller's http(s) URL"
        if len(request.endpoint) > 500:
            errors["endpoint"] = "at most 500 characters"
        if errors:
            raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
        self.areas.check_codes([request.area_code], "area_code")
        with self.db.transaction() as s:
            row = store.upsert_terminal(
                s, request.channel, request.terminal_id, request.area_code, now(), endpoint=request.endpoint
            )
            return alerts_pb2.Terminal(
                channel=row.channel, terminal_id=row.terminal_id, area_code=row.area_code, endpoint=row.endpoint
            )

    def _to_proto(self, row: store.AlertRow) -> alerts_pb2.Alert:
        a = events.alert_from_json(row.body)
        b = events.broadcast(row, "alert")
        return alerts_pb2.Alert(
            id=row.id,
            identifier=row.identifier,
            sender=row.sender,
            sender_name=a.sender_name,
            state=row.state,
            status=a.status,
            msg_type=a.msg_type,
            drill=a.drill,
            severity=a.severity,
            level=a.level,
            colour=a.colour,
            event_type=a.event_type,
            texts=b.texts,
            area_codes=json.loads(row.area_codes),
            sent=events.ts(a.sent),
            expires=events.ts(a.expires),
            references=list(a.references),
            created_by=row.created_by,
            approved_by=row.approved_by,
            origin=row.origin,
        )
