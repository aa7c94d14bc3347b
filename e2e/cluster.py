"""The e2e suite against a Kubernetes cluster instead of `make up`.

    E2E_KUBECONFIG=~/.kube/config .venv/bin/python -m pytest e2e

When E2E_KUBECONFIG names a kubeconfig, the `platform` fixture is a ClusterPlatform: it
finds the release of charts/sbc-platform (E2E_NAMESPACE, default sbc; E2E_RELEASE,
default sbc; E2E_KUBE_CONTEXT, default the kubeconfig's current one), writes this run's
demo households into the release's seed Secret and restarts identity so that it loads
them, waits for every Deployment of the release to be rolled out, and port-forwards the
gateway to a local port (E2E_HTTP_PORT, default a free one) with the `kubernetes`
client. The journeys then run unchanged against `base_url`, with `households`, as they
do against the local platform.

The release must have been installed with demo households enabled, which production
never has: charts/sbc-platform/ci/e2e-values.yaml mounts the Secret sbc-e2e-seed as
IDENTITY_SEED_FILE (README.md, "End-to-end tests against a cluster").

KUBECONFIG alone does not switch the suite to a cluster, on purpose: a developer's
current context may be production. What only the local platform has (pids to kill -9,
its SQLite files, its fixed ports, the OTLP receiver in the test process) makes a test
skip here: `platform.local` is False, any other local-only attribute skips the test that
asks for it, and tests marked `local_only` are skipped (e2e/conftest.py).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from e2e.seed import Seed

INSTANCE = "app.kubernetes.io/instance"
COMPONENT = "app.kubernetes.io/component"
SEED_ENV = "IDENTITY_SEED_FILE"
KEEP_ENTRIES = 200  # the seed Secret keeps the latest runs' entries (identity keeps all it loaded)
# The Secrets the chart's pods mount that the e2e cluster makes itself (the volumes' names).
RECORD_KEYS_VOLUME = "record-keys"
KAFKA_CA_VOLUME = "kafka-ca"


def cluster_mode() -> bool:
    return bool(os.environ.get("E2E_KUBECONFIG"))


SEED_KEYS = {"households": "id", "staff": "username", "departments": "client_id"}


def record_keys(services: list[str]) -> dict[str, str]:
    """A fresh Ed25519 key pair per service, as the Secret's data (recordSigning.existingSecret):
    <service>.pem (PKCS#8) and <service>.pub, base64."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    data = {}
    for service in services:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        data[f"{service}.pem"] = base64.b64encode(pem).decode()
        data[f"{service}.pub"] = base64.b64encode(pub).decode()
    return data


def merge_seed(current: dict, addition: dict) -> dict:
    """The seed with this run's entries added (the oldest of each list dropped past KEEP_ENTRIES)."""
    out = dict(current)
    for field, key in SEED_KEYS.items():
        new = addition.get(field) or []
        if new:
            ids = {x[key] for x in new}
            out[field] = ([x for x in current.get(field, []) if x[key] not in ids] + new)[-KEEP_ENTRIES:]
    return out


class NoTraces:
    """The `otlp` fixture against a cluster: the pods export wherever the release says
    (telemetry.otlpEndpoint), not to the test process, so trace assertions skip."""

    port = None

    def trace(self, trace_id: str) -> list[dict]:
        pytest.skip(
            "traces are collected only when the suite runs the platform locally "
            "(the OTLP receiver is in the test process)"
        )

    def stop(self) -> None:
        pass


class Forwarder:
    """A local TCP port whose every connection is relayed to a new upstream socket, e.g. a
    Kubernetes port-forward stream to a pod (kubectl port-forward, in Python)."""

    def __init__(self, open_upstream: Callable[[], socket.socket], port: int = 0):
        self.open_upstream = open_upstream
        self.listener = socket.create_server(("127.0.0.1", port))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._accept, name="e2e-port-forward", daemon=True)

    def start(self) -> Forwarder:
        self.thread.start()
        return self

    def _accept(self) -> None:
        self.listener.settimeout(0.5)
        while not self.stopping.is_set():
            try:
                local, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(local,), daemon=True).start()

    def _serve(self, local: socket.socket) -> None:
        try:
            upstream = self.open_upstream()
        except Exception as exc:  # the pod went away: the client sees a closed connection
            self.errors.append(f"{type(exc).__name__}: {exc}")
            local.close()
            return
        done = threading.Event()

        def pump(src, dst):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                done.set()

        threading.Thread(target=pump, args=(upstream, local), daemon=True).start()
        pump(local, upstream)
        done.wait(1)
        for s in (local, upstream):
            try:
                s.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.stopping.set()
        self.listener.close()


class ClusterPlatform:
    """The release on a cluster, with the interface of e2e.platform.Platform that the
    journeys use: run_id, seed (households_of), base_url, http_port."""

    local = False
    poll_seconds = 2.0

    def __init__(self, kubeconfig: str, namespace: str = "sbc", release: str = "sbc", context: str | None = None):
        from kubernetes import client, config

        self.api_client = config.new_client_from_config(config_file=os.path.expanduser(kubeconfig), context=context)
        self.core = client.CoreV1Api(self.api_client)
        self.apps = client.AppsV1Api(self.api_client)
        self.namespace = namespace
        self.release = release
        self.run_id = uuid.uuid4().hex[:8]
        self.seed = Seed(self.run_id)
        self.forwarder: Forwarder | None = None
        self.http_port = int(os.environ.get("E2E_HTTP_PORT") or 0)
        self.base_url = ""

    @classmethod
    def from_env(cls) -> ClusterPlatform:
        return cls(
            os.environ["E2E_KUBECONFIG"],
            namespace=os.environ.get("E2E_NAMESPACE", "sbc"),
            release=os.environ.get("E2E_RELEASE", "sbc"),
            context=os.environ.get("E2E_KUBE_CONTEXT") or None,
        )

    # --- what only the local platform has ---

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        pytest.skip(f"platform.{name} exists only when the suite runs the platform locally (not against a cluster)")

    # --- the release ---

    def deployments(self) -> list:
        found = self.apps.list_namespaced_deployment(self.namespace, label_selector=f"{INSTANCE}={self.release}").items
        if not found:
            raise RuntimeError(
                f"no Deployment of release {self.release!r} in namespace {self.namespace!r}: install the chart first "
                "(README.md, 'End-to-end tests against a cluster')"
            )
        return found

    def deployment(self, component: str):
        for d in self.deployments():
            if d.spec.template.metadata.labels.get(COMPONENT) == component:
                return d
        raise RuntimeError(f"release {self.release!r} has no {component} Deployment")

    def start(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        self.make_secrets()
        self.load_households()
        self.wait_for_rollouts(deadline)
        gateway = self.deployment("gateway")
        port = gateway.spec.template.spec.containers[0].ports[0].container_port
        self.forwarder = Forwarder(lambda: self._pod_socket("gateway", port), self.http_port).start()
        self.http_port = self.forwarder.port
        self.base_url = f"http://127.0.0.1:{self.http_port}"
        while time.monotonic() < deadline:
            try:
                # /readyz is the gateway's own; /status says when every dependency answers too.
                if httpx.get(f"{self.base_url}/status", timeout=5).json()["status"] == "ok":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError(
            f"the gateway of release {self.release!r} is not ready through the port-forward: "
            f"{self.forwarder.errors[-3:]}"
        )

    def seed_entries(self) -> dict:
        """What this run adds to the seed: its households, staff and departments (e2e/seed.py)."""
        return self.seed.as_seed_file()

    def households_of(self, module: str) -> list[dict]:
        return self.seed.households[module]

    def _mounted_secret(self, volume: str) -> str | None:
        """The name of the Secret the release's pods mount as `volume`, if any does."""
        for d in self.deployments():
            for v in d.spec.template.spec.volumes or []:
                if v.name == volume and v.secret:
                    return v.secret.secret_name
        return None

    def _has_secret(self, name: str, namespace: str) -> bool:
        from kubernetes import client

        try:
            self.core.read_namespaced_secret(name, namespace)
            return True
        except client.ApiException as exc:
            if exc.status != 404:
                raise
            return False

    def make_secrets(self) -> None:
        """The Secrets a test cluster's pods wait for (their pods start once these exist): the
        record-signing keys (a key pair per service of the registry, made once and then kept, so the
        relays and the gateway agree), and the brokers' CA, copied from Kafka's namespace
        (E2E_KAFKA_NAMESPACE, default sbc-infra), where Strimzi writes it."""
        from kubernetes import client

        from runtime import registry

        keys = self._mounted_secret(RECORD_KEYS_VOLUME)
        if keys and not self._has_secret(keys, self.namespace):
            meta = client.V1ObjectMeta(name=keys, labels={"sbc.io/e2e": "record-keys"})
            data = record_keys(sorted(registry.load().services))
            self.core.create_namespaced_secret(self.namespace, client.V1Secret(metadata=meta, data=data))
        ca = self._mounted_secret(KAFKA_CA_VOLUME)
        if ca and not self._has_secret(ca, self.namespace):
            source = self.core.read_namespaced_secret(ca, os.environ.get("E2E_KAFKA_NAMESPACE", "sbc-infra"))
            meta = client.V1ObjectMeta(name=ca, labels={"sbc.io/e2e": "kafka-ca"})
            data = {"ca.crt": source.data["ca.crt"]}
            self.core.create_namespaced_secret(self.namespace, client.V1Secret(metadata=meta, data=data))

    def load_households(self) -> None:
        """Write this run's seed into the seed Secret and restart identity, which loads the
        seed when it starts (entries are upserted: earlier runs' stay)."""
        from kubernetes import client

        identity = self.deployment("identity")
        pod = identity.spec.template.spec
        container = pod.containers[0]
        path = next((e.value for e in container.env or [] if e.name == SEED_ENV), None)
        mount = next(
            (m for m in container.volume_mounts or [] if path and path.startswith(m.mount_path.rstrip("/") + "/")), None
        )
        volume = next((v for v in pod.volumes or [] if mount and v.name == mount.name and v.secret), None)
        if volume is None:
            raise RuntimeError(
                f"identity of release {self.release!r} loads no demo households ({SEED_ENV} from a Secret): "
                "install it with -f charts/sbc-platform/ci/e2e-values.yaml"
            )
        name = volume.secret.secret_name
        key = path[len(mount.mount_path.rstrip("/")) + 1 :]
        if volume.secret.items:
            key = next(i.key for i in volume.secret.items if i.path == key)
        try:
            secret = self.core.read_namespaced_secret(name, self.namespace)
            current = json.loads(base64.b64decode((secret.data or {}).get(key, "") or b"e30=") or "{}")
        except client.ApiException as exc:
            if exc.status != 404:
                raise
            secret, current = None, {}
        merged = json.dumps(merge_seed(current, self.seed_entries()), ensure_ascii=False)
        data = {key: base64.b64encode(merged.encode()).decode()}
        if secret is None:
            self.core.create_namespaced_secret(
                self.namespace,
                client.V1Secret(metadata=client.V1ObjectMeta(name=name, labels={"sbc.io/e2e": "seed"}), data=data),
            )
        else:
            self.core.patch_namespaced_secret(name, self.namespace, {"data": data})
        # A new pod template: identity restarts and loads the seed (the Secret's file is read on start).
        self.apps.patch_namespaced_deployment(
            identity.metadata.name,
            self.namespace,
            {"spec": {"template": {"metadata": {"annotations": {"sbc.io/e2e-run": self.run_id}}}}},
        )

    def wait_for_rollouts(self, deadline: float) -> None:
        pending: list[str] = []
        while time.monotonic() < deadline:
            pending = []
            for d in self.deployments():
                s, want = d.status, d.spec.replicas if d.spec.replicas is not None else 1
                if (
                    (s.observed_generation or 0) < d.metadata.generation
                    or (s.updated_replicas or 0) < want
                    or (s.available_replicas or 0) < want
                    or (s.replicas or 0) > want
                ):
                    pending.append(d.metadata.name)
            if not pending:
                return
            time.sleep(self.poll_seconds)
        raise RuntimeError(f"not rolled out in time: {', '.join(pending)}")

    def _pod_socket(self, component: str, port: int):
        """A stream to `port` of a ready pod of the component (a new one if the last went away)."""
        from kubernetes.stream import portforward

        selector = f"{INSTANCE}={self.release},{COMPONENT}={component}"
        for pod in self.core.list_namespaced_pod(self.namespace, label_selector=selector).items:
            ready = any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions or [])
            if ready and not pod.metadata.deletion_timestamp:
                pf = portforward(
                    self.core.connect_get_namespaced_pod_portforward, pod.metadata.name, self.namespace, ports=str(port)
                )
                sock = pf.socket(port)
                sock.setblocking(True)
                return sock
        raise RuntimeError(f"no ready {component} pod")

    def stop(self) -> None:
        if self.forwarder:
            self.forwarder.stop()
        self.api_client.close()
