"""Evaluation over real gRPC (the runtime's server, token checks and error mapping) on SQLite and
PostgreSQL: the report of the events the read model applied (through the runtime's consumer's own
apply, so each is applied once), bad input, and callers who may not."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest

from evaluation import events
from evaluation.service import SERVICE
from evaluation.tests import activity
from runtime.consumer import Consumer
from runtime.grpc_server import field_errors_of
from runtime.testing import household, rpc_error, staff
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

UTC = dt.UTC
ASSESSOR = staff("assessor", username="assessor.xz", area_code="330411")
VILLAGE, POINT = "330411101201", "SP-330411101"
T0 = dt.datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)


@pytest.fixture
async def svc(grpc_service, database_url):
    running = await grpc_service(SERVICE, database_url)
    running.api = running.stub(evaluation_pb2_grpc.EvaluationServiceStub)
    return running


def apply_all(db, evts) -> int:
    consumer = Consumer(db, "127.0.0.1:1", "evaluation-test", [], events.HANDLERS)
    return sum(consumer.apply(e) for e in evts)


async def get(svc, district="330411", period="2026-11", caller=ASSESSOR):
    return await svc.api.GetReport(pb.GetReportRequest(district=district, period=period), metadata=svc.md(caller))


def figures(area) -> dict:
    return {f.code: f for f in area.indicators}


async def test_the_report_counts_what_the_services_announced_each_once(svc):
    deadline = T0 + 24 * H
    evts = [
        activity.submitted("r1", VILLAGE, POINT, T0, deadline),
        activity.transitioned("r1", VILLAGE, POINT, T0, deadline, "resolved", T0 + 2 * H),
        activity.rated("r1", POINT, "satisfied", T0 + 3 * H),
        activity.submitted("r2", VILLAGE, POINT, T0, deadline),
        activity.transitioned("r2", VILLAGE, POINT, T0, deadline, "resolved", T0 + 30 * H),
        activity.rated("r2", POINT, "dissatisfied", T0 + 31 * H),
        activity.application_step("app-1", VILLAGE, "submitted", "submitted", T0),
        activity.application_step("app-1", VILLAGE, "approved", "approved", T0 + H),
        activity.alarm_raised("al-1", VILLAGE, T0),
        activity.alarm_acknowledged("al-1", VILLAGE, T0 + dt.timedelta(minutes=4)),
    ]
    assert apply_all(svc.db, evts + evts[:3]) == len(evts), "a redelivered event is applied once"
    report = await get(svc)
    assert report.district_name == "秀洲区" and list(report.months) == ["2026-11"] and report.scheme_version
    overall = figures(report.overall)
    assert (overall["on_time_rate"].numerator, overall["on_time_rate"].denominator) == (1, 2)
    assert overall["on_time_rate"].value == 50.0 and not overall["on_time_rate"].met
    assert overall["satisfaction_rate"].value == 50.0
    assert overall["egov_no_visit_rate"].value == 100.0 and overall["egov_no_visit_rate"].met
    assert overall["eldercare_ack_10min"].value == 100.0
    [point] = [p for p in report.service_points if p.code == POINT]
    assert figures(point)["on_time_rate"].value == 50.0 and point.name
    [town] = [t for t in report.towns if t.code == VILLAGE[:9]]
    assert figures(town)["eldercare_ack_10min"].denominator == 1
    assert any(p.indicator == "on_time_rate" and p.area_code == "330411" for p in report.problems)
    assert [(c.service, c.subject, c.count) for c in report.bad_rating_causes] == [("servicedesk", "repair", 1)]
    # Outside the period: nothing.
    assert figures((await get(svc, period="2026-10")).overall)["on_time_rate"].measured is False
    # A quarter and a year hold the month, with a trend per month.
    year = await get(svc, period="2026")
    assert len(year.trends) == 12 and figures(year.trends[10])["on_time_rate"].value == 50.0
    assert figures(year.overall)["on_time_rate"].denominator == 2


@pytest.mark.parametrize(
    "district, period, field",
    [
        ("33041", "2026-11", "district"),
        ("", "2026-11", "district"),
        ("33041x", "2026", "district"),
        ("330411", "2026-13", "period"),
        ("330411", "", "period"),
        ("330411", "x" * 10_000, "period"),
    ],
)
async def test_malformed_input_is_refused_and_named(svc, district, period, field):
    err = await rpc_error(get(svc, district, period))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)


async def test_a_district_with_no_scheme_is_not_found(svc):
    other = staff("assessor", username="assessor.other", area_code="330402")
    err = await rpc_error(get(svc, "330402", caller=other))
    assert err.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    "caller",
    [
        household("hh-a"),
        staff("service_point_manager", username="manager.district", area_code="330411"),
        staff("assessor", username="assessor.other", area_code="330402"),
    ],
)
async def test_only_the_districts_own_assessors_may_read_its_report(svc, caller):
    err = await rpc_error(get(svc, caller=caller))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_without_a_token_it_is_unauthenticated(svc):
    err = await rpc_error(svc.api.GetReport(pb.GetReportRequest(district="330411", period="2026-11")))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
