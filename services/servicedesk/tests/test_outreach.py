"""Outreach events and home visits over real gRPC on both databases: the seed
schedule and a manager's new event are listed to the households of their town
(by date, past ones hidden); staff of the point file at the event for households
of its town, the event id recorded on the request and in its events; a home visit
is asked for with its reason, only where the standard offers one, and shown to
the manager's queue and the technician's job. Every refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest

from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.events.v1 import servicedesk_events_pb2 as ev
from servicedesk import domain, events, store
from servicedesk.tests.desk import (
    AGENT_HH,
    AGENT_WJJ,
    HH_VILLAGE,
    MANAGER_HH,
    MANAGER_WJJ,
    TECH_WJJ,
    WJJ_URBAN,
)
from servicedesk.tests.desk import home as household

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

OTHER_TOWN = "330411001001"  # Xincheng


def today(desk) -> dt.date:
    return domain.district_date(desk.clock())


def event_fields(desk, days_ahead=0, **over) -> dict:
    fields = dict(
        date=(today(desk) + dt.timedelta(days=days_ahead)).isoformat(),
        start_time="08:00",
        end_time="17:00",
        area_code=WJJ_URBAN,
        place="社区服务中心",
        service_types=["fault_repair_general", "installation"],
    )
    return {**fields, **over}


async def create_event(desk, caller=MANAGER_WJJ, **fields):
    from sbc.servicedesk.v1 import servicedesk_pb2 as pb

    return await desk.stub.CreateOutreachEvent(
        pb.CreateOutreachEventRequest(**fields), metadata=desk.md(caller), timeout=30
    )


async def list_events(desk, caller):
    from sbc.servicedesk.v1 import servicedesk_pb2 as pb

    return list(
        (
            await desk.stub.ListOutreachEvents(pb.ListOutreachEventsRequest(), metadata=desk.md(caller), timeout=30)
        ).events
    )


def count(desk, table) -> int:
    return desk.count(table)


async def refused(awaitable, code, field=None):
    err = await rpc_error(awaitable)
    assert err.code() == code, (err.code(), err.details())
    if field:
        assert field in field_errors_of(err), field_errors_of(err)


# --- the schedule ------------------------------------------------------------------


async def test_households_see_their_towns_upcoming_events_by_date_in_plain_chinese(desk):
    seeded = await list_events(desk, household("hh-a", WJJ_URBAN))
    assert [e.id for e in seeded] == ["oe-wjj-2026-12-05"]
    assert seeded[0].text.startswith("12月5日（星期六）09:00—12:00") and "在社区服务中心" in seeded[0].text
    assert "一般故障维修" in seeded[0].text
    assert [e.id for e in await list_events(desk, household("hh-b", HH_VILLAGE))] == ["oe-hh-2026-12-12"]
    assert await list_events(desk, household("hh-c", OTHER_TOWN)) == []

    new = await create_event(desk, **event_fields(desk, days_ahead=3))
    assert new.service_point_code == "SP-330411101" and new.id
    listed = await list_events(desk, household("hh-a", WJJ_URBAN))
    assert [e.id for e in listed] == [new.id, "oe-wjj-2026-12-05"]  # sorted by date
    # Past events are hidden.
    desk.clock.advance(days=34)
    assert await list_events(desk, household("hh-a", WJJ_URBAN)) == []


@pytest.mark.parametrize(
    "over,field",
    [
        ({"place": ""}, "place"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "2026-11-01"}, "date"),  # the day before the clock's
        ({"date": "2027-12-01"}, "date"),  # too far ahead
        ({"start_time": "9am"}, "start_time"),
        ({"end_time": "07:00"}, "end_time"),
        ({"area_code": "3304"}, "area_code"),
        ({"service_types": []}, "service_types"),
        ({"service_types": ["teleportation"]}, "service_types"),
        ({"place": "x" * 201}, "place"),
    ],
)
async def test_a_malformed_event_is_invalid_argument_and_adds_nothing(desk, over, field):
    before = count(desk, store.outreach_events)
    await refused(create_event(desk, **event_fields(desk, 1, **over)), grpc.StatusCode.INVALID_ARGUMENT, field)
    assert count(desk, store.outreach_events) == before


@pytest.mark.parametrize(
    "who,area",
    [
        (MANAGER_HH, WJJ_URBAN),  # another point's village
        (MANAGER_WJJ, HH_VILLAGE),
        (TECH_WJJ, WJJ_URBAN),
        (AGENT_WJJ, WJJ_URBAN),
        (household("hh-a"), WJJ_URBAN),
    ],
)
async def test_only_a_points_manager_schedules_its_events(desk, who, area):
    before = count(desk, store.outreach_events)
    await refused(create_event(desk, who, **event_fields(desk, 1, area_code=area)), grpc.StatusCode.PERMISSION_DENIED)
    assert count(desk, store.outreach_events) == before


async def test_staff_cannot_list_the_households_schedule(desk):
    await refused(list_events(desk, MANAGER_WJJ), grpc.StatusCode.PERMISSION_DENIED)


# --- filing at an event -----------------------------------------------------------------


async def test_staff_of_the_point_file_at_the_event_and_the_event_is_recorded(desk):
    event = await create_event(desk, **event_fields(desk))
    common = dict(
        channel="outreach_event",
        outreach_event_id=event.id,
        household_area_code=WJJ_URBAN,
        consent="户主在活动现场签字",
    )
    by_manager = await desk.file(MANAGER_WJJ, household_id="hh-o1", **common)
    by_agent = await desk.file(AGENT_WJJ, household_id="hh-o2", **common)
    for r in (by_manager, by_agent):
        assert r.outreach_event_id == event.id and r.channel == "outreach_event"
        assert r.service_point_code == "SP-330411101"
    submitted = [ev.ServiceRequestSubmitted.FromString(e.payload) for e in desk.events(events.REQUEST_SUBMITTED)]
    assert {e.outreach_event_id for e in submitted if e.request_id in (by_manager.id, by_agent.id)} == {event.id}
    await desk.call("AcceptServiceRequest", MANAGER_WJJ, id=by_manager.id)
    moved = [ev.ServiceRequestTransitioned.FromString(e.payload) for e in desk.events(events.REQUEST_TRANSITIONED)]
    assert [e.outreach_event_id for e in moved if e.request_id == by_manager.id] == [event.id]
    audit = (await desk.call("ListAuditEntries", MANAGER_WJJ, id=by_manager.id)).entries
    assert event.id in audit[0].reason and audit[0].by.channel == "outreach_event"
    mine = (await desk.call("ListMyServiceRequests", household("hh-o1"))).requests
    assert [r.outreach_event_id for r in mine] == [event.id]


async def test_filing_at_an_event_is_refused_outside_its_rules_and_files_nothing(desk):
    event = await create_event(desk, **event_fields(desk, service_types=["fault_repair_general"]))
    later = await create_event(desk, **event_fields(desk, days_ahead=2))
    base = dict(
        channel="outreach_event", outreach_event_id=event.id, household_id="hh-ox", household_area_code=WJJ_URBAN
    )
    before = count(desk, store.service_requests)
    cases = [
        (MANAGER_WJJ, {"outreach_event_id": ""}, grpc.StatusCode.INVALID_ARGUMENT, "outreach_event_id"),
        (MANAGER_WJJ, {"outreach_event_id": "no-such-event"}, grpc.StatusCode.NOT_FOUND, None),
        (MANAGER_WJJ, {"outreach_event_id": "x" * 37}, grpc.StatusCode.INVALID_ARGUMENT, "outreach_event_id"),
        (MANAGER_WJJ, {"channel": "service_hall"}, grpc.StatusCode.INVALID_ARGUMENT, "outreach_event_id"),
        (MANAGER_HH, {"household_area_code": HH_VILLAGE}, grpc.StatusCode.PERMISSION_DENIED, None),
        (MANAGER_HH, {}, grpc.StatusCode.PERMISSION_DENIED, None),
        (AGENT_HH, {}, grpc.StatusCode.PERMISSION_DENIED, None),
        (TECH_WJJ, {}, grpc.StatusCode.PERMISSION_DENIED, None),
        (household("hh-ox"), {}, grpc.StatusCode.INVALID_ARGUMENT, "channel"),
        (MANAGER_WJJ, {"household_area_code": OTHER_TOWN}, grpc.StatusCode.PERMISSION_DENIED, None),
        (MANAGER_WJJ, {"service_type": "fault_repair_major"}, grpc.StatusCode.INVALID_ARGUMENT, "service_type"),
        (MANAGER_WJJ, {"outreach_event_id": later.id}, grpc.StatusCode.FAILED_PRECONDITION, "outreach_event_id"),
    ]
    for who, over, code, field in cases:
        fields = {**base, **over}
        await refused(
            desk.file(who, service_type=fields.pop("service_type", "fault_repair_general"), **fields), code, field
        )
    assert count(desk, store.service_requests) == before
    # After the event's day it takes nothing any more.
    desk.clock.advance(days=1)
    await refused(desk.file(MANAGER_WJJ, **base), grpc.StatusCode.FAILED_PRECONDITION, "outreach_event_id")
    assert count(desk, store.service_requests) == before


# --- home visits ---------------------------------------------------------------------


async def test_a_home_visit_is_asked_for_and_shown_to_the_queue_and_the_job(desk):
    catalog = await desk.call("GetCatalog", household("hh-a"))
    repair = next(t for t in catalog.service_types if t.code == "fault_repair_general")
    assert repair.home_visit_offered and "老年人、残疾人可以预约上门服务" in repair.guide
    r = await desk.file(household("hh-old"), home_visit="elderly")
    assert r.home_visit == "elderly"
    queue = (await desk.call("ListPointQueue", MANAGER_WJJ)).requests
    assert [q.home_visit for q in queue if q.id == r.id] == ["elderly"]
    await desk.call("AcceptServiceRequest", MANAGER_WJJ, id=r.id)
    await desk.dispatch(r.id)
    jobs = (await desk.call("ListMyJobs", TECH_WJJ)).requests
    assert [j.home_visit for j in jobs if j.id == r.id] == ["elderly"]
    submitted = [ev.ServiceRequestSubmitted.FromString(e.payload) for e in desk.events(events.REQUEST_SUBMITTED)]
    assert [e.home_visit for e in submitted if e.request_id == r.id] == ["elderly"]
    by_agent = await desk.file(
        AGENT_HH,
        channel="village_agent",
        household_id="hh-dis",
        household_area_code=HH_VILLAGE,
        consent="户主电话同意",
        home_visit="disabled",
    )
    assert by_agent.home_visit == "disabled"


@pytest.mark.parametrize(
    "service_type,home_visit",
    [("complaint", "elderly"), ("fault_repair_general", "young"), ("fault_repair_general", "x" * 17)],
)
async def test_a_home_visit_where_none_is_offered_is_invalid_argument(desk, service_type, home_visit):
    before = count(desk, store.service_requests)
    await refused(
        desk.file(household("hh-a"), service_type=service_type, home_visit=home_visit),
        grpc.StatusCode.INVALID_ARGUMENT,
        "home_visit",
    )
    assert count(desk, store.service_requests) == before
