"""Courses and lessons on demand: a course is a series, its lessons the episodes. Each household
member's progress in a lesson is kept as the part watched (only ever forward, and only as fast as
one can watch) and the resume position (anywhere); a lesson is complete at the district's percent
(cmi5's moveOn: Completed). No I/O."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from education.domain.district import District
from education.domain.programmes import Episode
from runtime.auth import Caller
from runtime.errors import InvalidArgument, check_text, require
from runtime.uow import Aggregate


@dataclass(frozen=True)
class LessonCompleted:
    progress_id: str
    household_id: str
    member: str
    episode_id: str
    series_id: str
    at: dt.datetime


def check_member(district: District, member: str) -> None:
    require({"member": member})
    check_text({"member": (member, district.max_member)})


class Progress(Aggregate):
    """A household member's progress in one lesson."""

    def __init__(
        self,
        id,
        household_id,
        member,
        episode_id,
        series_id,
        duration_seconds,
        watched_seconds,
        position_seconds,
        completed_at,
        updated_at,
    ):
        self.id = id
        self.household_id = household_id
        self.member = member
        self.episode_id = episode_id
        self.series_id = series_id
        self.duration_seconds = duration_seconds
        self.watched_seconds = watched_seconds
        self.position_seconds = position_seconds
        self.completed_at = completed_at
        self.updated_at = updated_at

    @classmethod
    def start(cls, caller: Caller, district: District, member: str, episode: Episode, now: dt.datetime) -> Progress:
        household_id = caller.require_household()
        check_member(district, member)
        return cls(
            str(uuid.uuid4()),
            household_id,
            member,
            episode.id,
            episode.series_id,
            episode.duration_seconds,
            0,
            0,
            None,
            None,
        )

    @property
    def percent(self) -> int:
        return min(100, self.watched_seconds * 100 // self.duration_seconds) if self.duration_seconds else 0

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    def report(self, district: District, position_seconds: int, now: dt.datetime) -> None:
        """Where playback is now. The resume position goes anywhere; what counts as watched moves
        only forward, by at most the time since the last report at the fastest playback (plus slack),
        so a seek to the end watches nothing."""
        if not 0 <= position_seconds <= self.duration_seconds:
            raise InvalidArgument(
                f"position_seconds is 0..{self.duration_seconds}", {"position_seconds": "outside the lesson"}
            )
        elapsed = (now - self.updated_at).total_seconds() if self.updated_at else 0.0
        reach = (
            self.watched_seconds + int(max(0.0, elapsed) * district.max_playback_rate) + district.report_slack_seconds
        )
        if position_seconds > self.watched_seconds:
            self.watched_seconds = min(position_seconds, reach, self.duration_seconds)
        self.position_seconds = position_seconds
        self.updated_at = now
        if not self.completed and self.percent >= district.completion_percent:
            self.completed_at = now
            self.record(LessonCompleted(self.id, self.household_id, self.member, self.episode_id, self.series_id, now))


@dataclass(frozen=True)
class CourseProgress:
    """A member's course: its lessons completed, and where to resume (the lesson last played)."""

    series_id: str
    member: str
    lessons: int
    completed_lessons: int
    percent: int
    resume: Progress


def my_courses(progress: list[Progress], lessons_per_series: dict[str, int]) -> list[CourseProgress]:
    """Each member's courses, the most recently played first."""
    by_course: dict[tuple[str, str], list[Progress]] = {}
    for p in progress:
        by_course.setdefault((p.member, p.series_id), []).append(p)
    out = []
    for (member, series_id), ps in by_course.items():
        lessons = max(lessons_per_series.get(series_id, 0), len(ps))
        latest = max(ps, key=lambda p: p.updated_at or dt.datetime.min.replace(tzinfo=dt.UTC))
        percent = sum(p.percent for p in ps) // lessons if lessons else 0
        out.append(CourseProgress(series_id, member, lessons, sum(1 for p in ps if p.completed), percent, latest))
    out.sort(key=lambda c: c.resume.updated_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return out
