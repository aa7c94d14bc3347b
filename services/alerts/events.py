"""What the emergency broadcast publishes: one broadcast event per thing every terminal must
show or stop showing, on a topic of its own (never behind ordinary traffic), keyed by the alert
id. Set-top boxes (through the gateway), loudspeakers and home IoT devices all read it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from alerts import domain
from runtime import outbox
from runtime.events import Event
from runtime.times import to_timestamp
from sbc.events.v1 import alert_events_pb2

BROADCAST_TOPIC = "sbc.alerts.broadcast.v1"
BROADCAST = "sbc.alerts.broadcast.v1"
SOURCE = "sbc/alerts"

# The steps that change what terminals show; the others are lines of the audit trail only.
ANNOUNCED = (domain.AlertIssued, domain.AlertCancelled, domain.AlertExpired, domain.AlertSentAgain)


def text_messages(texts: Iterable[domain.AlertText]) -> list[alert_events_pb2.AlertText]:
    return [
        alert_events_pb2.AlertText(
            language=t.language,
            headline=t.headline,
            description=t.description,
            instruction=t.instruction,
            event=t.event,
        )
        for t in texts
    ]


def broadcast_message(b: domain.Broadcast) -> alert_events_pb2.AlertBroadcast:
    m = b.message
    return alert_events_pb2.AlertBroadcast(
        alert_id=b.alert_id,
        kind=b.kind,
        identifier=m.identifier,
        sender=m.sender,
        sender_name=m.sender_name,
        status=m.status,
        drill=m.drill,
        severity=m.severity,
        level=m.level,
        colour=m.colour,
        event_type=m.event_type,
        texts=text_messages(m.texts),
        area_codes=list(b.area_codes),
        sent=to_timestamp(m.sent),
        expires=to_timestamp(m.expires),
        supersedes=list(b.supersedes),
        attempt=b.attempt,
        msg_type=m.msg_type,
        only_terminals=list(b.only_terminals),
    )


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, ANNOUNCED):
        b = event.broadcast
        outbox.publish(
            s, topic=BROADCAST_TOPIC, key=b.alert_id, message=broadcast_message(b), event_type=BROADCAST, source=SOURCE
        )
    elif not isinstance(event, domain.AlertStep):
        raise TypeError(f"alerts publishes no {type(event).__name__}")


def broadcast_of(event: Event) -> alert_events_pb2.AlertBroadcast | None:
    """The broadcast a consumed event carries (None for any other event on the topic)."""
    return event.decode(alert_events_pb2.AlertBroadcast) if event.type == BROADCAST else None


def receipted(b: alert_events_pb2.AlertBroadcast) -> bool:
    """Whether the terminals' receipts of this broadcast count (domain.counts_receipts)."""
    return domain.counts_receipts(b.kind, b.msg_type)
