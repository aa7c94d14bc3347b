"""gRPC face of identity: maps protobuf to the domain and the store."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from identity import domain, events
from identity.store import (
    Client,
    Device,
    DeviceAuthorization,
    Household,
    HouseholdMember,
    StaffMember,
    utc,
)
from runtime.auth import Caller, CallerKind, Signer, current_caller
from runtime.db import Database
from runtime.errors import NotFound, check_text, require
from sbc.common.v1 import common_pb2
from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

SERVICE_NAME = identity_pb2.DESCRIPTOR.services_by_name["IdentityService"].full_name
PUBLIC_METHODS = {
    "StartDeviceAuthorization",
    "ConfirmDeviceAuthorization",
    "PollDeviceToken",
    "ClientCredentialsToken",
    "StaffToken",
    "GetJwks",
}
MAX_FIELD = 200


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _bounded(**fields: str) -> None:
    check_text({k: (v, MAX_FIELD) for k, v in fields.items()})


class IdentityServicer(identity_pb2_grpc.IdentityServiceServicer):
    def __init__(self, db: Database, signer: Signer, verification_uri: str):
        self.db = db
        self.signer = signer
        self.verification_uri = verification_uri

    # --- device authorization grant (RFC 8628) ---

    async def StartDeviceAuthorization(self, request, context):
        return await asyncio.to_thread(self._start, request)

    def _start(self, request):
        require({"client_id": request.client_id, "device_serial": request.device_serial})
        _bounded(client_id=request.client_id, device_serial=request.device_serial)
        if request.client_id != domain.SET_TOP_BOX_CLIENT_ID:
            raise domain.OAuthError("invalid_client", "unknown client_id")
        t = now()
        for _ in range(5):  # a user-code collision is rare; draw again
            user_code = domain.new_user_code()
            try:
                with self.db.transaction() as s:
                    s.add(
                        DeviceAuthorization(
                            device_code=domain.new_device_code(),
                            user_code=user_code,
                            client_id=request.client_id,
                            device_serial=request.device_serial,
                            status=domain.AuthorizationStatus.PENDING,
                            created_at=t,
                            expires_at=t + domain.DEVICE_CODE_TTL,
                            interval_seconds=domain.POLL_INTERVAL_SECONDS,
                        )
                    )
                    s.flush()
                    row = s.scalar(select(DeviceAuthorization).where(DeviceAuthorization.user_code == user_code))
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("could not draw a free user code")
        return identity_pb2.DeviceAuthorization(
            device_code=row.device_code,
            user_code=row.user_code,
            verification_uri=self.verification_uri,
            verification_uri_complete=f"{self.verification_uri}?user_code={row.user_code}",
            expires_in=int(domain.DEVICE_CODE_TTL.total_seconds()),
            interval=row.interval_seconds,
        )

    async def ConfirmDeviceAuthorization(self, request, context):
        return await asyncio.to_thread(self._confirm, request)

    def _confirm(self, request):
        require({"user_code": request.user_code, "phone": request.phone, "password": request.password})
        _bounded(phone=request.phone, password=request.password)
        user_code = domain.normalize_user_code(request.user_code)
        with self.db.transaction() as s:
            member = s.scalar(select(HouseholdMember).where(HouseholdMember.phone == request.phone))
            if not domain.account_secret_matches(request.password, member.password_hash if member else None):
                raise domain.bad_credentials()
            auth = s.scalar(
                select(DeviceAuthorization).where(DeviceAuthorization.user_code == user_code).with_for_update()
            )
            if auth is None:
                raise NotFound("no sign-in is waiting for this code", {"user_code": "unknown code"})
            domain.confirmable(self._state(auth), now())
            if request.approve:
                auth.status = domain.AuthorizationStatus.APPROVED
                auth.household_id = member.household_id
            else:
                auth.status = domain.AuthorizationStatus.DENIED
            return identity_pb2.ConfirmDeviceAuthorizationResponse(
                household_id=member.household_id if request.approve else "", device_serial=auth.device_serial
            )

    async def PollDeviceToken(self, request, context):
        return await asyncio.to_thread(self._poll, request)

    def _poll(self, request):
        require({"client_id": request.client_id, "device_code": request.device_code})
        _bounded(client_id=request.client_id, device_code=request.device_code)
        t = now()
        for attempt in range(2):
            try:
                return self._poll_once(request, t)
            except IntegrityError:
                # Another code for the same box was approved at the same moment and
                # registered it first: the second pass finds the box and re-binds it.
                if attempt:
                    raise

    def _poll_once(self, request, t: dt.datetime):
        error: domain.OAuthError | None = None
        with self.db.transaction() as s:
            auth = s.scalar(
                select(DeviceAuthorization)
                .where(DeviceAuthorization.device_code == request.device_code)
                .with_for_update()
            )
            if auth is None or auth.client_id != request.client_id:
                raise domain.OAuthError("invalid_grant", "unknown device code")
            state = self._state(auth)
            auth.last_polled_at = t  # kept even on an error, for slow_down
            try:
                domain.poll_outcome(state, t)
            except domain.OAuthError as err:
                error = err
                if err.error == "slow_down":
                    # RFC 8628 §3.5: each slow_down adds 5 seconds to the interval.
                    auth.interval_seconds += domain.SLOW_DOWN_STEP_SECONDS
            else:
                caller = self._issue_device(s, auth, t)
        if error is not None:
            raise error
        return self._token(caller)

    @staticmethod
    def _issue_device(s, auth: DeviceAuthorization, t: dt.datetime) -> Caller:
        household = s.get(Household, auth.household_id)
        device = s.scalar(select(Device).where(Device.serial == auth.device_serial))
        if device is None:
            device = Device(household_id=household.id, serial=auth.device_serial, registered_at=t)
            s.add(device)
            s.flush()
        else:
            device.household_id = household.id  # a box moved to another household
        # Every completed sign-in (new box, re-bound box, or the same household again, which
        # also announces boxes registered before this event existed), in the device row's
        # transaction: alerts counts the box as targeted in its household's area.
        events.device_registered(
            s,
            device_id=device.id,
            household_id=household.id,
            area_code=household.area_code,
            serial=device.serial,
            registered_at=t,
        )
        auth.status = domain.AuthorizationStatus.USED
        return Caller(
            subject=f"device:{device.id}",
            kind=CallerKind.DEVICE,
            household_id=household.id,
            device_id=device.id,
            area_code=household.area_code,
            name=household.name,
        )

    @staticmethod
    def _state(auth: DeviceAuthorization) -> domain.DeviceAuthorizationState:
        return domain.DeviceAuthorizationState(
            status=auth.status,
            expires_at=utc(auth.expires_at),
            last_polled_at=utc(auth.last_polled_at),
            interval_seconds=auth.interval_seconds,
        )

    # --- staff and departments ---

    async def ClientCredentialsToken(self, request, context):
        return await asyncio.to_thread(self._client_credentials, request)

    def _client_credentials(self, request):
        require({"client_id": request.client_id, "client_secret": request.client_secret})
        _bounded(client_id=request.client_id, client_secret=request.client_secret)
        with self.db.transaction() as s:
            client = s.get(Client, request.client_id)
            if not domain.account_secret_matches(request.client_secret, client.secret_hash if client else None):
                raise domain.bad_credentials()
            caller = Caller(
                subject=f"department:{client.client_id}",
                kind=CallerKind.DEPARTMENT,
                area_code=client.area_code,
                roles=frozenset(r for r in client.roles.split(",") if r),
                name=client.name,
            )
        return self._token(caller)

    async def StaffToken(self, request, context):
        return await asyncio.to_thread(self._staff, request)

    def _staff(self, request):
        require({"username": request.username, "password": request.password})
        _bounded(username=request.username, password=request.password)
        with self.db.transaction() as s:
            staff = s.scalar(select(StaffMember).where(StaffMember.username == request.username))
            if not domain.account_secret_matches(request.password, staff.password_hash if staff else None):
                raise domain.bad_credentials()
            caller = Caller(
                subject=f"staff:{staff.id}",
                kind=CallerKind.STAFF,
                area_code=staff.area_code,
                roles=frozenset(r for r in staff.roles.split(",") if r),
                name=staff.name,
                username=staff.username,
            )
        return self._token(caller)

    def _token(self, caller: Caller) -> identity_pb2.Token:
        t = now()
        claims = domain.token_claims(caller, t, jti=str(uuid.uuid4()))
        return identity_pb2.Token(
            access_token=self.signer.sign(claims),
            token_type="Bearer",
            expires_in=claims["exp"] - claims["iat"],
        )

    # --- keys and the caller's household ---

    async def GetJwks(self, request, context):
        return identity_pb2.Jwks(json=self.signer.jwks())

    async def GetMyHousehold(self, request, context):
        caller = current_caller()
        return await asyncio.to_thread(self._my_household, caller)

    def _my_household(self, caller: Caller):
        household_id = caller.require_household()
        with self.db.transaction() as s:
            h = s.get(Household, household_id)
            if h is None:
                raise NotFound("household not found")
            return identity_pb2.Household(
                id=h.id, name=h.name, area=common_pb2.Area(code=h.area_code), address=h.address
            )
