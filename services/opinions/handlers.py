"""Opinions's use cases: each loads aggregates through a unit of work, lets the domain decide,
and commits the change with the events it recorded. Called by the servicer (from the aio server,
on the database threads: runtime.aio.run_sync)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from opinions import domain
from opinions.store import UnitOfWork
from runtime import paging
from runtime.auth import Caller
from runtime.errors import InvalidArgument, NotFound

# Published questionnaires looked through at most for one household's open list.
SCAN_LIMIT = 500


def write_questionnaire(
    uow: UnitOfWork, caller: Caller, draft: domain.Draft, audiences: domain.Audiences, now: dt.datetime
) -> domain.Questionnaire:
    questionnaire = domain.Questionnaire.write(caller, draft, audiences, now)
    with uow:
        uow.questionnaires.add(questionnaire)
        uow.commit()
        return questionnaire


def _staff_questionnaire(uow: UnitOfWork, caller: Caller, questionnaire_id: str, lock: bool = False):
    domain.area_of_staff(caller)
    check_id(questionnaire_id)
    repo = uow.questionnaires
    found = repo.get_for_update(questionnaire_id) if lock else repo.get(questionnaire_id)
    # Another area's questionnaire is reported as not found: its existence is not theirs to know.
    if found is None or not found.run_by(caller):
        raise NotFound(f"no questionnaire {questionnaire_id!r} in your area", {"id": "not found"})
    return found


def edit_draft(
    uow: UnitOfWork, caller: Caller, questionnaire_id: str, draft: domain.Draft, audiences: domain.Audiences
) -> domain.Questionnaire:
    with uow:
        questionnaire = _staff_questionnaire(uow, caller, questionnaire_id, lock=True)
        questionnaire.edit(caller, draft, audiences)
        uow.commit()
        return questionnaire


def publish(
    uow: UnitOfWork, caller: Caller, questionnaire_id: str, audiences: domain.Audiences, now: dt.datetime
) -> domain.Questionnaire:
    with uow:
        questionnaire = _staff_questionnaire(uow, caller, questionnaire_id, lock=True)
        known = uow.households.within(questionnaire.target_areas)
        questionnaire.publish(now, questionnaire.targeted(known, audiences))
        uow.commit()
        return questionnaire


def close(uow: UnitOfWork, caller: Caller, questionnaire_id: str, now: dt.datetime) -> domain.Questionnaire:
    with uow:
        questionnaire = _staff_questionnaire(uow, caller, questionnaire_id, lock=True)
        questionnaire.close(now)
        uow.commit()
        return questionnaire


def list_for_staff(uow: UnitOfWork, caller: Caller, page) -> tuple[list[domain.Questionnaire], str]:
    area = domain.area_of_staff(caller)
    size = paging.page_size(page)
    token = paging.page_token(page.page_token)
    with uow:
        return uow.questionnaires.page_in_area(area, token, size)


def get(
    uow: UnitOfWork, caller: Caller, questionnaire_id: str, audiences: domain.Audiences
) -> tuple[domain.Questionnaire, bool]:
    """The questionnaire, and whether the caller's household has answered it (False for staff)."""
    if not caller.is_household():
        with uow:
            return _staff_questionnaire(uow, caller, questionnaire_id), False
    check_id(questionnaire_id)
    with uow:
        found = uow.questionnaires.get(questionnaire_id)
        if found is None or not found.asks(caller.area_code, audiences):
            raise NotFound(f"no questionnaire {questionnaire_id!r} for your household", {"id": "not found"})
        return found, bool(uow.responses.answered(caller.household_id, [found.id]))


def open_for_me(
    uow: UnitOfWork, caller: Caller, page, audiences: domain.Audiences, now: dt.datetime
) -> tuple[list[tuple[domain.Questionnaire, bool]], str]:
    """A page of the questionnaires open now for the household's area and audience, newest first."""
    household_id = caller.require_household()
    size = paging.page_size(page)
    token = paging.page_token(page.page_token)
    found: list[domain.Questionnaire] = []
    with uow:
        scanned = 0
        while len(found) <= size and scanned < SCAN_LIMIT:
            batch = uow.questionnaires.published(token, 100)
            if not batch:
                break
            scanned += len(batch)
            token = batch[-1].seq
            found += [q for q in batch if q.is_open(now) and q.asks(caller.area_code, audiences)]
        kept, next_token = paging.cut(found, size, lambda q: q.seq)
        answered = uow.responses.answered(household_id, [q.id for q in kept])
        return [(q, q.id in answered) for q in kept], next_token


def submit(
    uow: UnitOfWork,
    caller: Caller,
    questionnaire_id: str,
    answers: list[domain.Answer],
    audiences: domain.Audiences,
    now: dt.datetime,
) -> domain.Response:
    caller.require_household()
    check_id(questionnaire_id, "questionnaire_id")
    try:
        with uow:
            questionnaire = uow.questionnaires.get(questionnaire_id)
            if questionnaire is None:
                raise NotFound(f"no questionnaire {questionnaire_id!r} for your household", {"id": "not found"})
            if uow.responses.answered(caller.household_id, [questionnaire_id]):
                raise domain.AlreadyAnswered()
            response = questionnaire.answer(caller, answers, audiences, now)
            uow.responses.add(response)
            uow.commit()
            return response
    except IntegrityError:
        # Two terminals of one household at the same moment: the first stands.
        raise domain.AlreadyAnswered() from None


def results(
    uow: UnitOfWork, caller: Caller, questionnaire_id: str, audiences: domain.Audiences
) -> tuple[domain.Questionnaire, domain.Results]:
    with uow:
        questionnaire = _staff_questionnaire(uow, caller, questionnaire_id)
        counted = domain.tally(questionnaire.question_list(), uow.responses.of_questionnaire(questionnaire.id))
        counted.targeted = len(questionnaire.targeted(uow.households.within(questionnaire.target_areas), audiences))
        return questionnaire, counted


def box_registered(uow: UnitOfWork, device_id: str, household_id: str, area_code: str) -> None:
    with uow:
        uow.households.box_registered(device_id, household_id, area_code)
        uow.commit()


def box_removed(uow: UnitOfWork, device_id: str) -> None:
    with uow:
        uow.households.box_removed(device_id)
        uow.commit()


def text_answers(uow: UnitOfWork, caller: Caller, questionnaire_id: str, question_id: str, page):
    size = paging.page_size(page, default=domain.MAX_TEXT_PAGE, maximum=domain.MAX_TEXT_PAGE)
    token = paging.page_token(page.page_token)
    with uow:
        questionnaire = _staff_questionnaire(uow, caller, questionnaire_id)
        if not any(q.id == question_id and q.kind == domain.Kind.TEXT for q in questionnaire.question_list()):
            raise InvalidArgument("not a text question of this questionnaire", {"question_id": "not a text question"})
        return uow.responses.text_page(questionnaire.id, question_id, token, size)


def check_id(questionnaire_id: str, name: str = "id") -> None:
    if not questionnaire_id or len(questionnaire_id) > 36:
        raise InvalidArgument(
            f"{name} is a questionnaire's id",
            {name: "is required" if not questionnaire_id else "at most 36 characters"},
        )
