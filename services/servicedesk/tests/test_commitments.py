"""The catalog's quality commitments over real gRPC (both databases): what the standards handbook
publishes, from the version in force, with the rectification of bad ratings by the version's rule."""

from __future__ import annotations

import grpc
import pytest

from runtime.testing import rpc_error
from sbc.servicedesk.v1 import servicedesk_pb2 as pb
from servicedesk.tests.desk import home as household

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_the_catalog_publishes_its_quality_commitments(desk):
    c = await desk.call("GetCatalog", household("hh-a"))
    by_code = {q.code: q for q in c.quality_commitments}
    assert by_code["queue_wait"].commitment == "不超过15分钟" and by_code["queue_wait"].target == 15
    assert by_code["counter_transaction"].unit == "minutes" and by_code["counter_transaction"].target == 10
    assert by_code["complaint_rate"].unit == "percent"
    # the rule the rectification clock runs on, not a second copy of it
    rectified = by_code["bad_rating_rectified"]
    assert rectified.target == 15 and rectified.commitment == "15个工作日内整改并回访"
    assert all(q.name and q.commitment for q in c.quality_commitments)
    install = next(t for t in c.service_types if t.code == "installation")
    assert [c.material_names[m] for m in install.materials] == ["户主身份证", "房产证或租房合同"]
    assert all(ch in c.channel_names for t in c.service_types for ch in t.channels)


async def test_no_commitments_without_a_sign_in(desk):
    err = await rpc_error(desk.stub.GetCatalog(pb.GetCatalogRequest(), timeout=30))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
