"""OAuth 2.0 endpoints (RFC 6749 / RFC 8628) and the page where a citizen
confirms a TV's sign-in code on the phone. The identity service does the work."""

from __future__ import annotations

import html

import grpc
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from gateway.problems import Problem
from runtime.grpc_server import field_errors_of
from sbc.identity.v1 import identity_pb2

router = APIRouter(tags=["sign-in"])

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
MAX_FORM_FIELD = 200


def _backends(request: Request):
    return request.app.state.backends


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    # RFC 6749 §5.2: token errors are {"error", "error_description"}, never cached.
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _check_form(**fields: str | None) -> None:
    too_long = {k: f"at most {MAX_FORM_FIELD} characters" for k, v in fields.items() if v and len(v) > MAX_FORM_FIELD}
    if too_long:
        raise Problem(400, "form fields too long", too_long)


@router.post("/oauth/device_authorization", summary="A set-top box asks for a sign-in code (RFC 8628 §3.1)")
async def device_authorization(request: Request, client_id: str = Form(...), device_serial: str = Form(...)):
    await request.app.state.security.open(request)
    _check_form(client_id=client_id, device_serial=device_serial)
    try:
        r = await _backends(request).identity.StartDeviceAuthorization(
            identity_pb2.StartDeviceAuthorizationRequest(client_id=client_id, device_serial=device_serial)
        )
    except grpc.aio.AioRpcError as exc:
        err = field_errors_of(exc).get("oauth_error")
        if err:
            return _oauth_error(400, err, exc.details())
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


@router.post("/oauth/token", summary="Exchange a grant for an access token")
async def token(
    request: Request,
    grant_type: str | None = Form(None),
    client_id: str | None = Form(None),
    client_secret: str | None = Form(None),
    device_code: str | None = Form(None),
    username: str | None = Form(None),
    password: str | None = Form(None),
):
    await request.app.state.security.open(request)
    _check_form(
        grant_type=grant_type,
        client_id=client_id,
        client_secret=client_secret,
        device_code=device_code,
        username=username,
        password=password,
    )
    identity = _backends(request).identity
    if not grant_type:
        return _oauth_error(400, "invalid_request", "grant_type is required")
    try:
        if grant_type == DEVICE_CODE_GRANT:
            if not device_code or not client_id:
                return _oauth_error(400, "invalid_request", "device_code and client_id are required")
            t = await identity.PollDeviceToken(
                identity_pb2.PollDeviceTokenRequest(client_id=client_id, device_code=device_code)
            )
        elif grant_type == "client_credentials":
            if not client_id or not client_secret:
                return _oauth_error(400, "invalid_request", "client_id and client_secret are required")
            t = await identity.ClientCredentialsToken(
                identity_pb2.ClientCredentialsTokenRequest(client_id=client_id, client_secret=client_secret)
            )
        elif grant_type == "password":
            # Staff sign-in from the platform's own staff app.
            if not username or not password:
                return _oauth_error(400, "invalid_request", "username and password are required")
            t = await identity.StaffToken(identity_pb2.StaffTokenRequest(username=username, password=password))
        else:
            return _oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
    except grpc.aio.AioRpcError as exc:
        err = field_errors_of(exc).get("oauth_error")
        if err:
            return _oauth_error(400, err, exc.details())
        if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
            return _oauth_error(
                401, "invalid_client" if grant_type == "client_credentials" else "invalid_grant", exc.details()
            )
        if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
            return _oauth_error(400, "invalid_request", exc.details())
        raise
    return JSONResponse(
        {"access_token": t.access_token, "token_type": t.token_type, "expires_in": t.expires_in},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/.well-known/jwks.json", summary="The public keys that verify tokens")
async def jwks(request: Request):
    r = await _backends(request).identity.GetJwks(identity_pb2.GetJwksRequest())
    return Response(r.json, media_type="application/json")


PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>电视登录确认 Confirm TV sign-in</title>
<style>
 body {{ font-family: system-ui, sans-serif; font-size: 20px; margin: 1.2em; max-width: 32em; }}
 label {{ display: block; margin-top: 1em; }}
 input {{ font-size: 22px; width: 100%; padding: .4em; box-sizing: border-box; }}
 button {{ font-size: 22px; padding: .5em 1.2em; margin: 1em .5em 0 0; }}
 .msg {{ padding: .8em; border-radius: .3em; background: #eef; }}
 .err {{ background: #fee; }}
</style></head><body>
<h1>电视登录确认</h1>
<p>请输入电视上显示的登录码。Enter the code shown on your TV.</p>
{message}
<form method="post" action="/device">
 <label>登录码 Code <input name="user_code" value="{user_code}" autocomplete="off" required></label>
 <label>手机号 Phone <input name="phone" inputmode="tel" required></label>
 <label>密码 Password <input name="password" type="password" required></label>
 <button name="decision" value="approve" type="submit">确认登录 Sign in the TV</button>
 <button name="decision" value="deny" type="submit">拒绝 Deny</button>
</form></body></html>"""


def _page(user_code: str = "", message: str = "", error: bool = False, status: int = 200) -> HTMLResponse:
    box = f'<p class="msg{" err" if error else ""}" role="status">{html.escape(message)}</p>' if message else ""
    return HTMLResponse(PAGE.format(user_code=html.escape(user_code), message=box), status_code=status)


@router.get("/device", response_class=HTMLResponse, summary="The phone page where a citizen confirms a TV code")
async def device_page(user_code: str = ""):
    return _page(user_code[:MAX_FORM_FIELD])


@router.post("/device", response_class=HTMLResponse, summary="Confirm or deny a TV sign-in")
async def device_confirm(
    request: Request,
    user_code: str = Form(...),
    phone: str = Form(...),
    password: str = Form(...),
    decision: str = Form("approve"),
):
    await request.app.state.security.open(request)
    _check_form(user_code=user_code, phone=phone, password=password, decision=decision)
    if decision not in ("approve", "deny"):
        return _page(user_code, "无效的操作 Invalid decision", error=True, status=400)
    try:
        await _backends(request).identity.ConfirmDeviceAuthorization(
            identity_pb2.ConfirmDeviceAuthorizationRequest(
                user_code=user_code, phone=phone, password=password, approve=decision == "approve"
            )
        )
    except grpc.aio.AioRpcError as exc:
        status = {grpc.StatusCode.UNAUTHENTICATED: 401, grpc.StatusCode.NOT_FOUND: 404}.get(exc.code(), 400)
        return _page(user_code, f"未能确认：{exc.details()}", error=True, status=status)
    if decision == "approve":
        return _page(message="已确认，电视将自动登录。Done: your TV is signing in.")
    return _page(message="已拒绝该登录。The sign-in was denied.")
