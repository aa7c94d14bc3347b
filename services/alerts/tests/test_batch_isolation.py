"""In a batched call, a bad item fails alone: a receipt whose alert id carries a NUL (which makes
PostgreSQL refuse the whole transaction) or other characters no id has gets INVALID_ARGUMENT, and
the other set-top boxes' receipts of the batch are recorded. Over the service's real gRPC API."""

from __future__ import annotations

import grpc
import pytest

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
