"""The service desk's use cases: each loads aggregates through a unit of work, lets the domain
decide, and commits the change with the events it recorded (and so its audit entries). Called by
the servicer (from the aio server, on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from runtime import paging
from runtime.auth import Caller
from runtime.districts import check_district_code
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from runtime.households import Households
from servicedesk import domain, store
from servicedesk.store import UnitOfWork


@dataclass(frozen=True)
class Desk:
    """What the service desk works from (data, per district): the published standards, the
    service points with their rosters, the assessment scheme."""

    standards: domain.Standards
    points: domain.ServicePoints
    scheme: dict

    @classmethod
    def load(
        cls, catalog_data: dict | None = None, points_data: dict | None = None, scheme: dict | None = None
    ) -> Desk:
        """From the data files the service ships with (or the data handed in)."""
        scheme = scheme or store.load_assessment_scheme()
        domain.validate_scheme(scheme)
        return cls(
            domain.Standards(catalog_data or store.load_catalog_data()),
            domain.ServicePoints.from_data(points_data or store.load_service_points_data()),
            scheme,
        )

    def catalog_of(self, request: domain.ServiceRequest) -> domain.Catalog:
        """The standard a request was filed under (it keeps it for life)."""
        return self.standards.named(request.catalog_version)


@dataclass(frozen=True)
class Desks:
    """Every district's desk, by district code (the first 6 digits of an area code). A caller works
    at their own district's desk: its standards, its points and rosters, so that staff of one
    district never find another's requests, and households see their own district's catalog."""

    by_district: dict[str, Desk]
    outreach_seeds: dict[str, list[dict]]

    @classmethod
    def load(cls) -> Desks:
        """Every district's data (store.load_district_data: built in, and DISTRICTS_DIR's)."""
        desks, seeds = {}, {}
        for code, data in store.load_district_data().items():
            desks[code] = Desk.load(data["standards"], data["service_points"], data["assessment_scheme"])
            seeds[code] = data["outreach_events"]["events"]
        return cls.of(desks, seeds)

    @classmethod
    def of(cls, desks: Mapping[str, Desk], seeds: Mapping[str, list[dict]] | None = None) -> Desks:
        seen: dict[str, str] = {}
        for code, desk in desks.items():
            if desk.points.district_code != code:
                raise ValueError(f"the service points of district {code} are for {desk.points.district_code}")
            for point in desk.points.points.values():
                if point.code in seen:
                    raise ValueError(f"service point {point.code} is in district {seen[point.code]} and {code}")
                seen[point.code] = code
        return cls(dict(desks), {code: list((seeds or {}).get(code, ())) for code in desks})

    @property
    def pilot(self) -> Desk:
        return next(iter(self.by_district.values()))

    def of_caller(self, caller: Caller) -> Desk:
        """The caller's district's desk (the first district's for a caller of no area, whose rules
        then refuse what is not theirs); none for a caller of a district the desk does not serve."""
        if not caller.area_code:
            return self.pilot
        desk = self.by_district.get(caller.area_code[:6])
        if desk is None:
            raise FailedPrecondition(
                f"no service desk serves district {caller.area_code[:6]!r}",
                {"area_code": "outside the districts served"},
            )
        return desk

    def published(self, caller: Caller, district_code: str) -> Desk:
        """The desk whose published standards and points are read: a named district's (anyone signed
        in may read any district's, as its handbook publishes them), else the caller's own."""
        if not district_code:
            return self.of_caller(caller)
        check_district_code(district_code)
        desk = self.by_district.get(district_code)
        if desk is None:
            raise NotFound(f"no service desk serves district {district_code!r}", {"district_code": "not served"})
        return desk

    def technician_roster(self) -> dict[str, str]:
        return {t: p for desk in self.by_district.values() for t, p in desk.points.technician_roster().items()}


def open_desk(uow: UnitOfWork, desks: Desks, now: dt.datetime) -> None:
    """At start: the technicians' table holds every district's roster, and each district's seed
    schedule of outreach events is kept (those not kept yet). A seed event that breaks the rules
    stops the start."""
    seeded = [
        domain.OutreachEvent.from_seed(e, desk.standards.at(now), desk.points)
        for code, desk in desks.by_district.items()
        for e in desks.outreach_seeds[code]
    ]
    with uow:
        uow.technicians.keep_roster(desks.technician_roster())
        uow.outreach_events.add_missing(seeded)
        uow.commit()


# --- the catalog and the service points ---


def catalog(desk: Desk, caller: Caller, on_date: str, now: dt.datetime) -> domain.Catalog:
    """The standards in force on a day (today in the district, by default)."""
    _signed_in(caller)
    if not on_date:
        return desk.standards.at(now)
    try:
        day = dt.date.fromisoformat(on_date)
    except ValueError:
        raise InvalidArgument("on_date must be YYYY-MM-DD", {"on_date": "not a date"}) from None
    return desk.standards.in_force_on(day)


def service_points(desk: Desk, caller: Caller) -> list[domain.ServicePoint]:
    _signed_in(caller)
    return list(desk.points.points.values())


def _signed_in(caller: Caller) -> None:
    if not caller.subject:
        raise PermissionDenied("sign in first")


# --- filing ---


def file_request(
    uow: UnitOfWork,
    desk: Desk,
    households: Households,
    caller: Caller,
    new: domain.NewRequest,
    now: dt.datetime,
) -> domain.ServiceRequest:
    household_id = domain.household_to_look_up(caller, new, desk.points)
    if household_id:
        # Staff filing for a household: the area the rules check is identity's (asked before any
        # transaction is open), never the one typed in.
        new = domain.as_registered(new, households.area_of(household_id))
    filing = domain.Filing.of(caller, new, desk.standards.at(now), desk.points)
    new = filing.new
    try:
        with uow:
            event = None
            if filing.at_outreach_event:
                event = uow.outreach_events.get(new.outreach_event_id)
                if event is None:
                    raise NotFound(f"no outreach event {new.outreach_event_id!r}")
            request = domain.ServiceRequest.file(filing, desk.points, now, event)
            # No look-up first: the key's unique constraint finds a replay (one query less on every
            # filing, the write path's most common call; a replay is rare).
            uow.requests.add(request)
            uow.commit()
            return request
    except IntegrityError:
        # The key was filed before, or at the same moment (a retry racing the first try): that one
        # stands, and is answered if it is the same request.
        with uow:
            existing = uow.requests.by_idempotency_key(filing.by.id, new.idempotency_key)
            if existing is None:
                raise
            return existing.replayed(caller, new)


# --- reading ---


def get_request(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str) -> domain.ServiceRequest:
    domain.require_reader(caller, desk.points)
    with uow:
        return _visible(uow, desk, caller, request_id)


def audit_entries(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str) -> list[domain.AuditEntry]:
    domain.require_reader(caller, desk.points)
    with uow:
        _visible(uow, desk, caller, request_id)
        return uow.audit.of_request(request_id)


def _visible(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str) -> domain.ServiceRequest:
    check_id(request_id)
    request = uow.requests.get(request_id)
    point = desk.points.point_by_code(request.service_point_code) if request else None
    # Someone else's request is reported as not found: its existence is not theirs to know.
    if request is None or point is None or not request.readable_by(caller, point):
        raise NotFound(f"no service request {request_id!r}")
    return request


Page = tuple[list[domain.ServiceRequest], str]


def my_requests(uow: UnitOfWork, caller: Caller, page) -> Page:
    """A page of the household's requests, newest first, and the next page's token ("" at the end)."""
    household_id = caller.require_household()
    size = paging.page_size(page)
    before = paging.page_token(page.page_token)
    with uow:
        return uow.requests.page_of_household(household_id, before, size)


def point_queue(uow: UnitOfWork, desk: Desk, caller: Caller, state: str, page) -> Page:
    """A page of the manager's point's open requests (or those in `state`), in the order of filing."""
    point = domain.managed_point(caller, desk.points)
    states = domain.queue_states(state)
    size = paging.page_size(page)
    after = paging.page_token(page.page_token)
    with uow:
        return uow.requests.page_of_point(point.code, states, after, size)


def my_jobs(uow: UnitOfWork, caller: Caller, page) -> Page:
    """A page of the technician's booked jobs, in the order of filing."""
    caller.require_role(domain.Role.TECHNICIAN)
    size = paging.page_size(page)
    after = paging.page_token(page.page_token)
    with uow:
        return uow.requests.page_of_technician(caller.username, domain.BOOKED_STATES, after, size)


# --- the steps of a request ---

Step = Callable[[domain.ServiceRequest, domain.ServicePoint], None]


def _take_step(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, step: Step) -> domain.ServiceRequest:
    """Load the request, locked, and let `step(request, its point)` decide; commit what it recorded."""
    check_id(request_id)
    with uow:
        request = uow.requests.get_for_update(request_id)
        point = desk.points.point_by_code(request.service_point_code) if request else None
        if request is None or point is None or request.hidden_from(caller):
            raise NotFound(f"no service request {request_id!r}")
        step(request, point)
        uow.commit()
        return request


def cancel(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    return _take_step(uow, desk, caller, request_id, lambda r, _: r.cancel(caller, reason, now))


def accept(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    return _take_step(uow, desk, caller, request_id, lambda r, p: r.accept(caller, p, reason, now))


def reject(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    return _take_step(uow, desk, caller, request_id, lambda r, p: r.reject(caller, p, reason, now))


def wait_for_citizen(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    def step(r: domain.ServiceRequest, p: domain.ServicePoint) -> None:
        r.wait_for_citizen(caller, p, reason, now, desk.catalog_of(r))

    return _take_step(uow, desk, caller, request_id, step)


def resume(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    return _take_step(uow, desk, caller, request_id, lambda r, p: r.resume(caller, p, reason, now))


def dispatch(
    uow: UnitOfWork,
    desk: Desk,
    caller: Caller,
    request_id: str,
    technician: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    now: dt.datetime,
):
    def step(r: domain.ServiceRequest, p: domain.ServicePoint) -> None:
        # The technician's row is the lock: concurrent dispatches of one technician queue here,
        # so each sees the jobs booked before it.
        uow.technicians.lock(technician)
        booked = uow.requests.bookings(technician, domain.BOOKED_STATES, r.id)
        r.dispatch(caller, p, technician, start, end, booked, now, desk.catalog_of(r))

    return _take_step(uow, desk, caller, request_id, step)


def mark_on_site(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    return _take_step(uow, desk, caller, request_id, lambda r, _: r.mark_on_site(caller, reason, now))


def resolve(uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, reason: str, now: dt.datetime):
    return _take_step(uow, desk, caller, request_id, lambda r, _: r.resolve(caller, reason, now, desk.catalog_of(r)))


def rate(
    uow: UnitOfWork,
    desk: Desk,
    caller: Caller,
    request_id: str,
    level: str,
    indicators: Mapping[str, int],
    comment: str,
    now: dt.datetime,
):
    def step(r: domain.ServiceRequest, _: domain.ServicePoint) -> None:
        r.rate(caller, level, indicators, comment, now, desk.catalog_of(r))

    return _take_step(uow, desk, caller, request_id, step)


def follow_up_rectification(
    uow: UnitOfWork, desk: Desk, caller: Caller, request_id: str, follow_up: str, now: dt.datetime
):
    return _take_step(uow, desk, caller, request_id, lambda r, p: r.follow_up_rectification(caller, p, follow_up, now))


def check_id(request_id: str) -> None:
    if not request_id or len(request_id) > 36:
        raise InvalidArgument("id is required", {"id": "a request id"})


# --- the assessment ---


def assessment(
    uow: UnitOfWork, desk: Desk, caller: Caller, period: str, months: int, now: dt.datetime
) -> tuple[list[str], list[domain.PointAssessment]]:
    """The months covered, and every point's assessment for the last of them, ranked."""
    domain.require_district_manager(caller, desk.points)
    covered = domain.months_asked(period, months, now)
    first, _ = domain.month_bounds(covered[0])
    _, last = domain.month_bounds(covered[-1])
    with uow:
        cases = uow.cases.filed_between(first, last)
    return covered, domain.assess(list(desk.points.points.values()), cases, covered, desk.scheme, now)


def public_figures(uow: UnitOfWork, now: dt.datetime) -> tuple[str, int, int]:
    """The first month counted, the district's requests done since, and of those done on time:
    public (no sign-in), counts only."""
    covered = domain.months_asked("", domain.PUBLIC_MONTHS, now)
    first, _ = domain.month_bounds(covered[0])
    with uow:
        cases = uow.cases.filed_between(first, now)
    return (covered[0], *domain.public_figures(cases, now))


# --- outreach events ---


def upcoming_outreach(
    uow: UnitOfWork, desk: Desk, caller: Caller, now: dt.datetime
) -> tuple[list[domain.OutreachEvent], domain.Catalog]:
    """The household's town's events from today on (and the standards that name their services)."""
    caller.require_household()
    today = domain.district_date(now)
    town = caller.area_code[:9]
    with uow:
        found = uow.outreach_events.of_town_from(town, today)
    return domain.upcoming(found, town, today), desk.standards.at(now)


def schedule_outreach(
    uow: UnitOfWork,
    desk: Desk,
    caller: Caller,
    date: str,
    start_time: str,
    end_time: str,
    area_code: str,
    place: str,
    service_types: tuple[str, ...],
    now: dt.datetime,
) -> tuple[domain.OutreachEvent, domain.Catalog]:
    catalog = desk.standards.at(now)
    event = domain.OutreachEvent.schedule(
        caller, date, start_time, end_time, area_code, place, service_types, catalog, desk.points, now
    )
    with uow:
        uow.outreach_events.add(event)
        uow.commit()
    return event, catalog
