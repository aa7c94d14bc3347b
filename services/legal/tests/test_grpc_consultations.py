"""Legal consultations over real gRPC on SQLite and PostgreSQL: a household (or the village agent
for it) asks, the village's advisor answers, the scheduler's pass escalates what waits too long to
the judicial office, follow-ups and a rating; privacy and bad input."""

from __future__ import annotations

import types
import uuid

import grpc
import pytest
from sqlalchemy import func, select

from legal import store
from legal.service import scheduler_pass
from legal.tests.conftest import VILLAGE
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import rpc_error
from sbc.legal.v1 import legal_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def outbox_types(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [r.event_type.removeprefix("sbc.legal.consultation.") for r in s.execute(select(t).order_by(t.c.seq))]


def count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.consultations))


def scheduler_tick(svc) -> None:
    """One pass of the scheduler process, on the test's clock."""
    scheduler_pass(types.SimpleNamespace(db=svc.db), clock=svc.clock)()


def asking(**fields) -> pb.AskQuestionRequest:
    """A question with a key of its own (every ask needs one)."""
    return pb.AskQuestionRequest(idempotency_key=uuid.uuid4().hex, **fields)


QUESTION = asking(topic="land", question="邻居占了我家的承包地，怎么办？")


async def test_a_household_asks_the_advisor_answers_it_follows_up_and_rates(svc, who):
    asked = await svc.api.AskQuestion(QUESTION, metadata=svc.md(who.home))
    assert asked.state == "waiting" and asked.advisor_name and asked.village_code == VILLAGE
    assert asked.due_at.ToDatetime() - asked.asked_at.ToDatetime() == __import__("datetime").timedelta(hours=5)
    mine = await svc.api.ListConsultations(pb.ListConsultationsRequest(), metadata=svc.md(who.advisor))
    assert [c.id for c in mine.consultations] == [asked.id]

    answered = await svc.api.AnswerQuestion(
        pb.AnswerQuestionRequest(id=asked.id, answer="先找村委会调解，不成可向法院起诉。"), metadata=svc.md(who.advisor)
    )
    assert answered.state == "answered" and [m.kind for m in answered.messages] == ["question", "answer"]
    again = await svc.api.AskFollowUp(
        pb.AskFollowUpRequest(id=asked.id, question="起诉要多久？"), metadata=svc.md(who.home)
    )
    assert again.state == "waiting" and again.follow_ups == 1
    await svc.api.AnswerQuestion(
        pb.AnswerQuestionRequest(id=asked.id, answer="一般六个月内。"), metadata=svc.md(who.advisor)
    )
    rated = await svc.api.RateConsultation(
        pb.RateConsultationRequest(id=asked.id, level="satisfied", indicators={"clarity": 5}), metadata=svc.md(who.home)
    )
    assert rated.rating_level == "satisfied"
    err = await rpc_error(
        svc.api.RateConsultation(pb.RateConsultationRequest(id=asked.id, level="satisfied"), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert outbox_types(svc.db) == ["step.v1"] * 5


async def test_a_question_left_waiting_escalates_to_the_office_at_80_and_100_percent(svc, who):
    asked = await svc.api.AskQuestion(QUESTION, metadata=svc.md(who.home))  # Tuesday 10:00
    svc.clock.move(hours=3, minutes=50)
    scheduler_tick(svc)
    office = svc.md(who.reviewer)
    assert not (
        await svc.api.ListConsultations(pb.ListConsultationsRequest(escalated_only=True), metadata=office)
    ).consultations
    svc.clock.move(minutes=15)  # 4 h 05 min: past 80%
    scheduler_tick(svc)
    scheduler_tick(svc)
    seen = await svc.api.ListConsultations(pb.ListConsultationsRequest(escalated_only=True), metadata=office)
    assert [(c.id, c.escalated_percent) for c in seen.consultations] == [(asked.id, 80)]
    svc.clock.move(hours=1)  # past the deadline
    scheduler_tick(svc)
    got = await svc.api.GetConsultation(pb.GetConsultationRequest(id=asked.id), metadata=office)
    assert got.escalated_percent == 100
    assert outbox_types(svc.db) == ["step.v1", "escalated.v1", "escalated.v1"]
    # Answered at last: nothing more escalates.
    await svc.api.AnswerQuestion(
        pb.AnswerQuestionRequest(id=asked.id, answer="抱歉久等。"), metadata=svc.md(who.advisor)
    )
    svc.clock.move(days=3)
    scheduler_tick(svc)
    assert outbox_types(svc.db)[-1] == "step.v1"


async def test_the_village_agent_asks_for_a_household_of_their_village(svc, who):
    r = asking(
        topic="elders",
        question="老人的养老金被子女拿走",
        household_id="hh-home",
        household_area_code=VILLAGE,
        consent="户主口头同意",
    )
    asked = await svc.api.AskQuestion(r, metadata=svc.md(who.agent))
    assert asked.asker_kind == "village_agent" and asked.household_id == "hh-home"
    for reader in (who.agent, who.home, who.advisor, who.author):
        listed = await svc.api.ListConsultations(pb.ListConsultationsRequest(), metadata=svc.md(reader))
        assert [c.id for c in listed.consultations] == [asked.id], reader
    other = asking(
        topic="elders", question="x", household_id="hh-elsewhere", household_area_code="330411105001", consent="同意"
    )
    assert (
        await rpc_error(svc.api.AskQuestion(other, metadata=svc.md(who.agent)))
    ).code() == grpc.StatusCode.PERMISSION_DENIED
    missing = asking(topic="elders", question="x")
    err = await rpc_error(svc.api.AskQuestion(missing, metadata=svc.md(who.agent)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "household_id" in field_errors_of(err)
    assert count(svc.db) == 1


@pytest.mark.parametrize(
    "request_, field",
    [
        (asking(topic="land", question=""), "question"),  # missing
        (asking(topic="land", question="问" * 501), "question"),  # oversized
        (asking(topic="land", question="a\x00b"), "question"),  # malformed
        (asking(topic="tax", question="x"), "topic"),
    ],
)
async def test_bad_questions_are_refused_and_change_nothing(svc, who, request_, field):
    err = await rpc_error(svc.api.AskQuestion(request_, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert count(svc.db) == 0 and outbox_types(svc.db) == []


async def test_a_village_without_an_advisor_is_told_so(svc, who):
    from runtime.testing import household

    err = await rpc_error(svc.api.AskQuestion(QUESTION, metadata=svc.md(household(area_code="330411009001"))))
    assert err.code() == grpc.StatusCode.NOT_FOUND and count(svc.db) == 0


async def test_who_may_do_what_with_a_consultation(svc, who):
    """The authorization matrix of consultations: role × operation × own/other."""
    asked = await svc.api.AskQuestion(QUESTION, metadata=svc.md(who.home))
    ref = pb.GetConsultationRequest(id=asked.id)
    # Private: its asker, its advisor and the office read it; nobody else knows it exists.
    for reader in (who.home, who.advisor, who.author):
        assert (await svc.api.GetConsultation(ref, metadata=svc.md(reader))).id == asked.id
    for outsider in (who.neighbour, who.elsewhere, who.agent, who.other_advisor, who.technician, who.foreign_officer):
        assert (
            await rpc_error(svc.api.GetConsultation(ref, metadata=svc.md(outsider)))
        ).code() == grpc.StatusCode.NOT_FOUND
        follow = pb.AskFollowUpRequest(id=asked.id, question="x")
        code = (await rpc_error(svc.api.AskFollowUp(follow, metadata=svc.md(outsider)))).code()
        assert code == grpc.StatusCode.NOT_FOUND, outsider
    # Another village's advisor is refused the answer; nor may the household or the office answer.
    answer = pb.AnswerQuestionRequest(id=asked.id, answer="我来答")
    err = await rpc_error(svc.api.AnswerQuestion(answer, metadata=svc.md(who.other_advisor)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "village" in err.details()
    for caller in (who.home, who.author):
        assert (
            await rpc_error(svc.api.AnswerQuestion(answer, metadata=svc.md(caller)))
        ).code() == grpc.StatusCode.PERMISSION_DENIED
    # The advisor and the office may not follow up or rate in the asker's name.
    for caller in (who.advisor, who.author):
        err = await rpc_error(
            svc.api.AskFollowUp(pb.AskFollowUpRequest(id=asked.id, question="x"), metadata=svc.md(caller))
        )
        assert err.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.FAILED_PRECONDITION)
    # Others' lists hold none of it; a technician has no list.
    for caller in (who.neighbour, who.other_advisor):
        assert not (
            await svc.api.ListConsultations(pb.ListConsultationsRequest(), metadata=svc.md(caller))
        ).consultations
    err = await rpc_error(svc.api.ListConsultations(pb.ListConsultationsRequest(), metadata=svc.md(who.technician)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await rpc_error(svc.api.GetConsultation(ref))).code() == grpc.StatusCode.UNAUTHENTICATED
    assert outbox_types(svc.db) == ["step.v1"], "nothing refused changed anything"


async def test_out_of_order_calls_are_refused(svc, who):
    asked = await svc.api.AskQuestion(QUESTION, metadata=svc.md(who.home))
    for call in (
        svc.api.AskFollowUp(pb.AskFollowUpRequest(id=asked.id, question="x"), metadata=svc.md(who.home)),
        svc.api.RateConsultation(pb.RateConsultationRequest(id=asked.id, level="satisfied"), metadata=svc.md(who.home)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.FAILED_PRECONDITION
    for bad in ("", "x" * 37):
        err = await rpc_error(svc.api.GetConsultation(pb.GetConsultationRequest(id=bad), metadata=svc.md(who.home)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert outbox_types(svc.db) == ["step.v1"]


async def test_a_retried_question_is_asked_once_and_another_callers_reuse_of_its_key_is_refused(svc, who):
    first = await svc.api.AskQuestion(QUESTION, metadata=svc.md(who.home))
    retried = await svc.api.AskQuestion(QUESTION, metadata=svc.md(who.home))
    assert retried.id == first.id and count(svc.db) == 1
    key = QUESTION.idempotency_key
    for caller, request in (
        (who.neighbour, QUESTION),  # another household, the same key
        (who.home, pb.AskQuestionRequest(topic="land", question="另一个问题", idempotency_key=key)),
    ):
        err = await rpc_error(svc.api.AskQuestion(request, metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "idempotency_key" in field_errors_of(err)
    err = await rpc_error(
        svc.api.AskQuestion(pb.AskQuestionRequest(topic="land", question="x"), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "idempotency_key" in field_errors_of(err)
    assert count(svc.db) == 1 and outbox_types(svc.db) == ["step.v1"]


async def test_a_call_back_request_carries_the_number_only_the_asker_advisor_and_office_read(svc, who):
    call_back = (await svc.api.GetAskingChoices(pb.GetAskingChoicesRequest(), metadata=svc.md(who.home))).call_back
    asked = await svc.api.AskQuestion(
        asking(topic="land", question=call_back, call_back_phone="13912345678"), metadata=svc.md(who.home)
    )
    assert asked.call_back_phone == "13912345678"
    for reader in (who.home, who.advisor, who.author):
        read = await svc.api.GetConsultation(pb.GetConsultationRequest(id=asked.id), metadata=svc.md(reader))
        assert read.call_back_phone == "13912345678", reader
    for other in (who.neighbour, who.other_advisor, who.agent, who.technician):
        err = await rpc_error(svc.api.GetConsultation(pb.GetConsultationRequest(id=asked.id), metadata=svc.md(other)))
        assert err.code() == grpc.StatusCode.NOT_FOUND, other
        listed = await rpc_error_or_list(svc, other)
        assert asked.id not in listed
    # Bad numbers, or none for a call-back: refused naming the field, nothing asked.
    for phone in ("", "1391234567", "139123456789", "12912345678", "23912345678", "1391234567a", "+8613912345678"):
        err = await rpc_error(
            svc.api.AskQuestion(
                asking(topic="land", question=call_back, call_back_phone=phone), metadata=svc.md(who.home)
            )
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "call_back_phone" in field_errors_of(err), phone
    assert count(svc.db) == 1


async def rpc_error_or_list(svc, caller) -> list[str]:
    """The ids the caller's list shows (none when they may list none)."""
    try:
        listed = await svc.api.ListConsultations(pb.ListConsultationsRequest(), metadata=svc.md(caller))
    except grpc.aio.AioRpcError:
        return []
    return [c.id for c in listed.consultations]
