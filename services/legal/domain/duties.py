"""The village legal advisors' duties (一村一法律顾问): per village a monthly contact, a quarterly
visit and an annual lecture (the district's data names them and their periods). The advisor records
what they did for the villages they serve; the judicial office sees every advisor's, done or due or
overdue, on a compliance view."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from legal.domain.roles import Role
from rules.deadlines import PERIODS, calendar_period
from runtime.auth import Caller, CallerKind
from runtime.errors import InvalidArgument, PermissionDenied, text_errors
from runtime.uow import Aggregate

if TYPE_CHECKING:
    from legal.domain.district import District


class Status:
    DONE = "done"  # recorded in the current period
    DUE = "due"  # not yet this period, and the last one was kept
    OVERDUE = "overdue"  # the last period passed without it, and not yet this one


@dataclass(frozen=True)
class Duty:
    code: str
    label: str
    every: str  # month, quarter, year


@dataclass(frozen=True)
class DutyRules:
    duties: Mapping[str, Duty]
    max_note: int
    max_days_back: int

    @classmethod
    def of(cls, d: Mapping) -> DutyRules:
        duties = {code: Duty(code, x["label"], x["every"]) for code, x in d["duties"].items()}
        if not duties or any(x.every not in PERIODS for x in duties.values()):
            raise ValueError(f"advisor duties: at least one, each due once a {', '.join(PERIODS)}")
        return cls(duties, int(d["max_note"]), int(d["max_days_back"]))


@dataclass(frozen=True)
class DutyRecorded:
    record_id: str
    district_code: str
    village_code: str
    advisor: str
    kind: str
    done_on: dt.date
    at: dt.datetime


class DutyRecord(Aggregate):
    """One duty done in a village on a day, recorded by the advisor who serves it."""

    id: str
    district_code: str
    village_code: str
    advisor: str
    advisor_name: str
    kind: str
    done_on: dt.date
    note: str
    recorded_by: str
    recorded_at: dt.datetime

    @classmethod
    def recorded(
        cls,
        caller: Caller,
        district: District,
        village: str,
        kind: str,
        done_on: str,
        note: str,
        now: dt.datetime,
    ) -> DutyRecord:
        if caller.kind != CallerKind.STAFF or Role.LEGAL_ADVISOR not in caller.roles or not caller.username:
            raise PermissionDenied(f"duties are recorded by the village's legal advisor (role {Role.LEGAL_ADVISOR})")
        rules = district.duties
        errors: dict[str, str] = {}
        if kind not in rules.duties:
            errors["kind"] = "one of " + ", ".join(rules.duties)
        if not (len(village) == 12 and village.isdigit()):
            errors["village_code"] = "a village's 12-digit area code"
        day = _day(done_on)
        today = now.astimezone(district.zone).date()
        if day is None:
            errors["done_on"] = "a date, YYYY-MM-DD"
        elif day > today:
            errors["done_on"] = "not in the future"
        elif day < today - dt.timedelta(days=rules.max_days_back):
            errors["done_on"] = f"at most {rules.max_days_back} days back"
        errors.update(text_errors({"note": (note, rules.max_note)}))
        if errors:
            raise InvalidArgument("invalid duty: " + ", ".join(errors), errors)
        if village not in district.villages_of(caller.username):
            raise PermissionDenied("an advisor records duties for the villages they serve only")
        assert day is not None
        advisor = district.advisors[caller.username]
        r = cls()
        r.id = str(uuid.uuid4())
        r.district_code = district.code
        r.village_code = village
        r.advisor = advisor.username
        r.advisor_name = advisor.name
        r.kind = kind
        r.done_on = day
        r.note = note
        r.recorded_by = caller.name or caller.username
        r.recorded_at = now
        r.record(DutyRecorded(r.id, r.district_code, village, r.advisor, kind, day, now))
        return r

    def is_same(self, other: DutyRecord) -> bool:
        return (self.village_code, self.kind, self.done_on, self.note) == (
            other.village_code,
            other.kind,
            other.done_on,
            other.note,
        )


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class DutyState:
    duty: Duty
    status: str
    period_start: dt.date
    due_by: dt.date  # the current period's last day
    last: DutyRecord | None


@dataclass(frozen=True)
class VillageDuties:
    village_code: str
    duties: tuple[DutyState, ...]


@dataclass(frozen=True)
class AdvisorDuties:
    username: str
    name: str
    villages: tuple[VillageDuties, ...]


def may_see_duties(caller: Caller, district: District) -> str | None:
    """Whose duties the caller sees: the office every advisor's (None), an advisor their own
    (their user name); anyone else is refused."""
    if caller.kind == CallerKind.STAFF and caller.area_code[:6] == district.code:
        if Role.JUDICIAL_OFFICER in caller.roles:
            return None
        if Role.LEGAL_ADVISOR in caller.roles and caller.username in district.advisors:
            return caller.username
    raise PermissionDenied("the advisors' duties are the judicial office's and each advisor's own")


def compliance(
    district: District, usernames: Iterable[str], records: Iterable[DutyRecord], today: dt.date
) -> list[AdvisorDuties]:
    """Per advisor and village, each duty of the current period: done (its latest record), due, or
    overdue when the last period passed without it."""
    latest: dict[tuple[str, str], DutyRecord] = {}
    for r in records:
        k = (r.village_code, r.kind)
        if k not in latest or r.done_on > latest[k].done_on:
            latest[k] = r
    out = []
    for username in usernames:
        a = district.advisors[username]
        villages = []
        for v in a.villages:
            states = []
            for duty in district.duties.duties.values():
                start, end = calendar_period(today, duty.every)
                before, _ = calendar_period(today, duty.every, back=1)
                last = latest.get((v, duty.code))
                if last is not None and last.done_on >= start:
                    status = Status.DONE
                elif last is not None and last.done_on >= before:
                    status = Status.DUE
                else:
                    status = Status.OVERDUE
                states.append(DutyState(duty, status, start, end, last))
            villages.append(VillageDuties(v, tuple(states)))
        out.append(AdvisorDuties(a.username, a.name, tuple(villages)))
    return out


def oldest_needed(district: District, today: dt.date) -> dt.date:
    """The first day whose records the view reads: the start of the longest duty's last period."""
    return min(calendar_period(today, d.every, back=1)[0] for d in district.duties.duties.values())
