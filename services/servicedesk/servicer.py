"""gRPC face of the service desk: protobuf in and out, the rules in domain.py,
the tables in store.py. Every state change writes its audit entry and its
event in the same transaction."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from google.protobuf.timestamp_pb2 import Timestamp
from google.protobuf.wrappers_pb2 import DoubleValue
from sqlalchemy.exc import IntegrityError

from runtime import paging
from runtime.auth import Caller, current_caller
from runtime.db import Database
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, require
from sbc.common.v1 import common_pb2
from sbc.servicedesk.v1 import servicedesk_pb2, servicedesk_pb2_grpc
from servicedesk import domain, events, store
from servicedesk.domain import State

SERVICE_NAME = servicedesk_pb2.DESCRIPTOR.services_by_name["ServiceDeskService"].full_name
DEFAULT_ASSESSMENT_MONTHS = 6
MAX_ASSESSMENT_MONTHS = 24
# Channels through which staff file for a household: an agent, or the point's manager at the counter.
AGENT_CHANNELS = ("village_agent",)
COUNTER_CHANNELS = ("service_hall", "hotline")
OUTREACH_CHANNEL = "outreach_event"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(at: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    if at is None or at.tzinfo:
        return at
    return at.replace(tzinfo=dt.UTC)


def ts(at: dt.datetime | None) -> Timestamp | None:
    if at is None:
        return None
    out = Timestamp()
    out.FromDatetime(aware(at))
    return out


def to_proto(row: store.ServiceRequestRow) -> servicedesk_pb2.ServiceRequest:
    at = ts(row.submitted_at)
    msg = servicedesk_pb2.ServiceRequest(
        id=row.id,
        reference_number=row.reference_number,
        household_id=row.household_id,
        area=common_pb2.Area(code=row.area_code),
        service_type=row.service_type,
        description=row.description,
        state=row.state,
        channel=row.channel,
        submitted_at=at,
        submitted_by=common_pb2.AuditStamp(
            actor_id=row.submitted_by, actor_role=row.submitted_by_role, channel=row.channel, at=at
        ),
        service_point_code=row.service_point_code,
        catalog_version=row.catalog_version,
        area_type=row.area_type,
        deadline=ts(row.deadline_at),
        technician=row.technician,
        window_start=ts(row.window_start),
        window_end=ts(row.window_end),
        resolved_at=ts(row.resolved_at),
        compensation=common_pb2.Money(fen=row.compensation_fen),
        reason=row.reason,
        consent=row.consent,
        outreach_event_id=row.outreach_event_id or "",
        home_visit=row.home_visit or "",
    )
    if row.rating_level:
        msg.rating.CopyFrom(
            servicedesk_pb2.Rating(
                level=row.rating_level,
                indicators=json.loads(row.rating_indicators or "{}"),
                comment=row.rating_comment,
                at=ts(row.rated_at),
            )
        )
    if row.rectification_deadline:
        msg.rectification.CopyFrom(
            servicedesk_pb2.Rectification(
                deadline=ts(row.rectification_deadline),
                follow_up=row.rectification_follow_up,
                followed_up_at=ts(row.rectified_at),
            )
        )
    return msg


def check_id(request_id: str) -> None:
    if not request_id or len(request_id) > 36:
        raise InvalidArgument("id is required", {"id": "a request id"})


def role_of(caller: Caller) -> str:
    """The role an audit entry records: the staff role used, or the caller kind."""
    for role in (domain.MANAGER, domain.TECHNICIAN, domain.AGENT):
        if role in caller.roles:
            return role
    return caller.kind


class ServiceDeskServicer(servicedesk_pb2_grpc.ServiceDeskServiceServicer):
    def __init__(
        self,
        db: Database,
        catalog_data: dict,
        points_data: dict | None = None,
        clock=None,
        scheme: dict | None = None,
        outreach_data: dict | None = None,
    ):
        self.db = db
        self.scheme = scheme or store.load_assessment_scheme()
        domain.validate_scheme(self.scheme)
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock or now
        self.catalog_data = catalog_data
        self.points = domain.ServicePoints.from_data(points_data or store.load_service_points_data())
        # Every version must load now, not when a request under it is first touched.
        for v in catalog_data["versions"]:
            domain.Catalog.named(catalog_data, v["version"])
        roster = {t: p.code for p in self.points.points.values() for t in p.technicians}
        outreach = (outreach_data or store.load_outreach_events_data())["events"]
        today = domain.district_date(self.now())
        for e in outreach:
            point = self.points.point_by_code(e["service_point_code"])
            if point is None or e["area_code"][:9] != point.township_code:
                raise ValueError(f"outreach event {e['id']}: not a village of {e['service_point_code']}")
            domain.parse_outreach_event(
                e["date"],
                e["start_time"],
                e["end_time"],
                e["area_code"],
                e["place"],
                tuple(e["service_types"]),
                self.catalog_on(self.now()),
                today,
                check_past=False,
            )
        with self.db.transaction() as s:
            store.sync_technicians(s, roster)
            store.seed_outreach_events(s, outreach)

    def catalog_on(self, at: dt.datetime) -> domain.Catalog:
        return domain.Catalog.from_data(self.catalog_data, domain.district_date(at))

    def catalog_of(self, row: store.ServiceRequestRow) -> domain.Catalog:
        return domain.Catalog.named(self.catalog_data, row.catalog_version)

    # --- catalog and service points ---

    async def GetCatalog(self, request, context):
        caller = current_caller()
        if not caller.subject:
            raise PermissionDenied("sign in first")
        if request.on_date:
            try:
                on = dt.date.fromisoformat(request.on_date)
            except ValueError:
                raise InvalidArgument("on_date must be YYYY-MM-DD", {"on_date": "not a date"}) from None
        else:
            on = domain.district_date(self.now())
        try:
            catalog = domain.Catalog.from_data(self.catalog_data, on)
        except ValueError:
            raise NotFound(f"no service standard is in force on {on}") from None
        return servicedesk_pb2.Catalog(
            version=catalog.version,
            effective_from=catalog.effective_from.isoformat(),
            service_types=[
                servicedesk_pb2.ServiceStandard(
                    code=t.code,
                    name=t.name,
                    name_en=t.name_en,
                    covers=t.covers,
                    time_limit_hours=t.time_limit_hours,
                    fee=common_pb2.Money(fen=t.fee_fen),
                    materials=t.materials,
                    home_visit_offered=t.home_visit_offered,
                    channels=t.channels,
                    compensation=domain.compensation_text(t, catalog),
                    guide=domain.guide(t, catalog),
                )
                for t in catalog.service_types.values()
            ],
        )

    async def ListServicePoints(self, request, context):
        if not current_caller().subject:
            raise PermissionDenied("sign in first")
        return servicedesk_pb2.ListServicePointsResponse(
            service_points=[
                servicedesk_pb2.ServicePoint(
                    code=p.code,
                    name=p.name,
                    area=common_pb2.Area(code=p.township_code, name=p.township_name),
                    technicians=p.technicians,
                    agency_points=[
                        servicedesk_pb2.VillageAgencyPoint(area=common_pb2.Area(code=a["area_code"]), name=a["name"])
                        for a in p.agency_points
                    ],
                )
                for p in self.points.points.values()
            ]
        )

    # --- filing ---

    async def CreateServiceRequest(self, request, context):
        return await asyncio.to_thread(self._create, current_caller(), request)

    def _filer(self, caller: Caller, request, channel: str) -> tuple[str, str, str]:
        """Whose request this is: (household id, area code, consent), by who files it."""
        if caller.is_household():
            if request.household_id and request.household_id != caller.household_id:
                raise PermissionDenied("a household files only for itself")
            if channel not in domain.HOUSEHOLD_CHANNELS:
                raise InvalidArgument(
                    f"a household's terminal files through {', '.join(domain.HOUSEHOLD_CHANNELS)}",
                    {"channel": f"one of {', '.join(domain.HOUSEHOLD_CHANNELS)}"},
                )
            return caller.household_id, caller.area_code, ""
        require({"household_id": request.household_id, "household_area_code": request.household_area_code})
        if channel in AGENT_CHANNELS:
            if not request.consent.strip():
                raise InvalidArgument("an agent records the household's consent", {"consent": "is required"})
            domain.agent_may_file_for(caller, request.household_area_code, self.points)
            return request.household_id, request.household_area_code, request.consent
        if channel == OUTREACH_CHANNEL:
            if not on_a_point_staff(caller, self.points):
                raise PermissionDenied("requests at an outreach event are filed by staff of its service point")
            return request.household_id, request.household_area_code, request.consent
        if channel in COUNTER_CHANNELS:
            point = self.points.point_for_area(request.household_area_code)
            domain.require_manager_of(caller, point)
            return request.household_id, request.household_area_code, request.consent
        raise PermissionDenied("staff file through the village-agent or counter channels")

    def _create(self, caller: Caller, request) -> servicedesk_pb2.ServiceRequest:
        if not caller.is_household() and not domain.on_a_roster(caller, self.points):
            raise PermissionDenied(
                "this call is for a household's terminal, a village agent or a service-point manager"
            )
        channel = request.channel or ("set_top_box" if caller.is_household() else "")
        new = domain.NewRequest(
            request.service_type, request.description, request.idempotency_key, channel, tuple(request.materials)
        )
        t = self.now()
        catalog = self.catalog_on(t)
        # Shape of the fields first (bad input is INVALID_ARGUMENT whoever calls) ...
        domain.check_proxy_fields(request.household_id, request.household_area_code, request.consent)
        standard = domain.validate_new_request(new, catalog)
        domain.validate_home_visit(request.home_visit, standard)
        if channel == OUTREACH_CHANNEL and not request.outreach_event_id:
            raise InvalidArgument(
                "name the outreach event", {"outreach_event_id": "is required for channel outreach_event"}
            )
        if request.outreach_event_id and channel != OUTREACH_CHANNEL:
            raise InvalidArgument(
                "an outreach event is named with channel outreach_event",
                {"outreach_event_id": "only with channel outreach_event"},
            )
        if len(request.outreach_event_id) > 36:
            raise InvalidArgument("invalid outreach_event_id", {"outreach_event_id": "at most 36 characters"})
        # ... then who may file for whom.
        household_id, area_code, consent = self._filer(caller, request, channel)
        if channel == OUTREACH_CHANNEL:
            with self.db.transaction() as s:
                event_row = store.outreach_event(s, request.outreach_event_id)
            if event_row is None:
                raise NotFound(f"no outreach event {request.outreach_event_id!r}")
            domain.may_file_at_outreach(caller, outreach_of(event_row), area_code, standard, self.points, t)
        point = self.points.point_for_area(area_code)
        area_type = self.points.area_type(area_code)
        try:
            with self.db.transaction() as s:
                existing = store.find_by_idempotency_key(s, household_id, new.idempotency_key)
                if existing is not None:
                    return self._replay(existing, new)
                row = store.ServiceRequestRow(
                    household_id=household_id,
                    device_id=caller.device_id,
                    area_code=area_code,
                    service_type=new.service_type,
                    description=new.description,
                    state=State.SUBMITTED,
                    channel=new.channel,
                    catalog_version=catalog.version,
                    idempotency_key=new.idempotency_key,
                    submitted_at=t,
                    submitted_by=caller.subject,
                    submitted_by_role=role_of(caller),
                    service_point_code=point.code,
                    area_type=area_type,
                    deadline_at=domain.deadline(t, standard, area_type),
                    consent=consent,
                    outreach_event_id=request.outreach_event_id,
                    home_visit=request.home_visit,
                )
                s.add(row)
                s.flush()
                row.reference_number = domain.reference_number(t, row.seq)
                s.flush()
                s.add(
                    store.AuditEntryRow(
                        request_id=row.id,
                        from_state="",
                        to_state=row.state,
                        actor_id=caller.subject,
                        actor_role=role_of(caller),
                        channel=channel,
                        reason=filing_note(consent, request.outreach_event_id, request.home_visit),
                        at=t,
                    )
                )
                events.request_submitted(s, row)
                return to_proto(row)
        except IntegrityError:
            # The same key filed at the same moment by a retry: return that one.
            with self.db.transaction() as s:
                existing = store.find_by_idempotency_key(s, household_id, new.idempotency_key)
                if existing is None:
                    raise
                return self._replay(existing, new)

    @staticmethod
    def _replay(existing: store.ServiceRequestRow, new: domain.NewRequest) -> servicedesk_pb2.ServiceRequest:
        if not domain.same_request(existing.service_type, existing.description, new):
            raise AlreadyExists(
                "this idempotency key was used for a different request",
                {"idempotency_key": "already used for another request"},
            )
        return to_proto(existing)

    # --- reading ---

    async def GetServiceRequest(self, request, context):
        return await asyncio.to_thread(self._get, current_caller(), request)

    def _visible(self, s, caller: Caller, request_id: str) -> store.ServiceRequestRow:
        check_id(request_id)
        row = store.get(s, request_id)
        point = self.points.point_by_code(row.service_point_code) if row else None
        # Someone else's request is reported as not found: its existence is not ours to tell.
        if row is None or point is None or not domain.may_read(caller, row.household_id, point, row.technician):
            raise NotFound(f"no service request {request_id!r}")
        return row

    def _get(self, caller: Caller, request):
        self._may_read_some(caller)
        with self.db.transaction() as s:
            return to_proto(self._visible(s, caller, request.id))

    def _may_read_some(self, caller: Caller) -> None:
        """Households, managers on a roster and named technicians read requests; nobody else."""
        if caller.is_household():
            return
        if domain.MANAGER in caller.roles and domain.on_a_roster(caller, self.points):
            return
        if domain.TECHNICIAN in caller.roles and caller.username in self.points.all_technicians():
            return
        raise PermissionDenied("this call is for a household's terminal or the service point's staff")

    async def ListMyServiceRequests(self, request, context):
        return await asyncio.to_thread(self._list, current_caller(), request)

    def _list(self, caller: Caller, request):
        household_id = caller.require_household()
        size = paging.page_size(request.page)
        before = paging.page_token(request.page.page_token)
        with self.db.transaction() as s:
            rows = store.list_for_household(s, household_id, before, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        return servicedesk_pb2.ListMyServiceRequestsResponse(
            requests=[to_proto(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=str(rows[-1].seq) if more else ""),
        )

    async def ListPointQueue(self, request, context):
        return await asyncio.to_thread(self._queue, current_caller(), request)

    def _queue(self, caller: Caller, request):
        point = domain.managed_point(caller, self.points)
        if request.state and request.state not in domain.OPEN_STATES + (State.RESOLVED,):
            raise InvalidArgument("state must be an open state", {"state": f"one of {', '.join(domain.OPEN_STATES)}"})
        states = (request.state,) if request.state else domain.OPEN_STATES
        size = paging.page_size(request.page)
        after = paging.page_token(request.page.page_token)
        with self.db.transaction() as s:
            rows = store.list_for_point(s, point.code, states, after, size + 1)
        return self._page(rows, size)

    async def ListMyJobs(self, request, context):
        return await asyncio.to_thread(self._jobs, current_caller(), request)

    def _jobs(self, caller: Caller, request):
        caller.require_role(domain.TECHNICIAN)
        size = paging.page_size(request.page)
        after = paging.page_token(request.page.page_token)
        with self.db.transaction() as s:
            rows = store.list_for_technician(s, caller.username, domain.BOOKED_STATES, after, size + 1)
        return self._page(rows, size)

    @staticmethod
    def _page(rows, size):
        more = len(rows) > size
        rows = rows[:size]
        return servicedesk_pb2.ListMyServiceRequestsResponse(
            requests=[to_proto(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=str(rows[-1].seq) if more else ""),
        )

    async def ListAuditEntries(self, request, context):
        return await asyncio.to_thread(self._audit, current_caller(), request)

    def _audit(self, caller: Caller, request):
        self._may_read_some(caller)
        with self.db.transaction() as s:
            self._visible(s, caller, request.id)
            return servicedesk_pb2.ListAuditEntriesResponse(
                entries=[
                    servicedesk_pb2.AuditEntry(
                        from_state=e.from_state,
                        to_state=e.to_state,
                        reason=e.reason,
                        by=common_pb2.AuditStamp(
                            actor_id=e.actor_id, actor_role=e.actor_role, channel=e.channel, at=ts(e.at)
                        ),
                    )
                    for e in store.audit_entries(s, request.id)
                ]
            )

    # --- transitions ---

    def _act(self, caller: Caller, request_id: str, check, change) -> servicedesk_pb2.ServiceRequest:
        """Load the request (locked), let `check(row, point)` authorize and validate,
        `change(row, t)` return the new state (and set fields), then write audit and event."""
        check_id(request_id)
        t = self.now()
        with self.db.transaction() as s:
            row = store.get_for_update(s, request_id)
            point = self.points.point_by_code(row.service_point_code) if row else None
            if row is None or point is None:
                raise NotFound(f"no service request {request_id!r}")
            if caller.is_household() and caller.household_id != row.household_id:
                raise NotFound(f"no service request {request_id!r}")
            check(row, point)
            from_state = row.state
            reason = change(s, row, t)
            if row.state != from_state:
                self.record(s, row, from_state, caller.subject, role_of(caller), self._channel(caller), reason, t)
            return to_proto(row)

    @staticmethod
    def _channel(caller: Caller) -> str:
        return "set_top_box" if caller.is_household() else "staff_app"

    @staticmethod
    def record(
        s, row, from_state: str, actor_id: str, actor_role: str, channel: str, reason: str, t: dt.datetime
    ) -> None:
        s.add(
            store.AuditEntryRow(
                request_id=row.id,
                from_state=from_state,
                to_state=row.state,
                actor_id=actor_id,
                actor_role=actor_role,
                channel=channel,
                reason=reason,
                at=t,
            )
        )
        events.request_transitioned(s, row, from_state, actor_id, actor_role, t, reason)

    def _simple(self, request, who: str, target: str, reason_required: bool, only_from: str = ""):
        """A transition that needs only the right person and (maybe) a reason."""
        caller = current_caller()

        def check(row, point):
            if who == "household":
                caller.require_household()
            elif who == "manager":
                domain.require_manager_of(caller, point)
            else:
                domain.require_technician_on(caller, row.technician)
            domain.validate_reason(request.reason, required=reason_required)

        def change(s, row, t):
            row.state = domain.transition(row.state, target, only_from)
            if reason_required:
                row.reason = request.reason
            if target == State.RESOLVED:
                row.resolved_at = t
                standard = self.catalog_of(row).service_type(row.service_type)
                row.compensation_fen = domain.compensation_fen(
                    standard, aware(row.deadline_at), t, self.catalog_of(row).rule("monthly_fee_fen")
                )
            return request.reason

        return asyncio.to_thread(self._act, caller, request.id, check, change)

    async def CancelServiceRequest(self, request, context):
        return await self._simple(request, "household", State.CANCELLED, reason_required=False)

    async def AcceptServiceRequest(self, request, context):
        return await self._simple(request, "manager", State.ACCEPTED, reason_required=False, only_from=State.SUBMITTED)

    async def RejectServiceRequest(self, request, context):
        return await self._simple(request, "manager", State.REJECTED, reason_required=True)

    async def MarkOnSite(self, request, context):
        return await self._simple(request, "technician", State.ON_SITE, reason_required=False)

    async def ResolveServiceRequest(self, request, context):
        return await self._simple(request, "technician", State.RESOLVED, reason_required=False)

    async def WaitForCitizen(self, request, context):
        caller = current_caller()

        def check(row, point):
            domain.require_manager_of(caller, point)
            domain.validate_wait(request.reason, row.waits, self.catalog_of(row))

        def change(s, row, t):
            row.state = domain.transition(row.state, State.WAITING_FOR_CITIZEN)
            row.reason, row.waiting_since, row.waits = request.reason, t, row.waits + 1
            return request.reason

        return await asyncio.to_thread(self._act, caller, request.id, check, change)

    async def ResumeServiceRequest(self, request, context):
        caller = current_caller()

        def check(row, point):
            domain.require_manager_of(caller, point)
            domain.validate_reason(request.reason, required=False)

        def change(s, row, t):
            row.state = domain.transition(row.state, State.ACCEPTED, only_from=State.WAITING_FOR_CITIZEN)
            resume(row, t)
            return request.reason

        return await asyncio.to_thread(self._act, caller, request.id, check, change)

    async def DispatchServiceRequest(self, request, context):
        caller = current_caller()
        start = aware(request.window_start.ToDatetime()) if request.HasField("window_start") else None
        end = aware(request.window_end.ToDatetime()) if request.HasField("window_end") else None

        def check(row, point):
            domain.require_manager_of(caller, point)
            if not request.technician:
                raise InvalidArgument("name the technician", {"technician": "is required"})
            if request.technician not in point.technicians:
                raise FailedPrecondition(
                    f"{request.technician!r} is not a technician of {point.name}",
                    {"technician": "not on this service point's roster"},
                )
            domain.validate_window(start, end, self.now(), self.catalog_of(row))
            domain.transition(row.state, State.DISPATCHED)

        def change(s, row, t):
            # The technician's row is the lock: concurrent dispatches of one technician queue here.
            store.lock_technician(s, request.technician)
            for other in store.bookings(s, request.technician, domain.BOOKED_STATES, row.id):
                if domain.overlaps(start, end, aware(other.window_start), aware(other.window_end)):
                    raise FailedPrecondition(
                        f"{request.technician} already has a job from {aware(other.window_start):%Y-%m-%d %H:%M} "
                        f"to {aware(other.window_end):%H:%M} UTC",
                        {"window_start": "overlaps another job of this technician"},
                    )
            row.state = State.DISPATCHED
            row.technician, row.window_start, row.window_end = request.technician, start, end
            return f"{request.technician} {start.isoformat()}/{end.isoformat()}"

        return await asyncio.to_thread(self._act, caller, request.id, check, change)

    # --- assessment ---

    async def GetAssessment(self, request, context):
        return await asyncio.to_thread(self._assessment, current_caller(), request)

    def _assessment(self, caller: Caller, request):
        domain.require_district_manager(caller, self.points)
        t = self.now()
        period = request.period or f"{domain.district_date(t):%Y-%m}"
        if request.months < 0 or request.months > MAX_ASSESSMENT_MONTHS:
            raise InvalidArgument(f"months must be 1..{MAX_ASSESSMENT_MONTHS}", {"months": "out of range"})
        domain.month_bounds(period)  # refuses a malformed period
        months = domain.previous_months(period, request.months or DEFAULT_ASSESSMENT_MONTHS)
        first, _ = domain.month_bounds(months[0])
        _, last = domain.month_bounds(months[-1])
        with self.db.transaction() as s:
            rows = store.cases_between(s, first, last)
        by_point: dict[str, list[domain.Case]] = {p.code: [] for p in self.points.points.values()}
        for r in rows:
            if r.service_point_code in by_point:
                by_point[r.service_point_code].append(
                    domain.Case(
                        r.service_point_code,
                        r.service_type,
                        r.channel,
                        aware(r.submitted_at),
                        aware(r.deadline_at),
                        r.state,
                        aware(r.resolved_at),
                        r.compensation_fen,
                        r.rating_level,
                        aware(r.rectification_deadline),
                        aware(r.rectified_at),
                    )
                )
        out = []
        for point in self.points.points.values():
            series = [domain.point_metrics(by_point[point.code], *domain.month_bounds(m), t) for m in months]
            m = series[-1]
            out.append(
                servicedesk_pb2.PointAssessment(
                    service_point_code=point.code,
                    name=point.name,
                    area=common_pb2.Area(code=point.township_code, name=point.township_name),
                    score=domain.score(m, self.scheme),
                    metrics=metrics_proto(m),
                    score_series=[domain.score(x, self.scheme) for x in series],
                    requests_series=[x["requests"] for x in series],
                )
            )
        out.sort(key=lambda p: (-p.score, p.service_point_code))
        for i, p in enumerate(out, 1):
            p.rank = i
        return servicedesk_pb2.Assessment(
            period=period,
            scheme_version=self.scheme["version"],
            weights=self.scheme["weights"],
            months=months,
            points=out,
        )

    # --- outreach events ---

    def _event_proto(self, e: domain.OutreachEvent, catalog: domain.Catalog) -> servicedesk_pb2.OutreachEvent:
        return servicedesk_pb2.OutreachEvent(
            id=e.id,
            service_point_code=e.service_point_code,
            area=common_pb2.Area(code=e.area_code),
            place=e.place,
            date=e.date.isoformat(),
            start_time=f"{e.start_time:%H:%M}",
            end_time=f"{e.end_time:%H:%M}",
            service_types=e.service_types,
            text=domain.outreach_text(e, catalog),
        )

    async def ListOutreachEvents(self, request, context):
        return await asyncio.to_thread(self._outreach_list, current_caller())

    def _outreach_list(self, caller: Caller):
        caller.require_household()
        t = self.now()
        today = domain.district_date(t)
        town = caller.area_code[:9]
        with self.db.transaction() as s:
            rows = store.outreach_events_from(s, town, today.isoformat())
        catalog = self.catalog_on(t)
        return servicedesk_pb2.ListOutreachEventsResponse(
            events=[self._event_proto(e, catalog) for e in domain.upcoming([outreach_of(r) for r in rows], town, today)]
        )

    async def CreateOutreachEvent(self, request, context):
        return await asyncio.to_thread(self._outreach_create, current_caller(), request)

    def _outreach_create(self, caller: Caller, request):
        domain.managed_point(caller, self.points)
        t = self.now()
        catalog = self.catalog_on(t)
        day, start, end = domain.parse_outreach_event(
            request.date,
            request.start_time,
            request.end_time,
            request.area_code,
            request.place,
            tuple(request.service_types),
            catalog,
            domain.district_date(t),
        )
        point = domain.may_schedule_outreach(caller, request.area_code, self.points)
        with self.db.transaction() as s:
            row = store.OutreachEventRow(
                service_point_code=point.code,
                area_code=request.area_code,
                place=request.place,
                date=day.isoformat(),
                start_time=f"{start:%H:%M}",
                end_time=f"{end:%H:%M}",
                service_types=json.dumps(list(request.service_types)),
                created_by=caller.subject,
                created_at=t,
            )
            s.add(row)
            s.flush()
            return self._event_proto(outreach_of(row), catalog)

    # --- ratings and rectification ---

    async def RateServiceRequest(self, request, context):
        caller = current_caller()
        indicators = dict(request.indicators)

        def check(row, point):
            caller.require_household()
            domain.validate_rating(request.level, indicators, request.comment)
            if row.rating_level:
                raise FailedPrecondition("this request has been rated already (one rating per request)")
            if row.state not in domain.RATABLE_STATES:
                raise FailedPrecondition(f"a request that is {row.state} cannot be rated yet")

        def change(s, row, t):
            row.rating_level, row.rating_comment, row.rated_at = request.level, request.comment, t
            row.rating_indicators = json.dumps(indicators, sort_keys=True)
            bad = request.level in domain.BAD_LEVELS
            if bad:
                row.rectification_deadline = domain.add_working_days(
                    t, self.catalog_of(row).rule("rectification_working_days")
                )
            if row.state == State.RESOLVED:
                row.state = domain.transition(row.state, State.CLOSED)
            events.request_rated(s, row, bad)
            return f"rated {request.level}"

        return await asyncio.to_thread(self._act, caller, request.id, check, change)

    async def RecordRectificationFollowUp(self, request, context):
        caller = current_caller()

        def check(row, point):
            domain.require_manager_of(caller, point)
            domain.validate_reason(request.reason, required=True)
            if not row.rectification_deadline:
                raise FailedPrecondition("this request has no rectification case")
            if row.rectified_at:
                raise FailedPrecondition("the follow-up of this rectification case is recorded already")

        def change(s, row, t):
            row.rectification_follow_up, row.rectified_at = request.reason, t
            events.rectification_followed_up(s, row, on_time=t <= aware(row.rectification_deadline))
            s.add(
                store.AuditEntryRow(
                    request_id=row.id,
                    from_state=row.state,
                    to_state=row.state,
                    actor_id=caller.subject,
                    actor_role=role_of(caller),
                    channel="staff_app",
                    reason="rectification follow-up: " + request.reason,
                    at=t,
                )
            )
            return request.reason

        return await asyncio.to_thread(self._act, caller, request.id, check, change)


def on_a_point_staff(caller: Caller, points: domain.ServicePoints) -> bool:
    return any(domain.outreach_staff(caller, p) for p in points.points.values())


def filing_note(consent: str, outreach_event_id: str, home_visit: str) -> str:
    parts = [consent] if consent else []
    if outreach_event_id:
        parts.append(f"outreach event {outreach_event_id}")
    if home_visit:
        parts.append(f"home visit ({home_visit})")
    return "; ".join(parts)


def outreach_of(row: store.OutreachEventRow) -> domain.OutreachEvent:
    return domain.OutreachEvent(
        row.id,
        row.service_point_code,
        row.area_code,
        row.place,
        dt.date.fromisoformat(row.date),
        dt.time.fromisoformat(row.start_time),
        dt.time.fromisoformat(row.end_time),
        tuple(json.loads(row.service_types)),
    )


def metrics_proto(m: dict) -> servicedesk_pb2.PointMetrics:
    def pct(name):
        return None if m[name] is None else DoubleValue(value=round(m[name], 2))

    return servicedesk_pb2.PointMetrics(
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


def resume(row: store.ServiceRequestRow, t: dt.datetime) -> None:
    """The citizen is back: the time waited moves the deadline on."""
    if row.waiting_since:
        waited = t - aware(row.waiting_since)
        row.paused_seconds += int(waited.total_seconds())
        row.deadline_at = aware(row.deadline_at) + waited
        row.waiting_since = None
