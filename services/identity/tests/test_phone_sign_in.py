"""A household member signing in on the phone app (the password grant), over real gRPC on SQLite
and PostgreSQL (the `identity` server of test_grpc.py): a member's token and a rotating refresh
token, a reused refresh token revoking its family, lockout with its real retry time, and bad input.
Each test signs in with a member of its own, so lockouts never cross tests."""

from __future__ import annotations

import json
import uuid

import grpc
import pytest

from identity import domain, handlers, service
from identity.service import device_policy
from identity.store import UnitOfWork
from identity.tests.test_devices import refresh as refresh_box
from identity.tests.test_devices import revocations
from identity.tests.test_grpc import KNOWN_ROLES, identity, oauth_error  # noqa: F401 (the fixture)
from runtime.auth import CallerKind
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.identity.v1 import identity_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

PHONE = domain.PHONE_CLIENT_ID
POLICY = device_policy()
SIGN_IN = domain.SignInPolicy.of(json.loads((service.DATA / "sign_in.json").read_text(encoding="utf-8")))


def new_member(identity) -> dict:
    """A household with one member no other test uses."""
    n = uuid.uuid4().int % 10**8
    member = {"id": f"hh-phone-{n}", "name": "手机测试家", "area_code": "330411101001"}
    member |= {"phone": f"139{n:08d}", "password": f"pass-{n}"}
    seed = {
        "households": [
            {
                **{k: member[k] for k in ("id", "name", "area_code")},
                "members": [{"phone": member["phone"], "password": member["password"]}],
            }
        ]
    }
    handlers.load_seed(UnitOfWork(identity.db), seed, KNOWN_ROLES)
    return member


async def sign_in(identity, phone: str, password: str, client_id: str = PHONE) -> pb.Token:
    return await identity.stub.MemberPasswordToken(
        pb.MemberPasswordTokenRequest(client_id=client_id, phone=phone, password=password)
    )


async def refresh(identity, refresh_token: str, client_id: str = PHONE) -> pb.Token:
    return await identity.stub.RefreshMemberToken(
        pb.RefreshMemberTokenRequest(client_id=client_id, refresh_token=refresh_token)
    )


def member_id(identity, phone: str) -> str:
    with UnitOfWork(identity.db) as uow:
        return uow.members.by_phone(phone).id


async def test_a_member_signs_in_as_the_household_and_refreshes(identity):
    member = new_member(identity)
    verify = (await identity.verifier()).verify
    first = await sign_in(identity, member["phone"], member["password"])
    caller = verify(first.access_token)
    assert caller.kind == CallerKind.MEMBER and caller.household_id == member["id"]
    assert caller.subject == f"member:{member_id(identity, member['phone'])}" and caller.device_id == ""
    assert caller.area_code == member["area_code"] and caller.is_household()
    assert caller.phone == member["phone"], "the member's number, to which a family invitation is addressed"
    assert first.expires_in == int(POLICY.member_access_ttl.total_seconds()) and first.refresh_token
    assert first.device_secret == ""
    # The token works as the household's.
    mine = await identity.stub.GetMyHousehold(
        pb.GetMyHouseholdRequest(), metadata=[("authorization", f"Bearer {first.access_token}")]
    )
    assert mine.id == member["id"]

    second = await refresh(identity, first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert verify(second.access_token).subject == caller.subject
    assert verify(second.access_token).phone == member["phone"]

    # The first one again (copied): its family is revoked, and the member's access tokens listed.
    err = await rpc_error(refresh(identity, first.refresh_token))
    assert oauth_error(err) == "invalid_grant" and "already used" in err.details()
    assert oauth_error(await rpc_error(refresh(identity, second.refresh_token))) == "invalid_grant"
    assert caller.subject in await revocations(identity)
    # Signing in again starts a new family.
    again = await sign_in(identity, member["phone"], member["password"])
    assert (await refresh(identity, again.refresh_token)).access_token


async def test_a_phones_refresh_token_is_not_a_boxs_and_the_other_way_round(identity):
    member = new_member(identity)
    phone = await sign_in(identity, member["phone"], member["password"])
    box = await identity.sign_in_box(member)
    assert oauth_error(await rpc_error(refresh_box(identity, phone.refresh_token))) == "invalid_grant"
    assert oauth_error(await rpc_error(refresh(identity, box.refresh_token))) == "invalid_grant"
    # Neither attempt used them up.
    assert (await refresh(identity, phone.refresh_token)).access_token
    assert (await refresh_box(identity, box.refresh_token)).access_token


async def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_account(identity):
    member = new_member(identity)
    unknown = await rpc_error(sign_in(identity, "13999999999", "whatever"))
    wrong = await rpc_error(sign_in(identity, member["phone"], "wrong-pass"))
    assert unknown.code() == wrong.code() == grpc.StatusCode.UNAUTHENTICATED
    assert unknown.details() == wrong.details()  # tells nobody which phones are registered
    for _ in range(SIGN_IN.free_failures - 1):
        await rpc_error(sign_in(identity, member["phone"], "wrong-pass"))
    # Locked now, also with the right password, for the policy's first lockout.
    locked = await rpc_error(sign_in(identity, member["phone"], member["password"]))
    assert locked.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert field_errors_of(locked)["retry_after_seconds"] == str(SIGN_IN.first_lockout_seconds)
    # The phone page's confirmation of a TV's code counts against the same account.
    grant = await identity.start()
    err = await rpc_error(identity.confirm(grant.user_code, member))
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_bad_sign_in_input_is_a_clear_error(identity):
    for client_id, phone, password, field in [
        (PHONE, "", "x", "phone"),
        (PHONE, "13800000001", "", "password"),
        ("", "13800000001", "x", "client_id"),
        (PHONE, "1" * 201, "x", "phone"),
        (PHONE, "13800000001", "p" * 201, "password"),
        (PHONE, "138\x000000001", "x", "phone"),
    ]:
        err = await rpc_error(sign_in(identity, phone, password, client_id))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (phone, password)


async def test_another_client_or_a_bad_refresh_token_is_an_oauth_error(identity):
    member = new_member(identity)
    err = await rpc_error(
        sign_in(identity, member["phone"], member["password"], client_id=domain.SET_TOP_BOX_CLIENT_ID)
    )
    assert oauth_error(err) == "invalid_client"
    token = await sign_in(identity, member["phone"], member["password"])
    assert oauth_error(await rpc_error(refresh(identity, token.refresh_token, client_id="evil"))) == "invalid_client"
    assert oauth_error(await rpc_error(refresh(identity, "no-such-token"))) == "invalid_grant"
    for bad in ("", "x" * 201, "a\x00b"):
        err = await rpc_error(refresh(identity, bad))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "refresh_token" in field_errors_of(err)
    assert (await refresh(identity, token.refresh_token)).access_token  # nothing was used up
