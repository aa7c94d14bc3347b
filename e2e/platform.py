"""The platform under test, for the e2e suite: every part as a separate
process (infra/local/supervisor.py) on ports of its own, with a real OTLP
receiver in the test process that collects every process's spans. One platform
serves every module of the suite (e2e/conftest.py); each module signs in with
households of its own (e2e/seed.py)."""

from __future__ import annotations

import collections
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent import futures

import grpc
import httpx
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

from e2e.seed import DISTRICTS_DIR, Seed

ROOT = pathlib.Path(__file__).resolve().parents[1]
SET_TOP_BOX = "sbc-set-top-box"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


# gRPC servers at base + 1..9, workers' health ports from base + 20 (infra/local/supervisor.py).
PORT_BLOCK = 64


def free_port_block(size: int = PORT_BLOCK) -> int:
    """A base port whose next `size` ports are all free (each process takes base + n)."""
    import random

    for _ in range(200):
        base = random.randrange(20000, 60000, size)
        if all(port_is_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("no free block of ports")


class OtlpReceiver(trace_service_pb2_grpc.TraceServiceServicer, metrics_service_pb2_grpc.MetricsServiceServicer):
    """Receives OTLP/gRPC exports from every process and keeps the spans by trace id."""

    def __init__(self):
        self.spans: dict[str, list[dict]] = collections.defaultdict(list)
        self.lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(self, self.server)
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(self, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")

    def Export(self, request, context):
        if isinstance(request, metrics_service_pb2.ExportMetricsServiceRequest):
            return metrics_service_pb2.ExportMetricsServiceResponse()
        with self.lock:
            for rs in request.resource_spans:
                service = next((a.value.string_value for a in rs.resource.attributes if a.key == "service.name"), "?")
                for ss in rs.scope_spans:
                    for span in ss.spans:
                        self.spans[span.trace_id.hex()].append(
                            {
                                "service": service,
                                "name": span.name,
                                "span_id": span.span_id.hex(),
                                "parent_id": span.parent_span_id.hex(),
                                "start_ns": span.start_time_unix_nano,
                                "end_ns": span.end_time_unix_nano,
                            }
                        )
        return trace_service_pb2.ExportTraceServiceResponse()

    def trace(self, trace_id: str) -> list[dict]:
        with self.lock:
            return list(self.spans.get(trace_id, []))

    def start(self):
        self.server.start()

    def stop(self):
        self.server.stop(1)


class Platform:
    """Starts the supervisor with every process; knows their pids and data."""

    def __init__(self, otlp_port: int | None):
        self.run_id = uuid.uuid4().hex[:8]
        self.dir = ROOT / "var" / "e2e" / self.run_id
        self.data_dir = self.dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Ports of this run only, so that two runs never test each other's platform.
        self.port_base = int(os.environ.get("E2E_PORT_BASE") or free_port_block())
        self.http_port = int(os.environ.get("E2E_HTTP_PORT") or self.port_base)
        self.base_url = f"http://127.0.0.1:{self.http_port}"
        self.run_tag = f"e2e-{self.run_id}"
        self.seed = self._write_seed()
        self.key_file = self._write_signing_key()
        self.env = {
            **os.environ,
            "PORT_BASE": str(self.port_base),
            "HTTP_PORT": str(self.http_port),
            "RUN_TAG": self.run_tag,
            "PRINT_URLS": "0",
            "DATA_DIR": str(self.data_dir),
            "IDENTITY_SEED_FILE": str(self.dir / "seed.json"),
            # Identity signs with this run's key file, so the alerts benchmark can sign its boxes' tokens.
            "IDENTITY_SIGNING_KEY_FILE": str(self.key_file),
            "RATE_LIMIT_DEVICE": "1000000/minute",
            "RATE_LIMIT_IP": "1000000/minute",
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_METRIC_EXPORT_INTERVAL": "60000",
            # Every process as its own OS process, as the chart runs them (the fault test kills a relay).
            "SPLIT_PROCESSES": "1",
            # A test run that is killed takes its platform with it.
            "STOP_WITH_PARENT": "1",
            # Topics and consumer groups of this run only: another run on the same Kafka (a second
            # test run, a benchmark) never takes this one's events, and boxes registered by another
            # run never count as targeted in this one's alerts.
            "KAFKA_PREFIX": f"e2e-{self.run_id}.",
            # Terminals without a receipt get an alert again after 3 s (30 in production), checked twice a second.
            "ALERTS_REDELIVER_SECONDS": "3",
            "ALERTS_CHECK_SECONDS": "0.5",
            "EDUCATION_PLAYOUT_SECONDS": "0.5",
            # The tests' loudspeaker controllers listen on 127.0.0.1 (never on a cluster's allow-list).
            "ALERTS_LOUDSPEAKER_LOCAL_NETWORKS": "127.0.0.0/8",
            "EDUCATION_LOUDSPEAKER_LOCAL_NETWORKS": "127.0.0.0/8",
            # Legal's district data with an answer time of seconds and the run's advisor (Seed.legal_data),
            # checked twice a second: a question escalates within the test.
            "LEGAL_DATA_DIR": str(self._write_legal_data()),
            # Both districts: the built-in pilot's data and the made-up second district's folder
            # (e2e/districts/330499, e2e/test_second_district.py).
            "DISTRICTS_DIR": str(DISTRICTS_DIR),
            "LEGAL_CHECK_SECONDS": "0.5",
            # The modules stand a district's many TVs in a few households (the alerts' 24 boxes at
            # once in two): the per-household stream cap (6) is tested by gateway/tests/test_streams.py.
            "STREAM_LIMIT_HOUSEHOLD": "64",
            # The museum exhibition area's e-government figures, read with the office's account (lent).
            "EXHIBITION_STAFF_USERNAME": self.seed.egov_staff["egov_office"]["username"],
            "EXHIBITION_STAFF_PASSWORD": self.seed.egov_staff["egov_office"]["password"],
        }
        if otlp_port:
            self.env["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{otlp_port}"
            self.env["OTEL_EXPORTER_OTLP_INSECURE"] = "true"
        self.proc: subprocess.Popen | None = None
        self.log_path = self.dir / "platform.log"

    def _write_seed(self) -> Seed:
        """Households, staff and departments of this run only (e2e/seed.py), so nothing from another
        run reaches them."""
        seed = Seed(self.run_id)
        (self.dir / "seed.json").write_text(json.dumps(seed.as_seed_file(), ensure_ascii=False))
        return seed

    def _write_signing_key(self) -> pathlib.Path:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        path = self.dir / "signing-key.pem"
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return path

    def _write_legal_data(self) -> pathlib.Path:
        folder = self.dir / "legal"
        folder.mkdir(exist_ok=True)
        (folder / "330411.json").write_text(json.dumps(self.seed.legal_data(), ensure_ascii=False), encoding="utf-8")
        return folder

    def households_of(self, module: str) -> list[dict]:
        """The households of one test module (each module has its own)."""
        return self.seed.households[module]

    def start(self, timeout: float = 180.0) -> None:
        for port in {self.http_port, *range(self.port_base + 1, self.port_base + PORT_BLOCK)}:
            if not port_is_free(port):
                raise RuntimeError(f"port {port} is in use: another platform runs there")
        self._topics(create=True)
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "infra/local/supervisor.py")],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"platform exited; see {self.log_path}")
            try:
                # /readyz is the gateway's own; /status says when every dependency answers too.
                if httpx.get(f"{self.base_url}/status", timeout=2).json()["status"] == "ok":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"platform not ready after {timeout:.0f} s; see {self.log_path}:\n" + self.tail())

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def pid(self, name: str) -> int:
        return int((ROOT / "var" / "run" / self.run_tag / f"{name}.pid").read_text())

    def kill9(self, name: str) -> int:
        """kill -9 one process; the supervisor restarts it, as Kubernetes would."""
        pid = self.pid(name)
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_restarted(self, name: str, old_pid: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.pid(name) != old_pid:
                    return
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{name} was not restarted")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        try:
            self._topics(create=False)
        except Exception:  # the broker may be away (the fault test restarts it); leftover topics are harmless
            pass

    def _topics(self, create: bool) -> None:
        """Create (or delete) this run's topics, the registry's under its prefix: auto-creation is off."""
        from kafka.admin import NewTopic

        from runtime import kafka_clients, kafka_security, registry

        prefix = self.env["KAFKA_PREFIX"]
        topics = registry.load().topics()
        admin = kafka_clients.admin(self.env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"))
        try:
            if create:
                admin.create_topics(
                    [NewTopic(prefix + t.name, num_partitions=t.partitions, replication_factor=1) for t in topics]
                )
                if kafka_clients.security()["security_protocol"] != "PLAINTEXT":
                    # Each process signs in as its service (runtime.kafka_security): its ACLs, for this run's names.
                    kafka_security.grant(admin, prefix)
            else:
                admin.delete_topics([prefix + t.name for t in topics])
        finally:
            admin.close()


def sign_in_tv(client: httpx.Client, household: dict, serial: str) -> str:
    """The TV asks for a code, the citizen confirms it on the phone page, the TV polls."""
    r = client.post("/v1/identity/device_authorization", data={"client_id": SET_TOP_BOX, "device_serial": serial})
    assert r.status_code == 200, r.text
    grant = r.json()
    member = household["members"][0]
    page = client.post(
        "/identity/device",
        data={
            "user_code": grant["user_code"],
            "phone": member["phone"],
            "password": member["password"],
            "decision": "approve",
        },
    )
    assert page.status_code == 200, page.text
    r = client.post(
        "/v1/identity/token",
        data={"grant_type": DEVICE_CODE_GRANT, "client_id": SET_TOP_BOX, "device_code": grant["device_code"]},
    )
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


class SseListener:
    """A terminal's open SSE stream, read in a thread."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.token = token
        self.events: list[dict] = []
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self._read()
        except httpx.HTTPError as exc:
            self.error = exc  # the stream ended (the platform stopped, or a test cut it)

    def _read(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(5, read=None)) as client:
            with client.stream("GET", "/v1/terminal/events", headers={"Authorization": f"Bearer {self.token}"}) as r:
                assert r.status_code == 200, r.read()
                event: dict = {}
                for line in r.iter_lines():
                    if self.stopping.is_set():
                        return
                    if not line:
                        if event.get("event") == "ready":
                            self.ready.set()
                        elif event.get("data"):
                            event["data"] = json.loads(event["data"])
                            self.events.append(event)
                        event = {}
                        continue
                    if line.startswith(":"):
                        continue
                    key, _, value = line.partition(":")
                    event[key] = value[1:] if value.startswith(" ") else value

    def start(self, timeout: float = 15.0) -> SseListener:
        self.thread.start()
        assert self.ready.wait(timeout), "the SSE stream did not open"
        return self

    def stop(self) -> None:
        self.stopping.set()

    def wait_for(self, predicate, count: int = 1, timeout: float = 30.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in list(self.events) if predicate(e)]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return [e for e in list(self.events) if predicate(e)]
