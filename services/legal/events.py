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
CONSULTATION_TOPIC = "sbc.legal.consultations.v1"
CONSULTATION_STEP = "sbc.legal.consultation.step.v1"
CONSULTATION_ESCALATED = "sbc.legal.consultation.escalated.v1"
VOLUNTEERING_TOPIC = "sbc.legal.volunteering.v1"
VOLUNTEER_STEP = "sbc.legal.volunteer.step.v1"
DUTY_RECORDED = "sbc.legal.advisor_duty.recorded.v1"
QUIZZES_TOPIC = "sbc.legal.quizzes.v1"
QUIZ_SUBMITTED = "sbc.legal.quiz.submitted.v1"


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
    elif isinstance(event, domain.ConsultationStep):
        message = pb.LegalConsultationStep(
            consultation_id=event.consultation_id,
            district_code=event.district_code,
            village_code=event.village_code,
            household_id=event.household_id,
            advisor=event.advisor,
            step=event.step,
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s,
            topic=CONSULTATION_TOPIC,
            key=event.consultation_id,
            message=message,
            event_type=CONSULTATION_STEP,
            source=SOURCE,
        )
    elif isinstance(event, domain.ConsultationEscalated):
        message = pb.LegalConsultationEscalated(
            consultation_id=event.consultation_id,
            district_code=event.district_code,
            village_code=event.village_code,
            advisor=event.advisor,
            percent=event.percent,
            to=event.to,
            due_at=to_timestamp(event.due_at),
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s,
            topic=CONSULTATION_TOPIC,
            key=event.consultation_id,
            message=message,
            event_type=CONSULTATION_ESCALATED,
            source=SOURCE,
        )
    elif isinstance(event, domain.VolunteerStep):
        message = pb.LegalVolunteerStep(
            activity_id=event.activity_id,
            sign_up_id=event.sign_up_id,
            station=event.station,
            volunteer=event.volunteer,
            step=event.step,
            hours=event.half_hours / 2,
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s,
            topic=VOLUNTEERING_TOPIC,
            key=event.activity_id,
            message=message,
            event_type=VOLUNTEER_STEP,
            source=SOURCE,
        )
    elif isinstance(event, domain.QuizSubmitted):
        message = pb.LegalQuizSubmitted(
            attempt_id=event.attempt_id,
            paper_id=event.paper_id,
            town=event.town,
            score=event.score,
            at=to_timestamp(event.at),
        )
        outbox.publish(
            s, topic=QUIZZES_TOPIC, key=event.attempt_id, message=message, event_type=QUIZ_SUBMITTED, source=SOURCE
        )
    elif isinstance(event, domain.duties.DutyRecorded):
        message = pb.LegalAdvisorDutyRecorded(
            record_id=event.record_id,
            district_code=event.district_code,
            village_code=event.village_code,
            advisor=event.advisor,
            kind=event.kind,
            done_on=event.done_on.isoformat(),
            at=to_timestamp(event.at),
        )
        # The advisors' work, beside their consultations' (keyed by the village).
        outbox.publish(
            s,
            topic=CONSULTATION_TOPIC,
            key=event.village_code,
            message=message,
            event_type=DUTY_RECORDED,
            source=SOURCE,
        )
    else:
        raise TypeError(f"legal publishes no {type(event).__name__}")


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {}
