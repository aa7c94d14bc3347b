"""The eldercare benchmark at smoke size, as CI runs it: `make bench-eldercare`'s run() against the
shared platform, 40 devices on the real broker and 10 SOS presses. Not a timed test: it fails only
when a press did not reach the care centre's live stream, or a device's account stayed on the
broker; the figures go to the end of the report."""

from __future__ import annotations

import pytest

from bench import eldercare
from e2e.reports import BENCH_REPORTS

pytestmark = [pytest.mark.infra, pytest.mark.slow]


def test_sos_presses_from_connected_devices_reach_the_care_centres_live_stream(platform, request):
    figures = eldercare.run(
        platform.base_url,
        platform.seed.eldercare_staff["care_operator"],
        devices=40,
        presses=10,
        broker=eldercare.Broker.from_env(),
    )
    report = eldercare.report(figures)
    request.config.stash.setdefault(BENCH_REPORTS, []).append(
        "make bench-eldercare (smoke: 40 devices, 10 SOS):\n" + report
    )
    assert figures["live"]["n"] == 10 and figures["raised"]["n"] == 10, report
    assert figures["baseline"]["n"] == 10, report
    assert figures["not_deprovisioned"] == 0, "the run's devices leave the shared broker"
