"""The service desk's e2e helpers, shared by the service-desk modules: a gateway client, a
token per actor (the suite's seed has every service point's staff), and small helpers for
problems, windows and filing."""

from __future__ import annotations

import datetime as dt
import pathlib
import uuid

import httpx
import pytest

from e2e.platform import sign_in_tv
from e2e.seed import Seed

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module")
def desk_platform(platform):
    """The suite's platform (its seed has every service point's staff)."""
    return platform


@pytest.fixture(scope="module")
def gw(desk_platform):
    with httpx.Client(base_url=desk_platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(desk_platform, gw) -> dict[str, str]:
    """A token per actor: the desk's households 1 (Wangjiangjing) and 2 (Honghe), and staff."""
    homes = desk_platform.households_of("desk")
    out = {f"home{i}": sign_in_tv(gw, homes[i - 1], f"STB-{uuid.uuid4().hex[:8]}") for i in (1, 2)}
    for username in (
        "manager.wjj",
        "manager.hh",
        "tech.wjj",
        "tech2.wjj",
        "tech.hh",
        "agent.wjj",
        "agent.hh",
        "manager.district",
    ):
        r = gw.post(
            "/v1/identity/token",
            data={"grant_type": "password", "username": username, "password": Seed.password(username)},
        )
        assert r.status_code == 200, r.text
        out[username] = r.json()["access_token"]
    return out


def h(token: str, key: bool = False) -> dict:
    out = {"Authorization": f"Bearer {token}"}
    if key:
        out["Idempotency-Key"] = uuid.uuid4().hex
    return out


def problem(r: httpx.Response, status: int, field: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].split(";")[0] == PROBLEM_JSON
    body = r.json()
    assert body["detail"] and body["request_id"]
    if field:
        assert field in body.get("errors", {}), body
    return body


def window(hours_ahead: float = 2, length: float = 2) -> dict:
    start = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours_ahead)
    return {"window_start": start.isoformat(), "window_end": (start + dt.timedelta(hours=length)).isoformat()}


def file(gw, token, **body) -> httpx.Response:
    return gw.post(
        "/v1/servicedesk/requests", json={"service_type": "fault_repair_general", **body}, headers=h(token, key=True)
    )


def staff_post(gw, token, request_id, action, **body) -> httpx.Response:
    return gw.post(f"/v1/servicedesk/staff/requests/{request_id}/{action}", json=body, headers=h(token))
