"""Notifications' use cases: each works through a unit of work (the server's own transaction, or
the consumer's that it joins) and commits the messages with the events they recorded. Called by
the servicer (on the database threads: runtime.aio.run_sync) and by the consumer (events.HANDLERS)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from notifications import domain
from runtime import paging
from runtime.auth import Caller, CallerKind

if TYPE_CHECKING:  # the store imports events, which imports this module
    from notifications.store import UnitOfWork


def list_my_messages(uow: UnitOfWork, caller: Caller, page) -> tuple[list[domain.PushMessage], str]:
    """One page of the caller's messages, newest first, and the next page's token ("" at the end): a
    household's, or those addressed to a staff member (a village agent's, for the applications they
    filed: what they missed while their page was closed)."""
    if caller.kind == CallerKind.STAFF and caller.subject:
        subject, household_id = caller.subject, ""
    else:
        subject, household_id = "", caller.require_household()
    size = paging.page_size(page)
    token = paging.page_token(page.page_token)
    with uow:
        if subject:
            return uow.messages.page_of_staff(subject, token, size)
        return uow.messages.page_of_household(household_id, token, size)


def tell_household(
    uow: UnitOfWork, household_id: str, notice: domain.Notice | None, cause_event_id: str, now: dt.datetime
) -> domain.PushMessage | None:
    """Push the notice to the household's terminals (nothing when there is nothing to tell)."""
    if notice is None:
        return None
    with uow:
        message = uow.messages.add(domain.PushMessage.to_household(household_id, notice, cause_event_id, now))
        uow.commit()
        return message


def tell_staff(
    uow: UnitOfWork, subject: str, notice: domain.Notice, cause_event_id: str, now: dt.datetime
) -> domain.PushMessage:
    """Push the notice to a staff member's own streams (their token's subject)."""
    with uow:
        message = uow.messages.add(domain.PushMessage.to_staff(subject, notice, cause_event_id, now))
        uow.commit()
        return message


def my_preferences(uow: UnitOfWork, caller: Caller) -> domain.HouseholdPreferences:
    """The household's preferences (nothing chosen yet when it never chose)."""
    household_id = caller.require_household()
    with uow:
        return uow.preferences.of_household(household_id) or domain.HouseholdPreferences(household_id)


def choose_simple_mode(uow: UnitOfWork, caller: Caller, on: bool, now: dt.datetime) -> domain.HouseholdPreferences:
    household_id = caller.require_household()
    try:
        return _choose(uow, household_id, on, now)
    except IntegrityError:  # two terminals chose at once, the household's first choice: the row exists now
        return _choose(uow, household_id, on, now)


def _choose(uow: UnitOfWork, household_id: str, on: bool, now: dt.datetime) -> domain.HouseholdPreferences:
    with uow:
        prefs = uow.preferences.of_household(household_id, for_update=True)
        if prefs is None:
            prefs = uow.preferences.add(domain.HouseholdPreferences(household_id))
        prefs.choose_simple_mode(on, now)
        uow.commit()
        return prefs
