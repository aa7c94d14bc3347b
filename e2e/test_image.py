"""The image, really built and run: infra/local/image.sh builds the Dockerfile with podman (a Debian
base made by debootstrap, cached under .cache/podman/), then every process of every service (the
registry's, as the chart runs them: one container each) starts from it against the local
infrastructure, as user 10001 with a read-only root filesystem, and each reaches its health check:
gRPC health for the servers, the worker health port for relays, consumers and schedulers, /healthz
for the gateway. The build time and the image's size go to the run's report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from e2e.platform import ROOT, free_port_block
from e2e.reports import BENCH_REPORTS

sys.path.insert(0, str(ROOT / "infra" / "local"))
import supervisor  # noqa: E402

IMAGE_SH = ROOT / "infra" / "local" / "image.sh"
IMAGE = "localhost/sbc-platform:test"
CONTAINERS_CONF = str(ROOT / "infra" / "local" / "podman" / "containers.conf")
USER = "10001:10001"
# The first build on a machine installs the base (debootstrap, ~3 min) and every wheel (~5 min).
pytestmark = [pytest.mark.infra, pytest.mark.timeout(1800)]
# Every process starts at once on a 2-core machine that others share.
HEALTHY_WITHIN = 300


def podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["podman", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=check,
        env={**os.environ, "CONTAINERS_CONF": CONTAINERS_CONF},
    )


def serving(port: int, service: str) -> bool:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=2)
        except grpc.RpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def healthz(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def make_topics(prefix: str, create: bool) -> None:
    from kafka.admin import NewTopic

    from runtime import kafka_clients, registry

    topics = registry.load().topics()
    admin = kafka_clients.admin(os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"))
    try:
        if create:
            admin.create_topics(
                [NewTopic(prefix + t.name, num_partitions=t.partitions, replication_factor=1) for t in topics]
            )
        else:
            admin.delete_topics([prefix + t.name for t in topics])
    finally:
        admin.close()


@pytest.fixture(scope="module")
def image(request):
    t0 = time.monotonic()
    built = subprocess.run(["bash", str(IMAGE_SH), "build", IMAGE], capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout + built.stderr
    seconds = time.monotonic() - t0
    size = int(podman("image", "inspect", IMAGE, "--format", "{{.Size}}").stdout.strip())
    request.config.stash.setdefault(BENCH_REPORTS, []).append(
        f"the image (infra/local/image.sh build, podman): built in {seconds:.0f} s, {size / 1e6:.0f} MB"
    )
    return IMAGE


@pytest.fixture(scope="module")
def containers(image):
    """Every process from the image, one container each; their health ports."""
    run_id = uuid.uuid4().hex[:8]
    port_base = free_port_block()
    http_port = port_base
    specs = supervisor.platform_processes(port_base, http_port, split=True)
    prefix = f"image-{run_id}."
    make_topics(prefix, create=True)
    # The processes' databases (SQLite) and keys: one directory, as a pod's volume, writable by 10001.
    (ROOT / "var").mkdir(exist_ok=True)
    data = tempfile.mkdtemp(prefix=f"sbc-image-{run_id}-", dir=ROOT / "var")
    os.chmod(data, 0o777)
    common = {
        "KAFKA_BOOTSTRAP_SERVERS": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:16379/0"),
        "MQTT_HOST": os.environ.get("MQTT_HOST", "127.0.0.1"),
        "MQTT_PORT": os.environ.get("MQTT_PORT", "11883"),
        "KAFKA_PREFIX": prefix,
        "DATA_DIR": "/data",
        "IDENTITY_SEED_FILE": "/app/services/identity/seed/local.json",
    }
    names = [f"sbc-image-{run_id}-{component}" for component in specs]

    def start(component: str) -> None:
        spec = specs[component]
        env = {**spec.get("defaults", {}), **common, **spec["env"]}
        # The image's entrypoint is `python -m`: the module and its command only.
        podman(
            "run", "--detach", "--name", f"sbc-image-{run_id}-{component}", "--network", "host",
            "--user", USER, "--read-only", "--tmpfs", "/tmp:rw,mode=1777", "--volume", f"{data}:/data:rw",
            *[f"--env={k}={v}" for k, v in env.items()],
            image, *spec["cmd"][2:],
        )  # fmt: skip

    try:
        # podman takes a few seconds per container: a few at a time.
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(start, specs))
        yield run_id, specs
    finally:
        # A loaded machine may take longer than one call allows: a second pass removes what is left.
        for _ in range(2):
            try:
                podman("rm", "--force", "--ignore", "--time", "2", *names, check=False, timeout=300)
            except subprocess.TimeoutExpired:
                continue
        shutil.rmtree(data, ignore_errors=True)
        try:
            make_topics(prefix, create=False)
        except Exception:  # leftover topics of this run only are harmless
            pass


def check_of(component: str, spec: dict):
    if component == "gateway":
        port = int(spec["env"]["HTTP_PORT"])
        return f"/healthz on {port}", lambda: healthz(port)
    if "GRPC_PORT" in spec["env"]:
        port = int(spec["env"]["GRPC_PORT"])
        return f"gRPC health on {port}", lambda: serving(port, "")
    port = int(spec["env"]["HEALTH_PORT"])
    return f"worker health on {port}", lambda: serving(port, component)


def test_every_process_of_every_service_reaches_its_health_check_from_the_image(containers, request):
    run_id, specs = containers
    checks = {c: check_of(c, s) for c, s in specs.items()}
    waiting = dict(checks)
    t0 = time.monotonic()
    deadline = t0 + HEALTHY_WITHIN
    while waiting and time.monotonic() < deadline:
        for component, (_, ok) in list(waiting.items()):
            if ok():
                del waiting[component]
        time.sleep(0.5)
    if waiting:
        logs = {c: podman("logs", "--tail", "15", f"sbc-image-{run_id}-{c}", check=False).stdout for c in waiting}
        pytest.fail(
            f"not healthy after {HEALTHY_WITHIN} s: {sorted(waiting)}\n"
            + "\n".join(f"--- {c} ---\n{log}" for c, log in logs.items())
        )
    request.config.stash.setdefault(BENCH_REPORTS, []).append(
        f"the image: {len(checks)} processes from it healthy after {time.monotonic() - t0:.0f} s "
        "(user 10001, read-only root filesystem)"
    )


def test_each_container_runs_as_10001_on_a_read_only_root(containers):
    run_id, specs = containers
    for component in specs:
        name = f"sbc-image-{run_id}-{component}"
        state = podman("inspect", name, "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.State.Status}}")
        assert state.stdout.split() == [USER, "true", "running"], (component, state.stdout)
    # What the process itself sees: its uid, and that its code cannot be written to.
    probe = podman(
        "exec", f"sbc-image-{run_id}-gateway", "python", "-c",
        "import os\ntry:\n open('/app/gateway/x', 'w')\nexcept OSError as e:\n print(os.getuid(), e.errno)",
    )  # fmt: skip
    assert probe.stdout.split() == ["10001", "30"], probe.stdout  # 30: EROFS
