"""What happened to an alert: each step is a domain event and a line of the alert's append-only
audit trail; the steps that change what terminals show carry the broadcast that tells them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from alerts.domain.broadcast import Broadcast


@dataclass(frozen=True)
class AuditEntry:
    """One line of an alert's append-only audit trail."""

    alert_id: str
    action: str
    actor: str
    actor_role: str
    detail: str
    at: dt.datetime
    seq: int = 0  # the order of the trail (the store numbers it)


@dataclass(frozen=True)
class AlertStep:
    alert_id: str
    actor: str
    actor_role: str
    detail: str
    at: dt.datetime
    action: ClassVar[str] = ""

    def entry(self) -> AuditEntry:
        return AuditEntry(self.alert_id, self.action, self.actor, self.actor_role, self.detail, self.at)


@dataclass(frozen=True)
class AlertReceived(AlertStep):
    action = "received"


@dataclass(frozen=True)
class ApprovalSkipped(AlertStep):
    action = "approval skipped"


@dataclass(frozen=True)
class AlertDrafted(AlertStep):
    action = "drafted"


@dataclass(frozen=True)
class AlertSubmitted(AlertStep):
    action = "submitted"


@dataclass(frozen=True)
class AlertApproved(AlertStep):
    action = "approved"


@dataclass(frozen=True)
class AlertRejected(AlertStep):
    action = "rejected"


@dataclass(frozen=True)
class AlertSuperseded(AlertStep):
    """Replaced by an Update that was issued."""

    action = "superseded"


@dataclass(frozen=True)
class AlertRecorded(AlertStep):
    """A Cancel of alerts never received here: nothing to withdraw, kept so that they are never
    broadcast if they arrive after all."""

    action = "recorded"


@dataclass(frozen=True)
class AlertCancelledByMessage(AlertStep):
    """Withdrawn by a Cancel message that was issued (the Cancel's own broadcast tells the terminals)."""

    action = "cancelled"


@dataclass(frozen=True)
class AlertIssued(AlertStep):
    broadcast: Broadcast
    action = "issued"


@dataclass(frozen=True)
class AlertCancelled(AlertStep):
    """Withdrawn by alert staff or its department: every terminal stops showing it."""

    broadcast: Broadcast
    action = "cancelled"


@dataclass(frozen=True)
class AlertExpired(AlertStep):
    broadcast: Broadcast
    action = "expired"


@dataclass(frozen=True)
class AlertSentAgain:
    """Sent again to the terminals that gave no receipt (not a step of the audit trail)."""

    broadcast: Broadcast
