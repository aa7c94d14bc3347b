"""A member signed in on the phone app confirms a TV's code with their token (the code scanned from
the TV's QR code), over real gRPC on SQLite and PostgreSQL: the TV's next poll gets the household's
box; declining, codes that are unknown, malformed, used or expired, and callers who are not a phone
member are each a clear error and change nothing; failed codes lock out as on the phone page."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest

from identity import domain
from identity.tests.test_devices import auth
from identity.tests.test_grpc import ZHANG, identity, oauth_error  # noqa: F401 (the fixture)
from identity.tests.test_phone_sign_in import SIGN_IN, new_member, sign_in
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.identity.v1 import identity_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def approve(identity, token: str | None, user_code: str, yes: bool = True):
    return identity.stub.ApproveDeviceAuthorization(
        pb.ApproveDeviceAuthorizationRequest(user_code=user_code, approve=yes), metadata=auth(token) if token else None
    )


async def test_a_member_on_the_phone_approves_a_tvs_code_without_the_password(identity):
    member = new_member(identity)
    phone = (await sign_in(identity, member["phone"], member["password"])).access_token
    grant = await identity.start()
    # As the QR code carries it: lower case, without the dash, is read too.
    r = await approve(identity, phone, grant.user_code.replace("-", "").lower())
    assert r.household_id == member["id"]
    token = await identity.poll(grant.device_code)
    box = (await identity.verifier()).verify(token.access_token)
    assert box.household_id == member["id"] and box.device_id
    # The code was used: again, it is refused and nothing changes.
    err = await rpc_error(approve(identity, phone, grant.user_code))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field_errors_of(err)["user_code"] == "already used"


async def test_declined_on_the_phone_the_tv_is_told_so(identity):
    member = new_member(identity)
    phone = (await sign_in(identity, member["phone"], member["password"])).access_token
    grant = await identity.start()
    await approve(identity, phone, grant.user_code, yes=False)
    identity.poll_later(grant.device_code)
    assert oauth_error(await rpc_error(identity.poll(grant.device_code))) == "access_denied"


async def test_who_may_not_approve_and_bad_codes_change_nothing(identity):
    member = new_member(identity)
    phone = (await sign_in(identity, member["phone"], member["password"])).access_token
    box = await identity.sign_in(ZHANG)
    grant = await identity.start()
    expired = await identity.start()
    identity.edit(expired.device_code, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    cases = {
        "no token": (approve(identity, None, grant.user_code), grpc.StatusCode.UNAUTHENTICATED),
        "a box": (approve(identity, box, grant.user_code), grpc.StatusCode.PERMISSION_DENIED),
        "no code": (approve(identity, phone, ""), grpc.StatusCode.INVALID_ARGUMENT),
        "malformed": (approve(identity, phone, "ABC"), grpc.StatusCode.INVALID_ARGUMENT),
        "oversized": (approve(identity, phone, "B" * 5000), grpc.StatusCode.INVALID_ARGUMENT),
        "unknown": (approve(identity, phone, "BCDF-GHJK"), grpc.StatusCode.NOT_FOUND),
        "expired": (approve(identity, phone, expired.user_code), grpc.StatusCode.INVALID_ARGUMENT),
    }
    for what, (call, code) in cases.items():
        assert (await rpc_error(call)).code() == code, what
    row = identity.row(grant.device_code)
    assert row.status == domain.AuthorizationStatus.PENDING and row.household_id is None


async def test_guessing_codes_with_a_members_token_locks_out(identity):
    member = new_member(identity)
    phone = (await sign_in(identity, member["phone"], member["password"])).access_token
    for _ in range(SIGN_IN.free_failures):
        assert (await rpc_error(approve(identity, phone, "BCDF-GHJK"))).code() == grpc.StatusCode.NOT_FOUND
    grant = await identity.start()
    err = await rpc_error(approve(identity, phone, grant.user_code))
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert identity.row(grant.device_code).status == domain.AuthorizationStatus.PENDING
