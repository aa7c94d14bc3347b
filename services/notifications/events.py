"""What notifications publishes (through its outbox: each push message on its topic, keyed by
household, for the gateway to stream) and what it consumes (HANDLERS, for its consumer process:
each applied in the consumer's transaction, with the event id it records)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import pathlib
import uuid

from sqlalchemy.orm import Session

from notifications import domain, education, eldercare, handlers, opinions, tourism
from rules.acting import ActorKind
from runtime import outbox
from runtime.events import Event
from runtime.settings import env_float
from runtime.times import to_timestamp, utcnow
from sbc.events.v1 import egov_events_pb2, notification_events_pb2, servicedesk_events_pb2

PUSH_TOPIC = "sbc.notifications.push.v1"
PUSH = "sbc.notifications.push.v1"
SOURCE = "sbc/notifications"

REQUEST_SUBMITTED = "sbc.servicedesk.request.submitted.v1"
REQUEST_TRANSITIONED = "sbc.servicedesk.request.transitioned.v1"
APPLICATION_STEP = "sbc.egov.application.step.v1"
# A step of an application older than this many seconds is not pushed: on a first deploy (or a
# consumer far behind) the TVs would otherwise fill with days of old steps. Egov keeps them all.
EGOV_MAX_AGE_SETTING = "NOTIFICATIONS_EGOV_MAX_AGE_SECONDS"
EGOV_MAX_AGE_DEFAULT = 3600.0
MESSAGES = pathlib.Path(__file__).parent / "data" / "messages"
# The language households read: one catalog, Chinese only.
CITIZENS = "zh-CN"


@functools.cache
def messages(language: str = CITIZENS) -> dict:
    """A language's message file, read once: the service desk's catalog and each domain's section."""
    return json.loads((MESSAGES / f"{language}.json").read_text(encoding="utf-8"))


@functools.cache
def catalog(language: str = CITIZENS) -> domain.Catalog:
    return domain.Catalog.of(messages(language))


def to_proto(m: domain.PushMessage | domain.MessagePushed) -> notification_events_pb2.PushMessage:
    """A push message as terminals get it (on the topic, and from ListMyPushMessages)."""
    return notification_events_pb2.PushMessage(
        id=m.id,
        household_id=m.household_id,
        device_id=m.device_id,
        kind=m.kind,
        title=m.title,
        body=m.body,
        cause_event_id=m.cause_event_id,
        created_at=to_timestamp(m.created_at),
        opens=m.opens,
        staff_subject=m.staff_subject,
    )


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, domain.MessagePushed):
        outbox.publish(
            s,
            topic=PUSH_TOPIC,
            key=event.household_id or event.staff_subject,
            event_type=PUSH,
            source=SOURCE,
            message=to_proto(event),
        )
    else:
        raise TypeError(f"notifications publishes no {type(event).__name__}")


# --- what notifications consumes ---


def _tell(s: Session, household_id: str, notice: domain.Notice | None, cause: Event) -> None:
    from notifications.store import UnitOfWork  # the store imports this module

    handlers.tell_household(UnitOfWork.joining(s), household_id, notice, cause.id, utcnow())


def on_request_submitted(s: Session, event: Event) -> None:
    e = event.decode(servicedesk_events_pb2.ServiceRequestSubmitted)
    notice = domain.request_received(catalog(), e.reference_number, e.service_type, e.request_id)
    _tell(s, e.household_id, notice, event)


def on_request_transitioned(s: Session, event: Event) -> None:
    e = event.decode(servicedesk_events_pb2.ServiceRequestTransitioned)
    _tell(
        s,
        e.household_id,
        domain.request_step(catalog(), e.reference_number, e.service_type, e.to_state, e.reason, e.request_id),
        event,
    )


def on_application_step(s: Session, event: Event) -> None:
    """A step of a household's government application: to the household's terminals (where a
    village agent took the step, the message names them: the household knows who acts for it),
    and to the village agent who filed it for the household (their own message, one per event)."""
    e = event.decode(egov_events_pb2.EgovApplicationStep)
    appointment = None
    if e.HasField("appointment"):
        a = e.appointment
        appointment = domain.Appointment(
            a.hall_name, a.hall_address, a.window_name, a.starts_at.ToDatetime(dt.UTC), a.time_zone
        )
    step = domain.ApplicationStep(
        action=e.action,
        item_name=e.item_name,
        reason=e.reason,
        materials=tuple(e.materials),
        appointment=appointment,
        agent_name=(e.actor_name or e.actor) if e.actor_kind == ActorKind.VILLAGE_AGENT else "",
        application_id=e.application_id,
    )
    max_age = dt.timedelta(seconds=env_float(EGOV_MAX_AGE_SETTING, EGOV_MAX_AGE_DEFAULT))
    at = e.at.ToDatetime(dt.UTC) if e.HasField("at") else None
    notice = None
    if e.household_id and domain.still_news(at, utcnow(), max_age):
        notice = domain.application_step(catalog(), step)
    _tell(s, e.household_id, notice, event)
    if e.agent and notice is not None:
        from notifications.store import UnitOfWork  # the store imports this module

        cause = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event.id}/{e.agent}"))  # (the household's is event.id)
        handlers.tell_staff(UnitOfWork.joining(s), e.agent, notice, cause, utcnow())


HANDLERS = {
    REQUEST_SUBMITTED: on_request_submitted,
    REQUEST_TRANSITIONED: on_request_transitioned,
    APPLICATION_STEP: on_application_step,
    **eldercare.HANDLERS,
    **tourism.HANDLERS,
    **education.HANDLERS,
    **opinions.HANDLERS,
}
