"""Identity's tables, and the repositories and unit of work that keep its aggregates in them.
The domain's classes are mapped to the tables here (imperative mapping), so the domain stays
plain Python."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, select
from sqlalchemy.orm import Session, registry
from sqlalchemy.types import TypeDecorator

from identity import domain, events
from runtime import consumer, outbox, uow
from runtime.db import UtcDateTime

# The service's tables (its migrations are made from them: python -m runtime.revision identity "...").
metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)


class RoleNames(TypeDecorator):
    """A set of role names, kept as one comma-separated text."""

    impl = String(400)
    cache_ok = True

    def process_bind_param(self, value: frozenset[str] | None, dialect) -> str | None:
        return None if value is None else ",".join(sorted(value))

    def process_result_value(self, value: str | None, dialect) -> frozenset[str] | None:
        return None if value is None else frozenset(r for r in value.split(",") if r)


households = Table(
    "households",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("area_code", String(12), nullable=False, index=True),
    Column("address", String(400), nullable=False),
)

household_members = Table(
    "household_members",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("household_id", String(36), ForeignKey("households.id"), nullable=False, index=True),
    Column("phone", String(20), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("password_hash", String(200), nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("household_id", String(36), ForeignKey("households.id"), nullable=False, index=True),
    Column("serial", String(64), nullable=False, unique=True),
    Column("registered_at", UtcDateTime, nullable=False),
)

device_authorizations = Table(
    "device_authorizations",
    metadata,
    Column("device_code", String(64), primary_key=True),
    # Unique: two TVs showing the same code would be confirmed by one phone.
    Column("user_code", String(9), nullable=False, unique=True),
    Column("client_id", String(64), nullable=False),
    Column("device_serial", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("household_id", String(36), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("last_polled_at", UtcDateTime, nullable=True),
    Column("interval_seconds", Integer, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("roles", RoleNames, nullable=False),
    Column("area_code", String(12), nullable=False),
)

clients = Table(
    "clients",
    metadata,
    Column("client_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(200), nullable=False),
    Column("roles", RoleNames, nullable=False),
    Column("area_code", String(12), nullable=False),
)

# The keys that sign tokens (identity.keys), when no key file is given.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

_mapper = registry()
_mapper.map_imperatively(domain.Household, households)
_mapper.map_imperatively(domain.HouseholdMember, household_members)
_mapper.map_imperatively(domain.Device, devices)
_mapper.map_imperatively(domain.DeviceAuthorization, device_authorizations)
_mapper.map_imperatively(domain.StaffMember, staff)
_mapper.map_imperatively(domain.DepartmentClient, clients)


class Households(uow.Repository[domain.Household]):
    def get(self, household_id: str) -> domain.Household | None:
        return self._seen(self.session.get(domain.Household, household_id))

    def add(self, household: domain.Household) -> domain.Household:
        super().add(household)
        self.session.flush()  # written at once: its members and boxes refer to it
        return household


class HouseholdMembers(uow.Repository[domain.HouseholdMember]):
    def by_phone(self, phone: str) -> domain.HouseholdMember | None:
        q = select(domain.HouseholdMember).where(household_members.c.phone == phone)
        return self._seen(self.session.scalar(q))


class Devices(uow.Repository[domain.Device]):
    def by_serial(self, serial: str) -> domain.Device | None:
        return self._seen(self.session.scalar(select(domain.Device).where(devices.c.serial == serial)))


class DeviceAuthorizations(uow.Repository[domain.DeviceAuthorization]):
    def get(self, device_code: str) -> domain.DeviceAuthorization | None:
        return self._seen(self.session.get(domain.DeviceAuthorization, device_code))

    def get_for_update(self, device_code: str) -> domain.DeviceAuthorization | None:
        q = select(domain.DeviceAuthorization).where(device_authorizations.c.device_code == device_code)
        return self._seen(self.session.scalar(q.with_for_update()))

    def by_user_code_for_update(self, user_code: str) -> domain.DeviceAuthorization | None:
        q = select(domain.DeviceAuthorization).where(device_authorizations.c.user_code == user_code)
        return self._seen(self.session.scalar(q.with_for_update()))


class StaffMembers(uow.Repository[domain.StaffMember]):
    def by_username(self, username: str) -> domain.StaffMember | None:
        return self._seen(self.session.scalar(select(domain.StaffMember).where(staff.c.username == username)))


class DepartmentClients(uow.Repository[domain.DepartmentClient]):
    def get(self, client_id: str) -> domain.DepartmentClient | None:
        return self._seen(self.session.get(domain.DepartmentClient, client_id))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.households = Households(session)
        self.members = HouseholdMembers(session)
        self.devices = Devices(session)
        self.device_authorizations = DeviceAuthorizations(session)
        self.staff = StaffMembers(session)
        self.departments = DepartmentClients(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
