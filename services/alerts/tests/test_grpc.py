"""The alerts service over real gRPC (the shared runtime's server, interceptor
and token checks) on a migrated database, SQLite and PostgreSQL: CAP intake,
the two-person rule, the audit trail, updates and cancellations, targeting,
receipts and the live status, outbound CAP; and every bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import grpc
import pytest
from sqlalchemy import select, text

from alerts import cap, store
from alerts.domain import Role
from alerts.tests.support import FLOOD, RAINSTORM, TRUSTED, UNTRUSTED, WATER_FLOOD, WATER_RAINSTORM, device
from runtime.grpc_server import field_errors_of
from runtime.testing import department, rpc_error, staff
from sbc.alerts.v1 import alerts_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


# --- intake ---


async def test_a_trusted_department_alert_is_issued_at_once_and_announced(svc):
    tv = device("330411101001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    elsewhere = device("330411105001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(elsewhere))
    a = await svc.submit(TRUSTED, FLOOD)
    assert a.state == "issued" and a.severity == "Severe" and a.level == 2 and a.origin == "cap"
    assert list(a.area_codes) == ["330411101"] and a.texts[0].language == "zh-CN"
    [(topic, b)] = svc.broadcasts()
    assert topic == "sbc.alerts.broadcast.v1" and b.alert_id == a.id and b.kind == "alert" and not b.drill
    trail = await svc.stub.GetAuditTrail(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [e.action for e in trail.entries] == ["received", "approval skipped", "issued"]
    status = await svc.stub.GetAlertStatus(
        pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(staff(Role.ALERT_APPROVER))
    )
    assert [(r.channel, r.area_code, r.targeted, r.delivered) for r in status.rows] == [
        ("set_top_box", "330411101001", 1, 0)
    ]
    # The targeted TV's receipts climb; the other one was never sent it.
    for kind in ("delivered", "acknowledged", "displayed"):
        await svc.stub.RecordReceipt(pb.RecordReceiptRequest(alert_id=a.id, kind=kind), metadata=svc.md(tv))
    err = await rpc_error(
        svc.stub.RecordReceipt(pb.RecordReceiptRequest(alert_id=a.id, kind="delivered"), metadata=svc.md(elsewhere))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    r = status.rows[0]
    assert (r.targeted, r.delivered, r.displayed, r.acknowledged) == (1, 1, 1, 1)


async def test_the_public_delivery_figures_count_receipts_against_targeted_terminals_without_a_sign_in(svc):
    """The museum's exhibition area reads them without a token (counts only)."""
    before = await svc.stub.GetDeliveryFigures(pb.GetDeliveryFiguresRequest(), timeout=30)
    tvs = [device("330411101001"), device("330411101002")]
    for tv in tvs:
        await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    a = await svc.submit(TRUSTED, FLOOD)
    await svc.stub.RecordReceipt(pb.RecordReceiptRequest(alert_id=a.id, kind="displayed"), metadata=svc.md(tvs[0]))
    f = await svc.stub.GetDeliveryFigures(pb.GetDeliveryFiguresRequest(), timeout=30)
    assert (f.alerts - before.alerts, f.targeted - before.targeted, f.delivered - before.delivered) == (1, 2, 1)
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert sum(r.delivered for r in status.rows) == 1 and sum(r.targeted for r in status.rows) == 2
    # Only the figures are public: the alert's own status still needs a sign-in.
    err = await rpc_error(svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_receipts_from_many_terminals_are_recorded_in_one_call_each_judged_on_its_own(svc):
    tvs = [device("330411101001"), device("330411101002")]
    for tv in tvs:
        await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    elsewhere = device("330411105001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(elsewhere))
    a = await svc.submit(TRUSTED, FLOOD)
    first, second = (svc.token(tv) for tv in tvs)
    forged = first[:-6] + ("AAAAAA" if not first.endswith("AAAAAA") else "BBBBBB")
    batch = [
        pb.TerminalReceipt(token=first, alert_id=a.id, kind="acknowledged"),
        pb.TerminalReceipt(token=first, alert_id=a.id, kind="delivered"),  # late and lower: changes nothing
        pb.TerminalReceipt(token=second, alert_id=a.id, kind="delivered"),
        pb.TerminalReceipt(token=svc.token(elsewhere), alert_id=a.id, kind="delivered"),
        pb.TerminalReceipt(token=second, alert_id=str(uuid.uuid4()), kind="delivered"),
        pb.TerminalReceipt(token=second, alert_id=a.id, kind="seen it"),
        pb.TerminalReceipt(token=forged, alert_id=a.id, kind="displayed"),
        pb.TerminalReceipt(token="", alert_id=a.id, kind="displayed"),
        pb.TerminalReceipt(token=svc.token(staff(Role.ALERT_ISSUER)), alert_id=a.id, kind="acknowledged"),
    ]
    r = await svc.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=batch), timeout=30)  # no token of its own
    codes = [
        grpc.StatusCode.OK,
        grpc.StatusCode.OK,
        grpc.StatusCode.OK,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.PERMISSION_DENIED,
    ]
    assert [x.code for x in r.results] == [c.value[0] for c in codes], [(x.code, x.message) for x in r.results]
    assert "not sent" in r.results[3].message and "kind" in r.results[5].message
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert {(x.area_code, x.targeted, x.delivered, x.displayed, x.acknowledged) for x in status.rows} == {
        ("330411101001", 1, 1, 1, 1),
        ("330411101002", 1, 1, 0, 0),
    }


async def test_boxes_reconnecting_together_are_registered_in_one_call_and_told_the_active_alerts(svc):
    a = await svc.submit(TRUSTED, FLOOD)  # Wangjiangjing
    before = device("330411101001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(before))
    new, honghe = device("330411101002"), device("330411105001")
    new_token = svc.token(new)
    tokens = [
        svc.token(before),
        new_token,
        new_token,
        svc.token(honghe),
        "not a token",
        svc.token(staff(Role.ALERT_ISSUER)),
    ]
    r = await svc.stub.ConnectTerminals(pb.ConnectTerminalsRequest(tokens=tokens), timeout=30)  # no token of its own
    assert [x.code for x in r.connections] == [
        c.value[0]
        for c in (
            grpc.StatusCode.OK,
            grpc.StatusCode.OK,
            grpc.StatusCode.OK,
            grpc.StatusCode.OK,
            grpc.StatusCode.UNAUTHENTICATED,
            grpc.StatusCode.PERMISSION_DENIED,
        )
    ], [(x.code, x.message) for x in r.connections]
    assert [[b.alert_id for b in x.alerts] for x in r.connections[:4]] == [[a.id], [a.id], [a.id], []]
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert sorted((x.area_code, x.targeted) for x in status.rows) == [("330411101001", 1), ("330411101002", 1)]
    err = await rpc_error(svc.stub.ConnectTerminals(pb.ConnectTerminalsRequest(tokens=[new_token] * 1001), timeout=30))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "1000" in err.details()


async def test_a_receipt_batch_over_the_limit_is_refused_whole(svc):
    tv = device("330411101001")
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    a = await svc.submit(TRUSTED, FLOOD)
    one = pb.TerminalReceipt(token=svc.token(tv), alert_id=a.id, kind="delivered")
    err = await rpc_error(svc.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=[one] * 1001), timeout=30))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "1000" in err.details()
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [(x.targeted, x.delivered) for x in status.rows] == [(1, 0)]
    assert (
        len((await svc.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=[one] * 1000), timeout=30)).results)
        == 1000
    )


async def test_an_untrusted_departments_alert_waits_for_an_approver(svc):
    a = await svc.submit(UNTRUSTED, WATER_RAINSTORM)
    assert a.state == "pending_approval" and a.level == 3 and a.severity == "Moderate"
    assert svc.broadcasts() == []
    approver = staff(Role.ALERT_APPROVER)
    ok = await svc.stub.ApproveAlert(pb.AlertAction(alert_id=a.id), metadata=svc.md(approver))
    assert ok.state == "issued" and ok.approved_by == approver.subject
    assert [b.alert_id for _, b in svc.broadcasts()] == [a.id]
    active = await svc.stub.ListActiveAlerts(
        pb.ListActiveAlertsRequest(area_code="330411105002"), metadata=svc.md(approver)
    )
    assert [x.alert_id for x in active.alerts] == [a.id]
    assert (
        await svc.stub.ListActiveAlerts(pb.ListActiveAlertsRequest(area_code="330411101001"), metadata=svc.md(approver))
    ).alerts == []


async def test_a_terminal_connecting_while_an_alert_is_active_gets_it(svc):
    a = await svc.submit(TRUSTED, FLOOD)
    late = device("330411101002")
    got = await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(late))
    assert [x.alert_id for x in got.alerts] == [a.id]
    assert (
        await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(device("330411105001")))
    ).alerts == []
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [(r.area_code, r.targeted) for r in status.rows] == [("330411101002", 1)]


async def test_update_supersedes_and_cancel_withdraws(svc):
    first = await svc.submit(TRUSTED, FLOOD)
    ref = f"xiuzhou.weather@330411,{first.identifier},2026-07-01T12:00:00+08:00"
    update = (
        FLOOD.replace("20260701120000", "20260701121500")
        .replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>")
        .replace("<scope>Public</scope>", f"<scope>Public</scope><references>{ref}</references>")
        .replace("<severity>Severe</severity>", "<severity>Extreme</severity>")
    )
    u = await svc.submit(TRUSTED, update)
    assert u.state == "issued" and u.level == 1
    assert (
        await svc.stub.GetAlert(pb.GetAlertRequest(alert_id=first.id), metadata=svc.md(TRUSTED))
    ).state == "superseded"
    ref2 = f"xiuzhou.weather@330411,{u.identifier},2026-07-01T12:00:00+08:00"
    cancel = (
        f'<alert xmlns="{cap.CAP_NS}"><identifier>33041141600000_20260701123000</identifier>'
        f"<sender>xiuzhou.weather@330411</sender><sent>2026-07-01T12:30:00+08:00</sent><status>Actual</status>"
        f"<msgType>Cancel</msgType><scope>Public</scope><references>{ref2}</references></alert>"
    )
    c = await svc.submit(TRUSTED, cancel)
    assert c.state == "issued" and list(c.area_codes) == ["330411101"], "a Cancel goes where the alert went"
    assert (await svc.stub.GetAlert(pb.GetAlertRequest(alert_id=u.id), metadata=svc.md(TRUSTED))).state == "cancelled"
    kinds = [(b.kind, list(b.supersedes)) for _, b in svc.broadcasts()]
    assert kinds == [("alert", []), ("update", [first.id]), ("cancel", [u.id])]
    active = await svc.stub.ListActiveAlerts(pb.ListActiveAlertsRequest(), metadata=svc.md(TRUSTED))
    assert list(active.alerts) == [], "nothing is left to show"


async def test_an_expired_alert_is_announced_and_no_longer_active(svc):
    a = await svc.submit(TRUSTED, FLOOD.replace("2099-07-01T18:00:00", "2026-07-01T18:00:00"))
    assert svc.expire_due() == 1
    assert (await svc.stub.GetAlert(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))).state == "expired"
    assert [b.kind for _, b in svc.broadcasts()] == ["alert", "expire"]
    assert svc.expire_due() == 0


# --- authoring and the two-person rule ---


async def draft(svc, issuer, **kw) -> pb.Alert:
    fields = dict(
        headline="台风红色预警",
        description="台风将于今晚登陆",
        instruction="请待在室内",
        level=1,
        event_type="台风",
        area_codes=["330411105"],
    )
    fields.update(kw)
    return await svc.stub.DraftAlert(pb.DraftAlertRequest(**fields), metadata=svc.md(issuer))


async def test_authored_alert_needs_a_second_person_and_every_step_is_audited(svc):
    issuer, approver = staff(Role.ALERT_ISSUER, Role.ALERT_APPROVER), staff(Role.ALERT_APPROVER)
    d = await draft(svc, issuer, status="Exercise")
    assert d.state == "draft" and d.drill and d.severity == "Extreme" and d.colour == "red"
    err = await rpc_error(svc.stub.ApproveAlert(pb.AlertAction(alert_id=d.id), metadata=svc.md(approver)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "a draft is not approved before it is submitted"
    await svc.stub.SubmitForApproval(pb.AlertAction(alert_id=d.id), metadata=svc.md(issuer))
    err = await rpc_error(svc.stub.ApproveAlert(pb.AlertAction(alert_id=d.id), metadata=svc.md(issuer)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "two-person" in err.details()
    assert svc.broadcasts() == []
    ok = await svc.stub.ApproveAlert(pb.AlertAction(alert_id=d.id, reason="核实无误"), metadata=svc.md(approver))
    assert ok.state == "issued"
    [(_, b)] = svc.broadcasts()
    assert b.drill and b.status == "Exercise"
    trail = await svc.stub.GetAuditTrail(pb.GetAlertRequest(alert_id=d.id), metadata=svc.md(approver))
    assert [(e.action, e.actor) for e in trail.entries] == [
        ("drafted", issuer.subject),
        ("submitted", issuer.subject),
        ("approved", approver.subject),
        ("issued", approver.subject),
    ]
    # The trail cannot be changed, not even by hand in the database.
    with pytest.raises(Exception, match="append-only"):
        with svc.db.transaction() as s:
            s.execute(text("UPDATE alert_audit SET actor = 'someone else'"))
    with pytest.raises(Exception, match="append-only"):
        with svc.db.transaction() as s:
            s.execute(text("DELETE FROM alert_audit"))
    assert (
        len((await svc.stub.GetAuditTrail(pb.GetAlertRequest(alert_id=d.id), metadata=svc.md(approver))).entries) == 4
    )


async def test_a_rejected_alert_is_never_broadcast(svc):
    issuer = staff(Role.ALERT_ISSUER)
    d = await draft(svc, issuer)
    await svc.stub.SubmitForApproval(pb.AlertAction(alert_id=d.id), metadata=svc.md(issuer))
    r = await svc.stub.RejectAlert(
        pb.AlertAction(alert_id=d.id, reason="区域有误"), metadata=svc.md(staff(Role.ALERT_APPROVER))
    )
    assert r.state == "rejected"
    err = await rpc_error(
        svc.stub.ApproveAlert(pb.AlertAction(alert_id=d.id), metadata=svc.md(staff(Role.ALERT_APPROVER)))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert svc.broadcasts() == []


async def test_outbound_cap_and_the_atom_feed_are_public_and_valid(svc):
    a = await svc.submit(TRUSTED, RAINSTORM)
    doc = await svc.stub.GetAlertCap(pb.GetAlertRequest(alert_id=a.id))  # no token: other systems read it
    assert doc.content_type == "application/cap+xml"
    cap.schema().validate(doc.xml)
    assert "<value>330411105</value>" in doc.xml and "Moderate" in doc.xml
    feed = await svc.stub.GetActiveFeed(pb.GetActiveFeedRequest(base_url="http://gw"))
    assert f"http://gw/v1/alerts/{a.id}/cap.xml" in feed.xml
    pending = await svc.submit(UNTRUSTED, WATER_FLOOD)
    err = await rpc_error(svc.stub.GetAlertCap(pb.GetAlertRequest(alert_id=pending.id)))
    assert err.code() == grpc.StatusCode.NOT_FOUND, "an unapproved alert is not published"


# --- bad input: a clear error, nothing changed ---


def assert_nothing_changed(svc):
    assert svc.count(store.alerts) == 0 and svc.count(store.audit) == 0
    assert svc.broadcasts() == []


async def test_bad_cap_is_refused_and_changes_nothing(svc):
    ref = "xiuzhou.weather@330411,never-sent,2026-07-01T12:00:00+08:00"
    cases = {
        "schema-invalid": (
            FLOOD.replace("<status>Actual</status>", "<status>Real</status>"),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "doctype/xxe": (
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>',
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "oversized": (
            FLOOD.replace("运河水位上涨。", "水" * (cap.DEFAULT_MAX_BYTES // 3 + 1)),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "empty": ("", grpc.StatusCode.INVALID_ARGUMENT),
        "not xml": ('{"alert": 1}', grpc.StatusCode.INVALID_ARGUMENT),
        "reference that is not sender,identifier,sent": (
            FLOOD.replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>").replace(
                "<scope>Public</scope>", f"<scope>Public</scope><references>{ref.split(',')[1]}</references>"
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "update without references": (
            FLOOD.replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>"),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "unknown area code": (
            RAINSTORM.replace("<value>330411105</value>", "<value>330411999</value>"),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "polygon not closed": (
            RAINSTORM.replace(
                "<areaDesc>洪合镇</areaDesc>",
                "<areaDesc>x</areaDesc><polygon>30.7,120.6 30.8,120.6 30.8,120.7 30.71,120.6</polygon>",
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "expires before sent": (
            FLOOD.replace("2099-07-01T18:00:00", "2026-07-01T11:00:00"),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        "identifier with a space": (
            FLOOD.replace("33041141600000_20260701120000", "330411 x"),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
    }
    for name, (xml, code) in cases.items():
        err = await rpc_error(svc.submit(TRUSTED, xml))
        assert err.code() == code, (name, err.code(), err.details())
        assert err.details(), name
        assert "root:" not in err.details(), "nothing of a file's content comes back"
    assert_nothing_changed(svc)


async def test_only_departments_submit_cap_and_unauthenticated_callers_are_refused(svc):
    for caller in (
        staff(Role.ALERT_ISSUER),
        device("330411101001"),
        department("x", roles=()),
    ):
        err = await rpc_error(svc.submit(caller, FLOOD))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    for md in ([], [("authorization", "Bearer not-a-token")]):
        err = await rpc_error(svc.stub.SubmitCap(pb.SubmitCapRequest(xml=FLOOD), metadata=md))
        assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    err = await rpc_error(draft(svc, department("dept-meteorology")))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert_nothing_changed(svc)


async def test_a_department_cannot_update_or_cancel_another_senders_alert(svc):
    first = await svc.submit(TRUSTED, FLOOD)
    ref = f"xiuzhou.weather@330411,{first.identifier},2026-07-01T12:00:00+08:00"
    cancel = (
        f'<alert xmlns="{cap.CAP_NS}"><identifier>hijack-1</identifier>'
        f"<sender>xiuzhou.water@330411</sender><sent>2026-07-01T12:30:00+08:00</sent><status>Actual</status>"
        f"<msgType>Cancel</msgType><scope>Public</scope><references>{ref}</references></alert>"
    )
    err = await rpc_error(svc.submit(UNTRUSTED, cancel))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "references" in field_errors_of(err)
    assert (await svc.stub.GetAlert(pb.GetAlertRequest(alert_id=first.id), metadata=svc.md(TRUSTED))).state == "issued"
    assert svc.count(store.alerts) == 1 and len(svc.broadcasts()) == 1


async def test_a_department_sends_cap_only_as_its_own_senders(svc):
    """The water bureau claiming the meteorological office's sender (and so its predictable
    identifiers, or its name on a pending alert) is refused; the office's warning still goes out."""
    for xml in (RAINSTORM, FLOOD, WATER_RAINSTORM.replace("xiuzhou.water@330411", "")):
        err = await rpc_error(svc.submit(UNTRUSTED, xml))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "sender" in field_errors_of(err)
    err = await rpc_error(svc.submit(department("dept-unlisted"), WATER_FLOOD))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "sender" in field_errors_of(err)
    assert svc.count(store.alerts) == 0 and svc.broadcasts() == []
    real = await svc.submit(TRUSTED, RAINSTORM)
    assert real.state == "issued" and real.sender == "33041141600000"
    own = await svc.submit(UNTRUSTED, WATER_FLOOD)
    assert own.state == "pending_approval" and own.sender == "xiuzhou.water@330411"
    err = await rpc_error(svc.submit(TRUSTED, WATER_RAINSTORM))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "nor the other way round"


async def test_a_duplicate_cap_message_is_already_exists(svc):
    await svc.submit(TRUSTED, FLOOD)
    err = await rpc_error(svc.submit(TRUSTED, FLOOD))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert svc.count(store.alerts) == 1 and len(svc.broadcasts()) == 1


async def test_invalid_drafts_name_their_fields_and_write_nothing(svc):
    issuer = staff(Role.ALERT_ISSUER)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    from google.protobuf.timestamp_pb2 import Timestamp

    ts = Timestamp()
    ts.FromDatetime(past)
    cases = [
        (dict(headline=""), "headline"),
        (dict(level=7), "level"),
        (dict(level=0), "level"),
        (dict(area_codes=["330411999"]), "area_codes"),
        (dict(area_codes=[]), "area_codes"),
        (dict(status="Draft"), "status"),
        (dict(msg_type="Update"), "references_alert_id"),
        (dict(msg_type="Update", references_alert_id=str(uuid.uuid4())), "references_alert_id"),
        (dict(headline="x" * 201), "headline"),
        (dict(description="a\x00b"), "description"),
        (dict(expires=ts), "expires"),
    ]
    for fields, field in cases:
        err = await rpc_error(draft(svc, issuer, **fields))
        assert err.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND), (fields, err.details())
        assert field in field_errors_of(err), (fields, field_errors_of(err))
    assert_nothing_changed(svc)


async def test_out_of_order_actions_are_refused_and_change_nothing(svc):
    issuer, other_issuer = staff(Role.ALERT_ISSUER), staff(Role.ALERT_ISSUER)
    d = await draft(svc, issuer)
    for call, code in [
        (
            svc.stub.SubmitForApproval(pb.AlertAction(alert_id=d.id), metadata=svc.md(other_issuer)),
            grpc.StatusCode.PERMISSION_DENIED,
        ),
        (
            svc.stub.CancelAlert(pb.AlertAction(alert_id=d.id), metadata=svc.md(issuer)),
            grpc.StatusCode.FAILED_PRECONDITION,
        ),
        (
            svc.stub.RejectAlert(pb.AlertAction(alert_id=d.id), metadata=svc.md(staff(Role.ALERT_APPROVER))),
            grpc.StatusCode.FAILED_PRECONDITION,
        ),
        (
            svc.stub.ApproveAlert(pb.AlertAction(alert_id=""), metadata=svc.md(staff(Role.ALERT_APPROVER))),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
        (
            svc.stub.ApproveAlert(
                pb.AlertAction(alert_id=str(uuid.uuid4())), metadata=svc.md(staff(Role.ALERT_APPROVER))
            ),
            grpc.StatusCode.NOT_FOUND,
        ),
        (
            svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=d.id), metadata=svc.md(UNTRUSTED)),
            grpc.StatusCode.PERMISSION_DENIED,
        ),
        (
            svc.stub.RecordReceipt(
                pb.RecordReceiptRequest(alert_id=d.id, kind="seen it"), metadata=svc.md(device("330411105001"))
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        ),
    ]:
        assert (await rpc_error(call)).code() == code
    assert (await svc.stub.GetAlert(pb.GetAlertRequest(alert_id=d.id), metadata=svc.md(issuer))).state == "draft"
    assert svc.count(store.audit) == 1 and svc.broadcasts() == []


async def test_register_loudspeakers_and_iot_devices_with_their_area(svc):
    tech = staff(Role.TECHNICIAN)
    t = await svc.stub.RegisterTerminal(
        pb.RegisterTerminalRequest(
            channel="loudspeaker", terminal_id="LS-HH-1", area_code="330411105001", endpoint="http://127.0.0.1:9/ebd"
        ),
        metadata=svc.md(tech),
    )
    assert t.area_code == "330411105001"
    for fields, field in [
        (dict(channel="fax", terminal_id="x", area_code="330411105001"), "channel"),
        (dict(channel="iot", terminal_id="a/b", area_code="330411105001"), "terminal_id"),
        (dict(channel="loudspeaker", terminal_id="x", area_code="330411105001", endpoint="ftp://x"), "endpoint"),
        (dict(channel="iot", terminal_id="x", area_code="999"), "area_code"),
    ]:
        err = await rpc_error(svc.stub.RegisterTerminal(pb.RegisterTerminalRequest(**fields), metadata=svc.md(tech)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    err = await rpc_error(
        svc.stub.RegisterTerminal(
            pb.RegisterTerminalRequest(channel="iot", terminal_id="x", area_code="330411105001"),
            metadata=svc.md(device("330411105001")),
        )
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    a = await svc.submit(TRUSTED, RAINSTORM)
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [(r.channel, r.area_code, r.targeted) for r in status.rows] == [("loudspeaker", "330411105001", 1)]


# --- the set-top-box registry, from identity's DeviceRegistered events over Kafka ---


def device_registered(device_id: str, household_id: str, area_code: str):
    from runtime.events import Event
    from sbc.events.v1 import identity_events_pb2

    at = dt.datetime.now(dt.UTC)
    m = identity_events_pb2.DeviceRegistered(
        device_id=device_id, household_id=household_id, area_code=area_code, serial=f"STB-{device_id[:8]}"
    )
    m.registered_at.FromDatetime(at)
    return Event.new(m, type="sbc.identity.device.registered.v1", source="sbc/identity", subject=device_id)


async def test_registered_boxes_are_targeted_in_their_households_area_connected_or_not(svc, new_topic, kafka_bootstrap):
    import asyncio
    import threading

    from alerts import terminals
    from runtime.outbox import make_producer

    topic = new_topic()
    consumer = terminals.make_consumer(
        svc.db,
        kafka_bootstrap,
        topic=topic,
        group=f"alerts-terminals-{uuid.uuid4().hex[:8]}",
    )
    producer = make_producer(kafka_bootstrap)
    thread = threading.Thread(target=consumer.run_forever, daemon=True)

    def send(*evs):
        for e in evs:  # keyed by device id, as identity's relay does
            producer.send(topic, key=e.subject.encode(), value=e.payload, headers=e.headers())
        producer.flush()

    async def consumed(applied: int, duplicates: int):
        for _ in range(300):
            if (consumer.applied, consumer.duplicates) == (applied, duplicates):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"consumed {(consumer.applied, consumer.duplicates)}, want {(applied, duplicates)}")

    wjj, honghe, late = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    registered = [
        device_registered(wjj, "hh-1", "330411101001"),
        device_registered(honghe, "hh-2", "330411105001"),
        # The Honghe box was signed in again by a household of Wangjiangjing: it moves there.
        device_registered(honghe, "hh-3", "330411101002"),
    ]
    thread.start()
    try:
        send(*registered)
        send(*registered)  # replayed (a relay retry): applied once
        await consumed(3, 3)
        with svc.db.transaction() as s:
            boxes = {
                (t.terminal_id, t.area_code, t.household_id)
                for t in s.execute(select(store.terminals).where(store.terminals.c.channel == "set_top_box"))
            }
        assert boxes == {(wjj, "330411101001", "hh-1"), (honghe, "330411101002", "hh-3")}

        # Neither TV ever opened its stream, yet both are targeted (and nothing is delivered).
        a = await svc.submit(TRUSTED, FLOOD)
        status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
        assert [(r.channel, r.area_code, r.targeted, r.delivered) for r in status.rows] == [
            ("set_top_box", "330411101001", 1, 0),
            ("set_top_box", "330411101002", 1, 0),
        ]

        # A box registered while the alert is showing in its area is targeted from then on.
        send(
            device_registered(late, "hh-4", "330411101003"),
            device_registered(str(uuid.uuid4()), "hh-5", "330411105001"),
        )
        await consumed(5, 3)
        status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
        assert [(r.area_code, r.targeted, r.delivered) for r in status.rows] == [
            ("330411101001", 1, 0),
            ("330411101002", 1, 0),
            ("330411101003", 1, 0),
        ]
    finally:
        consumer.stop()
        await asyncio.to_thread(thread.join, 15)
        producer.close(timeout=5)
