"""Legal's benchmark at smoke size, as CI runs it, against the suite's platform: listing articles
(cached) and submitting quiz papers (`make bench-legal`'s measure), beside a hello-world, with the
benchmark's own four households (e2e/seed.py, legal_bench), each of which submits every paper once.
Not a timed test: it fails only when a call failed; the figures go to the end of the run's report."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import httpx
import pytest

from bench.legal import officers_of, publish_articles
from e2e.platform import ROOT, sign_in_tv
from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


def test_listing_articles_and_submitting_papers_beside_a_hello_world(request, platform, tmp_path):
    publish_articles(platform.base_url, *officers_of(platform.base_url, platform.seed.legal_staff), 1)
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        tokens = [sign_in_tv(c, h, f"STB-BENCH-{uuid.uuid4().hex[:8]}") for h in platform.households_of("legal_bench")]
    file = tmp_path / "tokens"
    file.write_text("\n".join(tokens))
    args = ["bench/legal.py", "--base-url", platform.base_url, "--tokens", str(file), "--seconds", "1"]
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    title = "make bench-legal (smoke: 4 households, listing 1 s, every paper once each)"
    request.config.stash.setdefault(BENCH_REPORTS, []).append(f"{title}:\n{done.stdout.strip()}")
    assert "errors: 0" in done.stdout, done.stdout
