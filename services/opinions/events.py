"""What opinions publishes (through its outbox: each domain event as a protobuf message on its
topic, keyed by the questionnaire's id) and what it consumes (HANDLERS, for a consumer process)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from opinions import domain
from runtime import outbox
from runtime.events import Event
from runtime.times import to_timestamp
from sbc.events.v1 import identity_events_pb2
from sbc.events.v1 import opinions_events_pb2 as pb

QUESTIONNAIRES_TOPIC = "sbc.opinions.questionnaires.v1"
RESPONSES_TOPIC = "sbc.opinions.responses.v1"
SOURCE = "sbc/opinions"
PUBLISHED = "sbc.opinions.questionnaire.published.v1"
CLOSED = "sbc.opinions.questionnaire.closed.v1"
SUBMITTED = "sbc.opinions.response.submitted.v1"
INVITED = "sbc.opinions.households.invited.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, domain.QuestionnairePublished):
        message = pb.OpinionsQuestionnairePublished(
            questionnaire_id=event.questionnaire_id,
            area_code=event.area_code,
            title=event.title,
            organizer=event.organizer,
            target_areas=list(event.target_areas),
            audience=event.audience,
            opens_at=to_timestamp(event.opens_at),
            closes_at=to_timestamp(event.closes_at),
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s,
            topic=QUESTIONNAIRES_TOPIC,
            key=event.questionnaire_id,
            message=message,
            event_type=PUBLISHED,
            source=SOURCE,
        )
    elif isinstance(event, domain.HouseholdsInvited):
        message = pb.OpinionsHouseholdsInvited(
            questionnaire_id=event.questionnaire_id,
            title=event.title,
            organizer=event.organizer,
            closes_at=to_timestamp(event.closes_at),
            household_ids=list(event.household_ids),
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s,
            topic=QUESTIONNAIRES_TOPIC,
            key=event.questionnaire_id,
            message=message,
            event_type=INVITED,
            source=SOURCE,
        )
    elif isinstance(event, domain.QuestionnaireClosed):
        message = pb.OpinionsQuestionnaireClosed(
            questionnaire_id=event.questionnaire_id, area_code=event.area_code, at=to_timestamp(event.at)
        )
        outbox.publish(
            s, topic=QUESTIONNAIRES_TOPIC, key=event.questionnaire_id, message=message, event_type=CLOSED, source=SOURCE
        )
    elif isinstance(event, domain.ResponseSubmitted):
        message = pb.OpinionsResponseSubmitted(
            response_id=event.response_id,
            questionnaire_id=event.questionnaire_id,
            area_code=event.area_code,
            answers=[
                pb.OpinionsChoiceAnswer(question_id=a.question_id, kind=kind, choices=list(a.choices), scale=a.scale)
                for kind, a in event.answers
            ],
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s, topic=RESPONSES_TOPIC, key=event.questionnaire_id, message=message, event_type=SUBMITTED, source=SOURCE
        )
    else:
        raise TypeError(f"opinions publishes no {type(event).__name__}")


# Identity's event types (identity.events): opinions does not import another service's code.
DEVICE_REGISTERED = "sbc.identity.device.registered.v1"
DEVICE_REVOKED = "sbc.identity.device.revoked.v1"


def box_registered(s: Session, event: Event) -> None:
    from opinions import handlers
    from opinions.store import UnitOfWork  # the store imports this module

    m = event.decode(identity_events_pb2.DeviceRegistered)
    if not m.device_id or not m.household_id or not m.area_code:
        return  # nothing to place: a malformed event is skipped, not retried forever
    handlers.box_registered(UnitOfWork.joining(s), m.device_id, m.household_id, m.area_code)


def box_removed(s: Session, event: Event) -> None:
    from opinions import handlers
    from opinions.store import UnitOfWork

    m = event.decode(identity_events_pb2.DeviceRevoked)
    if m.device_id:
        handlers.box_removed(UnitOfWork.joining(s), m.device_id)


# Events of other services this one applies (its `households` consumer): {event type: handler(session, event)}.
HANDLERS = {DEVICE_REGISTERED: box_registered, DEVICE_REVOKED: box_removed}
