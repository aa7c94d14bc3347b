"""Service-desk tables, queries, and the standard catalog file."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import uuid

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from runtime import consumer, outbox

CATALOG_FILE = pathlib.Path(__file__).resolve().parent / "data" / "standards.json"


class Base(DeclarativeBase):
    pass


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
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str] = mapped_column(String(100))
    submitted_by_role: Mapped[str] = mapped_column(String(50), default="")


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
