"""Evaluation's rules, as aggregates with methods. No I/O: the store loads and keeps them, the
handlers call them, the servicer maps them to protobuf. A rule broken is a domain error
(runtime.errors), which the runtime turns into the gRPC status code the proto documents."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from runtime.auth import Caller
from runtime.errors import FailedPrecondition, check_text, require
from runtime.uow import Aggregate

MAX_TITLE = 200
MAX_IDEMPOTENCY_KEY = 100


class Role:
    """The staff roles evaluation defines (list them in its registry entry too), and those of others it uses."""


class State:
    OPEN = "open"
    CLOSED = "closed"


# --- what happened (recorded by the aggregate, published by the unit of work) ---


@dataclass(frozen=True)
class ItemCreated:
    item_id: str
    household_id: str
    title: str
    at: dt.datetime


@dataclass(frozen=True)
class ItemClosed:
    item_id: str
    household_id: str
    at: dt.datetime


class Item(Aggregate):
    """An example aggregate: a household's item, open until it is closed."""

    def __init__(
        self,
        id: str,
        household_id: str,
        title: str,
        idempotency_key: str,
        state: str,
        created_at: dt.datetime,
        closed_at: dt.datetime | None = None,
    ):
        self.id = id
        self.household_id = household_id
        self.title = title
        self.idempotency_key = idempotency_key
        self.state = state
        self.created_at = created_at
        self.closed_at = closed_at

    @classmethod
    def create(cls, caller: Caller, title: str, idempotency_key: str, now: dt.datetime) -> Item:
        """A household files an item."""
        household_id = caller.require_household()
        check_new(title, idempotency_key)
        item = cls(str(uuid.uuid4()), household_id, title, idempotency_key, State.OPEN, now)
        item.record(ItemCreated(item.id, household_id, title, now))
        return item

    def is_same(self, title: str) -> bool:
        """A retry with the same key is the same item only if it asks for the same thing."""
        return self.title == title

    def visible_to(self, caller: Caller) -> bool:
        return caller.is_household() and caller.household_id == self.household_id

    def close(self, now: dt.datetime) -> None:
        if self.state == State.CLOSED:
            raise FailedPrecondition("this item is closed already")
        self.state, self.closed_at = State.CLOSED, now
        self.record(ItemClosed(self.id, self.household_id, now))


def check_new(title: str, idempotency_key: str) -> None:
    require({"title": title, "idempotency_key": idempotency_key})
    check_text({"title": (title, MAX_TITLE), "idempotency_key": (idempotency_key, MAX_IDEMPOTENCY_KEY)})
