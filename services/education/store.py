"""Education's tables, and the repositories and unit of work that keep its aggregates in them.
The domain's classes are mapped to the tables here (imperative mapping), so the domain stays
plain Python; the districts' programme data is read from data/."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    func,
    select,
)
from sqlalchemy.orm import Session, registry, relationship

from education import domain, events
from runtime import consumer, districts, loudspeakers, outbox, uow
from runtime.db import UtcDateTime

DATA_DIR = pathlib.Path(__file__).parent / "data"


def load_playout() -> dict:
    """The playout worker's HTTP settings for the loudspeaker controllers."""
    return json.loads((DATA_DIR / "playout.json").read_text(encoding="utf-8"))


def load_allow_list() -> loudspeakers.EndpointAllowList:
    """Where loudspeaker controllers may be (runtime's one list, alerts' too);
    EDUCATION_LOUDSPEAKER_LOCAL_NETWORKS adds a local run's."""
    return loudspeakers.load_allow_list("EDUCATION_LOUDSPEAKER_LOCAL_NETWORKS")


def load_districts(data_dir: pathlib.Path = DATA_DIR) -> domain.Districts:
    """Every district's programme data: data/<district code>.json, and each DISTRICTS_DIR district's
    education.json (runtime.districts)."""
    found = districts.load("education.json", districts.builtin_by_code(data_dir), _district_code)
    return domain.Districts(domain.District(data) for data in found.values())


def _district_code(data: dict) -> str:
    return data["district"]["code"]


metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

series = Table(
    "series",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("town_code", String(12), nullable=False, index=True),
    Column("title", String(domain.programmes.MAX_TITLE), nullable=False),
    Column("description", String(domain.programmes.MAX_DESCRIPTION), nullable=False),
    Column("local", Boolean, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("town_code", "title", name="uq_series_title"),
)

episodes = Table(
    "episodes",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("series_id", String(36), nullable=False, index=True),
    Column("town_code", String(12), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(domain.programmes.MAX_TITLE), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("duration_seconds", Integer, nullable=False),
    Column("presenters", JSON, nullable=False),
    Column("media_url", String(1000), nullable=False),
    UniqueConstraint("series_id", "number", name="uq_episodes_number"),
)

# One row per town and channel: locked while a slot is added (no two overlapping slots).
networks = Table(
    "networks",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("town_code", String(12), nullable=False),
    Column("channel", String(16), nullable=False),
)

slots = Table(
    "slots",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("town_code", String(12), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("episode_id", String(36), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False, index=True),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("topic", String(32), nullable=False),
    Column("local", Boolean, nullable=False),
    Column("farm", Boolean, nullable=False),
    Column("state", String(16), nullable=False),
    Column("scheduled_by", String(200), nullable=False),
    # On the loudspeakers: "" until sent to the town's controllers, then sent, preempted or missed.
    Column("playout", String(16), nullable=False, server_default=""),
    Column("resumes", String(36), nullable=False, server_default=""),
    Column("from_seconds", Integer, nullable=False, server_default="0"),
    Column("reminded", Boolean, nullable=False, server_default="0"),
)

# A town's village loudspeaker controllers (村村响), each at an endpoint on the allow-list.
controllers = Table(
    "controllers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("town_code", String(12), nullable=False, index=True),
    Column("village_code", String(12), nullable=False),
    Column("endpoint", String(500), nullable=False),
    Column("registered_by", String(200), nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
)

# What each controller did with each slot: the proof a programme was aired (or why not).
play_reports = Table(
    "play_reports",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("slot_id", String(36), nullable=False),
    Column("controller_id", String(64), nullable=False),
    Column("town_code", String(12), nullable=False, index=True),
    Column("result", String(16), nullable=False),
    Column("detail", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False, index=True),
    UniqueConstraint("slot_id", "controller_id", name="uq_play_reports_slot_controller"),
)

# Emergency alerts as the alerts service broadcasts them: the areas they cover and until when.
alerts_in_force = Table(
    "alerts_in_force",
    metadata,
    Column("alert_id", String(64), primary_key=True),
    Column("area_codes", JSON, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("withdrawn", Boolean, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

progress = Table(
    "progress",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("member", String(40), nullable=False),
    Column("episode_id", String(36), nullable=False),
    Column("series_id", String(36), nullable=False),
    Column("duration_seconds", Integer, nullable=False),
    Column("watched_seconds", Integer, nullable=False),
    Column("position_seconds", Integer, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("household_id", "member", "episode_id", name="uq_progress_member_episode"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("episode_id", String(36), nullable=False),
    Column("series_id", String(36), nullable=False, index=True),
    Column("town_code", String(12), nullable=False),
    Column("village_code", String(12), nullable=False),
    Column("place", String(domain.classroom.MAX_PLACE), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("capacity", Integer, nullable=False),
    # The key of the venue's rotating check-in code (never leaves the service).
    Column("secret", String(64), nullable=False),
)

sign_ups = Table(
    "sign_ups",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("session_id", String(36), ForeignKey("sessions.id"), nullable=False, index=True),
    Column("series_id", String(36), nullable=False),
    Column("household_id", String(36), nullable=False, index=True),
    Column("household_area", String(12), nullable=False),
    Column("member", String(40), nullable=False),
    Column("state", String(16), nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("signed_up_at", UtcDateTime, nullable=False),
    Column("attendance", String(16), nullable=False),
    Column("recorded_by", String(300), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=True),
    UniqueConstraint("session_id", "household_id", "member", name="uq_sign_ups_member"),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("series_id", String(36), nullable=False),
    Column("household_id", String(36), nullable=False),
    Column("member", String(40), nullable=False),
    Column("attended", Integer, nullable=False),
    Column("counted", Integer, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    UniqueConstraint("series_id", "household_id", "member", name="uq_certificates_member"),
)

follows = Table(
    "follows",
    metadata,
    Column("household_id", String(36), primary_key=True),
    Column("series_id", String(36), primary_key=True, index=True),
    Column("town_code", String(12), nullable=False),
    Column("followed_at", UtcDateTime, nullable=False),
)

questions = Table(
    "questions",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("episode_id", String(36), nullable=False, index=True),
    Column("series_id", String(36), nullable=False),
    Column("town_code", String(12), nullable=False),
    Column("household_id", String(36), nullable=False),
    Column("member", String(40), nullable=False),
    Column("text", String(1000), nullable=False),
    Column("asked_at", UtcDateTime, nullable=False),
)

episode_ratings = Table(
    "episode_ratings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("episode_id", String(36), nullable=False, index=True),
    Column("series_id", String(36), nullable=False),
    Column("town_code", String(12), nullable=False),
    Column("household_id", String(36), nullable=False),
    Column("member", String(40), nullable=False),
    Column("level", String(32), nullable=False),
    Column("comment", String(1000), nullable=False),
    Column("rated_at", UtcDateTime, nullable=False),
    UniqueConstraint("episode_id", "household_id", "member", name="uq_episode_ratings_member"),
)

mapper = registry()
mapper.map_imperatively(domain.Series, series)
mapper.map_imperatively(domain.Episode, episodes)
mapper.map_imperatively(domain.Network, networks)
mapper.map_imperatively(domain.Slot, slots)
mapper.map_imperatively(domain.Progress, progress)
mapper.map_imperatively(domain.SignUp, sign_ups)
mapper.map_imperatively(
    domain.Session,
    sessions,
    properties={"sign_ups": relationship(domain.SignUp, order_by=sign_ups.c.seq, lazy="selectin", cascade="all")},
)
mapper.map_imperatively(domain.Certificate, certificates)
mapper.map_imperatively(domain.Controller, controllers)
mapper.map_imperatively(domain.PlayReport, play_reports)
mapper.map_imperatively(domain.AlertInForce, alerts_in_force)
mapper.map_imperatively(domain.Follow, follows)
mapper.map_imperatively(domain.Question, questions)
mapper.map_imperatively(domain.EpisodeRating, episode_ratings)


class SeriesRepo(uow.Repository[domain.Series]):
    def get(self, series_id: str) -> domain.Series | None:
        return self._seen(self.session.scalar(select(domain.Series).where(series.c.id == series_id)))

    def of_town(self, town_code: str) -> list[domain.Series]:
        q = select(domain.Series).where(series.c.town_code == town_code).order_by(series.c.seq)
        return self._all_seen(list(self.session.scalars(q)))

    def by_ids(self, ids: set[str]) -> dict[str, domain.Series]:
        q = select(domain.Series).where(series.c.id.in_(ids))
        return {s.id: s for s in self._all_seen(list(self.session.scalars(q)))}


class Episodes(uow.Repository[domain.Episode]):
    def get(self, episode_id: str) -> domain.Episode | None:
        return self._seen(self.session.scalar(select(domain.Episode).where(episodes.c.id == episode_id)))

    def of_series(self, series_id: str) -> list[domain.Episode]:
        q = select(domain.Episode).where(episodes.c.series_id == series_id).order_by(episodes.c.number)
        return self._all_seen(list(self.session.scalars(q)))

    def by_ids(self, ids: set[str]) -> dict[str, domain.Episode]:
        q = select(domain.Episode).where(episodes.c.id.in_(ids))
        return {e.id: e for e in self._all_seen(list(self.session.scalars(q)))}

    def counts(self, series_ids: set[str]) -> dict[str, int]:
        q = (
            select(episodes.c.series_id, func.count())
            .where(episodes.c.series_id.in_(series_ids))
            .group_by(episodes.c.series_id)
        )
        return {sid: n for sid, n in self.session.execute(q)}


class Networks(uow.Repository[domain.Network]):
    def locked(self, town_code: str, channel: str) -> domain.Network:
        """The network, made on first use, with its row locked until the transaction ends."""
        network_id = domain.Network.id_of(town_code, channel)
        found = self.session.get(domain.Network, network_id, with_for_update=True)
        if found is None:
            self.session.add(domain.Network(network_id, town_code, channel))
            self.session.flush()
            found = self.session.get(domain.Network, network_id, with_for_update=True)
        return self._seen(found)  # type: ignore[return-value]


# Built once: building the statement was a third of each "programmes today" call (bench/education.py).
DAY_WITH_TITLES = (
    select(domain.Slot, domain.Episode, domain.Series)
    .join(episodes, episodes.c.id == slots.c.episode_id)
    .join(series, series.c.id == episodes.c.series_id)
    .where(
        slots.c.town_code == bindparam("town"),
        slots.c.state == domain.SlotState.SCHEDULED,
        slots.c.starts_at >= bindparam("start", type_=UtcDateTime),
        slots.c.starts_at < bindparam("end", type_=UtcDateTime),
    )
    .order_by(slots.c.starts_at, slots.c.seq)
)


class Slots(uow.Repository[domain.Slot]):
    def get(self, slot_id: str) -> domain.Slot | None:
        return self._seen(self.session.scalar(select(domain.Slot).where(slots.c.id == slot_id)))

    def get_for_update(self, slot_id: str) -> domain.Slot | None:
        return self._seen(self.session.scalar(select(domain.Slot).where(slots.c.id == slot_id).with_for_update()))

    def between(
        self, start: dt.datetime, end: dt.datetime, town_codes: list[str], channel: str = ""
    ) -> list[domain.Slot]:
        """Scheduled or cancelled slots of the towns that start before `end` and end after `start`."""
        q = select(domain.Slot).where(
            slots.c.town_code.in_(town_codes), slots.c.starts_at < end, slots.c.ends_at > start
        )
        if channel:
            q = q.where(slots.c.channel == channel)
        return self._all_seen(list(self.session.scalars(q.order_by(slots.c.starts_at, slots.c.seq))))

    def due_on(self, channel: str, until: dt.datetime, limit: int = 500) -> list[domain.Slot]:
        """A channel's slots not yet sent that start before `until`, locked for this pass."""
        q = select(domain.Slot).where(
            slots.c.channel == channel,
            slots.c.state == domain.SlotState.SCHEDULED,
            slots.c.playout == domain.Playout.WAITING,
            slots.c.starts_at <= until,
        )
        return self._all_seen(list(self.session.scalars(q.order_by(slots.c.starts_at).limit(limit).with_for_update())))

    def of_day_with_titles(
        self, town_code: str, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[domain.Slot, domain.Episode, domain.Series]]:
        """A town's scheduled slots starting in [start, end), each with its episode and series, in
        one query (programmes today: the TV's home screen asks for it on every box)."""
        found = self.session.execute(DAY_WITH_TITLES, {"town": town_code, "start": start, "end": end})
        return [(s, e, se) for s, e, se in found]

    def to_remind(self, until: dt.datetime, now: dt.datetime, limit: int = 500) -> list[domain.Slot]:
        """Scheduled slots starting between now and `until` whose followers were not yet reminded, locked."""
        q = select(domain.Slot).where(
            slots.c.state == domain.SlotState.SCHEDULED,
            slots.c.reminded.is_(False),
            slots.c.starts_at > now,
            slots.c.starts_at <= until,
        )
        return self._all_seen(list(self.session.scalars(q.order_by(slots.c.starts_at).limit(limit).with_for_update())))

    def of_episodes(self, episode_ids: set[str]) -> list[domain.Slot]:
        q = select(domain.Slot).where(slots.c.episode_id.in_(episode_ids))
        return self._all_seen(list(self.session.scalars(q)))

    def interrupted(self, channel: str) -> list[domain.Slot]:
        """A channel's slots an alert cut whose rest is not yet queued, locked for this pass."""
        q = select(domain.Slot).where(slots.c.channel == channel, slots.c.playout == domain.Playout.INTERRUPTED)
        return self._all_seen(list(self.session.scalars(q.order_by(slots.c.starts_at).with_for_update())))

    def on_air(self, channel: str, now: dt.datetime) -> list[domain.Slot]:
        q = select(domain.Slot).where(
            slots.c.channel == channel,
            slots.c.playout == domain.Playout.SENT,
            slots.c.starts_at <= now,
            slots.c.ends_at > now,
        )
        return self._all_seen(list(self.session.scalars(q)))


class ProgressRepo(uow.Repository[domain.Progress]):
    def of_member_for_update(self, household_id: str, member: str, episode_id: str) -> domain.Progress | None:
        q = select(domain.Progress).where(
            progress.c.household_id == household_id, progress.c.member == member, progress.c.episode_id == episode_id
        )
        return self._seen(self.session.scalar(q.with_for_update()))

    def of_household(self, household_id: str, member: str = "") -> list[domain.Progress]:
        q = select(domain.Progress).where(progress.c.household_id == household_id)
        if member:
            q = q.where(progress.c.member == member)
        return self._all_seen(list(self.session.scalars(q)))

    def of_episodes(self, episode_ids: set[str]) -> list[domain.Progress]:
        q = select(domain.Progress).where(progress.c.episode_id.in_(episode_ids))
        return self._all_seen(list(self.session.scalars(q)))

    def viewers_by_town(self, start: dt.datetime, end: dt.datetime, town_codes: list[str]) -> dict[str, int]:
        """Households that played each town's programmes on TV (a progress report) in [start, end)."""
        q = (
            select(episodes.c.town_code, func.count(progress.c.household_id.distinct()))
            .join(episodes, episodes.c.id == progress.c.episode_id)
            .where(episodes.c.town_code.in_(town_codes), progress.c.updated_at >= start, progress.c.updated_at < end)
            .group_by(episodes.c.town_code)
        )
        return {town: int(n) for town, n in self.session.execute(q)}


class Sessions(uow.Repository[domain.Session]):
    def get(self, session_id: str) -> domain.Session | None:
        return self._seen(self.session.scalar(select(domain.Session).where(sessions.c.id == session_id)))

    def locked(self, session_id: str) -> domain.Session | None:
        """The session with its row locked: its places are counted and taken in this transaction."""
        q = select(domain.Session).where(sessions.c.id == session_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_series(self, series_id: str) -> list[domain.Session]:
        q = select(domain.Session).where(sessions.c.series_id == series_id).order_by(sessions.c.starts_at)
        return self._all_seen(list(self.session.scalars(q)))

    def upcoming_of_town(self, town_code: str, after) -> list[domain.Session]:
        q = select(domain.Session).where(sessions.c.town_code == town_code, sessions.c.ends_at > after)
        return self._all_seen(list(self.session.scalars(q.order_by(sessions.c.starts_at).limit(50))))


class Certificates(uow.Repository[domain.Certificate]):
    def of_member(self, series_id: str, household_id: str, member: str) -> domain.Certificate | None:
        q = select(domain.Certificate).where(
            certificates.c.series_id == series_id,
            certificates.c.household_id == household_id,
            certificates.c.member == member,
        )
        return self._seen(self.session.scalar(q))


class Controllers(uow.Repository[domain.Controller]):
    def get(self, controller_id: str) -> domain.Controller | None:
        return self._seen(self.session.get(domain.Controller, controller_id, with_for_update=True))

    def of_towns(self, town_codes: set[str]) -> list[domain.Controller]:
        q = select(domain.Controller).where(controllers.c.town_code.in_(town_codes)).order_by(controllers.c.id)
        return self._all_seen(list(self.session.scalars(q)))


class PlayReports(uow.Repository[domain.PlayReport]):
    def of_slots(self, slot_ids: set[str]) -> list[domain.PlayReport]:
        q = select(domain.PlayReport).where(play_reports.c.slot_id.in_(slot_ids)).order_by(play_reports.c.seq)
        return self._all_seen(list(self.session.scalars(q)))

    def of_slot_controller(self, slot_id: str, controller_id: str) -> domain.PlayReport | None:
        q = select(domain.PlayReport).where(
            play_reports.c.slot_id == slot_id, play_reports.c.controller_id == controller_id
        )
        return self._seen(self.session.scalar(q))


class AlertsInForce(uow.Repository[domain.AlertInForce]):
    def get(self, alert_id: str) -> domain.AlertInForce | None:
        return self._seen(self.session.get(domain.AlertInForce, alert_id, with_for_update=True))

    def active(self, now: dt.datetime) -> list[domain.AlertInForce]:
        q = select(domain.AlertInForce).where(
            alerts_in_force.c.withdrawn.is_(False),
            (alerts_in_force.c.expires_at.is_(None)) | (alerts_in_force.c.expires_at > now),
        )
        return self._all_seen(list(self.session.scalars(q)))


class Follows(uow.Repository[domain.Follow]):
    def get(self, household_id: str, series_id: str) -> domain.Follow | None:
        return self._seen(self.session.get(domain.Follow, (household_id, series_id)))

    def of_household(self, household_id: str) -> list[domain.Follow]:
        q = select(domain.Follow).where(follows.c.household_id == household_id).order_by(follows.c.followed_at)
        return self._all_seen(list(self.session.scalars(q)))

    def of_series(self, series_ids: set[str]) -> list[domain.Follow]:
        q = select(domain.Follow).where(follows.c.series_id.in_(series_ids))
        return self._all_seen(list(self.session.scalars(q)))

    def remove(self, follow: domain.Follow) -> None:
        self.session.delete(follow)


class Questions(uow.Repository[domain.Question]):
    def of_episodes(self, episode_ids: set[str]) -> list[domain.Question]:
        q = select(domain.Question).where(questions.c.episode_id.in_(episode_ids)).order_by(questions.c.seq)
        return self._all_seen(list(self.session.scalars(q)))

    def count_of(self, episode_id: str, household_id: str) -> int:
        q = select(func.count()).where(questions.c.episode_id == episode_id, questions.c.household_id == household_id)
        return int(self.session.scalar(q) or 0)


class EpisodeRatings(uow.Repository[domain.EpisodeRating]):
    def of_member(self, episode_id: str, household_id: str, member: str) -> domain.EpisodeRating | None:
        q = select(domain.EpisodeRating).where(
            episode_ratings.c.episode_id == episode_id,
            episode_ratings.c.household_id == household_id,
            episode_ratings.c.member == member,
        )
        return self._seen(self.session.scalar(q))

    def of_episodes(self, episode_ids: set[str]) -> list[domain.EpisodeRating]:
        q = select(domain.EpisodeRating).where(episode_ratings.c.episode_id.in_(episode_ids))
        return self._all_seen(list(self.session.scalars(q)))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.series = SeriesRepo(session)
        self.episodes = Episodes(session)
        self.networks = Networks(session)
        self.slots = Slots(session)
        self.progress = ProgressRepo(session)
        self.sessions = Sessions(session)
        self.certificates = Certificates(session)
        self.controllers = Controllers(session)
        self.play_reports = PlayReports(session)
        self.alerts = AlertsInForce(session)
        self.follows = Follows(session)
        self.questions = Questions(session)
        self.ratings = EpisodeRatings(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
