"""Evaluation's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (from the aio server,
on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from evaluation import domain
from evaluation.store import UnitOfWork
from runtime import paging
from runtime.auth import Caller
from runtime.errors import AlreadyExists, InvalidArgument, NotFound


def create_item(uow: UnitOfWork, caller: Caller, title: str, idempotency_key: str, now: dt.datetime) -> domain.Item:
    item = domain.Item.create(caller, title, idempotency_key, now)
    try:
        with uow:
            existing = uow.items.by_idempotency_key(item.household_id, idempotency_key)
            if existing is not None:
                return _replay(existing, title)
            uow.items.add(item)
            uow.commit()
            return item
    except IntegrityError:
        # The same key filed at the same moment (a retry racing the first try): that one stands.
        with uow:
            existing = uow.items.by_idempotency_key(item.household_id, idempotency_key)
            if existing is None:
                raise
            return _replay(existing, title)


def _replay(existing: domain.Item, title: str) -> domain.Item:
    if not existing.is_same(title):
        raise AlreadyExists("this idempotency key was used for a different item", {"idempotency_key": "already used"})
    return existing


def get_item(uow: UnitOfWork, caller: Caller, item_id: str) -> domain.Item:
    check_id(item_id)
    with uow:
        item = uow.items.get(item_id)
        # Another household's item is reported as not found: its existence is not theirs to know.
        if item is None or not item.visible_to(caller):
            raise NotFound(f"no item {item_id!r}", {"id": "not found"})
        return item


def list_my_items(uow: UnitOfWork, caller: Caller, page) -> tuple[list[domain.Item], str]:
    """One page of the household's items, newest first, and the token of the next page ("" at the end)."""
    household_id = caller.require_household()
    size = paging.page_size(page)
    token = paging.page_token(page.page_token)
    with uow:
        return uow.items.page_of_household(household_id, token, size)


def close_item(uow: UnitOfWork, caller: Caller, item_id: str, now: dt.datetime) -> domain.Item:
    check_id(item_id)
    with uow:
        item = uow.items.get_for_update(item_id)
        if item is None or not item.visible_to(caller):
            raise NotFound(f"no item {item_id!r}", {"id": "not found"})
        item.close(now)
        uow.commit()
        return item


def check_id(item_id: str) -> None:
    if not item_id or len(item_id) > 36:
        raise InvalidArgument("id is an item's id", {"id": "is required" if not item_id else "at most 36 characters"})
