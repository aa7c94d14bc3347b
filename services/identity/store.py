"""Identity tables and queries."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import uuid

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from runtime import consumer, outbox
from runtime.db import UtcDateTime


class Base(DeclarativeBase):
    pass


# The service's tables (its migrations are made from them).
metadata = Base.metadata


outbox.define_tables(Base.metadata)
consumer.define_tables(Base.metadata)


def new_id() -> str:
    return str(uuid.uuid4())


class Household(Base):
    __tablename__ = "households"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    area_code: Mapped[str] = mapped_column(String(12), index=True)
    address: Mapped[str] = mapped_column(String(400), default="")


class HouseholdMember(Base):
    """A person of the household who signs in on the phone."""

    __tablename__ = "household_members"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))


class Device(Base):
    """A household's set-top box."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DeviceAuthorization(Base):
    __tablename__ = "device_authorizations"
    device_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_code: Mapped[str] = mapped_column(String(9), unique=True)
    client_id: Mapped[str] = mapped_column(String(64))
    device_serial: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    household_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    interval_seconds: Mapped[int] = mapped_column(Integer)


class StaffMember(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    # Comma-separated role names.
    roles: Mapped[str] = mapped_column(String(400))
    area_code: Mapped[str] = mapped_column(String(12), default="")


class Client(Base):
    """A department's system, signing in with client credentials."""

    __tablename__ = "clients"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(400), default="")
    area_code: Mapped[str] = mapped_column(String(12), default="")


class SigningKey(Base):
    __tablename__ = "signing_keys"
    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def load_seed(session: Session, path: pathlib.Path) -> None:
    """Upsert households, staff and departments from a seed file (local development
    and demos). Passwords in it are hashed on the way in."""
    from identity.domain import hash_secret, parse_roles
    from runtime import registry

    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(registry.load().roles())
    for who in data.get("staff", []) + data.get("departments", []):
        parse_roles(who.get("roles", []), known)  # a role no service defines is refused
    for h in data.get("households", []):
        if session.get(Household, h["id"]) is None:
            session.add(Household(id=h["id"], name=h["name"], area_code=h["area_code"], address=h.get("address", "")))
            session.flush()
        for m in h.get("members", []):
            if session.scalar(select(HouseholdMember).where(HouseholdMember.phone == m["phone"])) is None:
                session.add(
                    HouseholdMember(
                        household_id=h["id"],
                        phone=m["phone"],
                        name=m.get("name", ""),
                        password_hash=hash_secret(m["password"]),
                    )
                )
    for s in data.get("staff", []):
        if session.scalar(select(StaffMember).where(StaffMember.username == s["username"])) is None:
            session.add(
                StaffMember(
                    username=s["username"],
                    name=s["name"],
                    password_hash=hash_secret(s["password"]),
                    roles=",".join(s["roles"]),
                    area_code=s.get("area_code", ""),
                )
            )
    for c in data.get("departments", []):
        if session.get(Client, c["client_id"]) is None:
            session.add(
                Client(
                    client_id=c["client_id"],
                    name=c["name"],
                    secret_hash=hash_secret(c["client_secret"]),
                    roles=",".join(c.get("roles", [])),
                    area_code=c.get("area_code", ""),
                )
            )
