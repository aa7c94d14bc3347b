"""Filing a request: what a new request must carry, and who may file for whom. A household files
for itself on its terminal; staff file for a household: a village agent for one of their own
village (recording its consent), a point's manager at the counter or on the hotline, the point's
managers and agents at an outreach event (outreach.py says when and for whom)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace

from rules import acting
from runtime.auth import Caller
from runtime.errors import InvalidArgument, PermissionDenied, require, text_errors
from servicedesk.domain.catalog import CHANNELS, Catalog, ServiceType
from servicedesk.domain.history import Actor
from servicedesk.domain.home_visits import validate_home_visit
from servicedesk.domain.points import (
    ServicePoints,
    agent_may_file_for,
    on_a_roster,
    outreach_staff,
    require_manager_of,
    role_of,
)

MAX_DESCRIPTION = 2000
MAX_IDEMPOTENCY_KEY = 100
MAX_MATERIALS = 20
MAX_REASON = 500
# Channels a household's own terminal files through; the others are staff channels.
HOUSEHOLD_CHANNELS = ("set_top_box", "mobile")
# Channels through which staff file for a household: an agent, or the point's manager at the counter.
AGENT_CHANNELS = ("village_agent",)
COUNTER_CHANNELS = ("service_hall", "hotline")
OUTREACH_CHANNEL = "outreach_event"


@dataclass(frozen=True)
class NewRequest:
    """What the caller asks to file (the household's fields are staff's, filing for one)."""

    service_type: str
    description: str
    idempotency_key: str
    channel: str
    materials: tuple[str, ...] = ()
    household_id: str = ""
    household_area_code: str = ""
    consent: str = ""
    outreach_event_id: str = ""
    home_visit: str = ""

    def digest(self) -> str:
        """What the request asks for, all of it but its idempotency key: a retry must match it."""
        fields = {k: v for k, v in asdict(self).items() if k != "idempotency_key"}
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


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
    if len(req.materials) > MAX_MATERIALS or any(len(m) > 64 for m in req.materials):
        errors["materials"] = f"at most {MAX_MATERIALS} codes of at most 64 characters"
    if errors:
        raise InvalidArgument("invalid request: " + ", ".join(errors), errors)
    standard = catalog.service_type(req.service_type)
    if req.channel not in standard.channels:
        raise InvalidArgument(
            f"{standard.name} is not accepted through {req.channel}",
            {"channel": f"{standard.code} is accepted through {', '.join(standard.channels)}"},
        )
    missing = [m for m in standard.materials if m not in req.materials]
    if missing:
        names = [catalog.material_names.get(m, m) for m in missing]
        raise InvalidArgument("missing materials: " + "、".join(names), {"materials": "missing " + ", ".join(missing)})
    return standard


def check_proxy_fields(household_id: str, area_code: str, consent: str) -> None:
    """The fields staff fill in when filing for a household."""
    errors = text_errors({"household_id": (household_id, 36), "consent": (consent, MAX_REASON)}, multiline={"consent"})
    if area_code and (len(area_code) != 12 or not area_code.isdigit()):
        errors["household_area_code"] = "12 digits (district, township, village)"
    if errors:
        raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)


def check_outreach_fields(req: NewRequest) -> None:
    if req.channel == OUTREACH_CHANNEL and not req.outreach_event_id:
        raise InvalidArgument(
            "name the outreach event", {"outreach_event_id": "is required for channel outreach_event"}
        )
    if req.outreach_event_id and req.channel != OUTREACH_CHANNEL:
        raise InvalidArgument(
            "an outreach event is named with channel outreach_event",
            {"outreach_event_id": "only with channel outreach_event"},
        )
    if len(req.outreach_event_id) > 36:
        raise InvalidArgument("invalid outreach_event_id", {"outreach_event_id": "at most 36 characters"})


def household_to_look_up(caller: Caller, req: NewRequest, points: ServicePoints) -> str:
    """The household staff file for, to be looked up in identity before anything is filed ("" for a
    household's own terminal). Staff on no roster are refused first, then a malformed id or area."""
    if caller.is_household():
        return ""
    if not on_a_roster(caller, points):
        raise PermissionDenied("this call is for a household's terminal, a village agent or a service-point manager")
    check_proxy_fields(req.household_id, req.household_area_code, req.consent)
    require({"household_id": req.household_id})
    return req.household_id


def as_registered(req: NewRequest, registered_area: str) -> NewRequest:
    """The request staff file for a household, in the area identity registered it in: the area the
    rules check is never the one typed in. A typed area that is another is refused."""
    return replace(
        req, household_area_code=acting.registered_area(req.household_id, req.household_area_code, registered_area)
    )


@dataclass(frozen=True)
class Filing:
    """A request as it will be filed: checked, and whose it is."""

    new: NewRequest
    catalog: Catalog
    standard: ServiceType
    household_id: str
    area_code: str
    consent: str
    caller: Caller

    @property
    def at_outreach_event(self) -> bool:
        return self.new.channel == OUTREACH_CHANNEL

    @property
    def by(self) -> Actor:
        """The filer, through the request's channel."""
        return Actor(self.caller.subject, role_of(self.caller), self.new.channel)

    @classmethod
    def of(cls, caller: Caller, req: NewRequest, catalog: Catalog, points: ServicePoints) -> Filing:
        """Check a new request and who files it. The shape of the fields first (bad input is
        INVALID_ARGUMENT whoever calls), then who may file for whom."""
        if not caller.is_household() and not on_a_roster(caller, points):
            raise PermissionDenied(
                "this call is for a household's terminal, a village agent or a service-point manager"
            )
        if not req.channel and caller.is_household():
            req = replace(req, channel="set_top_box")
        check_proxy_fields(req.household_id, req.household_area_code, req.consent)
        standard = validate_new_request(req, catalog)
        validate_home_visit(req.home_visit, standard)
        check_outreach_fields(req)
        household_id, area_code, consent = _whose(caller, req, points)
        return cls(req, catalog, standard, household_id, area_code, consent, caller)


def _whose(caller: Caller, req: NewRequest, points: ServicePoints) -> tuple[str, str, str]:
    """(household id, area code, consent) of the request, by who files it and through which channel."""
    if caller.is_household():
        if req.household_id and req.household_id != caller.household_id:
            raise PermissionDenied("a household files only for itself")
        if req.channel not in HOUSEHOLD_CHANNELS:
            raise InvalidArgument(
                f"a household's terminal files through {', '.join(HOUSEHOLD_CHANNELS)}",
                {"channel": f"one of {', '.join(HOUSEHOLD_CHANNELS)}"},
            )
        return caller.household_id, caller.area_code, ""
    require({"household_id": req.household_id, "household_area_code": req.household_area_code})
    if req.channel in AGENT_CHANNELS:
        if not req.consent.strip():
            raise InvalidArgument("an agent records the household's consent", {"consent": "is required"})
        agent_may_file_for(caller, req.household_area_code, points)
        return req.household_id, req.household_area_code, req.consent
    if req.channel == OUTREACH_CHANNEL:
        if not any(outreach_staff(caller, p) for p in points.points.values()):
            raise PermissionDenied("requests at an outreach event are filed by staff of its service point")
        return req.household_id, req.household_area_code, req.consent
    if req.channel in COUNTER_CHANNELS:
        require_manager_of(caller, points.point_for_area(req.household_area_code))
        return req.household_id, req.household_area_code, req.consent
    raise PermissionDenied("staff file through the village-agent or counter channels")
