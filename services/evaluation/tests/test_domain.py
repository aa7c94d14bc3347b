"""The read model's rules, no I/O: what each subject counts, the periods, the scheme and the report
(figures, scores, the weekly minimum, problems, the causes of bad ratings); and the service desk's
indicators computed here equal the service desk's own assessment for the same requests."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from collections import Counter

import pytest

from evaluation import domain
from evaluation.domain import folding
from evaluation.domain.folding import Tally
from evaluation.store import load_schemes
from runtime.errors import InvalidArgument

UTC = dt.UTC
SCHEME = load_schemes()["330411"]
TOWN = "330411101"
VILLAGE = TOWN + "201"
POINT = "SP-330411101"
# Tuesday 3 November 2026, 10:00 in Xiuzhou.
T0 = dt.datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)


def counters(subjects) -> Counter:
    total: Counter = Counter()
    for s in subjects:
        total.update(s.contributions())
    return total


def case(
    rid: str, *, service_type="repair", resolved_after=None, deadline_after=24 * H, level="", rectified_after=None
):
    c = domain.CaseSubject.new(rid)
    c.submitted(VILLAGE, POINT, service_type, T0, T0 + deadline_after)
    if resolved_after is not None:
        c.moved(VILLAGE, POINT, service_type, T0, T0 + deadline_after, "resolved", T0 + resolved_after)
    if level:
        c.rated(level, T0 + 15 * 24 * H)
    if rectified_after is not None:
        c.followed_up(T0 + rectified_after)
    return c


def test_a_request_counts_on_the_day_it_was_filed_in_its_point_and_town():
    c = case("r1", resolved_after=2 * H, level="dissatisfied", rectified_after=48 * H)
    got = {t.measure: n for t, n in c.contributions().items() if not t.measure.startswith("bad.")}
    assert got == {"sd.filed": 1, "sd.resolved": 1, "sd.on_time": 1, "sd.rated": 1, "sd.bad": 1, "sd.rectified": 1}
    [key] = {(t.day, t.district, t.town, t.point) for t in c.contributions()}
    assert key == (dt.date(2026, 11, 3), "330411", TOWN, POINT)


def test_a_late_resolution_is_overdue_and_a_late_follow_up_does_not_rectify():
    c = case("r1", resolved_after=30 * H, level="very_dissatisfied", rectified_after=20 * 24 * H)
    measures = {t.measure for t in c.contributions()}
    assert "sd.overdue" in measures and "sd.on_time" not in measures
    assert "sd.bad" in measures and "sd.rectified" not in measures
    assert "bad.servicedesk.repair" in measures


def test_the_counters_move_by_the_difference_of_what_a_subject_counts():
    c = case("r1")
    before = c.contributions()
    assert c.open_deadline() == T0 + 24 * H
    c.moved(VILLAGE, POINT, "repair", T0, T0 + 24 * H, "resolved", T0 + H)
    change = domain.diff(before, c.contributions())
    assert {t.measure: n for t, n in change.items()} == {"sd.resolved": 1, "sd.on_time": 1}
    assert c.open_deadline() is None
    # Moved to another point: counted there instead, nothing left behind.
    before = c.contributions()
    c.moved(VILLAGE, "SP-330411102", "repair", T0, T0 + 24 * H, "closed", T0 + 2 * H)
    change = domain.diff(before, c.contributions())
    assert sum(change.values()) == 0 and {t.point for t, n in change.items() if n > 0} == {"SP-330411102"}


def test_a_subject_survives_its_json_unchanged():
    c = case("r1", resolved_after=2 * H, level="satisfied")
    again = domain.CaseSubject.from_json("r1", json.loads(json.dumps(c.to_json())))
    assert again.contributions() == c.contributions()


def test_an_application_done_without_a_visit_and_its_rating():
    a = domain.ApplicationSubject.new("app-1")
    a.step("submitted", "submitted", VILLAGE, "参保登记", "", T0)
    a.step("approved", "approved", VILLAGE, "参保登记", "", T0 + H)
    a.step("rated", "approved", VILLAGE, "参保登记", "dissatisfied", T0 + 2 * H)
    measures = Counter(t.measure for t in a.contributions())
    assert measures["egov.done"] == measures["egov.no_visit"] == 1 and measures["rating.egov.bad"] == 1
    assert measures["bad.egov.参保登记"] == 1 and measures["rating.egov.rectified"] == 0
    a.step("visited", "approved", VILLAGE, "参保登记", "", T0 + H)
    a.step("rectified", "approved", VILLAGE, "参保登记", "", T0 + 3 * H)
    measures = Counter(t.measure for t in a.contributions())
    assert measures["egov.no_visit"] == 0 and measures["rating.egov.rectified"] == 1


@pytest.mark.parametrize(
    "state, done", [("submitted", False), ("accepted", False), ("refused", True), ("closed", True)]
)
def test_an_application_is_done_in_e_governments_own_sense(state, done):
    a = domain.ApplicationSubject.new("app-1")
    a.step("x", state, VILLAGE, "参保登记", "", T0)
    assert (Counter(t.measure for t in a.contributions())["egov.done"] == 1) is done


def test_an_application_without_an_area_counts_nowhere():
    a = domain.ApplicationSubject.new("app-1")
    a.step("approved", "approved", "", "x", "", T0)
    assert not a.contributions()


def test_an_alarm_acknowledged_within_ten_minutes():
    quick, slow = domain.AlarmSubject.new("a1"), domain.AlarmSubject.new("a2")
    for alarm, after in ((quick, dt.timedelta(minutes=10)), (slow, dt.timedelta(minutes=10, seconds=1))):
        alarm.raised(VILLAGE, T0)
        alarm.acknowledged(VILLAGE, T0 + after)
    total = Counter(t.measure for t in counters([quick, slow]).elements())
    assert total == {"eldercare.alarms": 2, "eldercare.ack_in_time": 1}


def test_a_cancelled_slot_no_longer_counts():
    slot = domain.SlotSubject.new("s1")
    slot.scheduled(TOWN, T0)
    assert sum(slot.contributions().values()) == 1
    slot.cancelled(TOWN)
    assert not slot.contributions()


@pytest.mark.parametrize(
    "period, months",
    [
        ("2026-11", ["2026-11"]),
        ("2026-Q4", ["2026-10", "2026-11", "2026-12"]),
        ("2026", [f"2026-{m:02d}" for m in range(1, 13)]),
    ],
)
def test_periods(period, months):
    assert domain.months_of(period) == months


@pytest.mark.parametrize(
    "period", ["", "2026-13", "2026-Q5", "26-11", "1999", "3000-01", "2026-1", "2026-11x", "2026-q4"]
)
def test_a_malformed_period_is_refused(period):
    with pytest.raises(InvalidArgument):
        domain.parse_period(period)


def test_the_scheme_is_checked_as_it_loads():
    data = json.loads((pathlib.Path(domain.__file__).parents[1] / "data" / "330411.json").read_text(encoding="utf-8"))
    data["indicators"][0]["weight"] += 0.1
    with pytest.raises(ValueError, match="add up to 1"):
        domain.Scheme.from_json(data)


def report(subjects, period="2026-11", now=dt.datetime(2026, 12, 2, tzinfo=UTC), extra=None):
    counts = dict(counters(subjects))
    for k, v in (extra or {}).items():
        counts[k] = counts.get(k, 0) + v
    return domain.build_report(SCHEME, period, domain.months_of(period), counts, now, now.date())


def by_code(area) -> dict:
    return {f.indicator.code: f for f in area.figures}


def test_the_report_gives_each_indicator_its_value_target_weight_score_and_whether_met():
    subjects = [case(f"r{i}", resolved_after=2 * H, level="satisfied") for i in range(9)]
    subjects.append(case("late", resolved_after=30 * H, level="dissatisfied"))
    r = report(subjects)
    district = by_code(r.overall)
    on_time = district["on_time_rate"]
    assert (on_time.numerator, on_time.denominator, on_time.value) == (9, 10, 90.0)
    assert not on_time.met and on_time.indicator.target == 95
    assert on_time.score == pytest.approx(0.175 * 90)
    assert district["overdue_rate"].value == 10.0 and not district["overdue_rate"].met
    assert not district["egov_no_visit_rate"].measured and district["egov_no_visit_rate"].met
    [point] = [p for p in r.points if p.code == POINT]
    assert by_code(point)["satisfaction_rate"].value == 90.0
    assert {f.indicator.service for f in point.figures} == {"servicedesk"}
    [town] = [t for t in r.towns if t.code == TOWN]
    assert by_code(town)["on_time_rate"].value == 90.0
    problems = {(p.indicator, p.area_code) for p in r.problems}
    assert ("on_time_rate", "330411") in problems and ("on_time_rate", POINT) in problems
    assert ("egov_no_visit_rate", "330411") not in problems
    assert r.causes == [("servicedesk", "repair", 1)]
    assert [x for x in r.ratings if x.service == "servicedesk"][0].rated == 10


def test_at_least_three_farm_programmes_a_week_in_every_town():
    slots = []
    # November 2026's Mondays: 2, 9, 16, 23, 30 (the week of the 30th is over on 7 December).
    for week, plays in ((0, 3), (1, 2)):
        for n in range(plays):
            s = domain.SlotSubject.new(f"s{week}-{n}")
            s.scheduled(TOWN, dt.datetime(2026, 11, 2 + 7 * week, 2, tzinfo=UTC) + n * 24 * H)
            slots.append(s)
    r = report(slots, now=dt.datetime(2026, 11, 17, tzinfo=UTC))  # two weeks over
    [town] = [t for t in r.towns if t.code == TOWN]
    farm = by_code(town)["farm_programmes_weekly"]
    assert (farm.numerator, farm.denominator, farm.value) == (1, 2, 50.0)
    district = by_code(r.overall)["farm_programmes_weekly"]
    assert district.denominator == 2 * len(SCHEME.towns) and district.numerator == 1


def test_trends_give_each_month_of_the_period():
    nov = case("r1", resolved_after=30 * H)
    r = report([nov], period="2026-Q4")
    assert [m.month for m in r.trends] == ["2026-10", "2026-11", "2026-12"]
    values = [{f.indicator.code: f for f in m.figures}["on_time_rate"].value for m in r.trends]
    assert values == [None, 0.0, None]


def test_requests_still_open_past_their_deadline_count_as_overdue():
    open_ = case("r1")
    overdue = {Tally(dt.date(2026, 11, 3), "330411", TOWN, POINT, "sd.overdue"): 1}
    assert by_code(report([open_], extra=overdue).overall)["overdue_rate"].value == 100.0


def test_the_service_desks_figures_and_score_equal_its_own_assessment():
    """The same requests through servicedesk's assessment (its Case, point_metrics and score) and here."""
    from servicedesk.domain import assessment as sd

    sd_scheme = json.loads(
        (pathlib.Path(sd.__file__).parents[1] / "data" / "assessment_scheme.json").read_text(encoding="utf-8")
    )
    mine = [
        case("a", resolved_after=2 * H, level="very_satisfied"),
        case("b", resolved_after=30 * H, level="dissatisfied", rectified_after=24 * H),
        case("c", resolved_after=3 * H, level="very_dissatisfied"),
        case("d", service_type="complaint", resolved_after=H),
        case("e"),
    ]
    theirs = []
    for c in mine:
        s = c.state
        x = sd.Case(c.key, POINT, s["service_type"], "tv", s["submitted_at"], s["deadline_at"], "submitted")
        if s["resolved_at"]:
            x.moved(POINT, s["deadline_at"], "resolved", 0, s["resolved_at"])
        if s["rating_level"]:
            x.rated(s["rating_level"], s["rectification_deadline"])
        x.rectified_at = s["rectified_at"]
        theirs.append(x)
    now = dt.datetime(2026, 12, 2, tzinfo=UTC)
    expected = sd.point_metrics(theirs, *sd.month_bounds("2026-11"), now)
    overdue_open = {Tally(dt.date(2026, 11, 3), "330411", TOWN, POINT, "sd.overdue"): 1}  # "e", past its deadline
    [point] = [p for p in report(mine, now=now, extra=overdue_open).points if p.code == POINT]
    for code, f in by_code(point).items():
        assert f.value == pytest.approx(expected[code]), code
    assert point.score == pytest.approx(sd.score(expected, sd_scheme), abs=0.01)
    # The same proportions as the service desk's weights.
    ours = {i.code: i.weight for i in SCHEME.indicators if i.service == "servicedesk"}
    assert {k: v / sum(ours.values()) for k, v in ours.items()} == pytest.approx(sd_scheme["weights"])


def test_done_means_what_e_governments_figures_mean():
    from egov.domain.applications import COMPLETED

    assert set(folding.EGOV_COMPLETED) == set(COMPLETED)
