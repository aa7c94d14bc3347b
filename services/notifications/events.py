"""Events notifications consumes and publishes."""

from __future__ import annotations

import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.orm import Session

from notifications import domain
from notifications.store import PushMessageRow
from runtime import outbox
from runtime.events import Event
from sbc.events.v1 import notification_events_pb2, servicedesk_events_pb2

PUSH_TOPIC = "sbc.notifications.push.v1"
PUSH = "sbc.notifications.push.v1"
SOURCE = "sbc/notifications"

REQUEST_SUBMITTED = "sbc.servicedesk.request.submitted.v1"
REQUEST_TRANSITIONED = "sbc.servicedesk.request.transitioned.v1"


def to_proto(row: PushMessageRow) -> notification_events_pb2.PushMessage:
    at = Timestamp()
    at.FromDatetime(row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC))
    return notification_events_pb2.PushMessage(
        id=row.id,
        household_id=row.household_id,
        device_id=row.device_id,
        kind=row.kind,
        title=row.title,
        body=row.body,
        cause_event_id=row.cause_event_id,
        created_at=at,
    )


def push(s: Session, household_id: str, device_id: str, notice: domain.Notice, cause: Event) -> PushMessageRow:
    row = PushMessageRow(
        household_id=household_id,
        device_id=device_id,
        kind=notice.kind,
        title=notice.title,
        body=notice.body,
        cause_event_id=cause.id,
        created_at=dt.datetime.now(dt.UTC),
    )
    s.add(row)
    s.flush()
    outbox.publish(s, topic=PUSH_TOPIC, key=household_id, event_type=PUSH, source=SOURCE, message=to_proto(row))
    return row


def on_request_submitted(s: Session, event: Event) -> None:
    e = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted)
    push(s, e.household_id, "", domain.request_received(e.reference_number, e.service_type), event)


def on_request_transitioned(s: Session, event: Event) -> None:
    e = event.decode(servicedesk_events_pb2.ServiceRequestTransitioned)
    notice = domain.request_step(e.reference_number, e.service_type, e.to_state, e.reason)
    if notice is not None:
        push(s, e.household_id, "", notice, event)


HANDLERS = {REQUEST_SUBMITTED: on_request_submitted, REQUEST_TRANSITIONED: on_request_transitioned}
