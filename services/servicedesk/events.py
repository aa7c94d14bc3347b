"""What the service desk publishes: each domain event of a request as its protobuf event on the
requests topic, through the outbox, keyed by the request id (notifications and the assessment
read them). What it consumes is the assessment's (assessment.py)."""

from __future__ import annotations

from google.protobuf.message import Message
from sqlalchemy.orm import Session

from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import servicedesk_events_pb2 as pb
from servicedesk import domain

TOPIC = "sbc.servicedesk.requests.v1"
SOURCE = "sbc/servicedesk"
REQUEST_SUBMITTED = "sbc.servicedesk.request.submitted.v1"
REQUEST_TRANSITIONED = "sbc.servicedesk.request.transitioned.v1"
REQUEST_SLA = "sbc.servicedesk.request.sla.v1"
REQUEST_RATED = "sbc.servicedesk.request.rated.v1"
RECTIFICATION_FOLLOWED_UP = "sbc.servicedesk.rectification.followed_up.v1"


def message_of(event: object) -> tuple[str, Message]:
    """The event type and protobuf message that announce a domain event."""
    if isinstance(event, domain.RequestFiled):
        r = event.request
        return REQUEST_SUBMITTED, pb.ServiceRequestSubmitted(
            request_id=r.id,
            reference_number=r.reference_number,
            household_id=r.household_id,
            device_id=r.device_id,
            area_code=r.area_code,
            service_type=r.service_type,
            channel=r.channel,
            submitted_at=to_timestamp(r.submitted_at),
            service_point_code=r.service_point_code,
            deadline=to_timestamp(r.deadline_at),
            outreach_event_id=r.outreach_event_id,
            home_visit=r.home_visit,
        )
    if isinstance(event, domain.RequestTransitioned):
        r = event.request
        return REQUEST_TRANSITIONED, pb.ServiceRequestTransitioned(
            request_id=r.id,
            reference_number=r.reference_number,
            household_id=r.household_id,
            area_code=r.area_code,
            service_point_code=r.service_point_code,
            service_type=r.service_type,
            channel=r.channel,
            from_state=event.from_state,
            to_state=r.state,
            actor_id=event.by.id,
            actor_role=event.by.role,
            at=to_timestamp(event.at),
            reason=event.reason,
            submitted_at=to_timestamp(r.submitted_at),
            deadline=to_timestamp(r.deadline_at),
            technician=r.technician,
            compensation_fen=r.compensation_fen,
            outreach_event_id=r.outreach_event_id,
        )
    if isinstance(event, domain.SlaThresholdReached):
        r = event.request
        return REQUEST_SLA, pb.ServiceRequestSlaReached(
            request_id=r.id,
            reference_number=r.reference_number,
            service_point_code=r.service_point_code,
            service_type=r.service_type,
            percent=event.percent,
            escalate_to=event.escalate_to,
            deadline=to_timestamp(r.deadline_at),
            at=to_timestamp(event.at),
        )
    if isinstance(event, domain.RequestRated):
        r = event.request
        return REQUEST_RATED, pb.ServiceRequestRated(
            request_id=r.id,
            household_id=r.household_id,
            service_point_code=r.service_point_code,
            service_type=r.service_type,
            level=event.level,
            bad=event.bad,
            at=to_timestamp(event.at),
            rectification_deadline=to_timestamp(event.rectification_deadline),
        )
    if isinstance(event, domain.RectificationFollowedUp):
        r = event.request
        return RECTIFICATION_FOLLOWED_UP, pb.RectificationFollowedUp(
            request_id=r.id, service_point_code=r.service_point_code, at=to_timestamp(event.at), on_time=event.on_time
        )
    raise TypeError(f"the service desk publishes no {type(event).__name__}")


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    event_type, message = message_of(event)
    key = message.request_id  # every event of a request is keyed by its id, so they stay in order
    outbox.publish(s, topic=TOPIC, key=key, message=message, event_type=event_type, source=SOURCE)
