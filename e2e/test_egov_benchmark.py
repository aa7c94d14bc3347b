"""E-government's benchmark at smoke size, as CI runs it (`make bench-egov`'s measure): browsing the
catalog and applying (start, three materials, submit) over the service's real gRPC server, and a
booking storm on one slot of the service hall, beside a bare gRPC hello-world in the same process
tree. It needs no platform (the benchmark runs its own server on a temporary SQLite file). Not a
timed test: it fails only when a call failed or the slot was overbooked; the figures go to the end
of the run's report."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from e2e.platform import ROOT
from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


def test_browsing_applying_and_a_booking_storm_beside_a_hello_world(request):
    args = ["bench/egov.py", "--reads", "30", "--applications", "4", "--storm", "8"]
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    title = "make bench-egov (smoke: 30 catalog reads, 4 applications, 8 households storming one slot)"
    request.config.stash.setdefault(BENCH_REPORTS, []).append(f"{title}:\n{done.stdout.strip()}")
    assert "overbooked: False" in done.stdout, done.stdout
