"""Legal's rules without I/O: the district's data is checked as it loads, and content is published
only after a second officer's review."""

from __future__ import annotations

import pytest

from legal import domain
from legal.domain.content import Draft
from legal.tests.conftest import NOW, VILLAGE, Callers, districts_with
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

ARTICLE = Draft("article", "fraud", ["elders"], "防范养老诈骗", "正文", "朗读的文字")


def district() -> domain.District:
    return districts_with().of("330411")


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
