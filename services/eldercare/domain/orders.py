"""Care orders: a doctor's visit, transport, meals, housekeeping or companionship for an elder,
ordered by bound family or care staff from one of the kind's providers (data: care.json), due
within the kind's working days (services/rules/deadlines.py), accepted and done by the care staff
of the elder's area, rated 好差评 once done (services/rules/ratings.py), cancelled before it is done."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from eldercare.domain.alarms import Where, who
from rules import ratings
from rules.deadlines import add_working_days
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, check_text, require
from runtime.uow import Aggregate

MAX_DETAILS = 500
MAX_NOTE = 1000


class OrderState:
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OrderKind:
    key: str
    name: str
    working_days: int
    providers: tuple[str, ...]


@dataclass(frozen=True)
class OrderRules:
    """From the data: the kinds, the district's time zone, and how orders are rated."""

    kinds: Mapping[str, OrderKind]
    tz: dt.tzinfo
    indicators: tuple[str, ...]
    reasons: tuple[str, ...]
    max_comment: int


@dataclass(frozen=True)
class CareOrderChanged:
    order_id: str
    where: Where
    kind: str
    state: str
    rating: str
    at: dt.datetime


class CareOrder(Aggregate):
    def __init__(
        self,
        id: str,
        elder_id: str,
        household_id: str,
        area_code: str,
        kind: str,
        details: str,
        provider: str,
        state: str,
        created_by: str,
        created_at: dt.datetime,
        deadline: dt.datetime,
        accepted_at: dt.datetime | None = None,
        accepted_by: str = "",
        done_at: dt.datetime | None = None,
        done_by: str = "",
        note: str = "",
        cancelled_at: dt.datetime | None = None,
        rating_level: str = "",
        rating_indicators: str = "{}",
        rating_comment: str = "",
        rating_reasons: str = "[]",
        rated_at: dt.datetime | None = None,
        rated_by: str = "",
    ):
        self.id = id
        self.elder_id = elder_id
        self.household_id = household_id
        self.area_code = area_code
        self.kind = kind
        self.details = details
        self.provider = provider
        self.state = state
        self.created_by = created_by
        self.created_at = created_at
        self.deadline = deadline
        self.accepted_at = accepted_at
        self.accepted_by = accepted_by
        self.done_at = done_at
        self.done_by = done_by
        self.note = note
        self.cancelled_at = cancelled_at
        self.rating_level = rating_level
        self.rating_indicators = rating_indicators
        self.rating_comment = rating_comment
        self.rating_reasons = rating_reasons
        self.rated_at = rated_at
        self.rated_by = rated_by

    @classmethod
    def order(
        cls, caller: Caller, where: Where, kind: str, details: str, provider: str, rules: OrderRules, now: dt.datetime
    ) -> CareOrder:
        """Whether the caller may order for the elder is the handler's check."""
        found = rules.kinds.get(kind)
        if found is None:
            raise InvalidArgument(f"kind is one of {', '.join(rules.kinds)}", {"kind": "unknown"})
        require({"provider": provider})
        check_text({"details": (details, MAX_DETAILS)}, multiline={"details"})
        if provider not in found.providers:
            raise NotFound(f"no provider {provider[:60]!r} of {found.name}", {"provider": "not found"})
        deadline = add_working_days(now, found.working_days, rules.tz)
        o = cls(
            str(uuid.uuid4()),
            where.elder_id,
            where.household_id,
            where.area_code,
            kind,
            details,
            provider,
            OrderState.REQUESTED,
            who(caller),
            now,
            deadline,
        )
        o._changed(now)
        return o

    @property
    def where(self) -> Where:
        return Where(self.elder_id, self.household_id, self.area_code)

    def overdue(self, now: dt.datetime) -> bool:
        return self.state in (OrderState.REQUESTED, OrderState.ACCEPTED) and now >= self.deadline

    def accept(self, caller: Caller, now: dt.datetime) -> None:
        """Care staff take it on (the handler checks they are the elder's)."""
        if self.state != OrderState.REQUESTED:
            raise FailedPrecondition(
                f"this order is {self.state}: only a requested one is accepted", {"state": self.state}
            )
        self.state, self.accepted_at, self.accepted_by = OrderState.ACCEPTED, now, who(caller)
        self._changed(now)

    def complete(self, caller: Caller, note: str, now: dt.datetime) -> None:
        require({"note": note})
        check_text({"note": (note, MAX_NOTE)}, multiline={"note"})
        if self.state != OrderState.ACCEPTED:
            raise FailedPrecondition(f"this order is {self.state}: accept it before it is done", {"state": self.state})
        self.state, self.done_at, self.done_by, self.note = OrderState.DONE, now, who(caller), note
        self._changed(now)

    def cancel(self, now: dt.datetime) -> None:
        if self.state not in (OrderState.REQUESTED, OrderState.ACCEPTED):
            raise FailedPrecondition(f"this order is {self.state}: it cannot be cancelled", {"state": self.state})
        self.state, self.cancelled_at = OrderState.CANCELLED, now
        self._changed(now)

    def rate(
        self,
        caller: Caller,
        level: str,
        indicators: Mapping[str, int],
        comment: str,
        reasons: Collection[str],
        rules: OrderRules,
        now: dt.datetime,
    ) -> ratings.Rating:
        """好差评 once it is done, one rating per order."""
        rating = ratings.Rating.give(
            level,
            indicators,
            comment,
            now,
            named=rules.indicators,
            max_comment=rules.max_comment,
            already=self.rating_level,
            case="care order",
            reasons=reasons,
            labels=rules.reasons,
        )
        if self.state != OrderState.DONE:
            raise FailedPrecondition("a care order is rated once it is done", {"state": self.state})
        self.rating_level, self.rating_comment, self.rated_at, self.rated_by = rating.level, comment, now, who(caller)
        self.rating_indicators = json.dumps(dict(rating.indicators), sort_keys=True)
        self.rating_reasons = json.dumps(list(rating.reasons), ensure_ascii=False)
        self._changed(now)
        return rating

    def _changed(self, now: dt.datetime) -> None:
        self.record(CareOrderChanged(self.id, self.where, self.kind, self.state, self.rating_level, now))
