"""The alert and its approval: received from a department's CAP message (trusted senders skip
approval) or drafted by an issuer, submitted, approved by a different person (the two-person
rule) or rejected, issued (superseding or cancelling what it references), cancelled, expired.
Each step records an event (alerts.domain.trail), which is also its line in the audit trail."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from alerts.domain.access import (
    department_of,
    is_alert_staff,
    require_approver,
    require_issuer,
    require_own_district,
    role_of,
)
from alerts.domain.areas import Areas, is_targeted, resolve_targets
from alerts.domain.broadcast import CANCEL, EXPIRE, Broadcast, kind_of
from alerts.domain.delivery import Delivery
from alerts.domain.errors import AlertNotFound, NotAllowedNow, TwoPersonRule
from alerts.domain.levels import Levels
from alerts.domain.message import AlertMessage, authored_identifier, authored_message, check_rules, reference_to
from alerts.domain.trail import (
    AlertApproved,
    AlertCancelled,
    AlertCancelledByMessage,
    AlertDrafted,
    AlertExpired,
    AlertIssued,
    AlertReceived,
    AlertRecorded,
    AlertRejected,
    AlertSentAgain,
    AlertSubmitted,
    AlertSuperseded,
    ApprovalSkipped,
)
from runtime.auth import Caller
from runtime.errors import InvalidArgument, PermissionDenied, check_text
from runtime.uow import Aggregate

SYSTEM = "system"


class State:
    DRAFT = "draft"
    PENDING = "pending_approval"
    REJECTED = "rejected"
    ISSUED = "issued"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    RECORDED = "recorded"  # a Cancel of alerts never received: kept, never broadcast
    # What other systems may read as CAP: every alert that went out.
    PUBLISHED = frozenset({ISSUED, CANCELLED, SUPERSEDED, EXPIRED})
    # An Update or Cancel in one of these states replaces its original even when that comes later.
    WENT_OUT = PUBLISHED | {RECORDED}


# --- an issuer's draft ---

MAX_AREAS = 200


@dataclass(frozen=True)
class Draft:
    """What an alert issuer writes."""

    headline: str
    level: int
    area_codes: tuple[str, ...] = ()
    description: str = ""
    instruction: str = ""
    event_type: str = ""
    expires: dt.datetime | None = None
    status: str = ""  # Actual (default), Exercise or Test
    msg_type: str = ""  # Alert (default), Update or Cancel
    references_alert_id: str = ""  # the alert an Update or Cancel replaces

    def check(self, areas: Areas) -> None:
        """Every field the issuer got wrong, named."""
        check_text(
            {
                "headline": (self.headline, 200),
                "description": (self.description, 4000),
                "instruction": (self.instruction, 2000),
                "event_type": (self.event_type, 100),
            },
            multiline={"description", "instruction"},
        )
        errors = {}
        if not self.headline:
            errors["headline"] = "is required"
        if self.status not in ("", "Actual", "Exercise", "Test"):
            errors["status"] = "Actual, Exercise or Test"
        if self.msg_type not in ("", "Alert", "Update", "Cancel"):
            errors["msg_type"] = "Alert, Update or Cancel"
        if self.msg_type in ("Update", "Cancel") and not self.references_alert_id:
            errors["references_alert_id"] = f"an {self.msg_type} names the alert it replaces"
        if not self.area_codes and self.msg_type != "Cancel":
            errors["area_codes"] = "is required"
        if len(self.area_codes) > MAX_AREAS:
            errors["area_codes"] = f"at most {MAX_AREAS}"
        if errors:
            raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
        areas.check_codes(self.area_codes)

    def check_expiry(self, now: dt.datetime) -> None:
        if self.expires is not None and self.expires <= now:
            raise InvalidArgument("expires must be in the future", {"expires": "in the past"})


def no_such_alert() -> AlertNotFound:
    return AlertNotFound("no such alert", {"alert_id": "not found"})


# --- the alert ---


class Alert(Aggregate):
    """One alert: its message as targeted, where it is in its life, and who moved it there."""

    def __init__(
        self,
        id: str,
        identifier: str,
        sender: str,
        origin: str,  # cap | authored
        state: str,
        message: AlertMessage,
        area_codes: tuple[str, ...],
        replaces: tuple[str, ...],  # the ids of the alerts its references name
        created_by: str,
        created_at: dt.datetime,
        expires: dt.datetime | None = None,
        submitted_by: str = "",
        approved_by: str = "",
    ):
        self.id = id
        self.identifier = identifier
        self.sender = sender
        self.origin = origin
        self.state = state
        self.message = message
        self.area_codes = area_codes
        self.replaces = replaces
        self.created_by = created_by
        self.created_at = created_at
        self.expires = expires
        self.submitted_by = submitted_by
        self.approved_by = approved_by

    @classmethod
    def _new(
        cls, message: AlertMessage, origin: str, author: str, replaced: Sequence[Alert], now: dt.datetime
    ) -> Alert:
        return cls(
            id=str(uuid.uuid4()),
            identifier=message.identifier,
            sender=message.sender,
            origin=origin,
            state=State.DRAFT,
            message=message,
            area_codes=message.area_codes,
            replaces=tuple(r.id for r in replaced),
            created_by=author,
            created_at=now,
            expires=message.expires,
        )

    # --- in: a department's CAP, an issuer's draft ---

    @classmethod
    def receive(
        cls,
        message: AlertMessage,
        department: Caller,
        replaced: Sequence[Alert],
        areas: Areas,
        trusted: Collection[str],
        now: dt.datetime,
        came_first: Sequence[Alert] = (),
    ) -> Alert:
        """A department's CAP message (its rules checked, its references resolved to `replaced`,
        those never received left out): issued at once when the department is trusted, else
        waiting for an approver. A Cancel of only alerts never received is recorded, not
        broadcast; a message that an Update or Cancel of `came_first` replaced before it arrived
        is kept as replaced, and never broadcast either."""
        client_id = department_of(department)
        role = role_of(department)
        detail = f"CAP {message.msg_type} {message.identifier} from {client_id}"
        if message.msg_type == "Cancel" and not replaced:
            alert = cls._new(message, "cap", department.subject, replaced, now)
            alert.submitted_by, alert.state = department.subject, State.RECORDED
            alert.record(AlertReceived(alert.id, department.subject, role, detail, now))
            never = "the alerts it cancels were never received"
            alert.record(AlertRecorded(alert.id, department.subject, role, never, now))
            return alert
        message = replace(message, area_codes=_targets(message, replaced, areas))
        require_own_district(department, message.area_codes)
        alert = cls._new(message, "cap", department.subject, replaced, now)
        alert.submitted_by = department.subject
        alert.record(AlertReceived(alert.id, department.subject, role, detail, now))
        if came_first:
            alert.state = State.ISSUED  # replaced at once, with no broadcast of its own
            alert._replaced_by(came_first[0], now, "arrived before it")
            return alert
        if client_id in trusted:
            alert.record(ApprovalSkipped(alert.id, department.subject, role, "trusted sender", now))
            alert._issue(replaced, now)
        else:
            alert.state = State.PENDING
        return alert

    def check_replaceable_by(self, department: Caller) -> None:
        """A department updates or cancels only its own alerts (alert staff can cancel any)."""
        if self.created_by != department.subject:
            raise PermissionDenied(
                "an Update or Cancel may only reference the sender's own alerts",
                {"references": "another sender's alert"},
            )

    @classmethod
    def draft(
        cls, issuer: Caller, draft: Draft, replaced: Alert | None, areas: Areas, levels: Levels, now: dt.datetime
    ) -> Alert:
        """An issuer's draft; an Update or Cancel replaces `replaced`, which must be issued."""
        require_issuer(issuer)
        draft.check(areas)
        level = levels.by_number(draft.level)
        draft.check_expiry(now)
        if draft.references_alert_id and (replaced is None or replaced.state != State.ISSUED):
            raise AlertNotFound("references an unknown or inactive alert", {"references_alert_id": "unknown alert"})
        refs = [replaced] if replaced is not None else []
        district = issuer.area_code[:6] if issuer.area_code[:6] in areas.districts else areas.district
        message = authored_message(
            identifier=authored_identifier(district, now, secrets.token_hex(3)),
            sender=f"{district}.sbc",
            sender_name=issuer.name or f"{areas.name(district)}应急广播",
            now=now,
            level=level,
            event_type=draft.event_type,
            headline=draft.headline,
            description=draft.description,
            instruction=draft.instruction,
            area_codes=draft.area_codes,
            expires=draft.expires,
            status=draft.status,
            msg_type=draft.msg_type,
            references=tuple(reference_to(r.message) for r in refs),
        )
        if not message.area_codes:
            message = replace(message, area_codes=_targets(message, refs, areas))
        require_own_district(issuer, message.area_codes)
        check_rules(message)
        alert = cls._new(message, "authored", issuer.subject, refs, now)
        alert.record(AlertDrafted(alert.id, issuer.subject, role_of(issuer), draft.headline[:200], now))
        return alert

    # --- approval: the two-person rule ---

    def submit(self, issuer: Caller, reason: str, now: dt.datetime) -> None:
        require_issuer(issuer)
        require_own_district(issuer, self.area_codes)
        if issuer.subject != self.created_by:
            raise PermissionDenied("only the issuer who drafted an alert submits it")
        if self.state != State.DRAFT:
            raise NotAllowedNow(f"the alert is {self.state}, not a draft")
        self.state, self.submitted_by = State.PENDING, issuer.subject
        self.record(AlertSubmitted(self.id, issuer.subject, role_of(issuer), reason[:500], now))

    def _check_approver(self, approver: Caller) -> None:
        require_approver(approver)
        require_own_district(approver, self.area_codes)
        if approver.subject in (self.created_by, self.submitted_by):
            raise TwoPersonRule("two-person rule: the person who wrote or submitted an alert cannot approve it")
        if self.state != State.PENDING:
            raise NotAllowedNow(f"the alert is {self.state}, not waiting for approval")

    def approve(self, approver: Caller, reason: str, replaced: Sequence[Alert], now: dt.datetime) -> None:
        """Approved by another person, and so issued (`replaced`: the alerts it references)."""
        self._check_approver(approver)
        self.approved_by = approver.subject
        self.record(AlertApproved(self.id, approver.subject, role_of(approver), reason[:500], now))
        self._issue(replaced, now)

    def reject(self, approver: Caller, reason: str, now: dt.datetime) -> None:
        self._check_approver(approver)
        self.state = State.REJECTED
        self.record(AlertRejected(self.id, approver.subject, role_of(approver), reason[:500], now))

    # --- out: issued, replaced, cancelled, expired ---

    def _issue(self, replaced: Sequence[Alert], now: dt.datetime) -> None:
        """It goes out, and replaces the issued alerts it references."""
        self.state = State.ISSUED
        for old in replaced:
            old._replaced_by(self, now)
        self.record(AlertIssued(self.id, self.approved_by or self.created_by, "", self.kind, now, self.broadcast()))

    def _replaced_by(self, new: Alert, now: dt.datetime, note: str = "") -> None:
        if self.state != State.ISSUED:
            return
        detail = f"by {new.identifier}" + (f", which {note}" if note else "")
        if new.kind == CANCEL:
            self.state = State.CANCELLED
            self.record(AlertCancelledByMessage(self.id, new.created_by, "", detail, now))
        else:
            self.state = State.SUPERSEDED
            self.record(AlertSuperseded(self.id, new.created_by, "", detail, now))

    def cancel(self, caller: Caller, reason: str, now: dt.datetime) -> None:
        """Withdrawn by alert staff or the department that sent it."""
        if not is_alert_staff(caller) and caller.subject != self.created_by:
            raise PermissionDenied("an alert is cancelled by alert staff or the department that sent it")
        require_own_district(caller, self.area_codes)
        if self.state != State.ISSUED:
            raise NotAllowedNow(f"the alert is {self.state}; only an issued alert can be cancelled")
        self.state = State.CANCELLED
        self.record(AlertCancelled(self.id, caller.subject, role_of(caller), reason[:500], now, self.broadcast(CANCEL)))

    def is_due_to_expire(self, now: dt.datetime) -> bool:
        return self.state == State.ISSUED and self.expires is not None and self.expires <= now

    def expire(self, now: dt.datetime) -> None:
        """Its time has passed: every terminal stops showing it."""
        if not self.is_due_to_expire(now):
            raise NotAllowedNow(f"the alert is {self.state} and not due to expire")
        self.state = State.EXPIRED
        self.record(AlertExpired(self.id, SYSTEM, "", "", now, self.broadcast(EXPIRE)))

    def send_again(self, deliveries: Sequence[Delivery], now: dt.datetime) -> None:
        """Sent again to the terminals of `deliveries`, which gave no receipt (it must be active)."""
        if not self.is_active(now):
            raise NotAllowedNow(f"the alert is {self.state}, not active")
        for d in deliveries:
            d.sent_again(now)
        attempt = max(d.attempts for d in deliveries)
        again = tuple(d.address for d in deliveries)
        self.record(AlertSentAgain(self.broadcast(attempt=attempt, only_terminals=again)))

    # --- what it is ---

    @property
    def kind(self) -> str:
        return kind_of(self.message.msg_type)

    @property
    def is_issued(self) -> bool:
        return self.state == State.ISSUED

    @property
    def is_published(self) -> bool:
        return self.state in State.PUBLISHED

    def is_active(self, now: dt.datetime) -> bool:
        return self.state == State.ISSUED and (self.expires is None or self.expires > now)

    def is_showing(self, now: dt.datetime) -> bool:
        """Whether terminals should be showing it now: active, and not a Cancel message (which has
        done its work once delivered: the alert it withdrew is no longer active either)."""
        return self.is_active(now) and self.message.msg_type != "Cancel"

    def targets(self, area_code: str) -> bool:
        """Whether a terminal in `area_code` is in the alert's areas."""
        return is_targeted(self.area_codes, area_code)

    def check_readable_by(self, caller: Caller) -> None:
        if not is_alert_staff(caller) and caller.subject != self.created_by:
            raise PermissionDenied("alerts are read by alert staff and the department that sent them")
        require_own_district(caller, self.area_codes)

    def broadcast(self, kind: str = "", attempt: int = 1, only_terminals: tuple[str, ...] = ()) -> Broadcast:
        """What terminals are sent of it (by default: the alert itself)."""
        kind = kind or self.kind
        return Broadcast(self.id, kind, self.message, self.area_codes, self.replaces, attempt, only_terminals)


def _targets(message: AlertMessage, replaced: Sequence[Alert], areas: Areas) -> tuple[str, ...]:
    if not message.areas and not message.area_codes and replaced:
        # A Cancel (or an Update without areas) goes where the alerts it replaces went.
        return tuple(dict.fromkeys(c for r in replaced for c in r.area_codes))
    return resolve_targets(message, areas)
