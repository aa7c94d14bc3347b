"""What a household is told, and how: the notice for what happened, and the push message that
carries it to the household's terminals (the aggregate). No I/O."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from runtime.uow import Aggregate


@dataclass(frozen=True)
class Notice:
    kind: str
    title: str
    body: str
    # What the terminals open for it: "<screen>/<id>" or a screen alone ("" nothing in particular).
    opens: str = ""


def opens(screen: str, id: str = "") -> str:
    """What a message opens: a screen of the TV and the phone, and the id it shows."""
    return f"{screen}/{id}" if id else screen


@dataclass(frozen=True)
class Catalog:
    """One language's words for the notices (data/messages/<language>.json): the service names,
    and each notice kind's title and body with their {name}, {ref} and {reason}."""

    language: str
    service_names: dict[str, str]
    service_fallback: str
    notices: dict[str, dict[str, str]]
    # E-government's words: its steps' titles and bodies, and how a list and a time are written.
    applications: dict = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict) -> Catalog:
        return cls(
            data["language"],
            dict(data["service_names"]),
            data["service_fallback"],
            dict(data["notices"]),
            dict(data["applications"]),
        )

    def notice(
        self, kind: str, service_type: str, reference_number: str, reason: str = "", request_id: str = ""
    ) -> Notice:
        words = self.notices[kind]
        # An unknown code is never shown raw: the TV says "service".
        name = self.service_names.get(service_type, self.service_fallback)
        fields = {"name": name, "ref": reference_number, "reason": reason}
        return Notice(
            kind=kind,
            title=words["title"].format(**fields),
            body=words["body"].format(**fields),
            opens=opens(REQUEST_SCREEN, request_id) if request_id else "",
        )


# The screens (of the TV and the phone alike) that show one request, one application.
REQUEST_SCREEN = "servicedesk.request"
APPLICATION_SCREEN = "egov.application"


def request_received(catalog: Catalog, reference_number: str, service_type: str, request_id: str = "") -> Notice:
    return catalog.notice("service_request.received", service_type, reference_number, request_id=request_id)


# What the household hears when its request moves on (the other steps are staff-internal).
TOLD_STEPS = ("dispatched", "resolved", "rejected")


def request_step(
    catalog: Catalog, reference_number: str, service_type: str, to_state: str, reason: str, request_id: str = ""
) -> Notice | None:
    """The notice for a request's new state, or None when the household need not be told."""
    if to_state not in TOLD_STEPS:
        return None
    return catalog.notice(f"service_request.{to_state}", service_type, reference_number, reason, request_id)


# --- e-government: an application's steps ---


@dataclass(frozen=True)
class Appointment:
    hall: str
    address: str
    window: str
    starts_at: dt.datetime
    time_zone: str


@dataclass(frozen=True)
class ApplicationStep:
    """What notifications is told of a step of a household's application (egov's event)."""

    action: str
    item_name: str
    reason: str = ""
    materials: tuple[str, ...] = ()
    appointment: Appointment | None = None
    # The village agent's name when an agent took the step for the household.
    agent_name: str = ""
    application_id: str = ""


def still_news(at: dt.datetime | None, now: dt.datetime, max_age: dt.timedelta) -> bool:
    """Whether a step taken `at` is still worth a push now (one without a time is)."""
    return at is None or now - at <= max_age


def application_step(catalog: Catalog, step: ApplicationStep) -> Notice | None:
    """The notice of an application's step, or None when it is not one the household is told of
    (its own drafting, materials added, the department's internal steps)."""
    words = catalog.applications
    told = words["steps"].get(step.action)
    if told is None:
        return None
    fields = {
        "item": step.item_name or words["item_fallback"],
        "reason": step.reason,
        "materials": words["list_separator"].join(step.materials) or words["no_materials"],
        "time": "",
        "hall": "",
        "address": "",
        "window": "",
    }
    if step.appointment is not None:
        a = step.appointment
        fields.update(time=_local_time(words, a), hall=a.hall, address=a.address, window=a.window)
    body = told["body"].format(**fields)
    if step.agent_name:
        body += words["by_agent"].format(agent=step.agent_name)
    return Notice(
        kind=f"egov.{step.action}",
        title=told["title"].format(**fields),
        body=body,
        opens=opens(APPLICATION_SCREEN, step.application_id) if step.application_id else "",
    )


def _local_time(words: dict, a: Appointment) -> str:
    try:
        zone = ZoneInfo(a.time_zone or words["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(words["time_zone"])
    t = a.starts_at.astimezone(zone)
    return words["time_format"].format(
        month=t.month, day=t.day, weekday=words["weekdays"][t.weekday()], hour=t.hour, minute=t.minute
    )


# --- the message pushed to the household's terminals ---


@dataclass(frozen=True)
class MessagePushed:
    """A push message is on its way to the household's terminals (the gateway streams it)."""

    id: str
    household_id: str
    device_id: str
    kind: str
    title: str
    body: str
    cause_event_id: str
    created_at: dt.datetime
    opens: str = ""
    staff_subject: str = ""


class PushMessage(Aggregate):
    def __init__(
        self,
        id: str,
        household_id: str,
        device_id: str,
        kind: str,
        title: str,
        body: str,
        cause_event_id: str,
        created_at: dt.datetime,
        opens: str = "",
        staff_subject: str = "",
    ):
        self.id = id
        self.household_id = household_id
        # Empty: every terminal of the household.
        self.device_id = device_id
        self.kind = kind
        self.title = title
        self.body = body
        # The event that caused it: one message per event.
        self.cause_event_id = cause_event_id
        self.created_at = created_at
        self.opens = opens
        # Set (no household): for this staff member's own streams.
        self.staff_subject = staff_subject

    @classmethod
    def to_household(cls, household_id: str, notice: Notice, cause_event_id: str, now: dt.datetime) -> PushMessage:
        """A notice for every terminal of the household."""
        return cls._pushed(household_id, "", notice, cause_event_id, now)

    @classmethod
    def to_staff(cls, subject: str, notice: Notice, cause_event_id: str, now: dt.datetime) -> PushMessage:
        """A notice for a staff member (their token's subject), e.g. the agent who filed for a household."""
        return cls._pushed("", subject, notice, cause_event_id, now)

    @classmethod
    def _pushed(
        cls, household_id: str, staff_subject: str, notice: Notice, cause_event_id: str, now: dt.datetime
    ) -> PushMessage:
        n = notice
        message = cls(
            str(uuid.uuid4()), household_id, "", n.kind, n.title, n.body, cause_event_id, now, n.opens, staff_subject
        )
        message.record(
            MessagePushed(
                message.id,
                message.household_id,
                message.device_id,
                message.kind,
                message.title,
                message.body,
                message.cause_event_id,
                message.created_at,
                message.opens,
                message.staff_subject,
            )
        )
        return message


# --- how the household wants its terminals to show things ---


class HouseholdPreferences(Aggregate):
    """A household's choices for all its terminals. Simple mode (适老化) is None until the household
    chooses: the TV then uses its default (on where the household has an elder)."""

    def __init__(self, household_id: str, simple_mode: bool | None = None, updated_at: dt.datetime | None = None):
        self.household_id = household_id
        self.simple_mode = simple_mode
        self.updated_at = updated_at

    def choose_simple_mode(self, on: bool, now: dt.datetime) -> None:
        self.simple_mode = on
        self.updated_at = now
