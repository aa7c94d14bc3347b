"""Education's reminders on the households' TVs: a programme of a series the household follows
starts soon in its town (快开播了), each household told once. Words from the catalog's
"education" section; a reminder read after its programme began is not pushed."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from notifications import domain, handlers
from runtime.events import Event
from runtime.times import utcnow
from sbc.events.v1 import education_events_pb2 as pb

STARTING_SOON = "sbc.education.programme.starting_soon.v1"
STARTING_SOON_KIND = "education.starting_soon"
# What its messages open on the TV: the town's programmes.
SCREEN = "education"


def words(language: str) -> dict:
    from notifications.events import messages  # events imports this module

    return messages(language)["education"]


def starting_soon(
    language: str, series: str, episode: str, channel: str, starts_at: dt.datetime, reminded_at: dt.datetime
) -> domain.Notice:
    w = words(language)
    t = starts_at.astimezone(ZoneInfo(w["time_zone"]))
    f = {
        "series": series,
        "episode": episode,
        "channel": channel,
        "time": f"{t:%H:%M}",
        "minutes": max(1, round((starts_at - reminded_at).total_seconds() / 60)),
    }
    told = w["starting_soon"]
    return domain.Notice(STARTING_SOON_KIND, told["title"].format(**f), told["body"].format(**f), SCREEN)


def on_starting_soon(s: Session, event: Event) -> None:
    from notifications.events import CITIZENS
    from notifications.store import UnitOfWork  # the store imports events, which imports this module

    e = event.decode(pb.EducationProgrammeStartingSoon)
    starts_at, now = e.starts_at.ToDatetime(dt.UTC), utcnow()
    if starts_at <= now:
        return  # read too late: the programme has begun
    reminded_at = e.at.ToDatetime(dt.UTC) if e.HasField("at") else now
    notice = starting_soon(CITIZENS, e.series_title, e.episode_title, e.channel_name, starts_at, reminded_at)
    for household_id in dict.fromkeys(e.household_ids):
        if household_id:
            cause = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event.id}/{household_id}"))
            handlers.tell_household(UnitOfWork.joining(s), household_id, notice, cause, now)


HANDLERS = {STARTING_SOON: on_starting_soon}
