"""Identity's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from google.protobuf.timestamp_pb2 import Timestamp

from identity import domain, handlers, keys
from identity.store import UnitOfWork
from identity.throttle import SignInAttempts
from runtime.aio import run_sync
from runtime.auth import Signer, current_caller
from runtime.db import Database
from runtime.times import utcnow
from sbc.common.v1 import common_pb2
from sbc.identity.v1 import identity_pb2 as pb
from sbc.identity.v1 import identity_pb2_grpc

PUBLIC_METHODS = {
    "StartDeviceAuthorization",
    "ConfirmDeviceAuthorization",
    "PollDeviceToken",
    "ClientCredentialsToken",
    "StaffToken",
    "GetJwks",
    "RefreshDeviceToken",
    "ListRevocations",
    "MemberPasswordToken",
    "RefreshMemberToken",
}


def token_proto(token: handlers.Token) -> pb.Token:
    return pb.Token(
        access_token=token.access_token,
        token_type="Bearer",
        expires_in=token.expires_in,
        refresh_token=token.refresh_token,
        device_secret=token.device_secret,
    )


def timestamp(when: dt.datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(when)
    return ts


class IdentityServicer(identity_pb2_grpc.IdentityServiceServicer):
    def __init__(
        self,
        db: Database,
        signer: Signer,
        verification_uri: str,
        attempts: SignInAttempts,
        policy: domain.DevicePolicy,
        clock: Callable[[], dt.datetime] = utcnow,
        acting_roles: frozenset[str] = frozenset(),
    ):
        self.db = db
        self.signer = signer
        self.policy = policy
        self.attempts = attempts
        self.verification_uri = verification_uri
        self.now = clock
        self.acting_roles = acting_roles

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    # --- the device authorization grant (RFC 8628) ---

    async def StartDeviceAuthorization(self, request, context):
        auth = await run_sync(
            handlers.start_device_authorization,
            self.uow(),
            request.client_id,
            request.device_serial,
            request.device_secret,
            self.now(),
        )
        return pb.DeviceAuthorization(
            device_code=auth.device_code,
            user_code=auth.user_code,
            verification_uri=self.verification_uri,
            verification_uri_complete=f"{self.verification_uri}?user_code={auth.user_code}",
            expires_in=int(domain.DEVICE_CODE_TTL.total_seconds()),
            interval=auth.interval_seconds,
        )

    async def ConfirmDeviceAuthorization(self, request, context):
        auth = await run_sync(
            handlers.confirm_device_authorization,
            self.uow(),
            self.attempts,
            self.policy,
            request.user_code,
            request.phone,
            request.password,
            request.approve,
            self.now(),
        )
        return pb.ConfirmDeviceAuthorizationResponse(
            household_id=auth.household_id or "", device_serial=auth.device_serial
        )

    async def ApproveDeviceAuthorization(self, request, context):
        auth = await run_sync(
            handlers.approve_device_authorization,
            self.uow(),
            self.attempts,
            self.policy,
            current_caller(),
            request.user_code,
            request.approve,
            self.now(),
        )
        return pb.ConfirmDeviceAuthorizationResponse(
            household_id=auth.household_id or "", device_serial=auth.device_serial
        )

    async def PollDeviceToken(self, request, context):
        token = await run_sync(
            handlers.poll_device_token,
            self.uow(),
            self.signer,
            self.policy,
            request.client_id,
            request.device_code,
            self.now(),
        )
        return token_proto(token)

    async def RefreshDeviceToken(self, request, context):
        token = await run_sync(
            handlers.refresh_device_token,
            self.uow(),
            self.signer,
            self.policy,
            request.client_id,
            request.refresh_token,
            self.now(),
        )
        return token_proto(token)

    # --- a household member on the phone ---

    async def MemberPasswordToken(self, request, context):
        token = await run_sync(
            handlers.member_password_token,
            self.uow(),
            self.attempts,
            self.signer,
            self.policy,
            request.client_id,
            request.phone,
            request.password,
            self.now(),
        )
        return token_proto(token)

    async def RefreshMemberToken(self, request, context):
        token = await run_sync(
            handlers.refresh_member_token,
            self.uow(),
            self.signer,
            self.policy,
            request.client_id,
            request.refresh_token,
            self.now(),
        )
        return token_proto(token)

    # --- staff and departments ---

    async def ClientCredentialsToken(self, request, context):
        token = await run_sync(
            handlers.client_credentials_token,
            self.uow(),
            self.attempts,
            self.signer,
            self.policy,
            request.client_id,
            request.client_secret,
            self.now(),
        )
        return token_proto(token)

    async def StaffToken(self, request, context):
        token = await run_sync(
            handlers.staff_token,
            self.uow(),
            self.attempts,
            self.signer,
            self.policy,
            request.username,
            request.password,
            self.now(),
        )
        return token_proto(token)

    # --- keys and the caller's household ---

    def jwks(self) -> str:
        """The published keys (also what identity verifies its own callers' tokens with)."""
        with self.db.transaction() as session:
            return keys.published_jwks(session, self.signer, self.policy.longest_access_ttl(), self.now())

    async def GetJwks(self, request, context):
        return pb.Jwks(json=await run_sync(self.jwks))

    async def GetMyHousehold(self, request, context):
        household = await run_sync(handlers.my_household, self.uow(), current_caller())
        return pb.Household(
            id=household.id,
            name=household.name,
            area=common_pb2.Area(code=household.area_code),
            address=household.address,
        )

    async def GetHousehold(self, request, context):
        household = await run_sync(
            handlers.registered_household, self.uow(), current_caller(), request.household_id, self.acting_roles
        )
        # What an acting service needs: whose it is and where; no name, no address.
        return pb.Household(id=household.id, area=common_pb2.Area(code=household.area_code))

    # --- a household's boxes, and revocation ---

    async def ListMyDevices(self, request, context):
        devices = await run_sync(handlers.my_devices, self.uow(), current_caller())
        return pb.ListMyDevicesResponse(
            devices=[pb.Device(id=d.id, serial=d.serial, registered_at=timestamp(d.registered_at)) for d in devices]
        )

    async def ListHouseholdDevices(self, request, context):
        devices = await run_sync(handlers.household_devices, self.uow(), current_caller(), request.household_id)
        return pb.ListMyDevicesResponse(
            devices=[pb.Device(id=d.id, serial=d.serial, registered_at=timestamp(d.registered_at)) for d in devices]
        )

    async def RevokeDevice(self, request, context):
        await run_sync(
            handlers.revoke_device,
            self.uow(),
            self.policy,
            current_caller(),
            request.device_id,
            request.reason,
            self.now(),
        )
        return pb.RevokeDeviceResponse()

    async def RevokeStaffMember(self, request, context):
        await run_sync(
            handlers.revoke_staff_member,
            self.uow(),
            self.policy,
            current_caller(),
            request.username,
            request.reason,
            self.now(),
        )
        return pb.RevokeStaffMemberResponse()

    async def ListRevocations(self, request, context):
        revoked = await run_sync(handlers.revocations_in_force, self.uow(), self.now())
        return pb.ListRevocationsResponse(
            revocations=[pb.Revocation(subject=subject, revoked_at=timestamp(at)) for subject, at in revoked]
        )
