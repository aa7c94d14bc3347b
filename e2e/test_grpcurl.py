"""Departments' engineers explore the services with grpcurl through reflection."""

from __future__ import annotations

import json
import subprocess

import pytest

from e2e.platform import ROOT

pytestmark = pytest.mark.infra

GRPCURL = ROOT / ".cache" / "go" / "bin" / "grpcurl"


def grpcurl(*args: str) -> str:
    if not GRPCURL.exists():
        pytest.fail("grpcurl is missing: `make tools` builds it (make test does)")
    out = subprocess.run([str(GRPCURL), "-plaintext", *args], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize(
    "offset, service",
    [
        (1, "sbc.identity.v1.IdentityService"),
        (2, "sbc.servicedesk.v1.ServiceDeskService"),
        (3, "sbc.notifications.v1.NotificationService"),
    ],
)
def test_grpcurl_lists_each_service_through_reflection(platform, offset, service):
    listed = grpcurl(f"127.0.0.1:{platform.port_base + offset}", "list").split()
    assert service in listed and "grpc.health.v1.Health" in listed


def test_grpcurl_calls_a_method_as_the_readme_shows(platform):
    out = grpcurl(
        "-d",
        '{"client_id": "sbc-set-top-box", "device_serial": "STB-GRPCURL"}',
        f"127.0.0.1:{platform.port_base + 1}",
        "sbc.identity.v1.IdentityService/StartDeviceAuthorization",
    )
    grant = json.loads(out)
    assert len(grant["user_code"]) == 9 and grant["interval"] >= 1
