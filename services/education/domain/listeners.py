"""Listeners: a household follows a series and is reminded (快开播了) a while before each of its
programmes in its town; listeners ask the presenter questions, collected for the next episode,
and rate episodes (好差评, services/rules/ratings.py); each programme's audience is counted from
TV viewing (households that played it on demand) and the loudspeakers' play reports (villages
whose controller played it). No I/O."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from education.domain.district import District
from education.domain.learning import Progress, check_member
from education.domain.playout import Controller, PlayReport
from education.domain.programmes import Episode, Series, Slot, SlotState, require_editor_of
from rules import ratings
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, check_text, require
from runtime.uow import Aggregate


@dataclass(frozen=True)
class ProgrammeStartingSoon:
    """A followed series' programme starts soon in the followers' town: remind them (once)."""

    slot_id: str
    series_id: str
    series_title: str
    episode_title: str
    town_code: str
    channel_name: str
    starts_at: dt.datetime
    household_ids: tuple[str, ...]
    at: dt.datetime


@dataclass(frozen=True)
class QuestionAsked:
    question_id: str
    episode_id: str
    series_id: str
    household_id: str
    at: dt.datetime


@dataclass(frozen=True)
class EpisodeRated:
    rating_id: str
    episode_id: str
    series_id: str
    household_id: str
    level: str
    at: dt.datetime


class Follow(Aggregate):
    """A household follows a series: it is reminded before the series' programmes in its town."""

    def __init__(self, household_id, series_id, town_code, followed_at):
        self.household_id = household_id
        self.series_id = series_id
        self.town_code = town_code
        self.followed_at = followed_at

    @classmethod
    def of(cls, caller: Caller, series: Series, now: dt.datetime) -> Follow:
        return cls(caller.require_household(), series.id, caller.area_code[:9], now)


def remind(
    district: District, slot: Slot, series: Series, episode: Episode, follows: Iterable[Follow], now: dt.datetime
) -> ProgrammeStartingSoon | None:
    """A slot starting within the district's reminder time: its followers in its town told once
    (the slot remembers it was reminded, followers or not)."""
    slot.reminded = True
    if slot.state != SlotState.SCHEDULED or slot.resumes or slot.starts_at <= now:
        return None
    households = tuple(sorted({f.household_id for f in follows if f.town_code == slot.town_code}))
    if not households:
        return None
    event = ProgrammeStartingSoon(
        slot.id,
        series.id,
        series.title,
        episode.title,
        slot.town_code,
        district.channels[slot.channel].name,
        slot.starts_at,
        households,
        now,
    )
    slot.record(event)
    return event


class Question(Aggregate):
    """A listener's question to the presenter of an episode, for the next episode."""

    def __init__(self, id, episode_id, series_id, town_code, household_id, member, text, asked_at):
        self.id = id
        self.episode_id = episode_id
        self.series_id = series_id
        self.town_code = town_code
        self.household_id = household_id
        self.member = member
        self.text = text
        self.asked_at = asked_at

    @classmethod
    def ask(
        cls, caller: Caller, district: District, episode: Episode, member: str, text: str, asked: int, now
    ) -> Question:
        household_id = caller.require_household()
        check_member(district, member)
        require({"text": text.strip()})
        check_text({"text": (text, district.max_question)}, multiline={"text"})
        if asked >= district.questions_per_episode:
            raise FailedPrecondition(
                f"每户每期最多提 {district.questions_per_episode} 个问题 (at most "
                f"{district.questions_per_episode} questions per episode and household)",
                {"text": "too many questions"},
            )
        q = cls(str(uuid.uuid4()), episode.id, episode.series_id, episode.town_code, household_id, member, text, now)
        q.record(QuestionAsked(q.id, episode.id, episode.series_id, household_id, now))
        return q


class EpisodeRating(Aggregate):
    """A household member's 好差评 of an episode: once per member and episode."""

    def __init__(self, id, episode_id, series_id, town_code, household_id, member, level, comment, rated_at):
        self.id = id
        self.episode_id = episode_id
        self.series_id = series_id
        self.town_code = town_code
        self.household_id = household_id
        self.member = member
        self.level = level
        self.comment = comment
        self.rated_at = rated_at

    @classmethod
    def give(
        cls,
        caller: Caller,
        district: District,
        episode: Episode,
        member: str,
        level: str,
        comment: str,
        already: EpisodeRating | None,
        now: dt.datetime,
    ) -> EpisodeRating:
        household_id = caller.require_household()
        check_member(district, member)
        given = ratings.Rating.give(
            level,
            {},
            comment,
            now,
            named=(),
            max_comment=district.max_rating_comment,
            already=already.level if already else "",
            case="episode",
        )
        r = cls(
            str(uuid.uuid4()),
            episode.id,
            episode.series_id,
            episode.town_code,
            household_id,
            member,
            given.level,
            given.comment,
            now,
        )
        r.record(EpisodeRated(r.id, episode.id, episode.series_id, household_id, r.level, now))
        return r


@dataclass(frozen=True)
class EpisodeListeners:
    """One episode's listeners: who played it on TV, the villages whose loudspeakers played it,
    its ratings by level and its questions."""

    episode: Episode
    tv_households: int
    tv_members: int
    completed: int
    villages: int
    ratings: dict[str, int] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied_percent(self) -> int:
        """The share of satisfied ratings (the first three levels), 0 when unrated."""
        good = sum(n for level, n in self.ratings.items() if ratings.is_satisfied(level))
        return good * 100 // self.rated if self.rated else 0


def require_station_of(caller: Caller, series: Series) -> None:
    require_editor_of(caller, series.town_code)


def listeners_of(
    episodes: list[Episode],
    progress: Iterable[Progress],
    slots: Iterable[Slot],
    reports: Iterable[PlayReport],
    controllers: Iterable[Controller],
    given: Iterable[EpisodeRating],
    questions: Iterable[Question],
) -> list[EpisodeListeners]:
    """Each episode's audience, ratings and questions (the newest question first)."""
    progress, given, questions = list(progress), list(given), list(questions)
    village_of = {c.id: c.village_code for c in controllers}
    episode_of = {s.id: s.episode_id for s in slots}
    villages: dict[str, set[str]] = {}
    for r in reports:
        if r.played and r.slot_id in episode_of and r.controller_id in village_of:
            villages.setdefault(episode_of[r.slot_id], set()).add(village_of[r.controller_id])
    out = []
    for e in episodes:
        mine = [p for p in progress if p.episode_id == e.id]
        out.append(
            EpisodeListeners(
                e,
                len({p.household_id for p in mine}),
                len({(p.household_id, p.member) for p in mine}),
                sum(1 for p in mine if p.completed),
                len(villages.get(e.id, ())),
                dict(Counter(r.level for r in given if r.episode_id == e.id)),
                sorted((q for q in questions if q.episode_id == e.id), key=lambda q: q.asked_at, reverse=True),
            )
        )
    return out
