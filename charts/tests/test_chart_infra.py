"""infra/k8s: the dependencies on a cluster. Core resources against the Kubernetes schemas,
the Strimzi Kafka and KafkaNodePool against Strimzi's CRD schemas, both for the base
(production-sized) and the dev overlay (its patches applied here, as kustomize would); the
CloudNativePG resources by their structure (no schema package ships their CRDs); and that
the chart's ci values point at what infra/k8s makes."""

from __future__ import annotations

import copy

import pytest
import yaml

from .chartlib import (
    CHART,
    KUBE_VERSIONS,
    ROOT,
    checked,
    components,
    crd_errors,
    kube_errors,
    manifests,
    merged_values,
    registry,
    render,
    selects,
)

K8S = ROOT / "infra" / "k8s"


def load(folder: str) -> list[dict]:
    kust = yaml.safe_load((K8S / folder / "kustomization.yaml").read_text())
    docs = []
    for res in kust.get("resources", []):
        path = (K8S / folder / res).resolve()
        if path.is_dir():
            docs += load(str(path.relative_to(K8S)))
        else:
            assert path.is_file(), f"{folder}/kustomization.yaml: no {res}"
            docs += manifests(path.read_text())
    for patch in kust.get("patches", []):
        target = patch["target"]
        matched = [d for d in docs if d["kind"] == target["kind"] and d["metadata"]["name"] == target["name"]]
        assert matched, f"{folder}: patch target {target} not found"
        for op in yaml.safe_load(patch["patch"]):
            assert op["op"] == "replace", "only replace patches are understood here"
            for d in matched:
                parts = op["path"].strip("/").split("/")
                node = d
                for p in parts[:-1]:
                    node = node[int(p)] if isinstance(node, list) else node[p]
                last = int(parts[-1]) if isinstance(node, list) else parts[-1]
                if not isinstance(node, list):
                    assert last in node, f"{folder}: replace of a missing {op['path']}"
                node[last] = copy.deepcopy(op["value"])
    return docs


FOLDERS = ["base", "dev"]


def kind(docs, k):
    return [d for d in docs if d["kind"] == k]


@pytest.mark.parametrize("folder", FOLDERS)
def test_core_resources_match_the_kubernetes_schemas(folder):
    docs = load(folder)
    count = 0
    for d in docs:
        if "." in d["apiVersion"].split("/")[0] and not d["apiVersion"].startswith(("apps/", "networking.k8s.io/")):
            continue
        for version in KUBE_VERSIONS:
            problem = kube_errors(d, version)
            assert not problem, f"{folder}: {d['kind']}/{d['metadata']['name']} on {version}: {problem}"
        count += 1
    assert count >= 8
    checked(f"infra/k8s/{folder}: {count} core resources valid (kubernetes-validate, strict)")


@pytest.mark.parametrize("folder", FOLDERS)
def test_strimzi_resources_match_strimzis_crd_schemas(folder):
    docs = [d for d in load(folder) if d["apiVersion"].startswith("kafka.strimzi.io/")]
    assert {d["kind"] for d in docs} == {"Kafka", "KafkaNodePool"}
    for d in docs:
        errors = crd_errors(d)
        assert not errors, f"{folder}: {d['kind']}/{d['metadata']['name']}:\n" + "\n".join(errors)
    checked(f"infra/k8s/{folder}: Strimzi Kafka and KafkaNodePool valid against Strimzi's CRD schemas")


@pytest.mark.parametrize("folder", FOLDERS)
def test_kafka_is_kraft_with_the_topic_operator_and_no_auto_created_topics(folder):
    docs = load(folder)
    (kafka,) = kind(docs, "Kafka")
    pools = [
        p
        for p in kind(docs, "KafkaNodePool")
        if p["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    ]
    assert pools and {"controller", "broker"} <= {r for p in pools for r in p["spec"]["roles"]}
    config = kafka["spec"]["kafka"]["config"]
    assert config["auto.create.topics.enable"] is False
    brokers = sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"])
    assert config["min.insync.replicas"] <= config["default.replication.factor"] <= brokers
    assert "topicOperator" in kafka["spec"]["entityOperator"]
    # Nobody is trusted for being on the network: every listener is SCRAM over TLS, and nothing is
    # allowed without an ACL (the chart's KafkaUsers, reconciled in the platform's namespace).
    listeners = kafka["spec"]["kafka"]["listeners"]
    assert listeners and all(
        l["tls"] is True and l["authentication"] == {"type": "scram-sha-512"} for l in listeners
    ), listeners
    assert any(l["port"] == 9093 and l["type"] == "internal" for l in listeners)
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    assert kafka["spec"]["entityOperator"]["userOperator"]["watchedNamespace"] == "sbc"


@pytest.mark.parametrize("folder", FOLDERS)
def test_postgresql_is_one_cluster_whose_databases_the_chart_makes_from_the_registry(folder):
    """infra/k8s has the Cluster; the chart (database.cnpg, on in the ci files for infra/k8s) makes a
    DatabaseRole and a Database per service database of the registry in it, as hooks before the
    migration Jobs, kept on uninstall. CloudNativePG ships no schema package: checked by structure."""
    docs = load(folder)
    (cluster,) = kind(docs, "Cluster")
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    assert isinstance(cluster["spec"]["instances"], int) and cluster["spec"]["instances"] >= 1
    assert cluster["spec"]["storage"]["size"]
    assert "managed" not in cluster["spec"], "roles are DatabaseRoles the chart makes, not the Cluster's"
    values = CHART / "ci" / ("strimzi-values.yaml" if folder == "base" else "e2e-values.yaml")
    cnpg = merged_values(values)["database"]["cnpg"]
    assert cnpg["enabled"] and cnpg["clusterName"] == cluster["metadata"]["name"]
    assert cnpg["namespace"] == cluster["metadata"]["namespace"]
    rendered = render([values])
    roles = {d["spec"]["name"]: d for d in rendered if d["kind"] == "DatabaseRole"}
    databases = {d["spec"]["name"]: d for d in rendered if d["kind"] == "Database"}
    wanted = {c["database"] for c in components(merged_values(values)).values() if c.get("database")}
    assert wanted == {s.database for s in registry().services.values() if s.database}
    assert set(roles) == set(databases) == wanted, f"one database and role per service: {sorted(wanted)}"
    for name in wanted:
        role, db = roles[name], databases[name]
        for d in (role, db):
            assert d["apiVersion"] == "postgresql.cnpg.io/v1"
            assert d["metadata"]["namespace"] == cluster["metadata"]["namespace"]
            assert d["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
            a = d["metadata"]["annotations"]
            assert set(a["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
            assert int(a["helm.sh/hook-weight"]) < 0 and a["helm.sh/resource-policy"] == "keep"
        assert role["spec"]["login"] is True and role["spec"]["passwordSecret"]["name"] == f"sbc-pg-{name}"
        assert db["spec"]["owner"] == name and db["spec"]["databaseReclaimPolicy"] == "retain"
    checked(
        f"infra/k8s/{folder}: a CloudNativePG Cluster; the chart makes a role and a database in it per "
        f"service of the registry ({', '.join(sorted(wanted))}), checked by structure"
    )


def test_the_chart_values_point_at_what_infra_k8s_makes():
    docs = load("base")
    (kafka,) = kind(docs, "Kafka")
    ns = kafka["metadata"]["namespace"]
    port = next(l["port"] for l in kafka["spec"]["kafka"]["listeners"] if l["name"] == "scram")
    bootstrap = f"{kafka['metadata']['name']}-kafka-bootstrap.{ns}:{port}"
    for values in ("minimal-values.yaml", "strimzi-values.yaml", "production-values.yaml", "e2e-values.yaml"):
        v = merged_values(CHART / "ci" / values)
        assert v["kafka"]["bootstrapServers"] == bootstrap, values
        # SASL_SSL (the chart's default) as the KafkaUsers the User Operator reconciles, with its CA.
        k = v["kafka"]
        assert k["securityProtocol"] == "SASL_SSL" and k["caSecret"] == f"{kafka['metadata']['name']}-cluster-ca-cert"
        users = k["strimziUsers"]
        assert users["enabled"] and users["clusterName"] == kafka["metadata"]["name"], values
        watched = kafka["spec"]["entityOperator"]["userOperator"]["watchedNamespace"]
        assert (users.get("namespace") or "sbc") == watched, values
        topics = v["kafka"]["strimziTopics"]
        if topics["enabled"]:
            assert topics["clusterName"] == kafka["metadata"]["name"] and topics["namespace"] == ns
    dev_brokers = sum(p["spec"]["replicas"] for p in kind(load("dev"), "KafkaNodePool"))
    assert merged_values(CHART / "ci" / "e2e-values.yaml")["kafka"]["strimziTopics"]["replicas"] <= dev_brokers
    base_brokers = sum(p["spec"]["replicas"] for p in kind(docs, "KafkaNodePool"))
    assert merged_values(CHART / "ci" / "strimzi-values.yaml")["kafka"]["strimziTopics"]["replicas"] <= base_brokers
    # the production NetworkPolicies name the dependencies by the labels infra/k8s gives them
    prod = merged_values(CHART / "ci" / "production-values.yaml")["networkPolicy"]["dependencies"]
    assert prod["kafka"]["to"][0]["podSelector"]["matchLabels"] == {"strimzi.io/cluster": kafka["metadata"]["name"]}
    assert prod["kafka"]["ports"] == [port]
    (cluster,) = kind(docs, "Cluster")
    assert prod["postgresql"]["to"][0]["podSelector"]["matchLabels"] == {"cnpg.io/cluster": cluster["metadata"]["name"]}
    for dep in ("redis", "mosquitto"):
        pod = next(d for d in kind(docs, "Deployment") if d["metadata"]["name"] == dep)
        peer = prod["redis" if dep == "redis" else "mqtt"]["to"][0]["podSelector"]
        assert selects(peer, pod["spec"]["template"]["metadata"]["labels"]), dep
    mosquitto = next(s for s in kind(docs, "Service") if s["metadata"]["name"] == "mosquitto")
    for values in ("minimal-values.yaml", "strimzi-values.yaml", "production-values.yaml", "e2e-values.yaml"):
        mqtt = merged_values(CHART / "ci" / values)["mqtt"]
        assert mqtt["host"] == f"mosquitto.{mosquitto['metadata']['namespace']}", values
        assert mqtt["port"] == mosquitto["spec"]["ports"][0]["port"]
