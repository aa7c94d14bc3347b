"""Departments' engineers explore the services with grpcurl through reflection."""

from __future__ import annotations

import json
import subprocess

import pytest

from e2e.platform import ROOT
from runtime import registry

pytestmark = pytest.mark.infra

GRPCURL = ROOT / ".cache" / "go" / "bin" / "grpcurl"


def grpcurl(*args: str) -> str:
    if not GRPCURL.exists():
        pytest.fail("grpcurl is missing: `make tools` builds it (make test does)")
    out = subprocess.run([str(GRPCURL), "-plaintext", *args], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


SERVICES = list(registry.load().services.values())


@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
def test_grpcurl_lists_each_service_through_reflection(platform, service):
    listed = grpcurl(f"127.0.0.1:{service.local_port(platform.port_base)}", "list").split()
    names = registry_grpc_names(service.name)
    assert set(names) <= set(listed) and "grpc.health.v1.Health" in listed


def registry_grpc_names(name: str) -> list[str]:
    """The gRPC services a service serves, from its declaration (services/<name>/service.py)."""
    import importlib

    return importlib.import_module(f"{name}.service").SERVICE.grpc_names


def test_grpcurl_calls_a_method_as_the_readme_shows(platform):
    out = grpcurl(
        "-d",
        '{"client_id": "sbc-set-top-box", "device_serial": "STB-GRPCURL"}',
        f"127.0.0.1:{registry.load().service('identity').local_port(platform.port_base)}",
        "sbc.identity.v1.IdentityService/StartDeviceAuthorization",
    )
    grant = json.loads(out)
    assert len(grant["user_code"]) == 9 and grant["interval"] >= 1
