"""The ServiceRequest aggregate without I/O: each step checks who takes it, changes the request
and records what happened (the events other services read, and the audit trail made of them)."""

from __future__ import annotations

import datetime as dt

import pytest

from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from servicedesk import domain, store
from servicedesk.domain import State
from servicedesk.tests.desk import AGENT_HH, HH_VILLAGE, MANAGER_HH, MANAGER_WJJ, START, TECH2_WJJ, TECH_WJJ, home

POINTS = domain.ServicePoints.from_data(store.load_service_points_data())
STANDARDS = domain.Standards(store.load_catalog_data())
CATALOG = STANDARDS.at(START)
WJJ = POINTS.point_by_code("SP-330411101")
HOURS = dt.timedelta(hours=1)


def filed(caller=None, seq=7, service_type="fault_repair_general", **fields) -> domain.ServiceRequest:
    caller = caller or home("hh-a")
    new = domain.NewRequest(service_type, "没有信号", "key-1", fields.pop("channel", ""), **fields)
    request = domain.ServiceRequest.file(domain.Filing.of(caller, new, CATALOG, POINTS), POINTS, START)
    request.take_number(seq)
    return request


def dispatched(at=START) -> domain.ServiceRequest:
    r = filed()
    r.accept(MANAGER_WJJ, WJJ, "", at)
    r.dispatch(MANAGER_WJJ, WJJ, "tech.wjj", at + HOURS, at + 2 * HOURS, [], at, CATALOG)
    r.pull_events()
    return r


def test_filing_routes_to_the_households_point_and_is_announced_with_its_number():
    h = home("hh-a")
    r = filed(h)
    assert (r.state, r.service_point_code, r.area_type, r.channel) == (
        "submitted",
        "SP-330411101",
        "urban",
        "set_top_box",
    )
    assert r.deadline_at == START + 24 * HOURS and r.reference_number == "SR-20261102-000007"
    [event] = r.pull_events()
    assert isinstance(event, domain.RequestFiled) and event.request.reference_number == "SR-20261102-000007"
    entry = domain.AuditEntry.of(event)
    assert entry is not None
    assert (entry.from_state, entry.to_state, entry.actor_id, entry.actor_role, entry.channel) == (
        "",
        "submitted",
        h.subject,
        "device",
        "set_top_box",
    )


def test_an_agent_files_for_a_household_of_their_village_and_the_audit_keeps_the_consent():
    r = filed(
        AGENT_HH,
        channel="village_agent",
        household_id="hh-v",
        household_area_code=HH_VILLAGE,
        consent="户主电话同意",
        home_visit="elderly",
    )
    assert (r.household_id, r.area_type, r.submitted_by_role) == ("hh-v", "village", "village_agent")
    entry = domain.AuditEntry.of(r.pull_events()[0])
    assert (
        entry is not None and entry.reason == "户主电话同意; home visit (elderly)" and entry.channel == "village_agent"
    )


def test_who_files_for_whom():
    with pytest.raises(PermissionDenied):
        filed(home("hh-a"), household_id="hh-b")  # a household files only for itself
    with pytest.raises(PermissionDenied):
        filed(MANAGER_HH, channel="service_hall", household_id="hh-x", household_area_code="330411101001")
    with pytest.raises(InvalidArgument) as info:
        filed(AGENT_HH, channel="village_agent", household_id="hh-v", household_area_code=HH_VILLAGE)
    assert set(info.value.field_errors) == {"consent"}
    assert (
        filed(MANAGER_WJJ, channel="service_hall", household_id="hh-x", household_area_code="330411101001").consent
        == ""
    )


def test_each_step_by_its_person_with_its_event():
    r = filed()
    r.pull_events()
    with pytest.raises(PermissionDenied):
        r.accept(MANAGER_HH, WJJ, "", START)  # another point's manager
    r.accept(MANAGER_WJJ, WJJ, "", START)
    with pytest.raises(domain.StepNotAllowed):
        r.accept(MANAGER_WJJ, WJJ, "", START)
    r.dispatch(MANAGER_WJJ, WJJ, "tech.wjj", START + HOURS, START + 2 * HOURS, [], START, CATALOG)
    with pytest.raises(PermissionDenied):
        r.mark_on_site(TECH2_WJJ, "", START)  # not their job
    r.mark_on_site(TECH_WJJ, "", START + HOURS)
    r.resolve(TECH_WJJ, "更换了分支器", START + 2 * HOURS, CATALOG)
    moves = r.pull_events()
    assert [(e.from_state, e.request.state) for e in moves] == [
        ("submitted", "accepted"),
        ("accepted", "dispatched"),
        ("dispatched", "on_site"),
        ("on_site", "resolved"),
    ]
    assert moves[1].reason == f"tech.wjj {(START + HOURS).isoformat()}/{(START + 2 * HOURS).isoformat()}"
    assert moves[3].request.compensation_fen == 0 and moves[3].by.channel == "staff_app"


def test_a_technician_is_never_booked_twice_for_one_time():
    booked = dispatched()
    r = filed()
    r.accept(MANAGER_WJJ, WJJ, "", START)
    with pytest.raises(domain.TechnicianBooked) as info:
        r.dispatch(
            MANAGER_WJJ,
            WJJ,
            "tech.wjj",
            START + 90 * dt.timedelta(minutes=1),
            START + 3 * HOURS,
            [booked],
            START,
            CATALOG,
        )
    assert "window_start" in info.value.field_errors and r.state == State.ACCEPTED
    r.dispatch(MANAGER_WJJ, WJJ, "tech.wjj", START + 2 * HOURS, START + 3 * HOURS, [booked], START, CATALOG)
    assert r.state == State.DISPATCHED, "back to back is fine"


def test_waiting_moves_the_deadline_on_and_is_limited():
    r = filed()
    r.accept(MANAGER_WJJ, WJJ, "", START)
    r.wait_for_citizen(MANAGER_WJJ, WJJ, "户主不在家", START, CATALOG)
    r.resume(MANAGER_WJJ, WJJ, "", START + 10 * HOURS)
    assert r.deadline_at == START + 34 * HOURS and r.paused_seconds == 10 * 3600
    r.wait_for_citizen(MANAGER_WJJ, WJJ, "again", START + 10 * HOURS, CATALOG)
    r.resume(MANAGER_WJJ, WJJ, "", START + 10 * HOURS)
    with pytest.raises(FailedPrecondition, match="at most 2"):
        r.wait_for_citizen(MANAGER_WJJ, WJJ, "a third time", START + 10 * HOURS, CATALOG)


def test_a_bad_rating_closes_the_request_and_opens_a_rectification_followed_up_once():
    r = dispatched()
    r.mark_on_site(TECH_WJJ, "", START + HOURS)
    r.resolve(TECH_WJJ, "", START + 2 * HOURS, CATALOG)
    r.pull_events()
    h = home("hh-a")
    with pytest.raises(InvalidArgument):
        r.rate(h, "satisfied", {"speed": 3}, "", START + 3 * HOURS, CATALOG)
    r.rate(h, "dissatisfied", {"result": 1}, "还是没信号", START + 3 * HOURS, CATALOG)
    rated, closed = r.pull_events()
    assert isinstance(rated, domain.RequestRated) and rated.bad
    assert rated.rectification_deadline is not None and rated.rectification_deadline.date() == dt.date(2026, 11, 23)
    assert (closed.from_state, closed.request.state, closed.reason) == ("resolved", "closed", "rated dissatisfied")
    with pytest.raises(FailedPrecondition, match="one rating per request"):
        r.rate(h, "very_satisfied", {}, "", START + 4 * HOURS, CATALOG)
    r.follow_up_rectification(MANAGER_WJJ, WJJ, "电话回访", START + 5 * HOURS)
    [followed] = r.pull_events()
    entry = domain.AuditEntry.of(followed)
    assert entry is not None and (entry.from_state, entry.to_state) == ("closed", "closed")
    assert entry.reason == "rectification follow-up: 电话回访" and followed.on_time
    with pytest.raises(FailedPrecondition):
        r.follow_up_rectification(MANAGER_WJJ, WJJ, "again", START + 6 * HOURS)


def test_the_clock_raises_80_and_100_percent_once_each_and_ends_long_waits():
    r = filed()
    r.pull_events()
    assert not r.watch(START + 19 * HOURS, CATALOG)
    assert r.watch(START + 20 * HOURS, CATALOG) and not r.watch(START + 20 * HOURS, CATALOG)
    assert r.watch(START + 24 * HOURS, CATALOG)
    assert [(e.percent, e.escalate_to) for e in r.pull_events()] == [(80, "service_point_manager"), (100, "district")]
    waiting = filed()
    waiting.accept(MANAGER_WJJ, WJJ, "", START)
    waiting.wait_for_citizen(MANAGER_WJJ, WJJ, "材料不全", START, CATALOG)
    waiting.pull_events()
    assert not waiting.watch(START + 168 * HOURS, CATALOG)
    assert waiting.watch(START + 169 * HOURS, CATALOG) and waiting.state == State.ACCEPTED
    [resumed] = waiting.pull_events()
    assert resumed.by == domain.SYSTEM and domain.AuditEntry.of(resumed).channel == "system"


def test_outreach_events_take_requests_of_their_town_on_their_day():
    event = domain.OutreachEvent.schedule(
        MANAGER_WJJ,
        "2026-11-02",
        "08:00",
        "17:00",
        "330411101001",
        "社区服务中心",
        ("fault_repair_general",),
        CATALOG,
        POINTS,
        START,
    )
    assert event.service_point_code == "SP-330411101" and event.text(CATALOG).startswith("11月2日（星期一）08:00—17:00")
    with pytest.raises(PermissionDenied):
        domain.OutreachEvent.schedule(
            MANAGER_HH,
            "2026-11-02",
            "08:00",
            "17:00",
            "330411101001",
            "x",
            ("fault_repair_general",),
            CATALOG,
            POINTS,
            START,
        )
    new = dict(
        channel="outreach_event", household_id="hh-o", household_area_code="330411101001", outreach_event_id=event.id
    )
    filing = domain.Filing.of(MANAGER_WJJ, domain.NewRequest("fault_repair_general", "", "k", **new), CATALOG, POINTS)
    assert domain.ServiceRequest.file(filing, POINTS, START, event).outreach_event_id == event.id
    with pytest.raises(FailedPrecondition):
        domain.ServiceRequest.file(filing, POINTS, START + 24 * HOURS, event)


def test_another_households_request_is_hidden_from_it():
    r = filed(home("hh-a"))
    assert r.hidden_from(home("hh-b")) and not r.hidden_from(home("hh-a")) and not r.hidden_from(MANAGER_HH)
    assert r.readable_by(MANAGER_WJJ, WJJ) and not r.readable_by(TECH_WJJ, WJJ)
