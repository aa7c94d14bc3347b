"""In a batched call, a bad item fails alone: a receipt whose alert id carries a NUL (which makes
PostgreSQL refuse the whole transaction) or other characters no id has gets INVALID_ARGUMENT, and
the other set-top boxes' receipts of the batch are recorded. Over the service's real gRPC API."""

from __future__ import annotations

import grpc
import pytest

from alerts.domain import delivery
from alerts.tests.support import FLOOD, TRUSTED, device
from sbc.alerts.v1 import alerts_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_a_receipt_with_a_nul_in_its_alert_id_fails_alone(svc):
    tvs = [device("330411101001") for _ in range(3)]
    for tv in tvs:
        await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    a = await svc.submit(TRUSTED, FLOOD)
    batch = [
        pb.TerminalReceipt(token=svc.token(tvs[0]), alert_id=a.id, kind="displayed"),
        pb.TerminalReceipt(token=svc.token(tvs[1]), alert_id=a.id[:10] + "\x00" + a.id[11:], kind="displayed"),
        pb.TerminalReceipt(token=svc.token(tvs[1]), alert_id="\u202e" + a.id[1:], kind="displayed"),
        pb.TerminalReceipt(token=svc.token(tvs[2]), alert_id=a.id, kind="acknowledged"),
    ]
    r = await svc.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=batch), timeout=30)
    ok, bad = grpc.StatusCode.OK.value[0], grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert [x.code for x in r.results] == [ok, bad, bad, ok], [(x.code, x.message) for x in r.results]
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [(x.targeted, x.displayed, x.acknowledged) for x in status.rows] == [(3, 2, 1)]


async def test_a_bad_token_fails_alone_in_both_batched_calls(svc):
    tvs = [device("330411101001") for _ in range(2)]
    for tv in tvs:
        await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    a = await svc.submit(TRUSTED, FLOOD)
    good = [svc.token(tv) for tv in tvs]
    bad_tokens = ["", "x" * 5000, good[0][:20] + "\x00" + good[0][21:], "令牌"]
    ok, unauthenticated = grpc.StatusCode.OK.value[0], grpc.StatusCode.UNAUTHENTICATED.value[0]

    connected = await svc.stub.ConnectTerminals(
        pb.ConnectTerminalsRequest(tokens=[good[0], *bad_tokens, good[1]]), timeout=30
    )
    assert [c.code for c in connected.connections] == [ok] + [unauthenticated] * 4 + [ok]
    assert [[x.alert_id for x in c.alerts] for c in connected.connections][::5] == [[a.id], [a.id]]

    receipts = [pb.TerminalReceipt(token=t, alert_id=a.id, kind="displayed") for t in [good[0], *bad_tokens, good[1]]]
    r = await svc.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=receipts), timeout=30)
    assert [x.code for x in r.results] == [ok] + [unauthenticated] * 4 + [ok], [(x.code, x.message) for x in r.results]
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [(x.targeted, x.displayed) for x in status.rows] == [(2, 2)]


async def test_an_item_the_edge_let_through_that_the_database_refuses_fails_alone(svc, monkeypatch):
    """Were a check at the edge ever to miss something (here: the alert id check, switched off), the
    database's refusal of the batch still fails only that receipt: the others are recorded alone."""
    tvs = [device("330411101001") for _ in range(2)]
    for tv in tvs:
        await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    a = await svc.submit(TRUSTED, FLOOD)
    monkeypatch.setattr(delivery, "check_alert_id", lambda alert_id: None)
    batch = [
        pb.TerminalReceipt(token=svc.token(tvs[0]), alert_id=a.id, kind="displayed"),
        pb.TerminalReceipt(token=svc.token(tvs[1]), alert_id=a.id[:10] + "\x00" + a.id[11:], kind="displayed"),
        pb.TerminalReceipt(token=svc.token(tvs[1]), alert_id=a.id, kind="acknowledged"),
    ]
    r = await svc.stub.RecordReceipts(pb.RecordReceiptsRequest(receipts=batch), timeout=30)
    codes = [x.code for x in r.results]
    assert codes[0] == codes[2] == grpc.StatusCode.OK.value[0], [(x.code, x.message) for x in r.results]
    # SQLite keeps the NUL (no delivery has that id: not sent); PostgreSQL refuses it (that one alone).
    assert codes[1] in (grpc.StatusCode.NOT_FOUND.value[0], grpc.StatusCode.UNAVAILABLE.value[0])
    status = await svc.stub.GetAlertStatus(pb.GetAlertRequest(alert_id=a.id), metadata=svc.md(TRUSTED))
    assert [(x.targeted, x.displayed, x.acknowledged) for x in status.rows] == [(2, 2, 1)]
