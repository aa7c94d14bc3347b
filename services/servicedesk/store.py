"""The service desk's tables, the data files it ships with, and the repositories and unit of work
that keep its aggregates. The domain's classes are mapped onto the tables here (imperative
mapping), so the domain stays plain Python."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Session, registry
from sqlalchemy.types import TypeDecorator

from runtime import consumer, districts, outbox, uow
from runtime.db import UtcDateTime
from servicedesk import domain, events

DATA = pathlib.Path(__file__).resolve().parent / "data"
CATALOG_FILE = DATA / "standards.json"
SERVICE_POINTS_FILE = DATA / "service_points.json"
ASSESSMENT_SCHEME_FILE = DATA / "assessment_scheme.json"
OUTREACH_EVENTS_FILE = DATA / "outreach_events.json"


def _load(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_catalog_data(path: pathlib.Path = CATALOG_FILE) -> dict:
    return _load(path)


def load_service_points_data(path: pathlib.Path = SERVICE_POINTS_FILE) -> dict:
    return _load(path)


def load_assessment_scheme(path: pathlib.Path = ASSESSMENT_SCHEME_FILE) -> dict:
    return _load(path)


def load_outreach_events_data(path: pathlib.Path = OUTREACH_EVENTS_FILE) -> dict:
    return _load(path)


def load_district_data() -> dict[str, dict[str, dict]]:
    """Every district's desk data, by district code: the files the service ships with (the pilot's)
    and each DISTRICTS_DIR district's servicedesk.service_points.json with its standards (required),
    assessment scheme (the pilot's when it has none) and outreach events (none when it has none)."""
    pilot = _load(SERVICE_POINTS_FILE)["district"]["code"]
    points = districts.load(
        "servicedesk.service_points.json", {pilot: SERVICE_POINTS_FILE}, lambda d: d["district"]["code"]
    )
    standards = districts.load("servicedesk.standards.json", {pilot: CATALOG_FILE})
    schemes = districts.load("servicedesk.assessment_scheme.json", {pilot: ASSESSMENT_SCHEME_FILE})
    outreach = districts.load("servicedesk.outreach_events.json", {pilot: OUTREACH_EVENTS_FILE})
    found = {}
    for code, data in points.items():
        if code not in standards:
            raise districts.DistrictDataError(f"district {code}: servicedesk.standards.json is missing")
        found[code] = {
            "standards": standards[code],
            "service_points": data,
            "assessment_scheme": schemes.get(code, schemes[pilot]),
            "outreach_events": outreach.get(code, {"events": []}),
        }
    return found


# --- how the domain's values are kept in the columns ---


class IsoDate(TypeDecorator):
    """A date kept as its ISO text (YYYY-MM-DD), which sorts as the dates do."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: dt.date | str | None, dialect) -> str | None:
        return value.isoformat() if isinstance(value, dt.date) else value

    def process_result_value(self, value: str | None, dialect) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(value)


class HourMinute(TypeDecorator):
    """A time of day kept as HH:MM."""

    impl = String(5)
    cache_ok = True

    def process_bind_param(self, value: dt.time | None, dialect) -> str | None:
        return None if value is None else f"{value:%H:%M}"

    def process_result_value(self, value: str | None, dialect) -> dt.time | None:
        return None if value is None else dt.time.fromisoformat(value)


class JsonCodes(TypeDecorator):
    """A tuple of codes kept as a JSON list."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect) -> str | None:
        return None if value is None else json.dumps(list(value))

    def process_result_value(self, value: str | None, dialect) -> tuple[str, ...] | None:
        return None if value is None else tuple(json.loads(value))


class JsonScores(TypeDecorator):
    """Scores by name kept as a JSON object, keys sorted; none at all as the empty text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict | None, dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True) if value else ""

    def process_result_value(self, value: str | None, dialect) -> dict | None:
        return None if value is None else json.loads(value or "{}")


# --- the tables (the migrations are made from them: python -m runtime.revision servicedesk "...") ---

metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

SEQ = BigInteger().with_variant(Integer, "sqlite")

service_requests = Table(
    "service_requests",
    metadata,
    # The order of filing, also the number in the reference and the page token.
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("reference_number", String(40), nullable=True, unique=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("device_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False, index=True),
    Column("service_type", String(64), nullable=False),
    Column("description", Text, nullable=False),
    Column("state", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("catalog_version", String(32), nullable=False),
    Column("idempotency_key", String(100), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("submitted_by_role", String(50), nullable=False),
    Column("service_point_code", String(32), nullable=False, index=True),
    Column("area_type", String(16), nullable=False),
    Column("deadline_at", UtcDateTime, nullable=True),
    Column("paused_seconds", Integer, nullable=False),
    Column("waiting_since", UtcDateTime, nullable=True),
    Column("waits", Integer, nullable=False),
    Column("technician", String(100), nullable=False, index=True),
    Column("window_start", UtcDateTime, nullable=True),
    Column("window_end", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("compensation_fen", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("consent", Text, nullable=False),
    Column("sla_percent_raised", Integer, nullable=False),
    Column("rating_level", String(32), nullable=False),
    Column("rating_indicators", JsonScores, nullable=False),
    Column("rating_comment", Text, nullable=False),
    Column("rated_at", UtcDateTime, nullable=True),
    Column("rectification_deadline", UtcDateTime, nullable=True),
    Column("rectification_follow_up", Text, nullable=False),
    Column("rectified_at", UtcDateTime, nullable=True),
    Column("outreach_event_id", String(36), nullable=False, server_default=""),
    Column("home_visit", String(16), nullable=False, server_default=""),
    # NewRequest.digest(): what was asked, so a retry with its key must ask the same.
    Column("request_digest", String(64), nullable=False, server_default=""),
    # An idempotency key is the filer's own: another caller's same key is another request.
    UniqueConstraint("submitted_by", "idempotency_key", name="uq_request_idempotency_by_filer"),
    # The SLA scheduler's pass pages through the watched states by seq.
    Index("ix_service_requests_state_seq", "state", "seq"),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("request_id", String(36), ForeignKey("service_requests.id"), nullable=False, index=True),
    Column("from_state", String(32), nullable=False),
    Column("to_state", String(32), nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("actor_role", String(50), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# One row per technician of the roster: dispatch locks it (SELECT ... FOR UPDATE).
technicians = Table(
    "technicians",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("service_point_code", String(32), nullable=False),
)

# The assessment read model, built only from the service desk's events on Kafka.
assessment_cases = Table(
    "assessment_cases",
    metadata,
    Column("request_id", String(36), primary_key=True),
    Column("service_point_code", String(32), nullable=False, index=True),
    Column("service_type", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False, index=True),
    Column("deadline_at", UtcDateTime, nullable=True),
    Column("state", String(32), nullable=False),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("compensation_fen", BigInteger, nullable=False),
    Column("rating_level", String(32), nullable=False),
    Column("rectification_deadline", UtcDateTime, nullable=True),
    Column("rectified_at", UtcDateTime, nullable=True),
)

outreach_events = Table(
    "outreach_events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("service_point_code", String(32), nullable=False, index=True),
    Column("area_code", String(12), nullable=False, index=True),
    Column("place", String(200), nullable=False),
    # District-local date and times.
    Column("date", IsoDate, nullable=False, index=True),
    Column("start_time", HourMinute, nullable=False),
    Column("end_time", HourMinute, nullable=False),
    Column("service_types", JsonCodes, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=True),
)

mapper = registry()
mapper.map_imperatively(domain.ServiceRequest, service_requests)
mapper.map_imperatively(domain.AuditEntry, audit_entries)
mapper.map_imperatively(domain.Technician, technicians)
mapper.map_imperatively(domain.Case, assessment_cases)
mapper.map_imperatively(domain.OutreachEvent, outreach_events)


# --- repositories ---


def _page(found: list, size: int) -> tuple[list, str]:
    """A page of `size` from `size + 1` rows read, and the next page's token ("" at the end)."""
    return found[:size], str(found[size - 1].seq) if len(found) > size else ""


class Requests(uow.Repository[domain.ServiceRequest]):
    def get(self, request_id: str) -> domain.ServiceRequest | None:
        return self._seen(self.session.scalar(select(domain.ServiceRequest).where(service_requests.c.id == request_id)))

    def get_for_update(self, request_id: str) -> domain.ServiceRequest | None:
        q = select(domain.ServiceRequest).where(service_requests.c.id == request_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def by_idempotency_key(self, submitted_by: str, key: str) -> domain.ServiceRequest | None:
        c = service_requests.c
        q = select(domain.ServiceRequest).where(c.submitted_by == submitted_by, c.idempotency_key == key)
        return self._seen(self.session.scalar(q))

    def add(self, request: domain.ServiceRequest) -> domain.ServiceRequest:
        """Keep a new request, and number it in the order of filing."""
        super().add(request)
        self.session.flush()
        request.take_number(request.seq)
        return request

    def page_of_household(self, household_id: str, before: int | None, size: int) -> tuple[list, str]:
        """The household's requests, newest first."""
        c = service_requests.c
        q = select(domain.ServiceRequest).where(c.household_id == household_id)
        if before is not None:
            q = q.where(c.seq < before)
        return _page(self._all_seen(list(self.session.scalars(q.order_by(c.seq.desc()).limit(size + 1)))), size)

    def page_of_point(self, point_code: str, states: tuple[str, ...], after: int | None, size: int):
        """A point's queue, in the order of filing."""
        c = service_requests.c
        return self._oldest_first((c.service_point_code == point_code, c.state.in_(states)), after, size)

    def page_of_technician(self, technician: str, states: tuple[str, ...], after: int | None, size: int):
        """A technician's jobs, in the order of filing."""
        c = service_requests.c
        return self._oldest_first((c.technician == technician, c.state.in_(states)), after, size)

    def _oldest_first(self, where: tuple, after: int | None, size: int) -> tuple[list, str]:
        c = service_requests.c
        q = select(domain.ServiceRequest).where(*where)
        if after is not None:
            q = q.where(c.seq > after)
        return _page(self._all_seen(list(self.session.scalars(q.order_by(c.seq).limit(size + 1)))), size)

    def bookings(self, technician: str, states: tuple[str, ...], except_id: str) -> list[domain.ServiceRequest]:
        """The technician's other jobs in `states` (read with the technician locked)."""
        c = service_requests.c
        q = select(domain.ServiceRequest).where(c.technician == technician, c.state.in_(states), c.id != except_id)
        return list(self.session.scalars(q))

    def watched(self, states: tuple[str, ...], limit: int, after: int = 0) -> list[domain.ServiceRequest]:
        """The next `limit` requests in `states` after the one numbered `after` (by `seq`), locked;
        on PostgreSQL those a call holds are skipped (the next pass sees them)."""
        c = service_requests.c
        q = select(domain.ServiceRequest).where(c.state.in_(states), c.seq > after).order_by(c.seq).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        return self._all_seen(list(self.session.scalars(q)))


class AuditTrail:
    def __init__(self, session: Session):
        self.session = session

    def of_request(self, request_id: str) -> list[domain.AuditEntry]:
        q = select(domain.AuditEntry).where(audit_entries.c.request_id == request_id).order_by(audit_entries.c.seq)
        return list(self.session.scalars(q))


class Technicians:
    def __init__(self, session: Session):
        self.session = session

    def keep_roster(self, roster: dict[str, str]) -> None:
        """Make the table hold the roster (username -> point code)."""
        known = {t.username: t for t in self.session.scalars(select(domain.Technician))}
        for username, point in roster.items():
            if username in known:
                known[username].service_point_code = point
            else:
                self.session.add(domain.Technician(username, point))

    def lock(self, username: str) -> domain.Technician | None:
        """Hold the technician until the transaction ends: a concurrent dispatch of them waits here."""
        q = select(domain.Technician).where(technicians.c.username == username).with_for_update()
        return self.session.scalar(q)


class OutreachEvents(uow.Repository[domain.OutreachEvent]):
    def get(self, event_id: str) -> domain.OutreachEvent | None:
        return self._seen(self.session.get(domain.OutreachEvent, event_id))

    def of_town_from(self, town_code: str, day: dt.date) -> list[domain.OutreachEvent]:
        c = outreach_events.c
        q = select(domain.OutreachEvent).where(c.area_code.startswith(town_code), c.date >= day)
        return self._all_seen(list(self.session.scalars(q)))

    def add_missing(self, seeded: list[domain.OutreachEvent]) -> None:
        """Add the events of the seed schedule not kept yet (by id)."""
        known = set(self.session.scalars(select(outreach_events.c.id)))
        for event in seeded:
            if event.id not in known:
                self.add(event)


class Cases:
    def __init__(self, session: Session):
        self.session = session

    def get(self, request_id: str) -> domain.Case | None:
        return self.session.get(domain.Case, request_id)

    def add(self, case: domain.Case) -> domain.Case:
        self.session.add(case)
        return case

    def filed_between(self, start: dt.datetime, end: dt.datetime) -> list[domain.Case]:
        c = assessment_cases.c
        return list(self.session.scalars(select(domain.Case).where(c.submitted_at >= start, c.submitted_at < end)))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.requests = Requests(session)
        self.audit = AuditTrail(session)
        self.technicians = Technicians(session)
        self.outreach_events = OutreachEvents(session)
        self.cases = Cases(session)

    def publish(self, session: Session, event) -> None:
        # Every step of a request goes to its audit trail with the event that announces it.
        entry = domain.AuditEntry.of(event)
        if entry is not None:
            session.add(entry)
        events.publish(session, event)
