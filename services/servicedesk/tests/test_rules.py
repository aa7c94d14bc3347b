"""Pure rules of the grown service desk: routing and area types, the SLA clock,
compensation, appointment windows, working days, the guide, assessment scoring."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import deadlines, ratings
from runtime.errors import FailedPrecondition, InvalidArgument
from servicedesk import domain, store

UTC = dt.UTC
T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def points():
    return domain.ServicePoints.from_data(store.load_service_points_data())


@pytest.fixture(scope="module")
def catalog():
    return domain.Catalog.from_data(store.load_catalog_data(), dt.date(2026, 11, 2))


def test_nine_points_one_per_township_of_the_district(points):
    assert len(points.points) == 9
    assert all(code.startswith("330411") and len(code) == 9 for code in points.points)


@pytest.mark.parametrize(
    "area,point,kind",
    [
        ("330411101001", "SP-330411101", "urban"),
        ("330411105201", "SP-330411105", "village"),
        ("330411001", "SP-330411001", "urban"),
    ],
)
def test_routing_and_area_type(points, area, point, kind):
    assert points.point_for_area(area).code == point and points.area_type(area) == kind


@pytest.mark.parametrize("area", ["330411999001", "330412101001", "", "3304"])
def test_an_area_outside_the_district_has_no_point(points, area):
    with pytest.raises(FailedPrecondition):
        points.point_for_area(area)


def test_bad_service_point_data_is_refused_at_start():
    data = store.load_service_points_data()
    data["service_points"][0]["township_code"] = "33041100"
    with pytest.raises(ValueError):
        domain.ServicePoints.from_data(data)


# The SLA clock's arithmetic is the shared rules' (services/rules), with the service desk's numbers.


def test_percent_used_ignores_the_time_waited():
    deadline = T0 + dt.timedelta(hours=24 + 10)  # moved on by 10 h of waiting
    at = T0 + dt.timedelta(hours=10 + 12)
    assert deadlines.percent_used(T0, deadline, dt.timedelta(hours=10), at) == pytest.approx(50.0)


def test_thresholds_are_raised_once_in_order(catalog):
    assert catalog.rule("sla_thresholds_percent") == [80, 100]
    assert deadlines.thresholds_reached(85, 0, [80, 100]) == [80]
    assert deadlines.thresholds_reached(130, 0, [100, 80]) == [80, 100]
    assert deadlines.thresholds_reached(130, 80, [80, 100]) == [100]
    assert deadlines.thresholds_reached(130, 100, [80, 100]) == []


def test_80_percent_goes_to_the_points_manager_and_100_to_the_district():
    assert deadlines.escalation_target(80, domain.ESCALATION) == "service_point_manager"
    assert deadlines.escalation_target(100, domain.ESCALATION) == "district"


def test_compensation_by_rule(catalog):
    repair, install = catalog.service_type("fault_repair_general"), catalog.service_type("installation")
    deadline = T0
    assert repair.compensation_fen(deadline, deadline, 2500) == 0, "on the deadline is on time"
    assert repair.compensation_fen(deadline, deadline + dt.timedelta(minutes=1), 2500) == 2500
    assert install.compensation_fen(deadline, deadline + dt.timedelta(days=1), 2500) == install.fee_fen // 100
    assert install.compensation_fen(deadline, deadline + dt.timedelta(days=500), 2500) == install.fee_fen, (
        "never more than the fee"
    )
    assert catalog.service_type("relocation").compensation_fen(deadline, deadline + dt.timedelta(days=3), 2500) == 0


def test_windows(catalog):
    domain.Window.of(T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=2), T0, catalog)
    for start, end, field in [
        (T0 - dt.timedelta(hours=1), T0, "window_start"),
        (T0, T0, "window_end"),
        (T0 + dt.timedelta(days=31), T0 + dt.timedelta(days=32), "window_start"),
        (None, T0, "window_start"),
    ]:
        with pytest.raises(InvalidArgument) as info:
            domain.Window.of(start, end, T0, catalog)
        assert field in info.value.field_errors
    assert domain.overlaps(T0, T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=3))
    assert not domain.overlaps(T0, T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=2))


def test_fifteen_working_days_skip_weekends(catalog):
    friday = dt.datetime(2026, 11, 6, 2, 0, tzinfo=UTC)
    assert deadlines.add_working_days(friday, 1, domain.DISTRICT_TZ).date() == dt.date(2026, 11, 9)
    days = catalog.rule("rectification_working_days")
    assert days == 15
    assert ratings.rectification_deadline(T0, days, domain.DISTRICT_TZ).date() == dt.date(2026, 11, 23)


def test_the_guide_speaks_plain_chinese(catalog):
    g = catalog.guide(catalog.service_type("fault_repair_major"))
    assert "城镇2天、农村3天内办好" in g and "老年人、残疾人可以预约上门服务" in g and "免收当月收视费" in g


def test_score_weights_come_from_the_scheme():
    scheme = store.load_assessment_scheme()
    domain.validate_scheme(scheme)
    perfect = {k: 100.0 for k in scheme["weights"]} | {k: 0.0 for k in scheme["lower_is_better"]}
    assert domain.score(perfect, scheme) == 100.0
    nothing = {k: None for k in scheme["weights"]}
    assert domain.score(nothing, scheme) == 100.0
    with pytest.raises(ValueError):
        domain.validate_scheme({**scheme, "weights": {**scheme["weights"], "on_time_rate": 0.9}})


def test_months():
    assert domain.previous_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    start, end = domain.month_bounds("2026-12")
    assert (start.isoformat(), end.isoformat()) == ("2026-11-30T16:00:00+00:00", "2026-12-31T16:00:00+00:00")


@pytest.mark.parametrize("period", ["9999-12", "0001-01", "1999-12", "3000-01", "2026-13", "2026-00", "26-1-1", ""])
def test_a_period_outside_the_years_the_assessment_covers_is_refused(period):
    """Year 9999's next month, or year 1 in the district's time, does not exist: refused, never a crash."""
    with pytest.raises(InvalidArgument) as info:
        domain.month_bounds(period)
    assert "period" in info.value.field_errors
