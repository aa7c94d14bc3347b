"""A district's programme data (services/education/data/<district code>.json): its towns and their
brands (一镇一品), the topics, the kinds of media, the channels a programme airs on, the weekly
compliance rule and what counts as a stream. This module only reads it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rules import booking
from runtime.districts import check_district_code
from runtime.errors import InvalidArgument, NotFound


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    kind: str
    brand: str
    brand_description: str
    # Whether the brand's name still waits for the station's confirmation.
    brand_check: bool


@dataclass(frozen=True)
class Topic:
    code: str
    name: str
    # Whether its programmes count as farm programmes (对农广播) for the weekly rule.
    farm: bool


@dataclass(frozen=True)
class Channel:
    code: str
    name: str
    # One programme at a time (a village loudspeaker network, a TV channel); on demand is not.
    exclusive: bool
    kinds: tuple[str, ...]


class District:
    def __init__(self, data: Mapping):
        d = data["district"]
        self.code: str = d["code"]
        self.name: str = d["name"]
        self.zone = ZoneInfo(d["zone"])
        self.towns = {
            t["code"]: Town(
                t["code"],
                t["name"],
                t["kind"],
                t["brand"]["name"],
                t["brand"]["description"],
                bool(t["brand"].get("check")),
            )
            for t in data["towns"]
        }
        self.topics = {t["code"]: Topic(t["code"], t["name"], bool(t["farm"])) for t in data["topics"]}
        self.kinds = {k["code"]: k["name"] for k in data["kinds"]}
        self.channels = {
            c["code"]: Channel(c["code"], c["name"], bool(c["exclusive"]), tuple(c["kinds"])) for c in data["channels"]
        }
        c = data["compliance"]
        self.farm_programmes_per_week: int = int(c["farm_programmes_per_week"])
        self.counted_channels: tuple[str, ...] = tuple(c["counted_channels"])
        self.compliance_source: str = c.get("source", "")
        m = data["media"]
        self.media_schemes: tuple[str, ...] = tuple(m["schemes"])
        self.media_suffix: str = m["path_suffix"]
        self.max_media_url: int = int(m["max_url_length"])
        e = data["episodes"]
        self.min_duration: int = int(e["min_duration_seconds"])
        self.max_duration: int = int(e["max_duration_seconds"])
        self.max_presenters: int = int(e["max_presenters"])
        self.schedule_days_ahead: int = int(data["schedule"]["days_ahead"])
        room = data["classroom"]
        self.booking = booking.Policy.of(room["booking"])
        self.max_capacity: int = int(room["max_capacity"])
        self.waiting_list: bool = bool(room.get("waiting_list", False))
        self.late_after = dt.timedelta(minutes=int(room["late_after_minutes"]))
        self.check_in_opens = dt.timedelta(minutes=int(room["check_in_opens_minutes_before"]))
        self.code_seconds: int = int(room["code_seconds"])
        self.code_digits: int = int(room["code_digits"])
        self.certificate_percent: int = int(room["certificate_attendance_percent"])
        learning = data["learning"]
        playout = data["playout"]
        self.playout_channel: str = playout["channel"]
        self.send_ahead = dt.timedelta(seconds=int(playout["send_ahead_seconds"]))
        self.completion_percent: int = int(learning["completion_percent"])
        self.max_playback_rate: float = float(learning["max_playback_rate"])
        self.report_slack_seconds: int = int(learning["report_slack_seconds"])
        self.max_member: int = int(learning["max_member_length"])
        listeners = data["listeners"]
        self.remind_before = dt.timedelta(minutes=int(listeners["remind_before_minutes"]))
        self.max_question: int = int(listeners["max_question_length"])
        self.questions_per_episode: int = int(listeners["questions_per_episode"])
        self.max_rating_comment: int = int(listeners["max_rating_comment"])

    def covers(self, area_code: str) -> bool:
        return area_code.startswith(self.code)


class Districts:
    """Every district the deployment serves; a town belongs to exactly one."""

    def __init__(self, districts: Iterable[District]):
        self.all = {d.code: d for d in districts}

    def of_town(self, town_code: str) -> District:
        for d in self.all.values():
            if town_code in d.towns:
                return d
        raise InvalidArgument(f"no town {town_code!r} in this platform's districts", {"town_code": "unknown town"})

    def of_area(self, area_code: str) -> District | None:
        return next((d for d in self.all.values() if area_code[:6] == d.code), None)

    def named(self, district_code: str) -> District:
        """A district by its 6-digit code."""
        check_district_code(district_code)
        if district_code not in self.all:
            raise NotFound(f"no district {district_code!r} on this platform")
        return self.all[district_code]

    def seen_from(self, area_code: str) -> list[District]:
        """The districts a caller's lists show: their own district's alone (every district's to a
        caller of no district's area)."""
        own = self.of_area(area_code)
        return [own] if own else list(self.all.values())

    def town(self, town_code: str) -> Town:
        return self.of_town(town_code).towns[town_code]
