"""What the service desk's tests share: a clock they move, the district's people, and a Desk:
the service's real gRPC server (the runtime's test plugin starts it) with the calls and looks into
its database that the tests use."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import func, select

from runtime.auth import Caller
from runtime.outbox import outbox_table
from runtime.testing import RunningService, household, staff
from sbc.events.v1 import servicedesk_events_pb2 as ev
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from sbc.servicedesk.v1 import servicedesk_pb2_grpc
from servicedesk import domain, events, store
from servicedesk.domain import Role
from servicedesk.scheduler import SlaScheduler
from servicedesk.store import UnitOfWork

WJJ_URBAN = "330411101001"  # Wangjiangjing, a neighbourhood committee
HH_VILLAGE = "330411105201"  # Honghe, a village committee (its agency point is on the roster)
START = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)  # a Monday, 09:00 in the district
# The households staff file for in these tests, as identity registered them (id -> area).
REGISTERED = {
    "hh-v": HH_VILLAGE,
    "hh-x": HH_VILLAGE,
    "hh-dis": HH_VILLAGE,
    "hh-o": WJJ_URBAN,
    "hh-o1": WJJ_URBAN,
    "hh-o2": WJJ_URBAN,
    "hh-ox": WJJ_URBAN,
    "hh-wjj": WJJ_URBAN,
}


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += dt.timedelta(**delta)


def home(hid: str, area: str = WJJ_URBAN) -> Caller:
    """A household's set-top box."""
    return household(hid, area_code=area)


def member(username: str, role: str, area: str) -> Caller:
    """Staff of the district's rosters (data/service_points.json)."""
    return staff(role, username=username, area_code=area)


MANAGER_WJJ = member("manager.wjj", Role.SERVICE_POINT_MANAGER, "330411101")
MANAGER_HH = member("manager.hh", Role.SERVICE_POINT_MANAGER, "330411105")
TECH_WJJ = member("tech.wjj", Role.TECHNICIAN, "330411101")
TECH2_WJJ = member("tech2.wjj", Role.TECHNICIAN, "330411101")
TECH_HH = member("tech.hh", Role.TECHNICIAN, "330411105")
AGENT_HH = member("agent.hh", Role.VILLAGE_AGENT, HH_VILLAGE)
AGENT_WJJ = member("agent.wjj", Role.VILLAGE_AGENT, WJJ_URBAN)
DISTRICT = member("manager.district", Role.SERVICE_POINT_MANAGER, "330411")


def stamp(at: dt.datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(at)
    return out


REQUEST_TYPES = {
    "CreateServiceRequest": pb.CreateServiceRequestRequest,
    "DispatchServiceRequest": pb.DispatchServiceRequestRequest,
    "RateServiceRequest": pb.RateServiceRequestRequest,
    "GetServiceRequest": pb.GetServiceRequestRequest,
    "ListAuditEntries": pb.GetServiceRequestRequest,
    "ListPointQueue": pb.ListPointQueueRequest,
    "ListMyJobs": pb.ListMyJobsRequest,
    "GetCatalog": pb.GetCatalogRequest,
    "ListServicePoints": pb.ListServicePointsRequest,
    "GetAssessment": pb.GetAssessmentRequest,
    "GetPublicFigures": pb.GetPublicFiguresRequest,
    "ListMyServiceRequests": pb.ListMyServiceRequestsRequest,
    "ListOutreachEvents": pb.ListOutreachEventsRequest,
    "CreateOutreachEvent": pb.CreateOutreachEventRequest,
}


@dataclass
class Desk:
    running: RunningService
    clock: Clock
    scheduler: SlaScheduler

    @property
    def stub(self) -> servicedesk_pb2_grpc.ServiceDeskServiceStub:
        return self.running.stub(servicedesk_pb2_grpc.ServiceDeskServiceStub)

    @property
    def db(self):
        return self.running.db

    def md(self, caller: Caller, **kw):
        return self.running.md(caller, **kw)

    async def call(self, method: str, caller: Caller, **fields):
        rpc = getattr(self.stub, method)
        request_type = REQUEST_TYPES.get(method, pb.ActOnRequest)
        return await rpc(request_type(**fields), metadata=self.md(caller), timeout=30)

    async def file(self, caller: Caller, service_type="fault_repair_general", **fields) -> pb.ServiceRequest:
        fields.setdefault("idempotency_key", uuid.uuid4().hex)
        return await self.call("CreateServiceRequest", caller, service_type=service_type, **fields)

    async def dispatch(self, request_id: str, technician="tech.wjj", hours_ahead=2, length=2, manager=MANAGER_WJJ):
        start = self.clock() + dt.timedelta(hours=hours_ahead)
        return await self.call(
            "DispatchServiceRequest",
            manager,
            id=request_id,
            technician=technician,
            window_start=stamp(start),
            window_end=stamp(start + dt.timedelta(hours=length)),
        )

    async def accepted(self, caller=None, **fields) -> pb.ServiceRequest:
        r = await self.file(caller or home("hh-a"), **fields)
        manager = MANAGER_HH if r.service_point_code == "SP-330411105" else MANAGER_WJJ
        return await self.call("AcceptServiceRequest", manager, id=r.id)

    def events(self, event_type: str | None = None) -> list:
        t = outbox_table()
        with self.db.transaction() as s:
            rows = list(s.execute(select(t).order_by(t.c.seq)))
        return [r for r in rows if event_type is None or r.event_type == event_type]

    def transitions(self, request_id: str) -> list[tuple[str, str]]:
        out = []
        for r in self.events(events.REQUEST_TRANSITIONED):
            e = ev.ServiceRequestTransitioned.FromString(r.payload)
            if e.request_id == request_id:
                out.append((e.from_state, e.to_state))
        return out

    def row(self, request_id: str) -> domain.ServiceRequest:
        """The request as the store keeps it."""
        with UnitOfWork(self.db) as uow:
            found = uow.requests.get(request_id)
            assert found is not None
            return found

    def count(self, table=store.service_requests) -> int:
        with self.db.transaction() as s:
            return s.scalar(select(func.count()).select_from(table))
