"""The assessment read model: built from the service desk's own events on
Kafka (python -m servicedesk assess), never from the request tables, so it
could live in any service. Handlers are idempotent through the runtime's
Consumer (event ids recorded with the effect); each event carries what it
changes, so applying one twice changes nothing either."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from runtime.events import Event
from sbc.events.v1 import servicedesk_events_pb2 as ev
from servicedesk import events
from servicedesk.store import AssessmentCaseRow


def when(ts) -> dt.datetime | None:
    return ts.ToDatetime(dt.UTC) if ts.seconds or ts.nanos else None


def _case(s: Session, request_id: str) -> AssessmentCaseRow | None:
    return s.get(AssessmentCaseRow, request_id)


def on_submitted(s: Session, event: Event) -> None:
    e = event.decode(ev.ServiceRequestSubmitted)
    if _case(s, e.request_id) is None:
        s.add(
            AssessmentCaseRow(
                request_id=e.request_id,
                service_point_code=e.service_point_code,
                service_type=e.service_type,
                channel=e.channel,
                submitted_at=when(e.submitted_at),
                deadline_at=when(e.deadline),
                state="submitted",
            )
        )


def on_transitioned(s: Session, event: Event) -> None:
    e = event.decode(ev.ServiceRequestTransitioned)
    row = _case(s, e.request_id)
    if row is None:
        row = AssessmentCaseRow(
            request_id=e.request_id, service_type=e.service_type, channel=e.channel, submitted_at=when(e.submitted_at)
        )
        s.add(row)
    row.service_point_code = e.service_point_code
    row.deadline_at = when(e.deadline)
    row.state = e.to_state
    row.compensation_fen = e.compensation_fen
    if e.to_state == "resolved":
        row.resolved_at = when(e.at)


def on_rated(s: Session, event: Event) -> None:
    e = event.decode(ev.ServiceRequestRated)
    row = _case(s, e.request_id)
    if row is not None:
        row.rating_level = e.level
        row.rectification_deadline = when(e.rectification_deadline)


def on_followed_up(s: Session, event: Event) -> None:
    e = event.decode(ev.RectificationFollowedUp)
    row = _case(s, e.request_id)
    if row is not None:
        row.rectified_at = when(e.at)


HANDLERS = {
    events.REQUEST_SUBMITTED: on_submitted,
    events.REQUEST_TRANSITIONED: on_transitioned,
    events.REQUEST_RATED: on_rated,
    events.RECTIFICATION_FOLLOWED_UP: on_followed_up,
}
