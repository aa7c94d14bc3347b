"""E-government's tables, and the repositories and unit of work that keep its aggregates in them
(imperative mapping, so the domain stays plain Python); the catalogs are read from data/."""

from __future__ import annotations

import datetime as dt
import pathlib

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session, lazyload, registry, relationship

from egov import domain, events
from rules import acting, booking
from runtime import consumer, districts, outbox, paging, uow
from runtime.db import UtcDateTime, insert_missing

DATA_DIR = pathlib.Path(__file__).parent / "data"


def load_catalogs(data_dir: pathlib.Path = DATA_DIR) -> domain.Catalogs:
    """Every district's catalog: data/<district code>.json, and each DISTRICTS_DIR district's
    egov.json (runtime.districts)."""
    found = districts.load("egov.json", districts.builtin_by_code(data_dir), _district_code)
    return domain.Catalogs(domain.Catalog(data) for data in found.values())


def _district_code(data: dict) -> str:
    return data["district"]["code"]


metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

applications = Table(
    "applications",
    metadata,
    # The order of starting, and the page token.
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("area_code", String(12), nullable=False),
    Column("district_code", String(6), nullable=False),
    Column("item_code", String(64), nullable=False),
    Column("item_name", String(200), nullable=False),
    Column("department", String(64), nullable=False, index=True),
    Column("catalog_version", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("idempotency_key", String(domain.applications.MAX_IDEMPOTENCY_KEY), nullable=False),
    Column("started_by", String(200), nullable=False),
    Column("state", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("deadline", UtcDateTime, nullable=True),
    Column("returned_at", UtcDateTime, nullable=True),
    Column("paused_seconds", Integer, nullable=False),
    Column("correction", Text, nullable=False),
    Column("correction_materials", Text, nullable=False),
    Column("decision_reason", Text, nullable=False),
    Column("decision_basis", Text, nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("rating_level", String(32), nullable=False),
    Column("rating_indicators", Text, nullable=False),
    Column("rating_reasons", Text, nullable=False),
    Column("rating_comment", Text, nullable=False),
    Column("rated_at", UtcDateTime, nullable=True),
    Column("rectification_due", UtcDateTime, nullable=True),
    Column("visits", Integer, nullable=False, server_default="0"),
    Column("call_back_due", UtcDateTime, nullable=True),
    Column("called_back_at", UtcDateTime, nullable=True),
    Column("call_back_note", Text, nullable=False, server_default=""),
    Column("rectified_at", UtcDateTime, nullable=True),
    Column("rectification_note", Text, nullable=False, server_default=""),
    Column("rerating_level", String(32), nullable=False, server_default=""),
    Column("rerating_comment", Text, nullable=False, server_default=""),
    Column("rerated_at", UtcDateTime, nullable=True),
    Column("rating_invited_at", UtcDateTime, nullable=True),
    # An agent's filing: the household's consent it was made on (who consented, when; for its item).
    Column("consent_id", String(36), nullable=True),
    Column("consent_given_by", String(200), nullable=False, server_default=""),
    Column("consent_given_at", UtcDateTime, nullable=True),
    # A draft handed to another agent of the point: their username, until they take it.
    Column("handed_to", String(100), nullable=False, server_default=""),
    UniqueConstraint("household_id", "idempotency_key", name="uq_applications_idempotency"),
)

# The audit trail: append-only, one row per step.
application_steps = Table(
    "application_steps",
    metadata,
    Column("application_id", String(36), ForeignKey("applications.id"), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("action", String(32), nullable=False),
    Column("from_state", String(32), nullable=False),
    Column("to_state", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_kind", String(32), nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("on_behalf_of", String(36), nullable=False),
    Column("authority", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# The departments' queue as it grew: a row for each submission (and resubmission), written with
# its step; its seq is the cursor of DepartmentService.WatchQueue. Append-only.
queue_feed = Table(
    "queue_feed",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False),
    Column("action", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)
# On PostgreSQL, a transaction holds this (pg_advisory_xact_lock) from its feed row to its commit,
# so rows commit in the order of their seq and a stream reading past seq N never skips one
# committed later (SQLite's writers take turns anyway).
QUEUE_FEED_LOCK = 0x6567_6F76  # "egov"

materials = Table(
    "materials",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("file_name", String(domain.materials.MAX_FILE_NAME), nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Column("added_by", String(200), nullable=False),
    # Set: the content is in the object store under this key (runtime.objects), and `content` is empty.
    Column("object_key", String(100), nullable=False, server_default=""),
    # One file per material of an application: a new one replaces it.
    UniqueConstraint("application_id", "code", name="uq_materials_code"),
)

# A hall's slot, made when it is first booked: the row every booking of it locks.
hall_slots = Table(
    "hall_slots",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("hall_code", String(32), nullable=False),
    Column("window_code", String(32), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False, index=True),
    Column("capacity", Integer, nullable=False),
)

appointments = Table(
    "appointments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("slot_id", String(64), ForeignKey("hall_slots.id"), nullable=False, index=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False, index=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("hall_code", String(32), nullable=False),
    Column("window_code", String(32), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("booked_by", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("cancelled_at", UtcDateTime, nullable=True),
    Column("visited_at", UtcDateTime, nullable=True),
    Column("reminded_at", UtcDateTime, nullable=True),
)

# Consent codes a household's terminal showed (rules.acting.Consent): only the code's digest.
consents = Table(
    "consents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("purpose", String(64), nullable=False),
    Column("code_digest", String(64), nullable=False),
    Column("given_by", String(200), nullable=False),
    Column("given_by_name", String(200), nullable=False),
    Column("given_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("used_by", String(200), nullable=False),
)

# The electronic-certificate registry (电子证照): each household's certificates.
certificates = Table(
    "certificates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("kind", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("number", String(64), nullable=False),
    Column("holder", String(100), nullable=False),
    Column("issuer", String(200), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("application_id", String(36), nullable=False),
    UniqueConstraint("household_id", "kind", "number", name="uq_certificates_number"),
)

_mapper = registry()
_mapper.map_imperatively(domain.Certificate, certificates)
_mapper.map_imperatively(acting.Consent, consents)
_mapper.map_imperatively(domain.ApplicationStep, application_steps)
_mapper.map_imperatively(
    domain.Application,
    applications,
    properties={
        "steps": relationship(
            domain.ApplicationStep, order_by=application_steps.c.n, lazy="selectin", cascade="all, delete-orphan"
        ),
        # Read-only here: an appointment is added through its slot (the slot's lock).
        "appointments": relationship(
            domain.Appointment,
            primaryjoin=applications.c.id == appointments.c.application_id,
            foreign_keys=[appointments.c.application_id],
            order_by=appointments.c.created_at,
            lazy="selectin",
            viewonly=True,
        ),
    },
)
_mapper.map_imperatively(domain.Material, materials)
_mapper.map_imperatively(domain.Appointment, appointments)
_mapper.map_imperatively(
    domain.HallSlot,
    hall_slots,
    properties={
        "appointments": relationship(
            domain.Appointment, order_by=appointments.c.created_at, lazy="selectin", cascade="all"
        )
    },
)


class Applications(uow.Repository[domain.Application]):
    def get(self, application_id: str) -> domain.Application | None:
        q = select(domain.Application).where(applications.c.id == application_id)
        return self._seen(self.session.scalar(q))

    def get_for_update(self, application_id: str) -> domain.Application | None:
        q = select(domain.Application).where(applications.c.id == application_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def by_idempotency_key(self, household_id: str, key: str) -> domain.Application | None:
        q = select(domain.Application).where(
            applications.c.household_id == household_id, applications.c.idempotency_key == key
        )
        return self._seen(self.session.scalar(q))

    def _page(self, q, page_token: int | None, size: int) -> tuple[list[domain.Application], str]:
        if page_token is not None:
            q = q.where(applications.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(applications.c.seq.desc()).limit(size + 1))))
        return paging.cut(found, size, lambda a: a.seq)  # seq: the table's order of starting

    def page_of_household(self, household_id: str, token: int | None, size: int):
        """A page of the household's applications, newest first, and the next page's token."""
        return self._page(select(domain.Application).where(applications.c.household_id == household_id), token, size)

    def page_of_agent(self, actor: str, username: str, area_code: str, token: int | None, size: int):
        """A page of an agent's worklist, newest first: the applications they started or took over,
        and the drafts handed to them by another agent of their point."""
        handed = (applications.c.handed_to == username) & (applications.c.area_code == area_code)
        mine = (applications.c.started_by == actor) | handed if username else applications.c.started_by == actor
        return self._page(select(domain.Application).where(mine), token, size)

    def page_of_departments(
        self, departments: set[str], area_prefix: str, states: tuple[str, ...], token: int | None, size: int
    ):
        """A page of the departments' applications in `states` from the area, newest first."""
        q = select(domain.Application).where(
            applications.c.department.in_(sorted(departments)),
            applications.c.state.in_(states),
            applications.c.area_code.startswith(area_prefix, autoescape=True),
        )
        return self._page(q, token, size)

    def queued_for_departments(
        self, departments: set[str], area_prefix: str, after_seq: int, limit: int
    ) -> list[domain.Application]:
        """The departments' applications in their queue (submitted, accepted) from the area,
        oldest first, after the one of `after_seq` (the table's order of starting)."""
        q = select(domain.Application).where(
            applications.c.department.in_(sorted(departments)),
            applications.c.state.in_(domain.OPEN_FOR_DEPARTMENT),
            applications.c.area_code.startswith(area_prefix, autoescape=True),
            applications.c.seq > after_seq,
        )
        return self._all_seen(list(self.session.scalars(q.order_by(applications.c.seq).limit(limit))))

    def submitted_in_district(self, district_code: str) -> list[domain.Application]:
        """Every application of the district past its draft, without its steps (the figures)."""
        q = select(domain.Application).where(
            applications.c.district_code == district_code, applications.c.state != domain.State.DRAFT
        )
        return list(self.session.scalars(q.options(lazyload("*"))))

    def unrated_uninvited(self, district_code: str, completed_by: dt.datetime) -> list[str]:
        """The district's applications completed by then, unrated and not yet invited to be rated."""
        q = select(applications.c.id).where(
            applications.c.district_code == district_code,
            applications.c.state.in_(domain.COMPLETED),
            applications.c.rating_level == "",
            applications.c.rating_invited_at.is_(None),
            applications.c.decided_at <= completed_by,
        )
        return list(self.session.scalars(q.order_by(applications.c.seq)))


class QueueFeed:
    """The departments' queue as it grew (DepartmentService.WatchQueue's entries)."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, application_id: str, action: str, at: dt.datetime) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": QUEUE_FEED_LOCK})
        self.session.execute(queue_feed.insert().values(application_id=application_id, action=action, at=at))

    def newest(self) -> int:
        """The newest entry's seq (0: none yet)."""
        return self.session.scalar(select(func.coalesce(func.max(queue_feed.c.seq), 0))) or 0

    def after(
        self, seq: int, departments: set[str], area_prefix: str, limit: int = 100
    ) -> list[tuple[int, str, domain.Application]]:
        """The entries after `seq` for the departments' applications from the area, oldest first:
        (seq, action, application)."""
        q = (
            select(queue_feed.c.seq, queue_feed.c.action, domain.Application)
            .join(applications, applications.c.id == queue_feed.c.application_id)
            .where(
                queue_feed.c.seq > seq,
                applications.c.department.in_(sorted(departments)),
                applications.c.area_code.startswith(area_prefix, autoescape=True),
            )
            .order_by(queue_feed.c.seq)
            .limit(limit)
        )
        return [(n, action, app) for n, action, app in self.session.execute(q)]


class Materials(uow.Repository[domain.Material]):
    def given(self, application_id: str) -> list:
        """What is known of each material given (everything but its content), by code."""
        cols = [c for c in materials.c if c.name not in ("content", "object_key")]
        q = select(*cols).where(materials.c.application_id == application_id).order_by(materials.c.code)
        return list(self.session.execute(q))

    def get(self, application_id: str, code: str) -> domain.Material | None:
        q = select(domain.Material).where(materials.c.application_id == application_id, materials.c.code == code)
        return self.session.scalar(q)

    def replace(self, material: domain.Material) -> None:
        """Keep the new file of a material, in place of any earlier one."""
        self.session.execute(
            delete(materials).where(
                materials.c.application_id == material.application_id, materials.c.code == material.code
            )
        )
        self.session.flush()
        self.add(material)


class HallSlots(uow.Repository[domain.HallSlot]):
    def locked(self, ref: domain.SlotRef) -> domain.HallSlot:
        """The slot's row, made if it is the first booking of it, locked until the transaction
        ends (PostgreSQL's row lock; SQLite's writers are serialized already)."""
        row = domain.HallSlot.of(ref)
        insert_missing(
            self.session,
            hall_slots,
            ["id"],
            id=row.id,
            hall_code=row.hall_code,
            window_code=row.window_code,
            starts_at=row.starts_at,
            capacity=row.capacity,
        )
        q = select(domain.HallSlot).where(hall_slots.c.id == ref.id).with_for_update()
        slot = self.session.scalar(q.execution_options(populate_existing=True))
        assert slot is not None
        return self._seen(slot)  # type: ignore[return-value]

    def by_id(self, ids: list[str]) -> dict[str, domain.HallSlot]:
        """The slots among `ids` that have been booked (with their appointments)."""
        q = select(domain.HallSlot).where(hall_slots.c.id.in_(ids))
        return {s.id: s for s in self.session.scalars(q)}


class Appointments(uow.Repository[domain.Appointment]):
    def get(self, appointment_id: str) -> domain.Appointment | None:
        q = select(domain.Appointment).where(appointments.c.id == appointment_id).with_for_update()
        return self.session.scalar(q)

    def of_application(self, application_id: str) -> list[domain.Appointment]:
        q = select(domain.Appointment).where(appointments.c.application_id == application_id)
        return list(self.session.scalars(q.order_by(appointments.c.created_at)))

    def of_household(self, household_id: str) -> list[domain.Appointment]:
        q = select(domain.Appointment).where(appointments.c.household_id == household_id)
        return list(self.session.scalars(q))

    def confirmed_unreminded(self, now: dt.datetime) -> list[tuple[domain.Appointment, str]]:
        """Confirmed appointments still ahead and not yet reminded, each with its application's
        district (whose policy says when the reminder is due)."""
        q = (
            select(domain.Appointment, applications.c.district_code)
            .join(applications, applications.c.id == appointments.c.application_id)
            .where(
                appointments.c.state == booking.CONFIRMED,
                appointments.c.reminded_at.is_(None),
                appointments.c.starts_at > now,
            )
        )
        return [(a, district) for a, district in self.session.execute(q.order_by(appointments.c.starts_at))]


class Consents:
    def __init__(self, session: Session):
        self.session = session

    def add(self, consent: acting.Consent) -> None:
        self.session.add(consent)

    def live_for(self, household_id: str, purpose: str, now: dt.datetime) -> list[acting.Consent]:
        """The household's unused, unexpired consents for the purpose, newest first, locked."""
        q = select(acting.Consent).where(
            consents.c.household_id == household_id,
            consents.c.purpose == purpose,
            consents.c.used_at.is_(None),
            consents.c.expires_at > now,
        )
        return list(self.session.scalars(q.order_by(consents.c.given_at.desc()).with_for_update()))


class Certificates:
    def __init__(self, session: Session):
        self.session = session

    def add(self, certificate: domain.Certificate) -> None:
        self.session.add(certificate)

    def of_household(self, household_id: str) -> list[domain.Certificate]:
        """The household's certificates, the newest of each kind first."""
        q = select(domain.Certificate).where(certificates.c.household_id == household_id)
        return list(self.session.scalars(q.order_by(certificates.c.issued_at.desc())))

    def find(self, household_id: str, kind: str, number: str) -> domain.Certificate | None:
        q = select(domain.Certificate).where(
            certificates.c.household_id == household_id, certificates.c.kind == kind, certificates.c.number == number
        )
        return self.session.scalar(q)


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.certificates = Certificates(session)
        self.consents = Consents(session)
        self.applications = Applications(session)
        self.materials = Materials(session)
        self.slots = HallSlots(session)
        self.appointments = Appointments(session)
        self.queue = QueueFeed(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
        if isinstance(event, domain.ApplicationStepTaken) and event.to_state == domain.State.SUBMITTED:
            self.queue.add(event.application_id, event.action, event.at)
