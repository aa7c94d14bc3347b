"""Opinions's rules, without I/O: drafts checked, the states, who is asked, answers checked, results counted."""

from __future__ import annotations

import datetime as dt

import pytest

from opinions import domain
from opinions.domain import Answer, Kind, Question
from opinions.tests.conftest import AUDIENCES, NEIGHBOURHOOD, NOW, OTHER_TOWN, TOWN, VILLAGE, draft, editor, home
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

ONE_SCALE = Question("", Kind.SCALE, "满意吗", scale_low="差", scale_high="好")
GOOD = [Answer("q1", (0,)), Answer("q2", (1, 3)), Answer("q3", scale=4), Answer("q4", text=" 多放农技节目 ")]


def published(by: str = TOWN, **kw) -> domain.Questionnaire:
    q = domain.Questionnaire.write(editor(by), draft(**kw), AUDIENCES, NOW)
    q.publish(NOW)
    q.pull_events()
    return q


def test_a_draft_gets_question_ids_and_bounds():
    q = domain.Questionnaire.write(editor(), draft(), AUDIENCES, NOW)
    questions = q.question_list()
    assert [x.id for x in questions] == ["q1", "q2", "q3", "q4"] and q.state == domain.State.DRAFT
    assert (questions[1].min_picks, questions[1].max_picks) == (1, 2)
    assert questions[3].max_length == 100 and questions[2].scale_low == "很不满意"
    assert q.area_code == TOWN and q.pull_events() == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"organizer": "a\u202eb"}, "organizer"),
        ({"closes_at": NOW}, "closes_at"),
        ({"opens_at": None}, "opens_at"),
        ({"target_areas": ()}, "target_areas"),
        ({"target_areas": ("33041110",)}, "target_areas"),
        ({"audience": "elders"}, "audience"),
        ({"questions": (Question("", "essay", "x"),)}, "questions[0].kind"),
        ({"questions": (Question("", Kind.SINGLE, "x", choices=("a",)),)}, "questions[0].choices"),
        ({"questions": (Question("", Kind.SINGLE, "x", choices=("a", "a")),)}, "questions[0].choices"),
        ({"questions": (Question("", Kind.MULTIPLE, "x", choices=("a", "b"), min_picks=3),)}, "questions[0].max_picks"),
        ({"questions": (Question("", Kind.SCALE, "x"),)}, "questions[0].scale_low"),
        ({"questions": (Question("", Kind.TEXT, "x", max_length=501),)}, "questions[0].max_length"),
        ({"questions": (Question("", Kind.TEXT, ""),)}, "questions[0].text"),
        ({"questions": (ONE_SCALE,) * 31}, "questions"),
    ],
)
def test_a_bad_draft_is_refused_naming_the_field(change, field):
    with pytest.raises(InvalidArgument) as e:
        domain.Questionnaire.write(editor(), draft(**change), AUDIENCES, NOW)
    assert field in e.value.field_errors


def test_only_editors_of_the_area_write_for_it():
    with pytest.raises(PermissionDenied):
        domain.Questionnaire.write(editor(OTHER_TOWN), draft(), AUDIENCES, NOW)
    with pytest.raises(PermissionDenied):
        domain.Questionnaire.write(home(), draft(), AUDIENCES, NOW)
    district = editor("330411")
    q = domain.Questionnaire.write(district, draft(target_areas=(TOWN, OTHER_TOWN)), AUDIENCES, NOW)
    assert q.run_by(district) and not q.run_by(editor(TOWN)) and not q.run_by(editor(OTHER_TOWN))
    town_q = domain.Questionnaire.write(editor(), draft(), AUDIENCES, NOW)
    assert town_q.run_by(district) and town_q.run_by(editor()) and not town_q.run_by(editor(OTHER_TOWN))


def test_draft_published_closed_each_once_with_its_events():
    q = domain.Questionnaire.write(editor(), draft(), AUDIENCES, NOW)
    q.edit(editor(), draft(title="新标题"), AUDIENCES)
    q.publish(NOW)
    assert q.state == domain.State.PUBLISHED and q.title == "新标题"
    with pytest.raises(FailedPrecondition):
        q.publish(NOW)
    with pytest.raises(FailedPrecondition):
        q.edit(editor(), draft(), AUDIENCES)
    q.close(NOW)
    with pytest.raises(FailedPrecondition):
        q.close(NOW)
    kinds = [type(e) for e in q.pull_events()]
    assert kinds == [domain.QuestionnairePublished, domain.QuestionnaireClosed]


def test_nothing_to_ask_or_past_its_close_is_not_published():
    with pytest.raises(FailedPrecondition):
        domain.Questionnaire.write(editor(), draft(questions=()), AUDIENCES, NOW).publish(NOW)
    with pytest.raises(FailedPrecondition):
        domain.Questionnaire.write(editor(), draft(), AUDIENCES, NOW).publish(NOW + dt.timedelta(days=8))


def test_areas_and_audiences_decide_who_is_asked():
    everyone = published()
    assert everyone.asks(VILLAGE, AUDIENCES) and everyone.asks(NEIGHBOURHOOD, AUDIENCES)
    assert not everyone.asks(OTHER_TOWN + "201", AUDIENCES)
    villages = published(audience="villages")
    assert villages.asks(VILLAGE, AUDIENCES) and not villages.asks(NEIGHBOURHOOD, AUDIENCES)
    towns = published(audience="neighbourhoods")
    assert towns.asks(NEIGHBOURHOOD, AUDIENCES) and not towns.asks(VILLAGE, AUDIENCES)
    draft_only = domain.Questionnaire.write(editor(), draft(), AUDIENCES, NOW)
    assert not draft_only.asks(VILLAGE, AUDIENCES)


def test_a_good_response_keeps_choice_and_scale_in_its_event_not_text():
    q = published()
    r = q.answer(home(), GOOD, AUDIENCES, NOW)
    assert r.area_code == VILLAGE and [a["question_id"] for a in r.answers] == ["q1", "q2", "q3", "q4"]
    assert r.answers[3]["text"] == "多放农技节目"
    (event,) = r.pull_events()
    assert isinstance(event, domain.ResponseSubmitted) and event.area_code == VILLAGE
    assert [(k, a.question_id) for k, a in event.answers] == [("single", "q1"), ("multiple", "q2"), ("scale", "q3")]


@pytest.mark.parametrize(
    "answers, wrong",
    [
        ([Answer("q3", scale=4)], "answers.q1"),  # required unanswered
        ([Answer("q1", (3,)), Answer("q3", scale=4)], "answers.q1"),  # no such choice
        ([Answer("q1", (0, 1)), Answer("q3", scale=4)], "answers.q1"),  # two on a single choice
        ([Answer("q1", (0,)), Answer("q2", (0, 1, 2)), Answer("q3", scale=4)], "answers.q2"),  # too many
        ([Answer("q1", (0,)), Answer("q2", (0, 0)), Answer("q3", scale=4)], "answers.q2"),  # twice
        ([Answer("q1", (0,)), Answer("q3", scale=6)], "answers.q3"),
        ([Answer("q1", (0,)), Answer("q3", scale=-1)], "answers.q3"),
        ([Answer("q1", (0,)), Answer("q3", scale=3), Answer("q4", text="长" * 101)], "answers.q4"),
        ([Answer("q1", (0,)), Answer("q3", scale=3), Answer("q4", text="a\x00")], "answers.q4"),
        ([Answer("q1", (0,)), Answer("q3", scale=3), Answer("q9", (0,))], "answers.q9"),
        ([Answer("q1", (0,)), Answer("q1", (1,)), Answer("q3", scale=3)], "answers.q1"),
        ([Answer("q1", (0,)), Answer("q3", (1,))], "answers.q3"),
    ],
)
def test_bad_answers_are_refused_naming_the_question(answers, wrong):
    with pytest.raises(InvalidArgument) as e:
        published().answer(home(), answers, AUDIENCES, NOW)
    assert wrong in e.value.field_errors


def test_answers_only_while_it_is_open_and_only_where_it_asks():
    q = published(opens_at=NOW + dt.timedelta(hours=1))
    with pytest.raises(FailedPrecondition, match="not open yet"):
        q.answer(home(), GOOD, AUDIENCES, NOW)
    with pytest.raises(FailedPrecondition, match="closed"):
        q.answer(home(), GOOD, AUDIENCES, NOW + dt.timedelta(days=8))
    q.close(NOW + dt.timedelta(hours=2))
    with pytest.raises(FailedPrecondition, match="closed"):
        q.answer(home(), GOOD, AUDIENCES, NOW + dt.timedelta(hours=3))
    with pytest.raises(NotFound):
        published().answer(home(OTHER_TOWN + "201"), GOOD, AUDIENCES, NOW)
    with pytest.raises(PermissionDenied):
        published().answer(editor(), GOOD, AUDIENCES, NOW)


def test_results_count_choices_scales_and_towns_without_households():
    q = published("330411", target_areas=(TOWN, OTHER_TOWN), organizer="区委宣传部")
    answers = [
        (VILLAGE, [a.as_dict() for a in GOOD]),
        (NEIGHBOURHOOD, [Answer("q1", (1,)).as_dict(), Answer("q3", scale=2).as_dict()]),
        (
            OTHER_TOWN + "201",
            [Answer("q1", (0,)).as_dict(), Answer("q2", (3,)).as_dict(), Answer("q3", scale=5).as_dict()],
        ),
    ]
    r = domain.tally(q.question_list(), answers)
    assert r.responses == 3
    single, multiple, scale, text = r.questions
    assert single.choice_counts == [2, 1, 0] and single.answered == 3
    assert multiple.choice_counts == [0, 1, 0, 2] and multiple.answered == 2
    assert scale.scale_counts == [0, 1, 0, 1, 1] and scale.scale_mean == pytest.approx(11 / 3, abs=0.01)
    assert text.text_answers == 1
    assert [(t.town_code, t.responses) for t in r.towns] == [(TOWN, 2), (OTHER_TOWN, 1)]
    assert domain.tally(q.question_list(), []).questions[2].scale_mean == 0.0


def test_publishing_invites_the_targeted_households_in_batches():
    q = domain.Questionnaire.write(editor(), draft(audience="villages"), AUDIENCES, NOW)
    known = {f"hh-{n:04d}": VILLAGE for n in range(1001)} | {"hh-town": NEIGHBOURHOOD, "hh-far": OTHER_TOWN + "201"}
    invited = q.targeted(known, AUDIENCES)
    assert len(invited) == 1001 and "hh-town" not in invited and "hh-far" not in invited
    q.publish(NOW, invited)
    published, *batches = q.pull_events()
    assert isinstance(published, domain.QuestionnairePublished)
    assert [len(b.household_ids) for b in batches] == [500, 500, 1]
    assert sum((b.household_ids for b in batches), ()) == tuple(invited)
