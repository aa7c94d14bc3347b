"""Quizzes over real gRPC on SQLite and PostgreSQL: a paper's questions without their answers, a
score with the answers only after submitting, one attempt per paper per person per day, and
participation and the average score per town."""

from __future__ import annotations

import grpc
import pytest

from legal.tests.conftest import districts_with
from runtime.grpc_server import field_errors_of
from runtime.testing import household, rpc_error, staff
from sbc.legal.v1 import legal_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
PAPER = "fraud-2026-1"


def right_answers(wrong: int = 0) -> dict[str, str]:
    paper = districts_with().of("330411").quizzes.paper(PAPER)
    out = {q.id: q.answer for q in paper.questions}
    for q in paper.questions[:wrong]:
        out[q.id] = next(k for k in q.options if k != q.answer)
    return out


async def test_a_household_takes_a_paper_once_a_day_and_the_town_figures_count_it(svc, who):
    papers = await svc.api.ListQuizPapers(pb.ListQuizPapersRequest(), metadata=svc.md(who.home))
    assert PAPER in [p.id for p in papers.papers]
    paper = await svc.api.GetQuizPaper(pb.GetQuizPaperRequest(id=PAPER), metadata=svc.md(who.home))
    assert len(paper.questions) == 5 and all(len(q.options) >= 2 for q in paper.questions)
    assert "answer" not in str(paper).lower() and "correct" not in str(paper).lower(), "no answer before submitting"

    result = await svc.api.SubmitQuizPaper(
        pb.SubmitQuizPaperRequest(paper_id=PAPER, answers=right_answers(wrong=1)), metadata=svc.md(who.home)
    )
    assert (result.correct, result.score) == (4, 80) and len(result.answers) == 5
    assert result.answers[0].chosen != result.answers[0].correct
    again = pb.SubmitQuizPaperRequest(paper_id=PAPER, answers=right_answers())
    err = await rpc_error(svc.api.SubmitQuizPaper(again, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "today" in err.details()
    await svc.api.SubmitQuizPaper(again, metadata=svc.md(who.neighbour))
    await svc.api.SubmitQuizPaper(again, metadata=svc.md(who.elsewhere))
    svc.clock.move(days=1)
    await svc.api.SubmitQuizPaper(again, metadata=svc.md(who.home))  # the next day: allowed

    stats = await svc.api.GetQuizStats(pb.GetQuizStatsRequest(), metadata=svc.md(who.author))
    got = {t.town: (t.participants, t.attempts, round(t.average_score, 2)) for t in stats.towns}
    assert got == {"330411004": (2, 3, 93.33), "330411105": (1, 1, 100.0)}


@pytest.mark.parametrize(
    "answers, field",
    [
        ({}, "answers"),  # missing
        ({"fraud-01": "b"}, "answers"),  # not every question
        ({**right_answers(), "elders-01": "a"}, "answers"),  # another paper's question
        ({**right_answers(), "fraud-01": "z"}, "answers"),  # not an option
    ],
)
async def test_bad_submissions_are_refused_and_count_nothing(svc, who, answers, field):
    err = await rpc_error(
        svc.api.SubmitQuizPaper(pb.SubmitQuizPaperRequest(paper_id=PAPER, answers=answers), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert not (await svc.api.GetQuizStats(pb.GetQuizStatsRequest(), metadata=svc.md(who.author))).towns


async def test_who_may_take_a_quiz(svc, who):
    r = pb.SubmitQuizPaperRequest(paper_id=PAPER, answers=right_answers())
    for caller in (staff("judicial_officer"), who.agent, who.advisor):
        assert (
            await rpc_error(svc.api.SubmitQuizPaper(r, metadata=svc.md(caller)))
        ).code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(svc.api.GetQuizPaper(pb.GetQuizPaperRequest(id="nope"), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(
        svc.api.GetQuizPaper(pb.GetQuizPaperRequest(id=PAPER), metadata=svc.md(household(area_code="330402001001")))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert (
        await rpc_error(svc.api.ListQuizPapers(pb.ListQuizPapersRequest()))
    ).code() == grpc.StatusCode.UNAUTHENTICATED
