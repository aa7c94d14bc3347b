"""Legal's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (from the aio server,
on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from legal import domain
from legal.domain import duties
from legal.domain.content import Draft, State, require_officer
from legal.store import UnitOfWork
from rules import acting, booking
from runtime import paging
from runtime.auth import Caller
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from runtime.households import Households


def draft_content(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, d: Draft, key: str, now: dt.datetime
) -> domain.Content:
    district = districts.of_caller(caller)
    content = domain.Content.draft(caller, district, d, key, now)
    try:
        with uow:
            existing = uow.contents.by_idempotency_key(caller.subject, key)
            if existing is not None:
                return _replay(existing, d)
            uow.contents.add(content)
            uow.commit()
            return content
    except IntegrityError:
        # The same key sent at the same moment (a retry racing the first try): that one stands.
        with uow:
            existing = uow.contents.by_idempotency_key(caller.subject, key)
            if existing is None:
                raise
            return _replay(existing, d)


def _replay(existing: domain.Content, d: Draft) -> domain.Content:
    if not existing.is_same(d):
        raise AlreadyExists("this idempotency key was used for other content", {"idempotency_key": "already used"})
    return existing


def publish_content(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, content_id: str, now: dt.datetime
) -> domain.Content:
    district = districts.of_caller(caller)
    with uow:
        content = _visible(uow, caller, content_id, for_update=True)
        content.publish(caller, district, now)
        uow.commit()
        return content


def return_content(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, content_id: str, note: str, now: dt.datetime
) -> domain.Content:
    district = districts.of_caller(caller)
    with uow:
        content = _visible(uow, caller, content_id, for_update=True)
        content.return_to_author(caller, district, note, now)
        uow.commit()
        return content


def get_content(uow: UnitOfWork, districts: domain.Districts, caller: Caller, content_id: str) -> domain.Content:
    districts.of_caller(caller)
    with uow:
        return _visible(uow, caller, content_id)


def list_content(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, kind: str, topic: str, audience: str, page
) -> tuple[list[domain.Content], str]:
    district = districts.of_caller(caller)
    errors = {}
    for name, value, known in (
        ("kind", kind, district.kinds),
        ("topic", topic, district.topics),
        ("audience", audience, district.audiences),
    ):
        if value and value not in known:
            errors[name] = "empty or one of " + ", ".join(known)
    if errors:
        raise InvalidArgument("invalid filters: " + ", ".join(errors), errors)
    size, token = paging.page_size(page), paging.page_token(page.page_token)
    with uow:
        return uow.contents.page(district.code, State.PUBLISHED, token, size, kind, topic, audience)


def list_review_queue(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, page
) -> tuple[list[domain.Content], str]:
    district = districts.of_caller(caller)
    require_officer(caller, district)
    size, token = paging.page_size(page), paging.page_token(page.page_token)
    with uow:
        return uow.contents.page(district.code, State.IN_REVIEW, token, size)


def _visible(uow: UnitOfWork, caller: Caller, content_id: str, for_update: bool = False) -> domain.Content:
    check_id(content_id)
    content = uow.contents.get(content_id, for_update=for_update)
    # Content of another district, or a draft a citizen asks for, is not found: not theirs to know.
    if content is None or not content.visible_to(caller):
        raise NotFound(f"no content {content_id!r}", {"id": "not found"})
    return content


def check_id(value: str, field: str = "id") -> None:
    if not value or len(value) > 36:
        raise InvalidArgument(f"{field} is an id", {field: "is required" if not value else "at most 36 characters"})


# --- consultations ---


def ask(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    topic: str,
    question: str,
    household_id: str,
    household_area: str,
    consent: str,
    key: str,
    now: dt.datetime,
    households: Households,
    call_back_phone: str = "",
) -> domain.Consultation:
    district = districts.of_caller(caller)
    looked_up = domain.Consultation.household_to_look_up(caller, household_id)
    if looked_up:
        # An agent asking for a household: its village is the one identity registered it in (asked
        # before any transaction is open), never the one typed in.
        household_area = acting.registered_area(looked_up, household_area, households.area_of(looked_up))
    c = domain.Consultation.ask(
        caller, district, topic, question, now, household_id, household_area, consent, key, call_back_phone
    )
    try:
        with uow:
            existing = uow.consultations.by_idempotency_key(key)
            if existing is not None:
                return _retried(existing, c)
            uow.consultations.add(c)
            uow.commit()
            return c
    except IntegrityError:
        # The same key at the same moment (a retry racing the first try): that one stands.
        with uow:
            existing = uow.consultations.by_idempotency_key(key)
            if existing is None:
                raise
            return _retried(existing, c)


def _retried(existing: domain.Consultation, asked: domain.Consultation) -> domain.Consultation:
    if not existing.is_same_question(asked):
        raise AlreadyExists("this idempotency key was used for another question", {"idempotency_key": "already used"})
    return existing


def get_consultation(uow: UnitOfWork, caller: Caller, consultation_id: str) -> domain.Consultation:
    with uow:
        return _consultation(uow, caller, consultation_id)


def _consultation(
    uow: UnitOfWork, caller: Caller, consultation_id: str, for_update: bool = False
) -> domain.Consultation:
    check_id(consultation_id)
    c = uow.consultations.get(consultation_id, for_update=for_update)
    # Private: anyone but the asker, the advisor and the office is told it does not exist.
    if c is None or not c.visible_to(caller):
        raise NotFound(f"no consultation {consultation_id!r}", {"id": "not found"})
    return c


def answer(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, consultation_id: str, text: str, now: dt.datetime
) -> domain.Consultation:
    check_id(consultation_id)
    with uow:
        c = uow.consultations.get(consultation_id, for_update=True)
        if c is None or not (c.visible_to(caller) or domain.Role.LEGAL_ADVISOR in caller.roles):
            raise NotFound(f"no consultation {consultation_id!r}", {"id": "not found"})
        # Another village's advisor is told they do not serve it (the roster decides).
        c.answer(caller, districts.of(c.district_code), text, now)
        uow.commit()
        return c


def follow_up(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, consultation_id: str, text: str, now: dt.datetime
) -> domain.Consultation:
    with uow:
        c = _consultation(uow, caller, consultation_id, for_update=True)
        c.follow_up(caller, districts.of(c.district_code), text, now)
        uow.commit()
        return c


def rate(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    consultation_id: str,
    level: str,
    indicators: dict[str, int],
    comment: str,
    reasons: list[str],
    now: dt.datetime,
) -> domain.Consultation:
    with uow:
        c = _consultation(uow, caller, consultation_id, for_update=True)
        c.rate(caller, districts.of(c.district_code), level, indicators, comment, reasons, now)
        uow.commit()
        return c


def list_consultations(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, escalated_only: bool, page
) -> tuple[list[domain.Consultation], str]:
    """The caller's own: a household's, an agent's (those they asked), an advisor's (their
    villages'), the office's (the district's; escalated_only: those escalated)."""
    size, token = paging.page_size(page), paging.page_token(page.page_token)
    if caller.is_household():
        by, value = "household_id", caller.household_id
    elif domain.Role.JUDICIAL_OFFICER in caller.roles:
        district = districts.of_caller(caller)
        require_officer(caller, district)
        by, value = "district_code", district.code
    elif domain.Role.LEGAL_ADVISOR in caller.roles and caller.username:
        by, value = "advisor", caller.username
    elif domain.Role.VILLAGE_AGENT in caller.roles:
        by, value = "asker", caller.subject
    else:
        raise PermissionDenied("consultations are their askers', advisors' and the judicial office's")
    with uow:
        return uow.consultations.page(by, value, token, size, escalated_only)


def escalate_due(uow: UnitOfWork, districts: domain.Districts, now: dt.datetime, batch: int = 100) -> int:
    """The scheduler's pass: every waiting question whose next threshold has come escalates."""
    with uow:
        due = uow.consultations.due_for_escalation(now, batch)
        raised = sum(len(c.escalate(districts.of(c.district_code), now)) for c in due)
        uow.commit()
        return raised


# --- volunteer activities ---


def move_lapsed_offers(uow: UnitOfWork, districts: domain.Districts, now: dt.datetime, batch: int = 100) -> int:
    """The scheduler's pass: a waiting-list offer not taken in time lapses and the place goes to the
    next waiting, without waiting for someone to touch the activity."""
    with uow:
        found = uow.activities.with_lapsed_offers(now, batch)
        for a in found:
            a.offer_free_places(districts.of(a.district_code).volunteering, now)
        uow.commit()
        return len(found)


def publish_activity(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    title: str,
    roles: list[str],
    capacity: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    now: dt.datetime,
) -> domain.Activity:
    district = districts.of_caller(caller)
    a = domain.Activity.publish(
        caller, district.code, district.volunteering, title, roles, capacity, starts_at, ends_at, now
    )
    with uow:
        uow.activities.add(a)
        uow.commit()
        return a


def list_activities(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, station: str, page
) -> tuple[list[domain.Activity], str]:
    district = districts.of_caller(caller)
    if station and station not in district.volunteering.stations:
        raise InvalidArgument("not a practice station of the district", {"station": "unknown"})
    size, token = paging.page_size(page), paging.page_token(page.page_token)
    with uow:
        return uow.activities.page(district.code, station, token, size)


def get_activity(uow: UnitOfWork, districts: domain.Districts, caller: Caller, activity_id: str) -> domain.Activity:
    districts.of_caller(caller)
    with uow:
        return _activity(uow, caller, activity_id)


def _activity(uow: UnitOfWork, caller: Caller, activity_id: str, for_update: bool = False) -> domain.Activity:
    check_id(activity_id)
    # The activity owns the capacity: loaded with a row lock, its sign-ups counted and the new one
    # added in the same transaction (SQLite serializes writers already).
    a = uow.activities.get(activity_id, for_update=for_update)
    if a is None or a.district_code != caller.area_code[:6]:
        raise NotFound(f"no activity {activity_id!r}", {"id": "not found"})
    return a


def sign_up(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    activity_id: str,
    role: str,
    join_waiting_list: bool,
    now: dt.datetime,
) -> tuple[domain.Activity, domain.SignUp]:
    district = districts.of_caller(caller)
    try:
        with uow:
            a = _activity(uow, caller, activity_id, for_update=True)
            s = a.sign_up(caller, district.volunteering, role, district.zone, now, join_waiting_list)
            uow.commit()
            return a, s
    except IntegrityError:
        # The same volunteer's second sign-up racing the first: that one stands.
        raise booking.AlreadyBooked("signed up for this activity already") from None


def cancel_sign_up(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, activity_id: str, now: dt.datetime
) -> tuple[domain.Activity, domain.SignUp]:
    district = districts.of_caller(caller)
    with uow:
        a = _activity(uow, caller, activity_id, for_update=True)
        s = a.cancel(caller, district.volunteering, district.zone, now)
        uow.commit()
        return a, s


def check_in_or_out(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    activity_id: str,
    code: str,
    volunteer: str,
    out: bool,
    now: dt.datetime,
) -> tuple[domain.Activity, domain.SignUp]:
    district = districts.of_caller(caller)
    with uow:
        a = _activity(uow, caller, activity_id, for_update=True)
        if out:
            s = a.check_out(caller, code, volunteer, district.volunteering, now)
        else:
            s = a.check_in(caller, code, volunteer, now)
        uow.commit()
        return a, s


def correct_hours(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    activity_id: str,
    sign_up_id: str,
    hours: float,
    reason: str,
    now: dt.datetime,
) -> tuple[domain.Activity, domain.SignUp]:
    district = districts.of_caller(caller)
    with uow:
        a = _activity(uow, caller, activity_id, for_update=True)
        s = a.correct_hours(caller, district.volunteering, sign_up_id, hours, reason, now)
        uow.commit()
        return a, s


def volunteer_record(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller
) -> tuple[list[tuple[domain.SignUp, domain.Activity]], float, int]:
    """A volunteer's sign-ups (newest first), their total hours and their star level."""
    district = districts.of_caller(caller)
    volunteer = caller.require_household()
    with uow:
        found = uow.activities.sign_ups_of(volunteer)
    hours = sum(s.half_hours for s, _ in found) / 2
    return found, hours, district.volunteering.stars(hours)


def station_totals(uow: UnitOfWork, districts: domain.Districts, caller: Caller) -> list[tuple[str, str, int, float]]:
    """Per station of the caller's district: its name, volunteers and hours."""
    district = districts.of_caller(caller)
    with uow:
        rows = uow.activities.station_totals(district.code)
    names = district.volunteering.stations
    return [(st, names.get(st, ""), n, h / 2) for st, n, h in rows]


# --- quizzes ---


def submit_paper(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    paper_id: str,
    answers: dict[str, str],
    now: dt.datetime,
) -> domain.Attempt:
    district = districts.of_caller(caller)
    paper = district.quizzes.paper(paper_id)
    attempt = domain.Attempt.submit(caller, district.quizzes, paper, answers, district.zone, now)
    try:
        with uow:
            if uow.attempts.of_day(paper.id, attempt.household_id, attempt.day) is not None:
                raise FailedPrecondition("this paper has been answered today already: one attempt a day")
            uow.attempts.add(attempt)
            uow.commit()
            return attempt
    except IntegrityError:
        # A second attempt racing the first: the first stands.
        raise FailedPrecondition("this paper has been answered today already: one attempt a day") from None


def quiz_stats(uow: UnitOfWork, districts: domain.Districts, caller: Caller) -> list[tuple[str, int, int, float]]:
    district = districts.of_caller(caller)
    with uow:
        return uow.attempts.town_stats(district.code)


# --- the advisors' duties ---


def record_duty(
    uow: UnitOfWork,
    districts: domain.Districts,
    caller: Caller,
    village: str,
    kind: str,
    done_on: str,
    note: str,
    now: dt.datetime,
) -> domain.DutyRecord:
    district = districts.of_caller(caller)
    r = domain.DutyRecord.recorded(caller, district, village, kind, done_on, note, now)
    try:
        with uow:
            existing = uow.duties.of_day(r.village_code, r.kind, r.done_on)
            if existing is not None:
                return _same_duty(existing, r)
            uow.duties.add(r)
            uow.commit()
            return r
    except IntegrityError:
        # The same record at the same moment (a retry racing the first try): that one stands.
        with uow:
            existing = uow.duties.of_day(r.village_code, r.kind, r.done_on)
            if existing is None:
                raise
            return _same_duty(existing, r)


def _same_duty(existing: domain.DutyRecord, r: domain.DutyRecord) -> domain.DutyRecord:
    if not existing.is_same(r):
        raise AlreadyExists("that day's record of this duty says otherwise", {"done_on": "recorded already"})
    return existing


def advisor_duties(
    uow: UnitOfWork, districts: domain.Districts, caller: Caller, now: dt.datetime
) -> tuple[dt.date, list[duties.AdvisorDuties]]:
    """The compliance view of the caller's district: every advisor's for the office, an advisor's own."""
    district = districts.of_caller(caller)
    only = duties.may_see_duties(caller, district)
    usernames = [only] if only else sorted(district.advisors)
    villages = [v for u in usernames for v in district.advisors[u].villages]
    today = now.astimezone(district.zone).date()
    with uow:
        records = uow.duties.since(villages, duties.oldest_needed(district, today))
    return today, duties.compliance(district, usernames, records, today)
