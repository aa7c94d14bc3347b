"""A district's published programme commitments over real gRPC (both databases): the weekly rule the
compliance check counts, its channels and the playout's lead, per district; bad and unknown district
codes are refused."""

from __future__ import annotations

import grpc
import pytest

from runtime.grpc_server import field_errors_of
from runtime.testing import household, rpc_error
from sbc.education.v1 import education_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_the_callers_district_and_a_named_one(svc, who):
    mine = await svc.api.GetProgrammeCommitments(pb.GetProgrammeCommitmentsRequest(), metadata=svc.md(who.home))
    named = await svc.api.GetProgrammeCommitments(
        pb.GetProgrammeCommitmentsRequest(district_code="330411"), metadata=svc.md(who.editor)
    )
    assert mine == named
    assert mine.district_code == "330411" and mine.district_name == "秀洲区"
    assert mine.farm_programmes_per_week == 3 and list(mine.counted_channels) == ["村村响", "电视"]
    assert mine.playout_channel == "村村响" and mine.send_ahead_seconds == 60
    assert len(mine.towns) == 9 and "郝老师课堂" in {t.brand.name for t in mine.towns}
    # the same figure as the compliance check's
    compliance = await svc.api.GetCompliance(pb.GetComplianceRequest(), metadata=svc.md(who.editor))
    assert compliance.required == mine.farm_programmes_per_week


async def test_bad_and_unknown_districts(svc, who):
    for code, status in (("33041", grpc.StatusCode.INVALID_ARGUMENT), ("3304x1", grpc.StatusCode.INVALID_ARGUMENT)):
        err = await rpc_error(
            svc.api.GetProgrammeCommitments(
                pb.GetProgrammeCommitmentsRequest(district_code=code), metadata=svc.md(who.home)
            )
        )
        assert err.code() == status and "district_code" in field_errors_of(err)
    err = await rpc_error(
        svc.api.GetProgrammeCommitments(
            pb.GetProgrammeCommitmentsRequest(district_code="110101"), metadata=svc.md(who.home)
        )
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    stranger = household("hh-far", area_code="110101001001")
    err = await rpc_error(
        svc.api.GetProgrammeCommitments(pb.GetProgrammeCommitmentsRequest(), metadata=svc.md(stranger))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(svc.api.GetProgrammeCommitments(pb.GetProgrammeCommitmentsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
