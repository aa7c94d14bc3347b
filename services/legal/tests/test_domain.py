"""Legal's rules without I/O: the district's data is checked as it loads, and content is published
only after a second officer's review."""

from __future__ import annotations

import datetime as dt

import pytest

from legal import domain
from legal.domain.content import Draft
from legal.tests.conftest import NOW, VILLAGE, Callers, districts_with
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

ARTICLE = Draft("article", "fraud", ["elders"], "防范养老诈骗", "正文", "朗读的文字")


def district() -> domain.District:
    return districts_with().of("330411")


def ask(*args) -> domain.Consultation:
    return domain.Consultation.ask(*args, idempotency_key="key-1")


def test_the_tvs_ready_questions_are_the_districts_topics_and_fit_the_limit():
    rules = district().consultation
    assert rules.call_back_request and set(rules.ready_questions) <= set(rules.topics)

    def unknown_topic(data):
        data["consultation"]["ready_questions"]["tax"] = ["个税怎么交？"]

    def too_long(data):
        data["consultation"]["ready_questions"]["land"] = ["问" * 501]

    for change in (unknown_topic, too_long):
        with pytest.raises(ValueError, match="ready questions"):
            districts_with(change)


def test_a_question_needs_an_idempotency_key_of_at_most_100_characters():
    for key in ("", "k" * 101, "a\x00b"):
        with pytest.raises(InvalidArgument) as e:
            domain.Consultation.ask(Callers().home, district(), "land", "承包地", NOW, idempotency_key=key)
        assert "idempotency_key" in e.value.field_errors


def test_the_roster_gives_each_village_its_advisor_and_refuses_a_lawyer_with_six_villages():
    assert district().advisor_of(VILLAGE).username == "lawyer.gz"
    with pytest.raises(NotFound):
        district().advisor_of("330411009999")

    def six(data):
        data["advisors"][0]["villages"] = [f"330411004{i:03d}" for i in range(1, 7)]

    with pytest.raises(ValueError, match="6 villages"):
        districts_with(six)

    def twice(data):
        data["advisors"][1]["villages"].append(VILLAGE)

    with pytest.raises(ValueError, match="two advisors"):
        districts_with(twice)


def test_the_author_never_publishes_their_own_draft_and_a_second_officer_does():
    who = Callers()
    c = domain.Content.draft(who.author, district(), ARTICLE, "k", NOW)
    assert c.state == "in_review" and c.audience_list == ["elders"]
    with pytest.raises(PermissionDenied, match="second person"):
        c.publish(who.author, district(), NOW)
    assert c.state == "in_review"
    c.publish(who.reviewer, district(), NOW)
    assert c.state == "published" and c.reviewer == who.reviewer.subject
    with pytest.raises(FailedPrecondition):
        c.return_to_author(who.reviewer, district(), "改一下", NOW)
    assert [e.step for e in c.pull_events()] == ["drafted", "published"]


@pytest.mark.parametrize(
    "draft, field",
    [
        (Draft("poem", "fraud", ["elders"], "t", "b", "s"), "kind"),
        (Draft("article", "", ["elders"], "t", "b", "s"), "topic"),
        (Draft("article", "fraud", [], "t", "b", "s"), "audiences"),
        (Draft("article", "fraud", ["aliens"], "t", "b", "s"), "audiences"),
        (Draft("article", "fraud", ["elders"], "t" * 101, "b", "s"), "title"),
        (Draft("article", "fraud", ["elders"], "t", "b", ""), "speech_text"),
        (Draft("article", "fraud", ["elders"], "t", "b", "s", audio_url="http://x/a.mp3"), "audio_url"),
        (Draft("video", "fraud", ["elders"], "t", "b", "s"), "video_url"),
        (Draft("article", "fraud", ["elders"], "t", "b", "s", video_url="https://x/v.mp4"), "video_url"),
    ],
)
def test_a_bad_draft_names_its_field(draft, field):
    with pytest.raises(InvalidArgument) as e:
        domain.Content.draft(Callers().author, district(), draft, "k", NOW)
    assert field in e.value.field_errors


def test_a_notice_needs_no_topic_and_only_officers_draft():
    who = Callers()
    notice = Draft("party_notice", "", ["everyone"], "党员志愿服务", "本周六", "本周六")
    assert domain.Content.draft(who.author, district(), notice, "k", NOW).kind == "party_notice"
    for caller in (who.home, who.advisor, who.foreign_officer):
        with pytest.raises(PermissionDenied):
            domain.Content.draft(caller, district(), notice, "k", NOW)


# --- consultations ---


def test_a_question_goes_to_the_villages_advisor_with_five_working_hours_to_an_answer():
    who = Callers()
    c = ask(who.home, district(), "land", "承包地被占用怎么办？", NOW)  # Tuesday 10:00
    assert (c.advisor, c.state, c.village_code) == ("lawyer.gz", "waiting", VILLAGE)
    assert c.due_at == dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)  # 15:00 local, the same day
    # 80% of 5 h is 4 h: 14:00 local.
    assert c.next_escalation_at == dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    assert c.escalate(district(), NOW + dt.timedelta(hours=3, minutes=59)) == []
    assert c.escalate(district(), NOW + dt.timedelta(hours=4)) == [80]
    assert c.escalate(district(), NOW + dt.timedelta(hours=4, minutes=30)) == [], "each threshold once"
    assert c.escalate(district(), NOW + dt.timedelta(hours=6)) == [100] and c.next_escalation_at is None


def test_an_answer_late_in_the_day_runs_on_into_the_next_working_day():
    friday_4pm = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)
    c = ask(Callers().home, district(), "family", "离婚后孩子抚养费？", friday_4pm)
    # 1 h on Friday, 4 h from Monday 08:30: Monday 12:30 local.
    assert c.due_at == dt.datetime(2026, 12, 7, 4, 30, tzinfo=dt.UTC)
    assert c.escalate(district(), friday_4pm + dt.timedelta(days=2)) == [], "the weekend does not count"


def test_only_the_villages_advisor_answers_and_only_the_asker_follows_up_and_rates():
    who = Callers()
    c = ask(who.home, district(), "labour", "工资被拖欠", NOW)
    with pytest.raises(PermissionDenied, match="not the legal advisor"):
        c.answer(who.other_advisor, district(), "答复", NOW)
    with pytest.raises(InvalidArgument):
        c.answer(who.advisor, district(), " ", NOW)
    with pytest.raises(FailedPrecondition):
        c.follow_up(who.home, district(), "还有一个问题", NOW)
    c.answer(who.advisor, district(), "可以申请劳动仲裁。", NOW)
    with pytest.raises(FailedPrecondition):
        c.answer(who.advisor, district(), "再答一次", NOW)
    with pytest.raises(PermissionDenied):
        c.follow_up(who.neighbour, district(), "我也问", NOW)
    c.follow_up(who.home, district(), "仲裁要钱吗？", NOW)
    assert (
        c.state == "waiting"
        and c.escalated_percent == 0
        and [m.kind for m in c.messages]
        == [
            "question",
            "answer",
            "follow_up",
        ]
    )
    c.answer(who.advisor, district(), "劳动仲裁不收费。", NOW)
    c.rate(who.home, district(), "very_satisfied", {"timeliness": 5}, "", [], NOW)
    with pytest.raises(FailedPrecondition):
        c.rate(who.home, district(), "satisfied", {}, "", [], NOW)


@pytest.mark.parametrize("question", ["", "   ", "问" * 501, "a\x00b"])
def test_an_empty_or_too_long_question_is_refused(question):
    with pytest.raises(InvalidArgument) as e:
        ask(Callers().home, district(), "land", question, NOW)
    assert "question" in e.value.field_errors


def test_an_agent_asks_for_a_household_of_their_own_village_only():
    who = Callers()
    c = ask(who.agent, district(), "elders", "老人赡养", NOW, "hh-home", VILLAGE, "口头同意")
    assert (c.household_id, c.asker_kind, c.consent) == ("hh-home", "village_agent", "口头同意")
    assert c.visible_to(who.agent) and c.visible_to(who.home) and not c.visible_to(who.neighbour)
    with pytest.raises(PermissionDenied):
        ask(who.agent, district(), "elders", "x", NOW, "hh-x", "330411105001", "同意")
    for caller in (who.advisor, who.author, who.technician):
        with pytest.raises(PermissionDenied):
            ask(caller, district(), "elders", "x", NOW)
