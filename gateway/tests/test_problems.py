"""A service's RESOURCE_EXHAUSTED reaches the client as 429 with the service's own wait in
Retry-After (runtime.errors.ResourceExhausted's retry_after_seconds), or 1 s when it names none;
the wait is a header, not one of the problem's field errors."""

from __future__ import annotations

import grpc
import httpx
import pytest
from fastapi import FastAPI

from gateway import problems
from runtime.errors import ResourceExhausted
from runtime.grpc_server import status_for


def refusing_app(error: ResourceExhausted) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    status = status_for(error)

    @app.get("/busy")
    async def busy():
        raise grpc.aio.AioRpcError(
            status.code, grpc.aio.Metadata(), grpc.aio.Metadata(*status.trailing_metadata), status.details
        )

    return app


@pytest.mark.parametrize(("wait", "header"), [(90, "90"), (0, "1")])
async def test_a_services_wait_is_the_retry_after(wait, header):
    app = refusing_app(ResourceExhausted("too many at once", retry_after_seconds=wait))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        r = await c.get("/busy")
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["Retry-After"] == header
    assert r.json()["detail"] == "too many at once"
    assert "retry_after_seconds" not in r.json().get("errors", {})
