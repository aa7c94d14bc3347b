"""The events evaluation consumes: every service's, folded into the assessment read model (python -m
evaluation assessment). Each handler decodes an event, lets its subject take it in (domain), and
the store adds what the subject's contributions changed to the counters; the runtime's consumer
records the event id in the same transaction, so a redelivered event changes nothing. Evaluation
publishes nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from evaluation import domain
from evaluation.store import UnitOfWork
from runtime.events import Event
from runtime.times import from_timestamp
from sbc.events.v1 import education_events_pb2 as edu
from sbc.events.v1 import egov_events_pb2 as egov
from sbc.events.v1 import eldercare_events_pb2 as care
from sbc.events.v1 import servicedesk_events_pb2 as sd

REQUEST_SUBMITTED = "sbc.servicedesk.request.submitted.v1"
REQUEST_TRANSITIONED = "sbc.servicedesk.request.transitioned.v1"
REQUEST_RATED = "sbc.servicedesk.request.rated.v1"
RECTIFICATION_FOLLOWED_UP = "sbc.servicedesk.rectification.followed_up.v1"
APPLICATION_STEP = "sbc.egov.application.step.v1"
ALARM_RAISED = "sbc.eldercare.alarm.raised.v1"
ALARM_ACKNOWLEDGED = "sbc.eldercare.alarm.acknowledged.v1"
SLOT_SCHEDULED = "sbc.education.slot.scheduled.v1"
SLOT_CANCELLED = "sbc.education.slot.cancelled.v1"
EPISODE_ADDED = "sbc.education.episode.added.v1"
EPISODE_RATED = "sbc.education.episode.rated.v1"

# Records applied in one transaction by the assessment worker (runtime.consumer's batch_size).
BATCH_SIZE = 200


def _fold(s: Session, kind: type[domain.Subject], subject_id: str, change: Callable[[domain.Subject], None]) -> None:
    with UnitOfWork.joining(s) as uow:
        subject = uow.subjects.get(kind.kind, subject_id) or kind.new(subject_id)  # type: ignore[attr-defined]
        before = subject.contributions()
        change(subject)
        uow.subjects.save(subject, before, uow.tallies)


def on_request_submitted(s: Session, event: Event) -> None:
    e = event.decode(sd.ServiceRequestSubmitted)
    _fold(
        s,
        domain.CaseSubject,
        e.request_id,
        lambda c: c.submitted(
            e.area_code,
            e.service_point_code,
            e.service_type,
            from_timestamp(e.submitted_at),
            from_timestamp(e.deadline),
        ),
    )


def on_request_transitioned(s: Session, event: Event) -> None:
    e = event.decode(sd.ServiceRequestTransitioned)
    _fold(
        s,
        domain.CaseSubject,
        e.request_id,
        lambda c: c.moved(
            e.area_code,
            e.service_point_code,
            e.service_type,
            from_timestamp(e.submitted_at),
            from_timestamp(e.deadline),
            e.to_state,
            from_timestamp(e.at),
        ),
    )


def on_request_rated(s: Session, event: Event) -> None:
    e = event.decode(sd.ServiceRequestRated)
    _fold(s, domain.CaseSubject, e.request_id, lambda c: c.rated(e.level, from_timestamp(e.rectification_deadline)))


def on_followed_up(s: Session, event: Event) -> None:
    e = event.decode(sd.RectificationFollowedUp)
    _fold(s, domain.CaseSubject, e.request_id, lambda c: c.followed_up(from_timestamp(e.at)))


def on_application_step(s: Session, event: Event) -> None:
    e = event.decode(egov.EgovApplicationStep)
    _fold(
        s,
        domain.ApplicationSubject,
        e.application_id,
        lambda a: a.step(e.action, e.to_state, e.area_code, e.item_name or e.item_code, e.detail, from_timestamp(e.at)),
    )


def on_alarm_raised(s: Session, event: Event) -> None:
    e = event.decode(care.EldercareAlarmRaised)
    _fold(s, domain.AlarmSubject, e.alarm_id, lambda a: a.raised(e.where.area_code, from_timestamp(e.at)))


def on_alarm_acknowledged(s: Session, event: Event) -> None:
    e = event.decode(care.EldercareAlarmAcknowledged)
    _fold(s, domain.AlarmSubject, e.alarm_id, lambda a: a.acknowledged(e.where.area_code, from_timestamp(e.at)))


def on_slot_scheduled(s: Session, event: Event) -> None:
    e = event.decode(edu.EducationSlotScheduled)
    _fold(s, domain.SlotSubject, e.slot_id, lambda slot: slot.scheduled(e.town_code, from_timestamp(e.starts_at)))


def on_slot_cancelled(s: Session, event: Event) -> None:
    e = event.decode(edu.EducationSlotCancelled)
    _fold(s, domain.SlotSubject, e.slot_id, lambda slot: slot.cancelled(e.town_code))


def on_episode_added(s: Session, event: Event) -> None:
    e = event.decode(edu.EducationEpisodeAdded)
    _fold(s, domain.EpisodeSubject, e.episode_id, lambda ep: ep.state.update(town=e.town_code, series=e.series_id))


def on_episode_rated(s: Session, event: Event) -> None:
    e = event.decode(edu.EducationEpisodeRated)
    with UnitOfWork.joining(s) as uow:
        episode = uow.subjects.get(domain.EpisodeSubject.kind, e.episode_id)
    town = episode.state["town"] if episode is not None else ""
    _fold(
        s,
        domain.RatingSubject,
        e.rating_id,
        lambda r: r.state.update(town=town, series=e.series_id, level=e.level, at=from_timestamp(e.at)),
    )


HANDLERS = {
    REQUEST_SUBMITTED: on_request_submitted,
    REQUEST_TRANSITIONED: on_request_transitioned,
    REQUEST_RATED: on_request_rated,
    RECTIFICATION_FOLLOWED_UP: on_followed_up,
    APPLICATION_STEP: on_application_step,
    ALARM_RAISED: on_alarm_raised,
    ALARM_ACKNOWLEDGED: on_alarm_acknowledged,
    SLOT_SCHEDULED: on_slot_scheduled,
    SLOT_CANCELLED: on_slot_cancelled,
    EPISODE_ADDED: on_episode_added,
    EPISODE_RATED: on_episode_rated,
}
