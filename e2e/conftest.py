from __future__ import annotations

import httpx
import pytest

from e2e.platform import OtlpReceiver, Platform


@pytest.fixture(scope="session")
def otlp():
    receiver = OtlpReceiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def platform(otlp):
    p = Platform(otlp.port)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c
