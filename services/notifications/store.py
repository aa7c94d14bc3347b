"""Notifications' tables, and the repository and unit of work that keep its push messages in
them. The domain's class is mapped to the table here (imperative mapping), so the domain stays
plain Python."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.orm import Session, registry

from notifications import domain, events
from runtime import consumer, outbox, uow
from runtime.db import UtcDateTime

# The service's tables (its migrations are made from them: python -m runtime.revision notifications "...").
metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

push_messages = Table(
    "push_messages",
    metadata,
    # The order of pushing, and the page token.
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("device_id", String(36), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    # One message per causing event: the consumer's idempotency shows here too.
    Column("cause_event_id", String(36), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    # What the terminals open for it ("" on messages older than the column: they just show).
    Column("opens", String(200), nullable=False, server_default=""),
    # Set (household_id ""): a staff member's message, by their token's subject.
    Column("staff_subject", String(200), nullable=False, server_default="", index=True),
)

household_preferences = Table(
    "household_preferences",
    metadata,
    Column("household_id", String(36), primary_key=True),
    # NULL: the household has not chosen.
    Column("simple_mode", Boolean, nullable=True),
    Column("updated_at", UtcDateTime, nullable=True),
)

mapper = registry()
mapper.map_imperatively(domain.PushMessage, push_messages)
mapper.map_imperatively(domain.HouseholdPreferences, household_preferences)


class PushMessages(uow.Repository[domain.PushMessage]):
    def page_of_household(
        self, household_id: str, page_token: int | None, size: int
    ) -> tuple[list[domain.PushMessage], str]:
        """A page of the household's messages, newest first, and the next page's token ("" at the end)."""
        return self._page(push_messages.c.household_id == household_id, page_token, size)

    def page_of_staff(self, subject: str, page_token: int | None, size: int) -> tuple[list[domain.PushMessage], str]:
        """A page of the messages addressed to a staff member, newest first."""
        return self._page(push_messages.c.staff_subject == subject, page_token, size)

    def _page(self, whose, page_token: int | None, size: int) -> tuple[list[domain.PushMessage], str]:
        q = select(domain.PushMessage).where(whose)
        if page_token is not None:
            q = q.where(push_messages.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(push_messages.c.seq.desc()).limit(size + 1))))
        more = len(found) > size
        return found[:size], str(found[size - 1].seq) if more else ""


class Preferences(uow.Repository[domain.HouseholdPreferences]):
    def of_household(self, household_id: str, for_update: bool = False) -> domain.HouseholdPreferences | None:
        q = select(domain.HouseholdPreferences).where(household_preferences.c.household_id == household_id)
        return self._seen(self.session.scalars(q.with_for_update() if for_update else q).first())


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.messages = PushMessages(session)
        self.preferences = Preferences(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
