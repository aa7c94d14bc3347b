"""Farm radio and TV programmes: a town's series and their episodes, and the weekly schedule of
each town's networks (its village loudspeakers, its TV channel, on demand), kept by the
broadcasting station's staff; and the weekly rule that every town airs enough locally made farm
programmes (对农广播). No I/O."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from education.domain.district import District
from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_text, require
from runtime.uow import Aggregate

MAX_TITLE = 100
MAX_DESCRIPTION = 500
MAX_PRESENTER = 50


class Role:
    STATION_EDITOR = "station_editor"  # the broadcasting station's programme staff (education's own)


class SlotState:
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


def require_editor(caller: Caller) -> None:
    if caller.kind != CallerKind.STAFF or Role.STATION_EDITOR not in caller.roles:
        raise PermissionDenied("this call is for the broadcasting station's editors (station_editor)")


def require_editor_of(caller: Caller, town_code: str) -> None:
    """The station's editors keep the programmes of the towns their area covers (a town's own
    station, or the district's)."""
    require_editor(caller)
    if not caller.area_code or not town_code.startswith(caller.area_code):
        raise PermissionDenied(f"town {town_code} is not in your area {caller.area_code}")


# --- what happened ---


@dataclass(frozen=True)
class SeriesCreated:
    series_id: str
    town_code: str
    title: str
    at: dt.datetime


@dataclass(frozen=True)
class EpisodeAdded:
    episode_id: str
    series_id: str
    town_code: str
    title: str
    topic: str
    at: dt.datetime


@dataclass(frozen=True)
class SlotScheduled:
    slot_id: str
    town_code: str
    channel: str
    episode_id: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    at: dt.datetime


@dataclass(frozen=True)
class SlotCancelled:
    slot_id: str
    town_code: str
    channel: str
    at: dt.datetime


class Series(Aggregate):
    """A town's programme series, e.g. 新塍镇's 《郝老师课堂》; `local` when the town makes it itself."""

    def __init__(self, id, town_code, title, description, local, created_by, created_at):
        self.id = id
        self.town_code = town_code
        self.title = title
        self.description = description
        self.local = local
        self.created_by = created_by
        self.created_at = created_at

    @classmethod
    def create(
        cls, caller: Caller, district: District, town_code: str, title: str, description: str, local: bool, now
    ) -> Series:
        require_editor_of(caller, town_code)
        require({"title": title})
        check_text({"title": (title, MAX_TITLE), "description": (description, MAX_DESCRIPTION)}, {"description"})
        series = cls(str(uuid.uuid4()), town_code, title, description, local, caller.username or caller.subject, now)
        series.record(SeriesCreated(series.id, town_code, title, now))
        return series


class Episode(Aggregate):
    """One programme of a series: audio or video, its duration, its topic, its presenters, and its
    media, which must be a stream (an HLS playlist)."""

    def __init__(self, id, series_id, town_code, number, title, kind, topic, duration_seconds, presenters, media_url):
        self.id = id
        self.series_id = series_id
        self.town_code = town_code
        self.number = number
        self.title = title
        self.kind = kind
        self.topic = topic
        self.duration_seconds = duration_seconds
        self.presenters = presenters
        self.media_url = media_url

    @classmethod
    def add(
        cls,
        caller: Caller,
        district: District,
        series: Series,
        number: int,
        title: str,
        kind: str,
        topic: str,
        duration_seconds: int,
        presenters: list[str],
        media_url: str,
        now: dt.datetime,
    ) -> Episode:
        require_editor_of(caller, series.town_code)
        require({"title": title, "kind": kind, "topic": topic, "media_url": media_url})
        check_text({"title": (title, MAX_TITLE)})
        errors = {}
        if number < 1:
            errors["number"] = "1 or more"
        if kind not in district.kinds:
            errors["kind"] = f"one of {', '.join(district.kinds)}"
        if topic not in district.topics:
            errors["topic"] = f"one of {', '.join(district.topics)}"
        if not district.min_duration <= duration_seconds <= district.max_duration:
            errors["duration_seconds"] = f"{district.min_duration}..{district.max_duration} seconds"
        if not presenters or len(presenters) > district.max_presenters:
            errors["presenters"] = f"1..{district.max_presenters} names"
        elif any(not p or len(p) > MAX_PRESENTER or not p.isprintable() for p in presenters):
            errors["presenters"] = f"each name 1..{MAX_PRESENTER} printable characters"
        if (problem := stream_problem(district, media_url)) is not None:
            errors["media_url"] = problem
        if errors:
            raise InvalidArgument(
                "the episode is not valid: " + "; ".join(f"{k}: {v}" for k, v in errors.items()), errors
            )
        require_editor_of(caller, series.town_code)
        episode = cls(
            str(uuid.uuid4()),
            series.id,
            series.town_code,
            number,
            title,
            kind,
            topic,
            duration_seconds,
            list(presenters),
            media_url,
        )
        episode.record(EpisodeAdded(episode.id, series.id, series.town_code, title, topic, now))
        return episode


def stream_problem(district: District, url: str) -> str | None:
    """Why the media is not a stream the TVs and loudspeaker controllers can play, or None."""
    if len(url) > district.max_media_url:
        return f"at most {district.max_media_url} characters"
    if not url.isprintable() or " " in url:
        return "a URL without spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme not in district.media_schemes or not parts.hostname:
        return f"an {' or '.join(district.media_schemes)} URL"
    if not parts.path.endswith(district.media_suffix):
        return f"a stream: an HLS playlist ({district.media_suffix}), not a file"
    return None


class Slot(Aggregate):
    """An episode on a town's network at a time."""

    def __init__(
        self,
        id,
        town_code,
        channel,
        episode_id,
        starts_at,
        ends_at,
        topic,
        local,
        farm,
        state,
        scheduled_by,
        playout="",
        resumes="",
        from_seconds=0,
        reminded=False,
    ):
        self.id = id
        self.town_code = town_code
        self.channel = channel
        self.episode_id = episode_id
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.topic = topic
        self.local = local
        self.farm = farm
        self.state = state
        self.scheduled_by = scheduled_by
        self.playout = playout  # on the loudspeakers: domain.playout.Playout
        # A resumption: the rest of slot `resumes`, cut by an emergency alert, from this second of its episode.
        self.resumes = resumes
        self.from_seconds = from_seconds
        self.reminded = reminded  # its series' followers were reminded (domain.listeners.remind)

    def overlaps(self, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
        return self.state == SlotState.SCHEDULED and self.starts_at < ends_at and starts_at < self.ends_at

    def cancel(self, caller: Caller, now: dt.datetime) -> None:
        require_editor_of(caller, self.town_code)
        if self.state == SlotState.CANCELLED:
            raise FailedPrecondition("this slot is cancelled already")
        if self.starts_at <= now:
            raise FailedPrecondition("this slot has begun: what aired stays in the schedule")
        self.state = SlotState.CANCELLED
        self.record(SlotCancelled(self.id, self.town_code, self.channel, now))


class Network(Aggregate):
    """One of a town's channels: its loudspeaker network, its TV channel or on demand. Loaded with a
    row lock while a slot is added, so two editors never book the same time on an exclusive one."""

    def __init__(self, id: str, town_code: str, channel: str):
        self.id = id
        self.town_code = town_code
        self.channel = channel

    @staticmethod
    def id_of(town_code: str, channel: str) -> str:
        return f"{town_code}/{channel}"

    def schedule(
        self,
        caller: Caller,
        district: District,
        episode: Episode,
        series: Series,
        starts_at: dt.datetime,
        overlapping: list[Slot],
        now: dt.datetime,
    ) -> Slot:
        channel = district.channels[self.channel]
        if episode.kind not in channel.kinds:
            raise InvalidArgument(
                f"{channel.name} airs only {', '.join(channel.kinds)}", {"channel": f"no {episode.kind} on it"}
            )
        if starts_at <= now:
            raise InvalidArgument("a slot is scheduled ahead, not in the past", {"starts_at": "in the past"})
        if starts_at > now + dt.timedelta(days=district.schedule_days_ahead):
            raise InvalidArgument(f"at most {district.schedule_days_ahead} days ahead", {"starts_at": "too far ahead"})
        ends_at = starts_at + dt.timedelta(seconds=episode.duration_seconds)
        clash = [s for s in overlapping if s.overlaps(starts_at, ends_at)] if channel.exclusive else []
        if clash:
            local = clash[0].starts_at.astimezone(district.zone)
            raise FailedPrecondition(
                f"{district.towns[self.town_code].name}的{channel.name}在 {local:%Y-%m-%d %H:%M} 已有节目："
                "同一网络的时段不能重叠 (slots on one network may not overlap)",
                {"starts_at": "overlaps another slot"},
            )
        local_made = series.local and series.town_code == self.town_code
        slot = Slot(
            str(uuid.uuid4()),
            self.town_code,
            self.channel,
            episode.id,
            starts_at,
            ends_at,
            episode.topic,
            local_made,
            district.topics[episode.topic].farm,
            SlotState.SCHEDULED,
            caller.username or caller.subject,
        )
        self.record(SlotScheduled(slot.id, self.town_code, self.channel, episode.id, starts_at, ends_at, now))
        return slot


# --- the week and the compliance rule ---


def week_of(district: District, day: dt.date) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The week (Monday to Sunday, the district's local time) a day is in: its Monday and its bounds in UTC."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(), district.zone)
    return monday, start.astimezone(dt.UTC), (start + dt.timedelta(days=7)).astimezone(dt.UTC)


@dataclass(frozen=True)
class TownWeek:
    """How a town did in a week: its locally made farm programmes aired, the rule's number, the gap."""

    town_code: str
    town_name: str
    brand: str
    required: int
    farm_programmes: int
    # Every slot of the week on the counted channels, by topic; and the farm programmes by day (Mon..Sun).
    by_topic: dict[str, int] = field(default_factory=dict)
    by_day: tuple[int, ...] = ()
    # The loudspeaker controllers' play reports by result, and the slots at least one played.
    plays: dict[str, int] = field(default_factory=dict)
    aired: int = 0
    # The audience: households that played the town's programmes on TV, villages whose loudspeakers played one.
    tv_households: int = 0
    villages_reached: int = 0
    # Programmes cut by an alert whose rest was played after it.
    resumed: int = 0

    @property
    def gap(self) -> int:
        return max(0, self.required - self.farm_programmes)


def compliance(
    district: District,
    monday: dt.date,
    town_codes: list[str],
    slots: list[Slot],
    reports: Iterable = (),
    viewers: Mapping[str, int] | None = None,
    village_of: Mapping[str, str] | None = None,
) -> list[TownWeek]:
    """The weekly rule per town: slots cancelled or on channels the rule does not count are left out.
    `reports` are the week's play reports (domain.playout.PlayReport); `viewers` the households
    that played each town's programmes on TV that week; `village_of` each controller's village."""
    reports = list(reports)
    viewers, village_of = viewers or {}, village_of or {}
    out = []
    for code in town_codes:
        town = district.towns[code]
        counted = [
            s
            for s in slots
            if s.town_code == code
            and s.state == SlotState.SCHEDULED
            and s.channel in district.counted_channels
            and not s.resumes  # the rest of a programme cut by an alert is no programme of its own
        ]
        resumed = {s.id for s in slots if s.town_code == code and s.resumes}
        mine = [r for r in reports if r.town_code == code]
        farm = [s for s in counted if s.farm and s.local]
        days = Counter((s.starts_at.astimezone(district.zone).date() - monday).days for s in farm)
        out.append(
            TownWeek(
                code,
                town.name,
                town.brand,
                district.farm_programmes_per_week,
                len(farm),
                dict(Counter(s.topic for s in counted)),
                tuple(days.get(i, 0) for i in range(7)),
                dict(Counter(r.result for r in mine)),
                len({r.slot_id for r in reports if r.town_code == code and r.played and r.slot_id not in resumed}),
                tv_households=viewers.get(code, 0),
                villages_reached=len(
                    {village_of[r.controller_id] for r in mine if r.played and r.controller_id in village_of}
                ),
                resumed=len({r.slot_id for r in mine if r.played and r.slot_id in resumed}),
            )
        )
    return out
