"""A new service in one step: `python -m runtime.new kiosk --public` in a copy of the repository
writes a service that changes nothing but its folder, its proto, its registry entry and its gateway
route module; its own tests pass; the supervisor starts it with the rest of the platform, with gRPC
health and reflection, and a household's TV files an item through the gateway, whose /openapi.json
documents it; and the chart renders it and passes the chart's checks."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import grpc
import httpx
import pytest
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from e2e.platform import sign_in_tv
from runtime import kafka_clients, registry
from runtime.settings import REPO_ROOT

pytestmark = [pytest.mark.infra, pytest.mark.slow]

NAME = "kiosk"
ALLOWED = (
    f"services/{NAME}/",
    f"protos/sbc/{NAME}/",
    f"protos/sbc/events/v1/{NAME}_events",
    "charts/sbc-platform/platform.yaml",
    f"gateway/routes/{NAME}.py",
)


def git(repo: pathlib.Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> pathlib.Path:
    """The repository as it is now (committed or not), in a git repository of its own, with the service made."""
    repo = tmp_path_factory.mktemp("repo")
    files = git(REPO_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for f in filter(None, files):
        src = REPO_ROOT / f
        if src.is_file():
            (repo / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / f)
    (repo / ".cache").symlink_to(REPO_ROOT / ".cache")  # helm and grpcurl, built by make tools
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=test", "-c", "user.email=test@example", "commit", "-qm", "before")
    made = subprocess.run(
        [sys.executable, "-m", "runtime.new", NAME, "--public"],
        cwd=repo,
        env=env_for(repo),
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    return repo


def env_for(repo: pathlib.Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(repo / "services"), str(repo / "protos"), str(repo)]),
        **extra,
    }


def test_it_changes_only_its_folder_its_proto_its_registry_entry_and_its_route_module(copy):
    git(copy, "add", "-A")
    changed = git(copy, "diff", "--cached", "--name-only").split()
    assert changed and all(f.startswith(ALLOWED) for f in changed), [f for f in changed if not f.startswith(ALLOWED)]
    for wanted in (
        "service.py",
        "servicer.py",
        "handlers.py",
        "domain.py",
        "store.py",
        "events.py",
        "migrations/versions/0001_initial_tables.py",
        "tests/test_domain.py",
        "tests/test_grpc.py",
    ):
        assert f"services/{NAME}/{wanted}" in changed, wanted
    assert f"gateway/routes/{NAME}.py" in changed
    services = yaml.safe_load((copy / "charts/sbc-platform/platform.yaml").read_text())["services"]
    entry = services.pop(NAME)
    assert entry["processes"] == {"serve": {"kind": "grpc"}, "relay": {"kind": "relay"}}
    taken = {s["port"] for s in services.values()} | {registry.WORKER_HEALTH_PORT}
    assert entry["port"] == min(p for p in range(registry.PORT_ORIGIN + 1, registry.PORT_LIMIT) if p not in taken)
    assert entry["public"] is True
    print("\n" + git(copy, "diff", "--cached", "--stat"))


def test_its_own_tests_pass(copy):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"services/{NAME}",
            "services/runtime/tests/test_registry.py",
            "protos",
        ],
        cwd=copy,
        env=env_for(copy),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert " passed" in out.stdout.splitlines()[-1]


def port_block(size: int = 64) -> int:
    import random

    for _ in range(200):
        base = random.randrange(20000, 60000, size)
        try:
            for p in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    raise RuntimeError("no free ports")


def test_the_supervisor_runs_it_with_the_platform_with_health_and_reflection(copy, kafka_bootstrap):
    from kafka.admin import NewTopic

    base = port_block()
    prefix = f"new-{uuid.uuid4().hex[:8]}."
    reg = yaml.safe_load((copy / "charts/sbc-platform/platform.yaml").read_text())
    topics = [
        (t, spec["partitions"]) for s in reg["services"].values() for t, spec in (s.get("publishes") or {}).items()
    ]
    admin = kafka_clients.admin(kafka_bootstrap)
    admin.create_topics([NewTopic(prefix + t, num_partitions=n, replication_factor=1) for t, n in topics])
    log = open(copy / "platform.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(copy / "infra/local/supervisor.py")],
        cwd=copy,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env_for(
            copy,
            PORT_BASE=str(base),
            HTTP_PORT=str(base),
            RUN_TAG=f"new-{base}",
            PRINT_URLS="0",
            STOP_WITH_PARENT="1",
            DATA_DIR=str(copy / "var" / "data"),
            KAFKA_PREFIX=prefix,
            KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap,
            IDENTITY_SEED_FILE=str(copy / "services/identity/seed/local.json"),
        ),
        start_new_session=True,
    )
    addr = f"127.0.0.1:{base + reg['services']['kiosk']['port'] - 50050}"  # the port the generator gave it
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                # /status "ok": every dependency of the gateway answers (/readyz is its own).
                if httpx.get(f"http://127.0.0.1:{base}/status", timeout=2).json()["status"] == "ok":
                    with grpc.insecure_channel(addr) as ch:
                        status = health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(), timeout=2)
                    if status.status == health_pb2.HealthCheckResponse.SERVING:
                        break
            except (httpx.HTTPError, grpc.RpcError):
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (copy / "platform.log").read_text()[-3000:]
            time.sleep(0.5)
        with grpc.insecure_channel(addr) as ch:
            health = health_pb2_grpc.HealthStub(ch)
            for name in ("sbc.kiosk.v1.KioskService", "kiosk-relay"):
                assert health.Check(health_pb2.HealthCheckRequest(service=name), timeout=2).status == 1, name
            db = ProtoReflectionDescriptorDatabase(ch)
            assert "sbc.kiosk.v1.KioskService" in db.get_services()
            methods = {m.name for m in db.FindFileContainingSymbol("sbc.kiosk.v1.KioskService").service[0].method}
            assert methods == {"CreateItem", "GetItem", "ListMyItems", "CloseItem"}
        gateway_files_an_item(f"http://127.0.0.1:{base}", copy)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        admin.delete_topics([prefix + t for t, _ in topics])
        admin.close()


def gateway_files_an_item(base_url: str, copy: pathlib.Path) -> None:
    """Through the gateway, as a household's TV: its route module is in the document and answers."""
    household = json.loads((copy / "services/identity/seed/local.json").read_text())["households"][0]
    with httpx.Client(base_url=base_url, timeout=30) as c:
        paths = c.get("/openapi.json").json()["paths"]
        assert {"post", "get"} <= set(paths[f"/v1/{NAME}/items"]), sorted(paths)
        assert "application/problem+json" in paths[f"/v1/{NAME}/items"]["post"]["responses"]["422"]["content"]
        auth = {"Authorization": f"Bearer {sign_in_tv(c, household, f'STB-new-{uuid.uuid4().hex[:8]}')}"}
        r = c.post(f"/v1/{NAME}/items", json={"title": "第一件事"}, headers={**auth, "Idempotency-Key": "k1"})
        assert r.status_code == 201, r.text
        item = r.json()
        assert item["household_id"] == household["id"] and item["state"] == "open"
        listed = c.get(f"/v1/{NAME}/items", headers=auth).json()
        assert [i["id"] for i in listed["items"]] == [item["id"]]
        closed = c.post(f"/v1/{NAME}/items/{item['id']}/close", headers=auth)
        assert closed.status_code == 200 and closed.json()["state"] == "closed", closed.text
        again = c.post(f"/v1/{NAME}/items/{item['id']}/close", headers=auth)
        assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


def test_the_chart_renders_it_and_passes_its_checks(copy):
    """The copy's chart tests that read the registry (schemas, policies, NetworkPolicies, env, topics,
    databases) with the new service; the rest (skaffold, the cluster e2e values, the image, bad
    values) do not change with a service and run once, in the suite itself."""
    tests = [f"charts/tests/test_chart_{t}.py" for t in ("render", "policy", "infra")]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=copy,
        env=env_for(copy),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    rendered = subprocess.run(
        [
            str(copy / ".cache/go/bin/helm"),
            "template",
            "sbc",
            "charts/sbc-platform",
            "-f",
            "charts/sbc-platform/ci/production-values.yaml",
            "-f",
            "charts/sbc-platform/ci/strimzi-values.yaml",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {(d["kind"], d["metadata"]["name"]) for d in yaml.load_all(rendered, Loader=yaml.CSafeLoader) if d}
    for wanted in [
        ("Deployment", "sbc-kiosk"),
        ("Deployment", "sbc-kiosk-relay"),
        ("Service", "sbc-kiosk"),
        ("Job", "sbc-kiosk-migrate"),
        ("NetworkPolicy", "sbc-kiosk"),
        ("KafkaTopic", "sbc.kiosk.items.v1"),
        ("Database", "sbc-pg-kiosk"),
        ("DatabaseRole", "sbc-pg-kiosk"),
        ("Pod", "sbc-kiosk-test"),
    ]:
        assert wanted in names, wanted
