"""Service-desk tables, queries, and the standard catalog file."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import uuid

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from runtime import consumer, outbox
from runtime.db import UtcDateTime

DATA = pathlib.Path(__file__).resolve().parent / "data"
CATALOG_FILE = DATA / "standards.json"
SERVICE_POINTS_FILE = DATA / "service_points.json"


class Base(DeclarativeBase):
    pass


# The service's tables (its migrations are made from them).
metadata = Base.metadata


outbox.define_tables(Base.metadata)
consumer.define_tables(Base.metadata)


class ServiceRequestRow(Base):
    __tablename__ = "service_requests"
    __table_args__ = (UniqueConstraint("household_id", "idempotency_key", name="uq_request_idempotency"),)

    # Sequence number, also the number in the reference.
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    reference_number: Mapped[str] = mapped_column(String(40), unique=True, nullable=True)
    household_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36), default="")
    area_code: Mapped[str] = mapped_column(String(12), index=True)
    service_type: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    catalog_version: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    submitted_by: Mapped[str] = mapped_column(String(100))
    submitted_by_role: Mapped[str] = mapped_column(String(50), default="")
    service_point_code: Mapped[str] = mapped_column(String(32), default="", index=True)
    area_type: Mapped[str] = mapped_column(String(16), default="urban")
    deadline_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    # Time spent waiting for the citizen (moves the deadline on), and since when it waits now.
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    waiting_since: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    waits: Mapped[int] = mapped_column(Integer, default=0)
    technician: Mapped[str] = mapped_column(String(100), default="", index=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    window_end: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    resolved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    compensation_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[str] = mapped_column(Text, default="")
    # The highest SLA threshold (percent) already raised.
    sla_percent_raised: Mapped[int] = mapped_column(Integer, default=0)
    rating_level: Mapped[str] = mapped_column(String(32), default="")
    rating_indicators: Mapped[str] = mapped_column(Text, default="")
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    rectification_deadline: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    rectification_follow_up: Mapped[str] = mapped_column(Text, default="")
    rectified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    outreach_event_id: Mapped[str] = mapped_column(String(36), default="", server_default="")
    # A home visit asked for: elderly / disabled; empty = none.
    home_visit: Mapped[str] = mapped_column(String(16), default="", server_default="")


class AuditEntryRow(Base):
    """Every transition of a request: who, when, through which channel, from and to."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(36), ForeignKey("service_requests.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(50))
    channel: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TechnicianRow(Base):
    """One row per technician of the roster: dispatch locks it (SELECT ... FOR UPDATE), so
    two managers assigning the same technician at once are serialized and never double-book."""

    __tablename__ = "technicians"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    service_point_code: Mapped[str] = mapped_column(String(32))


def load_catalog_data(path: pathlib.Path = CATALOG_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def find_by_idempotency_key(s: Session, household_id: str, key: str) -> ServiceRequestRow | None:
    return s.scalar(
        select(ServiceRequestRow).where(
            ServiceRequestRow.household_id == household_id, ServiceRequestRow.idempotency_key == key
        )
    )


def get(s: Session, request_id: str) -> ServiceRequestRow | None:
    return s.scalar(select(ServiceRequestRow).where(ServiceRequestRow.id == request_id))


def list_for_household(s: Session, household_id: str, before_seq: int | None, limit: int) -> list[ServiceRequestRow]:
    q = select(ServiceRequestRow).where(ServiceRequestRow.household_id == household_id)
    if before_seq is not None:
        q = q.where(ServiceRequestRow.seq < before_seq)
    return list(s.scalars(q.order_by(ServiceRequestRow.seq.desc()).limit(limit)))


class AssessmentCaseRow(Base):
    """The assessment read model: one row per request, built only from the service
    desk's events on Kafka (as any other service could build it)."""

    __tablename__ = "assessment_cases"

    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_point_code: Mapped[str] = mapped_column(String(32), index=True)
    service_type: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    deadline_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    compensation_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    rating_level: Mapped[str] = mapped_column(String(32), default="")
    rectification_deadline: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)
    rectified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)


ASSESSMENT_SCHEME_FILE = DATA / "assessment_scheme.json"


def load_assessment_scheme(path: pathlib.Path = ASSESSMENT_SCHEME_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cases_between(s: Session, start: dt.datetime, end: dt.datetime) -> list[AssessmentCaseRow]:
    return list(
        s.scalars(
            select(AssessmentCaseRow).where(
                AssessmentCaseRow.submitted_at >= start, AssessmentCaseRow.submitted_at < end
            )
        )
    )


def load_service_points_data(path: pathlib.Path = SERVICE_POINTS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def sync_technicians(s: Session, roster: dict[str, str]) -> None:
    """Make the technicians table hold the roster (username -> point code)."""
    existing = {r.username: r for r in s.scalars(select(TechnicianRow))}
    for username, point in roster.items():
        if username in existing:
            existing[username].service_point_code = point
        else:
            s.add(TechnicianRow(username=username, service_point_code=point))


def lock_technician(s: Session, username: str) -> TechnicianRow | None:
    return s.scalar(select(TechnicianRow).where(TechnicianRow.username == username).with_for_update())


def get_for_update(s: Session, request_id: str) -> ServiceRequestRow | None:
    return s.scalar(select(ServiceRequestRow).where(ServiceRequestRow.id == request_id).with_for_update())


def bookings(s: Session, technician: str, states: tuple[str, ...], except_id: str) -> list[ServiceRequestRow]:
    return list(
        s.scalars(
            select(ServiceRequestRow).where(
                ServiceRequestRow.technician == technician,
                ServiceRequestRow.state.in_(states),
                ServiceRequestRow.id != except_id,
            )
        )
    )


def list_for_point(
    s: Session, point_code: str, states: tuple[str, ...], after_seq: int | None, limit: int
) -> list[ServiceRequestRow]:
    q = select(ServiceRequestRow).where(
        ServiceRequestRow.service_point_code == point_code, ServiceRequestRow.state.in_(states)
    )
    if after_seq is not None:
        q = q.where(ServiceRequestRow.seq > after_seq)
    return list(s.scalars(q.order_by(ServiceRequestRow.seq).limit(limit)))


def list_for_technician(
    s: Session, technician: str, states: tuple[str, ...], after_seq: int | None, limit: int
) -> list[ServiceRequestRow]:
    q = select(ServiceRequestRow).where(ServiceRequestRow.technician == technician, ServiceRequestRow.state.in_(states))
    if after_seq is not None:
        q = q.where(ServiceRequestRow.seq > after_seq)
    return list(s.scalars(q.order_by(ServiceRequestRow.seq).limit(limit)))


def open_requests(s: Session, states: tuple[str, ...], limit: int) -> list[ServiceRequestRow]:
    return list(
        s.scalars(
            select(ServiceRequestRow)
            .where(ServiceRequestRow.state.in_(states))
            .order_by(ServiceRequestRow.seq)
            .limit(limit)
        )
    )


def audit_entries(s: Session, request_id: str) -> list[AuditEntryRow]:
    return list(
        s.scalars(select(AuditEntryRow).where(AuditEntryRow.request_id == request_id).order_by(AuditEntryRow.seq))
    )


OUTREACH_EVENTS_FILE = DATA / "outreach_events.json"


class OutreachEventRow(Base):
    """A scheduled outreach event (seeded from the data file, added by point managers)."""

    __tablename__ = "outreach_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    service_point_code: Mapped[str] = mapped_column(String(32), index=True)
    area_code: Mapped[str] = mapped_column(String(12), index=True)
    place: Mapped[str] = mapped_column(String(200))
    # District-local date and HH:MM times.
    date: Mapped[str] = mapped_column(String(10), index=True)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    service_types: Mapped[str] = mapped_column(Text)  # JSON list of codes
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=True)


def load_outreach_events_data(path: pathlib.Path = OUTREACH_EVENTS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_outreach_events(s: Session, events: list[dict]) -> None:
    """Add the data file's events not in the table yet (by id)."""
    known = set(s.scalars(select(OutreachEventRow.id)))
    for e in events:
        if e["id"] not in known:
            s.add(
                OutreachEventRow(
                    id=e["id"],
                    service_point_code=e["service_point_code"],
                    area_code=e["area_code"],
                    place=e["place"],
                    date=e["date"],
                    start_time=e["start_time"],
                    end_time=e["end_time"],
                    service_types=json.dumps(e["service_types"]),
                    created_by="seed",
                )
            )


def outreach_event(s: Session, event_id: str) -> OutreachEventRow | None:
    return s.scalar(select(OutreachEventRow).where(OutreachEventRow.id == event_id))


def outreach_events_from(s: Session, town_code: str, from_date: str) -> list[OutreachEventRow]:
    return list(
        s.scalars(
            select(OutreachEventRow).where(
                OutreachEventRow.area_code.startswith(town_code), OutreachEventRow.date >= from_date
            )
        )
    )
