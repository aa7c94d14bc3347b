"""What evaluation publishes (through its outbox: each domain event as a protobuf message on its
topic, keyed by the aggregate id) and what it consumes (HANDLERS, for a consumer process)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from evaluation import domain
from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import evaluation_events_pb2 as pb

TOPIC = "sbc.evaluation.items.v1"
SOURCE = "sbc/evaluation"
ITEM_CREATED = "sbc.evaluation.item.created.v1"
ITEM_CLOSED = "sbc.evaluation.item.closed.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, domain.ItemCreated):
        message = pb.EvaluationItemCreated(
            item_id=event.item_id, household_id=event.household_id, title=event.title, at=to_timestamp(event.at)
        )
        outbox.publish(s, topic=TOPIC, key=event.item_id, message=message, event_type=ITEM_CREATED, source=SOURCE)
    elif isinstance(event, domain.ItemClosed):
        message = pb.EvaluationItemClosed(
            item_id=event.item_id, household_id=event.household_id, at=to_timestamp(event.at)
        )
        outbox.publish(s, topic=TOPIC, key=event.item_id, message=message, event_type=ITEM_CLOSED, source=SOURCE)
    else:
        raise TypeError(f"evaluation publishes no {type(event).__name__}")


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {}
