"""E-government's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the
domain's), no SQL (the store's). Two services on one server: EgovService for households, their
agents and every reader of the catalog; DepartmentService for the competent departments' systems."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable

from egov import domain, handlers
from egov.store import UnitOfWork
from rules import booking
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.households import Households, HouseholdsOnFile
from runtime.objects import ObjectStore
from runtime.times import to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.egov.v1 import egov_pb2 as pb
from sbc.egov.v1 import egov_pb2_grpc


def item_to_proto(item: domain.HandlingItem, catalog: domain.Catalog, version: str) -> pb.HandlingItem:
    g = item.guide
    return pb.HandlingItem(
        code=item.code,
        name=item.name,
        kind=item.kind,
        kind_name=item.kind_name,
        main_code=item.main_code,
        main_name=item.main_name,
        sub_code=item.sub_code,
        sub_name=item.sub_name,
        type=item.type,
        type_name=item.type_name,
        department=item.department,
        department_name=item.department_name,
        implementing_body=item.implementing_body,
        legal_basis=item.legal_basis,
        life_events=item.life_events,
        check=item.check,
        catalog_version=version,
        district_code=catalog.district_code,
        guide=pb.ServiceGuide(
            place=g.place,
            hours=g.hours,
            conditions=g.conditions,
            materials=[
                pb.Material(
                    code=m.code,
                    name=m.name,
                    form=m.form,
                    original_needed=m.original_needed,
                    from_certificate=m.from_certificate,
                    required=m.required,
                )
                for m in g.materials
            ],
            steps=[pb.Step(name=s.name, working_days=s.working_days, counts=s.counts) for s in g.steps],
            legal_time_limit_days=g.legal_time_limit,
            promised_time_limit_days=g.promised_time_limit,
            fee_fen=g.fee_fen,
            fee=g.fee_text,
            commitment=g.commitment,
            visits=g.visits,
            online=g.online,
            consult=g.consult,
            complain=g.complain,
            correction_stops_clock=g.correction_stops_clock,
        ),
    )


# WatchQueue reads the queue this many at a time, and looks again at least this often (a
# submission committed by another replica of the server is found so; this one's wakes it at once).
QUEUE_BATCH = 100
QUEUE_POLL_SECONDS = 1.0


class Arrivals:
    """Wakes the open queue streams when this server has committed a submission."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def next(self) -> asyncio.Event:
        """What the next arrival sets."""
        return self._event

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, arrival: asyncio.Event, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(arrival.wait(), timeout)


def appointment_to_proto(a: domain.Appointment, catalog: domain.Catalog, now: dt.datetime) -> pb.Appointment:
    hall, window = catalog.halls.names(a.hall_code, a.window_code)
    return pb.Appointment(
        id=a.id,
        application_id=a.application_id,
        slot_id=a.slot_id,
        hall_code=a.hall_code,
        hall_name=hall,
        window_code=a.window_code,
        window_name=window,
        starts_at=to_timestamp(a.starts_at),
        ends_at=to_timestamp(a.ends_at),
        state=a.shown_state(now),
        cancel_until=to_timestamp(booking.cancel_deadline(catalog.halls.policy, a.starts_at, catalog.time_zone)),
    )


def slot_to_proto(ref: domain.SlotRef, places_left: int) -> pb.AppointmentSlot:
    return pb.AppointmentSlot(
        id=ref.id,
        hall_code=ref.hall.code,
        hall_name=ref.hall.name,
        hall_address=ref.hall.address,
        window_code=ref.window.code,
        window_name=ref.window.name,
        starts_at=to_timestamp(ref.starts_at),
        ends_at=to_timestamp(ref.ends_at),
        places_left=places_left,
    )


def to_proto(
    app: domain.Application, catalogs: domain.Catalogs, given: list | None = None, now: dt.datetime | None = None
) -> pb.Application:
    rating = None
    if app.rating_level:
        rating = pb.Rating(
            level=app.rating_level,
            indicators=app.indicators,
            reasons=[r for r in app.rating_reasons.split(",") if r],
            comment=app.rating_comment,
            at=to_timestamp(app.rated_at),
            rectification_due=to_timestamp(app.rectification_due),
            call_back_due=to_timestamp(app.call_back_due),
            called_back_at=to_timestamp(app.called_back_at),
            call_back_note=app.call_back_note,
            rectified_at=to_timestamp(app.rectified_at),
            rectification_note=app.rectification_note,
            again=pb.Rating.Again(
                level=app.rerating_level, comment=app.rerating_comment, at=to_timestamp(app.rerated_at)
            )
            if app.rerating_level
            else None,
        )
    catalog = catalogs.of(app.district_code)
    labels = catalog.state_labels
    now = now or utcnow()
    return pb.Application(
        id=app.id,
        household_id=app.household_id,
        area_code=app.area_code,
        item_code=app.item_code,
        item_name=app.item_name,
        department=app.department,
        catalog_version=app.catalog_version,
        channel=app.channel,
        state=app.state,
        state_label=labels.get(app.state, app.state),
        created_at=to_timestamp(app.created_at),
        submitted_at=to_timestamp(app.submitted_at),
        deadline=to_timestamp(app.deadline),
        correction=app.correction,
        handed_to=app.handed_to,
        correction_materials=[m for m in app.correction_materials.split(",") if m],
        decision_reason=app.decision_reason,
        decision_basis=app.decision_basis,
        decided_at=to_timestamp(app.decided_at),
        materials=[
            pb.MaterialGiven(
                code=m.code,
                file_name=m.file_name,
                media_type=m.media_type,
                size=m.size,
                sha256=m.sha256,
                added_at=to_timestamp(m.added_at),
            )
            for m in given or []
        ],
        steps=[
            pb.ApplicationStep(
                n=s.n,
                action=s.action,
                from_state=s.from_state,
                to_state=s.to_state,
                actor=s.actor,
                actor_kind=s.actor_kind,
                actor_name=s.actor_name,
                on_behalf_of=s.on_behalf_of,
                authority=s.authority,
                detail=s.detail,
                at=to_timestamp(s.at),
            )
            for s in app.steps
        ],
        rating=rating,
        visits=app.visits,
        appointments=[appointment_to_proto(a, catalog, now) for a in app.appointments],
        consent=pb.Consent(
            id=app.consent_id,
            given_by=app.consent_given_by,
            given_at=to_timestamp(app.consent_given_at),
            item_code=app.item_code,
        )
        if app.consent_id
        else None,
    )


class EgovServicer(egov_pb2_grpc.EgovServiceServicer):
    def __init__(
        self,
        db: Database,
        catalogs: domain.Catalogs,
        clock: Callable[[], dt.datetime] = utcnow,
        households: Households | None = None,
        objects: ObjectStore | None = None,
    ):
        self.db = db
        self.catalogs = catalogs
        # Where materials' files are kept: the object store when one is configured, else the database.
        self.objects = objects
        # Identity's registered households, for an agent's filing (tests hand in some on file).
        self.households = households or HouseholdsOnFile({})
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock
        self.department = DepartmentServicer(self)
        self.arrivals = Arrivals()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    def shown(self, view: handlers.Shown) -> pb.Application:
        app, given = view
        return to_proto(app, self.catalogs, given, self.now())

    def listed(self, app: domain.Application) -> pb.Application:
        return to_proto(app, self.catalogs, None, self.now())

    def page(self, found: tuple[list[domain.Application], str]) -> pb.ListApplicationsResponse:
        apps, next_token = found
        return pb.ListApplicationsResponse(
            applications=[self.listed(a) for a in apps],
            page=common_pb2.PageResponse(next_page_token=next_token),
        )

    async def ListItems(self, request, context):
        r = request
        catalog, version, items = handlers.list_items(
            self.catalogs, current_caller(), r.district_code, r.on_date, r.keyword, r.life_event, self.now()
        )
        return pb.ListItemsResponse(
            district_code=catalog.district_code,
            district_name=catalog.district_name,
            version=version.version,
            effective_from=version.effective_from.isoformat(),
            items=[item_to_proto(i, catalog, version.version) for i in items],
        )

    async def GetItem(self, request, context):
        catalog, version, item = handlers.get_item(
            self.catalogs, current_caller(), request.district_code, request.code, request.on_date, self.now()
        )
        return item_to_proto(item, catalog, version.version)

    async def ListMyCertificates(self, request, context):
        found = await run_sync(handlers.my_certificates, self.uow(), current_caller())
        return pb.ListCertificatesResponse(certificates=[certificate_to_proto(c) for c in found])

    async def GetFigures(self, request, context):
        found = await run_sync(handlers.district_figures, self.uow(), self.catalogs, current_caller())
        return pb.Figures(
            district=tally_to_proto(found.district),
            items=[tally_to_proto(t) for t in found.items],
            departments=[tally_to_proto(t) for t in found.departments],
            towns=[tally_to_proto(t) for t in found.towns],
            agency_points=[tally_to_proto(t) for t in found.agency_points],
            as_of=to_timestamp(self.now()),
        )

    async def GiveConsent(self, request, context):
        consent, code, item = await run_sync(
            handlers.give_consent, self.uow(), self.catalogs, current_caller(), request.item_code, self.now()
        )
        return pb.ConsentCode(
            code=code, expires_at=to_timestamp(consent.expires_at), item_code=consent.purpose, item_name=item.name
        )

    async def StartApplication(self, request, context):
        r = request
        proxy = handlers.Proxy(r.household_id, r.household_area_code, r.consent)
        view = await run_sync(
            handlers.start_application,
            self.uow(),
            self.catalogs,
            self.households,
            current_caller(),
            r.item_code,
            r.idempotency_key,
            r.channel,
            proxy,
            self.now(),
        )
        return self.shown(view)

    async def AddMaterial(self, request, context):
        r = request
        view = await run_sync(
            handlers.add_material,
            self.uow(),
            self.catalogs,
            current_caller(),
            r.application_id,
            r.material_code,
            r.file_name,
            r.media_type,
            r.content,
            self.now(),
            self.objects,
        )
        return self.shown(view)

    async def HandOverDraft(self, request, context):
        caller, r = current_caller(), request
        return self.shown(await run_sync(handlers.hand_over_draft, self.uow(), caller, r.id, r.to_agent, self.now()))

    async def TakeOverDraft(self, request, context):
        caller = current_caller()
        return self.shown(await run_sync(handlers.take_over_draft, self.uow(), caller, request.id, self.now()))

    async def SubmitApplication(self, request, context):
        caller = current_caller()
        view = await run_sync(handlers.submit_application, self.uow(), self.catalogs, caller, request.id, self.now())
        self.arrivals.notify()
        return self.shown(view)

    async def GetApplication(self, request, context):
        return self.shown(await run_sync(handlers.get_application, self.uow(), current_caller(), request.id))

    async def GetMaterial(self, request, context):
        m = await run_sync(
            handlers.get_material,
            self.uow(),
            self.catalogs,
            current_caller(),
            request.application_id,
            request.material_code,
            self.objects,
        )
        return pb.MaterialFile(code=m.code, file_name=m.file_name, media_type=m.media_type, content=m.content)

    async def ListMyApplications(self, request, context):
        return self.page(await run_sync(handlers.list_my_applications, self.uow(), current_caller(), request.page))

    async def RateApplication(self, request, context):
        r = request
        view = await run_sync(
            handlers.rate_application,
            self.uow(),
            self.catalogs,
            current_caller(),
            r.id,
            r.level,
            dict(r.indicators),
            list(r.reasons),
            r.comment,
            self.now(),
        )
        return self.shown(view)

    async def ListAppointmentSlots(self, request, context):
        _, slots = await run_sync(
            handlers.appointment_slots, self.uow(), self.catalogs, current_caller(), request.id, self.now()
        )
        return pb.ListAppointmentSlotsResponse(slots=[slot_to_proto(ref, left) for ref, left in slots])

    async def BookAppointment(self, request, context):
        r, now = request, self.now()
        catalog, a = await run_sync(
            handlers.book_appointment, self.uow(), self.catalogs, current_caller(), r.application_id, r.slot_id, now
        )
        return appointment_to_proto(a, catalog, now)

    async def CancelAppointment(self, request, context):
        now = self.now()
        catalog, a = await run_sync(
            handlers.cancel_appointment, self.uow(), self.catalogs, current_caller(), request.id, now
        )
        return appointment_to_proto(a, catalog, now)


def certificate_to_proto(c: domain.Certificate) -> pb.Certificate:
    return pb.Certificate(
        id=c.id,
        household_id=c.household_id,
        kind=c.kind,
        name=c.name,
        number=c.number,
        holder=c.holder,
        issuer=c.issuer,
        issued_at=to_timestamp(c.issued_at),
        application_id=c.application_id,
    )


class DepartmentServicer(egov_pb2_grpc.DepartmentServiceServicer):
    def __init__(self, egov: EgovServicer):
        self.egov = egov

    async def _step(self, step: str, r, missing=()) -> pb.Application:
        e = self.egov
        view = await run_sync(
            handlers.department_step,
            e.uow(),
            e.catalogs,
            current_caller(),
            step,
            r.id,
            r.reason,
            getattr(r, "legal_basis", ""),
            missing,
            e.now(),
        )
        return e.shown(view)

    async def ListQueue(self, request, context):
        e = self.egov
        found = await run_sync(
            handlers.department_queue, e.uow(), e.catalogs, current_caller(), list(request.states), request.page
        )
        return e.page(found)

    async def WatchQueue(self, request, context):
        e, caller = self.egov, current_caller()
        cursor = await run_sync(handlers.watch_queue_from, e.uow(), e.catalogs, caller, request.after)
        if not request.after:
            seq = 0  # the queue first, a batch at a time
            while batch := await run_sync(handlers.queued, e.uow(), e.catalogs, caller, seq, QUEUE_BATCH):
                for app in batch:
                    yield pb.QueueEntry(cursor=str(cursor), action="queued", application=e.listed(app))
                seq = batch[-1].seq
        while True:
            arrival = e.arrivals.next()  # taken before looking, so a commit in between is not slept through
            entries = await run_sync(handlers.queue_since, e.uow(), e.catalogs, caller, cursor, QUEUE_BATCH)
            for cursor, action, app in entries:
                yield pb.QueueEntry(cursor=str(cursor), action=action, application=e.listed(app))
            if len(entries) < QUEUE_BATCH:
                await e.arrivals.wait(arrival, QUEUE_POLL_SECONDS)

    async def GetApplication(self, request, context):
        e = self.egov
        return e.shown(await run_sync(handlers.department_get, e.uow(), e.catalogs, current_caller(), request.id))

    async def AcceptApplication(self, request, context):
        return await self._step("accept", request)

    async def ReturnForCorrection(self, request, context):
        return await self._step("return", request, list(request.missing_materials))

    async def RejectApplication(self, request, context):
        return await self._step("reject", request)

    async def ApproveApplication(self, request, context):
        return await self._step("approve", request)

    async def RefuseApplication(self, request, context):
        return await self._step("refuse", request)

    async def RecordCallBack(self, request, context):
        return await self._step("call_back", request)

    async def RecordRectification(self, request, context):
        return await self._step("rectify", request)

    async def IssueCertificate(self, request, context):
        return await self._step("issue_certificate", request)

    async def CloseApplication(self, request, context):
        return await self._step("close", request)

    async def RegisterCertificate(self, request, context):
        e, r = self.egov, request
        certificate = await run_sync(
            handlers.register_certificate,
            e.uow(),
            e.catalogs,
            e.households,
            current_caller(),
            r.household_id,
            r.kind,
            r.number,
            r.holder,
            e.now(),
        )
        return certificate_to_proto(certificate)

    async def RecordVisit(self, request, context):
        e, now = self.egov, self.egov.now()
        catalog, a = await run_sync(handlers.record_visit, e.uow(), e.catalogs, current_caller(), request.id, now)
        return appointment_to_proto(a, catalog, now)


def register(servicer: EgovServicer, server) -> None:
    egov_pb2_grpc.add_EgovServiceServicer_to_server(servicer, server)
    egov_pb2_grpc.add_DepartmentServiceServicer_to_server(servicer.department, server)


def tally_to_proto(t: domain.Tally) -> pb.Tally:
    return pb.Tally(
        code=t.code,
        name=t.name,
        applications=t.applications,
        by_channel=t.by_channel,
        done=t.done,
        on_time=t.on_time,
        on_time_rate=t.on_time_rate,
        average_visits=t.average_visits,
        no_visit_share=t.no_visit_share,
        at_most_one_visit_share=t.at_most_one_visit_share,
        rated=t.rated,
        satisfaction=t.satisfaction,
        bad_ratings=t.bad,
        rectified=t.rectified,
    )
