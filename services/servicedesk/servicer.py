"""The service desk's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the
domain's), no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from google.protobuf.timestamp_pb2 import Timestamp
from google.protobuf.wrappers_pb2 import DoubleValue

from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.households import Households, HouseholdsOnFile
from runtime.times import to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from sbc.servicedesk.v1 import servicedesk_pb2_grpc
from servicedesk import domain, handlers, store
from servicedesk.handlers import Desk, Desks
from servicedesk.store import UnitOfWork

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ServiceDeskService"].full_name


# The museum's exhibition area (gateway/routes/tourism.py) shows these without signing in.
PUBLIC_METHODS = {"GetPublicFigures"}


class ServiceDeskServicer(servicedesk_pb2_grpc.ServiceDeskServiceServicer):
    def __init__(
        self,
        db: Database,
        desk: Desk | Desks | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        outreach_seed: list[dict] | None = None,
        households: Households | None = None,
    ):
        self.db = db
        # Who a household is and where it lives, for staff filing for one: identity (service.py).
        self.households = households or HouseholdsOnFile({})
        # Every district's desk; tests may hand in one district's (with its outreach seed).
        if isinstance(desk, Desk):
            seed = store.load_outreach_events_data()["events"] if outreach_seed is None else outreach_seed
            desk = Desks.of({desk.points.district_code: desk}, {desk.points.district_code: seed})
        elif desk is None and outreach_seed is not None:
            loaded = Desks.load()
            desk = Desks.of(
                loaded.by_district, {**loaded.outreach_seeds, loaded.pilot.points.district_code: outreach_seed}
            )
        self.desks = desk or Desks.load()
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock
        handlers.open_desk(self.uow(), self.desks, self.now())

    @property
    def desk(self) -> Desk:
        """The caller's district's desk."""
        return self.desks.of_caller(current_caller())

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    # --- the catalog and the service points ---

    async def GetCatalog(self, request, context):
        caller = current_caller()
        catalog = handlers.catalog(
            self.desks.published(caller, request.district_code), caller, request.on_date, self.now()
        )
        return catalog_proto(catalog)

    async def ListServicePoints(self, request, context):
        caller = current_caller()
        points = handlers.service_points(self.desks.published(caller, request.district_code), caller)
        return pb.ListServicePointsResponse(service_points=[point_proto(p) for p in points])

    # --- filing and reading ---

    async def CreateServiceRequest(self, request, context):
        new = domain.NewRequest(
            service_type=request.service_type,
            description=request.description,
            idempotency_key=request.idempotency_key,
            channel=request.channel,
            materials=tuple(request.materials),
            household_id=request.household_id,
            household_area_code=request.household_area_code,
            consent=request.consent,
            outreach_event_id=request.outreach_event_id,
            home_visit=request.home_visit,
        )
        filed = await run_sync(
            handlers.file_request, self.uow(), self.desk, self.households, current_caller(), new, self.now()
        )
        return request_proto(filed)

    async def GetServiceRequest(self, request, context):
        found = await run_sync(handlers.get_request, self.uow(), self.desk, current_caller(), request.id)
        return request_proto(found)

    async def ListMyServiceRequests(self, request, context):
        return page_proto(await run_sync(handlers.my_requests, self.uow(), current_caller(), request.page))

    async def ListPointQueue(self, request, context):
        found = await run_sync(
            handlers.point_queue, self.uow(), self.desk, current_caller(), request.state, request.page
        )
        return page_proto(found)

    async def ListMyJobs(self, request, context):
        return page_proto(await run_sync(handlers.my_jobs, self.uow(), current_caller(), request.page))

    async def ListAuditEntries(self, request, context):
        entries = await run_sync(handlers.audit_entries, self.uow(), self.desk, current_caller(), request.id)
        return pb.ListAuditEntriesResponse(entries=[audit_proto(e) for e in entries])

    # --- the steps of a request ---

    async def _step(self, handler, request, *args):
        found = await run_sync(handler, self.uow(), self.desk, current_caller(), request.id, *args, self.now())
        return request_proto(found)

    async def CancelServiceRequest(self, request, context):
        return await self._step(handlers.cancel, request, request.reason)

    async def AcceptServiceRequest(self, request, context):
        return await self._step(handlers.accept, request, request.reason)

    async def RejectServiceRequest(self, request, context):
        return await self._step(handlers.reject, request, request.reason)

    async def WaitForCitizen(self, request, context):
        return await self._step(handlers.wait_for_citizen, request, request.reason)

    async def ResumeServiceRequest(self, request, context):
        return await self._step(handlers.resume, request, request.reason)

    async def DispatchServiceRequest(self, request, context):
        start = instant(request, "window_start")
        end = instant(request, "window_end")
        return await self._step(handlers.dispatch, request, request.technician, start, end)

    async def MarkOnSite(self, request, context):
        return await self._step(handlers.mark_on_site, request, request.reason)

    async def ResolveServiceRequest(self, request, context):
        return await self._step(handlers.resolve, request, request.reason)

    async def RateServiceRequest(self, request, context):
        return await self._step(handlers.rate, request, request.level, dict(request.indicators), request.comment)

    async def RecordRectificationFollowUp(self, request, context):
        return await self._step(handlers.follow_up_rectification, request, request.reason)

    # --- the assessment ---

    async def GetAssessment(self, request, context):
        months, points = await run_sync(
            handlers.assessment, self.uow(), self.desk, current_caller(), request.period, request.months, self.now()
        )
        scheme = self.desk.scheme
        return pb.Assessment(
            period=months[-1],
            scheme_version=scheme["version"],
            weights=scheme["weights"],
            months=months,
            points=[assessment_proto(p) for p in points],
        )

    # --- outreach events ---

    async def ListOutreachEvents(self, request, context):
        events, catalog = await run_sync(
            handlers.upcoming_outreach, self.uow(), self.desk, current_caller(), self.now()
        )
        return pb.ListOutreachEventsResponse(events=[outreach_proto(e, catalog) for e in events])

    async def CreateOutreachEvent(self, request, context):
        event, catalog = await run_sync(
            handlers.schedule_outreach,
            self.uow(),
            self.desk,
            current_caller(),
            request.date,
            request.start_time,
            request.end_time,
            request.area_code,
            request.place,
            tuple(request.service_types),
            self.now(),
        )
        return outreach_proto(event, catalog)

    # --- public figures (no sign-in; PUBLIC_METHODS) ---

    async def GetPublicFigures(self, request, context):
        now = self.now()
        since, done, on_time = await run_sync(handlers.public_figures, self.uow(), now)
        return pb.PublicFigures(since=since, done=done, done_on_time=on_time, at=to_timestamp(now))


# --- domain -> protobuf ---


def instant(message, name: str) -> dt.datetime | None:
    """A Timestamp field as an aware UTC instant; None when unset."""
    value: Timestamp = getattr(message, name)
    return value.ToDatetime(dt.UTC) if message.HasField(name) else None


def request_proto(r: domain.ServiceRequest) -> pb.ServiceRequest:
    at = to_timestamp(r.submitted_at)
    msg = pb.ServiceRequest(
        id=r.id,
        reference_number=r.reference_number,
        household_id=r.household_id,
        area=common_pb2.Area(code=r.area_code),
        service_type=r.service_type,
        description=r.description,
        state=r.state,
        channel=r.channel,
        submitted_at=at,
        submitted_by=common_pb2.AuditStamp(
            actor_id=r.submitted_by, actor_role=r.submitted_by_role, channel=r.channel, at=at
        ),
        service_point_code=r.service_point_code,
        catalog_version=r.catalog_version,
        area_type=r.area_type,
        deadline=to_timestamp(r.deadline_at),
        technician=r.technician,
        window_start=to_timestamp(r.window_start),
        window_end=to_timestamp(r.window_end),
        resolved_at=to_timestamp(r.resolved_at),
        compensation=common_pb2.Money(fen=r.compensation_fen),
        reason=r.reason,
        consent=r.consent,
        outreach_event_id=r.outreach_event_id,
        home_visit=r.home_visit,
    )
    if r.rating_level:
        msg.rating.CopyFrom(
            pb.Rating(
                level=r.rating_level,
                indicators=r.rating_indicators,
                comment=r.rating_comment,
                at=to_timestamp(r.rated_at),
            )
        )
    if r.rectification_deadline:
        msg.rectification.CopyFrom(
            pb.Rectification(
                deadline=to_timestamp(r.rectification_deadline),
                follow_up=r.rectification_follow_up,
                followed_up_at=to_timestamp(r.rectified_at),
            )
        )
    return msg


def page_proto(page: handlers.Page) -> pb.ListMyServiceRequestsResponse:
    found, next_token = page
    return pb.ListMyServiceRequestsResponse(
        requests=[request_proto(r) for r in found], page=common_pb2.PageResponse(next_page_token=next_token)
    )


def audit_proto(e: domain.AuditEntry) -> pb.AuditEntry:
    return pb.AuditEntry(
        from_state=e.from_state,
        to_state=e.to_state,
        reason=e.reason,
        by=common_pb2.AuditStamp(
            actor_id=e.actor_id, actor_role=e.actor_role, channel=e.channel, at=to_timestamp(e.at)
        ),
    )


def catalog_proto(catalog: domain.Catalog) -> pb.Catalog:
    return pb.Catalog(
        version=catalog.version,
        effective_from=catalog.effective_from.isoformat(),
        service_types=[
            pb.ServiceStandard(
                code=t.code,
                name=t.name,
                name_en=t.name_en,
                covers=t.covers,
                time_limit_hours=t.time_limit_hours,
                fee=common_pb2.Money(fen=t.fee_fen),
                materials=t.materials,
                home_visit_offered=t.home_visit_offered,
                channels=t.channels,
                compensation=catalog.compensation_text(t),
                guide=catalog.guide(t),
            )
            for t in catalog.service_types.values()
        ],
        quality_commitments=[
            pb.QualityCommitment(
                code=q.code, name=q.name, commitment=q.commitment, target=q.target, unit=q.unit, source=q.source
            )
            for q in catalog.quality_commitments
        ],
        material_names=catalog.material_names,
        channel_names=catalog.channel_names,
    )


def point_proto(p: domain.ServicePoint) -> pb.ServicePoint:
    return pb.ServicePoint(
        code=p.code,
        name=p.name,
        area=common_pb2.Area(code=p.township_code, name=p.township_name),
        technicians=p.technicians,
        agency_points=[
            pb.VillageAgencyPoint(area=common_pb2.Area(code=a["area_code"]), name=a["name"]) for a in p.agency_points
        ],
    )


def outreach_proto(e: domain.OutreachEvent, catalog: domain.Catalog) -> pb.OutreachEvent:
    return pb.OutreachEvent(
        id=e.id,
        service_point_code=e.service_point_code,
        area=common_pb2.Area(code=e.area_code),
        place=e.place,
        date=e.date.isoformat(),
        start_time=f"{e.start_time:%H:%M}",
        end_time=f"{e.end_time:%H:%M}",
        service_types=e.service_types,
        text=e.text(catalog),
    )


def assessment_proto(a: domain.PointAssessment) -> pb.PointAssessment:
    p = a.point
    return pb.PointAssessment(
        service_point_code=p.code,
        name=p.name,
        area=common_pb2.Area(code=p.township_code, name=p.township_name),
        score=a.score,
        metrics=metrics_proto(a.metrics),
        score_series=a.score_series,
        requests_series=a.requests_series,
        rank=a.rank,
    )


def metrics_proto(m: dict) -> pb.PointMetrics:
    def pct(name):
        return None if m[name] is None else DoubleValue(value=round(m[name], 2))

    return pb.PointMetrics(
        requests=m["requests"],
        by_type=m["by_type"],
        by_channel=m["by_channel"],
        resolved=m["resolved"],
        on_time_rate=pct("on_time_rate"),
        median_hours_by_type=m["median_hours_by_type"],
        p90_hours_by_type=m["p90_hours_by_type"],
        backlog=m["backlog"],
        overdue=m["overdue"],
        overdue_rate=pct("overdue_rate"),
        satisfaction_rate=pct("satisfaction_rate"),
        bad_ratings=m["bad_ratings"],
        rectification_rate=pct("rectification_rate"),
        complaint_rate=pct("complaint_rate"),
        compensation=common_pb2.Money(fen=m["compensation_fen"]),
    )
