"""The rules: CAP parsing and schema validation, the national feed's variants,
the rules the schema cannot check, targeting, the two-person rule, EBM and outbound CAP."""

from __future__ import annotations

import datetime as dt
import pathlib
import xml.etree.ElementTree as ET

import pytest

from alerts import cap, domain, store
from alerts.domain import Role
from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied

SAMPLES = pathlib.Path(__file__).parent / "samples"
LEVELS = store.load_levels()
AREAS = store.load_areas()


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def field_of(exc) -> set[str]:
    return set(exc.value.field_errors)


def test_a_valid_cap_alert_is_normalized_with_zh_cn_first():
    a = cap.read(sample("cap_flood.xml"), LEVELS)
    assert a.identifier == "33041141600000_20260701120000" and a.msg_type == "Alert" and a.status == "Actual"
    assert a.severity == "Severe" and a.level == 2 and a.colour == "orange", "CAP Severe is level Ⅱ orange"
    assert [t.language for t in a.texts] == ["zh-CN", "en-US"]
    assert a.texts[0].headline == "王江泾镇 洪水橙色预警"
    assert a.sent == dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)
    domain.check_rules(a)
    assert domain.resolve_targets(a, AREAS) == ("330411101",)


@pytest.mark.parametrize(
    "raw,level,severity",
    [
        ("Yellow", 3, "Moderate"),
        ("黄色", 3, "Moderate"),
        ("Ⅲ", 3, "Moderate"),
        ("Red", 1, "Extreme"),
        ("橙色预警", 2, "Severe"),
        ("Ⅳ级", 4, "Minor"),
        ("blue", 4, "Minor"),
    ],
)
def test_the_national_feed_variant_is_normalized(raw, level, severity):
    xml = sample("national_rainstorm.xml").replace("<severity>Yellow</severity>", f"<severity>{raw}</severity>")
    a = cap.read(xml, LEVELS)
    assert (a.level, a.severity) == (level, severity)
    assert a.sender == "33041141600000", "senderCode is the sender"
    assert a.sent == dt.datetime(2026, 7, 1, 13, 0, tzinfo=domain.CHINA)
    assert a.expires == dt.datetime(2099, 7, 1, 20, 0, tzinfo=domain.CHINA), "local times are +08:00"
    assert a.event_type == "11B03" and a.texts[0].instruction == "注意防范，避免外出。"
    domain.check_rules(a)
    assert domain.resolve_targets(a, AREAS) == ("330411105",)


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda x: x.replace("<status>Actual</status>", "<status>Real</status>"), "xml"),
        (lambda x: x.replace("<scope>Public</scope>", ""), "xml"),
        (lambda x: x.replace("2026-07-01T12:00:00+08:00", "2026-07-01T04:00:00Z"), "xml"),
        (lambda x: x.replace("<urgency>Immediate</urgency>", "<urgency>Now</urgency>", 1), "xml"),
        (lambda x: x.replace("</alert>", "<extra/></alert>"), "xml"),
        (lambda x: x.replace("</alert>", ""), "xml"),
        (lambda x: x.replace('xmlns="urn:oasis:names:tc:emergency:cap:1.2"', 'xmlns="urn:example"'), "xml"),
    ],
)
def test_schema_invalid_and_malformed_cap_is_refused(mutate, field):
    with pytest.raises(InvalidArgument) as e:
        cap.read(mutate(sample("cap_flood.xml")), LEVELS)
    assert field in field_of(e)


@pytest.mark.parametrize(
    "doc",
    [
        '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>',
        '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><alert>&b;</alert>',
        '<?xml version="1.0"?><!DOCTYPE alert SYSTEM "http://127.0.0.1:1/cap.dtd"><alert/>',
    ],
)
def test_doctype_entities_and_external_references_are_refused(doc):
    with pytest.raises(InvalidArgument) as e:
        cap.read(doc, LEVELS)
    assert "xml" in field_of(e)


def test_oversized_cap_is_refused_before_parsing():
    big = sample("cap_flood.xml").replace("运河水位上涨。", "水" * (cap.MAX_CAP_BYTES // 3 + 1))
    with pytest.raises(InvalidArgument) as e:
        cap.read(big, LEVELS)
    assert e.value.field_errors == {"xml": "too large"}


def rules_error(**changes) -> set[str]:
    import dataclasses

    a = dataclasses.replace(cap.read(sample("cap_flood.xml"), LEVELS), **changes)
    with pytest.raises(InvalidArgument) as e:
        domain.check_rules(a)
    return field_of(e)


def test_the_rules_the_schema_cannot_check():
    assert "references" in rules_error(msg_type="Update")
    assert "references" in rules_error(msg_type="Cancel", references=("only-two,parts",))
    assert "identifier" in rules_error(identifier="has space")
    assert "sender" in rules_error(sender="a,b")
    sent = dt.datetime(2026, 7, 1, 12, tzinfo=domain.CHINA)
    assert "expires" in rules_error(expires=sent - dt.timedelta(hours=1))
    assert "status" in rules_error(status="Draft")
    assert "msgType" in rules_error(msg_type="Ack")
    open_poly = ((30.7, 120.6), (30.8, 120.6), (30.8, 120.7), (30.71, 120.6))
    assert "area.polygon" in rules_error(areas=(domain.CapArea("x", polygons=(open_poly,)),))
    short = ((30.7, 120.6), (30.8, 120.6), (30.7, 120.6))
    assert "area.polygon" in rules_error(areas=(domain.CapArea("x", polygons=(short,)),))


def test_polygons_and_circles_target_the_areas_they_intersect():
    # Wangjiangjing's box (grid cell 5) is lat 30.75..30.85, lon 120.67..120.79; its first village the southern half.
    south_wjj = ((30.76, 120.70), (30.76, 120.72), (30.78, 120.72), (30.78, 120.70), (30.76, 120.70))
    a = domain.Alert(
        "id", "s", dt.datetime.now(domain.CHINA), "Actual", "Alert", areas=(domain.CapArea("x", polygons=(south_wjj,)),)
    )
    assert domain.resolve_targets(a, AREAS) == ("330411101001",)
    far = ((10.0, 10.0), (10.0, 10.1), (10.1, 10.1), (10.0, 10.0))
    with pytest.raises(InvalidArgument):
        domain.resolve_targets(
            domain.Alert("id", "s", a.sent, "Actual", "Alert", areas=(domain.CapArea("x", polygons=(far,)),)), AREAS
        )
    # A 3 km circle at the corner of four cells touches all four towns' villages there.
    circle = domain.Alert(
        "id", "s", a.sent, "Actual", "Alert", areas=(domain.CapArea("x", circles=((30.75, 120.67, 3.0),)),)
    )
    towns = {c[:9] for c in domain.resolve_targets(circle, AREAS)}
    assert towns == {"330411001", "330411002", "330411004", "330411101"}


def test_an_unknown_area_code_of_the_district_is_refused():
    xml = sample("national_rainstorm.xml").replace("<value>330411105</value>", "<value>330411999</value>")
    with pytest.raises(InvalidArgument) as e:
        domain.resolve_targets(cap.read(xml, LEVELS), AREAS)
    assert "area.geocode" in field_of(e)


def test_terminals_are_targeted_by_area_prefix():
    assert domain.is_targeted(["330411101"], "330411101001")
    assert domain.is_targeted(["330411"], "330411105002")
    assert not domain.is_targeted(["330411101"], "330411105001")
    assert not domain.is_targeted([""], "330411105001")


def staff(subject, *roles):
    return Caller(subject=subject, kind=CallerKind.STAFF, roles=frozenset(roles))


def test_the_two_person_rule():
    issuer = staff("staff:li", Role.ALERT_ISSUER, Role.ALERT_APPROVER)
    with pytest.raises(PermissionDenied):
        domain.check_approval(issuer, domain.State.PENDING, "staff:li", "staff:li")
    with pytest.raises(PermissionDenied):
        domain.check_approval(staff("staff:wang", Role.ALERT_ISSUER), domain.State.PENDING, "staff:li", "staff:li")
    with pytest.raises(FailedPrecondition):
        domain.check_approval(staff("staff:wang", Role.ALERT_APPROVER), domain.State.DRAFT, "staff:li", "")
    domain.check_approval(staff("staff:wang", Role.ALERT_APPROVER), domain.State.PENDING, "staff:li", "staff:li")
    dept = Caller(subject="department:dept-x", kind=CallerKind.DEPARTMENT, roles=frozenset({Role.ALERT_APPROVER}))
    with pytest.raises(PermissionDenied):
        domain.check_approval(dept, domain.State.PENDING, "staff:li", "staff:li")


def test_trusted_senders_skip_approval():
    assert domain.initial_state_for_department("dept-meteorology", store.load_trusted()) == domain.State.ISSUED
    assert domain.initial_state_for_department("dept-unknown", store.load_trusted()) == domain.State.PENDING


def test_the_ebm_for_loudspeakers_marks_drills_and_cancellations():
    a = cap.read(sample("national_rainstorm.xml"), LEVELS)
    f = domain.EbdFields(
        ebd_id="E1",
        source="SBC",
        destination="LS-1",
        alert_id="A1",
        related_alert_ids=(),
        kind="alert",
        drill=False,
        sender_name=a.sender_name,
        sender_code=a.sender,
        sent=a.sent,
        event_type=a.event_type,
        severity=a.severity,
        level=a.level,
        expires=a.expires,
        texts=a.texts,
        area_codes=("330411105",),
    )
    ebm = domain.render_ebd(f, dt.datetime.now(dt.UTC))["EBD"]["EBM"]
    assert ebm["MsgBasicInfo"]["MsgType"] == 1 and ebm["MsgBasicInfo"]["Severity"] == 3
    assert ebm["MsgBasicInfo"]["SendTime"] == "2026-07-01 13:00:00"
    assert ebm["MsgContent"]["AreaCode"] == "330411105"
    import dataclasses

    drill = domain.render_ebd(dataclasses.replace(f, drill=True), dt.datetime.now())["EBD"]["EBM"]
    assert drill["MsgBasicInfo"]["MsgType"] == 5 and drill["MsgContent"]["MsgTitle"].startswith("【演练】")
    cancel = domain.render_ebd(dataclasses.replace(f, kind="cancel"), dt.datetime.now())["EBD"]["EBM"]
    assert cancel["MsgBasicInfo"]["MsgType"] == 2


def test_outbound_cap_of_a_national_feed_alert_is_valid_cap_1_2():
    import dataclasses

    a = cap.read(sample("national_rainstorm.xml"), LEVELS)
    a = dataclasses.replace(a, area_codes=domain.resolve_targets(a, AREAS))
    xml = cap.render(a, {c: x.name for c, x in AREAS.by_code.items()})
    cap.schema().validate(xml)  # raises if invalid
    again = cap.read(xml, LEVELS)
    assert (again.identifier, again.severity, again.level) == (a.identifier, "Moderate", 3)
    assert again.sent == a.sent and again.texts[0].headline == a.texts[0].headline
    feed = ET.fromstring(cap.atom_feed([("id-1", a)], "http://x", dt.datetime.now(dt.UTC)))
    links = [l.get("href") for l in feed.iter(f"{{{cap.ATOM_NS}}}link")]
    assert "http://x/v1/alerts/id-1/cap.xml" in links
