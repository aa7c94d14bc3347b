"""Service-desk rules: the standard catalog and the request lifecycle. No I/O:
the catalog's content is handed in (loaded by the store)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from runtime.errors import FailedPrecondition, InvalidArgument, require, text_errors

MAX_DESCRIPTION = 2000
MAX_IDEMPOTENCY_KEY = 100
# Dates that citizens see (reference numbers, which standard is in force) are the district's.
DISTRICT_TZ = ZoneInfo("Asia/Shanghai")
CHANNELS = ("set_top_box", "mobile", "village_agent", "service_hall", "outreach_event", "hotline")


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


# The lifecycle; the service-desk issue fills in every transition's rules.
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


def transition(current: str, target: str) -> str:
    if target not in TRANSITIONS.get(current, set()):
        raise FailedPrecondition(f"a request that is {current} cannot become {target}")
    return target


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    name_en: str
    time_limit_hours: dict[str, int]
    fee_fen: int


@dataclass(frozen=True)
class Catalog:
    version: str
    effective_from: dt.date
    service_types: dict[str, ServiceType]

    @classmethod
    def from_data(cls, data: dict, on: dt.date) -> "Catalog":
        """The catalog version in force on `on` (the newest that has taken effect)."""
        versions = sorted(data["versions"], key=lambda v: v["effective_from"])
        in_force = [v for v in versions if dt.date.fromisoformat(v["effective_from"]) <= on]
        if not in_force:
            raise ValueError(f"no standard catalog version is in force on {on}")
        v = in_force[-1]
        types = {}
        for t in v["service_types"]:
            if t["fee_fen"] < 0 or any(h <= 0 for h in t["time_limit_hours"].values()):
                raise ValueError(f"service type {t['code']}: the fee must not be negative and time limits must be positive")
            types[t["code"]] = ServiceType(t["code"], t["name"], t["name_en"], t["time_limit_hours"], t["fee_fen"])
        return cls(v["version"], dt.date.fromisoformat(v["effective_from"]), types)

    def service_type(self, code: str) -> ServiceType:
        if code not in self.service_types:
            raise InvalidArgument(
                f"unknown service type {code!r}", {"service_type": "not in the standard catalog"}
            )
        return self.service_types[code]


@dataclass(frozen=True)
class NewRequest:
    service_type: str
    description: str
    idempotency_key: str
    channel: str


# Channels a household's own terminal may file through; the others are staff channels.
HOUSEHOLD_CHANNELS = ("set_top_box", "mobile")


def validate_new_request(req: NewRequest, catalog: Catalog, allowed_channels=CHANNELS) -> ServiceType:
    require({"service_type": req.service_type, "idempotency_key": req.idempotency_key})
    errors = text_errors(
        {
            "service_type": (req.service_type, 64),
            "description": (req.description, MAX_DESCRIPTION),
            "idempotency_key": (req.idempotency_key, MAX_IDEMPOTENCY_KEY),
            "channel": (req.channel, 32),
        },
        multiline={"description"},
    )
    if "channel" not in errors and req.channel not in allowed_channels:
        errors["channel"] = f"one of {', '.join(allowed_channels)}"
    if errors:
        raise InvalidArgument("invalid request: " + ", ".join(errors), errors)
    return catalog.service_type(req.service_type)


def parse_page_token(token: str) -> int | None:
    """Page tokens are the sequence number to continue below; anything else is refused."""
    if not token:
        return None
    if not token.isdigit() or len(token) > 18:
        raise InvalidArgument("invalid page_token", {"page.page_token": "not a token we gave"})
    return int(token)


def district_date(at: dt.datetime) -> dt.date:
    return at.astimezone(DISTRICT_TZ).date()


def reference_number(submitted_at: dt.datetime, seq: int) -> str:
    """What the citizen quotes on the phone: SR-<local date>-<number>, e.g. SR-20261129-000042."""
    return f"SR-{district_date(submitted_at):%Y%m%d}-{seq:06d}"


def same_request(existing_type: str, existing_description: str, req: NewRequest) -> bool:
    return existing_type == req.service_type and existing_description == req.description
