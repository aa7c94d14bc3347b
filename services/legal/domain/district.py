"""A district's data (services/legal/data/<district code>.json): the content's kinds, topics and
audiences with their labels and limits, the consultations' deadline, and the roster of the
villages' legal advisors (one lawyer, at most 5 villages: checked when the data loads)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from legal.domain.duties import DutyRules
from legal.domain.quizzes import Quizzes
from legal.domain.roles import Role
from legal.domain.volunteers import VolunteerRules
from runtime.auth import Caller
from runtime.errors import NotFound

__all__ = ["Role", "District", "Districts", "Advisor", "ConsultationRules"]

MAX_VILLAGES_PER_ADVISOR = 5


@dataclass(frozen=True)
class Advisor:
    username: str
    name: str
    villages: tuple[str, ...]


@dataclass(frozen=True)
class ConsultationRules:
    """How long an advisor has to answer (working time), when a question escalates to the office,
    the limits of what is written, the topics and the 好差评 of an answer."""

    answer_within: dt.timedelta
    opens: dt.time
    closes: dt.time
    every_day: bool
    escalate_at_percent: tuple[int, ...]
    escalate_to: str
    max_question: int
    max_answer: int
    max_follow_ups: int
    topics: Mapping[str, str]
    rating_indicators: Mapping[str, str]
    rating_reasons: Mapping[str, str]
    max_comment: int
    # What a TV offers with the remote: short questions per topic, and the request to call back.
    ready_questions: Mapping[str, tuple[str, ...]]
    call_back_request: str
    # The number a call-back request is to be called back on (a mainland mobile number).
    call_back_phone: re.Pattern

    @classmethod
    def of(cls, c: Mapping) -> ConsultationRules:
        hours = c["working_hours"]
        rules = cls(
            dt.timedelta(hours=float(c["answer_within_working_hours"])),
            dt.time.fromisoformat(hours["start"]),
            dt.time.fromisoformat(hours["end"]),
            bool(hours.get("every_day", False)),
            tuple(sorted(int(p) for p in c["escalate_at_percent"])),
            c["escalate_to"],
            int(c["max_question"]),
            int(c["max_answer"]),
            int(c["max_follow_ups"]),
            dict(c["topics"]),
            dict(c["rating"]["indicators"]),
            dict(c["rating"]["reasons"]),
            int(c["rating"]["max_comment"]),
            {t: tuple(qs) for t, qs in c.get("ready_questions", {}).items()},
            str(c.get("call_back_request", "")),
            re.compile(c["call_back_phone"]["pattern"]),
        )
        ready = [q for qs in rules.ready_questions.values() for q in qs] + [rules.call_back_request]
        if set(rules.ready_questions) - set(rules.topics) or any(len(q) > rules.max_question for q in ready):
            raise ValueError("consultation: ready questions of the district's topics, within the question's limit")
        if rules.answer_within <= dt.timedelta(0) or rules.opens >= rules.closes or not rules.escalate_at_percent:
            raise ValueError("consultation: a positive answer time, opening hours and escalation thresholds")
        return rules


class District:
    def __init__(self, data: Mapping):
        self.code: str = data["district"]["code"]
        self.name: str = data["district"]["name"]
        self.zone = ZoneInfo(data["district"]["time_zone"])
        self.office: str = data["district"]["office"]
        c = data["content"]
        self.kinds: dict[str, str] = dict(c["kinds"])
        self.kinds_with_topic = frozenset(c["kinds_with_topic"])
        self.kinds_with_video = frozenset(c["kinds_with_video"])
        self.topics: dict[str, str] = dict(c["topics"])
        self.audiences: dict[str, str] = dict(c["audiences"])
        self.limits: dict[str, int] = dict(c["limits"])
        self.consultation = ConsultationRules.of(data["consultation"])
        self.volunteering = VolunteerRules.of(data["volunteering"])
        self.quizzes = Quizzes(data["quizzes"], self.topics)
        self.duties = DutyRules.of(data["advisor_duties"])
        self.advisors = {
            a["username"]: Advisor(a["username"], a["name"], tuple(a["villages"])) for a in data["advisors"]
        }
        self._advisor_of: dict[str, Advisor] = {}
        for a in self.advisors.values():
            if not 1 <= len(a.villages) <= MAX_VILLAGES_PER_ADVISOR:
                raise ValueError(f"{self.code}: advisor {a.username} serves {len(a.villages)} villages (1..5)")
            for v in a.villages:
                if not (len(v) == 12 and v.isdigit() and v.startswith(self.code)):
                    raise ValueError(f"{self.code}: advisor {a.username}: {v!r} is not a village of the district")
                if v in self._advisor_of:
                    raise ValueError(f"{self.code}: village {v} has two advisors")
                self._advisor_of[v] = a

    def villages_of(self, username: str) -> tuple[str, ...]:
        advisor = self.advisors.get(username)
        return advisor.villages if advisor else ()

    def advisor_of(self, village: str) -> Advisor:
        advisor = self._advisor_of.get(village)
        if advisor is None:
            raise NotFound(f"village {village} has no legal advisor on the roster", {"area_code": "no legal advisor"})
        return advisor


class Districts:
    def __init__(self, districts: Iterable[District]):
        self.by_code = {d.code: d for d in districts}

    def of(self, area_code: str) -> District:
        district = self.by_code.get(area_code[:6])
        if district is None:
            raise NotFound(f"no legal service in area {area_code!r}", {"area_code": "not served"})
        return district

    def of_caller(self, caller: Caller) -> District:
        return self.of(caller.area_code)
