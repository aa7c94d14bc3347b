"""What tourism publishes (through its outbox: each reservation's change as a protobuf message on
its topic, keyed by the reservation id) and what it consumes (nothing yet)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import tourism_events_pb2 as pb
from tourism.domain import reservations

TOPIC = "sbc.tourism.reservations.v1"
SOURCE = "sbc/tourism"
RESERVATION_CHANGED = "sbc.tourism.reservation.changed.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, reservations.ReservationChanged):
        message = pb.TourismReservationChanged(
            reservation_id=event.reservation_id,
            household_id=event.household_id,
            venue_id=event.venue_id,
            slot_id=event.slot_id,
            party=event.party,
            state=event.state,
            at=to_timestamp(event.at),
            expires_at=to_timestamp(event.expires_at),
            venue_name=event.venue_name,
            starts_at=to_timestamp(event.starts_at),
        )
        outbox.publish(
            s, topic=TOPIC, key=event.reservation_id, message=message, event_type=RESERVATION_CHANGED, source=SOURCE
        )
    else:
        raise TypeError(f"tourism publishes no {type(event).__name__}")


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {}
