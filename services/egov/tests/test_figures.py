"""The district's figures (KPIs) over real gRPC, on SQLite and PostgreSQL: applications by channel,
done and done on time, visits ("最多跑一次"), satisfaction and bad ratings rectified, per item,
department, town and village agency point; and who may read them."""

from __future__ import annotations

import grpc
import pytest

from egov.tests.conftest import OTHER_VILLAGE, VILLAGE
from egov.tests.test_appointments import RESIDENCE, book, slot_id
from egov.tests.test_grpc import DIBAO, RELIEF, add, consent_code, start, submitted
from runtime.testing import department, rpc_error, staff
from sbc.egov.v1 import egov_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
OFFICE = staff("egov_office", username="office.xz", area_code="330411")
POLICE = department("dept-public-security")


async def figures(svc, caller=OFFICE) -> pb.Figures:
    return await svc.api.GetFigures(pb.GetFiguresRequest(), metadata=svc.md(caller))


async def test_the_office_sees_channels_on_time_visits_and_satisfaction_per_item_town_and_agency_point(svc, who):
    civil, police = svc.md(who.civil), svc.md(POLICE)
    # 1. a residence permit: one visit to the hall's window, then approved
    permit = await start(svc, who.home, RESIDENCE, key="permit")
    booked = await book(svc, who.home, permit.id, slot_id("xzsc", "A02", 2, 10, 0))
    svc.clock.move(days=1)
    await svc.dept.RecordVisit(pb.AppointmentRef(id=booked.id), metadata=police)
    guide = (await svc.api.GetItem(pb.GetItemRequest(code=RESIDENCE), metadata=svc.md(who.home))).guide
    for m in guide.materials:
        if m.required:
            await add(svc, who.home, permit.id, m.code)
    await svc.api.SubmitApplication(pb.ApplicationRef(id=permit.id), metadata=svc.md(who.home))
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=permit.id), metadata=police)
    await svc.dept.ApproveApplication(pb.DecisionRequest(id=permit.id, reason="准予"), metadata=police)
    # 2. on the household's TV, approved on time, very satisfied
    tv = await submitted(svc, who.home, RELIEF, key="tv")
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=tv.id), metadata=civil)
    await svc.dept.ApproveApplication(pb.DecisionRequest(id=tv.id, reason="准予"), metadata=civil)
    await svc.api.RateApplication(
        pb.RateApplicationRequest(id=tv.id, level="very_satisfied"), metadata=svc.md(who.home)
    )
    # 3. the village agent files for the neighbour; rejected long after its deadline; a bad rating, fixed
    code = (await consent_code(svc, who.neighbour)).code
    proxy = {"household_id": "hh-neighbour", "household_area_code": VILLAGE, "consent": code}
    draft = await start(svc, who.agent, RELIEF, key="agent", **proxy)
    for m in ("id_card", "hardship_proof", "application_form"):
        await add(svc, who.agent, draft.id, m)
    await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.agent))
    svc.clock.move(days=30)
    await svc.dept.RejectApplication(
        pb.DecisionRequest(id=draft.id, reason="不符合条件", legal_basis="《社会救助暂行办法》"), metadata=civil
    )
    rate = pb.RateApplicationRequest(id=draft.id, level="dissatisfied")
    await svc.api.RateApplication(rate, metadata=svc.md(who.neighbour))
    await svc.dept.RecordCallBack(pb.DecisionRequest(id=draft.id, reason="电话回访"), metadata=civil)
    await svc.dept.RecordRectification(pb.DecisionRequest(id=draft.id, reason="已说明"), metadata=civil)
    # 4. another town's, submitted and waiting; and a draft, which is no application yet
    await submitted(svc, who.elsewhere, DIBAO, key="waiting")
    await start(svc, who.elsewhere, RELIEF, key="draft")

    f = await figures(svc)
    d = f.district
    assert (d.code, d.name, d.applications, dict(d.by_channel)) == (
        "330411",
        "嘉兴市秀洲区",
        4,
        {"set_top_box": 3, "village_agent": 1},
    )
    assert (d.done, d.on_time, d.on_time_rate) == (3, 2, pytest.approx(2 / 3))
    assert (d.average_visits, d.no_visit_share, d.at_most_one_visit_share) == (
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
        1.0,
    )
    assert (d.rated, d.satisfaction, d.bad_ratings, d.rectified) == (2, 0.5, 1, 1)
    assert [(t.name, t.applications, t.done) for t in f.towns] == [("洪合镇", 3, 3), ("王江泾镇", 1, 0)]
    assert [(t.code, t.applications) for t in f.items] == [(RELIEF, 2), (DIBAO, 1), (RESIDENCE, 1)]
    assert [(t.name, t.applications) for t in f.departments] == [
        ("嘉兴市秀洲区民政局", 3),
        ("嘉兴市公安局秀洲区分局", 1),
    ]
    [point] = f.agency_points
    assert (point.code, point.name, point.applications, point.on_time) == (
        VILLAGE,
        f"洪合镇村级代办点（{VILLAGE}）",
        1,
        0,
    )
    assert OTHER_VILLAGE not in [t.code for t in f.agency_points]


async def test_only_the_districts_office_reads_the_figures(svc, who):
    await submitted(svc, who.home, RELIEF, key="one")
    for caller in (who.home, who.agent, who.technician, who.civil, staff("egov_office", area_code="330402")):
        err = await rpc_error(figures(svc, caller))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, caller
    err = await rpc_error(svc.api.GetFigures(pb.GetFiguresRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    assert (await figures(svc)).district.applications == 1
