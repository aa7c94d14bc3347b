"""The lifecycle of a request: its states, the steps between them, and what its citizens quote.

submitted → accepted → dispatched → on_site → resolved → closed (rated, or the rating window
passed); rejected (with a reason), cancelled (by the household), waiting_for_citizen (and back to
accepted: the deadline moves on by the time waited)."""

from __future__ import annotations

import datetime as dt

from runtime.errors import FailedPrecondition, InvalidArgument, check_text, require
from servicedesk.domain.catalog import district_date
from servicedesk.domain.filing import MAX_REASON

# A reason the household reads on its TV as written: one line of a push message.
MAX_REASON_TO_CITIZEN = 140


class State:
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    ON_SITE = "on_site"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    WAITING_FOR_CITIZEN = "waiting_for_citizen"


# The steps. Who may take each is the request's (requests.py).
TRANSITIONS: dict[str, set[str]] = {
    State.SUBMITTED: {State.ACCEPTED, State.REJECTED, State.CANCELLED},
    State.ACCEPTED: {State.DISPATCHED, State.WAITING_FOR_CITIZEN, State.CANCELLED},
    State.WAITING_FOR_CITIZEN: {State.ACCEPTED, State.CANCELLED},
    State.DISPATCHED: {State.ON_SITE, State.CANCELLED},
    State.ON_SITE: {State.RESOLVED},
    State.RESOLVED: {State.CLOSED},
    State.CLOSED: set(),
    State.REJECTED: set(),
    State.CANCELLED: set(),
}


class StepNotAllowed(FailedPrecondition):
    """The lifecycle has no such step from the request's state."""


def transition(current: str, target: str, only_from: str = "") -> str:
    """The next state; `only_from` narrows a step that shares its target with
    another (accepting comes from submitted only, resuming from waiting only)."""
    if target not in TRANSITIONS.get(current, set()) or (only_from and current != only_from):
        raise StepNotAllowed(f"a request that is {current} cannot become {target}")
    return target


OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.WAITING_FOR_CITIZEN, State.DISPATCHED, State.ON_SITE)
# States in which the SLA clock runs (waiting for the citizen pauses it; resolved stops it).
CLOCK_RUNNING = (State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.ON_SITE)
# What the SLA scheduler watches: running clocks, waits that may last too long, rating windows.
WATCHED_STATES = CLOCK_RUNNING + (State.WAITING_FOR_CITIZEN, State.RESOLVED)
# A technician is booked for the window of each job in these states.
BOOKED_STATES = (State.DISPATCHED, State.ON_SITE)
# Rated while resolved; rating closes it, and so does the end of the rating window.
RATABLE_STATES = (State.RESOLVED,)


def queue_states(state: str) -> tuple[str, ...]:
    """The states a point's queue lists: the open ones, or the one asked for (open or resolved)."""
    if state and state not in OPEN_STATES + (State.RESOLVED,):
        raise InvalidArgument("state must be an open state", {"state": f"one of {', '.join(OPEN_STATES)}"})
    return (state,) if state else OPEN_STATES


def reference_number(submitted_at: dt.datetime, seq: int) -> str:
    """What the citizen quotes on the phone: SR-<local date>-<number>, e.g. SR-20261129-000042."""
    return f"SR-{district_date(submitted_at):%Y%m%d}-{seq:06d}"


def validate_reason(reason: str, required: bool) -> None:
    if required:
        require({"reason": reason})
    check_text({"reason": (reason, MAX_REASON)}, multiline={"reason"})


def validate_reason_to_citizen(reason: str) -> None:
    """A reason the household is told as written (pushed to its TV, shown with its request): one
    short line, nothing invisible or direction-changing in it."""
    require({"reason": reason})
    check_text({"reason": (reason, MAX_REASON_TO_CITIZEN)}, shown={"reason"})
