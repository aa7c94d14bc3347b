"""The evaluation's benchmark at smoke size, as CI runs it (`make bench-evaluation`'s measure): a
thousand synthetic events of the services' real protos produced to fresh topics of the real Kafka,
folded by evaluation's read model into a fresh PostgreSQL database (events/s and lag beside a bare
consumer), then the year's report and its page. It needs no platform. Not a timed test: it fails
only when an event was not applied or was parked; the figures go to the end of the run's report."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from e2e.platform import ROOT
from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

EVENTS = 1000


def test_a_year_of_events_folded_and_reported_beside_a_bare_consumer(request):
    args = ["bench/evaluation.py", "--events", str(EVENTS), "--timeout", "240"]
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    title = f"make bench-evaluation (smoke: {EVENTS} events)"
    lines = [x for x in done.stdout.splitlines() if not x.startswith("  ")]  # the lag each second: its last only
    lag = [x for x in done.stdout.splitlines() if x.startswith("  ")][-1:]
    request.config.stash.setdefault(BENCH_REPORTS, []).append(f"{title}:\n" + "\n".join(lines + lag))
    assert "lag at the end 0" in done.stdout, done.stdout
