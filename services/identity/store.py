"""Identity's tables, and the repositories and unit of work that keep its aggregates in them.
The domain's classes are mapped to the tables here (imperative mapping), so the domain stays
plain Python."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, func, select
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
    # Not unique: a box whose secret is lost (resold, reset) signs in as a new device.
    Column("serial", String(64), nullable=False, index=True),
    Column("registered_at", UtcDateTime, nullable=False),
    # SHA-256 of the secret the box got at its first sign-in ("" for boxes registered before).
    Column("secret_hash", String(64), nullable=False, server_default=""),
    Column("revoked_at", UtcDateTime, nullable=True),
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
    # The known box signing in again (it proved its secret).
    Column("device_id", String(36), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("family_id", String(36), nullable=False, index=True),
    # A box's token names its device; a phone member's names its member (device_id "").
    Column("device_id", String(36), nullable=False, index=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("member_id", String(36), nullable=True),
)

# Tokens of a subject issued before a moment are refused (the gateway reads this list).
revocations = Table(
    "revocations",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(80), nullable=False),
    Column("revoked_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
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
    # When the account was revoked (the member left): no sign-in after it.
    Column("revoked_at", UtcDateTime, nullable=True),
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
    # Empty for a key file's key (the private key stays in its Secret).
    Column("private_pem", Text, nullable=True),
    Column("public_pem", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # When another key began to sign: published until the tokens it signed have expired.
    Column("retired_at", UtcDateTime, nullable=True),
)

_mapper = registry()
_mapper.map_imperatively(domain.Household, households)
_mapper.map_imperatively(domain.HouseholdMember, household_members)
_mapper.map_imperatively(domain.Device, devices)
_mapper.map_imperatively(domain.DeviceAuthorization, device_authorizations)
_mapper.map_imperatively(domain.RefreshToken, refresh_tokens)
_mapper.map_imperatively(domain.Revocation, revocations)
_mapper.map_imperatively(domain.StaffMember, staff)
_mapper.map_imperatively(domain.DepartmentClient, clients)


class Households(uow.Repository[domain.Household]):
    def get(self, household_id: str) -> domain.Household | None:
        return self._seen(self.session.get(domain.Household, household_id))

    def get_for_update(self, household_id: str) -> domain.Household | None:
        """Locked: its boxes are counted against its limit."""
        q = select(domain.Household).where(households.c.id == household_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def add(self, household: domain.Household) -> domain.Household:
        super().add(household)
        self.session.flush()  # written at once: its members and boxes refer to it
        return household


class HouseholdMembers(uow.Repository[domain.HouseholdMember]):
    def by_phone(self, phone: str) -> domain.HouseholdMember | None:
        q = select(domain.HouseholdMember).where(household_members.c.phone == phone)
        return self._seen(self.session.scalar(q))

    def get(self, member_id: str) -> domain.HouseholdMember | None:
        return self._seen(self.session.get(domain.HouseholdMember, member_id))


class Devices(uow.Repository[domain.Device]):
    def get(self, device_id: str) -> domain.Device | None:
        return self._seen(self.session.get(domain.Device, device_id))

    def with_serial(self, serial: str) -> list[domain.Device]:
        q = select(domain.Device).where(devices.c.serial == serial, devices.c.revoked_at.is_(None))
        return self._all_seen(list(self.session.scalars(q)))

    def of_household(self, household_id: str) -> list[domain.Device]:
        """Its boxes still signed in, first registered first."""
        q = (
            select(domain.Device)
            .where(devices.c.household_id == household_id, devices.c.revoked_at.is_(None))
            .order_by(devices.c.registered_at)
        )
        return self._all_seen(list(self.session.scalars(q)))

    def count_active(self, household_id: str, besides: str | None = None) -> int:
        q = select(func.count()).where(devices.c.household_id == household_id, devices.c.revoked_at.is_(None))
        if besides:
            q = q.where(devices.c.id != besides)
        return self.session.scalar(q) or 0


class RefreshTokens(uow.Repository[domain.RefreshToken]):
    def get_for_update(self, token_hash: str) -> domain.RefreshToken | None:
        q = select(domain.RefreshToken).where(refresh_tokens.c.token_hash == token_hash).with_for_update()
        return self._seen(self.session.scalar(q))

    def of_family(self, family_id: str) -> list[domain.RefreshToken]:
        q = select(domain.RefreshToken).where(refresh_tokens.c.family_id == family_id)
        return self._all_seen(list(self.session.scalars(q)))

    def of_device(self, device_id: str) -> list[domain.RefreshToken]:
        q = select(domain.RefreshToken).where(
            refresh_tokens.c.device_id == device_id, refresh_tokens.c.revoked_at.is_(None)
        )
        return self._all_seen(list(self.session.scalars(q)))


class Revocations(uow.Repository[domain.Revocation]):
    def in_force(self, now) -> list[domain.Revocation]:
        """Those whose tokens may still be around, in order."""
        q = select(domain.Revocation).where(revocations.c.expires_at > now).order_by(revocations.c.seq)
        return list(self.session.scalars(q))


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
        self.refresh_tokens = RefreshTokens(session)
        self.revocations = Revocations(session)
        self.staff = StaffMembers(session)
        self.departments = DepartmentClients(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
