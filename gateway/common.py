"""Shared pieces of the route modules: who is calling, JSON bodies, text patterns, and the typed
client base."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from typing import Annotated, Any, ClassVar, Self

import qrcode
import qrcode.image.svg
from fastapi import Depends, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2
from google.protobuf.json_format import MessageToDict
from pydantic import AfterValidator, AwareDatetime, Field

from gateway.problems import Problem
from rules.ratings import LEVELS
from runtime.auth import Caller

TOKEN_URL = "/v1/identity/token"

# How a caller signs in, for the document (and the "Authorize" button of /docs): a token from
# the token endpoint. Verifying it is `signed_in`'s.
_bearer = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL),
    ),
    scheme_name="token",
    description=(
        "A bearer token from POST /v1/identity/token: a set-top box's (the device authorization grant, "
        "RFC 8628), a staff member's (password) or a department's (client credentials)."
    ),
    auto_error=False,
)


# Text the services take (runtime.errors.text_errors): one line without control characters, or free
# text, which may also hold line breaks and tabs.
LINE = "^[^\\x00-\\x1f\\x7f]*$"
TEXT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
# An id the services give (a UUID), and the same or nothing.
ID = "^[A-Za-z0-9-]+$"
ID_OR_EMPTY = "^[A-Za-z0-9-]*$"


def _utc_in_protobuf_range(at: dt.datetime) -> dt.datetime:
    # A protobuf Timestamp holds years 1 to 9999 in UTC; an offset may push the edge years past it.
    if not 1 < at.year < 9999:
        raise ValueError("a time between the years 2 and 9998")
    return at.astimezone(dt.UTC)


# The same years, in the schema, so that a client (or Schemathesis) knows them before it sends.
YEARS_2_TO_9998 = "^(000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-"

# An instant with its offset, in UTC once read.
Instant = Annotated[
    AwareDatetime, AfterValidator(_utc_in_protobuf_range), Field(json_schema_extra={"pattern": YEARS_2_TO_9998})
]


def to_json(message) -> dict:
    return MessageToDict(message, preserving_proto_field_name=True)


async def json_body(request: Request) -> None:
    """POST bodies must be JSON: anything else is 415, before it is parsed."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise Problem(415, "send the body as application/json")


async def signed_in(request: Request, _: Annotated[str | None, Depends(_bearer)]) -> tuple[Caller, str]:
    """Dependency: the verified caller and its token (rate-limited)."""
    return await request.app.state.security.require(request)


SignedIn = Annotated[tuple[Caller, str], Depends(signed_in)]


async def signed_in_stream(request: Request, _: Annotated[str | None, Depends(_bearer)]) -> tuple[Caller, str]:
    """The same for a stream: a browser's EventSource sends no headers, so ?access_token= too."""
    return await request.app.state.security.require(request, allow_query_token=True)


async def idempotency_key(request: Request) -> str:
    """The Idempotency-Key header a create needs (the service checks its length and characters)."""
    key = request.headers.get("idempotency-key", "")
    if not key:
        raise Problem(
            400,
            "send an Idempotency-Key header, so that a retried request never creates a second one",
            {"Idempotency-Key": "is required"},
        )
    return key


IdempotencyKey = Annotated[str, Depends(idempotency_key)]
# The header in the document (`openapi_extra={"parameters": [IDEMPOTENCY_KEY]}`).
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "Chosen by the client (e.g. a UUID made when the citizen pressed OK): the same key again "
    "returns what the first call created",
    "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^\\x00-\\x1f\\x7f]+$"},
}


class ServiceClient:
    """A route module's typed client of its service: one method per call it makes, each with the
    caller's token (as call metadata) and the gateway's backend timeout. A subclass names the
    service (its registry name) and its stub class."""

    service: ClassVar[str]
    stub_class: ClassVar[type]

    def __init__(self, backends, timeout: float, token: str = ""):
        self.stub: Any = backends.stub(self.service, self.stub_class)
        metadata = [("authorization", f"Bearer {token}")] if token else []
        self.options: dict[str, Any] = {"metadata": metadata, "timeout": timeout}

    @classmethod
    def of(cls, request: Request, token: str = "") -> Self:
        """The client for one HTTP request, calling as its caller (anonymously without a token)."""
        return cls(request.app.state.backends, request.app.state.settings.backend_timeout, token)


# 好差评's five levels, as every rating route's body names them (rules.ratings keeps them).
RATING_LEVELS = list(LEVELS)


def qr_svg(text: str) -> bytes:
    """A QR code of `text`, as SVG (the TV's sign-in address, a ticket's code). 400 for a text the
    library cannot encode: it fails on some long runs of digits, even in one byte-mode segment."""
    code = qrcode.QRCode(border=2, image_factory=qrcode.image.svg.SvgPathImage)
    try:
        # One byte-mode segment: the library's mixed-mode optimisation fails on long runs of digits.
        code.add_data(text, optimize=0)
        code.make(fit=True)
        out = io.BytesIO()
        code.make_image().save(out)
    except (ValueError, qrcode.exceptions.DataOverflowError):
        raise Problem(400, "this text cannot be drawn as a QR code") from None
    return out.getvalue()


# --- short-lived answers kept in Redis (the home, the museum's public figures) ---

CACHE_SECONDS = 0.25  # Redis slower than this: the caller computes the answer itself
log = logging.getLogger("gateway.cache")


async def cache_read(request: Request, key: str) -> bytes | None:
    """A kept answer as it was stored, or None when there is none or Redis is away or slow."""
    try:
        async with asyncio.timeout(CACHE_SECONDS):  # (not wait_for: no task of its own per call)
            return await request.app.state.redis.get(key)
    except Exception as exc:
        log.warning("cache unavailable", extra={"key": key.rsplit(":", 1)[0], "error": type(exc).__name__})
        return None


async def cache_keep(request: Request, key: str, raw: bytes | str, seconds: int) -> None:
    """Keep an answer for `seconds`; with Redis away it is simply not kept."""
    try:
        async with asyncio.timeout(CACHE_SECONDS):
            await request.app.state.redis.set(key, raw, ex=seconds)
    except Exception as exc:
        log.warning("cache unavailable", extra={"key": key.rsplit(":", 1)[0], "error": type(exc).__name__})
