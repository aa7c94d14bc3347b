"""Legal's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (from the aio server,
on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from legal import domain
from legal.domain.content import Draft, State, require_officer
from legal.store import UnitOfWork
from runtime import paging
from runtime.auth import Caller
from runtime.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied


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
    now: dt.datetime,
) -> domain.Consultation:
    district = districts.of_caller(caller)
    c = domain.Consultation.ask(caller, district, topic, question, now, household_id, household_area, consent)
    with uow:
        uow.consultations.add(c)
        uow.commit()
        return c


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
