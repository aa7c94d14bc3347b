"""What every targeted terminal is sent: an alert to show, or one to stop showing."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.domain.message import AlertMessage

ALERT, UPDATE, CANCEL, EXPIRE = "alert", "update", "cancel", "expire"


def kind_of(msg_type: str) -> str:
    """The broadcast that carries a message: a new alert, an update, or a Cancel message."""
    return {"Update": UPDATE, "Cancel": CANCEL}.get(msg_type, ALERT)


def counts_receipts(kind: str, msg_type: str) -> bool:
    """Receipts count for the broadcast that carries the alert itself (an Alert, an Update, a CAP
    Cancel message); withdrawing (a cancel action, expiry) is sent to every terminal but not counted."""
    return kind == kind_of(msg_type)


@dataclass(frozen=True)
class Broadcast:
    alert_id: str
    kind: str  # alert | update | cancel | expire
    message: AlertMessage
    area_codes: tuple[str, ...]
    supersedes: tuple[str, ...]  # the ids of the alerts it replaces
    attempt: int = 1  # bumped when sent again to terminals without a receipt
    only_terminals: tuple[str, ...] = ()  # a re-delivery: only these "<channel>:<terminal id>"

    @property
    def counts_receipts(self) -> bool:
        return counts_receipts(self.kind, self.message.msg_type)
