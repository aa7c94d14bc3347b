"""The emergency-broadcast benchmark at smoke size, N = 300 boxes, as CI runs it: `make
bench-alerts`'s script against the suite's platform, as the suite's last module (its boxes stay
registered in Wangjiangjing and would be targeted by later modules' alerts; e2e/conftest.py runs
it last). `make bench-alerts` starts a platform of its own and runs 1,000: the figures worth
comparing come from it, on a quiet machine. Not a timed test: it fails only when a box did not get
the alert or a receipt was not recorded; the figures go to the end of the test run's report."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

ROOT = pathlib.Path(__file__).resolve().parents[1]


SMOKE = 300


def test_one_alert_reaches_every_box_and_every_receipt_is_recorded(request, platform, tmp_path):
    target = tmp_path / "platform.json"
    target.write_text(
        json.dumps(
            {
                "base_url": platform.base_url,
                "key_file": str(platform.key_file),
                "department": platform.seed.departments["trusted"],
                "approver": platform.seed.alert_staff["approver"],
            }
        )
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "alerts_sse.py"), "--terminals", str(SMOKE), "--platform", str(target)],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = run.stdout[run.stdout.rfind("boxes: ") :] if "boxes: " in run.stdout else run.stdout[-2000:]
    request.config.stash.setdefault(BENCH_REPORTS, []).append(
        f"make bench-alerts (smoke size, N={SMOKE}):\n" + report.strip()
    )
    assert run.returncode == 0, f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    assert f"received by {SMOKE} / {SMOKE}" in report and "every receipt recorded" in report, report
