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
        ),
    )
