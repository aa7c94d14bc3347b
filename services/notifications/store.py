"""Notification tables and queries."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Integer, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from runtime import consumer, outbox
from runtime.db import UtcDateTime


class Base(DeclarativeBase):
    pass


# The service's tables (its migrations are made from them).
metadata = Base.metadata


outbox.define_tables(Base.metadata)
consumer.define_tables(Base.metadata)


class PushMessageRow(Base):
    __tablename__ = "push_messages"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    household_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36), default="")
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # One message per causing event: the consumer's idempotency shows here too.
    cause_event_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def list_for_household(s: Session, household_id: str, before_seq: int | None, limit: int) -> list[PushMessageRow]:
    q = select(PushMessageRow).where(PushMessageRow.household_id == household_id)
    if before_seq is not None:
        q = q.where(PushMessageRow.seq < before_seq)
    return list(s.scalars(q.order_by(PushMessageRow.seq.desc()).limit(limit)))
