"""What happens to a request: the domain events its steps record (the unit of work publishes
them, events.py maps them to the protobuf events other services read) and the audit trail,
whose entries are made from the same events and written in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from runtime.auth import Caller
from servicedesk.domain.points import role_of


@dataclass(frozen=True)
class Actor:
    """Who took a step, in which role, through which channel."""

    id: str
    role: str
    channel: str

    @classmethod
    def of(cls, caller: Caller) -> Actor:
        """A caller acting on a request (households on their terminal, staff in the staff app)."""
        return cls(caller.subject, role_of(caller), "set_top_box" if caller.is_household() else "staff_app")


SYSTEM = Actor("system:sla-scheduler", "system", "system")


@dataclass(frozen=True)
class RequestFacts:
    """What every announcement of a request says of it, as it stands after the step."""

    id: str
    reference_number: str
    household_id: str
    device_id: str
    area_code: str
    service_point_code: str
    service_type: str
    channel: str
    state: str
    submitted_at: dt.datetime
    deadline_at: dt.datetime | None
    technician: str
    compensation_fen: int
    outreach_event_id: str
    home_visit: str


# --- the events ---


@dataclass(frozen=True)
class RequestFiled:
    request: RequestFacts
    by: Actor
    # Recorded in the audit trail: the consent given, the outreach event, the home visit.
    note: str


@dataclass(frozen=True)
class RequestTransitioned:
    request: RequestFacts
    from_state: str
    by: Actor
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class SlaThresholdReached:
    request: RequestFacts
    percent: int
    escalate_to: str
    at: dt.datetime


@dataclass(frozen=True)
class RequestRated:
    request: RequestFacts
    level: str
    bad: bool
    at: dt.datetime
    rectification_deadline: dt.datetime | None


@dataclass(frozen=True)
class RectificationFollowedUp:
    request: RequestFacts
    by: Actor
    follow_up: str
    at: dt.datetime
    on_time: bool


# --- the audit trail ---


class AuditEntry:
    """One step of a request: who, when, through which channel, from which state to which."""

    def __init__(
        self,
        request_id: str,
        from_state: str,
        to_state: str,
        actor_id: str,
        actor_role: str,
        channel: str,
        reason: str,
        at: dt.datetime,
    ):
        self.request_id = request_id
        self.from_state = from_state
        self.to_state = to_state
        self.actor_id = actor_id
        self.actor_role = actor_role
        self.channel = channel
        self.reason = reason
        self.at = at

    @classmethod
    def of(cls, event: object) -> AuditEntry | None:
        """The entry a recorded event makes in the audit trail (ratings and SLA alarms make none:
        a rating's entry is the transition it closes the request with)."""
        if isinstance(event, RequestFiled):
            r, by = event.request, event.by
            return cls(r.id, "", r.state, by.id, by.role, by.channel, event.note, r.submitted_at)
        if isinstance(event, RequestTransitioned):
            r, by = event.request, event.by
            return cls(r.id, event.from_state, r.state, by.id, by.role, by.channel, event.reason, event.at)
        if isinstance(event, RectificationFollowedUp):
            r, by = event.request, event.by
            reason = "rectification follow-up: " + event.follow_up
            return cls(r.id, r.state, r.state, by.id, by.role, by.channel, reason, event.at)
        return None
