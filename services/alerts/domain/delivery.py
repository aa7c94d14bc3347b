"""Terminals and deliveries: the set-top boxes, village loudspeaker controllers and home IoT
devices registered with their area, one delivery per alert and terminal, and the receipts that
climb its ladder (sent < delivered < displayed < acknowledged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from alerts.domain.access import Role, require_terminal_registrar, role_of
from alerts.domain.areas import Areas
from alerts.domain.endpoints import EndpointAllowList
from runtime.auth import Caller
from runtime.errors import InvalidArgument, PermissionDenied, Unauthenticated
from runtime.uow import Aggregate


class Channel:
    SET_TOP_BOX = "set_top_box"
    LOUDSPEAKER = "loudspeaker"
    IOT = "iot"
    ALL = (SET_TOP_BOX, LOUDSPEAKER, IOT)


SENT = "sent"
RECEIPT_KINDS = ("delivered", "displayed", "acknowledged")
# Receipts climb this ladder; a lower receipt after a higher one changes nothing.
RECEIPT_RANK = {SENT: 0, "delivered": 1, "displayed": 2, "acknowledged": 3}


def check_alert_id(alert_id: str) -> None:
    """Checked at the edge (a NUL would make PostgreSQL fail the whole transaction of a batch)."""
    if not alert_id or len(alert_id) > 36:
        raise InvalidArgument("alert_id is required", {"alert_id": "is required" if not alert_id else "too long"})
    if not alert_id.isprintable() or not alert_id.isascii():
        raise InvalidArgument("alert_id has characters an id never has", {"alert_id": "not an id"})


# Longer than any token identity issues (about 700 characters), far less than what would cost.
MAX_TOKEN = 4096


def check_token(token: str) -> None:
    """A batch item's bearer token, checked at the edge: present, not oversized, printable ASCII."""
    if not token or len(token) > MAX_TOKEN:
        raise Unauthenticated("each item needs its terminal's token" if not token else "token too long")
    if not token.isascii() or not token.isprintable():
        raise Unauthenticated("malformed token: characters a token never has")


def address(channel: str, terminal_id: str) -> str:
    """How a re-delivery names a terminal."""
    return f"{channel}:{terminal_id}"


@dataclass(frozen=True)
class TerminalAuditEntry:
    """One line of the terminals' append-only audit trail: who registered or moved which terminal."""

    channel: str
    terminal_id: str
    action: str  # registered | registered again | moved
    actor: str
    actor_role: str
    detail: str
    at: dt.datetime


class Terminal(Aggregate):
    """A terminal of a channel, registered with its area (a set-top box with its household's);
    a loudspeaker controller or IoT device by a staff member (`registered_by`, their subject)."""

    def __init__(
        self,
        channel: str,
        terminal_id: str,
        area_code: str,
        registered_at: dt.datetime,
        household_id: str = "",
        endpoint: str = "",
        registered_by: str = "",
    ):
        self.channel = channel
        self.terminal_id = terminal_id
        self.area_code = area_code
        self.registered_at = registered_at
        self.household_id = household_id
        self.endpoint = endpoint
        self.registered_by = registered_by

    @classmethod
    def register(
        cls,
        caller: Caller,
        channel: str,
        terminal_id: str,
        area_code: str,
        endpoint: str,
        areas: Areas,
        allowed: EndpointAllowList,
        now: dt.datetime,
    ) -> Terminal:
        """Staff register a village loudspeaker controller (at its HTTP endpoint, which must be on
        the allow-list) or a home IoT device, in their own area."""
        require_terminal_registrar(caller)
        errors = {}
        if channel not in (Channel.LOUDSPEAKER, Channel.IOT):
            errors["channel"] = "loudspeaker or iot"
        if not terminal_id or len(terminal_id) > 100 or any(c in terminal_id for c in " /#+"):
            errors["terminal_id"] = "1..100 characters, no spaces, '/', '#' or '+'"
        if channel == Channel.IOT and endpoint:
            errors["endpoint"] = "empty for an IoT device"
        if errors:
            raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
        if channel == Channel.LOUDSPEAKER:
            allowed.check(endpoint)
        areas.check_codes([area_code], "area_code")
        if not caller.area_code or not area_code.startswith(caller.area_code):
            raise PermissionDenied("a terminal is registered only in the registrar's own area")
        return cls(channel, terminal_id, area_code, now, endpoint=endpoint, registered_by=caller.subject)

    def audit_entry(self, caller: Caller, action: str, detail: str, now: dt.datetime) -> TerminalAuditEntry:
        return TerminalAuditEntry(
            self.channel, self.terminal_id, action, caller.subject, role_of(caller), detail[:500], now
        )

    def registered_again(self, caller: Caller, registration: Terminal, now: dt.datetime) -> TerminalAuditEntry:
        """Registered again: by whoever registered it, or by an alert approver of its area, it moves
        where (and to the endpoint) the new registration says; anyone else is refused, so no one
        silently takes over another's controller."""
        mine = self.registered_by == caller.subject
        overseer = Role.ALERT_APPROVER in caller.roles and self.area_code.startswith(caller.area_code)
        if not (mine or overseer):
            raise PermissionDenied(
                "this terminal was registered by someone else: they, or an alert approver of its area, may change it"
            )
        before = f"{self.area_code} {self.endpoint}".strip()
        after = f"{registration.area_code} {registration.endpoint}".strip()
        if before == after:
            return self.audit_entry(caller, "registered again", after, now)
        self.area_code, self.endpoint = registration.area_code, registration.endpoint
        self.registered_by = registration.registered_by
        return self.audit_entry(caller, "moved", f"{before} -> {after}", now)

    @classmethod
    def set_top_box(cls, terminal_id: str, area_code: str, household_id: str, now: dt.datetime) -> Terminal:
        return cls(Channel.SET_TOP_BOX, terminal_id, area_code, now, household_id=household_id)

    def signed_in_by(self, household_id: str, area_code: str) -> None:
        """A set-top box signed in (again) by a household: it is in that household's area."""
        self.area_code, self.household_id, self.endpoint = area_code, household_id, ""

    @property
    def address(self) -> str:
        return address(self.channel, self.terminal_id)


def addressed(terminals: Iterable[Terminal], only: Iterable[str]) -> list[Terminal]:
    """The terminals a broadcast goes to: all of them, or for a re-delivery only those it names."""
    wanted = set(only)
    return [t for t in terminals if t.address in wanted] if wanted else list(terminals)


class Delivery(Aggregate):
    """One alert on one terminal: sent, then its receipts."""

    def __init__(
        self,
        alert_id: str,
        channel: str,
        terminal_id: str,
        area_code: str,
        last_sent_at: dt.datetime,
        state: str = SENT,
        attempts: int = 1,
        receipt_at: dt.datetime | None = None,
    ):
        self.alert_id = alert_id
        self.channel = channel
        self.terminal_id = terminal_id
        self.area_code = area_code
        self.last_sent_at = last_sent_at
        self.state = state
        self.attempts = attempts
        self.receipt_at = receipt_at

    @classmethod
    def sent(cls, alert_id: str, terminal: Terminal, now: dt.datetime) -> Delivery:
        return cls(alert_id, terminal.channel, terminal.terminal_id, terminal.area_code, now)

    def record_receipt(self, kind: str, now: dt.datetime) -> None:
        if RECEIPT_RANK[kind] > RECEIPT_RANK.get(self.state, 0):
            self.state, self.receipt_at = kind, now

    def sent_again(self, now: dt.datetime) -> None:
        self.attempts += 1
        self.last_sent_at = now

    @property
    def address(self) -> str:
        return address(self.channel, self.terminal_id)


@dataclass(frozen=True)
class Receipt:
    """A terminal's word that it got (showed, had acknowledged) an alert."""

    alert_id: str
    terminal_id: str
    kind: str

    @classmethod
    def from_set_top_box(cls, caller: Caller, alert_id: str, kind: str) -> Receipt:
        """A household's set-top box sends it, of a kind on the ladder."""
        caller.require_household()
        check_alert_id(alert_id)
        if kind not in RECEIPT_KINDS:
            raise InvalidArgument(f"kind is one of {', '.join(RECEIPT_KINDS)}", {"kind": "unknown receipt"})
        return cls(alert_id, caller.device_id or caller.subject, kind)

    @property
    def delivery_key(self) -> tuple[str, str]:
        return self.alert_id, self.terminal_id


@dataclass(frozen=True)
class AreaStatus:
    """How far an alert got on one channel in one area."""

    channel: str
    area_code: str
    targeted: int = 0
    delivered: int = 0
    displayed: int = 0
    acknowledged: int = 0


def delivery_status(counts: Iterable[tuple[str, str, str, int]]) -> list[AreaStatus]:
    """Per channel and area, from the number of deliveries in each state: a delivery counts on
    every rung of the ladder up to its own (an acknowledged alert was delivered and displayed)."""
    agg: dict[tuple[str, str], list[int]] = {}
    for channel, area, state, n in counts:
        tally = agg.setdefault((channel, area), [0, 0, 0, 0])
        rank = RECEIPT_RANK.get(state, 0)
        tally[0] += n
        for i in range(1, 4):
            if rank >= i:
                tally[i] += n
    return [AreaStatus(c, a, *v) for (c, a), v in sorted(agg.items())]
