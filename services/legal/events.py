"""What legal publishes (through its outbox: each domain event as a protobuf message on its
topic, keyed by the aggregate id) and what it consumes (HANDLERS, for a consumer process)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from legal import domain
from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import legal_events_pb2 as pb

SOURCE = "sbc/legal"
CONTENT_TOPIC = "sbc.legal.content.v1"
CONTENT_STEP = "sbc.legal.content.step.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, domain.ContentStep):
        message = pb.LegalContentStep(
            content_id=event.content_id,
            district_code=event.district_code,
            kind=event.kind,
            title=event.title,
            step=event.step,
            actor=event.actor,
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s, topic=CONTENT_TOPIC, key=event.content_id, message=message, event_type=CONTENT_STEP, source=SOURCE
        )
    else:
        raise TypeError(f"legal publishes no {type(event).__name__}")


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {}
