"""Identity: the OAuth 2.0 endpoints (RFC 6749, the device authorization grant of RFC 8628) under
/v1/identity/, and the phone page where a citizen confirms a TV's sign-in code (/identity/device).
The identity service does the work."""

from __future__ import annotations

import html
import pathlib
import string
from typing import Annotated

import grpc
from fastapi import APIRouter, Body, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.common import LINE, ServiceClient, SignedIn, json_body, to_json
from gateway.openapi import PROBLEM_JSON, PROBLEM_REF, RETRY_AFTER, array, body, obj, problems
from runtime.grpc_server import field_errors_of
from sbc.identity.v1 import identity_pb2 as pb
from sbc.identity.v1 import identity_pb2_grpc

router = APIRouter(tags=["identity"])
PAGE = string.Template(
    (pathlib.Path(__file__).resolve().parents[1] / "static" / "identity" / "device.html").read_text(encoding="utf-8")
)

SET_TOP_BOX = "sbc-set-top-box"
PHONE = "sbc-phone"  # the phone app: a household member's password grant
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
MAX_FORM_FIELD = 200
USER_CODE_LETTER = "[BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz]"


class Identity(ServiceClient):
    service = "identity"
    stub_class = identity_pb2_grpc.IdentityServiceStub

    async def start_device_authorization(
        self, client_id: str, device_serial: str, device_secret: str = ""
    ) -> pb.DeviceAuthorization:
        request = pb.StartDeviceAuthorizationRequest(
            client_id=client_id, device_serial=device_serial, device_secret=device_secret
        )
        return await self.stub.StartDeviceAuthorization(request, **self.options)

    async def confirm_device_authorization(
        self, user_code: str, phone: str, password: str, approve: bool
    ) -> pb.ConfirmDeviceAuthorizationResponse:
        request = pb.ConfirmDeviceAuthorizationRequest(
            user_code=user_code, phone=phone, password=password, approve=approve
        )
        return await self.stub.ConfirmDeviceAuthorization(request, **self.options)

    async def approve_device_authorization(
        self, user_code: str, approve: bool
    ) -> pb.ConfirmDeviceAuthorizationResponse:
        request = pb.ApproveDeviceAuthorizationRequest(user_code=user_code, approve=approve)
        return await self.stub.ApproveDeviceAuthorization(request, **self.options)

    async def poll_device_token(self, client_id: str, device_code: str) -> pb.Token:
        request = pb.PollDeviceTokenRequest(client_id=client_id, device_code=device_code)
        return await self.stub.PollDeviceToken(request, **self.options)

    async def client_credentials_token(self, client_id: str, client_secret: str) -> pb.Token:
        request = pb.ClientCredentialsTokenRequest(client_id=client_id, client_secret=client_secret)
        return await self.stub.ClientCredentialsToken(request, **self.options)

    async def staff_token(self, username: str, password: str) -> pb.Token:
        return await self.stub.StaffToken(pb.StaffTokenRequest(username=username, password=password), **self.options)

    async def jwks(self) -> pb.Jwks:
        return await self.stub.GetJwks(pb.GetJwksRequest(), **self.options)

    async def refresh_device_token(self, client_id: str, refresh_token: str) -> pb.Token:
        request = pb.RefreshDeviceTokenRequest(client_id=client_id, refresh_token=refresh_token)
        return await self.stub.RefreshDeviceToken(request, **self.options)

    async def member_password_token(self, client_id: str, phone: str, password: str) -> pb.Token:
        request = pb.MemberPasswordTokenRequest(client_id=client_id, phone=phone, password=password)
        return await self.stub.MemberPasswordToken(request, **self.options)

    async def refresh_member_token(self, client_id: str, refresh_token: str) -> pb.Token:
        request = pb.RefreshMemberTokenRequest(client_id=client_id, refresh_token=refresh_token)
        return await self.stub.RefreshMemberToken(request, **self.options)

    async def my_devices(self) -> pb.ListMyDevicesResponse:
        return await self.stub.ListMyDevices(pb.ListMyDevicesRequest(), **self.options)

    async def revocations(self) -> dict[str, float]:
        """subject -> revoked at (epoch seconds): what the gateway refuses (runtime.auth.Revocations)."""
        r = await self.stub.ListRevocations(pb.ListRevocationsRequest(), **self.options)
        return {x.subject: x.revoked_at.seconds + x.revoked_at.nanos / 1e9 for x in r.revocations}

    async def revoke_device(self, device_id: str, reason: str = "") -> pb.RevokeDeviceResponse:
        return await self.stub.RevokeDevice(pb.RevokeDeviceRequest(device_id=device_id, reason=reason), **self.options)

    async def revoke_staff_member(self, username: str, reason: str) -> pb.RevokeStaffMemberResponse:
        request = pb.RevokeStaffMemberRequest(username=username, reason=reason)
        return await self.stub.RevokeStaffMember(request, **self.options)

    async def household_devices(self, household_id: str) -> pb.ListMyDevicesResponse:
        request = pb.ListHouseholdDevicesRequest(household_id=household_id)
        return await self.stub.ListHouseholdDevices(request, **self.options)


# --- the OAuth endpoints ---

OAUTH_ERROR = {
    "type": "object",
    "description": "An OAuth 2.0 error (RFC 6749 §5.2, RFC 8628 §3.5)",
    "required": ["error", "error_description"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "string",
            "enum": [
                "invalid_request",
                "invalid_client",
                "invalid_grant",
                "unsupported_grant_type",
                "authorization_pending",
                "slow_down",
                "access_denied",
                "expired_token",
            ],
        },
        "error_description": {"type": "string"},
    },
}
NO_STORE = {"Cache-Control": {"description": "no-store", "schema": {"type": "string", "const": "no-store"}}}


def oauth_errors(*statuses: int) -> dict[int | str, dict]:
    """OAuth errors as JSON; a body the gateway could not read is a problem."""
    return {
        status: {
            "description": "An OAuth error (a body the gateway could not read: a problem)",
            "headers": NO_STORE,
            "content": {"application/json": {"schema": OAUTH_ERROR}, PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
        for status in statuses
    }


def locked_out() -> dict[int | str, dict]:
    """A locked account's 429 (an OAuth error with Retry-After; the gateway's own rate limit: a problem)."""
    headers = {**NO_STORE, **RETRY_AFTER}
    return {
        429: {
            "description": "Too many failed sign-ins: the account is locked for Retry-After seconds "
            "(the gateway's own rate limit: a problem)",
            "headers": headers,
            "content": {"application/json": {"schema": OAUTH_ERROR}, PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
    }


def _oauth_error(status: int, error: str, description: str, headers: dict | None = None) -> JSONResponse:
    # RFC 6749 §5.2: token errors are {"error", "error_description"}, never cached.
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def _locked_out(exc: grpc.aio.AioRpcError) -> JSONResponse:
    """A locked account: 429 with the lock's own Retry-After (identity's retry_after_seconds)."""
    try:
        seconds = max(1, int(field_errors_of(exc).get("retry_after_seconds", "1")))
    except ValueError:
        seconds = 1
    return _oauth_error(429, "slow_down", exc.details() or "too many failed sign-ins", {"Retry-After": str(seconds)})


def _oauth_error_of(exc: grpc.aio.AioRpcError) -> JSONResponse | None:
    err = field_errors_of(exc).get("oauth_error")
    return _oauth_error(400, err, exc.details() or err) if err else None


FormField = Annotated[str, Form(min_length=1, max_length=MAX_FORM_FIELD, pattern=LINE)]
OptionalFormField = Annotated[str, Form(max_length=MAX_FORM_FIELD)]

DEVICE_AUTHORIZATION = obj(
    device_code={"type": "string"},
    user_code={"type": "string", "pattern": f"^{USER_CODE_LETTER}{{4}}-{USER_CODE_LETTER}{{4}}$"},
    verification_uri={"type": "string", "format": "uri"},
    verification_uri_complete={"type": "string", "format": "uri"},
    expires_in={"type": "integer", "minimum": 1},
    interval={"type": "integer", "minimum": 1},
)
TOKEN = obj(
    access_token={"type": "string"},
    token_type={"type": "string", "enum": ["Bearer"]},
    expires_in={"type": "integer", "minimum": 1},
)
TOKEN["properties"] |= {
    "refresh_token": {"type": "string", "description": "A box's or a phone's: trade it for the next token (once)"},
    "device_secret": {
        "type": "string",
        "description": "A box's secret, at its first sign-in only: keep it, send it as device_secret "
        "when signing in again",
    },
}


@router.post(
    "/v1/identity/device_authorization",
    summary="A set-top box asks for a sign-in code to show (RFC 8628 §3.1)",
    responses={200: body(DEVICE_AUTHORIZATION) | {"headers": NO_STORE}, **oauth_errors(400)},
)
async def device_authorization(
    request: Request,
    # Identity answers another client id with the OAuth error invalid_client.
    client_id: Annotated[
        str, Form(max_length=MAX_FORM_FIELD, description="The TV app's", json_schema_extra={"enum": [SET_TOP_BOX]})
    ],
    device_serial: Annotated[
        str, Form(pattern="^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", description="The box's serial number (chip id)")
    ],
    device_secret: Annotated[
        str,
        Form(
            max_length=MAX_FORM_FIELD,
            pattern="^[A-Za-z0-9_-]*$",
            description="The secret the box got at its first sign-in: it keeps its device id "
            "(without it, a new device)",
        ),
    ] = "",
):
    await request.app.state.security.open(request)
    try:
        r = await Identity.of(request).start_device_authorization(client_id, device_serial, device_secret)
    except grpc.aio.AioRpcError as exc:
        if answer := _oauth_error_of(exc):
            return answer
        raise
    return JSONResponse(
        {
            "device_code": r.device_code,
            "user_code": r.user_code,
            "verification_uri": r.verification_uri,
            "verification_uri_complete": r.verification_uri_complete,
            "expires_in": r.expires_in,
            "interval": r.interval,
        },
        headers={"Cache-Control": "no-store"},
    )


GRANT_TYPES = [DEVICE_CODE_GRANT, "refresh_token", "client_credentials", "password"]


@router.post(
    "/v1/identity/token",
    summary="Exchange a grant for an access token: a TV's device code or refresh token, a department's client "
    "credentials, a staff member's password, or a household member's phone and password on the phone app",
    description="A refresh token works once: the answer has the next one. An old one used again is "
    "invalid_grant and revokes its family (the box signs in again on the phone). The phone app: "
    "grant_type=password with client_id=sbc-phone, username = the member's phone number; a wrong "
    "phone or password is 401 invalid_grant; after repeated failures the account is locked: 429 "
    "with the lock's Retry-After (seconds). Its refresh_token grant also takes client_id=sbc-phone.",
    responses={200: body(TOKEN) | {"headers": NO_STORE}, **oauth_errors(400, 401), **locked_out()},
)
async def token(
    request: Request,
    # Another grant type is the OAuth error unsupported_grant_type (RFC 6749 §5.2).
    grant_type: Annotated[str, Form(max_length=MAX_FORM_FIELD, json_schema_extra={"enum": GRANT_TYPES})] = "",
    client_id: OptionalFormField = "",
    client_secret: OptionalFormField = "",
    device_code: OptionalFormField = "",
    refresh_token: OptionalFormField = "",
    username: OptionalFormField = "",
    password: OptionalFormField = "",
):
    await request.app.state.security.open(request)
    identity = Identity.of(request)
    if not grant_type:
        return _oauth_error(400, "invalid_request", "grant_type is required")
    try:
        if grant_type == DEVICE_CODE_GRANT:
            if not device_code or not client_id:
                return _oauth_error(400, "invalid_request", "device_code and client_id are required")
            t = await identity.poll_device_token(client_id, device_code)
        elif grant_type == "refresh_token":
            if not refresh_token or not client_id:
                return _oauth_error(400, "invalid_request", "refresh_token and client_id are required")
            if client_id == PHONE:
                t = await identity.refresh_member_token(client_id, refresh_token)
            else:
                t = await identity.refresh_device_token(client_id, refresh_token)
        elif grant_type == "client_credentials":
            if not client_id or not client_secret:
                return _oauth_error(400, "invalid_request", "client_id and client_secret are required")
            t = await identity.client_credentials_token(client_id, client_secret)
        elif grant_type == "password":
            if not username or not password:
                return _oauth_error(400, "invalid_request", "username and password are required")
            if client_id == PHONE:
                # A household member on the phone app; username is the phone number.
                t = await identity.member_password_token(client_id, username, password)
            else:
                # Staff sign-in from the platform's own staff app.
                t = await identity.staff_token(username, password)
        else:
            return _oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type[:60]!r} is not supported")
    except grpc.aio.AioRpcError as exc:
        if answer := _oauth_error_of(exc):
            return answer
        if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
            return _oauth_error(
                401, "invalid_client" if grant_type == "client_credentials" else "invalid_grant", exc.details()
            )
        if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
            return _oauth_error(400, "invalid_request", exc.details())
        if exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
            return _locked_out(exc)
        raise
    answer = {"access_token": t.access_token, "token_type": t.token_type, "expires_in": t.expires_in}
    answer |= {k: v for k, v in (("refresh_token", t.refresh_token), ("device_secret", t.device_secret)) if v}
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})


JWKS = {
    "type": "object",
    "description": "A JSON Web Key Set (RFC 7517)",
    "required": ["keys"],
    "properties": {"keys": {"type": "array", "items": {"type": "object", "required": ["kty", "kid"]}}},
}


@router.get("/v1/identity/jwks.json", summary="The public keys that verify tokens", responses={200: body(JWKS)})
async def jwks(request: Request):
    await request.app.state.security.open(request)
    r = await Identity.of(request).jwks()
    return Response(r.json, media_type="application/json")


# --- the phone app confirms a TV's code ---


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"required": ["user_code"]})
    user_code: str = Field(
        default="",
        max_length=MAX_FORM_FIELD,
        pattern=LINE,
        description="The code the TV shows (from its QR code's user_code, or typed), e.g. WDJB-MJHT",
    )
    approve: bool = Field(default=True, description="false declines the TV's sign-in")


@router.post(
    "/v1/identity/device_authorization/approve",
    dependencies=[Depends(json_body)],
    summary="A member signed in on the phone app confirms (or declines) a TV's sign-in code",
    description="The phone scanned the TV's QR code (verification_uri_complete) or the member typed the code: "
    "the member's token stands for the password. 404: no TV is waiting with this code; 400: a malformed, "
    "expired or used code, or no code; 409: the household has as many boxes as it may; 403: not a phone member; "
    "429 with Retry-After while the code or the member is locked after failures.",
    responses={200: body(obj(household_id={"type": "string"}, device_serial={"type": "string"})), **problems(404, 409)},
)
async def approve_device_authorization(request: Request, auth: SignedIn, approval: Approval):
    r = await Identity.of(request, auth[1]).approve_device_authorization(approval.user_code, approval.approve)
    return {"household_id": r.household_id, "device_serial": r.device_serial}


# --- a household's boxes ---

DEVICES = obj(devices=array(pb.Device))


@router.get(
    "/v1/identity/devices",
    summary="The boxes of the caller's household still signed in",
    responses={200: body(DEVICES)},
)
async def my_devices(request: Request, auth: SignedIn):
    r = await Identity.of(request, auth[1]).my_devices()
    return {"devices": [to_json(d) for d in r.devices]}


class Revocation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(
        default="",
        max_length=200,
        pattern=LINE,
        description="Why: required of the operator's staff (kept in the DeviceRevoked event), optional for a household",
    )


@router.post(
    "/v1/identity/devices/{device_id}/revoke",
    status_code=204,
    summary="Remove a box (stolen, sold): its tokens stop working within seconds",
    description="A household removes one of its own boxes (a TV's 我的设备 screen); the operator's staff with "
    "the role device_manager remove a box of a household in their area, with a reason. The box can sign in "
    "again only as a new device. 404: no such box (of the caller's household); 409: removed already; 400: a "
    "staff caller gave no reason.",
    responses={204: {"description": "Removed"}, **problems(404, 409)},
)
async def revoke_device(
    request: Request,
    auth: SignedIn,
    device_id: Annotated[str, Path(max_length=36, pattern="^[0-9a-f-]{1,36}$")],
    body: Annotated[Revocation | None, Body()] = None,
):
    await Identity.of(request, auth[1]).revoke_device(device_id, body.reason if body else "")
    return Response(status_code=204)


class StaffRevocation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(
        min_length=1,
        max_length=200,
        pattern=LINE,
        description="Why (the member left, say): kept in the StaffAccountRevoked event",
    )


@router.post(
    "/v1/identity/staff/{username}/revoke",
    status_code=204,
    summary="Revoke the account of a staff member who left: no sign-in, their tokens stop working within seconds",
    description="Staff with the role staff_admin, for a member of their own area or below (403 otherwise), with "
    "a reason. 404: no such user name; 409: revoked already, or the caller's own account.",
    responses={204: {"description": "Revoked"}, **problems(404, 409)},
)
async def revoke_staff_member(
    request: Request,
    auth: SignedIn,
    username: Annotated[str, Path(max_length=64, pattern="^[A-Za-z0-9_.@-]{1,64}$")],
    body: StaffRevocation,
):
    await Identity.of(request, auth[1]).revoke_staff_member(username, body.reason)
    return Response(status_code=204)


@router.get(
    "/v1/identity/households/{household_id}/devices",
    summary="The boxes of one household still signed in, for the operator's staff who manage boxes",
    description="Staff with the role device_manager, for a household in their area (403 otherwise); 404: no "
    "such household.",
    responses={200: body(DEVICES), **problems(404)},
)
async def household_devices(
    request: Request,
    auth: SignedIn,
    household_id: Annotated[str, Path(max_length=36, pattern="^[A-Za-z0-9_.:-]{1,36}$")],
):
    r = await Identity.of(request, auth[1]).household_devices(household_id)
    return {"devices": [to_json(d) for d in r.devices]}


# --- the phone page ---

HTML = {"text/html": {"schema": {"type": "string"}}}


def page_answers(*statuses: int) -> dict[int | str, dict]:
    """The page's own answers, in HTML (a form the gateway could not read: a problem)."""
    return {
        s: {
            "description": "The page, saying what went wrong",
            "content": {**HTML, PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
        for s in statuses
    }


def _page(user_code: str = "", message: str = "", error: bool = False, status: int = 200) -> HTMLResponse:
    box = f'<p class="msg{" err" if error else ""}" role="status">{html.escape(message)}</p>' if message else ""
    return HTMLResponse(PAGE.substitute(user_code=html.escape(user_code), message=box), status_code=status)


@router.get(
    "/identity/device",
    response_class=HTMLResponse,
    summary="The phone page where a citizen confirms a TV's sign-in code",
    responses={200: {"content": HTML}},
)
async def device_page(user_code: Annotated[str, Query(max_length=MAX_FORM_FIELD)] = ""):
    return _page(user_code)


# What a person types is accepted (lower case, with or without the dash); identity checks the letters.
USER_CODE = f"^{USER_CODE_LETTER}{{4}}-?{USER_CODE_LETTER}{{4}}$"


@router.post(
    "/identity/device",
    response_class=HTMLResponse,
    summary="Confirm or deny a TV's sign-in (the phone page's form)",
    responses={200: {"content": HTML}, **page_answers(400, 401, 404)},
)
async def device_confirm(
    request: Request,
    user_code: Annotated[str, Form(max_length=MAX_FORM_FIELD, json_schema_extra={"pattern": USER_CODE})],
    phone: FormField,
    password: FormField,
    decision: Annotated[str, Form(max_length=MAX_FORM_FIELD, json_schema_extra={"enum": ["approve", "deny"]})] = (
        "approve"
    ),
):
    await request.app.state.security.open(request)
    # The page answers a bad code or decision itself, in HTML (identity checks the code's letters).
    if decision not in ("approve", "deny"):
        return _page(user_code, "无效的操作 Invalid decision", error=True, status=400)
    try:
        await Identity.of(request).confirm_device_authorization(user_code, phone, password, decision == "approve")
    except grpc.aio.AioRpcError as exc:
        status = {
            grpc.StatusCode.UNAUTHENTICATED: 401,
            grpc.StatusCode.NOT_FOUND: 404,
            grpc.StatusCode.INVALID_ARGUMENT: 400,
            grpc.StatusCode.FAILED_PRECONDITION: 400,
        }.get(exc.code())
        if status is None:
            raise
        return _page(user_code, f"未能确认：{exc.details()}", error=True, status=status)
    if decision == "approve":
        return _page(message="已确认，电视将自动登录。Done: your TV is signing in.")
    return _page(message="已拒绝该登录。The sign-in was denied.")
