"""What education publishes (through its outbox: each domain event as a protobuf message on its
topic, keyed by the aggregate id) and what it consumes (HANDLERS, for a consumer process)."""

from __future__ import annotations

import datetime as dt

from google.protobuf.message import Message
from sqlalchemy.orm import Session

from education import domain
from runtime import outbox
from runtime.events import Event
from runtime.times import to_timestamp, utcnow
from sbc.events.v1 import alert_events_pb2
from sbc.events.v1 import education_events_pb2 as pb

TOPIC = "sbc.education.programmes.v1"
SOURCE = "sbc/education"
SERIES_CREATED = "sbc.education.series.created.v1"
EPISODE_ADDED = "sbc.education.episode.added.v1"
SLOT_SCHEDULED = "sbc.education.slot.scheduled.v1"
SLOT_CANCELLED = "sbc.education.slot.cancelled.v1"
LESSON_COMPLETED = "sbc.education.lesson.completed.v1"
SIGNED_UP = "sbc.education.session.signed_up.v1"
CHECKED_IN = "sbc.education.session.checked_in.v1"
SIGN_UP_CANCELLED = "sbc.education.session.sign_up_cancelled.v1"
PLACE_OFFERED = "sbc.education.session.place_offered.v1"
CERTIFICATE_ISSUED = "sbc.education.certificate.issued.v1"
STARTING_SOON = "sbc.education.programme.starting_soon.v1"
QUESTION_ASKED = "sbc.education.question.asked.v1"
EPISODE_RATED = "sbc.education.episode.rated.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, domain.SeriesCreated):
        key, kind = event.series_id, SERIES_CREATED
        message: Message = pb.EducationSeriesCreated(
            series_id=event.series_id, town_code=event.town_code, title=event.title, at=to_timestamp(event.at)
        )
    elif isinstance(event, domain.EpisodeAdded):
        key, kind = event.episode_id, EPISODE_ADDED
        message = pb.EducationEpisodeAdded(
            episode_id=event.episode_id,
            series_id=event.series_id,
            town_code=event.town_code,
            title=event.title,
            topic=event.topic,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.SlotScheduled):
        key, kind = event.slot_id, SLOT_SCHEDULED
        message = pb.EducationSlotScheduled(
            slot_id=event.slot_id,
            town_code=event.town_code,
            channel=event.channel,
            episode_id=event.episode_id,
            starts_at=to_timestamp(event.starts_at),
            ends_at=to_timestamp(event.ends_at),
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.SlotCancelled):
        key, kind = event.slot_id, SLOT_CANCELLED
        message = pb.EducationSlotCancelled(
            slot_id=event.slot_id, town_code=event.town_code, channel=event.channel, at=to_timestamp(event.at)
        )
    elif isinstance(event, domain.LessonCompleted):
        key, kind = event.progress_id, LESSON_COMPLETED
        message = pb.EducationLessonCompleted(
            progress_id=event.progress_id,
            household_id=event.household_id,
            member=event.member,
            episode_id=event.episode_id,
            series_id=event.series_id,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.SignedUp):
        key, kind = event.session_id, SIGNED_UP
        message = pb.EducationSignedUp(
            session_id=event.session_id,
            sign_up_id=event.sign_up_id,
            household_id=event.household_id,
            member=event.member,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.SignUpCancelled):
        key, kind = event.session_id, SIGN_UP_CANCELLED
        message = pb.EducationSignUpCancelled(
            session_id=event.session_id,
            sign_up_id=event.sign_up_id,
            household_id=event.household_id,
            member=event.member,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.PlaceOffered):
        key, kind = event.session_id, PLACE_OFFERED
        message = pb.EducationPlaceOffered(
            session_id=event.session_id,
            sign_up_id=event.sign_up_id,
            household_id=event.household_id,
            member=event.member,
            at=to_timestamp(event.at),
        )
        if event.expires_at is not None:
            message.expires_at.CopyFrom(to_timestamp(event.expires_at))
    elif isinstance(event, domain.CheckedIn):
        key, kind = event.session_id, CHECKED_IN
        message = pb.EducationCheckedIn(
            session_id=event.session_id,
            sign_up_id=event.sign_up_id,
            household_id=event.household_id,
            member=event.member,
            status=event.status,
            by=event.by,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.CertificateIssued):
        key, kind = event.certificate_id, CERTIFICATE_ISSUED
        message = pb.EducationCertificateIssued(
            certificate_id=event.certificate_id,
            series_id=event.series_id,
            household_id=event.household_id,
            member=event.member,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.ProgrammeStartingSoon):
        key, kind = event.slot_id, STARTING_SOON
        message = pb.EducationProgrammeStartingSoon(
            slot_id=event.slot_id,
            series_id=event.series_id,
            series_title=event.series_title,
            episode_title=event.episode_title,
            town_code=event.town_code,
            channel_name=event.channel_name,
            starts_at=to_timestamp(event.starts_at),
            household_ids=list(event.household_ids),
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.QuestionAsked):
        key, kind = event.episode_id, QUESTION_ASKED
        message = pb.EducationQuestionAsked(
            question_id=event.question_id,
            episode_id=event.episode_id,
            series_id=event.series_id,
            household_id=event.household_id,
            at=to_timestamp(event.at),
        )
    elif isinstance(event, domain.EpisodeRated):
        key, kind = event.episode_id, EPISODE_RATED
        message = pb.EducationEpisodeRated(
            rating_id=event.rating_id,
            episode_id=event.episode_id,
            series_id=event.series_id,
            household_id=event.household_id,
            level=event.level,
            at=to_timestamp(event.at),
        )
    else:
        raise TypeError(f"education publishes no {type(event).__name__}")
    outbox.publish(s, topic=TOPIC, key=key, message=message, event_type=kind, source=SOURCE)


# --- what education consumes ---

ALERT_BROADCAST = "sbc.alerts.broadcast.v1"  # the alerts service's broadcast (its topic of the same name)
ALERT_ENDS = {"cancel", "expire"}  # the broadcast kinds that end an alert


def _time_of(event: Event) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(event.time)
    except ValueError:
        return utcnow()
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def on_alert_broadcast(s: Session, event: Event) -> None:
    """An emergency alert takes precedence over any programme on the loudspeakers (drills do not)."""
    from education import handlers, store  # the store imports this module

    b = event.decode(alert_events_pb2.AlertBroadcast)
    if b.drill:
        return
    expires = b.expires.ToDatetime(dt.UTC) if b.HasField("expires") else None
    # What was on air when the alert was broadcast is what it cut.
    at = _time_of(event)
    handlers.alert_broadcast(
        store.UnitOfWork.joining(s),
        store.load_districts(),
        b.alert_id,
        list(b.area_codes),
        expires,
        b.kind in ALERT_ENDS,
        at,
    )


# Events of other services this one applies: {event type: handler(session, event)}.
HANDLERS: dict = {ALERT_BROADCAST: on_alert_broadcast}
