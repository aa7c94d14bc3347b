"""Shared pieces of the gateway's REST/JSON routes."""

from __future__ import annotations

from fastapi import Request
from google.protobuf.json_format import MessageToDict

from gateway.problems import Problem


def to_json(message) -> dict:
    return MessageToDict(message, preserving_proto_field_name=True)


async def json_body(request: Request) -> None:
    """POST bodies must be JSON: anything else is 415, before it is parsed."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise Problem(415, "send the body as application/json")


async def signed_in(request: Request):
    """Dependency: the verified caller and its token (rate-limited)."""
    return await request.app.state.security.require(request)
