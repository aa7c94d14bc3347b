"""Education's benchmarks at smoke size, as CI runs them (`make bench-education`'s measures, with its
own education server in the benchmark's process): programmes today and recording progress beside a
bare gRPC hello-world, a sign-up storm for a class's last places, the daily playlist to 10
loudspeaker controllers. Not a timed test: it fails only when a call failed, a class was
overbooked or a play report is missing; the figures go to the end of the run's report."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from e2e.platform import ROOT
from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


def test_programmes_today_progress_a_sign_up_storm_and_the_daily_playlist(request):
    args = ["--clients", "2", "--seconds", "0.3", "--storm", "10", "--places", "3", "--controllers", "10"]
    done = subprocess.run(
        [sys.executable, "bench/education.py", *args],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    out = done.stdout
    request.config.stash.setdefault(BENCH_REPORTS, []).append(
        f"make bench-education (smoke: 2 clients x 0.3 s, 10 sign-ups for 3 places, 10 controllers):\n{out.strip()}"
    )
    assert "places taken 3 of 3" in out and "played 10, errors: 0" in out, out
