"""What e-government publishes (through its outbox: each step of an application as a protobuf
message on its topic, keyed by the application's id) and what it consumes (nothing yet)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from egov import domain
from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import egov_events_pb2 as pb

TOPIC = "sbc.egov.applications.v1"
SOURCE = "sbc/egov"
APPLICATION_STEP = "sbc.egov.application.step.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if not isinstance(event, domain.ApplicationStepTaken):
        raise TypeError(f"egov publishes no {type(event).__name__}")
    message = pb.EgovApplicationStep(
        application_id=event.application_id,
        household_id=event.household_id,
        item_code=event.item_code,
        department=event.department,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        actor=event.actor.subject,
        actor_kind=event.actor.kind,
        actor_name=event.actor.name,
        on_behalf_of=event.actor.on_behalf_of,
        authority=event.actor.authority,
        detail=event.detail,
        deadline=to_timestamp(event.deadline),
        at=to_timestamp(event.at),
        item_name=event.item_name,
        reason=event.reason,
        materials=list(event.materials),
        agent=event.agent,
        area_code=event.area_code,
    )
    if event.visit is not None:
        v = event.visit
        message.appointment.CopyFrom(
            pb.EgovAppointment(
                appointment_id=v.appointment_id,
                hall_name=v.hall_name,
                hall_address=v.hall_address,
                window_name=v.window_name,
                starts_at=to_timestamp(v.starts_at),
                time_zone=v.time_zone,
            )
        )
    outbox.publish(
        s, topic=TOPIC, key=event.application_id, message=message, event_type=APPLICATION_STEP, source=SOURCE
    )


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {}
