"""GetHousehold over real gRPC: a household as identity registered it (id and area, nothing more),
for staff who act for households; everyone else is refused, bad ids are named."""

from __future__ import annotations

import grpc
import pytest

from identity.tests.test_grpc import LI, identity  # noqa: F401 (the fixture)
from runtime.grpc_server import field_errors_of
from runtime.testing import department, household, rpc_error, staff
from sbc.identity.v1 import identity_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def get(identity, tokens, caller, household_id: str):  # noqa: F811
    return await identity.stub.GetHousehold(
        pb.GetHouseholdRequest(household_id=household_id), metadata=tokens.metadata(caller), timeout=10
    )


@pytest.mark.parametrize("role", ["village_agent", "service_point_manager"])
async def test_staff_who_act_for_households_get_its_area_and_nothing_more(identity, tokens, role):  # noqa: F811
    found = await get(identity, tokens, staff(role, username="agent.x", area_code="330411101001"), LI["id"])
    assert found.id == LI["id"] and found.area.code == LI["area_code"]
    assert found.name == "" and found.address == "", "an acting service needs no name or address"


async def test_anyone_else_is_refused_and_bad_ids_are_named(identity, tokens):  # noqa: F811
    for caller in (staff("technician"), household("hh-zhang"), department()):
        err = await rpc_error(get(identity, tokens, caller, LI["id"]))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED, err.details()
    err = await rpc_error(identity.stub.GetHousehold(pb.GetHouseholdRequest(household_id=LI["id"])))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    agent = staff("village_agent")
    err = await rpc_error(get(identity, tokens, agent, "hh-nobody"))
    assert err.code() == grpc.StatusCode.NOT_FOUND and "hh-nobody" in err.details()
    for bad in ("", "x" * 37, "hh\x00li"):
        err = await rpc_error(get(identity, tokens, agent, bad))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "household_id" in field_errors_of(err), bad
