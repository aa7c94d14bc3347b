"""The advisors' duties over real gRPC on SQLite and PostgreSQL: the village's advisor records a
monthly contact, a quarterly visit, an annual lecture; the compliance view shows each village's
done (when, by whom), due or overdue, the office every advisor's and an advisor their own; bad
input and callers who may not change nothing."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import func, select

from legal import store
from legal.tests.conftest import NEIGHBOUR_VILLAGE, OTHER_VILLAGE, VILLAGE
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import rpc_error
from sbc.legal.v1 import legal_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

# The test's clock: Tuesday 2026-12-01, 10:00 in Xiuzhou (conftest.NOW).
TODAY = "2026-12-01"


def duty(kind: str, done_on: str, village: str = VILLAGE, note: str = "") -> pb.RecordAdvisorDutyRequest:
    return pb.RecordAdvisorDutyRequest(village_code=village, kind=kind, done_on=done_on, note=note)


def count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.advisor_duties))


def recorded_events(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [r.event_type for r in s.execute(select(t)) if "advisor_duty" in r.event_type]


def states(view: pb.AdvisorDuties, village: str) -> dict[str, tuple[str, str, str]]:
    v = next(v for a in view.advisors for v in a.villages if v.village_code == village)
    return {d.kind: (d.status, d.last_done_on, d.last_recorded_by) for d in v.duties}


async def test_the_advisor_records_duties_and_the_office_sees_them_done_due_or_overdue(svc, who):
    api, advisor = svc.api, svc.md(who.advisor)
    contact = await api.RecordAdvisorDuty(duty("monthly_contact", TODAY, note="电话联系村委"), metadata=advisor)
    assert (contact.kind_label, contact.done_on, contact.recorded_by) == ("每月联系", TODAY, "lawyer.gz")
    await api.RecordAdvisorDuty(duty("quarterly_visit", "2026-11-20"), metadata=advisor)
    # The neighbour village: contacted last month only, visited last quarter only.
    await api.RecordAdvisorDuty(duty("monthly_contact", "2026-11-15", NEIGHBOUR_VILLAGE), metadata=advisor)
    await api.RecordAdvisorDuty(duty("quarterly_visit", "2026-08-03", NEIGHBOUR_VILLAGE), metadata=advisor)
    # A retry of the same record returns the first.
    again = await api.RecordAdvisorDuty(duty("monthly_contact", TODAY, note="电话联系村委"), metadata=advisor)
    assert again.id == contact.id and count(svc.db) == 4

    office = await api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=svc.md(who.author))
    assert office.as_of == TODAY and len(office.advisors) == 3  # the roster's every advisor
    assert states(office, VILLAGE) == {
        "monthly_contact": ("done", TODAY, "lawyer.gz"),
        "quarterly_visit": ("done", "2026-11-20", "lawyer.gz"),
        "annual_lecture": ("overdue", "", ""),
    }
    assert states(office, NEIGHBOUR_VILLAGE) == {
        "monthly_contact": ("due", "2026-11-15", "lawyer.gz"),
        "quarterly_visit": ("due", "2026-08-03", "lawyer.gz"),
        "annual_lecture": ("overdue", "", ""),
    }
    lecture = next(d for d in office.advisors[0].villages[0].duties if d.kind == "annual_lecture")
    assert (lecture.period_start, lecture.due_by, lecture.every) == ("2026-01-01", "2026-12-31", "year")
    # 3 + 3 + 2 villages on the roster, 3 duties each: 2 done, 2 due, the rest overdue.
    assert (office.done, office.due, office.overdue) == (2, 2, 24 - 4)

    mine = await api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=advisor)
    assert [a.advisor_name for a in mine.advisors] == ["高照法律顾问(示例)"]
    assert [v.village_code for v in mine.advisors[0].villages] == [VILLAGE, NEIGHBOUR_VILLAGE, "330411004003"]
    assert states(mine, VILLAGE) == states(office, VILLAGE)
    other = await api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=svc.md(who.other_advisor))
    assert [v.village_code for v in other.advisors[0].villages] == [OTHER_VILLAGE, "330411105201"]
    assert recorded_events(svc.db) == ["sbc.legal.advisor_duty.recorded.v1"] * 4


BAD = [
    (duty("monthly_contact", "2026-12-02"), "done_on"),  # tomorrow
    (duty("monthly_contact", "2025-11-29"), "done_on"),  # further back than the district allows
    (duty("monthly_contact", "2026-02-30"), "done_on"),
    (duty("monthly_contact", "yesterday"), "done_on"),
    (duty("monthly_contact", ""), "done_on"),
    (duty("weekly_tea", TODAY), "kind"),
    (duty("", TODAY), "kind"),
    (duty("monthly_contact", TODAY, village="3304110040"), "village_code"),
    (duty("monthly_contact", TODAY, note="太长" * 101), "note"),
    (duty("monthly_contact", TODAY, note="a\x00b"), "note"),
]


async def test_bad_input_is_refused_naming_its_field_and_records_nothing(svc, who):
    for request, field in BAD:
        err = await rpc_error(svc.api.RecordAdvisorDuty(request, metadata=svc.md(who.advisor)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (request, field)
    assert count(svc.db) == 0


async def test_only_the_villages_own_advisor_records_and_only_the_office_and_advisors_see(svc, who):
    api = svc.api
    # A village the advisor does not serve, whoever else tries to record one.
    err = await rpc_error(
        api.RecordAdvisorDuty(duty("monthly_contact", TODAY, OTHER_VILLAGE), metadata=svc.md(who.advisor))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "serve" in err.details()
    for caller in (who.other_advisor, who.author, who.agent, who.technician, who.home):
        err = await rpc_error(api.RecordAdvisorDuty(duty("monthly_contact", TODAY), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # A second record of that day with another note is refused (the first stands).
    await api.RecordAdvisorDuty(duty("monthly_contact", TODAY, note="走访"), metadata=svc.md(who.advisor))
    err = await rpc_error(
        api.RecordAdvisorDuty(duty("monthly_contact", TODAY, note="讲座"), metadata=svc.md(who.advisor))
    )
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    assert count(svc.db) == 1

    for caller in (who.home, who.agent, who.technician):
        err = await rpc_error(api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=svc.md(who.foreign_officer)))
    assert err.code() == grpc.StatusCode.NOT_FOUND  # no legal service in that district
    err = await rpc_error(api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_a_month_on_the_contact_is_due_again_and_a_missed_month_overdue(svc, who):
    await svc.api.RecordAdvisorDuty(duty("monthly_contact", TODAY), metadata=svc.md(who.advisor))
    svc.clock.move(days=31)  # 2027-01-01: a new month, quarter and year
    view = await svc.api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=svc.md(who.advisor))
    assert view.as_of == "2027-01-01" and states(view, VILLAGE)["monthly_contact"] == ("due", TODAY, "lawyer.gz")
    svc.clock.move(days=31)  # February: January passed without a contact
    view = await svc.api.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), metadata=svc.md(who.advisor))
    assert states(view, VILLAGE)["monthly_contact"] == ("overdue", TODAY, "lawyer.gz")
