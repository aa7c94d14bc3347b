"""The registry and the service kit: the registry is checked whole, each service's declaration
agrees with it, and `python -m <service>` runs what the registry names (one process or several in
one OS process), with health for each and a clear usage message for anything else."""

from __future__ import annotations

import copy
import importlib
import os
import signal
import socket
import subprocess
import sys
import time

import grpc
import pytest
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from runtime import registry
from runtime.settings import REPO_ROOT

REG = registry.load()
RAW = yaml.safe_load(registry.REGISTRY_FILE.read_text(encoding="utf-8"))


def refused(change) -> str:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(registry.RegistryError) as info:
        registry.parse(data)
    return str(info.value)


def test_the_registry_names_every_service_folder_and_nothing_else():
    folders = {p.parent.name for p in (REPO_ROOT / "services").glob("*/service.py")} - {"runtime"}
    assert folders == set(REG.services), "each services/<name>/service.py has its registry entry, and back"
    assert REG.service("identity").port == 50051 and REG.gateway.port == 8080


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["services"]["alerts"].update(port=50051), "is identity's too"),
        (lambda d: d["services"]["alerts"].update(calls=["billing"]), "'billing' is not another service"),
        (lambda d: d["services"]["alerts"]["processes"].update(reports={"kind": "cron"}), "kind: one of grpc, relay"),
        (lambda d: d["services"]["alerts"]["processes"].update(all={"kind": "worker"}), "is named with lower-case"),
        (lambda d: d["services"]["alerts"]["processes"]["iot"].pop("group"), "names its group and the topics"),
        (lambda d: d["services"]["alerts"]["processes"]["iot"].update(reads=["sbc.nobody.things.v1"]), "no service"),
        (lambda d: d["services"]["alerts"].update(roles=["technician"]), "role technician is defined by"),
        (lambda d: d["services"]["alerts"].update(database="identity"), "one database per service"),
        (lambda d: d["services"]["alerts"]["processes"].pop("serve"), "every service has its gRPC server"),
        (lambda d: d["services"]["alerts"]["processes"].pop("relay"), "a service that publishes runs a relay"),
        (lambda d: d["services"]["alerts"].update(colour="red"), "unknown keys ['colour']"),
        (lambda d: d["services"].update(Bad={"port": 50099}), "a service is named with"),
        (lambda d: d["gateway"].update(reads=["sbc.nobody.things.v1"]), "gateway reads"),
    ],
)
def test_a_broken_registry_is_refused_saying_what_is_wrong(change, message):
    assert message in refused(change)


SERVICES = sorted(REG.services)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_declaration_agrees_with_the_registry(name):
    svc = importlib.import_module(f"{name}.service").SERVICE
    assert svc.name == name
    svc.check()  # a factory for every worker of the registry, and no other
    assert svc.grpc_names and all(n.startswith(f"sbc.{name}.v1.") for n in svc.grpc_names)
    assert svc.migrations.is_dir()


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_declares_its_own_roles_and_uses_only_registered_ones(name):
    """The runtime knows no role: each service's domain names its own (the registry lists them) and
    the others' it uses; each of those is some service's."""
    domain = importlib.import_module(f"{name}.domain")
    used = {v for k, v in vars(getattr(domain, "Role", object)).items() if k.isupper()}
    known = REG.roles()
    assert used <= set(known), f"{name} uses roles no service defines: {sorted(used - set(known))}"
    assert set(REG.service(name).roles) <= used, f"{name} defines roles its domain does not name"


def test_a_process_the_registry_does_not_name_is_refused_with_the_usage():
    out = subprocess.run(
        [sys.executable, "-m", "notifications", "reports"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "services"), str(REPO_ROOT / "protos")])},
    )
    assert out.returncode != 0
    assert "usage: python -m notifications [serve|relay|consumer|all|migrate|dead-letters]" in out.stderr
    assert "notifications has no process 'reports'" in out.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int, name: str = "") -> int:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as ch:
        return health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(service=name), timeout=2).status


@pytest.mark.infra
def test_all_runs_every_process_of_a_service_in_one_os_process_with_health_for_each(tmp_path, kafka_bootstrap):
    """`make up` runs each service so: the server, the relay and the consumer together, each
    reported by the server's health service under its component name; SIGTERM stops them all."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "services"), str(REPO_ROOT / "protos")]),
        "GRPC_PORT": str(port),
        "DATA_DIR": str(tmp_path),
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "KAFKA_PREFIX": f"test-{tmp_path.name}.",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "notifications", "all"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if health(port) == health_pb2.HealthCheckResponse.SERVING:
                    break
            except grpc.RpcError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.poll() else "slow"
            time.sleep(0.2)
        for component in ("notifications-relay", "notifications-consumer", "sbc.notifications.v1.NotificationService"):
            assert health(port, component) == health_pb2.HealthCheckResponse.SERVING, component
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("name", SERVICES)
def test_each_services_migrations_make_exactly_its_tables(name, tmp_path):
    """Its migrations, applied to an empty database, give the tables its store declares (so
    `python -m runtime.revision` has nothing left to write)."""
    from alembic import command

    from runtime.db import alembic_config

    svc = importlib.import_module(f"{name}.service").SERVICE
    cfg = alembic_config(svc.migrations, f"sqlite:///{tmp_path / 'scratch.db'}")
    command.upgrade(cfg, "head")
    command.check(cfg)  # raises when the store declares what no migration makes


SHAPE = (
    "__main__.py",
    "service.py",
    "servicer.py",
    "handlers.py",
    "store.py",
    "events.py",
    "migrations/versions",
    "tests",
)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_the_one_shape(name):
    """Whoever knows one service knows all: the same files in each (README, "A service's shape")."""
    folder = REPO_ROOT / "services" / name
    missing = [f for f in SHAPE if not (folder / f).exists()]
    assert not missing, f"services/{name} lacks {missing}"
    assert (folder / "domain.py").is_file() != (folder / "domain").is_dir(), "a domain module or a domain package"
    store = importlib.import_module(f"{name}.store")
    assert hasattr(store, "metadata") and hasattr(store, "UnitOfWork"), "its tables and its unit of work"
