"""The assessment read model: built from the service desk's own events on Kafka (python -m
servicedesk assessment), never from the request tables, so it could live in any service. The
runtime's consumer applies each event once (its id recorded with the effect, in the consumer's
transaction, which the handlers join)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from runtime.events import Event
from runtime.times import from_timestamp
from sbc.events.v1 import servicedesk_events_pb2 as ev
from servicedesk import domain, events
from servicedesk.store import UnitOfWork


def on_submitted(s: Session, event: Event) -> None:
    e = event.decode(ev.ServiceRequestSubmitted)
    with UnitOfWork.joining(s) as uow:
        if uow.cases.get(e.request_id) is None:
            uow.cases.add(
                domain.Case(
                    e.request_id,
                    e.service_point_code,
                    e.service_type,
                    e.channel,
                    from_timestamp(e.submitted_at),
                    from_timestamp(e.deadline),
                    domain.State.SUBMITTED,
                )
            )
        uow.commit()


def on_transitioned(s: Session, event: Event) -> None:
    e = event.decode(ev.ServiceRequestTransitioned)
    with UnitOfWork.joining(s) as uow:
        case = uow.cases.get(e.request_id)
        if case is None:  # its submission not seen (yet): the transition says enough of it
            submitted_at = from_timestamp(e.submitted_at)
            case = uow.cases.add(
                domain.Case(e.request_id, e.service_point_code, e.service_type, e.channel, submitted_at, None, "")
            )
        case.moved(
            e.service_point_code, from_timestamp(e.deadline), e.to_state, e.compensation_fen, from_timestamp(e.at)
        )
        uow.commit()


def on_rated(s: Session, event: Event) -> None:
    e = event.decode(ev.ServiceRequestRated)
    with UnitOfWork.joining(s) as uow:
        case = uow.cases.get(e.request_id)
        if case is not None:
            case.rated(e.level, from_timestamp(e.rectification_deadline))
        uow.commit()


def on_followed_up(s: Session, event: Event) -> None:
    e = event.decode(ev.RectificationFollowedUp)
    with UnitOfWork.joining(s) as uow:
        case = uow.cases.get(e.request_id)
        if case is not None:
            case.followed_up(from_timestamp(e.at))
        uow.commit()


HANDLERS = {
    events.REQUEST_SUBMITTED: on_submitted,
    events.REQUEST_TRANSITIONED: on_transitioned,
    events.REQUEST_RATED: on_rated,
    events.RECTIFICATION_FOLLOWED_UP: on_followed_up,
}
