"""The rules, without I/O: CAP parsing and schema validation, the national feed's variants,
the rules the schema cannot check, targeting, the alert's steps and the two-person rule, the
events and audit entries they record, deliveries and the receipt ladder, EBM and outbound CAP."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
import xml.etree.ElementTree as ET

import pytest

from alerts import cap, domain, store
from alerts.domain import Role
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from runtime.testing import department, household, staff

SAMPLES = pathlib.Path(__file__).parent / "samples"
LEVELS = store.load_levels()
AREAS = store.load_areas()
ALLOWED = domain.EndpointAllowList.from_data(
    {"networks": ["10.33.0.0/16"], "hosts": ["ls.xiuzhou"], "ports": [80, 443]}
)


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
    big = sample("cap_flood.xml").replace("运河水位上涨。", "水" * (cap.DEFAULT_MAX_BYTES // 3 + 1))
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
    a = domain.AlertMessage(
        "id", "s", dt.datetime.now(domain.CHINA), "Actual", "Alert", areas=(domain.CapArea("x", polygons=(south_wjj,)),)
    )
    assert domain.resolve_targets(a, AREAS) == ("330411101001",)
    far = ((10.0, 10.0), (10.0, 10.1), (10.1, 10.1), (10.0, 10.0))
    with pytest.raises(InvalidArgument):
        domain.resolve_targets(
            domain.AlertMessage("id", "s", a.sent, "Actual", "Alert", areas=(domain.CapArea("x", polygons=(far,)),)),
            AREAS,
        )
    # A 3 km circle at the corner of four cells touches all four towns' villages there.
    circle = domain.AlertMessage(
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


NOW = dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=5)


def drafted(issuer, **fields) -> domain.Alert:
    draft = domain.Draft(**{"headline": "台风红色预警", "level": 1, "area_codes": ("330411105",), **fields})
    return domain.Alert.draft(issuer, draft, None, AREAS, LEVELS, NOW)


def steps(alert: domain.Alert) -> list[tuple[str, str]]:
    """The audit trail's (action, actor) of the events recorded since the last look."""
    return [(e.action, e.actor) for e in alert.pull_events() if isinstance(e, domain.AlertStep)]


def test_the_two_person_rule():
    li = staff(Role.ALERT_ISSUER, Role.ALERT_APPROVER)
    alert = drafted(li)
    alert.submit(li, "", NOW)
    with pytest.raises(PermissionDenied) as e:
        alert.approve(li, "", [], NOW)  # wrote and submitted it, though an approver too
    assert isinstance(e.value, domain.TwoPersonRule) and "two-person" in e.value.message
    with pytest.raises(PermissionDenied):
        alert.approve(staff(Role.ALERT_ISSUER), "", [], NOW)  # another person, but no approver
    with pytest.raises(FailedPrecondition):
        drafted(li).approve(staff(Role.ALERT_APPROVER), "", [], NOW)  # a draft, never submitted
    with pytest.raises(PermissionDenied):
        alert.approve(department("dept-x", roles=(Role.ALERT_APPROVER,)), "", [], NOW)
    assert alert.state == domain.State.PENDING and steps(alert) == [("drafted", li.subject), ("submitted", li.subject)]
    wang = staff(Role.ALERT_APPROVER)
    alert.approve(wang, "核实无误", [], LATER)
    assert alert.state == domain.State.ISSUED and alert.approved_by == wang.subject
    assert steps(alert) == [("approved", wang.subject), ("issued", wang.subject)]


def test_only_the_issuer_who_drafted_an_alert_submits_it_and_only_once():
    li = staff(Role.ALERT_ISSUER)
    alert = drafted(li)
    for caller in (staff(Role.ALERT_ISSUER), staff(Role.ALERT_APPROVER), department()):
        with pytest.raises(PermissionDenied):
            alert.submit(caller, "", NOW)
    alert.submit(li, "please", NOW)
    with pytest.raises(FailedPrecondition):
        alert.submit(li, "again", NOW)
    with pytest.raises(PermissionDenied):
        drafted(department())


def test_an_approved_alert_is_issued_and_announced_and_a_rejected_one_never():
    li, wang = staff(Role.ALERT_ISSUER), staff(Role.ALERT_APPROVER)
    alert = drafted(li, status="Exercise")
    alert.submit(li, "", NOW)
    alert.pull_events()
    alert.approve(wang, "x" * 600, [], LATER)
    approved, issued = alert.pull_events()
    assert approved == domain.AlertApproved(alert.id, wang.subject, "alert_approver", "x" * 500, LATER)
    assert isinstance(issued, domain.AlertIssued) and issued.entry().action == "issued" and issued.detail == "alert"
    b = issued.broadcast
    assert (b.alert_id, b.kind, b.area_codes, b.attempt, b.only_terminals) == (alert.id, "alert", ("330411105",), 1, ())
    assert b.message.drill and b.message.level == 1 and b.counts_receipts
    rejected = drafted(li)
    rejected.submit(li, "", NOW)
    rejected.pull_events()
    rejected.reject(wang, "区域有误", LATER)
    assert rejected.state == domain.State.REJECTED and steps(rejected) == [("rejected", wang.subject)]
    with pytest.raises(FailedPrecondition):
        rejected.approve(wang, "", [], LATER)


def test_trusted_senders_skip_approval():
    message = cap.read(sample("cap_flood.xml"), LEVELS)
    trusted = store.load_trusted()
    dept = department("dept-meteorology")
    issued = domain.Alert.receive(message, dept, [], AREAS, trusted, NOW)
    assert issued.state == domain.State.ISSUED and issued.area_codes == ("330411101",)
    assert steps(issued) == [("received", dept.subject), ("approval skipped", dept.subject), ("issued", dept.subject)]
    waiting = domain.Alert.receive(message, department("dept-unknown"), [], AREAS, trusted, NOW)
    assert waiting.state == domain.State.PENDING
    assert [e.action for e in waiting.pull_events()] == ["received"]
    with pytest.raises(PermissionDenied):
        domain.Alert.receive(message, staff(Role.ALERT_ISSUER), [], AREAS, trusted, NOW)


def test_an_update_supersedes_and_a_cancel_message_cancels_going_where_the_alert_went():
    dept = department("dept-meteorology")
    first = domain.Alert.receive(cap.read(sample("cap_flood.xml"), LEVELS), dept, [], AREAS, {"dept-meteorology"}, NOW)
    first.pull_events()
    update_msg = dataclasses.replace(first.message, identifier="u1", msg_type="Update", references=("a,b,c",))
    update = domain.Alert.receive(update_msg, dept, [first], AREAS, {"dept-meteorology"}, LATER)
    assert first.state == domain.State.SUPERSEDED and steps(first) == [("superseded", dept.subject)]
    assert update.replaces == (first.id,) and update.kind == "update"
    assert [e.broadcast.supersedes for e in update.pull_events() if isinstance(e, domain.AlertIssued)] == [(first.id,)]
    cancel_msg = domain.AlertMessage("c1", "s", LATER, "Actual", "Cancel", references=("a,u1,c",))
    cancelling = domain.Alert.receive(cancel_msg, dept, [update], AREAS, {"dept-meteorology"}, LATER)
    assert update.state == domain.State.CANCELLED and cancelling.area_codes == ("330411101",)
    assert [e.action for e in update.pull_events()] == ["cancelled"], "withdrawn by the Cancel's own broadcast"
    assert cancelling.is_active(LATER) and not cancelling.is_showing(LATER)
    with pytest.raises(PermissionDenied):
        first.check_replaceable_by(department("dept-other"))


def test_an_issued_alert_is_cancelled_by_staff_or_its_department_and_expires_once():
    dept = department("dept-meteorology")
    msg = dataclasses.replace(cap.read(sample("cap_flood.xml"), LEVELS), expires=LATER)
    alert = domain.Alert.receive(msg, dept, [], AREAS, {"dept-meteorology"}, NOW)
    alert.pull_events()
    with pytest.raises(PermissionDenied):
        alert.cancel(department("dept-other"), "", NOW)
    with pytest.raises(PermissionDenied):
        alert.cancel(household(), "", NOW)
    assert alert.is_showing(NOW) and alert.targets("330411101002") and not alert.targets("330411105001")
    assert not alert.is_due_to_expire(NOW) and alert.is_due_to_expire(LATER) and not alert.is_active(LATER)
    alert.expire(LATER)
    [expired] = alert.pull_events()
    assert (expired.entry().action, expired.actor, expired.broadcast.kind) == ("expired", "system", "expire")
    assert not expired.broadcast.counts_receipts, "withdrawing is sent, not counted"
    with pytest.raises(FailedPrecondition):
        alert.expire(LATER)
    with pytest.raises(FailedPrecondition):
        alert.cancel(dept, "", LATER)
    other = domain.Alert.receive(msg, dept, [], AREAS, {"dept-meteorology"}, NOW)
    other.pull_events()
    other.cancel(staff(Role.ALERT_ISSUER), "水位回落", NOW)
    [cancelled] = other.pull_events()
    assert other.state == "cancelled" and cancelled.broadcast.kind == "cancel" and cancelled.detail == "水位回落"


def test_a_draft_names_its_bad_fields_and_an_update_needs_an_issued_alert():
    li = staff(Role.ALERT_ISSUER)
    for fields, field in [
        (dict(headline=""), "headline"),
        (dict(level=7), "level"),
        (dict(area_codes=("330411999",)), "area_codes"),
        (dict(area_codes=()), "area_codes"),
        (dict(status="Draft"), "status"),
        (dict(msg_type="Update"), "references_alert_id"),
        (dict(description="a\x00b"), "description"),
        (dict(expires=NOW - dt.timedelta(seconds=1)), "expires"),
    ]:
        with pytest.raises(InvalidArgument) as e:
            drafted(li, **fields)
        assert field in field_of(e), fields
    with pytest.raises(NotFound):
        drafted(li, msg_type="Update", references_alert_id="x")
    rejected = drafted(li)
    draft = domain.Draft(headline="取消", level=1, msg_type="Cancel", references_alert_id=rejected.id)
    with pytest.raises(NotFound):
        domain.Alert.draft(li, draft, rejected, AREAS, LEVELS, NOW)


def test_receipts_climb_the_ladder_and_come_only_from_households_terminals():
    box = domain.Terminal.set_top_box("tv-1", "330411101001", "hh-1", NOW)
    d = domain.Delivery.sent("a-1", box, NOW)
    for kind, state in [("delivered", "delivered"), ("acknowledged", "acknowledged"), ("displayed", "acknowledged")]:
        d.record_receipt(kind, LATER)
        assert d.state == state
    tv = household(area_code="330411101001")
    assert domain.Receipt.from_set_top_box(tv, "a-1", "displayed") == domain.Receipt("a-1", tv.device_id, "displayed")
    with pytest.raises(InvalidArgument):
        domain.Receipt.from_set_top_box(tv, "a-1", "seen it")
    with pytest.raises(PermissionDenied):
        domain.Receipt.from_set_top_box(staff(Role.ALERT_ISSUER), "a-1", "displayed")
    counts = [("set_top_box", "330411101001", "sent", 3), ("set_top_box", "330411101001", "displayed", 2)]
    counts += [("set_top_box", "330411101001", "acknowledged", 1), ("iot", "330411105001", "delivered", 4)]
    assert domain.delivery_status(counts) == [
        domain.AreaStatus("iot", "330411105001", 4, 4, 0, 0),
        domain.AreaStatus("set_top_box", "330411101001", 6, 3, 3, 1),
    ]


def test_terminals_without_a_receipt_get_the_alert_again_by_name():
    dept = department("dept-meteorology")
    alert = domain.Alert.receive(cap.read(sample("cap_flood.xml"), LEVELS), dept, [], AREAS, {"dept-meteorology"}, NOW)
    alert.pull_events()
    boxes = [domain.Terminal.set_top_box(f"tv-{i}", "330411101001", "hh", NOW) for i in range(2)]
    due = [domain.Delivery.sent(alert.id, b, NOW) for b in boxes]
    due[1].attempts = 2
    alert.send_again(due, LATER)
    [again] = alert.pull_events()
    assert isinstance(again, domain.AlertSentAgain) and again.broadcast.attempt == 3
    assert again.broadcast.only_terminals == ("set_top_box:tv-0", "set_top_box:tv-1")
    assert [(d.attempts, d.last_sent_at) for d in due] == [(2, LATER), (3, LATER)]
    assert domain.addressed(boxes, ["set_top_box:tv-1"]) == [boxes[1]] and domain.addressed(boxes, []) == boxes
    alert.cancel(dept, "", LATER)
    with pytest.raises(FailedPrecondition):
        alert.send_again(due, LATER)


def test_loudspeakers_and_iot_devices_are_registered_by_alert_staff_or_technicians():
    tech = staff(Role.TECHNICIAN)
    t = domain.Terminal.register(
        tech, "loudspeaker", "LS-1", "330411105001", "http://ls.xiuzhou/ebd", AREAS, ALLOWED, NOW
    )
    assert (t.channel, t.terminal_id, t.area_code, t.endpoint, t.registered_by) == (
        "loudspeaker",
        "LS-1",
        "330411105001",
        "http://ls.xiuzhou/ebd",
        tech.subject,
    )
    for caller in (household(), department(), staff(), staff(Role.TECHNICIAN, area_code="330411101")):
        with pytest.raises(PermissionDenied):
            domain.Terminal.register(caller, "iot", "x", "330411105001", "", AREAS, ALLOWED, NOW)
    for args, field in [
        (("fax", "x", "330411105001", ""), "channel"),
        (("iot", "a/b", "330411105001", ""), "terminal_id"),
        (("loudspeaker", "x", "330411105001", "ftp://x"), "endpoint"),
        (("iot", "x", "999", ""), "area_code"),
    ]:
        with pytest.raises(InvalidArgument) as e:
            domain.Terminal.register(tech, *args, AREAS, ALLOWED, NOW)
        assert field in field_of(e)


def test_the_allow_list_takes_networks_hosts_and_ports_and_checks_what_a_host_resolves_to():
    import ipaddress

    local = domain.EndpointAllowList.from_data(
        {"networks": ["10.33.0.0/16"], "hosts": [], "ports": [80]}, ["127.0.0.1/32", ""]
    )
    assert local.check("http://10.33.0.9/ebd").port == 80
    assert local.check("http://127.0.0.1:18080/ebd").port == 18080, "a local network, any port"
    assert ALLOWED.check("https://LS.Xiuzhou/ebd").host == "ls.xiuzhou"
    assert ALLOWED.allows_address(ipaddress.ip_address("10.33.4.5"), 443)
    assert not ALLOWED.allows_address(ipaddress.ip_address("10.33.4.5"), 8080)
    assert not ALLOWED.allows_address(ipaddress.ip_address("127.0.0.1"), 80), "no loopback outside a local run"
    for url in ("http://127.0.0.1/ebd", "http://10.33.0.9:8080/", "http://ls.xiuzhou:22/", "http://[fe80::1]/"):
        with pytest.raises(InvalidArgument):
            ALLOWED.check(url)


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
