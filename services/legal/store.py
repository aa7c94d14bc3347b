"""Legal's tables, the domain's classes mapped onto them (imperative mapping), its repositories and
unit of work, and the districts' data files."""

from __future__ import annotations

import datetime as dt
import pathlib

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Session, registry, relationship

from legal import domain, events
from runtime import consumer, districts, outbox, paging, uow
from runtime.db import UtcDateTime
from runtime.settings import REPO_ROOT, env

DATA_DIR = pathlib.Path(__file__).parent / "data"


def configured_data_dir() -> pathlib.Path:
    """LEGAL_DATA_DIR (relative to the repository) where it is set: the e2e platform's district data,
    with a short answer time and its own roster; else the service's own data/."""
    configured = env("LEGAL_DATA_DIR")
    return REPO_ROOT / configured if configured else DATA_DIR


def load_districts(data_dir: pathlib.Path = DATA_DIR) -> domain.Districts:
    """Every district's data: data/<district code>.json, and each DISTRICTS_DIR district's
    legal.json (runtime.districts); checked as it loads."""
    found = districts.load("legal.json", districts.builtin_by_code(data_dir), _district_code)
    return domain.Districts(domain.District(data) for data in found.values())


def _district_code(data: dict) -> str:
    return data["district"]["code"]


# The service's tables (its migrations are made from them: python -m runtime.revision legal "...").
metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

contents = Table(
    "contents",
    metadata,
    # The order of drafting, and the page token.
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("district_code", String(6), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("audiences", String(200), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("speech_text", Text, nullable=False),
    Column("audio_url", String(500), nullable=False),
    Column("video_url", String(500), nullable=False),
    Column("state", String(16), nullable=False),
    Column("author", String(200), nullable=False),
    Column("author_name", String(200), nullable=False),
    Column("idempotency_key", String(domain.content.MAX_IDEMPOTENCY_KEY), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("reviewer_name", String(200), nullable=False),
    Column("review_note", String(500), nullable=False),
    Column("reviewed_at", UtcDateTime, nullable=True),
    UniqueConstraint("author", "idempotency_key", name="uq_contents_idempotency"),
)

consultations = Table(
    "consultations",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("district_code", String(6), nullable=False),
    Column("village_code", String(12), nullable=False),
    Column("household_id", String(36), nullable=False, index=True),
    # The token subject of whoever asked (the household's, or the agent's who asked for it).
    Column("asker", String(200), nullable=False, index=True),
    Column("asker_kind", String(32), nullable=False),
    Column("asker_name", String(200), nullable=False),
    Column("consent", String(200), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("advisor", String(200), nullable=False, index=True),
    Column("advisor_name", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    # The clock of the question waiting for an answer (restarted by a follow-up).
    Column("asked_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("escalated_percent", Integer, nullable=False),
    Column("next_escalation_at", UtcDateTime, nullable=True, index=True),
    Column("follow_ups", Integer, nullable=False),
    Column("rating_level", String(32), nullable=False),
    Column("rating_indicators", String(500), nullable=False),
    Column("rating_comment", Text, nullable=False),
    Column("rating_reasons", String(500), nullable=False),
    Column("rated_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # The asker's Idempotency-Key (unique: a retry finds its question, another caller's reuse is refused).
    Column("idempotency_key", String(domain.content.MAX_IDEMPOTENCY_KEY), nullable=True),
    # A call-back request's mobile number (empty otherwise).
    Column("call_back_phone", String(11), nullable=False, server_default=""),
    UniqueConstraint("idempotency_key", name="uq_consultations_idempotency"),
)

consultation_messages = Table(
    "consultation_messages",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("consultation_id", String(36), ForeignKey("consultations.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("author_kind", String(32), nullable=False),
    Column("author_name", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

activities = Table(
    "activities",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("district_code", String(6), nullable=False),
    Column("station", String(12), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("roles", String(400), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("organizer", String(200), nullable=False),
    Column("organizer_name", String(200), nullable=False),
    # What the activity's QR code carries, for volunteers to check in and out.
    Column("check_in_code", String(40), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

sign_ups = Table(
    "sign_ups",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("activity_id", String(36), ForeignKey("activities.id"), nullable=False),
    Column("volunteer", String(36), nullable=False, index=True),
    Column("volunteer_name", String(200), nullable=False),
    Column("role", String(30), nullable=False),
    Column("party", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("checked_in_at", UtcDateTime, nullable=True),
    Column("checked_out_at", UtcDateTime, nullable=True),
    Column("half_hours", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # One sign-up per volunteer per activity, even when two arrive at once.
    UniqueConstraint("activity_id", "volunteer", name="uq_sign_ups_volunteer"),
)

hours_corrections = Table(
    "hours_corrections",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("sign_up_id", String(36), ForeignKey("sign_ups.id"), nullable=False, index=True),
    Column("before", Integer, nullable=False),
    Column("after", Integer, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

quiz_attempts = Table(
    "quiz_attempts",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("paper_id", String(64), nullable=False),
    Column("household_id", String(36), nullable=False),
    # The township part of the area code (9 digits): participation and scores per town.
    Column("town", String(9), nullable=False, index=True),
    # The local day of the attempt (YYYY-MM-DD): one attempt per paper per person per day.
    Column("day", String(10), nullable=False),
    Column("answers", Text, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("score", Integer, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    UniqueConstraint("paper_id", "household_id", "day", name="uq_quiz_attempts_daily"),
)

advisor_duties = Table(
    "advisor_duties",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("district_code", String(6), nullable=False),
    Column("village_code", String(12), nullable=False, index=True),
    Column("advisor", String(200), nullable=False),
    Column("advisor_name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    # The local day it was done.
    Column("done_on", Date, nullable=False),
    Column("note", String(500), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    # One record of a duty per village and day: a retry finds it.
    UniqueConstraint("village_code", "kind", "done_on", name="uq_advisor_duties_day"),
)

mapper = registry()
mapper.map_imperatively(domain.Content, contents)
mapper.map_imperatively(domain.Message, consultation_messages)
mapper.map_imperatively(
    domain.Consultation,
    consultations,
    properties={
        "messages": relationship(
            domain.Message, order_by=consultation_messages.c.seq, cascade="all, delete-orphan", lazy="selectin"
        )
    },
)


class Contents(uow.Repository[domain.Content]):
    def get(self, content_id: str, for_update: bool = False) -> domain.Content | None:
        q = select(domain.Content).where(contents.c.id == content_id)
        return self._seen(self.session.scalar(q.with_for_update() if for_update else q))

    def by_idempotency_key(self, author: str, key: str) -> domain.Content | None:
        q = select(domain.Content).where(contents.c.author == author, contents.c.idempotency_key == key)
        return self._seen(self.session.scalar(q))

    def page(
        self,
        district_code: str,
        state: str,
        page_token: int | None,
        size: int,
        kind: str = "",
        topic: str = "",
        audience: str = "",
    ) -> tuple[list[domain.Content], str]:
        """A page of the district's content in a state, newest first, and the next page's token."""
        q = select(domain.Content).where(contents.c.district_code == district_code, contents.c.state == state)
        if kind:
            q = q.where(contents.c.kind == kind)
        if topic:
            q = q.where(contents.c.topic == topic)
        if audience:
            q = q.where(contents.c.audiences.contains(f",{audience},", autoescape=True))
        if page_token is not None:
            q = q.where(contents.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(contents.c.seq.desc()).limit(size + 1))))
        return paging.cut(found, size, lambda c: c.seq)


mapper.map_imperatively(domain.HoursCorrection, hours_corrections)
mapper.map_imperatively(
    domain.SignUp,
    sign_ups,
    properties={
        "corrections": relationship(
            domain.HoursCorrection, order_by=hours_corrections.c.seq, cascade="all, delete-orphan", lazy="selectin"
        )
    },
)
mapper.map_imperatively(
    domain.Activity,
    activities,
    properties={
        "sign_ups": relationship(domain.SignUp, order_by=sign_ups.c.seq, cascade="all, delete-orphan", lazy="selectin")
    },
)


class Activities(uow.Repository[domain.Activity]):
    def get(self, activity_id: str, for_update: bool = False) -> domain.Activity | None:
        q = select(domain.Activity).where(activities.c.id == activity_id)
        return self._seen(self.session.scalar(q.with_for_update() if for_update else q))

    def page(self, district_code: str, station: str, page_token: int | None, size: int):
        """The district's (or one station's) activities, newest first, and the next page's token."""
        q = select(domain.Activity).where(activities.c.district_code == district_code)
        if station:
            q = q.where(activities.c.station == station)
        if page_token is not None:
            q = q.where(activities.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(activities.c.seq.desc()).limit(size + 1))))
        return paging.cut(found, size, lambda a: a.seq)

    def with_lapsed_offers(self, now: dt.datetime, limit: int) -> list[domain.Activity]:
        """Activities holding an offered place whose offer has lapsed, locked (others' passes skip them)."""
        lapsed = select(sign_ups.c.activity_id).where(
            sign_ups.c.state == domain.volunteers.SignUpState.OFFERED, sign_ups.c.expires_at <= now
        )
        q = (
            select(domain.Activity)
            .where(activities.c.id.in_(lapsed))
            .order_by(activities.c.seq)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return self._all_seen(list(self.session.scalars(q)))

    def sign_ups_of(self, volunteer: str) -> list[tuple[domain.SignUp, domain.Activity]]:
        q = (
            select(domain.SignUp, domain.Activity)
            .join(activities, activities.c.id == sign_ups.c.activity_id)
            .where(sign_ups.c.volunteer == volunteer)
            .order_by(sign_ups.c.seq.desc())
        )
        return [(s, a) for s, a in self.session.execute(q)]

    def station_totals(self, district_code: str) -> list[tuple[str, int, int]]:
        """Per station: its volunteers (distinct) and half hours of attended sign-ups."""
        q = (
            select(activities.c.station, func.count(sign_ups.c.volunteer.distinct()), func.sum(sign_ups.c.half_hours))
            .join(activities, activities.c.id == sign_ups.c.activity_id)
            .where(
                activities.c.district_code == district_code, sign_ups.c.state == domain.volunteers.SignUpState.ATTENDED
            )
            .group_by(activities.c.station)
            .order_by(activities.c.station)
        )
        return [(st, int(n), int(h or 0)) for st, n, h in self.session.execute(q)]


mapper.map_imperatively(domain.Attempt, quiz_attempts)


class Attempts(uow.Repository[domain.Attempt]):
    def of_day(self, paper_id: str, household_id: str, day: str) -> domain.Attempt | None:
        q = select(domain.Attempt).where(
            quiz_attempts.c.paper_id == paper_id,
            quiz_attempts.c.household_id == household_id,
            quiz_attempts.c.day == day,
        )
        return self._seen(self.session.scalar(q))

    def town_stats(self, district_code: str) -> list[tuple[str, int, int, float]]:
        """Per town of the district: households taking part, attempts, average score."""
        q = (
            select(
                quiz_attempts.c.town,
                func.count(quiz_attempts.c.household_id.distinct()),
                func.count(),
                func.avg(quiz_attempts.c.score),
            )
            .where(quiz_attempts.c.town.startswith(district_code, autoescape=True))
            .group_by(quiz_attempts.c.town)
            .order_by(quiz_attempts.c.town)
        )
        return [(t, int(p), int(n), float(avg or 0)) for t, p, n, avg in self.session.execute(q)]


class Consultations(uow.Repository[domain.Consultation]):
    def get(self, consultation_id: str, for_update: bool = False) -> domain.Consultation | None:
        q = select(domain.Consultation).where(consultations.c.id == consultation_id)
        return self._seen(self.session.scalar(q.with_for_update() if for_update else q))

    def page(
        self, by: str, value: str, page_token: int | None, size: int, escalated_only: bool = False
    ) -> tuple[list[domain.Consultation], str]:
        """A page of the consultations whose `by` (household_id, asker, advisor, district_code) is
        `value`, newest first, and the next page's token."""
        q = select(domain.Consultation).where(consultations.c[by] == value)
        if escalated_only:
            q = q.where(consultations.c.escalated_percent > 0)
        if page_token is not None:
            q = q.where(consultations.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(consultations.c.seq.desc()).limit(size + 1))))
        return paging.cut(found, size, lambda c: c.seq)

    def by_idempotency_key(self, key: str) -> domain.Consultation | None:
        return self._seen(
            self.session.scalar(select(domain.Consultation).where(consultations.c.idempotency_key == key))
        )

    def due_for_escalation(self, now: dt.datetime, limit: int) -> list[domain.Consultation]:
        """Waiting questions whose next threshold has come, locked (others' passes skip them)."""
        q = (
            select(domain.Consultation)
            .where(consultations.c.next_escalation_at <= now)
            .order_by(consultations.c.next_escalation_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return self._all_seen(list(self.session.scalars(q)))


mapper.map_imperatively(domain.DutyRecord, advisor_duties)


class AdvisorDuties(uow.Repository[domain.DutyRecord]):
    def of_day(self, village: str, kind: str, day: dt.date) -> domain.DutyRecord | None:
        q = select(domain.DutyRecord).where(
            advisor_duties.c.village_code == village, advisor_duties.c.kind == kind, advisor_duties.c.done_on == day
        )
        return self._seen(self.session.scalar(q))

    def since(self, villages: list[str], first: dt.date) -> list[domain.DutyRecord]:
        """The villages' records from `first` on (what the compliance view reads)."""
        q = select(domain.DutyRecord).where(
            advisor_duties.c.village_code.in_(villages), advisor_duties.c.done_on >= first
        )
        return list(self.session.scalars(q.order_by(advisor_duties.c.done_on)))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.contents = Contents(session)
        self.consultations = Consultations(session)
        self.activities = Activities(session)
        self.attempts = Attempts(session)
        self.duties = AdvisorDuties(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
