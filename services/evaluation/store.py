"""Evaluation's tables, and the repository and unit of work that keep its aggregates in them.
The domain's classes are mapped to the tables here (imperative mapping), so the domain stays
plain Python."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, UniqueConstraint, select
from sqlalchemy.orm import Session, registry

from evaluation import domain, events
from runtime import consumer, outbox, paging, uow
from runtime.db import UtcDateTime

# The service's tables (its migrations are made from them: python -m runtime.revision evaluation "...").
metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

items = Table(
    "items",
    metadata,
    # The order of filing, and the page token.
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("title", String(domain.MAX_TITLE), nullable=False),
    Column("idempotency_key", String(domain.MAX_IDEMPOTENCY_KEY), nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    UniqueConstraint("household_id", "idempotency_key", name="uq_items_idempotency"),
)

registry().map_imperatively(domain.Item, items)


class Items(uow.Repository[domain.Item]):
    def get(self, item_id: str) -> domain.Item | None:
        return self._seen(self.session.scalar(select(domain.Item).where(items.c.id == item_id)))

    def get_for_update(self, item_id: str) -> domain.Item | None:
        q = select(domain.Item).where(items.c.id == item_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def by_idempotency_key(self, household_id: str, key: str) -> domain.Item | None:
        q = select(domain.Item).where(items.c.household_id == household_id, items.c.idempotency_key == key)
        return self._seen(self.session.scalar(q))

    def page_of_household(self, household_id: str, page_token: int | None, size: int) -> tuple[list[domain.Item], str]:
        """A page of the household's items, newest first, and the next page's token ("" at the end)."""
        q = select(domain.Item).where(items.c.household_id == household_id)
        if page_token is not None:
            q = q.where(items.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(items.c.seq.desc()).limit(size + 1))))
        return paging.cut(found, size, lambda item: item.seq)  # seq: the table's order of filing


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.items = Items(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
