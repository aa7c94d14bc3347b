"""The read model's subjects: each holds what the events said of one request, application, alarm,
slot or rating, and says which counters it adds to (its contributions). Applying an event
recomputes a subject's contributions; the store adds the difference to the counters, so the
counters always equal the sum over the subjects as they stand, whatever order updates came in."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from rules import ratings

DISTRICT_TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
COMPLAINT = "complaint"


@dataclass(frozen=True, order=True)
class Tally:
    """A counter's key: the day (district time), its area, and what it counts."""

    day: dt.date
    district: str
    town: str
    point: str
    measure: str


Contribution = Counter[Tally]  # what a subject adds to each counter


def diff(before: Contribution, after: Contribution) -> dict[Tally, int]:
    out: dict[Tally, int] = {}
    for key in set(before) | set(after):
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            out[key] = change
    return out


def local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(DISTRICT_TZ).date()


def _iso(at: dt.datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _at(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def area_of(area_code: str) -> tuple[str, str]:
    """District (6 digits) and town (9 digits) of an area code; '' where it does not say."""
    return (area_code[:6] if len(area_code) >= 6 else ""), (area_code[:9] if len(area_code) >= 9 else "")


class Subject:
    """One thing several events speak of, as the read model keeps it (a JSON-able state)."""

    kind: ClassVar[str]
    DATES: ClassVar[tuple[str, ...]] = ()

    def __init__(self, key: str, **state: Any):
        self.key = key
        self.state = state

    def to_json(self) -> dict:
        return {k: (_iso(v) if k in self.DATES else v) for k, v in self.state.items()}

    @classmethod
    def from_json(cls, key: str, data: dict) -> Subject:
        return cls(key, **{k: (_at(v) if k in cls.DATES else v) for k, v in data.items()})

    def contributions(self) -> Contribution:  # pragma: no cover - each kind has its own
        raise NotImplementedError

    def open_deadline(self) -> dt.datetime | None:
        """A deadline still running (overdue once it passes): only a service request has one."""
        return None


class CaseSubject(Subject):
    """A service-desk request, with the assessment's own definitions (servicedesk.domain.assessment):
    counted on the day it was filed, resolved on time or late, rated, its bad rating rectified."""

    kind = "servicedesk"
    DATES = ("submitted_at", "deadline_at", "resolved_at", "rectification_deadline", "rectified_at")

    @classmethod
    def new(cls, request_id: str) -> CaseSubject:
        return cls(
            request_id,
            area_code="",
            point="",
            service_type="",
            submitted_at=None,
            deadline_at=None,
            resolved_at=None,
            rating_level="",
            rectification_deadline=None,
            rectified_at=None,
        )

    def submitted(self, area_code, point, service_type, submitted_at, deadline_at) -> None:
        if self.state["submitted_at"] is None:
            self.state.update(
                area_code=area_code,
                point=point,
                service_type=service_type,
                submitted_at=submitted_at,
                deadline_at=deadline_at,
            )

    def moved(self, area_code, point, service_type, submitted_at, deadline_at, to_state, at) -> None:
        s = self.state
        s["area_code"] = s["area_code"] or area_code
        s["service_type"] = s["service_type"] or service_type
        s["submitted_at"] = s["submitted_at"] or submitted_at
        s["point"], s["deadline_at"] = point, deadline_at
        if to_state == "resolved":
            s["resolved_at"] = at

    def rated(self, level: str, rectification_deadline: dt.datetime | None) -> None:
        self.state.update(rating_level=level, rectification_deadline=rectification_deadline)

    def followed_up(self, at: dt.datetime | None) -> None:
        self.state["rectified_at"] = at

    def open_deadline(self) -> dt.datetime | None:
        s = self.state
        return s["deadline_at"] if s["resolved_at"] is None else None

    def contributions(self) -> Contribution:
        s, out = self.state, Counter[Tally]()
        if s["submitted_at"] is None:
            return out
        district, town = area_of(s["area_code"])
        day, point = local_day(s["submitted_at"]), s["point"]

        def add(measure: str) -> None:
            out[Tally(day, district, town, point, measure)] += 1

        add("sd.filed")
        if s["service_type"] == COMPLAINT:
            add("sd.complaints")
        resolved, deadline = s["resolved_at"], s["deadline_at"]
        if resolved is not None:
            add("sd.resolved")
            if deadline is None or resolved <= deadline:
                add("sd.on_time")
            else:
                add("sd.overdue")
        level = s["rating_level"]
        if level:
            add("sd.rated")
            if ratings.is_satisfied(level):
                add("sd.satisfied")
            if ratings.is_bad(level):
                add("sd.bad")
                add(f"bad.servicedesk.{s['service_type']}")
                rectified, by = s["rectified_at"], s["rectification_deadline"]
                if rectified is not None and by is not None and rectified <= by:
                    add("sd.rectified")
        return out


# E-government's 办结 (egov.domain.applications.COMPLETED): the states its figures count as done.
EGOV_COMPLETED = ("rejected", "approved", "refused", "certificate_ready", "closed")


class ApplicationSubject(Subject):
    """A government application, with e-government's own figures' definitions (egov.domain.figures):
    done (办结) with no visit to a hall or with some, and its rating."""

    kind = "egov"
    DATES = ("started_at",)

    @classmethod
    def new(cls, application_id: str) -> ApplicationSubject:
        return cls(
            application_id, area_code="", item="", started_at=None, state="", visits=0, level="", rectified=False
        )

    def step(self, action: str, to_state: str, area_code: str, item: str, detail: str, at: dt.datetime) -> None:
        s = self.state
        s["area_code"] = s["area_code"] or area_code
        s["item"] = s["item"] or item
        s["started_at"] = s["started_at"] or at
        s["state"] = to_state or s["state"]
        if action == "visited":  # each event is applied once (the consumer's ids), so each visit counts once
            s["visits"] += 1
        if action in ("rated", "rated_again") and detail in ratings.LEVELS:
            s["level"] = detail
        if action == "rectified":
            s["rectified"] = True

    def contributions(self) -> Contribution:
        s, out = self.state, Counter[Tally]()
        district, town = area_of(s["area_code"])
        if not district or s["started_at"] is None or s["state"] not in EGOV_COMPLETED:
            return out  # not done, or a step published before the events said its area
        day = local_day(s["started_at"])

        def add(measure: str) -> None:
            out[Tally(day, district, town, "", measure)] += 1

        add("egov.done")
        if s["visits"] == 0:
            add("egov.no_visit")
        _add_rating(add, "egov", s["level"], s["rectified"], s["item"])
        return out


def _add_rating(add, service: str, level: str, rectified: bool, subject: str) -> None:
    if not level:
        return
    add(f"rating.{service}.rated")
    if ratings.is_satisfied(level):
        add(f"rating.{service}.satisfied")
    if ratings.is_bad(level):
        add(f"rating.{service}.bad")
        add(f"bad.{service}.{subject}")
        if rectified:
            add(f"rating.{service}.rectified")


class AlarmSubject(Subject):
    """An eldercare alarm: raised, and acknowledged within the response time or not."""

    kind = "eldercare"
    DATES = ("raised_at", "acknowledged_at")

    @classmethod
    def new(cls, alarm_id: str) -> AlarmSubject:
        return cls(alarm_id, area_code="", raised_at=None, acknowledged_at=None)

    def raised(self, area_code: str, at: dt.datetime) -> None:
        self.state.update(area_code=area_code or self.state["area_code"], raised_at=at)

    def acknowledged(self, area_code: str, at: dt.datetime) -> None:
        s = self.state
        s["area_code"] = s["area_code"] or area_code
        if s["acknowledged_at"] is None:
            s["acknowledged_at"] = at

    # The response time the acceptance scheme counts (DOMAIN.md: a care centre responds within 10 minutes).
    RESPONSE = dt.timedelta(minutes=10)

    def contributions(self) -> Contribution:
        s, out = self.state, Counter[Tally]()
        district, town = area_of(s["area_code"])
        if not district or s["raised_at"] is None:
            return out
        day = local_day(s["raised_at"])
        out[Tally(day, district, town, "", "eldercare.alarms")] += 1
        ack = s["acknowledged_at"]
        if ack is not None and ack - s["raised_at"] <= self.RESPONSE:
            out[Tally(day, district, town, "", "eldercare.ack_in_time")] += 1
        return out


class SlotSubject(Subject):
    """A farm programme's slot in a town's weekly schedule, counted on the day it plays unless cancelled."""

    kind = "education"
    DATES = ("starts_at",)

    @classmethod
    def new(cls, slot_id: str) -> SlotSubject:
        return cls(slot_id, town="", starts_at=None, cancelled=False)

    def scheduled(self, town: str, starts_at: dt.datetime) -> None:
        self.state.update(town=town, starts_at=starts_at)

    def cancelled(self, town: str) -> None:
        self.state.update(town=self.state["town"] or town, cancelled=True)

    def contributions(self) -> Contribution:
        s, out = self.state, Counter[Tally]()
        district, town = area_of(s["town"])
        if town and s["starts_at"] is not None and not s["cancelled"]:
            out[Tally(local_day(s["starts_at"]), district, town, "", "education.farm_slots")] += 1
        return out


class EpisodeSubject(Subject):
    """An episode's town, so that its listeners' ratings count for that town. It counts nothing itself."""

    kind = "education-episode"

    @classmethod
    def new(cls, episode_id: str) -> EpisodeSubject:
        return cls(episode_id, town="", series="")

    def contributions(self) -> Contribution:
        return Counter[Tally]()


class RatingSubject(Subject):
    """A listener's rating of an episode (one rating, one subject), counted for the episode's town."""

    kind = "education-rating"
    DATES = ("at",)

    @classmethod
    def new(cls, rating_id: str) -> RatingSubject:
        return cls(rating_id, town="", series="", level="", at=None)

    def contributions(self) -> Contribution:
        s, out = self.state, Counter[Tally]()
        district, town = area_of(s["town"])
        if not district or s["at"] is None:
            return out
        day = local_day(s["at"])

        def add(measure: str) -> None:
            out[Tally(day, district, town, "", measure)] += 1

        _add_rating(add, "education", s["level"], False, s["series"] or "episode")
        return out


KINDS: dict[str, type[Subject]] = {
    k.kind: k for k in (CaseSubject, ApplicationSubject, AlarmSubject, SlotSubject, EpisodeSubject, RatingSubject)
}
