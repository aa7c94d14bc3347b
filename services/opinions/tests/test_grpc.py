"""Opinions over real gRPC: its own server (the runtime's, with the interceptor, token checks and
error mapping of production) on SQLite and PostgreSQL, with tokens minted by the runtime's test
plugin, through the proto's calls, good and bad input, callers who may not, out of order."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from opinions import store
from opinions.tests.conftest import NEIGHBOURHOOD, NOW, OTHER_TOWN, TOWN, VILLAGE, editor, home
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import rpc_error, staff
from runtime.times import to_timestamp
from sbc.common.v1 import common_pb2
from sbc.opinions.v1 import opinions_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def outbox_rows(db) -> list[tuple[str, str]]:
    t = outbox_table()
    with db.transaction() as s:
        return [(r.topic, r.event_type) for r in s.execute(select(t).order_by(t.c.seq))]


def count(db, table) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(table))


def a_draft(**kw) -> pb.QuestionnaireDraft:
    fields = dict(
        title="广播电视服务满意度调查",
        purpose="了解群众意见",
        organizer="王江泾镇人民政府",
        opens_at=to_timestamp(NOW),
        closes_at=to_timestamp(NOW + dt.timedelta(days=7)),
        target_areas=[TOWN],
        audience="all",
        questions=[
            pb.Question(
                kind="single", text="您家主要通过什么收看电视？", required=True, choices=["有线电视", "网络电视"]
            ),
            pb.Question(kind="multiple", text="您希望增加哪些节目？", choices=["农技", "戏曲", "法治"], max_picks=2),
            pb.Question(kind="scale", text="满意吗？", required=True, scale_low="很不满意", scale_high="很满意"),
            pb.Question(kind="text", text="建议", max_length=50),
        ],
    )
    return pb.QuestionnaireDraft(**(fields | kw))


GOOD = [
    pb.Answer(question_id="q1", choices=[0]),
    pb.Answer(question_id="q2", choices=[0, 2]),
    pb.Answer(question_id="q3", scale=5),
    pb.Answer(question_id="q4", text="多放农技节目"),
]


async def published(svc, who=None, **kw) -> pb.Questionnaire:
    md = svc.md(who or editor())
    made = await svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=a_draft(**kw)), metadata=md)
    return await svc.api.PublishQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=md)


async def test_staff_write_publish_households_answer_once_and_results_count(svc):
    boss = editor()
    made = await svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=a_draft()), metadata=svc.md(boss))
    assert made.state == "draft" and [q.id for q in made.questions] == ["q1", "q2", "q3", "q4"]
    edited = await svc.api.UpdateDraft(
        pb.UpdateDraftRequest(id=made.id, draft=a_draft(title="新的标题")), metadata=svc.md(boss)
    )
    assert edited.title == "新的标题" and edited.id == made.id
    # A household sees nothing of a draft.
    a, b = home(VILLAGE, "hh-a"), home(NEIGHBOURHOOD, "hh-b")
    assert not (await svc.api.ListOpenForMe(pb.ListOpenForMeRequest(), metadata=svc.md(a))).questionnaires
    done = await svc.api.PublishQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=svc.md(boss))
    assert done.state == "published" and done.open
    mine = await svc.api.ListOpenForMe(pb.ListOpenForMeRequest(), metadata=svc.md(a))
    assert [(q.id, q.answered) for q in mine.questionnaires] == [(made.id, False)]

    receipt = await svc.api.SubmitResponse(
        pb.SubmitResponseRequest(questionnaire_id=made.id, answers=GOOD), metadata=svc.md(a)
    )
    assert receipt.questionnaire_id == made.id and receipt.submitted_at.seconds
    # The household's phone is the same household: refused.
    again = await rpc_error(
        svc.api.SubmitResponse(
            pb.SubmitResponseRequest(questionnaire_id=made.id, answers=GOOD), metadata=svc.md(home(VILLAGE, "hh-a"))
        )
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION and "questionnaire_id" in field_errors_of(again)
    assert "answered this questionnaire already" in again.details()
    mine = await svc.api.ListOpenForMe(pb.ListOpenForMeRequest(), metadata=svc.md(a))
    assert [q.answered for q in mine.questionnaires] == [True]
    await svc.api.SubmitResponse(
        pb.SubmitResponseRequest(
            questionnaire_id=made.id,
            answers=[pb.Answer(question_id="q1", choices=[1]), pb.Answer(question_id="q3", scale=2)],
        ),
        metadata=svc.md(b),
    )

    r = await svc.api.GetResults(pb.QuestionnaireRef(id=made.id), metadata=svc.md(boss))
    assert r.responses == 2 and r.questionnaire.id == made.id
    single, multiple, scale, text = r.questions
    assert [(c.choice, c.count) for c in single.choices] == [("有线电视", 1), ("网络电视", 1)]
    assert [c.count for c in multiple.choices] == [1, 0, 1]
    assert list(scale.scale_counts) == [0, 1, 0, 0, 1] and scale.scale_mean == pytest.approx(3.5)
    assert text.text_answers == 1
    assert [(t.town_code, t.responses) for t in r.towns] == [(TOWN, 2)]
    assert "hh-a" not in str(r) and "hh-b" not in str(r)
    texts = await svc.api.ListTextAnswers(
        pb.ListTextAnswersRequest(questionnaire_id=made.id, question_id="q4"), metadata=svc.md(boss)
    )
    assert [(t.text, t.town_code) for t in texts.answers] == [("多放农技节目", TOWN)]

    await svc.api.CloseQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=svc.md(boss))
    assert outbox_rows(svc.db) == [
        ("sbc.opinions.questionnaires.v1", "sbc.opinions.questionnaire.published.v1"),
        ("sbc.opinions.responses.v1", "sbc.opinions.response.submitted.v1"),
        ("sbc.opinions.responses.v1", "sbc.opinions.response.submitted.v1"),
        ("sbc.opinions.questionnaires.v1", "sbc.opinions.questionnaire.closed.v1"),
    ]
    # Closed: refused, and still readable by the household that answered.
    late = await rpc_error(
        svc.api.SubmitResponse(
            pb.SubmitResponseRequest(questionnaire_id=made.id, answers=GOOD), metadata=svc.md(home(VILLAGE))
        )
    )
    assert late.code() == grpc.StatusCode.FAILED_PRECONDITION and "closed" in late.details()
    seen = await svc.api.GetQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=svc.md(a))
    assert seen.state == "closed" and seen.answered and not seen.open


async def test_before_opening_and_after_closing_time_answers_are_refused(svc):
    q = await published(svc, opens_at=to_timestamp(NOW + dt.timedelta(hours=1)))
    call = pb.SubmitResponseRequest(questionnaire_id=q.id, answers=GOOD)
    early = await rpc_error(svc.api.SubmitResponse(call, metadata=svc.md(home())))
    assert early.code() == grpc.StatusCode.FAILED_PRECONDITION and "not open yet" in early.details()
    svc.clock.move(days=8)
    late = await rpc_error(svc.api.SubmitResponse(call, metadata=svc.md(home())))
    assert late.code() == grpc.StatusCode.FAILED_PRECONDITION and "closed" in late.details()
    assert count(svc.db, store.responses) == 0


async def test_areas_and_audiences_decide_who_sees_it(svc):
    villages = await published(svc, audience="villages")
    for who, sees in ((home(VILLAGE), True), (home(NEIGHBOURHOOD), False), (home(OTHER_TOWN + "201"), False)):
        listed = await svc.api.ListOpenForMe(pb.ListOpenForMeRequest(), metadata=svc.md(who))
        assert [q.id for q in listed.questionnaires] == ([villages.id] if sees else [])
        if not sees:
            err = await rpc_error(svc.api.GetQuestionnaire(pb.QuestionnaireRef(id=villages.id), metadata=svc.md(who)))
            assert err.code() == grpc.StatusCode.NOT_FOUND
            err = await rpc_error(
                svc.api.SubmitResponse(
                    pb.SubmitResponseRequest(questionnaire_id=villages.id, answers=GOOD), metadata=svc.md(who)
                )
            )
            assert err.code() == grpc.StatusCode.NOT_FOUND


async def test_staff_of_one_area_see_and_run_only_theirs(svc):
    mine = await published(svc)
    other = editor(OTHER_TOWN)
    for call in (
        svc.api.GetQuestionnaire(pb.QuestionnaireRef(id=mine.id), metadata=svc.md(other)),
        svc.api.CloseQuestionnaire(pb.QuestionnaireRef(id=mine.id), metadata=svc.md(other)),
        svc.api.GetResults(pb.QuestionnaireRef(id=mine.id), metadata=svc.md(other)),
        svc.api.UpdateDraft(
            pb.UpdateDraftRequest(id=mine.id, draft=a_draft(target_areas=[OTHER_TOWN])), metadata=svc.md(other)
        ),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    assert not (await svc.api.ListQuestionnaires(pb.ListQuestionnairesRequest(), metadata=svc.md(other))).questionnaires
    district = editor("330411")
    listed = await svc.api.ListQuestionnaires(pb.ListQuestionnairesRequest(), metadata=svc.md(district))
    assert [q.id for q in listed.questionnaires] == [mine.id]
    err = await rpc_error(
        svc.api.CreateQuestionnaire(
            pb.CreateQuestionnaireRequest(draft=a_draft(target_areas=[OTHER_TOWN])), metadata=svc.md(editor())
        )
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_callers_who_may_not(svc):
    q = await published(svc)
    assert (
        await rpc_error(svc.api.GetQuestionnaire(pb.QuestionnaireRef(id=q.id)))
    ).code() == grpc.StatusCode.UNAUTHENTICATED
    bad = [("authorization", "Bearer not-a-token")]
    err = await rpc_error(svc.api.ListOpenForMe(pb.ListOpenForMeRequest(), metadata=bad))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    for who in (home(), staff("technician", area_code=TOWN)):
        for call in (
            svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=a_draft()), metadata=svc.md(who)),
            svc.api.GetResults(pb.QuestionnaireRef(id=q.id), metadata=svc.md(who)),
            svc.api.ListQuestionnaires(pb.ListQuestionnairesRequest(), metadata=svc.md(who)),
        ):
            assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    for call in (
        svc.api.SubmitResponse(
            pb.SubmitResponseRequest(questionnaire_id=q.id, answers=GOOD), metadata=svc.md(editor())
        ),
        svc.api.ListOpenForMe(pb.ListOpenForMeRequest(), metadata=svc.md(editor())),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    assert count(svc.db, store.responses) == 0


@pytest.mark.parametrize(
    "draft, field",
    [
        (a_draft(title=""), "title"),
        (a_draft(title="x" * 101), "title"),
        (a_draft(title="a\x00b"), "title"),
        (a_draft(closes_at=to_timestamp(NOW - dt.timedelta(days=1))), "closes_at"),
        (a_draft(audience="elders"), "audience"),
        (a_draft(target_areas=["abc"]), "target_areas"),
        (a_draft(questions=[pb.Question(kind="single", text="x", choices=["only"])]), "questions[0].choices"),
    ],
)
async def test_a_bad_draft_is_invalid_argument_and_changes_nothing(svc, draft, field):
    err = await rpc_error(
        svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=draft), metadata=svc.md(editor()))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert count(svc.db, store.questionnaires) == 0


@pytest.mark.parametrize(
    "answers, field",
    [
        ([pb.Answer(question_id="q3", scale=3)], "answers.q1"),
        ([pb.Answer(question_id="q1", choices=[5]), pb.Answer(question_id="q3", scale=3)], "answers.q1"),
        (
            [
                pb.Answer(question_id="q1", choices=[0]),
                pb.Answer(question_id="q2", choices=[0, 1, 2]),
                pb.Answer(question_id="q3", scale=3),
            ],
            "answers.q2",
        ),
        ([pb.Answer(question_id="q1", choices=[0]), pb.Answer(question_id="q3", scale=6)], "answers.q3"),
        (
            [
                pb.Answer(question_id="q1", choices=[0]),
                pb.Answer(question_id="q3", scale=3),
                pb.Answer(question_id="q4", text="长" * 51),
            ],
            "answers.q4",
        ),
    ],
)
async def test_bad_answers_are_invalid_argument_and_change_nothing(svc, answers, field):
    q = await published(svc)
    before = outbox_rows(svc.db)
    err = await rpc_error(
        svc.api.SubmitResponse(
            pb.SubmitResponseRequest(questionnaire_id=q.id, answers=answers), metadata=svc.md(home())
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert count(svc.db, store.responses) == 0 and outbox_rows(svc.db) == before


async def test_out_of_order_calls_are_refused_and_change_nothing(svc):
    boss = svc.md(editor())
    made = await svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=a_draft()), metadata=boss)
    for call in (
        svc.api.CloseQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=boss),
        svc.api.SubmitResponse(
            pb.SubmitResponseRequest(questionnaire_id=made.id, answers=GOOD), metadata=svc.md(home())
        ),
    ):
        assert (await rpc_error(call)).code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND)
    empty = await svc.api.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=a_draft(questions=[])), metadata=boss)
    err = await rpc_error(svc.api.PublishQuestionnaire(pb.QuestionnaireRef(id=empty.id), metadata=boss))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    await svc.api.PublishQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=boss)
    for call in (
        svc.api.PublishQuestionnaire(pb.QuestionnaireRef(id=made.id), metadata=boss),
        svc.api.UpdateDraft(pb.UpdateDraftRequest(id=made.id, draft=a_draft()), metadata=boss),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.FAILED_PRECONDITION
    assert len(outbox_rows(svc.db)) == 1
    for bad_id in ("", "x" * 37):
        err = await rpc_error(svc.api.GetQuestionnaire(pb.QuestionnaireRef(id=bad_id), metadata=boss))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = await rpc_error(
        svc.api.ListTextAnswers(pb.ListTextAnswersRequest(questionnaire_id=made.id, question_id="q1"), metadata=boss)
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "question_id" in field_errors_of(err)


async def test_text_answers_come_in_pages_newest_first(svc):
    q = await published(svc)
    for i in range(5):
        answers = [*GOOD[:3], pb.Answer(question_id="q4", text=f"建议{i}")]
        await svc.api.SubmitResponse(
            pb.SubmitResponseRequest(questionnaire_id=q.id, answers=answers), metadata=svc.md(home())
        )
    await svc.api.SubmitResponse(
        pb.SubmitResponseRequest(questionnaire_id=q.id, answers=GOOD[:3]), metadata=svc.md(home())
    )
    seen, token = [], ""
    while True:
        page = await svc.api.ListTextAnswers(
            pb.ListTextAnswersRequest(
                questionnaire_id=q.id, question_id="q4", page=common_pb2.PageRequest(page_size=2, page_token=token)
            ),
            metadata=svc.md(editor()),
        )
        seen += [a.text for a in page.answers]
        token = page.page.next_page_token
        if not token:
            break
    assert seen == [f"建议{i}" for i in reversed(range(5))]
    err = await rpc_error(
        svc.api.ListTextAnswers(
            pb.ListTextAnswersRequest(
                questionnaire_id=q.id, question_id="q4", page=common_pb2.PageRequest(page_size=51)
            ),
            metadata=svc.md(editor()),
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
