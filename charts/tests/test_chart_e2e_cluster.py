"""e2e/cluster.py without a cluster: the port-forward relay over real sockets, the seed it
writes for identity found from the chart's own rendered Deployment (so the chart and the
cluster mode agree on where the demo households go), the rollout wait, and that what only
the local platform has skips cleanly."""

from __future__ import annotations

import base64
import http.server
import json
import socket
import threading
import types

import httpx
import pytest

from e2e import cluster
from e2e.platform import Platform
from e2e.seed import Seed

from .chartlib import CHART, checked, render_ci


def test_cluster_mode_needs_e2e_kubeconfig(monkeypatch):
    monkeypatch.delenv("E2E_KUBECONFIG", raising=False)
    monkeypatch.setenv("KUBECONFIG", "/nonexistent")
    assert not cluster.cluster_mode(), "KUBECONFIG alone must not send the suite to a cluster"
    monkeypatch.setenv("E2E_KUBECONFIG", "/some/kubeconfig")
    assert cluster.cluster_mode()


def test_the_forwarder_relays_http_and_streams():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"x" * 200_000 if self.path == "/big" else b'{"status": "ready"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    opened = []

    def upstream():
        opened.append(1)
        return socket.create_connection(server.server_address)

    fwd = cluster.Forwarder(upstream).start()
    try:
        base = f"http://127.0.0.1:{fwd.port}"
        with httpx.Client(base_url=base, timeout=10) as c:
            assert c.get("/readyz").json() == {"status": "ready"}
            assert len(c.get("/big").content) == 200_000
        results = []
        threads = [
            threading.Thread(target=lambda: results.append(httpx.get(f"{base}/readyz", timeout=10).status_code))
            for _ in range(8)
        ]
        [t.start() for t in threads]
        [t.join() for t in threads]
        assert results == [200] * 8 and len(opened) >= 9
    finally:
        fwd.stop()
        server.shutdown()


def test_a_failed_upstream_closes_the_connection_and_is_recorded():
    def upstream():
        raise RuntimeError("no ready gateway pod")

    fwd = cluster.Forwarder(upstream).start()
    try:
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{fwd.port}/readyz", timeout=5)
        assert fwd.errors == ["RuntimeError: no ready gateway pod"]
    finally:
        fwd.stop()


def test_the_cluster_seeds_what_the_local_platform_seeds(tmp_path):
    local = Platform._write_seed(types.SimpleNamespace(run_id="abcd1234", dir=tmp_path))
    on_disk = json.loads((tmp_path / "seed.json").read_text(encoding="utf-8"))
    p = object.__new__(cluster.ClusterPlatform)
    p.seed = Seed("abcd1234")
    assert p.seed_entries() == on_disk == local.as_seed_file()
    assert p.households_of("journey") == local.households["journey"]


def test_the_seed_keeps_other_entries_and_a_bounded_number_of_each():
    run = Seed("r1").as_seed_file()
    seed = {
        "staff": [{"username": "s"}],
        "households": [{"id": f"old-{i}"} for i in range(cluster.KEEP_ENTRIES)],
        "x": 1,
    }
    merged = cluster.merge_seed(seed, {"households": run["households"], "staff": [{"username": "t"}]})
    assert merged["x"] == 1 and merged["staff"] == [{"username": "s"}, {"username": "t"}]
    assert len(merged["households"]) == cluster.KEEP_ENTRIES
    assert merged["households"][-len(run["households"]) :] == run["households"]
    again = cluster.merge_seed(merged, {"households": run["households"]})
    assert again["households"] == merged["households"], "the same run's entries replace, not repeat"


def _models(docs, kind, model):
    from kubernetes import client

    api = client.ApiClient()
    return [api.deserialize(json.dumps(d), model, "application/json") for d in docs if d["kind"] == kind]


class FakeApps:
    def __init__(self, deployments):
        self.items = deployments
        self.patches = []

    def list_namespaced_deployment(self, namespace, label_selector):
        key, value = label_selector.split("=")
        return types.SimpleNamespace(items=[d for d in self.items if d.metadata.labels.get(key) == value])

    def patch_namespaced_deployment(self, name, namespace, body):
        self.patches.append((name, body))


class FakeCore:
    def __init__(self):
        self.secrets = {}
        self.infra = {}  # sbc-infra's (Strimzi's CA)

    def read_namespaced_secret(self, name, namespace):
        from kubernetes.client import ApiException

        secrets = self.secrets if namespace == "sbc" else self.infra
        if name not in secrets:
            raise ApiException(status=404)
        return types.SimpleNamespace(data=secrets[name])

    def create_namespaced_secret(self, namespace, body):
        self.secrets[body.metadata.name] = body.data

    def patch_namespaced_secret(self, name, namespace, body):
        self.secrets[name].update(body["data"])


def fake_platform(docs) -> cluster.ClusterPlatform:
    # identity (the seed) and two more (the rollout wait): building the client's models is slow
    wanted = ("sbc-identity", "sbc-gateway", "sbc-servicedesk")
    docs = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] in wanted]
    p = object.__new__(cluster.ClusterPlatform)
    p.namespace, p.release, p.run_id = "sbc", "sbc", "run12345"
    p.seed = Seed(p.run_id)
    p.apps, p.core = FakeApps(_models(docs, "Deployment", "V1Deployment")), FakeCore()
    return p


def test_the_seed_goes_where_the_charts_identity_reads_it():
    p = fake_platform(render_ci(CHART / "ci" / "e2e-values.yaml"))
    p.load_households()
    data = p.core.secrets["sbc-e2e-seed"]
    assert json.loads(base64.b64decode(data["seed.json"])) == p.seed.as_seed_file()
    assert p.apps.patches == [
        ("sbc-identity", {"spec": {"template": {"metadata": {"annotations": {"sbc.io/e2e-run": "run12345"}}}}})
    ]
    first = p.seed.as_seed_file()["households"]
    p.seed = Seed("run67890")
    p.load_households()  # a second run adds to the Secret
    seeded = json.loads(base64.b64decode(p.core.secrets["sbc-e2e-seed"]["seed.json"]))["households"]
    assert seeded == first + p.seed.as_seed_file()["households"]
    checked("e2e/cluster.py: the port-forward relay, and the seed Secret found from the chart's identity Deployment")


def test_the_record_keys_and_the_kafka_ca_are_made_where_the_charts_pods_mount_them():
    from cryptography.hazmat.primitives import serialization

    from runtime import registry
    from runtime.record_signing import RecordSigner, RecordVerifier

    p = fake_platform(render_ci(CHART / "ci" / "e2e-values.yaml"))
    p.core.infra["sbc-kafka-cluster-ca-cert"] = {"ca.crt": "Q0E=", "ca.p12": "x"}
    p.make_secrets()
    keys = p.core.secrets["sbc-record-keys"]
    assert set(keys) == {f"{s}.{ext}" for s in registry.load().services for ext in ("pem", "pub")}
    # Each pair signs and checks: what a relay signs with its .pem, the gateway checks with its .pub.
    for service in ("alerts", "notifications"):
        private = serialization.load_pem_private_key(base64.b64decode(keys[f"{service}.pem"]), password=None)
        public = serialization.load_pem_public_key(base64.b64decode(keys[f"{service}.pub"]))
        signed = RecordSigner(private).headers("t", b"k", [("ce_id", b"1")], b"v")  # type: ignore[arg-type]
        record = types.SimpleNamespace(topic="t", key=b"k", headers=signed, value=b"v")
        assert RecordVerifier([public]).problem(record) == ""  # type: ignore[list-item]
    assert p.core.secrets["sbc-kafka-cluster-ca-cert"] == {"ca.crt": "Q0E="}
    p.make_secrets()  # a second run keeps them: the relays and the gateway must agree
    assert p.core.secrets["sbc-record-keys"] == keys
    checked("e2e/cluster.py: the record-signing keys and Kafka's CA made where the chart's pods mount them")


def test_a_release_without_demo_households_is_a_clear_error():
    p = fake_platform(render_ci(CHART / "ci" / "minimal-values.yaml"))
    with pytest.raises(RuntimeError, match="ci/e2e-values.yaml"):
        p.load_households()


def test_rollouts_are_waited_for():
    import time

    from kubernetes.client import V1DeploymentStatus

    p = fake_platform(render_ci(CHART / "ci" / "e2e-values.yaml"))
    for d in p.apps.items:
        d.metadata.generation = 2
        d.status = V1DeploymentStatus(observed_generation=2, updated_replicas=1, available_replicas=1, replicas=1)
    p.wait_for_rollouts(time.monotonic() + 5)
    p.apps.items[0].status.available_replicas = 0
    p.poll_seconds = 0.05
    with pytest.raises(RuntimeError, match=f"not rolled out in time: {p.apps.items[0].metadata.name}"):
        p.wait_for_rollouts(time.monotonic() + 0.1)


def test_local_only_features_skip_cleanly():
    p = object.__new__(cluster.ClusterPlatform)
    assert p.local is False
    for name in ("kill9", "pid", "data_dir", "port_base", "wait_restarted"):
        with pytest.raises(pytest.skip.Exception, match="only when the suite runs the platform locally"):
            getattr(p, name)
    with pytest.raises(pytest.skip.Exception):
        cluster.NoTraces().trace("0" * 32)
