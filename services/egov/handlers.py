"""E-government's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (on the database
threads: runtime.aio.run_sync)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from egov import domain
from egov.domain import Role
from egov.store import UnitOfWork
from rules import acting, booking, ratings
from rules.acting import Actor, ActorKind
from runtime import paging
from runtime.auth import Caller, CallerKind
from runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unavailable,
    text_errors,
)
from runtime.households import Households
from runtime.objects import ObjectStore

log = logging.getLogger(__name__)
# An application, and the materials given for it (code, file name, media type, size, sha256, when).
Shown = tuple[domain.Application, list]

# --- the catalog ---


def parse_date(on_date: str, catalog: domain.Catalog, now: dt.datetime) -> dt.date:
    if not on_date:
        return catalog.today(now)
    try:
        if len(on_date) != 10:
            raise ValueError
        return dt.date.fromisoformat(on_date)
    except ValueError:
        raise InvalidArgument("on_date is a date, YYYY-MM-DD", {"on_date": "YYYY-MM-DD"}) from None


def list_items(
    catalogs: domain.Catalogs, caller: Caller, district: str, on_date: str, keyword: str, life_event: str, now
) -> tuple[domain.Catalog, domain.catalog.CatalogVersion, list[domain.HandlingItem]]:
    catalog = catalogs.for_area(caller.area_code, district)
    on = parse_date(on_date, catalog, now)
    return catalog, catalog.in_force(on), catalog.search(on, keyword, life_event)


def get_item(
    catalogs: domain.Catalogs, caller: Caller, district: str, code: str, on_date: str, now
) -> tuple[domain.Catalog, domain.catalog.CatalogVersion, domain.HandlingItem]:
    check_code(code)
    catalog = catalogs.for_area(caller.area_code, district)
    on = parse_date(on_date, catalog, now)
    return catalog, catalog.in_force(on), catalog.item(code, on)


# --- applications: the household or its agent ---


@dataclass(frozen=True)
class Proxy:
    """Whose business it is, as an agent states it (empty for a household on its own terminal)."""

    household_id: str = ""
    household_area_code: str = ""
    consent: str = ""


def _actor(caller: Caller, households: Households, proxy: Proxy = Proxy()) -> tuple[Actor, str, str]:
    """(the actor, the household, its area) of a call by a household or its village agent. For an
    agent the household and its area are identity's (asked before any transaction is open), never
    the typed ones."""
    area = proxy.household_area_code
    if not caller.is_household() and caller.kind == CallerKind.STAFF and Role.VILLAGE_AGENT in caller.roles:
        acting.check_proxy_fields(proxy.household_id, proxy.household_area_code, proxy.consent)
        area = acting.registered_area(proxy.household_id, area, households.area_of(proxy.household_id))
    actor = acting.for_household(caller, proxy.household_id, area, proxy.consent, agent_role=Role.VILLAGE_AGENT)
    if actor.kind == ActorKind.HOUSEHOLD:
        return actor, caller.household_id, caller.area_code
    return actor, proxy.household_id, area


def give_consent(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, item_code: str, now: dt.datetime
) -> tuple[acting.Consent, str, domain.HandlingItem]:
    """The household, on its own terminal, consents that its village agent files for it for one
    item: the consent, and the code its screen shows (to tell the agent)."""
    caller.require_household()
    check_code(item_code, "item_code")
    catalog = catalogs.of(caller.area_code[:6])
    item = catalog.item(item_code, catalog.today(now))
    consent, code = acting.Consent.give(caller, item.code, catalog.consent, now)
    with uow:
        uow.consents.add(consent)
        uow.commit()
    return consent, code, item


def start_application(
    uow: UnitOfWork,
    catalogs: domain.Catalogs,
    households: Households,
    caller: Caller,
    item_code: str,
    idempotency_key: str,
    channel: str,
    proxy: Proxy,
    now: dt.datetime,
) -> Shown:
    check_code(item_code, "item_code")
    actor, household_id, area_code = _actor(caller, households, proxy)
    if not channel:
        channel = "village_agent" if actor.kind == ActorKind.VILLAGE_AGENT else "set_top_box"
    # The household's own district's catalog: one district never sees another's applications.
    catalog = catalogs.of(area_code[:6])
    today = catalog.today(now)
    item = catalog.item(item_code, today)
    # Checked before the consent is used: a bad request never spends the household's code.
    domain.Application.check_start(actor, item, channel, idempotency_key)
    try:
        with uow:
            existing = uow.applications.by_idempotency_key(household_id, idempotency_key)
            if existing is not None:
                return _shown(uow, _replay(existing, item_code, household_id, actor))
            consent = _consent(uow, catalog, actor, household_id, item.code, proxy.consent, now)
            if consent is not None:
                actor = dataclasses.replace(actor, authority=consent.authority())
            app = domain.Application.start(
                actor,
                household_id,
                area_code,
                item,
                catalog,
                catalog.in_force(today).version,
                channel,
                idempotency_key,
                now,
                consent,
            )
            uow.applications.add(app)
            _fill_from_certificates(uow, catalog, app, actor, now)
            uow.commit()
            return _shown(uow, app)
    except IntegrityError:
        # The same key at the same moment (a retry racing the first try): that one stands.
        with uow:
            existing = uow.applications.by_idempotency_key(household_id, idempotency_key)
            if existing is None:
                raise
            return _shown(uow, _replay(existing, item_code, household_id, actor))


def _fill_from_certificates(
    uow: UnitOfWork, catalog: domain.Catalog, app: domain.Application, actor: Actor, now: dt.datetime
) -> None:
    """Every material the guide lets be taken from an electronic certificate that the household has
    in the registry is given from it: the citizen uploads nothing for it."""
    guide = catalog.version(app.catalog_version).items[app.item_code].guide
    wanted = {m.code for m in guide.materials if m.from_certificate}
    newest: dict[str, domain.Certificate] = {}
    for certificate in uow.certificates.of_household(app.household_id):
        if certificate.kind in wanted:
            newest.setdefault(certificate.kind, certificate)
    for certificate in newest.values():
        material = certificate.as_material(app.id, actor.subject, now)
        app.add_material(actor, material.code, material.file_name, now)
        uow.materials.replace(material)


def _consent(
    uow: UnitOfWork, catalog: domain.Catalog, actor: Actor, household_id: str, item_code: str, code: str, now
) -> acting.Consent | None:
    """An agent's filing redeems the household's consent code for the item (a wrong code is kept as
    a try, so guessing voids the consent); a household's own filing needs none."""
    if actor.kind != ActorKind.VILLAGE_AGENT:
        return None
    live = uow.consents.live_for(household_id, item_code, now)
    for consent in live:
        try:
            consent.redeem(actor.subject, household_id, item_code, code, catalog.consent, now)
            return consent
        except PermissionDenied:
            continue
    uow.commit()  # the failed tries count
    raise acting.not_confirmed()


def _replay(existing: domain.Application, item_code: str, household_id: str, actor: Actor) -> domain.Application:
    if not existing.is_same(item_code, household_id, actor):
        raise AlreadyExists(
            "this idempotency key was used for another application", {"idempotency_key": "already used"}
        )
    return existing


def _worked_on(uow: UnitOfWork, caller: Caller, application_id: str, for_update: bool = False):
    """The application the household (or the agent who started it) works on, and the actor."""
    if not caller.is_household() and not (caller.kind == CallerKind.STAFF and Role.VILLAGE_AGENT in caller.roles):
        raise PermissionDenied("this call is for a household's terminal or a village agent")
    check_id(application_id)
    app = (uow.applications.get_for_update if for_update else uow.applications.get)(application_id)
    actor = None if app is None else _actor_on(caller, app)
    if app is None or actor is None:
        raise NotFound(f"no application {application_id!r}", {"id": "not found"})
    return app, actor


def _actor_on(caller: Caller, app: domain.Application) -> Actor | None:
    """The household itself; or the agent who started it, while its village is still theirs, on the
    consent they recorded when they started it."""
    if caller.is_household():
        actor = Actor(caller.subject, ActorKind.HOUSEHOLD, caller.name)
        household_id = caller.household_id
    else:
        consent = app.steps[0].authority if app.steps else ""
        actor = Actor(caller.subject, ActorKind.VILLAGE_AGENT, caller.name, app.household_id, consent)
        household_id = app.household_id
        if caller.area_code != app.area_code:
            return None
    return actor if app.may_be_worked_on_by(actor, household_id) else None


def add_material(
    uow: UnitOfWork,
    catalogs: domain.Catalogs,
    caller: Caller,
    application_id: str,
    code: str,
    file_name: str,
    media_type: str,
    content: bytes,
    now: dt.datetime,
    objects: ObjectStore | None = None,
) -> Shown:
    with uow:
        app, actor = _worked_on(uow, caller, application_id, for_update=True)
        catalog = catalogs.of(app.district_code)
        guide = catalog.version(app.catalog_version).items[app.item_code].guide
        material = domain.Material.checked(
            app.id, guide, catalog.uploads, code, file_name, media_type, content, actor.subject, now
        )
        if objects is not None:
            # Before the commit: an acknowledged material always has its file (runtime.objects).
            material.kept_in(objects.put(material.content, material.media_type))
        app.add_material(actor, material.code, material.file_name, now)
        uow.materials.replace(material)
        uow.commit()
        return _shown(uow, app)


def submit_application(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, application_id: str, now: dt.datetime
) -> Shown:
    with uow:
        app, actor = _worked_on(uow, caller, application_id, for_update=True)
        catalog = catalogs.of(app.district_code)
        guide = catalog.version(app.catalog_version).items[app.item_code].guide
        app.submit(actor, guide, {m.code: m.added_at for m in uow.materials.given(app.id)}, catalog, now)
        uow.commit()
        return _shown(uow, app)


def hand_over_draft(uow: UnitOfWork, caller: Caller, application_id: str, to_agent: str, now: dt.datetime) -> Shown:
    """The draft's agent hands it to another agent of the same agency point (who takes it over)."""
    with uow:
        app, actor = _worked_on(uow, caller, application_id, for_update=True)
        app.hand_over(actor, caller.username, to_agent, now)
        uow.commit()
        return _shown(uow, app)


def take_over_draft(uow: UnitOfWork, caller: Caller, application_id: str, now: dt.datetime) -> Shown:
    """The agent a draft was handed to takes it over, on the household's consent it was started on."""
    check_id(application_id)
    with uow:
        app = uow.applications.get_for_update(application_id)
        if app is None:
            raise NotFound(f"no application {application_id!r}", {"id": "not found"})
        consent = app.steps[0].authority if app.steps else ""
        actor = acting.successor(caller, app.household_id, app.area_code, consent, agent_role=Role.VILLAGE_AGENT)
        app.take_over(actor, caller.username, now)
        uow.commit()
        return _shown(uow, app)


def get_application(uow: UnitOfWork, caller: Caller, application_id: str) -> Shown:
    with uow:
        app, _ = _worked_on(uow, caller, application_id)
        return _shown(uow, app)


def list_my_applications(uow: UnitOfWork, caller: Caller, page) -> tuple[list[domain.Application], str]:
    size, token = paging.page_size(page), paging.page_token(page.page_token)
    with uow:
        if caller.is_household():
            return uow.applications.page_of_household(caller.household_id, token, size)
        if Role.VILLAGE_AGENT in caller.roles:
            return uow.applications.page_of_agent(caller.subject, caller.username, caller.area_code, token, size)
    raise PermissionDenied("this call is for a household's terminal or a village agent")


def rate_application(
    uow: UnitOfWork,
    catalogs: domain.Catalogs,
    caller: Caller,
    application_id: str,
    level: str,
    indicators: Mapping[str, int],
    reasons: Collection[str],
    comment: str,
    now: dt.datetime,
) -> Shown:
    caller.require_household()  # the household itself rates, never its agent
    with uow:
        app, actor = _worked_on(uow, caller, application_id, for_update=True)
        app.rate(actor, level, indicators, comment, reasons, catalogs.of(app.district_code), now)
        uow.commit()
        return _shown(uow, app)


def get_material(
    uow: UnitOfWork,
    catalogs: domain.Catalogs,
    caller: Caller,
    application_id: str,
    code: str,
    objects: ObjectStore | None = None,
) -> domain.Material:
    check_code(code, "material_code")
    with uow:
        if caller.kind != CallerKind.DEPARTMENT:
            app, _ = _worked_on(uow, caller, application_id)
        else:
            app = _departments_application(uow, catalogs, caller, application_id)
        material = uow.materials.get(app.id, code)
        if material is None:
            raise NotFound(f"no material {code!r} on this application", {"material_code": "not found"})
    if material.object_key:
        if objects is None:
            raise Unavailable("this material is in the object store, which is not configured here (OBJECT_STORE_URL)")
        material.content = objects.get(material.object_key)
    return material


def _shown(uow: UnitOfWork, app: domain.Application) -> Shown:
    """An application with what is known of its materials (not their content), and its
    appointments loaded while the session is open."""
    app.appointments  # noqa: B018  (loads them)
    return app, uow.materials.given(app.id)


# --- appointments at the service hall ---


def _for_appointment(uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, application_id: str):
    """The application (locked), its actor and its catalog, if its item needs a visit."""
    app, actor = _worked_on(uow, caller, application_id, for_update=True)
    catalog = catalogs.of(app.district_code)
    app.check_appointment(catalog.version(app.catalog_version).items[app.item_code].guide)
    return app, actor, catalog


def appointment_slots(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, application_id: str, now: dt.datetime
) -> tuple[domain.Catalog, list[tuple[domain.SlotRef, int]]]:
    """The slots that can be booked now for the application, with their places left."""
    with uow:
        app, _, catalog = _for_appointment(uow, catalogs, caller, application_id)
        halls = catalog.halls
        refs = halls.calendar(app.department, now, halls.policy.opens_days_ahead or 7)
        booked = uow.slots.by_id([r.id for r in refs])
        shown = []
        for ref in refs:
            slot = booked.get(ref.id) or domain.HallSlot.of(ref)
            claims = slot.appointments
            if booking.bookable(
                halls.policy, capacity=slot.capacity, claims=claims, starts_at=ref.starts_at, now=now, zone=halls.zone
            ):
                shown.append((ref, slot.places_left(now)))
        return catalog, shown


def book_appointment(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, application_id: str, slot_id: str, now: dt.datetime
) -> tuple[domain.Catalog, domain.Appointment]:
    with uow:
        app, actor, catalog = _for_appointment(uow, catalogs, caller, application_id)
        halls = catalog.halls
        ref = halls.slot(slot_id, app.department)
        slot = uow.slots.locked(ref)  # every booking of this slot waits here: never double-booked
        theirs = uow.appointments.of_household(app.household_id)
        ahead = any(a.application_id == app.id and a.active(now) for a in theirs)
        missed = domain.missed_times(theirs, now)
        appointment = slot.book(
            ref, app.id, app.household_id, actor.subject, halls.policy, halls.zone, ahead, missed, now
        )
        app.appointment_booked(actor, _where(catalog, appointment), halls.visit(appointment), now)
        uow.commit()
        return catalog, appointment


def cancel_appointment(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, appointment_id: str, now: dt.datetime
) -> tuple[domain.Catalog, domain.Appointment]:
    check_id(appointment_id)
    with uow:
        appointment = uow.appointments.get(appointment_id)
        try:
            if appointment is None:
                raise NotFound("")
            app, actor = _worked_on(uow, caller, appointment.application_id, for_update=True)
        except NotFound:
            raise NotFound(f"no appointment {appointment_id!r}", {"id": "not found"}) from None
        catalog = catalogs.of(app.district_code)
        appointment.cancel(catalog.halls.policy, catalog.halls.zone, now)
        app.appointment_cancelled(actor, _where(catalog, appointment), catalog.halls.visit(appointment), now)
        uow.commit()
        return catalog, appointment


def record_visit(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, appointment_id: str, now: dt.datetime
) -> tuple[domain.Catalog, domain.Appointment]:
    """The department records at its window that the household came for its appointment."""
    actor = acting.department_actor(caller, Role.DEPARTMENT_OFFICER)
    check_id(appointment_id)
    with uow:
        appointment = uow.appointments.get(appointment_id)
        try:
            if appointment is None:
                raise NotFound("")
            app = _departments_application(uow, catalogs, caller, appointment.application_id)
        except NotFound:
            raise NotFound(f"no appointment {appointment_id!r} for your department", {"id": "not found"}) from None
        catalog = catalogs.of(app.district_code)
        appointment.visit(catalog.halls.zone, now)
        app.visited(actor, _where(catalog, appointment), now)
        uow.commit()
        return catalog, appointment


def _where(catalog: domain.Catalog, appointment: domain.Appointment) -> str:
    hall, window = catalog.halls.names(appointment.hall_code, appointment.window_code)
    return f"{hall} {window} {appointment.starts_at.astimezone(catalog.time_zone):%Y-%m-%d %H:%M}"


# --- the scheduler: the steps nobody asks for ---


def remind_appointments(uow: UnitOfWork, catalogs: domain.Catalogs, now: dt.datetime) -> int:
    """The day before an appointment, its TV reminder, once (each in its own transaction, the
    application locked and the rule checked again, so two schedulers never remind twice). How many."""
    with uow:
        due = [
            a.id
            for a, district in uow.appointments.confirmed_unreminded(now)
            if a.reminder_due(catalogs.of(district).halls.policy, catalogs.of(district).halls.zone, now)
        ]
    sent = 0
    for appointment_id in due:
        try:
            sent += _remind(uow, catalogs, appointment_id, now)
        except Exception:  # one broken appointment never holds back the others' reminders
            log.exception("egov scheduler: the reminder of appointment %s failed", appointment_id)
    return sent


def _remind(uow: UnitOfWork, catalogs: domain.Catalogs, appointment_id: str, now: dt.datetime) -> int:
    with uow:
        appointment = uow.appointments.get(appointment_id)  # locked, then its application, as cancelling does
        app = uow.applications.get_for_update(appointment.application_id) if appointment else None
        if appointment is None or app is None:
            return 0
        catalog = catalogs.of(app.district_code)
        if not appointment.reminder_due(catalog.halls.policy, catalog.halls.zone, now):
            return 0
        guide = catalog.version(app.catalog_version).items[app.item_code].guide
        appointment.reminded(now)
        app.remind_of_appointment(_where(catalog, appointment), catalog.halls.visit(appointment), guide, now)
        uow.commit()
        return 1


def invite_ratings(uow: UnitOfWork, catalogs: domain.Catalogs, now: dt.datetime) -> int:
    """Every application still unrated the district's days after its completion is invited to be
    rated on the TV, once. How many."""
    sent = 0
    for catalog in catalogs.by_district.values():
        days = catalog.rating.invite_after_days
        with uow:
            due = uow.applications.unrated_uninvited(catalog.district_code, ratings.invite_if_completed_by(now, days))
        for application_id in due:
            try:
                with uow:
                    app = uow.applications.get_for_update(application_id)
                    if app is None or not app.rating_invitation_due(days, now):
                        continue
                    app.invite_rating(now)
                    uow.commit()
                    sent += 1
            except Exception:  # one broken application never holds back the others' invitations
                log.exception("egov scheduler: the invitation to rate application %s failed", application_id)
    return sent


# --- the competent department ---


def _departments_application(uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, application_id: str):
    check_id(application_id)
    catalog = catalogs.for_area(caller.area_code)
    mine = domain.departments_of(caller, catalog)
    app = uow.applications.get_for_update(application_id)
    # Another department's application, or one from outside its area, is not found: 0 reads across departments.
    if app is None or not domain.department_may_handle(caller, mine, app.department, app.area_code):
        raise NotFound(f"no application {application_id!r} for your department", {"id": "not found"})
    return app


def department_queue(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, states: Collection[str], page
) -> tuple[list[domain.Application], str]:
    catalog = catalogs.for_area(caller.area_code)
    mine = domain.departments_of(caller, catalog)
    known = {v for k, v in vars(domain.State).items() if k.isupper()}
    if set(states) - known or len(states) > len(known):
        raise InvalidArgument("unknown state", {"states": "among " + ", ".join(sorted(known))})
    size, token = paging.page_size(page), paging.page_token(page.page_token)
    with uow:
        wanted = tuple(states) or domain.OPEN_FOR_DEPARTMENT
        return uow.applications.page_of_departments(mine, caller.area_code, wanted, token, size)


# A WatchQueue cursor: a queue_feed seq, as digits.
MAX_CURSOR = 19


def watch_queue_from(uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, after: str) -> int:
    """Where a department's queue stream starts: after the cursor it gave, or (none given) after the
    newest entry now, once its queue has been sent. Refused to anyone but a department."""
    domain.departments_of(caller, catalogs.for_area(caller.area_code))
    if len(after) > MAX_CURSOR or (after and not after.isdigit()):
        raise InvalidArgument("a cursor is the digits of an entry's cursor", {"after": "malformed"})
    with uow:
        newest = uow.queue.newest()
    if after and int(after) > newest:
        raise InvalidArgument("no such cursor: the queue has no entry that far", {"after": "not given by this service"})
    return int(after) if after else newest


def queued(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, after_seq: int, limit: int
) -> list[domain.Application]:
    """The department's queue now (submitted and accepted), oldest first, a batch at a time."""
    mine = domain.departments_of(caller, catalogs.for_area(caller.area_code))
    with uow:
        return uow.applications.queued_for_departments(mine, caller.area_code, after_seq, limit)


def queue_since(
    uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, seq: int, limit: int
) -> list[tuple[int, str, domain.Application]]:
    """What came into the department's queue after the cursor: (cursor, action, application)."""
    mine = domain.departments_of(caller, catalogs.for_area(caller.area_code))
    with uow:
        return uow.queue.after(seq, mine, caller.area_code, limit)


def department_get(uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller, application_id: str):
    with uow:
        return _shown(uow, _departments_application(uow, catalogs, caller, application_id))


def department_step(
    uow: UnitOfWork,
    catalogs: domain.Catalogs,
    caller: Caller,
    step: str,
    application_id: str,
    reason: str,
    legal_basis: str,
    missing: Collection[str],
    now: dt.datetime,
) -> Shown:
    """accept, return, reject, approve or refuse; call back about a bad rating, rectify: by the
    competent department."""
    actor = acting.department_actor(caller, Role.DEPARTMENT_OFFICER)
    with uow:
        app = _departments_application(uow, catalogs, caller, application_id)
        if step == "accept":
            app.accept(actor, now)
        elif step == "return":
            guide = catalogs.of(app.district_code).version(app.catalog_version).items[app.item_code].guide
            app.return_for_correction(actor, guide, list(missing), reason, now)
        elif step == "reject":
            app.reject(actor, reason, legal_basis, now)
        elif step == "approve":
            app.approve(actor, reason, now)
        elif step == "refuse":
            app.refuse(actor, reason, legal_basis, now)
        elif step == "call_back":
            app.call_back(actor, reason, now)
        elif step == "rectify":
            app.rectify(actor, reason, now)
        elif step == "issue_certificate":
            _issue_certificate(uow, catalogs.of(app.district_code), app, actor, now)
        elif step == "close":
            app.close(actor, app.item_code in catalogs.of(app.district_code).result_certificates, now)
        else:
            raise ValueError(step)
        uow.commit()
        return _shown(uow, app)


def _issue_certificate(
    uow: UnitOfWork, catalog: domain.Catalog, app: domain.Application, actor: Actor, now: dt.datetime
) -> None:
    kind = catalog.result_certificates.get(app.item_code)
    if kind is None:
        raise FailedPrecondition(f"{app.item_name} issues no electronic certificate: close it instead")
    name = catalog.certificate_kinds[kind]
    app.issue_certificate(actor, name, now)
    issuer = catalog.departments[app.department].name
    uow.certificates.add(domain.Certificate.issued_for(app.id, app.household_id, kind, name, issuer, now))


# --- the electronic-certificate registry ---


def register_certificate(
    uow: UnitOfWork,
    catalogs: domain.Catalogs,
    households: Households,
    caller: Caller,
    household_id: str,
    kind: str,
    number: str,
    holder: str,
    now: dt.datetime,
) -> domain.Certificate:
    """A department that serves certificates into the registry (the catalog says which kinds)
    records one of a household registered in its area; the same number again is the same one."""
    catalog = catalogs.for_area(caller.area_code)
    mine = domain.departments_of(caller, catalog)
    errors = text_errors({"household_id": (household_id, 36), "number": (number, 64), "holder": (holder, 100)})
    errors.update({n: "is required" for n, v in (("household_id", household_id), ("number", number)) if not v})
    if errors:
        raise InvalidArgument("invalid certificate: " + ", ".join(errors), errors)
    served = {k for d in mine for k in catalog.certificates_served.get(d, ())}
    if kind not in served:
        raise PermissionDenied(
            "your department serves no certificates of this kind",
            {"kind": "among " + ", ".join(sorted(served)) if served else "none served by your department"},
        )
    if not households.area_of(household_id).startswith(caller.area_code):
        raise NotFound(f"no household {household_id!r} in your area", {"household_id": "not in your area"})
    department = sorted(d for d in mine if kind in catalog.certificates_served.get(d, ()))[0]
    with uow:
        found = uow.certificates.find(household_id, kind, number)
        if found is not None:
            return found
        certificate = domain.Certificate(
            str(uuid.uuid4()),
            household_id,
            kind,
            catalog.certificate_kinds[kind],
            number,
            holder.strip(),
            catalog.departments[department].name,
            now,
        )
        uow.certificates.add(certificate)
        uow.commit()
        return certificate


def my_certificates(uow: UnitOfWork, caller: Caller) -> list[domain.Certificate]:
    """The household's own certificates (on its own terminal)."""
    caller.require_household()
    with uow:
        return uow.certificates.of_household(caller.household_id)


def check_id(application_id: str) -> None:
    if not application_id or len(application_id) > 36:
        raise InvalidArgument(
            "id is an application's id", {"id": "is required" if not application_id else "at most 36 characters"}
        )


def check_code(code: str, name: str = "code") -> None:
    if not code or len(code) > 64 or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in code):
        raise InvalidArgument(f"invalid {name}", {name: "1..64 letters, digits, - _ ."})


# --- the district's figures (KPIs) ---


def district_figures(uow: UnitOfWork, catalogs: domain.Catalogs, caller: Caller) -> domain.Figures:
    """The figures of the caller's district, for its government-service office."""
    catalog = catalogs.for_area(caller.area_code)
    district = domain.office_area(caller, catalog)
    with uow:
        return domain.figures(uow.applications.submitted_in_district(district), catalog)
