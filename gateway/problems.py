"""Errors as RFC 9457 problem details (application/problem+json), and the
mapping from gRPC status codes to HTTP statuses."""

from __future__ import annotations

import re

import grpc
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from runtime.grpc_server import field_errors_of

PROBLEM_JSON = "application/problem+json"

GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

_BY_NUMBER = {c.value[0]: c for c in grpc.StatusCode}


def problem_for_code(code: int, message: str) -> Problem:
    """The problem for a gRPC status carried as a number inside a batched call's result."""
    status = _BY_NUMBER.get(code, grpc.StatusCode.UNKNOWN)
    return Problem(GRPC_TO_HTTP.get(status, 500), message or status.name)


TITLES = {
    400: "Bad request",
    401: "Sign-in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    500: "Internal error",
    501: "Not implemented",
    503: "Service unavailable",
    504: "Backend timeout",
}


class Problem(Exception):
    def __init__(self, status: int, detail: str, errors: dict[str, str] | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}
        self.headers = headers or {}


def problem_response(request: Request, status: int, detail: str, errors=None, headers=None) -> JSONResponse:
    body = {
        "type": f"https://errors.sbc.example/{status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", ""),
    }
    if errors:
        body["errors"] = errors
    if status == 429 and not headers:
        headers = {"Retry-After": "1"}  # a service's RESOURCE_EXHAUSTED: the document promises Retry-After
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install(app) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(request, exc.status, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(grpc.aio.AioRpcError)
    async def _grpc(request: Request, exc: grpc.aio.AioRpcError):
        status = GRPC_TO_HTTP.get(exc.code(), 500)
        detail = exc.details() if status < 500 else f"backend error ({exc.code().name})"
        errors = field_errors_of(exc)
        headers = None
        # A service's ResourceExhausted says how long to wait (runtime.errors): the client is told
        # that, not a second, so a locked-out sign-in is not retried into a longer lockout.
        wait = errors.pop("retry_after_seconds", "") if status == 429 else ""
        if wait.isdigit() and int(wait) > 0:
            headers = {"Retry-After": wait}
        return problem_response(request, status, detail or exc.code().name, errors, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = {}
        for e in exc.errors():
            loc = ".".join(str(p) for p in e["loc"] if p != "body") or "body"
            errors[loc] = e["msg"]
        malformed = any(e.get("type") == "json_invalid" for e in exc.errors())
        if malformed:
            return problem_response(request, 400, "the body is not valid JSON", errors)
        return problem_response(request, 422, "the request has invalid or missing fields", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
        return problem_response(request, exc.status_code, str(exc.detail), headers=headers)


def allowed_methods(request: Request) -> str:
    """The methods the OpenAPI document lists for the request's path. Where templates overlap
    (/v1/alerts/terminals and /v1/alerts/{alert_id}), the one with the fewest parameters names it."""
    state = request.app.state
    if getattr(state, "path_templates", None) is None:
        templates = []
        for path, item in request.app.openapi().get("paths", {}).items():
            pattern = re.compile(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)))
            templates.append((path.count("{"), pattern, ", ".join(sorted(m.upper() for m in item))))
        state.path_templates = sorted(templates, key=lambda t: t[0])
    return next((methods for _, pattern, methods in state.path_templates if pattern.fullmatch(request.url.path)), "")
