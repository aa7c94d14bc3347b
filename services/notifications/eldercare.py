"""Eldercare's medication on the households' terminals: each reminder of a dose due goes to the
elder's own household (该吃药了 on the elder's TV), a dose missed to each bound family household
(漏服药), an alarm's family reminders to the elder's household and each bound family household,
and the rater of a 差评 told of its call back and its fix. Words from the catalog's
"eldercare" section; each event pushed once per household."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from notifications import domain, handlers
from runtime.events import Event
from runtime.times import utcnow
from sbc.events.v1 import eldercare_events_pb2 as pb

DOSE_REMINDED = "sbc.eldercare.dose.reminded.v1"
DOSE_MISSED = "sbc.eldercare.dose.missed.v1"
DOSE_DUE_KIND = "eldercare.dose_due"
DOSE_MISSED_KIND = "eldercare.dose_missed"
RECTIFICATION_CHANGED = "sbc.eldercare.rectification.changed.v1"
ALARM_REMINDED = "sbc.eldercare.alarm.reminded.v1"
ALARM_REMINDED_KIND = "eldercare.alarm_reminded"
RECTIFICATION_KINDS = {"called_back": "eldercare.rectification_called_back", "fixed": "eldercare.rectification_fixed"}
# What its messages open on the TV and the phone: eldercare's screen.
SCREEN = "eldercare"


def words(language: str) -> dict:
    from notifications.events import messages  # events imports this module

    return messages(language)["eldercare"]


def _fields(w: dict, medicine: str, dose: str, due_at: dt.datetime, elder: str = "") -> dict:
    t = due_at.astimezone(ZoneInfo(w["time_zone"]))
    return {"medicine": medicine, "dose": dose, "time": f"{t:%H:%M}", "elder": elder or w["elder_fallback"]}


def dose_due(language: str, medicine: str, dose: str, due_at: dt.datetime) -> domain.Notice:
    w = words(language)
    f = _fields(w, medicine, dose, due_at)
    told = w["dose_due"]
    return domain.Notice(DOSE_DUE_KIND, told["title"].format(**f), told["body"].format(**f), SCREEN)


def dose_missed(language: str, medicine: str, dose: str, due_at: dt.datetime, elder: str) -> domain.Notice:
    w = words(language)
    f = _fields(w, medicine, dose, due_at, elder)
    told = w["dose_missed"]
    return domain.Notice(DOSE_MISSED_KIND, told["title"].format(**f), told["body"].format(**f), SCREEN)


def alarm_reminded(language: str, type: str, repeat: int) -> domain.Notice:
    w = words(language)["alarm_reminded"]
    name = w["names"].get(type, w["name_fallback"])
    return domain.Notice(
        ALARM_REMINDED_KIND, w["title"].format(name=name), w["body"].format(name=name, n=repeat + 1), SCREEN
    )


def rectification(language: str, subject: str, state: str) -> domain.Notice | None:
    """What the rater of a 差评 is told of its rectification: the call back, then the fix."""
    w = words(language)["rectification"]
    if state not in RECTIFICATION_KINDS:
        return None
    told = w[state]
    about = w["subjects"].get(subject, w["subjects"]["care_order"])
    return domain.Notice(RECTIFICATION_KINDS[state], told["title"], told["body"].format(subject=about), SCREEN)


def cause_for(event: Event, household_id: str) -> str:
    """One message per event and household: a missed dose tells several families, each once."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event.id}/{household_id}"))


def _tell(s: Session, household_id: str, notice: domain.Notice, cause_id: str) -> None:
    from notifications.store import UnitOfWork  # the store imports events, which imports this module

    handlers.tell_household(UnitOfWork.joining(s), household_id, notice, cause_id, utcnow())


def on_dose_reminded(s: Session, event: Event) -> None:
    from notifications.events import CITIZENS

    e = event.decode(pb.EldercareDoseReminded)
    if e.where.household_id:
        notice = dose_due(CITIZENS, e.medicine, e.dose, e.due_at.ToDatetime(dt.UTC))
        _tell(s, e.where.household_id, notice, event.id)


def on_dose_missed(s: Session, event: Event) -> None:
    from notifications.events import CITIZENS

    e = event.decode(pb.EldercareDoseMissed)
    notice = dose_missed(CITIZENS, e.medicine, e.dose, e.due_at.ToDatetime(dt.UTC), e.elder_name)
    for household_id in dict.fromkeys(e.family_household_ids):
        if household_id:
            _tell(s, household_id, notice, cause_for(event, household_id))


def on_alarm_reminded(s: Session, event: Event) -> None:
    """The escalation's family step: the elder's household and each bound family household, each
    reminder once (later steps go to the caregiver and the care centre's live page)."""
    from notifications.events import CITIZENS

    e = event.decode(pb.EldercareAlarmReminded)
    if e.who != "family":
        return
    notice = alarm_reminded(CITIZENS, e.type, e.repeat)
    for household_id in dict.fromkeys([e.where.household_id, *e.family_household_ids]):
        if household_id:
            _tell(s, household_id, notice, cause_for(event, household_id))


def on_rectification_changed(s: Session, event: Event) -> None:
    from notifications.events import CITIZENS

    e = event.decode(pb.EldercareRectificationChanged)
    notice = rectification(CITIZENS, e.subject, e.state)
    if notice is not None and e.rated_by:
        _tell(s, e.rated_by, notice, event.id)


HANDLERS = {
    DOSE_REMINDED: on_dose_reminded,
    DOSE_MISSED: on_dose_missed,
    RECTIFICATION_CHANGED: on_rectification_changed,
    ALARM_REMINDED: on_alarm_reminded,
}
