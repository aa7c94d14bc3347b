"""The TV app's benchmarks at smoke size, as CI runs them, against the suite's platform: the home call
(`make bench-home`'s measure, cached and fresh, beside a hello-world) with this module's two
households' TVs, five clients each, and the app's size and first paint with the CPU throttled 4×
(`make bench-tv`). Not timed tests: they fail only when a call failed; the figures go to the end
of the test run's report."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import uuid

import httpx
import pytest

from e2e.platform import ROOT, sign_in_tv
from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


@pytest.fixture(scope="module")
def tokens(platform) -> list[str]:
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        return [sign_in_tv(c, h, f"STB-BENCH-{uuid.uuid4().hex[:8]}") for h in platform.households_of("tv")]


def run(request, title: str, args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    request.config.stash.setdefault(BENCH_REPORTS, []).append(f"{title}:\n{done.stdout.strip()}")
    return done.stdout


def test_the_home_call_cached_and_fresh_beside_a_hello_world(request, platform, tokens, tmp_path: pathlib.Path):
    file = tmp_path / "tokens"
    file.write_text("\n".join(tokens * 5))
    out = run(
        request,
        "make bench-home (smoke: 2 households x 5 clients, 1.5 s each)",
        ["bench/home.py", "--base-url", platform.base_url, "--tokens", str(file), "--seconds", "1.5"],
    )
    assert "errors: 0" in out, out


def test_the_tv_apps_size_and_first_paint_at_four_times_cpu_throttle(request, platform, tokens):
    out = run(
        request,
        "make bench-tv (smoke: 1 cold load)",
        ["bench/tv_app.py", "--base-url", platform.base_url, "--token", tokens[0], "--loads", "1"],
    )
    assert "gzipped" in out and "first paint" in out, out
