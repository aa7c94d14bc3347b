from __future__ import annotations

import httpx
import pytest

from e2e import cluster
from e2e.platform import OtlpReceiver, Platform


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "local_only: needs the platform as local processes (pids, SQLite files); skipped against a cluster"
    )


# Modules that leave the suite's platform changed for the modules after them run last.
LAST = ("test_alerts_benchmark.py",)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.path.name in LAST)  # stable: every other test keeps its order
    # Against a cluster (E2E_KUBECONFIG, e2e/cluster.py) what needs local processes is skipped.
    if cluster.cluster_mode():
        skip = pytest.mark.skip(reason="local only: kills processes by pid or reads their files; not against a cluster")
        for item in items:
            if "local_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def otlp():
    if cluster.cluster_mode():
        yield cluster.NoTraces()
        return
    receiver = OtlpReceiver()
    receiver.start()
    yield receiver
    receiver.stop()


# One platform for the whole suite: starting every process takes a while, and each module signs in
# with households of its own (e2e/seed.py), so modules do not see each other's data.
@pytest.fixture(scope="session")
def platform(otlp):
    if cluster.cluster_mode():
        p = cluster.ClusterPlatform.from_env()
    else:
        p = Platform(otlp.port)
        p.local = True
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c
