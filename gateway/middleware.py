"""ASGI middleware: a request id on every response (also on an unexpected
500, answered here as problem+json), and a body size limit (checked on
Content-Length and, for chunked bodies, while reading)."""

from __future__ import annotations

import json
import logging
import re
import uuid

from starlette.requests import ClientDisconnect

from gateway.problems import PROBLEM_JSON, TITLES

log = logging.getLogger(__name__)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        started = False

        async def send_with_id(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            return
        except Exception:
            log.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if not started:
                await send_problem(send_with_id, scope, 500, "internal error; it was logged, please try again later")


async def send_problem(send, scope, status: int, detail: str) -> None:
    body = json.dumps(
        {
            "type": f"https://errors.sbc.example/{status}",
            "title": TITLES.get(status, "Error"),
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            "request_id": scope.get("state", {}).get("request_id", ""),
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """413 past `max_bytes`, or past the limit of the first path of `per_path` (a regular
    expression the whole path matches: routes that take more) that matches."""

    def __init__(self, app, max_bytes: int, per_path: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = [(re.compile(path), limit) for path, limit in (per_path or {}).items()]

    def limit_of(self, path: str) -> int:
        return next((limit for pattern, limit in self.per_path if pattern.fullmatch(path)), self.max_bytes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_of(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await self._reject(scope, send, limit)
        seen = 0
        started = False
        rejected = False

        async def limited_receive():
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Answer 413 now; the app sees the client go away and its reply is dropped.
                    rejected = True
                    if not started:
                        await self._reject(scope, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message):
            nonlocal started
            if rejected:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)

    async def _reject(self, scope, send, limit: int):
        await send_problem(send, scope, 413, f"the body is larger than {limit} bytes")
