"""Questionnaires (群众意见征集) on the households' TVs and phones: a published questionnaire invites
the households it asks (opinions' households.invited, up to 500 households an event), each told once
(邀请您参与意见征集: who asks, what, until when), the message opening the questionnaire. Words from
the catalog's "opinions" section."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from notifications import domain, handlers
from runtime.events import Event
from runtime.times import utcnow
from sbc.events.v1 import opinions_events_pb2 as pb

INVITED = "sbc.opinions.households.invited.v1"
INVITED_KIND = "opinions.invited"
# What its messages open on the TV and the phone: the questionnaire.
SCREEN = "opinions.questionnaire"


def words(language: str) -> dict:
    from notifications.events import messages  # events imports this module

    return messages(language)["opinions"]


def invited(language: str, title: str, organizer: str, closes_at: dt.datetime, questionnaire_id: str) -> domain.Notice:
    w = words(language)
    at = closes_at.astimezone(ZoneInfo(w["time_zone"]))
    fields = {
        "title": title,
        "organizer": organizer,
        "until": w["date_time"].format(month=at.month, day=at.day, time=f"{at:%H:%M}"),
    }
    told = w["invited"]
    return domain.Notice(
        INVITED_KIND,
        told["title"].format(**fields),
        told["body"].format(**fields),
        domain.opens(SCREEN, questionnaire_id),
    )


def on_invited(s: Session, event: Event) -> None:
    from notifications.events import CITIZENS
    from notifications.store import UnitOfWork  # the store imports events, which imports this module

    e = event.decode(pb.OpinionsHouseholdsInvited)
    closes_at, now = e.closes_at.ToDatetime(dt.UTC), utcnow()
    if closes_at <= now:
        return  # read too late: the questionnaire has closed
    notice = invited(CITIZENS, e.title, e.organizer, closes_at, e.questionnaire_id)
    for household_id in dict.fromkeys(e.household_ids):
        if household_id:
            cause = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event.id}/{household_id}"))
            handlers.tell_household(UnitOfWork.joining(s), household_id, notice, cause, now)


HANDLERS = {INVITED: on_invited}
