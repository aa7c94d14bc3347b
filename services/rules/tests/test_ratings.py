"""好差评 rules shared by the domains."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules import ratings
from runtime.errors import FailedPrecondition, InvalidArgument

AT = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
NAMED = ("efficiency", "attitude", "result")


def give(level="satisfied", indicators=None, comment="", already=""):
    return ratings.Rating.give(
        level, indicators or {}, comment, AT, named=NAMED, max_comment=1000, already=already, case="request"
    )


def test_five_levels_two_of_them_bad():
    assert len(ratings.LEVELS) == 5
    assert [ratings.is_bad(level) for level in ratings.LEVELS] == [False, False, False, True, True]
    assert [ratings.is_satisfied(level) for level in ratings.LEVELS] == [True, True, True, False, False]
    assert give("dissatisfied").bad and not give("basically_satisfied").bad


def test_a_rating_with_its_indicators_and_comment():
    r = give("very_satisfied", {"efficiency": 5, "result": 1}, "师傅很快")
    assert (r.level, dict(r.indicators), r.comment, r.at) == (
        "very_satisfied",
        {"efficiency": 5, "result": 1},
        "师傅很快",
        AT,
    )


@pytest.mark.parametrize(
    "level,indicators,comment,field",
    [
        ("great", {}, "", "level"),
        ("satisfied", {"speed": 3}, "", "indicators"),
        ("satisfied", {"result": 6}, "", "indicators"),
        ("satisfied", {"result": 0}, "", "indicators"),
        ("satisfied", {"result": 2410597577713975}, "", "indicators"),
        ("satisfied", {}, "x" * 1001, "comment"),
        ("satisfied", {}, "a\x00b", "comment"),
    ],
)
def test_a_bad_rating_names_its_field(level, indicators, comment, field):
    with pytest.raises(InvalidArgument) as info:
        give(level, indicators, comment)
    assert set(info.value.field_errors) == {field}


def test_every_wrong_field_is_named_at_once():
    with pytest.raises(InvalidArgument) as info:
        give("great", {"speed": 3}, "x" * 1001)
    assert set(info.value.field_errors) == {"level", "indicators", "comment"}


def test_one_rating_per_case():
    with pytest.raises(ratings.AlreadyRated) as info:
        give("satisfied", already="very_satisfied")
    assert isinstance(info.value, FailedPrecondition) and "one rating per request" in info.value.message
    with pytest.raises(InvalidArgument):
        give("great", already="satisfied")  # a malformed rating is refused as such first


def test_rectification_within_working_days_in_the_districts_zone():
    deadline = ratings.rectification_deadline(AT, 15, ZoneInfo("Asia/Shanghai"))
    assert deadline.date() == dt.date(2026, 11, 23) and deadline.tzinfo == dt.UTC


def test_reasons_are_the_services_labels_each_once():
    r = ratings.Rating.give(
        "dissatisfied", {}, "", AT, named=NAMED, max_comment=10, reasons=["办事效率低"], labels=["办事效率低", "态度差"]
    )
    assert r.reasons == ("办事效率低",) and r.bad
    for reasons in (["别的"], ["态度差", "态度差"]):
        with pytest.raises(InvalidArgument) as info:
            ratings.Rating.give(
                "satisfied", {}, "", AT, named=NAMED, max_comment=10, reasons=reasons, labels=["办事效率低", "态度差"]
            )
        assert set(info.value.field_errors) == {"reasons"}
    assert give().reasons == (), "a service that names no reasons rates as before"


def test_a_bad_ratings_case_is_a_call_back_then_the_fix_then_one_more_rating():
    from rules.ratings import Rectification, call_back_deadline

    at = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    assert call_back_deadline(at, 24) == at + dt.timedelta(days=1)
    opened = Rectification(None, None)
    with pytest.raises(FailedPrecondition, match="only a bad rating"):
        opened.check_call_back(bad=False)
    with pytest.raises(FailedPrecondition, match="call the citizen back"):
        opened.check_fix(bad=True)
    opened.check_call_back(bad=True)
    called = Rectification(at, None)
    with pytest.raises(FailedPrecondition, match="recorded already"):
        called.check_call_back(bad=True)
    called.check_fix(bad=True)
    assert not called.may_rate_again
    fixed = Rectification(at, at)
    assert fixed.may_rate_again
    with pytest.raises(FailedPrecondition, match="recorded already"):
        fixed.check_fix(bad=True)


def test_an_unrated_case_is_invited_the_services_days_after_completion():
    assert ratings.invitation_at(AT, 3) == AT + dt.timedelta(days=3)
    # The latest completion whose invitation is due now: the inverse.
    assert ratings.invite_if_completed_by(AT + dt.timedelta(days=3), 3) == AT
    assert ratings.invitation_at(ratings.invite_if_completed_by(AT, 2.5), 2.5) == AT
