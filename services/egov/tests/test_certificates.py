"""The electronic-certificate registry over real gRPC: public security serves a household's ID
card into it, an application's material is then taken from it (the citizen uploads nothing for
it), the approved application issues its result certificate (certificate_ready) and is closed; and
who may do which of it."""

from __future__ import annotations

import json

import grpc
import pytest

from egov.tests.conftest import PDF
from egov.tests.test_grpc import RELIEF, add, counts, start
from runtime.grpc_server import field_errors_of
from runtime.testing import department, rpc_error
from sbc.egov.v1 import egov_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
POLICE = department("dept-public-security")


async def register(svc, caller=POLICE, **kw):
    fields = {"household_id": "hh-home", "kind": "id_card", "number": "330411196001011234", "holder": "张某", **kw}
    return await svc.dept.RegisterCertificate(pb.RegisterCertificateRequest(**fields), metadata=svc.md(caller))


async def test_a_material_is_taken_from_the_registry_and_the_approved_application_issues_its_certificate(svc, who):
    served = await register(svc)
    assert (served.kind, served.name, served.issuer) == ("id_card", "居民身份证（电子证照）", "嘉兴市公安局秀洲区分局")
    assert (await register(svc)).id == served.id, "the same number again is the same certificate"
    draft = await start(svc, who.home, RELIEF)
    [given] = draft.materials
    assert (given.code, given.media_type) == ("id_card", "application/json")
    assert [s.action for s in draft.steps] == ["started", "material_added"]
    f = await svc.api.GetMaterial(
        pb.GetMaterialRequest(application_id=draft.id, material_code="id_card"), metadata=svc.md(who.home)
    )
    assert json.loads(f.content)["number"] == "330411196001011234"
    # only the materials no certificate holds are uploaded
    for code in ("hardship_proof", "application_form"):
        await add(svc, who.home, draft.id, code, content=PDF)
    await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.home))
    dept = svc.md(who.civil)
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=draft.id), metadata=dept)
    approved = await svc.dept.ApproveApplication(
        pb.DecisionRequest(id=draft.id, reason="核准救助金2000元"), metadata=dept
    )
    err = await rpc_error(svc.dept.CloseApplication(pb.DecisionRequest(id=draft.id), metadata=dept))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "its certificate first"
    svc.clock.move(days=1)
    ready = await svc.dept.IssueCertificate(pb.DecisionRequest(id=approved.id), metadata=dept)
    assert (ready.state, ready.state_label) == ("certificate_ready", "已出证：电子证照已发放")
    mine = (await svc.api.ListMyCertificates(pb.ListMyCertificatesRequest(), metadata=svc.md(who.home))).certificates
    assert [(c.kind, c.application_id) for c in mine] == [("relief_decision", draft.id), ("id_card", "")]
    assert mine[0].issuer == "嘉兴市秀洲区民政局"
    err = await rpc_error(svc.dept.IssueCertificate(pb.DecisionRequest(id=draft.id), metadata=dept))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "once"
    closed = await svc.dept.CloseApplication(pb.DecisionRequest(id=draft.id), metadata=dept)
    assert (closed.state, closed.steps[-1].action, closed.steps[-2].action) == (
        "closed",
        "closed",
        "certificate_issued",
    )
    # still the household's to rate
    rated = await svc.api.RateApplication(
        pb.RateApplicationRequest(id=draft.id, level="satisfied"), metadata=svc.md(who.home)
    )
    assert rated.rating.level == "satisfied"
    # the neighbour's registry is its own
    theirs = await svc.api.ListMyCertificates(pb.ListMyCertificatesRequest(), metadata=svc.md(who.neighbour))
    assert not theirs.certificates
    assert not (await start(svc, who.neighbour, RELIEF, key="n1")).materials


async def test_an_item_without_a_result_certificate_is_closed_after_its_decision(svc, who):
    draft = await start(svc, who.home, RELIEF)
    err = await rpc_error(svc.dept.CloseApplication(pb.DecisionRequest(id=draft.id), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "a draft is not closed"
    for code in ("id_card", "hardship_proof", "application_form"):
        await add(svc, who.home, draft.id, code)
    await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.home))
    rejected = await svc.dept.RejectApplication(
        pb.DecisionRequest(id=draft.id, reason="不符合条件", legal_basis="《社会救助暂行办法》"),
        metadata=svc.md(who.civil),
    )
    err = await rpc_error(svc.dept.IssueCertificate(pb.DecisionRequest(id=rejected.id), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    err = await rpc_error(svc.dept.CloseApplication(pb.DecisionRequest(id=draft.id), metadata=svc.md(who.hrss)))
    assert err.code() == grpc.StatusCode.NOT_FOUND, "not another department's to close"
    closed = await svc.dept.CloseApplication(pb.DecisionRequest(id=draft.id), metadata=svc.md(who.civil))
    assert closed.state == "closed"


@pytest.mark.parametrize(
    "caller, fields, code, field",
    [
        ("civil", {}, "PERMISSION_DENIED", "kind"),  # civil affairs serves no ID cards
        ("police", {"kind": "dibao_certificate"}, "PERMISSION_DENIED", "kind"),
        ("police", {"household_id": "hh-unknown"}, "NOT_FOUND", "household_id"),
        ("police", {"number": ""}, "INVALID_ARGUMENT", "number"),
        ("police", {"number": "1" * 65}, "INVALID_ARGUMENT", "number"),
        ("police", {"holder": "张\x00某"}, "INVALID_ARGUMENT", "holder"),
        ("police", {"household_id": ""}, "INVALID_ARGUMENT", "household_id"),
    ],
)
async def test_a_bad_or_unauthorized_certificate_is_refused_and_nothing_is_recorded(
    svc, who, caller, fields, code, field
):
    err = await rpc_error(register(svc, who.civil if caller == "civil" else POLICE, **fields))
    assert err.code() == getattr(grpc.StatusCode, code) and field in field_errors_of(err), err.details()
    assert not (
        await svc.api.ListMyCertificates(pb.ListMyCertificatesRequest(), metadata=svc.md(who.home))
    ).certificates


async def test_only_a_department_registers_and_only_the_household_lists_its_certificates(svc, who):
    for caller in (who.home, who.agent, who.technician):
        err = await rpc_error(register(svc, caller))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    for caller in (who.agent, who.civil, POLICE):
        err = await rpc_error(svc.api.ListMyCertificates(pb.ListMyCertificatesRequest(), metadata=svc.md(caller)))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(register(svc, department("dept-public-security", area_code="330402")))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "another district's police"
    assert counts(svc.db) == (0, 0, 0, 0)
