"""The service desk's e2e platform and helpers, shared by the service-desk modules:
the platform with the service points' staff in its seed, a gateway client, a token
per actor, and small helpers for problems, windows and filing."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import uuid

import httpx
import pytest

from e2e.platform import Platform, sign_in_tv

ROOT = pathlib.Path(__file__).resolve().parents[1]
POINTS = json.loads((ROOT / "services/servicedesk/data/service_points.json").read_text(encoding="utf-8"))
PROBLEM_JSON = "application/problem+json"


class DeskPlatform(Platform):
    """The platform with the service points' staff in its seed (the shared one has households only)."""

    def _write_seed(self) -> list[dict]:
        households = super()._write_seed()
        seed = json.loads((self.dir / "seed.json").read_text())
        staff = []
        for p in POINTS["service_points"]:
            tc = p["township_code"]
            staff += [{"username": u, "roles": ["service_point_manager"], "area_code": tc} for u in p["managers"]]
            staff += [{"username": u, "roles": ["technician"], "area_code": tc} for u in p["technicians"]]
            staff += [
                {"username": u, "roles": ["village_agent"], "area_code": a["area_code"]}
                for a in p["agency_points"]
                for u in a["agents"]
            ]
        staff += [
            {"username": u, "roles": ["service_point_manager"], "area_code": POINTS["district"]["code"]}
            for u in POINTS["district"]["managers"]
        ]
        seed["staff"] = [{**s, "name": s["username"], "password": f"pw-{s['username']}-{self.run_id}"} for s in staff]
        (self.dir / "seed.json").write_text(json.dumps(seed, ensure_ascii=False))
        return households


# One desk platform for consecutive service-desk modules (the conftest stops it as soon
# as the next test does not use it: two platforms on one Kafka must never run at once).
_running: list[DeskPlatform] = []


def shared_platform() -> DeskPlatform:
    if not _running:
        p = DeskPlatform(None)
        p.start()
        _running.append(p)
    return _running[0]


def stop_shared_platform() -> None:
    while _running:
        _running.pop().stop()


@pytest.fixture(scope="module")
def desk_platform():
    return shared_platform()


@pytest.fixture(scope="module")
def gw(desk_platform):
    with httpx.Client(base_url=desk_platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(desk_platform, gw) -> dict[str, str]:
    """A token per actor: households 1 (Wangjiangjing) and 2 (Honghe), and staff."""
    out = {f"home{i}": sign_in_tv(gw, desk_platform.households[i - 1], f"STB-{uuid.uuid4().hex[:8]}") for i in (1, 2)}
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
            data={"grant_type": "password", "username": username, "password": f"pw-{username}-{desk_platform.run_id}"},
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
