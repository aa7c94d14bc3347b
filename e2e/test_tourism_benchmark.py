"""The booking storm at smoke size, as CI runs it, against the suite's platform (`make bench-tourism`'s
measure: 200 attempts for the last 30 places of an entry slot from 16 clients at once, beside a
hello-world). Not a timed test: it fails only when a place was oversold, the places were not all
taken, or a call failed; the figures go to the end of the test run's report."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from e2e.platform import ROOT
from e2e.reports import BENCH_REPORTS
from e2e.seed import Seed

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


def test_a_booking_storm_for_the_last_places_never_oversells(request, platform):
    args = ["--base-url", platform.base_url, "--password", Seed.password("agent.th")]
    done = subprocess.run(
        [sys.executable, "bench/tourism.py", *args, "--attempts", "200", "--places", "30", "--clients", "16"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    out = done.stdout
    title = "make bench-tourism (smoke: 200 attempts, the last 30 places, 16 clients)"
    request.config.stash.setdefault(BENCH_REPORTS, []).append(f"{title}:\n{out.strip()}")
    assert "held: 30  oversold: 0" in out and "places left after: 0" in out and "errors: 0" in out, out
