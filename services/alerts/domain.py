"""Emergency broadcast rules: the alert model, the rules CAP's schema cannot
check, the two-person approval rule, targeting by area and geometry, and
what each channel is sent. No I/O: the data files are loaded by `store`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from shapely import affinity
from shapely.geometry import Point, Polygon, box
from shapely.ops import unary_union

from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied

CHINA = dt.timezone(dt.timedelta(hours=8))
DRILL_STATUSES = {"Exercise", "Test"}
BROADCAST_STATUSES = {"Actual", "Exercise", "Test"}
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")


class Role:
    """The staff roles of the emergency broadcast (the registry lists them), and those it uses of others'."""

    ALERT_ISSUER = "alert_issuer"
    ALERT_APPROVER = "alert_approver"
    DEPARTMENT_OFFICER = "department_officer"  # identity's: a department's system
    TECHNICIAN = "technician"  # the service desk's: registers village loudspeakers and devices


class State:
    DRAFT = "draft"
    PENDING = "pending_approval"
    REJECTED = "rejected"
    ISSUED = "issued"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"


class Channel:
    SET_TOP_BOX = "set_top_box"
    LOUDSPEAKER = "loudspeaker"
    IOT = "iot"
    ALL = (SET_TOP_BOX, LOUDSPEAKER, IOT)


# Receipts climb this ladder; a lower receipt after a higher one changes nothing.
RECEIPT_RANK = {"sent": 0, "delivered": 1, "displayed": 2, "acknowledged": 3}


@dataclass(frozen=True)
class AlertText:
    language: str
    headline: str = ""
    description: str = ""
    instruction: str = ""
    event: str = ""


@dataclass(frozen=True)
class CapArea:
    desc: str
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()  # (lat, lon) points
    circles: tuple[tuple[float, float, float], ...] = ()  # lat, lon, radius km
    geocodes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Alert:
    """One alert, as received (CAP or the national feed) or authored, normalized."""

    identifier: str
    sender: str
    sent: dt.datetime
    status: str
    msg_type: str
    scope: str = "Public"
    references: tuple[str, ...] = ()  # "sender,identifier,sent" triples
    sender_name: str = ""
    category: str = "Safety"
    event_type: str = ""
    urgency: str = "Immediate"
    severity: str = "Unknown"
    certainty: str = "Likely"
    level: int = 0
    colour: str = ""
    expires: dt.datetime | None = None
    texts: tuple[AlertText, ...] = ()  # zh-CN first
    areas: tuple[CapArea, ...] = ()
    area_codes: tuple[str, ...] = ()  # targeted, resolved

    @property
    def drill(self) -> bool:
        return self.status in DRILL_STATUSES


# --- levels (data/levels.json) ---


@dataclass(frozen=True)
class Level:
    level: int
    roman: str
    colour: str
    name: str
    severity: str
    aliases: tuple[str, ...]


class Levels:
    def __init__(self, data: dict):
        self.levels = [
            Level(d["level"], d["roman"], d["colour"], d["name"], d["severity"], tuple(d["aliases"]))
            for d in data["levels"]
        ]

    def by_number(self, n: int) -> Level:
        for lv in self.levels:
            if lv.level == n:
                return lv
        raise InvalidArgument(f"level must be 1..{len(self.levels)}", {"level": "unknown level"})

    def from_feed(self, raw: str) -> Level | None:
        """A feed's severity: a colour, a level (Ⅰ..Ⅳ), or a Chinese name; None if it is a CAP severity."""
        key = raw.strip().lower().removesuffix("预警").removesuffix("级")
        for lv in self.levels:
            if key in {a.lower() for a in lv.aliases}:
                return lv
        return None

    def by_severity(self, severity: str) -> Level | None:
        return next((lv for lv in self.levels if lv.severity == severity), None)


# --- areas (data/areas.json) ---


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    parent: str
    shape: Polygon


class Areas:
    def __init__(self, data: dict):
        self.district = data["district"]
        self.by_code: dict[str, Area] = {}
        for a in data["areas"]:
            s, w, n, e = a["bbox"]
            self.by_code[a["code"]] = Area(a["code"], a["name"], a["level"], a["parent"], box(w, s, e, n))

    def name(self, code: str) -> str:
        a = self.by_code.get(code)
        return a.name if a else code

    def check_codes(self, codes: list[str], field_name: str = "area_codes") -> None:
        unknown = [c for c in codes if c not in self.by_code]
        if unknown:
            raise InvalidArgument(f"unknown area code(s): {', '.join(unknown[:5])}", {field_name: "unknown area code"})

    def intersecting(self, shape) -> list[str]:
        """The most specific areas a geometry touches: each listed village it
        intersects, and a town too where it touches the town outside its listed villages."""
        out = []
        for town in (a for a in self.by_code.values() if a.level == "town"):
            if not town.shape.intersects(shape):
                continue
            villages = [a for a in self.by_code.values() if a.parent == town.code]
            hit = [v.code for v in villages if v.shape.intersects(shape)]
            rest = town.shape.difference(unary_union([v.shape for v in villages])) if villages else town.shape
            if not hit or (not rest.is_empty and rest.intersects(shape)):
                out.append(town.code)
            out.extend(hit)
        return out


def covers(targeted_code: str, terminal_area: str) -> bool:
    """A terminal in village 330411101001 is in town 330411101 and district 330411."""
    return bool(targeted_code) and terminal_area.startswith(targeted_code)


def is_targeted(area_codes, terminal_area: str) -> bool:
    return any(covers(c, terminal_area) for c in area_codes)


def circle_shape(lat: float, lon: float, radius_km: float):
    # Degrees per km differ north-south and east-west: an ellipse in lon/lat.
    deg_lat = radius_km / 111.32
    deg_lon = radius_km / (111.32 * max(0.01, math.cos(math.radians(lat))))
    return affinity.scale(Point(lon, lat).buffer(1.0, quad_segs=32), deg_lon, deg_lat)


def polygon_shape(points) -> Polygon:
    return Polygon([(lon, lat) for lat, lon in points])


def resolve_targets(alert: Alert, areas: Areas) -> tuple[str, ...]:
    """Area codes an alert targets: its geocodes (which must be known), and the
    areas its polygons and circles intersect."""
    codes: list[str] = []
    for a in alert.areas:
        for _name, value in a.geocodes:
            if value.isdigit() and 6 <= len(value) <= 12:
                if value not in areas.by_code and value.startswith(areas.district):
                    raise InvalidArgument(f"unknown area code {value}", {"area.geocode": "unknown area code"})
                if value in areas.by_code:
                    codes.append(value)
        for points in a.polygons:
            codes.extend(areas.intersecting(polygon_shape(points)))
        for lat, lon, r in a.circles:
            codes.extend(areas.intersecting(circle_shape(lat, lon, r)))
    codes.extend(alert.area_codes)
    unique = tuple(dict.fromkeys(codes))
    if not unique:
        raise InvalidArgument("the alert targets no area of this district", {"area": "no known area targeted"})
    return unique


# --- the rules CAP's schema cannot check ---


def check_rules(alert: Alert) -> None:
    errors: dict[str, str] = {}
    for name in ("identifier", "sender"):
        value = getattr(alert, name)
        if not value or any(ch in value for ch in " ,\t\n\r"):
            errors[name] = "must be non-empty, without spaces or commas"
    if alert.status not in BROADCAST_STATUSES:
        errors["status"] = f"{alert.status} messages are not broadcast (Actual, Exercise or Test)"
    if alert.msg_type not in ("Alert", "Update", "Cancel"):
        errors["msgType"] = "only Alert, Update and Cancel are accepted"
    if alert.msg_type in ("Update", "Cancel"):
        if not alert.references:
            errors["references"] = f"an {alert.msg_type} must reference the alert(s) it replaces"
        elif any(len(r.split(",")) != 3 or not all(r.split(",")) for r in alert.references):
            errors["references"] = "each reference is sender,identifier,sent"
    if alert.sent.tzinfo is None:
        errors["sent"] = "must carry a time zone offset"
    if alert.expires is not None and alert.expires <= alert.sent:
        errors["expires"] = "must be after sent"
    if not alert.texts and alert.msg_type != "Cancel":
        errors["info"] = "at least one info block is required"
    for a in alert.areas:
        for points in a.polygons:
            if len(points) < 4:
                errors["area.polygon"] = "a polygon needs at least 4 points"
            elif points[0] != points[-1]:
                errors["area.polygon"] = "a polygon must be closed (first point = last point)"
            elif not polygon_shape(points).is_valid:
                errors["area.polygon"] = "the polygon crosses itself"
        for lat, lon, r in a.circles:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and r >= 0):
                errors["area.circle"] = "circle is 'lat,lon radius_km'"
    if errors:
        raise InvalidArgument(
            "the alert breaks CAP rules: " + "; ".join(f"{k}: {v}" for k, v in errors.items()), errors
        )


def reference_key(sender: str, identifier: str) -> tuple[str, str]:
    return sender, identifier


def parse_reference(ref: str) -> tuple[str, str]:
    sender, identifier, _sent = ref.split(",")
    return sender, identifier


# --- who may do what: the two-person rule ---


def require_department(caller: Caller) -> str:
    if caller.kind != CallerKind.DEPARTMENT:
        raise PermissionDenied("CAP intake is for departments signed in with their client credentials")
    caller.require_role(Role.DEPARTMENT_OFFICER)
    return caller.subject.removeprefix("department:")


def require_issuer(caller: Caller) -> None:
    if caller.kind != CallerKind.STAFF:
        raise PermissionDenied("authoring alerts is for staff with the alert issuer role")
    caller.require_role(Role.ALERT_ISSUER)


def check_approval(caller: Caller, state: str, created_by: str, submitted_by: str) -> None:
    if caller.kind != CallerKind.STAFF:
        raise PermissionDenied("approving alerts is for staff with the alert approver role")
    caller.require_role(Role.ALERT_APPROVER)
    if caller.subject in (created_by, submitted_by):
        raise PermissionDenied("two-person rule: the person who wrote or submitted an alert cannot approve it")
    if state != State.PENDING:
        raise FailedPrecondition(f"the alert is {state}, not waiting for approval")


def check_submit(caller: Caller, state: str, created_by: str) -> None:
    require_issuer(caller)
    if caller.subject != created_by:
        raise PermissionDenied("only the issuer who drafted an alert submits it")
    if state != State.DRAFT:
        raise FailedPrecondition(f"the alert is {state}, not a draft")


def check_cancel(caller: Caller, state: str, created_by: str) -> None:
    is_staff = caller.kind == CallerKind.STAFF and caller.roles & {Role.ALERT_ISSUER, Role.ALERT_APPROVER}
    if not is_staff and caller.subject != created_by:
        raise PermissionDenied("an alert is cancelled by alert staff or the department that sent it")
    if state != State.ISSUED:
        raise FailedPrecondition(f"the alert is {state}; only an issued alert can be cancelled")


def initial_state_for_department(client_id: str, trusted: set[str]) -> str:
    return State.ISSUED if client_id in trusted else State.PENDING


def is_active(state: str, expires: dt.datetime | None, now: dt.datetime) -> bool:
    return state == State.ISSUED and (expires is None or expires > now)


def authored_identifier(district: str, now: dt.datetime, suffix: str) -> str:
    """`<area code + org code>_<YYYYMMDDhhmmss>` as the national feeds name them, plus a short suffix."""
    return f"{district}SBC_{now.astimezone(CHINA):%Y%m%d%H%M%S}_{suffix}"


def authored_alert(
    *,
    identifier: str,
    sender: str,
    sender_name: str,
    now: dt.datetime,
    level: Level,
    event_type: str,
    headline: str,
    description: str,
    instruction: str,
    area_codes: tuple[str, ...],
    expires: dt.datetime | None,
    status: str,
    msg_type: str,
    references: tuple[str, ...],
) -> Alert:
    return Alert(
        identifier=identifier,
        sender=sender,
        sent=now.astimezone(CHINA).replace(microsecond=0),
        status=status or "Actual",
        msg_type=msg_type or "Alert",
        references=references,
        sender_name=sender_name,
        event_type=event_type,
        severity=level.severity,
        level=level.level,
        colour=level.colour,
        expires=expires,
        texts=(AlertText("zh-CN", headline, description, instruction, event_type),),
        area_codes=area_codes,
    )


def with_level(alert: Alert, levels: Levels) -> Alert:
    """Fill the Chinese level and colour from a CAP severity."""
    if alert.level:
        return alert
    lv = levels.by_severity(alert.severity)
    return replace(alert, level=lv.level, colour=lv.colour) if lv else alert


def order_texts(texts) -> tuple[AlertText, ...]:
    """zh-CN first on screen, then the others as received."""
    return tuple(sorted(texts, key=lambda t: 0 if t.language.lower() in ("zh-cn", "zh") else 1))


# --- what the loudspeakers get: the EB message structure (GY/T 385-2023) ---

EBM_TYPE_REAL, EBM_TYPE_CANCEL, EBM_TYPE_TERMINAL_DRILL = 1, 2, 5


def ebm_type(kind: str, drill: bool) -> int:
    if kind in ("cancel", "expire"):
        return EBM_TYPE_CANCEL
    return EBM_TYPE_TERMINAL_DRILL if drill else EBM_TYPE_REAL


@dataclass(frozen=True)
class EbdFields:
    ebd_id: str
    source: str
    destination: str
    alert_id: str
    related_alert_ids: tuple[str, ...]
    kind: str
    drill: bool
    sender_name: str
    sender_code: str
    sent: dt.datetime
    event_type: str
    severity: str
    level: int
    expires: dt.datetime | None
    texts: tuple[AlertText, ...]
    area_codes: tuple[str, ...]
    attempt: int = 1
    extra: dict = field(default_factory=dict)


def render_ebd(f: EbdFields, now: dt.datetime) -> dict:
    """An EBD envelope carrying one EBM (JSON rendering of GY/T 385-2023's structure)."""
    zh = f.texts[0] if f.texts else AlertText("zh-CN")

    def t(x: dt.datetime | None) -> str:
        return x.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if x else ""

    return {
        "EBD": {
            "EBDVersion": "1",
            "EBDID": f.ebd_id,
            "EBDType": "EBM",
            "SRC": {"EBRID": f.source},
            "DEST": {"EBRID": f.destination},
            "EBDTime": t(now),
            "RelatedEBD": {"EBDID": ""},
            "EBM": {
                "EBMVersion": "1",
                "EBMID": f.alert_id,
                "RelatedEBM": {"EBMID": ",".join(f.related_alert_ids)},
                "MsgBasicInfo": {
                    "MsgType": ebm_type(f.kind, f.drill),
                    "SenderName": f.sender_name,
                    "SenderCode": f.sender_code,
                    "SendTime": t(f.sent),
                    "EventType": f.event_type,
                    "Severity": f.level or 0,
                    "StartTime": t(f.sent),
                    "EndTime": t(f.expires),
                },
                "MsgContent": {
                    "LanguageCode": "zho",
                    "MsgTitle": ("【演练】" if f.drill else "") + zh.headline,
                    "MsgDesc": zh.description + (("\n" + zh.instruction) if zh.instruction else ""),
                    "AreaCode": ",".join(f.area_codes),
                },
                "Dispatch": {"Attempt": f.attempt},
            },
        }
    }
