"""A staff member who left: a staff administrator revokes their account over real gRPC (the
`identity` server of test_grpc.py, on SQLite and PostgreSQL). Only staff with the role
staff_admin, in their own area or below, with a reason; the member's sign-in is refused at once
(as a wrong password), their tokens are listed as revoked for the gateway, and
StaffAccountRevoked is written to the outbox. Bad input changes nothing."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import pytest

from identity import events, handlers
from identity.store import UnitOfWork
from identity.tests.test_box_revocation import outbox_messages
from identity.tests.test_devices import auth, revocations
from identity.tests.test_grpc import KNOWN_ROLES, ZHANG, identity  # noqa: F401
from runtime.auth import Revocations
from runtime.grpc_server import GrpcService, Server, field_errors_of
from runtime.settings import Settings
from runtime.testing import rpc_error
from sbc.events.v1 import identity_events_pb2
from sbc.identity.v1 import identity_pb2 as pb
from sbc.notifications.v1 import notifications_pb2, notifications_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

PASSWORD = "pass-staff"


def enrol(identity, roles: list[str], area_code: str) -> str:
    """A new staff member (a unique user name); returns the user name."""
    username = f"s-{uuid.uuid4().hex[:8]}"
    member = {"username": username, "name": username, "password": PASSWORD, "roles": roles, "area_code": area_code}
    handlers.load_seed(UnitOfWork(identity.db), {"staff": [member]}, KNOWN_ROLES)
    return username


async def sign_in(identity, username: str) -> str:
    r = await identity.stub.StaffToken(pb.StaffTokenRequest(username=username, password=PASSWORD))
    return r.access_token


def revoke(identity, token: str | None, username: str, reason: str = "已离职，账号注销"):
    return identity.stub.RevokeStaffMember(
        pb.RevokeStaffMemberRequest(username=username, reason=reason), metadata=auth(token) if token else None
    )


def revoked_events(db) -> list[identity_events_pb2.StaffAccountRevoked]:
    return outbox_messages(db, events.STAFF_REVOKED, identity_events_pb2.StaffAccountRevoked)


async def test_an_administrator_revokes_a_member_who_left(identity):
    verify = (await identity.verifier()).verify
    admin = await sign_in(identity, enrol(identity, ["staff_admin"], "330411"))  # the district's
    leaver = enrol(identity, ["device_manager"], "330411101")  # 王江泾镇's
    colleague = enrol(identity, ["device_manager"], "330411101")
    leaver_token = await sign_in(identity, leaver)
    leaver_subject = verify(leaver_token).subject

    await revoke(identity, admin, leaver)

    # Signing in again is refused as a wrong password would be: nobody learns the account existed.
    err = await rpc_error(identity.stub.StaffToken(pb.StaffTokenRequest(username=leaver, password=PASSWORD)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED and err.details() == "wrong user name or password"
    # The tokens they hold are listed for the gateway, which refuses them.
    assert leaver_subject in await revocations(identity)
    [event] = revoked_events(identity.db)
    assert (event.username, event.area_code, f"staff:{event.staff_id}") == (leaver, "330411101", leaver_subject)
    assert event.revoked_by == verify(admin).subject and event.reason == "已离职，账号注销"
    # Out of order: revoked already, and nothing more is announced.
    err = await rpc_error(revoke(identity, admin, leaver))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "username" in field_errors_of(err)
    assert len(revoked_events(identity.db)) == 1
    # Nobody else is touched.
    assert await sign_in(identity, colleague)


async def test_who_may_not_revoke_and_bad_input_change_nothing(identity):
    town_admin = await sign_in(identity, enrol(identity, ["staff_admin"], "330411101"))  # 王江泾镇's
    boxes = await sign_in(identity, enrol(identity, ["device_manager"], "330411"))
    elsewhere = enrol(identity, ["technician"], "330411105")  # 洪合镇's
    district = enrol(identity, ["technician"], "330411")  # above the town's administrator
    target = enrol(identity, ["technician"], "330411101")
    own = enrol(identity, ["staff_admin"], "330411101001")
    own_token = await sign_in(identity, own)
    household = await identity.sign_in(ZHANG)

    cases = {
        "another area": (revoke(identity, town_admin, elsewhere), grpc.StatusCode.PERMISSION_DENIED, "username"),
        "a higher area": (revoke(identity, town_admin, district), grpc.StatusCode.PERMISSION_DENIED, "username"),
        "without the role": (revoke(identity, boxes, target), grpc.StatusCode.PERMISSION_DENIED, None),
        "a household": (revoke(identity, household, target), grpc.StatusCode.PERMISSION_DENIED, None),
        "no token": (revoke(identity, None, target), grpc.StatusCode.UNAUTHENTICATED, None),
        "unknown": (revoke(identity, town_admin, "no-such-user"), grpc.StatusCode.NOT_FOUND, "username"),
        "own account": (revoke(identity, own_token, own), grpc.StatusCode.FAILED_PRECONDITION, "username"),
        "no reason": (revoke(identity, town_admin, target, ""), grpc.StatusCode.INVALID_ARGUMENT, "reason"),
        "oversized reason": (
            revoke(identity, town_admin, target, "离职" * 101),
            grpc.StatusCode.INVALID_ARGUMENT,
            "reason",
        ),
        "malformed reason": (
            revoke(identity, town_admin, target, "离\n职"),
            grpc.StatusCode.INVALID_ARGUMENT,
            "reason",
        ),
        "no user name": (revoke(identity, town_admin, ""), grpc.StatusCode.INVALID_ARGUMENT, "username"),
        "oversized user name": (revoke(identity, town_admin, "x" * 201), grpc.StatusCode.INVALID_ARGUMENT, "username"),
    }
    for name, (call, code, field) in cases.items():
        err = await rpc_error(call)
        assert err.code() == code, (name, err.details())
        if field:
            assert field in field_errors_of(err), (name, field_errors_of(err))
    assert revoked_events(identity.db) == []
    for username in (elsewhere, district, target, own):
        assert await sign_in(identity, username)


class Echo(notifications_pb2_grpc.NotificationServiceServicer):
    """Any service's server: answers whoever its interceptor lets through."""

    async def ListMyPushMessages(self, request, context):
        return notifications_pb2.ListMyPushMessagesResponse()


async def test_a_revoked_members_token_is_refused_by_a_service_called_directly_not_only_by_the_gateway(identity):
    """A department's engineer or a script may call a service's gRPC API without the gateway: its server
    reads identity's revocations too (runtime.auth.Revocations in CallerInterceptor), within its refresh."""

    async def fetch() -> dict[str, float]:
        return {subject: at.timestamp() for subject, at in (await revocations(identity)).items()}

    listed = Revocations(fetch, refresh_seconds=0.1)
    name = notifications_pb2.DESCRIPTOR.services_by_name["NotificationService"].full_name
    service = GrpcService([name], lambda s: notifications_pb2_grpc.add_NotificationServiceServicer_to_server(Echo(), s))
    server = Server(Settings(service_name="test", grpc_port=0), service, await identity.verifier(), listed)
    await server.start()
    try:
        admin = await sign_in(identity, enrol(identity, ["staff_admin"], "330411"))
        leaver = enrol(identity, ["device_manager"], "330411101")
        leaver_token, colleague_token = (
            await sign_in(identity, leaver),
            await sign_in(identity, enrol(identity, ["device_manager"], "330411101")),
        )
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = notifications_pb2_grpc.NotificationServiceStub(channel)

            def call(token: str):
                return stub.ListMyPushMessages(notifications_pb2.ListMyPushMessagesRequest(), metadata=auth(token))

            await call(leaver_token)  # works before
            await revoke(identity, admin, leaver)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    await call(leaver_token)
                except grpc.aio.AioRpcError as err:
                    assert err.code() == grpc.StatusCode.UNAUTHENTICATED and "revoked" in err.details()
                    break
                await asyncio.sleep(0.05)
            else:
                pytest.fail("the revoked token still works against the service after 5 s")
            await call(colleague_token)  # nobody else is touched
    finally:
        await server.stop()
