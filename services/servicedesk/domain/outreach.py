"""Outreach events in the villages (进村服务活动): a point's manager schedules one in a village of
their point (a date, a window in district time, a place, the service types taken there); the
households of its town see the upcoming ones; on the day, from its start, the point's managers and
agents file requests there for households of the town. Scheduling one announces nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, require, text_errors
from runtime.uow import Aggregate
from servicedesk.domain.catalog import DISTRICT_TZ, Catalog, ServiceType
from servicedesk.domain.filing import OUTREACH_CHANNEL
from servicedesk.domain.points import ServicePoints, managed_point, outreach_staff

MAX_PLACE = 200
OUTREACH_MAX_DAYS_AHEAD = 180
WEEKDAYS = "一二三四五六日"


class OutreachEvent(Aggregate):
    def __init__(
        self,
        id: str,
        service_point_code: str,
        area_code: str,
        place: str,
        date: dt.date,
        start_time: dt.time,
        end_time: dt.time,
        service_types: tuple[str, ...],
        created_by: str = "",
        created_at: dt.datetime | None = None,
    ):
        self.id = id
        self.service_point_code = service_point_code
        self.area_code = area_code
        self.place = place
        self.date = date
        self.start_time = start_time
        self.end_time = end_time
        self.service_types = service_types
        self.created_by = created_by
        self.created_at = created_at

    @classmethod
    def schedule(
        cls,
        caller: Caller,
        date: str,
        start_time: str,
        end_time: str,
        area_code: str,
        place: str,
        service_types: tuple[str, ...],
        catalog: Catalog,
        points: ServicePoints,
        at: dt.datetime,
    ) -> OutreachEvent:
        """A manager schedules an event in a village of their own point."""
        point = managed_point(caller, points)
        today = at.astimezone(DISTRICT_TZ).date()
        day, start, end = parse(date, start_time, end_time, area_code, place, service_types, catalog, today)
        if area_code[:9] != point.township_code:
            raise PermissionDenied("a manager schedules outreach events in their own point's villages only")
        return cls(str(uuid.uuid4()), point.code, area_code, place, day, start, end, service_types, caller.subject, at)

    @classmethod
    def from_seed(cls, seed: dict, catalog: Catalog, points: ServicePoints) -> OutreachEvent:
        """An event of the seed schedule (data/outreach_events.json): checked as a manager's would be,
        except that it may lie in the past."""
        point = points.point_by_code(seed["service_point_code"])
        if point is None or seed["area_code"][:9] != point.township_code:
            raise ValueError(f"outreach event {seed['id']}: not a village of {seed['service_point_code']}")
        types = tuple(seed["service_types"])
        day, start, end = parse(
            seed["date"], seed["start_time"], seed["end_time"], seed["area_code"], seed["place"], types, catalog
        )
        return cls(seed["id"], point.code, seed["area_code"], seed["place"], day, start, end, types, "seed")

    def takes(
        self, caller: Caller, household_area_code: str, standard: ServiceType, points: ServicePoints, at: dt.datetime
    ) -> None:
        """Filed here: by staff of its point, on the event's day (during or after it, for it), for a
        household of the event's town, for a type taken here."""
        point = points.point_by_code(self.service_point_code)
        if point is None or not outreach_staff(caller, point):
            raise PermissionDenied("requests at an outreach event are filed by staff of its service point")
        if household_area_code[:9] != self.area_code[:9]:
            raise PermissionDenied("an outreach event takes requests of households of its own town")
        if standard.code not in self.service_types:
            raise InvalidArgument(
                f"{standard.name}不在这次活动的办理范围", {"service_type": "not taken at this outreach event"}
            )
        local = at.astimezone(DISTRICT_TZ)
        if local.date() != self.date or local.time() < self.start_time:
            raise FailedPrecondition(
                f"requests at this outreach event are filed on {self.date} from {self.start_time:%H:%M}",
                {"outreach_event_id": "not during this event"},
            )

    def text(self, catalog: Catalog) -> str:
        """The event as the households' schedule tells it, in plain Chinese."""
        names = "、".join(
            catalog.service_types[c].name if c in catalog.service_types else c for c in self.service_types
        )
        return (
            f"{self.date.month}月{self.date.day}日（星期{WEEKDAYS[self.date.weekday()]}）"
            f"{self.start_time:%H:%M}—{self.end_time:%H:%M}，在{self.place}，可以办理：{names}。"
        )


def upcoming(events: list[OutreachEvent], town_code: str, today: dt.date) -> list[OutreachEvent]:
    """A town's events from today on, by date and time (past ones hidden)."""
    return sorted(
        (e for e in events if e.area_code[:9] == town_code and e.date >= today),
        key=lambda e: (e.date, e.start_time, e.id),
    )


def _time(value: str) -> dt.time | None:
    if len(value) != 5 or value[2] != ":":
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return None


def parse(
    date: str,
    start_time: str,
    end_time: str,
    area_code: str,
    place: str,
    service_types: tuple[str, ...],
    catalog: Catalog,
    today: dt.date | None = None,
) -> tuple[dt.date, dt.time, dt.time]:
    """Check an event's fields (in the district's time); (date, start, end). With `today`, the date
    must lie ahead, and not too far."""
    require({"date": date, "start_time": start_time, "end_time": end_time, "area_code": area_code, "place": place})
    errors = text_errors({"place": (place, MAX_PLACE)})
    try:
        day = dt.date.fromisoformat(date) if len(date) == 10 else None
    except ValueError:
        day = None
    start, end = _time(start_time), _time(end_time)
    if day is None:
        errors["date"] = "YYYY-MM-DD"
    elif today is not None and day < today:
        errors["date"] = "is in the past"
    elif today is not None and day > today + dt.timedelta(days=OUTREACH_MAX_DAYS_AHEAD):
        errors["date"] = f"at most {OUTREACH_MAX_DAYS_AHEAD} days ahead"
    if start is None:
        errors["start_time"] = "HH:MM"
    if end is None:
        errors["end_time"] = "HH:MM"
    elif start is not None and end <= start:
        errors["end_time"] = "must be after start_time"
    if len(area_code) != 12 or not area_code.isdigit():
        errors["area_code"] = "a village's 12-digit code"
    if not service_types or len(service_types) > len(catalog.service_types):
        errors["service_types"] = "one or more codes from the standard catalog"
    else:
        unknown = [c for c in service_types if c not in catalog.service_types]
        refused = [
            c
            for c in service_types
            if c in catalog.service_types and OUTREACH_CHANNEL not in catalog.service_types[c].channels
        ]
        if unknown:
            errors["service_types"] = "not in the standard catalog: " + ", ".join(unknown[:5])
        elif refused:
            errors["service_types"] = "not accepted at outreach events: " + ", ".join(refused)
    if errors or day is None or start is None or end is None:
        raise InvalidArgument("invalid outreach event: " + ", ".join(errors), errors)
    return day, start, end
