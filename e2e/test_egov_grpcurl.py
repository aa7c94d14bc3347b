"""The department's grpcurl session of docs/egov-department-grpcurl.md, run as documented (its bash
block, unchanged) against the suite's platform: a household submits an application, the session
gets the civil-affairs department's token, lists the service by reflection, reads its queue and
the application, accepts it, is refused a decision without a reason, approves it with one, and is
refused without a token; it also keeps the queue's stream (WatchQueue) open for two seconds. The
household then sees the decision."""

from __future__ import annotations

import os
import re
import subprocess
import uuid

import httpx
import pytest

from e2e.platform import ROOT, sign_in_tv
from runtime import registry

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

DOC = ROOT / "docs" / "egov-department-grpcurl.md"
GRPCURL = ROOT / ".cache" / "go" / "bin" / "grpcurl"
RELIEF = "330222004000-new"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def session() -> str:
    [block] = re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return block


def test_the_documented_grpcurl_session_works_against_the_platform(platform):
    assert GRPCURL.exists(), "grpcurl is built by `make tools` (go install github.com/fullstorydev/grpcurl)"
    (home,) = platform.households_of("egov_pages")
    with httpx.Client(base_url=platform.base_url, timeout=30) as gw:
        tv = {"Authorization": f"Bearer {sign_in_tv(gw, home, f'STB-GRPCURL-{uuid.uuid4().hex[:6]}')}"}
        r = gw.post(
            "/v1/egov/applications", json={"item_code": RELIEF}, headers={**tv, "Idempotency-Key": uuid.uuid4().hex}
        )
        assert r.status_code == 201, r.text
        app_id = r.json()["id"]
        for code in ("id_card", "hardship_proof", "application_form"):
            up = gw.put(
                f"/v1/egov/applications/{app_id}/materials/{code}",
                content=PDF,
                headers={**tv, "Content-Type": "application/pdf"},
            )
            assert up.status_code == 200, up.text
        assert gw.post(f"/v1/egov/applications/{app_id}/submit", headers=tv).status_code == 200

        dept = platform.seed.departments["civil_affairs"]
        port = registry.load().service("egov").local_port(platform.port_base)
        env = {
            **os.environ,
            "G": str(GRPCURL),
            "GW": platform.base_url,
            "EGOV": f"127.0.0.1:{port}",
            "CLIENT_ID": dept["client_id"],
            "CLIENT_SECRET": dept["client_secret"],
            "APP": app_id,
        }
        done = subprocess.run(["bash", "-c", session()], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        out = done.stdout
        assert done.returncode == 0, f"{out[-3000:]}\n{done.stderr[-3000:]}"
        assert "sbc.egov.v1.DepartmentService" in out and "rpc ListQueue" in out, out[:2000]
        assert app_id in out and '"state": "approved"' in out and "核准临时救助金1500元" in out, out[-2000:]
        assert "InvalidArgument" in done.stderr and "Unauthenticated" in done.stderr, done.stderr
        # WatchQueue sent the queue (the application among it), then was ended by its deadline.
        assert '"action": "queued"' in out and "DeadlineExceeded" in done.stderr, done.stderr

        seen = gw.get(f"/v1/egov/applications/{app_id}", headers=tv).json()
        assert (seen["state"], seen["decision_reason"]) == ("approved", "核准临时救助金1500元")
