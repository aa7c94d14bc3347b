"""Re-delivery reaches every active alert's unanswered terminals, whatever sorts first: stale rows
of withdrawn alerts (more than one page of the scan) never starve it. Terminals connect over the
service's real gRPC API; the scheduler's pass is the handler the scheduler process runs."""

from __future__ import annotations

import time
import uuid

import pytest

from alerts import handlers
from alerts.domain import Role
from alerts.tests.support import FLOOD, RAINSTORM, TRUSTED, device
from runtime.testing import staff
from runtime.times import utcnow
from sbc.alerts.v1 import alerts_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
PAGE = 5000  # the scheduler's page


def again(svc) -> list[tuple[str, list[str]]]:
    return [(b.alert_id, list(b.only_terminals)) for _, b in svc.broadcasts() if b.only_terminals]


async def test_stale_rows_of_withdrawn_alerts_never_starve_redelivery(svc):
    honghe = [device("330411105001") for _ in range(PAGE + 1)]
    for i in range(0, len(honghe), 1000):
        tokens = [svc.token(b) for b in honghe[i : i + 1000]]
        await svc.stub.ConnectTerminals(pb.ConnectTerminalsRequest(tokens=tokens), timeout=60)
    tv = device("330411101001")  # Wangjiangjing
    await svc.stub.ConnectTerminal(pb.ConnectTerminalRequest(), metadata=svc.md(tv))
    active = await svc.submit(TRUSTED, FLOOD)  # Wangjiangjing
    # Withdrawn alerts for Honghe, until one's id sorts before the active one's: its PAGE + 1
    # deliveries stay unanswered forever.
    while True:
        stale = await svc.submit(TRUSTED, RAINSTORM.replace("_20260701130000", f"_{uuid.uuid4().hex[:12]}"))
        await svc.stub.CancelAlert(pb.AlertAction(alert_id=stale.id), metadata=svc.md(staff(Role.ALERT_ISSUER)))
        if stale.id < active.id:
            break
    time.sleep(0.05)
    assert svc.redeliver_due(0, 5) == 1
    assert again(svc) == [(active.id, [f"set_top_box:{tv.device_id}"])]
    assert svc.redeliver_due(0, 5) == 1, "still unanswered: sent again on the next pass too"


async def test_an_alerts_unanswered_terminals_are_sent_again_page_after_page(svc):
    boxes = [device("330411101001") for _ in range(5)]
    r = await svc.stub.ConnectTerminals(pb.ConnectTerminalsRequest(tokens=[svc.token(b) for b in boxes]), timeout=30)
    assert all(c.code == 0 for c in r.connections)
    a = await svc.submit(TRUSTED, FLOOD)
    await svc.stub.RecordReceipt(pb.RecordReceiptRequest(alert_id=a.id, kind="delivered"), metadata=svc.md(boxes[0]))
    time.sleep(0.05)
    assert handlers.redeliver_due(svc.uow(), 0, 5, utcnow(), page=2) == 4
    pages = again(svc)
    assert [len(t) for _, t in pages] == [2, 2]
    assert sorted(t for _, ts in pages for t in ts) == sorted(f"set_top_box:{b.device_id}" for b in boxes[1:])
