"""Culture and tourism on the households' TVs: when places come free in a full entry slot, the
household first on its waiting list is offered them (tourism's reservation.changed, state offered)
and told so (候补到号: the venue, the slot and until when the places are kept). Words from the
catalog's "tourism" section; one push per offer (the consumer's idempotency: the event's id)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from notifications import domain, handlers
from runtime.events import Event
from runtime.times import utcnow
from sbc.events.v1 import tourism_events_pb2 as pb

RESERVATION_CHANGED = "sbc.tourism.reservation.changed.v1"
OFFERED = "offered"
OFFER_KIND = "tourism.offer"
# The TV screen of one ticket (a reservation), which an offer opens.
TICKET_SCREEN = "tourism.ticket"


def words(language: str) -> dict:
    from notifications.events import messages  # events imports this module

    return messages(language)["tourism"]


def offer(
    language: str, venue: str, starts_at: dt.datetime, expires_at: dt.datetime, reservation_id: str = ""
) -> domain.Notice:
    w = words(language)
    zone = ZoneInfo(w["time_zone"])

    def when(at: dt.datetime) -> str:
        at = at.astimezone(zone)
        return w["date_time"].format(month=at.month, day=at.day, time=f"{at:%H:%M}")

    fields = {"venue": venue or w["venue_fallback"], "slot": when(starts_at), "until": when(expires_at)}
    told = w["offer"]
    return domain.Notice(
        OFFER_KIND,
        told["title"].format(**fields),
        told["body"].format(**fields),
        domain.opens(TICKET_SCREEN, reservation_id),
    )


def on_reservation_changed(s: Session, event: Event) -> None:
    """Only an offer to a household tells anyone (an agent's group has no household's TV)."""
    from notifications.events import CITIZENS
    from notifications.store import UnitOfWork  # the store imports events, which imports this module

    e = event.decode(pb.TourismReservationChanged)
    if e.state != OFFERED or not e.household_id or not e.HasField("expires_at"):
        return
    notice = offer(
        CITIZENS, e.venue_name, e.starts_at.ToDatetime(dt.UTC), e.expires_at.ToDatetime(dt.UTC), e.reservation_id
    )
    handlers.tell_household(UnitOfWork.joining(s), e.household_id, notice, event.id, utcnow())


HANDLERS = {RESERVATION_CHANGED: on_reservation_changed}
