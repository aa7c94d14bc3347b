"""Kafka as the chart renders it with SASL_SSL: a Strimzi KafkaUser per service and for the gateway,
whose ACLs are exactly the registry's grants that the local broker enforces
(runtime.kafka_security), each component signing in as its service's user with the password from
that user's Secret, the brokers' CA mounted; the record-signing keys mounted only where they belong
(a relay its service's private key, the gateway the public keys of what it streams)."""

from __future__ import annotations

import pytest

from runtime import kafka_security

from .chartlib import CHART, CRDS, by_name, checked, container_env, crd_errors, render

VALUES = CHART / "ci" / "strimzi-values.yaml"
SECURE = [
    "kafka.securityProtocol=SASL_SSL",
    "kafka.caSecret=sbc-kafka-cluster-ca-cert",
    "kafka.strimziUsers.enabled=true",
    "kafka.strimziUsers.clusterName=sbc-kafka",
    "recordSigning.existingSecret=sbc-record-keys",
]
# Strimzi's operations for each of runtime.kafka_security's.
OPERATIONS = {
    ("topic", "WRITE"): {"Write", "Describe"},
    ("topic", "READ"): {"Read", "Describe"},
    ("group", "READ"): {"Read"},
}


@pytest.fixture(scope="module")
def docs():
    return render([VALUES], SECURE)


def test_each_principal_has_a_kafka_user_with_exactly_the_registrys_grants(docs):
    users = by_name(docs, "KafkaUser")
    assert set(users) == {f"sbc-{p}" for p in kafka_security.principals()}
    wanted: dict[tuple, set] = {}
    for g in kafka_security.grants():
        key = (f"sbc-{g.principal}", g.resource, g.name)
        wanted.setdefault(key, set()).update(OPERATIONS[(g.resource, g.operation)])
    rendered: dict[tuple, set] = {}
    for name, user in users.items():
        assert user["metadata"]["labels"]["strimzi.io/cluster"] == "sbc-kafka"
        assert user["spec"]["authentication"] == {"type": "scram-sha-512"}
        assert user["spec"]["authorization"]["type"] == "simple"
        for acl in user["spec"]["authorization"]["acls"]:
            assert acl["resource"]["patternType"] == "literal" and acl["host"] == "*"
            key = (name, acl["resource"]["type"], acl["resource"]["name"])
            rendered.setdefault(key, set()).update(acl["operations"])
    assert rendered == wanted
    # The alert topic: written by the alerts service only.
    writers = {k[0] for k, ops in rendered.items() if k[2] == "sbc.alerts.broadcast.v1" and "Write" in ops}
    assert writers == {"sbc-alerts"}
    if (CRDS / "strimzi-kafkauser-v1.json").exists():
        for user in users.values():
            assert crd_errors(user) == []
        checked("KafkaUsers valid against Strimzi's KafkaUser schema")
    checked("a KafkaUser per service and for the gateway, with exactly runtime.kafka_security's grants")


def test_each_kafka_client_signs_in_as_its_service_over_tls(docs):
    deployments = by_name(docs, "Deployment")
    seen = 0
    for name, d in deployments.items():
        spec = d["spec"]["template"]["spec"]
        env = container_env(spec["containers"][0], docs)
        if "KAFKA_SECURITY_PROTOCOL" not in env:
            continue
        seen += 1
        principal = "gateway" if name == "sbc-gateway" else name.removeprefix("sbc-").split("-")[0]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL" and env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["KAFKA_USERNAME"] == f"sbc-{principal}", name
        ref = env["KAFKA_PASSWORD"]["secretKeyRef"]
        assert (ref["name"], ref["key"]) == (f"sbc-{principal}", "password"), name
        (ca,) = [v for v in spec["volumes"] if v["name"] == "kafka-ca"]
        assert ca["secret"]["secretName"] == "sbc-kafka-cluster-ca-cert"
        assert env["KAFKA_CA_FILE"] == "/var/run/secrets/sbc/kafka-ca/ca.crt"
    assert seen >= 10, "every relay, consumer and the gateway"
    checked("every Kafka client signs in with SCRAM over TLS as its own service's user")


def test_record_keys_are_mounted_only_where_they_belong(docs):
    deployments = by_name(docs, "Deployment")

    def keys(name: str) -> list[str]:
        volumes = deployments[name]["spec"]["template"]["spec"]["volumes"]
        return [i["key"] for v in volumes if v["name"] == "record-keys" for i in v["secret"]["items"]]

    assert keys("sbc-alerts-relay") == ["alerts.pem"]
    assert keys("sbc-notifications-relay") == ["notifications.pem"]
    assert keys("sbc-gateway") == ["alerts.pub", "eldercare.pub", "notifications.pub"]
    assert keys("sbc-alerts") == [] and keys("sbc-alerts-loudspeakers") == []
    gateway = container_env(deployments["sbc-gateway"]["spec"]["template"]["spec"]["containers"][0], docs)
    assert gateway["ALERTS_RECORD_PUBLIC_KEYS"] == "/var/run/secrets/sbc/record-keys/alerts.pub"
    checked("a relay mounts only its service's signing key; the gateway only the public keys")


def test_plaintext_renders_no_users_and_no_credentials():
    docs = render(
        [VALUES],
        ["recordSigning.existingSecret=", "kafka.strimziUsers.enabled=false", "kafka.securityProtocol=PLAINTEXT"],
    )
    assert not by_name(docs, "KafkaUser") and not [d for d in docs if d["kind"] == "Secret"]
    for d in by_name(docs, "Deployment").values():
        spec = d["spec"]["template"]["spec"]
        env = container_env(spec["containers"][0], docs)
        assert "KAFKA_PASSWORD" not in env and env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT") == "PLAINTEXT"
        assert "RECORD_SIGNING_KEY_FILE" not in env and not [v for v in spec["volumes"] if v["name"] == "record-keys"]
