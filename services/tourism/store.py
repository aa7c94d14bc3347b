"""Tourism's tables, and the repositories and unit of work that keep its aggregates in them
(imperative mapping, so the domain stays plain Python); the venues and events are read from data/."""

from __future__ import annotations

import datetime as dt
import pathlib

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    and_,
    delete,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session, registry

from runtime import consumer, districts, outbox, paging, uow
from runtime.db import UtcDateTime, insert_missing
from tourism import domain, events
from tourism.domain import reservations as r

DATA_DIR = pathlib.Path(__file__).parent / "data"


def load_places(data_dir: pathlib.Path = DATA_DIR) -> domain.AllPlaces:
    """Every district's venues and events: data/<district code>.json, and each DISTRICTS_DIR
    district's tourism.json (runtime.districts)."""
    found = districts.load("tourism.json", districts.builtin_by_code(data_dir), _district_code)
    return domain.AllPlaces(domain.Places(data) for data in found.values())


def load_exhibits(places: domain.AllPlaces, data_dir: pathlib.Path = DATA_DIR) -> dict[str, domain.Exhibits]:
    """Each district's museum exhibits, where it has them (data/<code>.exhibits.json, or a
    DISTRICTS_DIR district's tourism.exhibits.json), by district code."""
    builtin = districts.builtin_by_code(data_dir, ".exhibits.json")
    found = districts.load("tourism.exhibits.json", builtin)
    return {code: domain.Exhibits(data, places.for_area(code)) for code, data in found.items()}


def _district_code(data: dict) -> str:
    return data["district"]["code"]


metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

# One row per entry slot that has been booked: the row a booking locks (pretix's lock per quota).
slots = Table(
    "slots",
    metadata,
    Column("id", String(140), primary_key=True),
    Column("venue_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("capacity", Integer, nullable=False),
)

reservations = Table(
    "reservations",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    # The household, or the village agent's subject for a group.
    Column("account", String(200), nullable=False),
    Column("household_id", String(36), nullable=False, index=True),
    Column("booked_by", String(200), nullable=False, index=True),
    Column("booker_kind", String(32), nullable=False),
    Column("booker_name", String(200), nullable=False),
    Column("group_village_code", String(12), nullable=False),
    Column("venue_id", String(64), nullable=False),
    Column("venue_name", String(200), nullable=False),
    Column("slot_id", String(140), nullable=False, index=True),
    Column("day", Date, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("party", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("idempotency_key", String(r.MAX_IDEMPOTENCY_KEY), nullable=False),
    # The visitors' ID hashes, sorted (what a retry must repeat).
    Column("visitors_key", String(7000), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=True),
    Column("cancelled_at", UtcDateTime, nullable=True),
    Column("checked_in_at", UtcDateTime, nullable=True),
    Column("checked_in_by", String(200), nullable=False),
    # The gate's own id of the entry that let the ticket in (an upload's retry names it again).
    Column("checked_in_entry", String(36), nullable=False, server_default=""),
    UniqueConstraint("account", "idempotency_key", name="uq_reservations_idempotency"),
)

# Tickets a second gate let in while offline, after another gate had: for the staff, never a visit.
double_entries = Table(
    "double_entries",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("reservation_id", String(36), nullable=False, index=True),
    Column("venue_id", String(64), nullable=False),
    Column("party", Integer, nullable=False),
    Column("entered_at", UtcDateTime, nullable=False, index=True),
    Column("first_entered_at", UtcDateTime, nullable=False),
    Column("gate_staff", String(200), nullable=False),
)

# One booking per ID per venue per day: a visitor's keyed ID hash while their reservation is active.
visitor_days = Table(
    "visitor_days",
    metadata,
    Column("venue_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("id_hash", String(64), primary_key=True),
    Column("reservation_id", String(36), nullable=False, index=True),
)

# The service's own secrets: the tickets' Ed25519 key and the ID numbers' hash key, made on first use.
secrets = Table(
    "secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

mapper = registry()
mapper.map_imperatively(domain.Slot, slots)
mapper.map_imperatively(domain.Reservation, reservations)
mapper.map_imperatively(domain.DoubleEntry, double_entries)


class Slots(uow.Repository[domain.Slot]):
    def locked(self, t: domain.SlotTime) -> domain.Slot:
        """The slot's row, made if it is the slot's first booking, locked until the transaction ends."""
        insert_missing(
            self.session,
            slots,
            ["id"],
            id=t.id,
            venue_id=t.venue_id,
            day=t.day,
            starts_at=t.starts_at,
            ends_at=t.ends_at,
            capacity=t.capacity,
        )
        slot = self.session.get(domain.Slot, t.id, with_for_update=True)
        assert slot is not None
        return self._seen(slot)  # type: ignore[return-value]

    def get_locked(self, slot_id: str) -> domain.Slot | None:
        return self._seen(self.session.get(domain.Slot, slot_id, with_for_update=True))


class Reservations(uow.Repository[domain.Reservation]):
    def get(self, reservation_id: str, lock: bool = False) -> domain.Reservation | None:
        q = select(domain.Reservation).where(reservations.c.id == reservation_id)
        return self._seen(self.session.scalar(q.with_for_update() if lock else q))

    def of_slot(self, slot_id: str) -> list[domain.Reservation]:
        q = select(domain.Reservation).where(reservations.c.slot_id == slot_id)
        return self._all_seen(list(self.session.scalars(q)))

    def of_slots(self, slot_ids: list[str]) -> dict[str, list[domain.Reservation]]:
        found: dict[str, list[domain.Reservation]] = {i: [] for i in slot_ids}
        if slot_ids:
            q = select(domain.Reservation).where(reservations.c.slot_id.in_(slot_ids))
            for res in self.session.scalars(q):
                found[res.slot_id].append(res)
        return found

    def of_account_on(self, account: str, venue_id: str, day: dt.date) -> list[domain.Reservation]:
        q = select(domain.Reservation).where(
            reservations.c.account == account, reservations.c.venue_id == venue_id, reservations.c.day == day
        )
        return list(self.session.scalars(q))

    def confirmed_before(self, account: str, now: dt.datetime) -> list[domain.Reservation]:
        """The account's confirmed reservations whose slot has ended (its no-shows)."""
        q = select(domain.Reservation).where(
            reservations.c.account == account,
            reservations.c.state == domain.State.CONFIRMED,
            reservations.c.ends_at <= now,
        )
        return list(self.session.scalars(q))

    def slots_with_lapsed(self, now: dt.datetime, limit: int = 500) -> list[str]:
        """The slots with a hold or an offer whose time is up, or a waiting entry of a slot that
        has started, not yet marked expired (the scheduler's work)."""
        c = reservations.c
        q = (
            select(c.slot_id)
            .where(
                or_(
                    and_(c.state.in_([domain.State.HELD, domain.State.OFFERED]), c.expires_at <= now),
                    and_(c.state == domain.State.WAITING, c.starts_at <= now),
                )
            )
            .distinct()
            .limit(limit)
        )
        return sorted(self.session.scalars(q))

    def by_idempotency_key(self, account: str, key: str) -> domain.Reservation | None:
        q = select(domain.Reservation).where(reservations.c.account == account, reservations.c.idempotency_key == key)
        return self._seen(self.session.scalar(q))

    def page_of(self, column: str, value: str, token: int | None, size: int) -> tuple[list[domain.Reservation], str]:
        """A page of a household's (or an agent's) reservations, newest first, and the next page's token."""
        q = select(domain.Reservation).where(reservations.c[column] == value)
        if token is not None:
            q = q.where(reservations.c.seq < token)
        found = list(self.session.scalars(q.order_by(reservations.c.seq.desc()).limit(size + 1)))
        return paging.cut(found, size, lambda res: res.seq)

    def checked_in_since(self, venue_id: str, since: dt.datetime) -> list[domain.Reservation]:
        q = select(domain.Reservation).where(
            reservations.c.venue_id == venue_id,
            reservations.c.state == domain.State.ATTENDED,
            reservations.c.checked_in_at > since,
        )
        return list(self.session.scalars(q))

    def attended_on(self, venue_id: str, day: dt.date) -> list[domain.Reservation]:
        q = select(domain.Reservation).where(
            reservations.c.venue_id == venue_id,
            reservations.c.day == day,
            reservations.c.state == domain.State.ATTENDED,
        )
        return list(self.session.scalars(q))


class DoubleEntries:
    def __init__(self, session: Session):
        self.session = session

    def get(self, entry_id: str) -> domain.DoubleEntry | None:
        return self.session.get(domain.DoubleEntry, entry_id)

    def add(self, entry: domain.DoubleEntry) -> None:
        self.session.add(entry)

    def at_venue_between(self, venue_id: str, start: dt.datetime, end: dt.datetime) -> list[domain.DoubleEntry]:
        c = double_entries.c
        q = (
            select(domain.DoubleEntry)
            .where(c.venue_id == venue_id, c.entered_at >= start, c.entered_at < end)
            .order_by(c.entered_at)
        )
        return list(self.session.scalars(q))


class VisitorDays:
    def __init__(self, session: Session):
        self.session = session

    def holders(self, venue_id: str, day: dt.date, id_hashes: list[str]) -> list[str]:
        """The reservations that hold any of these visitors' booking of the day."""
        q = select(visitor_days.c.reservation_id).where(
            visitor_days.c.venue_id == venue_id, visitor_days.c.day == day, visitor_days.c.id_hash.in_(id_hashes)
        )
        return sorted(set(self.session.scalars(q)))

    def release(self, reservation_ids: list[str]) -> None:
        if reservation_ids:
            self.session.execute(delete(visitor_days).where(visitor_days.c.reservation_id.in_(reservation_ids)))

    def add(self, venue_id: str, day: dt.date, id_hashes: list[str], reservation_id: str) -> None:
        self.session.execute(
            insert(visitor_days),
            [{"venue_id": venue_id, "day": day, "id_hash": h, "reservation_id": reservation_id} for h in id_hashes],
        )


class Secrets:
    def __init__(self, session: Session):
        self.session = session

    def get_or_make(self, name: str, make) -> bytes:
        """The secret `name`, made by `make()` and kept if there is none yet (the first writer's stands)."""
        value = self.session.scalar(select(secrets.c.value).where(secrets.c.name == name))
        if value is not None:
            return bytes(value)
        insert_missing(self.session, secrets, ["name"], name=name, value=make())
        return bytes(self.session.scalar(select(secrets.c.value).where(secrets.c.name == name)))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.slots = Slots(session)
        self.reservations = Reservations(session)
        self.visitor_days = VisitorDays(session)
        self.double_entries = DoubleEntries(session)
        self.secrets = Secrets(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
