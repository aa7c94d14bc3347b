"""好差评: how citizens rate a case (一事一评) or a visit (一次一评), the same in every service.

Five levels, of which the last two are bad; indicators (named by the service: efficiency,
attitude, ...) each scored 1 to 5; reasons, each a label the service names (e.g. "办事效率低");
one rating per case; a bad rating opens a rectification case: the citizen called back within a
number of hours (1 day: GB/T 39734) and the fix within a number of working days (15 in Zhejiang),
after which the citizen may rate once more (the service's catalog says how long each may take).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from rules.deadlines import add_working_days
from runtime.errors import FailedPrecondition, InvalidArgument, text_errors

# 非常满意, 满意, 基本满意, 不满意, 非常不满意
LEVELS = ("very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied")
SATISFIED_LEVELS = LEVELS[:3]
BAD_LEVELS = LEVELS[3:]
LOWEST_SCORE, HIGHEST_SCORE = 1, 5


def is_bad(level: str) -> bool:
    return level in BAD_LEVELS


def is_satisfied(level: str) -> bool:
    return level in SATISFIED_LEVELS


class AlreadyRated(FailedPrecondition):
    """One rating per case: a second one is refused."""


@dataclass(frozen=True)
class Rating:
    level: str
    at: dt.datetime
    indicators: Mapping[str, int] = field(default_factory=dict)
    comment: str = ""
    reasons: tuple[str, ...] = ()

    @property
    def bad(self) -> bool:
        return is_bad(self.level)

    @classmethod
    def give(
        cls,
        level: str,
        indicators: Mapping[str, int],
        comment: str,
        at: dt.datetime,
        *,
        named: Collection[str],
        max_comment: int,
        already: str = "",
        case: str = "case",
        reasons: Collection[str] = (),
        labels: Collection[str] = (),
        again: bool = False,
    ) -> Rating:
        """A citizen's rating of a `case` already rated at level `already` ("": not yet), with
        the indicators the service `named`, a comment of at most `max_comment` characters and
        `reasons` among the service's `labels` (a service that names none takes none); `again`:
        the once-more rating after a bad rating's fix."""
        check(level, indicators, comment, named=named, max_comment=max_comment)
        check_reasons(reasons, labels)
        if already and not again:
            raise AlreadyRated(f"this {case} has been rated already (one rating per {case})")
        return cls(level, at, dict(indicators), comment, tuple(reasons))


def errors(
    level: str, indicators: Mapping[str, int], comment: str, *, named: Collection[str], max_comment: int
) -> dict[str, str]:
    """What is wrong with a rating, by field."""
    found = {}
    if level not in LEVELS:
        found["level"] = f"one of {', '.join(LEVELS)}"
    unknown = set(indicators) - set(named)
    if unknown:
        found["indicators"] = f"only {', '.join(named)}"
    elif any(not LOWEST_SCORE <= v <= HIGHEST_SCORE for v in indicators.values()):
        found["indicators"] = f"each from {LOWEST_SCORE} to {HIGHEST_SCORE}"
    found.update(text_errors({"comment": (comment, max_comment)}, multiline={"comment"}))
    return found


def check(level: str, indicators: Mapping[str, int], comment: str, *, named: Collection[str], max_comment: int) -> None:
    """Raise InvalidArgument naming every field of the rating that is wrong."""
    found = errors(level, indicators, comment, named=named, max_comment=max_comment)
    if found:
        raise InvalidArgument("invalid rating: " + ", ".join(found), found)


MAX_REASONS = 10


def check_reasons(reasons: Collection[str], labels: Collection[str]) -> None:
    """Reasons are labels the service names, each at most once."""
    reasons = list(reasons)
    if len(reasons) > MAX_REASONS or len(set(reasons)) != len(reasons) or set(reasons) - set(labels):
        raise InvalidArgument(
            "invalid reasons: each a label of the service, once", {"reasons": f"among {', '.join(labels) or 'none'}"}
        )


def rectification_deadline(
    rated_at: dt.datetime, working_days: int, tz: dt.tzinfo, holidays: Collection[dt.date] = ()
) -> dt.datetime:
    """When the rectification a bad rating opens must be followed up by."""
    return add_working_days(rated_at, working_days, tz, holidays)


def call_back_deadline(rated_at: dt.datetime, hours: float) -> dt.datetime:
    """When the citizen who gave a bad rating must have been called back (GB/T 39734: 1 day)."""
    return rated_at + dt.timedelta(hours=hours)


def invitation_at(completed_at: dt.datetime, days: float) -> dt.datetime:
    """When a case still unrated is invited to be rated (GB/T 39734 leaves the days to the service)."""
    return completed_at + dt.timedelta(days=days)


def invite_if_completed_by(now: dt.datetime, days: float) -> dt.datetime:
    """The latest completion whose unrated case is invited by `now` (the inverse of invitation_at)."""
    return now - dt.timedelta(days=days)


@dataclass(frozen=True)
class Rectification:
    """A bad rating's case: a call back to the citizen, then the fix, each once and in that order;
    after the fix the citizen may rate once more. `called_back_at`/`fixed_at` are None until done."""

    called_back_at: dt.datetime | None
    fixed_at: dt.datetime | None

    def check_call_back(self, bad: bool) -> None:
        if not bad:
            raise FailedPrecondition("only a bad rating opens a rectification case")
        if self.called_back_at is not None:
            raise FailedPrecondition("the call back is recorded already")

    def check_fix(self, bad: bool) -> None:
        if not bad:
            raise FailedPrecondition("only a bad rating opens a rectification case")
        if self.called_back_at is None:
            raise FailedPrecondition("call the citizen back before recording the fix")
        if self.fixed_at is not None:
            raise FailedPrecondition("the fix is recorded already")

    @property
    def may_rate_again(self) -> bool:
        return self.fixed_at is not None
