"""Events the service desk publishes, through its outbox."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.orm import Session

from runtime import outbox
from sbc.events.v1 import servicedesk_events_pb2

TOPIC = "sbc.servicedesk.requests.v1"
SOURCE = "sbc/servicedesk"
REQUEST_SUBMITTED = "sbc.servicedesk.request.submitted.v1"


def request_submitted(s: Session, row) -> None:
    at = Timestamp()
    at.FromDatetime(row.submitted_at)
    outbox.publish(
        s,
        topic=TOPIC,
        key=row.id,
        event_type=REQUEST_SUBMITTED,
        source=SOURCE,
        message=servicedesk_events_pb2.ServiceRequestSubmitted(
            request_id=row.id,
            reference_number=row.reference_number,
            household_id=row.household_id,
            device_id=row.device_id,
            area_code=row.area_code,
            service_type=row.service_type,
            channel=row.channel,
            submitted_at=at,
            service_point_code=row.service_point_code,
            deadline=ts(row.deadline_at),
            outreach_event_id=row.outreach_event_id or "",
            home_visit=row.home_visit or "",
        ),
    )


REQUEST_TRANSITIONED = "sbc.servicedesk.request.transitioned.v1"
REQUEST_SLA = "sbc.servicedesk.request.sla.v1"
REQUEST_RATED = "sbc.servicedesk.request.rated.v1"
RECTIFICATION_FOLLOWED_UP = "sbc.servicedesk.rectification.followed_up.v1"


def ts(at) -> Timestamp | None:
    if at is None:
        return None
    out = Timestamp()
    out.FromDatetime(at)
    return out


def request_transitioned(s: Session, row, from_state: str, actor_id: str, actor_role: str, at, reason: str) -> None:
    outbox.publish(
        s,
        topic=TOPIC,
        key=row.id,
        event_type=REQUEST_TRANSITIONED,
        source=SOURCE,
        message=servicedesk_events_pb2.ServiceRequestTransitioned(
            request_id=row.id,
            reference_number=row.reference_number,
            household_id=row.household_id,
            area_code=row.area_code,
            service_point_code=row.service_point_code,
            service_type=row.service_type,
            channel=row.channel,
            from_state=from_state,
            to_state=row.state,
            actor_id=actor_id,
            actor_role=actor_role,
            at=ts(at),
            reason=reason,
            submitted_at=ts(row.submitted_at),
            deadline=ts(row.deadline_at),
            technician=row.technician,
            compensation_fen=row.compensation_fen,
            outreach_event_id=row.outreach_event_id or "",
        ),
    )


def sla_reached(s: Session, row, percent: int, escalate_to: str, at) -> None:
    outbox.publish(
        s,
        topic=TOPIC,
        key=row.id,
        event_type=REQUEST_SLA,
        source=SOURCE,
        message=servicedesk_events_pb2.ServiceRequestSlaReached(
            request_id=row.id,
            reference_number=row.reference_number,
            service_point_code=row.service_point_code,
            service_type=row.service_type,
            percent=percent,
            escalate_to=escalate_to,
            deadline=ts(row.deadline_at),
            at=ts(at),
        ),
    )


def request_rated(s: Session, row, bad: bool) -> None:
    outbox.publish(
        s,
        topic=TOPIC,
        key=row.id,
        event_type=REQUEST_RATED,
        source=SOURCE,
        message=servicedesk_events_pb2.ServiceRequestRated(
            request_id=row.id,
            household_id=row.household_id,
            service_point_code=row.service_point_code,
            service_type=row.service_type,
            level=row.rating_level,
            bad=bad,
            at=ts(row.rated_at),
            rectification_deadline=ts(row.rectification_deadline),
        ),
    )


def rectification_followed_up(s: Session, row, on_time: bool) -> None:
    outbox.publish(
        s,
        topic=TOPIC,
        key=row.id,
        event_type=RECTIFICATION_FOLLOWED_UP,
        source=SOURCE,
        message=servicedesk_events_pb2.RectificationFollowedUp(
            request_id=row.id,
            service_point_code=row.service_point_code,
            at=ts(row.rectified_at),
            on_time=on_time,
        ),
    )
