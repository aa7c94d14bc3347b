"""What the alerts service's tests share: the sample CAP messages, callers, and the service's
own gRPC server under test (started by the runtime's `grpc_service` fixture; see conftest.py)."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

from sqlalchemy import func, select

from alerts import handlers, store
from runtime.auth import Caller
from runtime.outbox import outbox_table
from runtime.testing import RunningService, department, household
from runtime.times import utcnow
from sbc.alerts.v1 import alerts_pb2 as pb
from sbc.alerts.v1 import alerts_pb2_grpc
from sbc.events.v1 import alert_events_pb2

SAMPLES = pathlib.Path(__file__).parent / "samples"
FLOOD = (SAMPLES / "cap_flood.xml").read_text(encoding="utf-8")
RAINSTORM = (SAMPLES / "national_rainstorm.xml").read_text(encoding="utf-8")

TRUSTED = department("dept-meteorology")
UNTRUSTED = department("dept-water-resources")
# The samples as the water resources bureau (UNTRUSTED) sends them, as its own sender.
WATER_FLOOD = FLOOD.replace("<sender>xiuzhou.weather@330411</sender>", "<sender>xiuzhou.water@330411</sender>")
WATER_RAINSTORM = RAINSTORM.replace(
    "<senderCode>33041141600000</senderCode>", "<senderCode>xiuzhou.water@330411</senderCode>"
)


def device(area: str) -> Caller:
    """A household's signed-in set-top box in `area`."""
    return household(area_code=area)


@dataclass
class Svc:
    running: RunningService
    stub: alerts_pb2_grpc.AlertServiceStub

    @property
    def db(self):
        return self.running.db

    def token(self, caller: Caller) -> str:
        return self.running.tokens.mint(caller)

    def md(self, caller: Caller):
        return self.running.md(caller)

    def uow(self) -> store.UnitOfWork:
        return store.UnitOfWork(self.db)

    async def submit(self, caller: Caller, xml: str) -> pb.Alert:
        return await self.stub.SubmitCap(pb.SubmitCapRequest(xml=xml), metadata=self.md(caller), timeout=30)

    def expire_due(self) -> int:
        """The scheduler's expiry pass."""
        return handlers.expire_due(self.uow(), utcnow())

    def redeliver_due(self, after_seconds: float, max_attempts: int) -> int:
        """The scheduler's re-delivery pass."""
        return handlers.redeliver_due(self.uow(), after_seconds, max_attempts, utcnow())

    def broadcasts(self) -> list[tuple[str, alert_events_pb2.AlertBroadcast]]:
        t = outbox_table()
        with self.db.transaction() as s:
            rows = list(s.execute(select(t).order_by(t.c.seq)))
        out = []
        for r in rows:
            m = alert_events_pb2.AlertBroadcast()
            m.ParseFromString(r.payload)
            out.append((r.topic, m))
        return out

    def count(self, table) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(table))
