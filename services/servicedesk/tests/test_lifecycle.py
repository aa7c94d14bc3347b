"""The request lifecycle over real gRPC on both databases: routing to the
household's service point, staff steps by role, the SLA clock and scheduler,
compensation, technicians never double-booked, ratings and rectification.

The servicer and the scheduler read the time from a clock the test moves, so
"a day later" needs no waiting."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import grpc
import pytest

from runtime.events import Event
from runtime.grpc_server import field_errors_of
from runtime.testing import department, rpc_error
from sbc.events.v1 import servicedesk_events_pb2 as ev
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from servicedesk import events, store
from servicedesk.domain import Role
from servicedesk.store import UnitOfWork
from servicedesk.tests.desk import (
    AGENT_HH,
    AGENT_WJJ,
    DISTRICT,
    HH_VILLAGE,
    MANAGER_HH,
    MANAGER_WJJ,
    START,
    TECH2_WJJ,
    TECH_HH,
    TECH_WJJ,
    WJJ_URBAN,
    member,
    stamp,
)
from servicedesk.tests.desk import home as household

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def code_of(awaitable) -> grpc.StatusCode:
    return (await rpc_error(awaitable)).code()


# --- catalog and service points -------------------------------------------------


async def test_the_catalog_tells_every_service_in_plain_chinese(desk):
    c = await desk.call("GetCatalog", household("hh-a"))
    assert c.version == "2026.1" and len(c.service_types) == 12
    repair = next(t for t in c.service_types if t.code == "fault_repair_general")
    assert repair.time_limit_hours["urban"] == 24 and repair.fee.fen == 0
    assert "24小时内办好" in repair.guide and "免费" in repair.guide and "免收当月收视费" in repair.guide
    install = next(t for t in c.service_types if t.code == "installation")
    assert "城镇10天、农村15天" in install.guide and "户主身份证" in install.guide
    assert "超时每天按费用的1%赔偿" in install.compensation
    for code in ("relocation", "transfer_of_ownership", "suspension", "resumption", "cancellation"):
        assert next(t for t in c.service_types if t.code == code).fee.fen == 0


@pytest.mark.parametrize(
    "on_date,code", [("2025-12-31", grpc.StatusCode.NOT_FOUND), ("31/12/2026", grpc.StatusCode.INVALID_ARGUMENT)]
)
async def test_catalog_for_a_bad_date(desk, on_date, code):
    assert await code_of(desk.call("GetCatalog", household("hh-a"), on_date=on_date)) == code


async def test_nine_service_points_with_their_township_codes(desk):
    r = await desk.call("ListServicePoints", TECH_WJJ)
    assert len(r.service_points) == 9
    assert {p.area.code[:6] for p in r.service_points} == {"330411"}
    assert {p.area.name for p in r.service_points} >= {"王江泾镇", "洪合镇", "新城街道", "高照街道"}


# --- filing: routing, deadline, channels, agents ----------------------------------


async def test_a_request_goes_to_the_point_of_the_households_area_with_its_deadline(desk):
    urban = await desk.file(household("hh-a", WJJ_URBAN))
    assert urban.service_point_code == "SP-330411101" and urban.area_type == "urban"
    assert urban.deadline.ToDatetime(dt.UTC) == START + dt.timedelta(hours=24)
    assert urban.catalog_version == "2026.1"
    village = await desk.file(household("hh-v", HH_VILLAGE), "fault_repair_major")
    assert village.service_point_code == "SP-330411105" and village.area_type == "village"
    assert village.deadline.ToDatetime(dt.UTC) == START + dt.timedelta(hours=72)
    # The point's manager sees it in the queue; the other point's does not.
    queue = await desk.call("ListPointQueue", MANAGER_WJJ)
    assert [r.id for r in queue.requests] == [urban.id]
    assert [r.id for r in (await desk.call("ListPointQueue", MANAGER_HH)).requests] == [village.id]


async def test_a_type_not_accepted_on_the_channel_or_missing_materials_is_refused(desk):
    home = household("hh-a")
    err = await rpc_error(
        desk.file(home, "transfer_of_ownership", materials=["id_card", "account_card", "new_owner_id_card"])
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "channel" in field_errors_of(err)
    err = await rpc_error(desk.file(home, "installation", materials=["id_card"]))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "materials" in field_errors_of(err)
    assert "房产证" in err.details()
    assert desk.events() == []
    ok = await desk.file(home, "installation", materials=["id_card", "property_proof"])
    assert ok.state == "submitted"


async def test_an_agent_files_for_a_household_of_their_village_with_consent(desk):
    r = await desk.file(
        AGENT_HH,
        "transfer_of_ownership",
        channel="village_agent",
        household_id="hh-v",
        household_area_code=HH_VILLAGE,
        consent="户主李娜电话同意 2026-11-02",
        materials=["id_card", "account_card", "new_owner_id_card"],
    )
    assert r.household_id == "hh-v" and r.channel == "village_agent" and r.consent.startswith("户主")
    assert r.submitted_by.actor_id == AGENT_HH.subject and r.submitted_by.actor_role == "village_agent"
    # The household sees it among its own.
    mine = await desk.call("ListMyServiceRequests", household("hh-v", HH_VILLAGE))
    assert [x.id for x in mine.requests] == [r.id]
    audit = await desk.call("ListAuditEntries", household("hh-v", HH_VILLAGE), id=r.id)
    assert audit.entries[0].by.actor_id == AGENT_HH.subject and "同意" in audit.entries[0].reason


@pytest.mark.parametrize("case", ["other village", "no consent", "not an agent", "household channel"])
async def test_an_agent_outside_their_village_or_without_consent_is_refused(desk, case):
    fields = dict(channel="village_agent", household_id="hh-x", household_area_code=HH_VILLAGE, consent="同意")
    caller, code = AGENT_HH, grpc.StatusCode.PERMISSION_DENIED
    if case == "other village":
        fields["household_area_code"] = "330411105202"
    elif case == "no consent":
        fields["consent"], code = "", grpc.StatusCode.INVALID_ARGUMENT
    elif case == "not an agent":
        caller = TECH_HH
    else:
        fields["channel"] = "set_top_box"
    assert await code_of(desk.file(caller, **fields)) == code
    assert desk.events() == []


# --- the lifecycle ---------------------------------------------------------------


async def test_a_request_from_filing_to_closed_with_audit_and_events(desk):
    home = household("hh-a")
    r = await desk.file(home)
    r = await desk.call("AcceptServiceRequest", MANAGER_WJJ, id=r.id)
    r = await desk.dispatch(r.id)
    assert r.state == "dispatched" and r.technician == "tech.wjj"
    jobs = await desk.call("ListMyJobs", TECH_WJJ)
    assert [j.id for j in jobs.requests] == [r.id]
    desk.clock.advance(hours=2)
    r = await desk.call("MarkOnSite", TECH_WJJ, id=r.id)
    desk.clock.advance(hours=1)
    r = await desk.call("ResolveServiceRequest", TECH_WJJ, id=r.id, reason="更换了分支器")
    assert r.state == "resolved" and r.compensation.fen == 0, "on time: nothing to compensate"
    r = await desk.call(
        "RateServiceRequest",
        home,
        id=r.id,
        level="very_satisfied",
        indicators={"efficiency": 5, "attitude": 5, "result": 5},
        comment="师傅很快",
    )
    assert r.state == "closed" and r.rating.level == "very_satisfied" and not r.HasField("rectification")
    expected = [
        ("submitted", "accepted"),
        ("accepted", "dispatched"),
        ("dispatched", "on_site"),
        ("on_site", "resolved"),
        ("resolved", "closed"),
    ]
    assert desk.transitions(r.id) == expected
    audit = await desk.call("ListAuditEntries", home, id=r.id)
    assert [(e.from_state, e.to_state) for e in audit.entries] == [("", "submitted")] + expected
    assert [e.by.actor_role for e in audit.entries] == [
        "device",
        "service_point_manager",
        "service_point_manager",
        "technician",
        "technician",
        "device",
    ]
    assert len(desk.events(events.REQUEST_RATED)) == 1


async def test_illegal_transitions_are_failed_precondition_and_change_nothing(desk):
    r = await desk.file(household("hh-a"))
    before = len(desk.events())
    assert await code_of(desk.dispatch(r.id)) == grpc.StatusCode.FAILED_PRECONDITION, "not accepted yet"
    assert await code_of(desk.call("ResumeServiceRequest", MANAGER_WJJ, id=r.id)) == grpc.StatusCode.FAILED_PRECONDITION
    await desk.call("CancelServiceRequest", household("hh-a"), id=r.id)
    assert await code_of(desk.call("AcceptServiceRequest", MANAGER_WJJ, id=r.id)) == grpc.StatusCode.FAILED_PRECONDITION
    assert (
        await code_of(desk.call("CancelServiceRequest", household("hh-a"), id=r.id))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    assert len(desk.events()) == before + 1 and desk.row(r.id).state == "cancelled"


async def test_reject_needs_a_reason(desk):
    r = await desk.file(household("hh-a"))
    err = await rpc_error(desk.call("RejectServiceRequest", MANAGER_WJJ, id=r.id))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "reason" in field_errors_of(err)
    r = await desk.call("RejectServiceRequest", MANAGER_WJJ, id=r.id, reason="不在服务范围")
    assert r.state == "rejected" and r.reason == "不在服务范围"


async def test_waiting_for_the_citizen_pauses_the_clock_and_is_limited(desk):
    r = await desk.accepted()
    assert await code_of(desk.call("WaitForCitizen", MANAGER_WJJ, id=r.id)) == grpc.StatusCode.INVALID_ARGUMENT
    await desk.call("WaitForCitizen", MANAGER_WJJ, id=r.id, reason="户主不在家，约好周三")
    desk.clock.advance(hours=10)
    r = await desk.call("ResumeServiceRequest", MANAGER_WJJ, id=r.id)
    assert r.deadline.ToDatetime(dt.UTC) == START + dt.timedelta(hours=34), "10 h waited move the deadline on"
    await desk.call("WaitForCitizen", MANAGER_WJJ, id=r.id, reason="again")
    await desk.call("ResumeServiceRequest", MANAGER_WJJ, id=r.id)
    err = await rpc_error(desk.call("WaitForCitizen", MANAGER_WJJ, id=r.id, reason="a third time"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "at most 2" in err.details()


# --- SLA clock, scheduler and compensation -----------------------------------------


def sla_events(desk) -> list[tuple[str, int, str]]:
    out = []
    for r in desk.events(events.REQUEST_SLA):
        e = ev.ServiceRequestSlaReached.FromString(r.payload)
        out.append((e.request_id, e.percent, e.escalate_to))
    return out


async def test_the_scheduler_raises_80_and_100_percent_once_each(desk):
    r = await desk.accepted()  # 24 h limit
    desk.clock.advance(hours=19)
    assert desk.scheduler.tick() == 0 and sla_events(desk) == []
    desk.clock.advance(hours=1)  # 20 h = 83%
    desk.scheduler.tick()
    assert sla_events(desk) == [(r.id, 80, "service_point_manager")]
    desk.scheduler.tick()
    assert len(sla_events(desk)) == 1, "raised once"
    desk.clock.advance(hours=4)
    desk.scheduler.tick()
    assert sla_events(desk)[1:] == [(r.id, 100, "district")]


async def test_waiting_holds_the_scheduler_and_its_limit_resumes_the_clock(desk):
    r = await desk.accepted()
    await desk.call("WaitForCitizen", MANAGER_WJJ, id=r.id, reason="材料不全")
    desk.clock.advance(hours=100)
    desk.scheduler.tick()
    assert sla_events(desk) == [] and desk.row(r.id).state == "waiting_for_citizen"
    desk.clock.advance(hours=100)  # past the 168 h a wait may last
    desk.scheduler.tick()
    row = desk.row(r.id)
    assert row.state == "accepted" and row.paused_seconds == 200 * 3600
    assert desk.transitions(r.id)[-1] == ("waiting_for_citizen", "accepted")


async def test_a_late_fault_repair_waives_the_months_fee(desk):
    r = await desk.accepted()
    await desk.dispatch(r.id, hours_ahead=20)
    desk.clock.advance(hours=26)
    await desk.call("MarkOnSite", TECH_WJJ, id=r.id)
    r = await desk.call("ResolveServiceRequest", TECH_WJJ, id=r.id)
    assert r.compensation.fen == 2500, "the month's fee, from the catalog"


async def test_a_late_installation_earns_one_percent_per_day(desk):
    r = await desk.accepted(service_type="installation", materials=["id_card", "property_proof"])
    await desk.dispatch(r.id, hours_ahead=1)
    desk.clock.advance(hours=240 + 49)  # 10 days + 2 days and an hour late: 3 days begun
    await desk.call("MarkOnSite", TECH_WJJ, id=r.id)
    r = await desk.call("ResolveServiceRequest", TECH_WJJ, id=r.id)
    assert r.compensation.fen == 20000 * 3 // 100


async def test_resolved_requests_close_after_the_rating_window(desk):
    r = await desk.accepted()
    await desk.dispatch(r.id)
    await desk.call("MarkOnSite", TECH_WJJ, id=r.id)
    await desk.call("ResolveServiceRequest", TECH_WJJ, id=r.id)
    desk.clock.advance(hours=72)
    desk.scheduler.tick()
    assert desk.row(r.id).state == "closed"
    err = await rpc_error(desk.call("RateServiceRequest", household("hh-a"), id=r.id, level="satisfied"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


# --- dispatch: roster, windows, double booking --------------------------------------


async def test_dispatch_refuses_a_technician_of_another_point_and_bad_windows(desk):
    r = await desk.accepted()
    err = await rpc_error(desk.dispatch(r.id, technician="tech.hh"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "technician" in field_errors_of(err)
    err = await rpc_error(desk.dispatch(r.id, hours_ahead=-1))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "window_start" in field_errors_of(err)
    err = await rpc_error(desk.dispatch(r.id, length=0))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "window_end" in field_errors_of(err)
    err = await rpc_error(desk.call("DispatchServiceRequest", MANAGER_WJJ, id=r.id, technician="tech.wjj"))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert desk.row(r.id).state == "accepted" and desk.transitions(r.id) == [("submitted", "accepted")]


async def test_overlapping_windows_for_one_technician_are_refused(desk):
    a, b, c = [await desk.accepted() for _ in range(3)]
    await desk.dispatch(a.id, hours_ahead=2, length=2)
    err = await rpc_error(desk.dispatch(b.id, hours_ahead=3, length=2))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "window_start" in field_errors_of(err)
    assert (await desk.dispatch(b.id, hours_ahead=4, length=1)).state == "dispatched", "back to back is fine"
    assert (await desk.dispatch(c.id, technician="tech2.wjj", hours_ahead=2)).state == "dispatched"


async def test_concurrent_dispatches_never_double_book_a_technician(desk, monkeypatch):
    requests = [await desk.accepted() for _ in range(8)]
    # Hold each look-up of the technician's bookings open a moment, so that without
    # the lock all eight would see "free" and book (on PostgreSQL the lock decides).
    bookings = store.Requests.bookings

    def slow_bookings(*args):
        found = bookings(*args)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(store.Requests, "bookings", slow_bookings)
    results = await asyncio.gather(
        *[desk.dispatch(r.id, hours_ahead=3, length=2) for r in requests], return_exceptions=True
    )
    ok = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(ok) == 1, [getattr(e, "details", lambda: e)() for e in refused]
    assert all(e.code() == grpc.StatusCode.FAILED_PRECONDITION for e in refused)
    assert len((await desk.call("ListMyJobs", TECH_WJJ)).requests) == 1


# --- ratings and rectification -------------------------------------------------------


async def resolved(desk, home) -> pb.ServiceRequest:
    r = await desk.accepted(home)
    await desk.dispatch(r.id)
    await desk.call("MarkOnSite", TECH_WJJ, id=r.id)
    return await desk.call("ResolveServiceRequest", TECH_WJJ, id=r.id)


async def test_a_bad_rating_opens_rectification_that_the_manager_follows_up(desk):
    home = household("hh-a")
    r = await resolved(desk, home)
    r = await desk.call(
        "RateServiceRequest",
        home,
        id=r.id,
        level="dissatisfied",
        indicators={"efficiency": 2, "attitude": 3, "result": 1},
        comment="还是没信号",
    )
    # 15 working days from Monday 2 November: Monday 23 November.
    assert r.rectification.deadline.ToDatetime(dt.UTC).date() == dt.date(2026, 11, 23)
    err = await rpc_error(desk.call("RecordRectificationFollowUp", MANAGER_WJJ, id=r.id))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (
        await code_of(desk.call("RecordRectificationFollowUp", MANAGER_HH, id=r.id, reason="x"))
        == grpc.StatusCode.PERMISSION_DENIED
    )
    r = await desk.call("RecordRectificationFollowUp", MANAGER_WJJ, id=r.id, reason="电话回访，已重新调试")
    assert r.rectification.follow_up.startswith("电话回访")
    assert (
        await code_of(desk.call("RecordRectificationFollowUp", MANAGER_WJJ, id=r.id, reason="again"))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    assert len(desk.events(events.RECTIFICATION_FOLLOWED_UP)) == 1


async def test_rating_twice_someone_elses_or_too_early_is_refused(desk):
    home = household("hh-a")
    early = await desk.file(home)
    assert (
        await code_of(desk.call("RateServiceRequest", home, id=early.id, level="satisfied"))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    r = await resolved(desk, home)
    assert (
        await code_of(desk.call("RateServiceRequest", household("hh-b"), id=r.id, level="satisfied"))
        == grpc.StatusCode.NOT_FOUND
    )
    for bad in [
        dict(level="great"),
        dict(level="satisfied", indicators={"speed": 3}),
        dict(level="satisfied", indicators={"result": 6}),
        dict(level="satisfied", comment="x" * 1001),
    ]:
        assert await code_of(desk.call("RateServiceRequest", home, id=r.id, **bad)) == grpc.StatusCode.INVALID_ARGUMENT
    await desk.call("RateServiceRequest", home, id=r.id, level="satisfied")
    assert (
        await code_of(desk.call("RateServiceRequest", home, id=r.id, level="very_satisfied"))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    assert desk.row(r.id).rating_level == "satisfied" and len(desk.events(events.REQUEST_RATED)) == 1


# --- the assessment read model, from the events ------------------------------------------


def apply_events(desk) -> None:
    """Feed every event in the outbox to the assessment handlers, as the consumer
    does from Kafka (the transport itself is the runtime's, tested there) - twice,
    to show a redelivery changes nothing."""
    from servicedesk import assessment

    for _ in range(2):
        for r in desk.events():
            handler = assessment.HANDLERS.get(r.event_type)
            if handler:
                with desk.db.transaction() as s:
                    handler(s, Event(r.event_id, r.event_type, r.source, r.subject, r.event_time, r.payload))


async def test_the_assessment_ranks_the_nine_points_from_events(desk):
    home, village = household("hh-a"), household("hh-v", HH_VILLAGE)
    # Wangjiangjing: one on time and rated well, one late with a bad rating followed up.
    good = await resolved(desk, home)
    await desk.call("RateServiceRequest", home, id=good.id, level="very_satisfied")
    late = await desk.accepted(home)
    await desk.dispatch(late.id, hours_ahead=20)
    desk.clock.advance(hours=25)
    await desk.call("MarkOnSite", TECH_WJJ, id=late.id)
    await desk.call("ResolveServiceRequest", TECH_WJJ, id=late.id)
    await desk.call("RateServiceRequest", home, id=late.id, level="very_dissatisfied")
    await desk.call("RecordRectificationFollowUp", MANAGER_WJJ, id=late.id, reason="上门道歉并修复")
    # Honghe: one complaint still open.
    await desk.file(village, "complaint")
    apply_events(desk)

    a = await desk.call("GetAssessment", DISTRICT, period="2026-11", months=3)
    assert a.months == ["2026-09", "2026-10", "2026-11"] and len(a.points) == 9
    assert [p.rank for p in a.points] == list(range(1, 10))
    wjj = next(p for p in a.points if p.service_point_code == "SP-330411101")
    hh = next(p for p in a.points if p.service_point_code == "SP-330411105")
    m = wjj.metrics
    assert (m.requests, m.resolved, m.on_time_rate.value, m.satisfaction_rate.value) == (2, 2, 50.0, 50.0)
    assert m.rectification_rate.value == 100.0 and m.compensation.fen == 2500 and m.overdue == 1
    assert m.by_channel["set_top_box"] == 2
    assert m.median_hours_by_type["fault_repair_general"] == 0.0 and m.p90_hours_by_type["fault_repair_general"] == 25.0
    # 0.35*50 + 0.25*50 + 0.15*100 + 0.10*(100-0) + 0.15*(100-50)
    assert wjj.score == pytest.approx(62.5)
    assert hh.metrics.backlog == 1 and hh.metrics.complaint_rate.value == 100.0
    assert hh.score == pytest.approx(35 + 25 + 15 + 0 + 15)
    assert list(wjj.score_series) == [100.0, 100.0, 62.5] and list(wjj.requests_series) == [0, 0, 2]
    idle = [p for p in a.points if p.metrics.requests == 0]
    assert len(idle) == 7 and all(p.score == 100.0 for p in idle)


async def test_the_public_figures_count_the_districts_requests_done_on_time_without_a_sign_in(desk):
    """The museum's exhibition area reads them without a token: done, and done within the limit."""
    home = household("hh-a")
    before = await desk.stub.GetPublicFigures(pb.GetPublicFiguresRequest(), timeout=30)
    assert (before.done, before.done_on_time, before.since) == (0, 0, "2025-12")
    await resolved(desk, home)
    late = await desk.accepted(home)
    await desk.dispatch(late.id, hours_ahead=20)
    desk.clock.advance(hours=25)
    await desk.call("MarkOnSite", TECH_WJJ, id=late.id)
    await desk.call("ResolveServiceRequest", TECH_WJJ, id=late.id)
    await desk.file(home)  # open: not done
    apply_events(desk)
    f = await desk.stub.GetPublicFigures(pb.GetPublicFiguresRequest(), timeout=30)
    assert (f.done, f.done_on_time) == (2, 1)
    # The same counts as the assessment's, and only the figures are public.
    a = await desk.call("GetAssessment", DISTRICT, period="2026-11", months=1)
    assert sum(p.metrics.resolved for p in a.points) == f.done
    assert await code_of(desk.stub.GetAssessment(pb.GetAssessmentRequest())) == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize("caller", [MANAGER_WJJ, TECH_WJJ, AGENT_HH, "household"])
async def test_only_district_managers_see_the_assessment(desk, caller):
    caller = household("hh-a") if caller == "household" else caller
    assert await code_of(desk.call("GetAssessment", caller)) == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("fields", [dict(period="2026-13"), dict(period="november"), dict(months=25), dict(months=-1)])
async def test_assessment_bad_input(desk, fields):
    assert await code_of(desk.call("GetAssessment", DISTRICT, **fields)) == grpc.StatusCode.INVALID_ARGUMENT


# --- the authorization matrix: role x operation x own/other ------------------------------

ACTORS = {
    "own household": household("hh-a"),
    "other household": household("hh-b"),
    "own point's manager": MANAGER_WJJ,
    "other point's manager": MANAGER_HH,
    "district manager": DISTRICT,
    "assigned technician": TECH_WJJ,
    "other technician, same point": TECH2_WJJ,
    "technician of another point": TECH_HH,
    "village agent of the household's village": AGENT_WJJ,
    "department": department("dept-x", roles=(Role.DEPARTMENT_OFFICER,)),
    "staff on no roster": member("someone", Role.SERVICE_POINT_MANAGER, "330411101"),
}
READERS = {"own household", "own point's manager", "assigned technician"}
# operation -> (state the request is brought to first, the call's fields, who may do it)
MATRIX = {
    "GetServiceRequest": ("dispatched", {}, READERS),
    "ListAuditEntries": ("dispatched", {}, READERS),
    "CancelServiceRequest": ("submitted", {}, {"own household"}),
    "RateServiceRequest": ("resolved", {"level": "satisfied"}, {"own household"}),
    "AcceptServiceRequest": ("submitted", {}, {"own point's manager"}),
    "RejectServiceRequest": ("submitted", {"reason": "重复提交"}, {"own point's manager"}),
    "DispatchServiceRequest": ("accepted", "window", {"own point's manager"}),
    "WaitForCitizen": ("accepted", {"reason": "等户主回家"}, {"own point's manager"}),
    "ResumeServiceRequest": ("waiting_for_citizen", {}, {"own point's manager"}),
    "RecordRectificationFollowUp": ("rated badly", {"reason": "电话回访"}, {"own point's manager"}),
    "MarkOnSite": ("dispatched", {}, {"assigned technician"}),
    "ResolveServiceRequest": ("on_site", {}, {"assigned technician"}),
}


async def bring_to(desk, state: str) -> pb.ServiceRequest:
    home = ACTORS["own household"]
    r = await desk.file(home)
    if state == "submitted":
        return r
    r = await desk.call("AcceptServiceRequest", MANAGER_WJJ, id=r.id)
    if state == "accepted":
        return r
    if state == "waiting_for_citizen":
        return await desk.call("WaitForCitizen", MANAGER_WJJ, id=r.id, reason="等")
    desk.clock.advance(hours=3)  # each job its own window, so the technician is free
    r = await desk.dispatch(r.id)
    if state == "dispatched":
        return r
    r = await desk.call("MarkOnSite", TECH_WJJ, id=r.id)
    if state == "on_site":
        return r
    r = await desk.call("ResolveServiceRequest", TECH_WJJ, id=r.id)
    if state == "resolved":
        return r
    return await desk.call("RateServiceRequest", home, id=r.id, level="dissatisfied")


@pytest.mark.parametrize("operation", list(MATRIX))
async def test_authorization_matrix(desk, operation):
    state, fields, allowed = MATRIX[operation]
    for name, actor in ACTORS.items():
        r = await bring_to(desk, state)
        if fields == "window":
            start = desk.clock() + dt.timedelta(hours=1)
            call_fields = dict(
                technician="tech.wjj", window_start=stamp(start), window_end=stamp(start + dt.timedelta(hours=1))
            )
        else:
            call_fields = fields
        before = (desk.row(r.id).state, len(desk.events()))
        if name in allowed:
            await desk.call(operation, actor, id=r.id, **call_fields)
            continue
        code = await code_of(desk.call(operation, actor, id=r.id, **call_fields))
        if name == "other household":
            assert code == grpc.StatusCode.NOT_FOUND, (operation, name, code)  # never tells it exists
        else:
            assert code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND), (operation, name, code)
        assert (desk.row(r.id).state, len(desk.events())) == before, (operation, name)


@pytest.mark.parametrize(
    "operation,allowed",
    [
        ("ListPointQueue", {"own point's manager", "other point's manager"}),
        ("ListMyJobs", {"assigned technician", "other technician, same point", "technician of another point"}),
        ("GetAssessment", {"district manager"}),
        ("ListMyServiceRequests", {"own household", "other household"}),
    ],
)
async def test_authorization_of_the_lists(desk, operation, allowed):
    for name, actor in ACTORS.items():
        if name in allowed:
            await desk.call(operation, actor)
        else:
            assert await code_of(desk.call(operation, actor)) == grpc.StatusCode.PERMISSION_DENIED, (operation, name)


async def test_a_request_filed_before_deadlines_existed_does_not_stop_the_scheduler(desk):
    legacy = await desk.file(household("hh-old"))
    with UnitOfWork(desk.db) as uow:  # as migration 0002 leaves a request filed by the minimal service desk
        uow.requests.get(legacy.id).deadline_at = None
        uow.commit()
    r = await desk.accepted()
    desk.clock.advance(hours=20)
    desk.scheduler.tick()
    assert sla_events(desk) == [(r.id, 80, "service_point_manager")]
