"""The district's places and what is on there: venues (the rural broadcasting memory museum,
cultural halls, scenic spots) with their opening hours, entry slots, instantaneous and daily
capacity (LB/T 034-2014 asks for both) and accessibility; and events (exhibitions, performances,
the museum's monthly activities). The facts are data (services/tourism/data/<district>.json);
this module only reads them and says which entry slots exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from runtime.errors import InvalidArgument, NotFound

MAX_ID = 64
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@dataclass(frozen=True)
class SlotSpec:
    """An entry slot of every open day: when it starts and ends (local time) and how many it admits."""

    starts: dt.time
    ends: dt.time
    capacity: int


@dataclass(frozen=True)
class SlotTime:
    """One entry slot on one day: its id is `<venue>/<YYYY-MM-DD>/<n>` (n from 1, the day's order)."""

    id: str
    venue_id: str
    day: dt.date
    number: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    kind: str
    kind_label: str
    town: str
    village: str
    area_code: str
    address: str
    description: str
    free_entry: bool
    open_days: tuple[int, ...]  # Monday 0 .. Sunday 6
    opens: dt.time
    closes: dt.time
    hours_text: str
    slots: tuple[SlotSpec, ...]
    instantaneous_capacity: int
    daily_capacity: int
    visit_minutes: int
    accessibility: tuple[str, ...]
    facts: Mapping
    check: tuple[str, ...]
    zone: ZoneInfo

    def is_open_on(self, day: dt.date) -> bool:
        return day.weekday() in self.open_days

    def slot_on(self, day: dt.date, number: int) -> SlotTime | None:
        if not self.is_open_on(day) or not 1 <= number <= len(self.slots):
            return None
        spec = self.slots[number - 1]
        return SlotTime(
            id=f"{self.id}/{day.isoformat()}/{number}",
            venue_id=self.id,
            day=day,
            number=number,
            starts_at=dt.datetime.combine(day, spec.starts, self.zone),
            ends_at=dt.datetime.combine(day, spec.ends, self.zone),
            capacity=spec.capacity,
        )

    def slots_between(self, first: dt.date, last: dt.date) -> Iterator[SlotTime]:
        day = first
        while day <= last:
            for n in range(1, len(self.slots) + 1):
                slot = self.slot_on(day, n)
                if slot is not None:
                    yield slot
            day += dt.timedelta(days=1)


@dataclass(frozen=True)
class Event:
    id: str
    venue_id: str
    title: str
    kind: str
    kind_label: str
    first_day: dt.date
    last_day: dt.date
    # The days it is on: every open day of its venue between first and last, or the listed dates.
    dates: tuple[dt.date, ...]
    times: str
    description: str
    instantaneous_capacity: int
    daily_capacity: int
    accessibility: tuple[str, ...]
    check: tuple[str, ...]

    def on(self, day: dt.date, venue: Venue) -> bool:
        if self.dates:
            return day in self.dates
        return self.first_day <= day <= self.last_day and venue.is_open_on(day)


class Places:
    """One district's venues and events, read from its data file."""

    def __init__(self, data: Mapping):
        self.data = data
        self.district_code: str = data["district"]["code"]
        self.district_name: str = data["district"]["name"]
        self.zone = ZoneInfo(data["district"]["zone"])
        kinds, weekdays = data["kinds"], data["weekdays"]
        self.venues: dict[str, Venue] = {}
        for v in data["venues"]:
            hours = v["opening_hours"]
            days = tuple(hours["days"])
            slots = tuple(SlotSpec(_time(s["starts"]), _time(s["ends"]), int(s["capacity"])) for s in v["slots"])
            venue = Venue(
                id=v["id"],
                name=v["name"],
                kind=v["kind"],
                kind_label=kinds[v["kind"]],
                town=v["town"],
                village=v["village"],
                area_code=v["area_code"],
                address=v["address"],
                description=v["description"],
                free_entry=bool(v["free_entry"]),
                open_days=days,
                opens=_time(hours["open"]),
                closes=_time(hours["close"]),
                hours_text=f"{_days_text(days, weekdays)} {hours['open']}-{hours['close']}",
                slots=slots,
                instantaneous_capacity=int(v["capacity"]["instantaneous"]),
                daily_capacity=int(v["capacity"]["daily"]),
                visit_minutes=int(v["visit_minutes"]),
                accessibility=tuple(v["accessibility"]),
                facts=v.get("facts", {}),
                check=tuple(v.get("check", ())),
                zone=self.zone,
            )
            _check_venue(venue)
            self.venues[venue.id] = venue
        self.events: dict[str, Event] = {}
        for e in data["events"]:
            if e["venue_id"] not in self.venues:
                raise ValueError(f"event {e['id']}: no venue {e['venue_id']!r}")
            dates = tuple(sorted(dt.date.fromisoformat(d) for d in e.get("dates", ())))
            first = dt.date.fromisoformat(e["starts"]) if "starts" in e else dates[0]
            last = dt.date.fromisoformat(e["ends"]) if "ends" in e else dates[-1]
            self.events[e["id"]] = Event(
                id=e["id"],
                venue_id=e["venue_id"],
                title=e["title"],
                kind=e["kind"],
                kind_label=kinds[e["kind"]],
                first_day=first,
                last_day=last,
                dates=dates,
                times=e["times"],
                description=e["description"],
                instantaneous_capacity=int(e["capacity"]["instantaneous"]),
                daily_capacity=int(e["capacity"]["daily"]),
                accessibility=tuple(e["accessibility"]),
                check=tuple(e.get("check", ())),
            )

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.zone).date()

    def venue(self, venue_id: str) -> Venue:
        check_id(venue_id, "venue_id")
        venue = self.venues.get(venue_id)
        if venue is None:
            raise NotFound(f"no venue {venue_id!r}", {"venue_id": "not found"})
        return venue

    def slot(self, slot_id: str) -> SlotTime:
        """The entry slot a slot id names (NotFound when the venue is closed that day or has no such slot)."""
        if not slot_id or len(slot_id) > 2 * MAX_ID or slot_id.count("/") != 2:
            raise InvalidArgument("slot_id is <venue>/<YYYY-MM-DD>/<n>", {"slot_id": "not a slot id"})
        venue_id, day_text, number = slot_id.split("/")
        try:
            day = dt.date.fromisoformat(day_text)
            n = int(number)
        except ValueError:
            raise InvalidArgument("slot_id is <venue>/<YYYY-MM-DD>/<n>", {"slot_id": "not a slot id"}) from None
        venue = self.venues.get(venue_id)
        # (Days far outside any booking window exist for no venue: no date arithmetic overflows on them.)
        slot = venue.slot_on(day, n) if venue and FIRST_DAY <= day <= LAST_DAY else None
        if slot is None:
            raise NotFound(f"no entry slot {slot_id!r}", {"slot_id": "not found"})
        return slot

    def events_on(self, first: dt.date, last: dt.date, venue_id: str = "") -> list[tuple[dt.date, Event]]:
        """Each day an event is on, between two days, in order of day and venue."""
        if venue_id:
            self.venue(venue_id)
        found = []
        for e in self.events.values():
            if venue_id and e.venue_id != venue_id:
                continue
            venue = self.venues[e.venue_id]
            day = max(first, e.first_day)
            while day <= min(last, e.last_day):
                if e.on(day, venue):
                    found.append((day, e))
                day += dt.timedelta(days=1)
        return sorted(found, key=lambda p: (p[0], p[1].times, p[1].id))


class AllPlaces:
    """Every district's places, by district code (the first 6 digits of an area code). A venue id
    names one venue across them all (reservations and tickets carry only the venue id)."""

    def __init__(self, districts: Iterable[Places]):
        self.by_district: dict[str, Places] = {}
        self._of_venue: dict[str, Places] = {}
        for places in districts:
            if places.district_code in self.by_district:
                raise ValueError(f"two data files for district {places.district_code}")
            for venue in places.venues.values():
                if venue.id in self._of_venue:
                    other = self._of_venue[venue.id].district_code
                    raise ValueError(f"venue {venue.id!r} is in district {other} and {places.district_code}")
                if venue.area_code[:6] != places.district_code:
                    raise ValueError(f"venue {venue.id}: area {venue.area_code} is not in {places.district_code}")
                self._of_venue[venue.id] = places
            self.by_district[places.district_code] = places
        if not self.by_district:
            raise ValueError("no district's places")
        self.pilot = next(iter(self.by_district.values()))

    def for_area(self, area_code: str) -> Places:
        """The places of the caller's district (the first district's for a caller of no area)."""
        if not area_code:
            return self.pilot
        places = self.by_district.get(area_code[:6])
        if places is None:
            raise NotFound(f"no venues in district {area_code[:6]!r}", {"district_code": "not served here"})
        return places

    def of_venue(self, venue_id: str) -> Places:
        check_id(venue_id, "venue_id")
        places = self._of_venue.get(venue_id)
        if places is None:
            raise NotFound(f"no venue {venue_id!r}", {"venue_id": "not found"})
        return places


def _days_text(days: tuple[int, ...], weekdays: list[str]) -> str:
    if len(days) == 7:
        return "每天"
    return "、".join(weekdays[d] for d in days)


def _check_venue(v: Venue) -> None:
    # The entry slots together never admit more in a day than the venue's published daily capacity,
    # and none admits more at once than its instantaneous capacity.
    if sum(s.capacity for s in v.slots) > v.daily_capacity:
        raise ValueError(f"venue {v.id}: its entry slots admit more than its daily capacity")
    for s in v.slots:
        if s.capacity > v.instantaneous_capacity or not (v.opens <= s.starts < s.ends <= v.closes):
            raise ValueError(f"venue {v.id}: slot {s.starts} outside its hours or over its instantaneous capacity")


def check_id(value: str, field: str) -> None:
    if not value or len(value) > MAX_ID:
        raise InvalidArgument(f"{field} is required (at most {MAX_ID} characters)", {field: "is required"})
