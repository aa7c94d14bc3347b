"""The alert message: one alert as a department sent it (CAP 1.2 or the national early-warning
feed's variant) or as an issuer drafted it, normalized; and the rules CAP's schema cannot check."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon
from shapely.validation import make_valid

from alerts.domain.levels import Level, Levels
from runtime.errors import InvalidArgument

CHINA = dt.timezone(dt.timedelta(hours=8))
DRILL_STATUSES = {"Exercise", "Test"}
BROADCAST_STATUSES = {"Actual", "Exercise", "Test"}
MSG_TYPES = ("Alert", "Update", "Cancel")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
# In square degrees, about a square metre here: below it, points "on one line" up to rounding.
MIN_POLYGON_AREA = 1e-10


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
class AlertMessage:
    """One alert message, as received or authored, normalized."""

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


def circle_shape(lat: float, lon: float, radius_km: float):
    # Degrees per km differ north-south and east-west: an ellipse in lon/lat.
    deg_lat = radius_km / 111.32
    deg_lon = radius_km / (111.32 * max(0.01, math.cos(math.radians(lat))))
    return affinity.scale(Point(lon, lat).buffer(1.0, quad_segs=32), deg_lon, deg_lat)


def polygon_shape(points) -> Polygon:
    return Polygon([(lon, lat) for lat, lon in points])


def _repaired(points: tuple[tuple[float, float], ...]) -> tuple[tuple[tuple[float, float], ...], ...]:
    """A closed ring that crosses itself, as the polygons it outlines (real feeds send such rings);
    unchanged when it is valid, or when nothing of it encloses an area (check_rules refuses it)."""
    if len(points) < 4 or points[0] != points[-1]:
        return (points,)
    shape = polygon_shape(points)
    if shape.is_valid:
        return (points,)
    fixed = make_valid(shape)
    parts = [
        p
        for g in shapely.get_parts(fixed)  # a collection of polygons, multi-polygons and lines
        for p in shapely.get_parts(g)
        if isinstance(p, Polygon) and p.area >= MIN_POLYGON_AREA
    ]
    if not parts:
        return (points,)
    # Holes are dropped: a warning that reaches a few more homes is the safe side.
    return tuple(tuple((lat, lon) for lon, lat in part.exterior.coords) for part in parts)


def with_repaired_polygons(message: AlertMessage) -> AlertMessage:
    """The message with each self-intersecting polygon replaced by the areas it outlines."""
    areas = tuple(
        replace(a, polygons=tuple(ring for points in a.polygons for ring in _repaired(points))) for a in message.areas
    )
    return replace(message, areas=areas)


def check_rules(message: AlertMessage) -> None:
    """The rules CAP's schema cannot check."""
    errors: dict[str, str] = {}
    for name in ("identifier", "sender"):
        value = getattr(message, name)
        if not value or any(ch in value for ch in " ,\t\n\r"):
            errors[name] = "must be non-empty, without spaces or commas"
    if message.status not in BROADCAST_STATUSES:
        errors["status"] = f"{message.status} messages are not broadcast (Actual, Exercise or Test)"
    if message.msg_type not in MSG_TYPES:
        errors["msgType"] = "only Alert, Update and Cancel are accepted"
    if message.msg_type in ("Update", "Cancel"):
        if not message.references:
            errors["references"] = f"an {message.msg_type} must reference the alert(s) it replaces"
        elif any(len(r.split(",")) != 3 or not all(r.split(",")) for r in message.references):
            errors["references"] = "each reference is sender,identifier,sent"
    if message.sent.tzinfo is None:
        errors["sent"] = "must carry a time zone offset"
    if message.expires is not None and message.expires <= message.sent:
        errors["expires"] = "must be after sent"
    if not message.texts and message.msg_type != "Cancel":
        errors["info"] = "at least one info block is required"
    for a in message.areas:
        for points in a.polygons:
            if len(points) < 4:
                errors["area.polygon"] = "a polygon needs at least 4 points"
            elif points[0] != points[-1]:
                errors["area.polygon"] = "a polygon must be closed (first point = last point)"
            elif not polygon_shape(points).is_valid or polygon_shape(points).area < MIN_POLYGON_AREA:
                errors["area.polygon"] = "the polygon encloses no area (its points are on one line, or repeat)"
        for lat, lon, r in a.circles:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and r >= 0):
                errors["area.circle"] = "circle is 'lat,lon radius_km'"
    if errors:
        raise InvalidArgument(
            "the alert breaks CAP rules: " + "; ".join(f"{k}: {v}" for k, v in errors.items()), errors
        )


def parse_reference(ref: str) -> tuple[str, str]:
    """A CAP reference's sender and identifier (it is "sender,identifier,sent")."""
    sender, identifier, _sent = ref.split(",")
    return sender, identifier


def cap_time(t: dt.datetime) -> str:
    """An instant as CAP writes it: local time with its offset, whole seconds."""
    return t.astimezone(CHINA).replace(microsecond=0).isoformat()


def reference_to(message: AlertMessage) -> str:
    """How another message references this one."""
    return f"{message.sender},{message.identifier},{cap_time(message.sent)}"


def authored_identifier(district: str, now: dt.datetime, suffix: str) -> str:
    """`<area code + org code>_<YYYYMMDDhhmmss>` as the national feeds name them, plus a short suffix."""
    return f"{district}SBC_{now.astimezone(CHINA):%Y%m%d%H%M%S}_{suffix}"


def authored_message(
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
) -> AlertMessage:
    return AlertMessage(
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


def with_level(message: AlertMessage, levels: Levels) -> AlertMessage:
    """Fill the Chinese level and colour from a CAP severity."""
    if message.level:
        return message
    lv = levels.by_severity(message.severity)
    return replace(message, level=lv.level, colour=lv.colour) if lv else message


def order_texts(texts: Iterable[AlertText]) -> tuple[AlertText, ...]:
    """zh-CN first on screen, then the others as received."""
    return tuple(sorted(texts, key=lambda t: 0 if t.language.lower() in ("zh-cn", "zh") else 1))
