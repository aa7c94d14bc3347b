"""Service-desk rules: the standard catalog and the request lifecycle. No I/O:
the catalog's content is handed in (loaded by the store)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_text, require, text_errors

MAX_DESCRIPTION = 2000
MAX_IDEMPOTENCY_KEY = 100
MAX_MATERIALS = 20
MAX_REASON = 500
# Dates that citizens see (reference numbers, which standard is in force) are the district's.
DISTRICT_TZ = ZoneInfo("Asia/Shanghai")
AREA_TYPES = ("urban", "village")
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


# The lifecycle. Who may take each step is in ACTIONS below.
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


def transition(current: str, target: str, only_from: str = "") -> str:
    """The next state; `only_from` narrows a step that shares its target with
    another (accepting comes from submitted only, resuming from waiting only)."""
    if target not in TRANSITIONS.get(current, set()) or (only_from and current != only_from):
        raise FailedPrecondition(f"a request that is {current} cannot become {target}")
    return target


OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.WAITING_FOR_CITIZEN, State.DISPATCHED, State.ON_SITE)
# States in which the SLA clock runs (waiting for the citizen pauses it; resolved stops it).
CLOCK_RUNNING = (State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.ON_SITE)
# A technician is booked for the window of each job in these states.
BOOKED_STATES = (State.DISPATCHED, State.ON_SITE)


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    name_en: str
    time_limit_hours: dict[str, int]
    fee_fen: int
    covers: str = ""
    materials: tuple[str, ...] = ()
    home_visit_offered: bool = False
    channels: tuple[str, ...] = CHANNELS
    compensation: dict = field(default_factory=lambda: {"kind": "none"})

    def time_limit(self, area_type: str) -> dt.timedelta:
        return dt.timedelta(hours=self.time_limit_hours[area_type])


@dataclass(frozen=True)
class Catalog:
    version: str
    effective_from: dt.date
    service_types: dict[str, ServiceType]
    rules: dict = field(default_factory=dict)
    material_names: dict = field(default_factory=dict)
    channel_names: dict = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict, on: dt.date) -> Catalog:
        """The catalog version in force on `on` (the newest that has taken effect)."""
        versions = sorted(data["versions"], key=lambda v: v["effective_from"])
        in_force = [v for v in versions if dt.date.fromisoformat(v["effective_from"]) <= on]
        if not in_force:
            raise ValueError(f"no standard catalog version is in force on {on}")
        return cls._version(data, in_force[-1])

    @classmethod
    def named(cls, data: dict, version: str) -> Catalog:
        """The version a request was filed under (it keeps it for life)."""
        for v in data["versions"]:
            if v["version"] == version:
                return cls._version(data, v)
        raise ValueError(f"no standard catalog version {version!r}")

    @classmethod
    def _version(cls, data: dict, v: dict) -> Catalog:
        types = {}
        for t in v["service_types"]:
            if t["fee_fen"] < 0 or any(h <= 0 for h in t["time_limit_hours"].values()):
                raise ValueError(
                    f"service type {t['code']}: the fee must not be negative and time limits must be positive"
                )
            if set(t["time_limit_hours"]) - set(AREA_TYPES):
                raise ValueError(f"service type {t['code']}: time limits are per area type {AREA_TYPES}")
            channels = tuple(t.get("channels", CHANNELS))
            if set(channels) - set(CHANNELS):
                raise ValueError(f"service type {t['code']}: unknown channels {set(channels) - set(CHANNELS)}")
            types[t["code"]] = ServiceType(
                t["code"],
                t["name"],
                t["name_en"],
                t["time_limit_hours"],
                t["fee_fen"],
                covers=t.get("covers", ""),
                materials=tuple(t.get("materials", ())),
                home_visit_offered=t.get("home_visit_offered", False),
                channels=channels,
                compensation=t.get("compensation", {"kind": "none"}),
            )
        return cls(
            v["version"],
            dt.date.fromisoformat(v["effective_from"]),
            types,
            v.get("rules", {}),
            data.get("material_names", {}),
            data.get("channel_names", {}),
        )

    def rule(self, name: str):
        if name not in self.rules:
            raise ValueError(f"catalog {self.version} has no rule {name!r}")
        return self.rules[name]

    def service_type(self, code: str) -> ServiceType:
        if code not in self.service_types:
            raise InvalidArgument(f"unknown service type {code!r}", {"service_type": "not in the standard catalog"})
        return self.service_types[code]


@dataclass(frozen=True)
class NewRequest:
    service_type: str
    description: str
    idempotency_key: str
    channel: str
    materials: tuple[str, ...] = ()


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


def district_date(at: dt.datetime) -> dt.date:
    return at.astimezone(DISTRICT_TZ).date()


def reference_number(submitted_at: dt.datetime, seq: int) -> str:
    """What the citizen quotes on the phone: SR-<local date>-<number>, e.g. SR-20261129-000042."""
    return f"SR-{district_date(submitted_at):%Y%m%d}-{seq:06d}"


def same_request(existing_type: str, existing_description: str, req: NewRequest) -> bool:
    return existing_type == req.service_type and existing_description == req.description


def check_proxy_fields(household_id: str, area_code: str, consent: str) -> None:
    """The fields staff fill in when filing for a household."""
    errors = text_errors({"household_id": (household_id, 36), "consent": (consent, MAX_REASON)}, multiline={"consent"})
    if area_code and (len(area_code) != 12 or not area_code.isdigit()):
        errors["household_area_code"] = "12 digits (district, township, village)"
    if errors:
        raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)


# --- service points and routing --------------------------------------------


@dataclass(frozen=True)
class ServicePoint:
    code: str
    name: str
    township_code: str
    township_name: str
    managers: tuple[str, ...]
    technicians: tuple[str, ...]
    agency_points: tuple[dict, ...]


@dataclass(frozen=True)
class ServicePoints:
    district_code: str
    points: dict[str, ServicePoint]  # by township code
    area_type_ranges: tuple[tuple[int, int, str], ...]
    district_managers: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict) -> ServicePoints:
        district = data["district"]["code"]
        points = {}
        for p in data["service_points"]:
            tc = p["township_code"]
            if len(tc) != 9 or not tc.isdigit() or not tc.startswith(district):
                raise ValueError(f"service point {p['code']}: township code {tc!r} is not 9 digits of {district}")
            if tc in points:
                raise ValueError(f"two service points for township {tc}")
            for a in p["agency_points"]:
                if len(a["area_code"]) != 12 or not a["area_code"].startswith(tc):
                    raise ValueError(f"agency point {a['area_code']!r} is not a village of {tc}")
            points[tc] = ServicePoint(
                p["code"],
                p["name"],
                tc,
                p["township_name"],
                tuple(p["managers"]),
                tuple(p["technicians"]),
                tuple(p["agency_points"]),
            )
        ranges = tuple((r["from"], r["to"], r["area_type"]) for r in data["area_types"])
        return cls(district, points, ranges, tuple(data["district"].get("managers", ())))

    def point_for_area(self, area_code: str) -> ServicePoint:
        """The station of the town or sub-district the (village or township) area lies in."""
        point = self.points.get(area_code[:9]) if len(area_code) in (9, 12) else None
        if point is None:
            raise FailedPrecondition(
                f"no service point serves area {area_code!r}", {"area_code": "outside the district's service points"}
            )
        return point

    def area_type(self, area_code: str) -> str:
        """urban or village, from the village part of a 12-digit code (a township alone counts as urban)."""
        if len(area_code) != 12:
            return "urban"
        n = int(area_code[9:])
        for low, high, kind in self.area_type_ranges:
            if low <= n <= high:
                return kind
        return "village"

    def all_technicians(self) -> set[str]:
        return {t for p in self.points.values() for t in p.technicians}

    def point_by_code(self, code: str) -> ServicePoint | None:
        return next((p for p in self.points.values() if p.code == code), None)


# --- who may do what ---------------------------------------------------------


class Role:
    """The staff roles of the service desk (the registry lists them), and the one it uses of identity's."""

    SERVICE_POINT_MANAGER = "service_point_manager"
    TECHNICIAN = "technician"
    VILLAGE_AGENT = "village_agent"
    DEPARTMENT_OFFICER = "department_officer"  # identity's: a department's system


MANAGER, TECHNICIAN, AGENT = Role.SERVICE_POINT_MANAGER, Role.TECHNICIAN, Role.VILLAGE_AGENT


def managed_point(caller: Caller, points: ServicePoints) -> ServicePoint:
    """The point a manager runs: the one of their township, if they are on its roster."""
    caller.require_role(MANAGER)
    point = points.points.get(caller.area_code[:9])
    if point is None or caller.username not in point.managers:
        raise PermissionDenied("you manage no service point")
    return point


def on_a_roster(caller: Caller, points: ServicePoints) -> bool:
    """Staff who may file for households: a manager or a village agent named in the service-point data."""
    if not caller.username:
        return False
    for p in points.points.values():
        if MANAGER in caller.roles and caller.username in p.managers:
            return True
        if AGENT in caller.roles and any(caller.username in a["agents"] for a in p.agency_points):
            return True
    return False


def require_district_manager(caller: Caller, points: ServicePoints) -> None:
    """The assessment of every point is for the district's managers."""
    caller.require_role(MANAGER)
    if caller.area_code != points.district_code or caller.username not in points.district_managers:
        raise PermissionDenied("the assessment is for the district's managers")


def require_manager_of(caller: Caller, point: ServicePoint) -> None:
    caller.require_role(MANAGER)
    if caller.username not in point.managers:
        raise PermissionDenied("this request belongs to another service point")


def require_technician_on(caller: Caller, technician: str) -> None:
    caller.require_role(TECHNICIAN)
    if not caller.username or caller.username != technician:
        raise PermissionDenied("this job is assigned to another technician")


def agent_may_file_for(caller: Caller, household_area_code: str, points: ServicePoints) -> None:
    """A village agent files only for households of their own village, at an agency point on the roster."""
    caller.require_role(AGENT)
    if len(household_area_code) != 12 or household_area_code != caller.area_code:
        raise PermissionDenied("an agent files only for households of their own village")
    point = points.point_for_area(household_area_code)
    if not any(a["area_code"] == household_area_code and caller.username in a["agents"] for a in point.agency_points):
        raise PermissionDenied("you are not an agent of this village's agency point")


def may_read(caller: Caller, household_id: str, point: ServicePoint, technician: str) -> bool:
    if caller.is_household():
        return caller.household_id == household_id
    if MANAGER in caller.roles and caller.username in point.managers:
        return True
    return TECHNICIAN in caller.roles and bool(caller.username) and caller.username == technician


# --- the SLA clock -------------------------------------------------------------


def deadline(submitted_at: dt.datetime, standard: ServiceType, area_type: str) -> dt.datetime:
    return submitted_at + standard.time_limit(area_type)


def percent_used(submitted_at: dt.datetime, deadline_at: dt.datetime, paused: dt.timedelta, at: dt.datetime) -> float:
    """How much of the time limit is used at `at` (pauses while waiting for the citizen do not count)."""
    limit = (deadline_at - submitted_at) - paused
    return 100.0 * ((at - submitted_at) - paused) / limit if limit.total_seconds() > 0 else 100.0


def thresholds_reached(percent: float, already: int, thresholds: list[int]) -> list[int]:
    """Thresholds (e.g. 80, 100) newly passed, given the highest one already raised."""
    return [t for t in sorted(thresholds) if already < t <= percent]


ESCALATION = {80: "service_point_manager", 100: "district"}


def escalate_to(percent: int) -> str:
    return ESCALATION.get(percent, "district")


def compensation_fen(
    standard: ServiceType, deadline_at: dt.datetime, resolved_at: dt.datetime, monthly_fee_fen: int
) -> int:
    """What a late request earns, by the standard's rule: waive the month's fee, or a
    percent of the fee per day (or part of a day) late."""
    late = resolved_at - deadline_at
    if late <= dt.timedelta(0):
        return 0
    rule = standard.compensation
    if rule["kind"] == "waive_month_fee":
        return monthly_fee_fen
    if rule["kind"] == "percent_of_fee_per_day":
        days = -(-late // dt.timedelta(days=1))  # ceiling
        return min(standard.fee_fen, standard.fee_fen * rule["percent"] * days // 100)
    return 0


def validate_wait(reason: str, waits_so_far: int, catalog: Catalog) -> None:
    require({"reason": reason})
    check_text({"reason": (reason, MAX_REASON)}, multiline={"reason"})
    if waits_so_far >= catalog.rule("max_waits"):
        raise FailedPrecondition(f"a request may wait for the citizen at most {catalog.rule('max_waits')} times")


def wait_too_long(paused_since: dt.datetime, at: dt.datetime, catalog: Catalog) -> bool:
    return at - paused_since > dt.timedelta(hours=catalog.rule("max_wait_hours"))


def validate_reason(reason: str, required: bool) -> None:
    if required:
        require({"reason": reason})
    check_text({"reason": (reason, MAX_REASON)}, multiline={"reason"})


# --- appointments --------------------------------------------------------------


def validate_window(start: dt.datetime | None, end: dt.datetime | None, at: dt.datetime, catalog: Catalog) -> None:
    errors = {}
    if start is None:
        errors["window_start"] = "is required"
    if end is None:
        errors["window_end"] = "is required"
    if start is None or end is None:
        raise InvalidArgument("the appointment window is required", errors)
    if start < at:
        errors["window_start"] = "is in the past"
    if end <= start:
        errors["window_end"] = "must be after window_start"
    if start > at + dt.timedelta(days=catalog.rule("appointment_max_days_ahead")):
        errors["window_start"] = f"at most {catalog.rule('appointment_max_days_ahead')} days ahead"
    if errors:
        raise InvalidArgument("invalid appointment window: " + ", ".join(errors), errors)


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    return a_start < b_end and b_start < a_end


# --- ratings (好差评) -------------------------------------------------------------

RATING_LEVELS = ("very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied")
BAD_LEVELS = ("dissatisfied", "very_dissatisfied")
SATISFIED_LEVELS = ("very_satisfied", "satisfied", "basically_satisfied")
INDICATORS = ("efficiency", "attitude", "result")
MAX_COMMENT = 1000
# Rated while resolved; rating closes it, and so does the end of the rating window.
RATABLE_STATES = (State.RESOLVED,)


def validate_rating(level: str, indicators: dict[str, int], comment: str) -> None:
    errors = {}
    if level not in RATING_LEVELS:
        errors["level"] = f"one of {', '.join(RATING_LEVELS)}"
    unknown = set(indicators) - set(INDICATORS)
    if unknown:
        errors["indicators"] = f"only {', '.join(INDICATORS)}"
    elif any(not 1 <= v <= 5 for v in indicators.values()):
        errors["indicators"] = "each from 1 to 5"
    errors.update(text_errors({"comment": (comment, MAX_COMMENT)}, multiline={"comment"}))
    if errors:
        raise InvalidArgument("invalid rating: " + ", ".join(errors), errors)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`days` working days (Monday to Friday, in the district) after `start`."""
    local = start.astimezone(DISTRICT_TZ)
    while days > 0:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local.astimezone(dt.UTC)


# --- the service guide, in plain Chinese ----------------------------------------


def yuan(fen: int) -> str:
    return "免费" if fen == 0 else f"{fen // 100}元" + (f"{fen % 100:02d}分" if fen % 100 else "")


def hours_text(hours: int) -> str:
    return f"{hours // 24}天" if hours % 24 == 0 and hours >= 48 else f"{hours}小时"


def compensation_text(standard: ServiceType, catalog: Catalog) -> str:
    rule = standard.compensation
    if rule["kind"] == "waive_month_fee":
        return f"超时未修好，免收当月收视费（{yuan(catalog.rule('monthly_fee_fen'))}）。"
    if rule["kind"] == "percent_of_fee_per_day":
        return f"超时每天按费用的{rule['percent']}%赔偿。"
    return ""


def guide(standard: ServiceType, catalog: Catalog) -> str:
    limits = standard.time_limit_hours
    if limits.get("urban") == limits.get("village"):
        how_long = f"{hours_text(limits['urban'])}内办好"
    else:
        how_long = f"城镇{hours_text(limits['urban'])}、农村{hours_text(limits['village'])}内办好"
    bring = "、".join(catalog.material_names.get(m, m) for m in standard.materials) or "不用带材料"
    where = "、".join(catalog.channel_names.get(c, c) for c in standard.channels)
    parts = [
        f"{standard.name}：{standard.covers}",
        f"要带：{bring}。",
        f"多久：{how_long}。",
        f"多少钱：{yuan(standard.fee_fen)}。",
        f"在哪办：{where}。",
    ]
    if standard.home_visit_offered:
        parts.append("老年人、残疾人可以预约上门服务。")
    comp = compensation_text(standard, catalog)
    if comp:
        parts.append(comp)
    return "\n".join(parts)


# --- performance assessment (绩效考核) ---------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request as the assessment read model knows it (built from events)."""

    service_point_code: str
    service_type: str
    channel: str
    submitted_at: dt.datetime
    deadline_at: dt.datetime | None
    state: str
    resolved_at: dt.datetime | None = None
    compensation_fen: int = 0
    rating_level: str = ""
    rectification_deadline: dt.datetime | None = None
    rectified_at: dt.datetime | None = None


def month_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """'2026-11' -> the month's first instant and the next month's, in the district's time."""
    try:
        year, month = (int(x) for x in period.split("-"))
        start = dt.datetime(year, month, 1, tzinfo=DISTRICT_TZ)
    except ValueError:
        raise InvalidArgument("period must be YYYY-MM", {"period": "a month, e.g. 2026-11"}) from None
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=DISTRICT_TZ)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def previous_months(period: str, count: int) -> list[str]:
    year, month = (int(x) for x in period.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    # nearest rank
    return values[max(0, min(len(values) - 1, -(-int(q * 100) * len(values) // 100) - 1))]


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def point_metrics(cases: list[Case], start: dt.datetime, end: dt.datetime, at: dt.datetime) -> dict:
    """One point's figures for the requests filed in [start, end), as they stand at `at`."""
    filed = [c for c in cases if start <= c.submitted_at < end]
    done = [c for c in filed if c.resolved_at is not None]
    on_time = [c for c in done if c.deadline_at is None or (c.resolved_at or at) <= c.deadline_at]
    open_ = [c for c in filed if c.state in OPEN_STATES]
    overdue = [c for c in filed if c.deadline_at is not None and c.deadline_at < (c.resolved_at or at)]
    rated = [c for c in filed if c.rating_level]
    bad = [c for c in rated if c.rating_level in BAD_LEVELS]
    rectified = [
        c
        for c in bad
        if c.rectified_at is not None
        and c.rectification_deadline is not None
        and c.rectified_at <= c.rectification_deadline
    ]
    by_type: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    hours_by_type: dict[str, list[float]] = {}
    for c in filed:
        by_type[c.service_type] = by_type.get(c.service_type, 0) + 1
        by_channel[c.channel] = by_channel.get(c.channel, 0) + 1
    for c in done:
        hours = ((c.resolved_at or at) - c.submitted_at).total_seconds() / 3600
        hours_by_type.setdefault(c.service_type, []).append(hours)
    return {
        "requests": len(filed),
        "by_type": by_type,
        "by_channel": by_channel,
        "resolved": len(done),
        "on_time_rate": _rate(len(on_time), len(done)),
        "median_hours_by_type": {k: _quantile(v, 0.5) for k, v in hours_by_type.items()},
        "p90_hours_by_type": {k: _quantile(v, 0.9) for k, v in hours_by_type.items()},
        "backlog": len(open_),
        "overdue": len(overdue),
        "overdue_rate": _rate(len(overdue), len(filed)),
        "satisfaction_rate": _rate(len([c for c in rated if c.rating_level in SATISFIED_LEVELS]), len(rated)),
        "bad_ratings": len(bad),
        "rectification_rate": _rate(len(rectified), len(bad)),
        "complaint_rate": _rate(by_type.get("complaint", 0), len(filed)),
        "compensation_fen": sum(c.compensation_fen for c in filed),
    }


def score(metrics: dict, scheme: dict) -> float:
    """The weighted score out of 100; an indicator with nothing to measure counts as full marks."""
    total = 0.0
    for name, weight in scheme["weights"].items():
        value = metrics[name]
        if value is None:
            value = 0.0 if name in scheme["lower_is_better"] else 100.0
        total += weight * ((100.0 - value) if name in scheme["lower_is_better"] else value)
    return round(total, 2)


def validate_scheme(scheme: dict) -> None:
    if abs(sum(scheme["weights"].values()) - 1.0) > 1e-9:
        raise ValueError("the assessment weights must add up to 1")
    known = {"on_time_rate", "satisfaction_rate", "rectification_rate", "complaint_rate", "overdue_rate"}
    if set(scheme["weights"]) - known or set(scheme["lower_is_better"]) - known:
        raise ValueError(f"the assessment scheme names indicators outside {sorted(known)}")


# --- home visits ------------------------------------------------------------------

HOME_VISIT_REASONS = {"elderly": "老年人", "disabled": "残疾人"}


def validate_home_visit(reason: str, standard: ServiceType) -> None:
    """A home visit is asked for with its reason, and only for types whose standard offers one."""
    if not reason:
        return
    if reason not in HOME_VISIT_REASONS:
        raise InvalidArgument(
            "a home visit is for elderly or disabled citizens",
            {"home_visit": f"one of {', '.join(HOME_VISIT_REASONS)}"},
        )
    if not standard.home_visit_offered:
        raise InvalidArgument(f"{standard.name}不提供上门服务", {"home_visit": f"{standard.code} offers no home visit"})


# --- outreach events in the villages ----------------------------------------------

MAX_PLACE = 200
OUTREACH_MAX_DAYS_AHEAD = 180


@dataclass(frozen=True)
class OutreachEvent:
    id: str
    service_point_code: str
    area_code: str
    place: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    service_types: tuple[str, ...]


def _time(value: str) -> dt.time | None:
    if len(value) != 5 or value[2] != ":":
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return None


def parse_outreach_event(
    date: str,
    start_time: str,
    end_time: str,
    area_code: str,
    place: str,
    service_types: tuple[str, ...],
    catalog: Catalog,
    today: dt.date,
    check_past: bool = True,
) -> tuple[dt.date, dt.time, dt.time]:
    """Check a scheduled outreach event's fields (in the district's time); (date, start, end)."""
    require({"date": date, "start_time": start_time, "end_time": end_time, "area_code": area_code, "place": place})
    errors = text_errors({"place": (place, MAX_PLACE)})
    try:
        day = dt.date.fromisoformat(date) if len(date) == 10 else None
    except ValueError:
        day = None
    start, end = _time(start_time), _time(end_time)
    if day is None:
        errors["date"] = "YYYY-MM-DD"
    elif check_past and day < today:
        errors["date"] = "is in the past"
    elif check_past and day > today + dt.timedelta(days=OUTREACH_MAX_DAYS_AHEAD):
        errors["date"] = f"at most {OUTREACH_MAX_DAYS_AHEAD} days ahead"
    if start is None:
        errors["start_time"] = "HH:MM"
    if end is None:
        errors["end_time"] = "HH:MM"
    elif start is not None and end <= start:
        errors["end_time"] = "must be after start_time"
    if len(area_code) != 12 or not area_code.isdigit():
        errors["area_code"] = "a village's 12-digit code"
    if not service_types or len(service_types) > len(catalog.service_types):
        errors["service_types"] = "one or more codes from the standard catalog"
    else:
        unknown = [c for c in service_types if c not in catalog.service_types]
        refused = [
            c
            for c in service_types
            if c in catalog.service_types and "outreach_event" not in catalog.service_types[c].channels
        ]
        if unknown:
            errors["service_types"] = "not in the standard catalog: " + ", ".join(unknown[:5])
        elif refused:
            errors["service_types"] = "not accepted at outreach events: " + ", ".join(refused)
    if errors or day is None or start is None or end is None:
        raise InvalidArgument("invalid outreach event: " + ", ".join(errors), errors)
    return day, start, end


def may_schedule_outreach(caller: Caller, area_code: str, points: ServicePoints) -> ServicePoint:
    """A manager schedules outreach events for their own point's villages only."""
    point = managed_point(caller, points)
    if area_code[:9] != point.township_code:
        raise PermissionDenied("a manager schedules outreach events in their own point's villages only")
    return point


def outreach_staff(caller: Caller, point: ServicePoint) -> bool:
    """Staff of the event's point who take requests there: its managers and its agents."""
    if MANAGER in caller.roles and caller.username in point.managers:
        return True
    return AGENT in caller.roles and any(caller.username in a["agents"] for a in point.agency_points)


def may_file_at_outreach(
    caller: Caller,
    event: OutreachEvent,
    household_area_code: str,
    standard: ServiceType,
    points: ServicePoints,
    at: dt.datetime,
) -> None:
    """Filed at an outreach event: by staff of its point, on the event's day (during or after it,
    for it), for a household of the event's town, for a type taken there."""
    point = points.point_by_code(event.service_point_code)
    if point is None or not outreach_staff(caller, point):
        raise PermissionDenied("requests at an outreach event are filed by staff of its service point")
    if household_area_code[:9] != event.area_code[:9]:
        raise PermissionDenied("an outreach event takes requests of households of its own town")
    if standard.code not in event.service_types:
        raise InvalidArgument(
            f"{standard.name}不在这次活动的办理范围", {"service_type": "not taken at this outreach event"}
        )
    local = at.astimezone(DISTRICT_TZ)
    if local.date() != event.date or local.time() < event.start_time:
        raise FailedPrecondition(
            f"requests at this outreach event are filed on {event.date} from {event.start_time:%H:%M}",
            {"outreach_event_id": "not during this event"},
        )


def upcoming(events_: list[OutreachEvent], town_code: str, today: dt.date) -> list[OutreachEvent]:
    """A town's events from today on, by date and time (past ones hidden)."""
    return sorted(
        (e for e in events_ if e.area_code[:9] == town_code and e.date >= today),
        key=lambda e: (e.date, e.start_time, e.id),
    )


WEEKDAYS = "一二三四五六日"


def outreach_text(event: OutreachEvent, catalog: Catalog) -> str:
    names = "、".join(catalog.service_types[c].name if c in catalog.service_types else c for c in event.service_types)
    return (
        f"{event.date.month}月{event.date.day}日（星期{WEEKDAYS[event.date.weekday()]}）"
        f"{event.start_time:%H:%M}—{event.end_time:%H:%M}，在{event.place}，可以办理：{names}。"
    )
