"""Schemathesis (its CLI, every check) against the gateway's /openapi.json, every part of the
platform a separate process, once for each kind of caller with its own token: a household's TV
(signed in with the device grant), staff with each staff role, and a department (client
credentials). It must find no server error and no response the document does not state (status,
media type, headers, body), and nothing else either: the exceptions are in e2e/schemathesis.toml.

The TV, as a new user would, goes through every operation in every phase (examples, coverage,
fuzzing, stateful); each staff role and the department through their own service's operations
(examples, fuzzing, stateful), which keeps the test to a few minutes on two cores. What each run
checked goes to the end of the test run's report."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import uuid

import httpx
import pytest

from e2e.platform import sign_in_tv
from e2e.reports import BENCH_REPORTS
from e2e.seed import Seed

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

CONFIG = pathlib.Path(__file__).resolve().parent / "schemathesis.toml"
EVERY_PHASE = "examples,coverage,fuzzing,stateful"
OWN_OPERATIONS_PHASES = "examples,fuzzing,stateful"
SERVICEDESK = "^/v1/servicedesk/"
ALERTS = "^/v1/alerts"

# (caller, which operations, phases, examples per operation)
CALLERS = [
    ("household TV", "", EVERY_PHASE, 2),
    ("service_point_manager", SERVICEDESK, OWN_OPERATIONS_PHASES, 3),
    ("technician", "^/v1/servicedesk/staff/|^/v1/alerts/terminals$", OWN_OPERATIONS_PHASES, 3),
    ("village_agent", SERVICEDESK, OWN_OPERATIONS_PHASES, 3),
    ("alert_issuer", ALERTS, OWN_OPERATIONS_PHASES, 3),
    ("alert_approver", ALERTS, OWN_OPERATIONS_PHASES, 3),
    ("department", ALERTS, OWN_OPERATIONS_PHASES, 3),
]
# Staff of the Wangjiangjing service point in the desk's seed (services/servicedesk/data/service_points.json).
DESK_STAFF = {"service_point_manager": "manager.wjj", "technician": "tech.wjj", "village_agent": "agent.wjj"}


def token(c: httpx.Client, **form: str) -> str:
    r = c.post("/v1/identity/token", data=form)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


@pytest.fixture(scope="module")
def tokens(platform) -> dict[str, str]:
    p = platform
    with httpx.Client(base_url=p.base_url, timeout=30) as c:
        out = {"household TV": sign_in_tv(c, p.households_of("openapi")[0], f"STB-{uuid.uuid4().hex[:8]}")}
        for role, username in DESK_STAFF.items():
            out[role] = token(c, grant_type="password", username=username, password=Seed.password(username))
        for s in p.seed.alert_staff.values():
            out[s["roles"][0]] = token(c, grant_type="password", username=s["username"], password=s["password"])
        out["department"] = token(c, grant_type="client_credentials", **p.seed.departments["trusted"])
    return out


@pytest.fixture(scope="module")
def resources(platform, tokens) -> dict[str, str]:
    """Real things to act on (e2e/schemathesis.toml names them for the path parameters), so that
    operations on one answer with their bodies, not only 404: a request of the TV's household for
    the TV's run, another for the staff's runs (at the Wangjiangjing point of their seed), and a
    drill drafted by the alert issuer."""
    p = platform
    with httpx.Client(base_url=p.base_url, timeout=30) as c:

        def file() -> str:
            r = c.post(
                "/v1/servicedesk/requests",
                json={"service_type": "fault_repair_general", "description": "没有信号"},
                headers={"Authorization": f"Bearer {tokens['household TV']}", "Idempotency-Key": uuid.uuid4().hex},
            )
            assert r.status_code == 201, r.text
            return r.json()["id"]

        r = c.post(
            "/v1/alerts",
            json={"headline": "应急演练", "level": 4, "area_codes": ["330411101"], "status": "Exercise"},
            headers={"Authorization": f"Bearer {tokens['alert_issuer']}"},
        )
        assert r.status_code == 201, r.text
        return {"household": file(), "staff": file(), "alert": r.json()["id"]}


@pytest.mark.parametrize(("caller", "operations", "phases", "examples"), CALLERS, ids=[c[0] for c in CALLERS])
def test_schemathesis_finds_nothing_the_document_does_not_state(
    request, platform, tokens, resources, caller, operations, phases, examples
):
    p = platform
    ids = {
        "SBC_REQUEST_ID": resources["household" if caller == "household TV" else "staff"],
        "SBC_ALERT_ID": resources["alert"],
    }
    work = p.dir / "schemathesis" / caller.replace(" ", "-")
    work.mkdir(parents=True)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{p.base_url}/openapi.json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {tokens[caller]}",
        "--phases",
        phases,
        "--max-examples",
        str(examples),
        "--report",
        "json",
        "--report-json-path",
        str(work / "report.json"),
        "--no-color",
    ]
    if operations:
        command += ["--include-path-regex", operations]
    # In a directory of its own: Schemathesis keeps its example database and caches in the working directory.
    run = subprocess.run(command, cwd=work, env={**os.environ, **ids}, capture_output=True, text=True, timeout=600)
    (work / "output.txt").write_text(run.stdout + run.stderr)
    report = json.loads((work / "report.json").read_text())
    request.config.stash.setdefault(BENCH_REPORTS, []).append(summary(caller, report))
    assert run.returncode == 0 and not report["failures"] and not report["errors"], (
        f"Schemathesis ({caller}) found problems; all of its output is in {work / 'output.txt'}:\n" + run.stdout[-6000:]
    )
    assert report["operations"]["tested"] == report["operations"]["selected"] > 0, report["operations"]


def summary(caller: str, report: dict) -> str:
    ops, cases = report["operations"], report["test_cases"]
    phases = ", ".join(f"{name} {p['status']}" for name, p in report["phases"].items() if p["status"] != "skip")
    warnings = sorted(name for name, found in report["warnings"].items() if found)
    failures = ", ".join(f"{f['code']} {f['title']} ({f['count']})" for f in report["failures"]) or "none"
    return (
        f"Schemathesis {report['schemathesis_version']}, {caller}: {ops['tested']}/{ops['total']} operations, "
        f"{cases['generated']} test cases, every check; {phases}; failures: {failures}; "
        f"{report['running_time']:.0f} s, seed {report['seed']}"
        + (f"; warnings: {', '.join(warnings)}" if warnings else "")
    )
