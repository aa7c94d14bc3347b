"""Rectification after a 差评: a bad rating (services/rules/ratings.py) of an alarm's handling or of a
care order opens a case for the care centre of the elder's area: the rater called back within the
hours the data says (GB/T 39734: 1 day), then the fix recorded with the answer the rater reads,
within the working days it says (15 in Zhejiang, services/rules/deadlines.py). The rater (the
elder's household or bound family) sees the case, its deadlines and the answer."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from eldercare.domain.alarms import Where, who
from eldercare.domain.people import require_care_staff
from rules import ratings
from runtime.auth import Caller
from runtime.errors import check_text, require
from runtime.uow import Aggregate

MAX_ANSWER = 1000


class Subject:
    ALARM = "alarm"
    CARE_ORDER = "care_order"


class RectificationState:
    OPEN = "open"  # waiting for the call back
    CALLED_BACK = "called_back"  # the rater was called; the fix is due
    FIXED = "fixed"


@dataclass(frozen=True)
class RectificationRules:
    """From the data: how long the call back and the fix may take, and the district's time zone."""

    call_back_hours: float
    working_days: int
    tz: dt.tzinfo


@dataclass(frozen=True)
class RatingScheme:
    """How a case of a kind is rated: the indicators and reasons it names (care.json)."""

    indicators: tuple[str, ...]
    reasons: tuple[str, ...]
    max_comment: int


@dataclass(frozen=True)
class RectificationChanged:
    rectification_id: str
    where: Where
    subject: str
    subject_id: str
    state: str
    rated_by: str
    at: dt.datetime


class Rectification(Aggregate):
    def __init__(
        self,
        id: str,
        subject: str,
        subject_id: str,
        elder_id: str,
        household_id: str,
        area_code: str,
        rated_by: str,
        level: str,
        comment: str,
        reasons: str,
        opened_at: dt.datetime,
        call_back_by: dt.datetime,
        due_at: dt.datetime,
        called_back_at: dt.datetime | None = None,
        called_back_by: str = "",
        call_back_note: str = "",
        fixed_at: dt.datetime | None = None,
        fixed_by: str = "",
        answer: str = "",
    ):
        self.id = id
        self.subject = subject
        self.subject_id = subject_id
        self.elder_id = elder_id
        self.household_id = household_id
        self.area_code = area_code
        self.rated_by = rated_by
        self.level = level
        self.comment = comment
        self.reasons = reasons  # JSON list
        self.opened_at = opened_at
        self.call_back_by = call_back_by
        self.due_at = due_at
        self.called_back_at = called_back_at
        self.called_back_by = called_back_by
        self.call_back_note = call_back_note
        self.fixed_at = fixed_at
        self.fixed_by = fixed_by
        self.answer = answer

    @classmethod
    def opened_by(
        cls,
        rating: ratings.Rating,
        subject: str,
        subject_id: str,
        where: Where,
        rated_by: str,
        rules: RectificationRules,
    ) -> Rectification | None:
        """The case a rating opens: only a bad one does."""
        if not rating.bad:
            return None
        r = cls(
            str(uuid.uuid4()),
            subject,
            subject_id,
            where.elder_id,
            where.household_id,
            where.area_code,
            rated_by,
            rating.level,
            rating.comment,
            json.dumps(list(rating.reasons), ensure_ascii=False),
            rating.at,
            ratings.call_back_deadline(rating.at, rules.call_back_hours),
            ratings.rectification_deadline(rating.at, rules.working_days, rules.tz),
        )
        r._changed(rating.at)
        return r

    @property
    def where(self) -> Where:
        return Where(self.elder_id, self.household_id, self.area_code)

    @property
    def state(self) -> str:
        if self.fixed_at is not None:
            return RectificationState.FIXED
        return RectificationState.OPEN if self.called_back_at is None else RectificationState.CALLED_BACK

    def overdue(self, now: dt.datetime) -> bool:
        """Past its deadline unfixed, or past the call-back deadline uncalled."""
        if self.fixed_at is not None:
            return False
        return now >= self.due_at or (self.called_back_at is None and now >= self.call_back_by)

    def _rules(self) -> ratings.Rectification:
        return ratings.Rectification(self.called_back_at, self.fixed_at)

    def call_back(self, caller: Caller, note: str, now: dt.datetime) -> None:
        """The care centre called the rater back: what was said."""
        require_care_staff(caller)
        require({"note": note})
        check_text({"note": (note, MAX_ANSWER)}, multiline={"note"})
        self._rules().check_call_back(True)
        self.called_back_at, self.called_back_by, self.call_back_note = now, who(caller), note
        self._changed(now)

    def fix(self, caller: Caller, answer: str, now: dt.datetime) -> None:
        """The fix is done: the answer the rater reads."""
        require_care_staff(caller)
        require({"answer": answer})
        check_text({"answer": (answer, MAX_ANSWER)}, multiline={"answer"})
        self._rules().check_fix(True)
        self.fixed_at, self.fixed_by, self.answer = now, who(caller), answer
        self._changed(now)

    def _changed(self, now: dt.datetime) -> None:
        self.record(
            RectificationChanged(self.id, self.where, self.subject, self.subject_id, self.state, self.rated_by, now)
        )


def rate(
    scheme: RatingScheme,
    level: str,
    indicators: Mapping[str, int],
    comment: str,
    reasons: Collection[str],
    already: str,
    case: str,
    now: dt.datetime,
) -> ratings.Rating:
    """A 好差评 rating of a case of this scheme, once."""
    return ratings.Rating.give(
        level,
        indicators,
        comment,
        now,
        named=scheme.indicators,
        max_comment=scheme.max_comment,
        already=already,
        case=case,
        reasons=reasons,
        labels=scheme.reasons,
    )
