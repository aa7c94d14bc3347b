"""Kafka trusts no stranger (issue 10, item 10): a broker of this module's own, started by infra/local
as `KAFKA_SECURE=1 infra.sh up kafka` (SASL_SSL with SCRAM, ACLs per service principal from the
registry: runtime.kafka_security), on ports and in a data folder of its own, so the shared broker is
untouched. A client without credentials, with a wrong password or without TLS is refused; a service
signed in as itself may write only its own topics, read only what it consumes, join only its own
groups; the gateway only reads what it streams. The runtime's relay and reader work as their
service on it."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid

import pytest
from kafka.errors import GroupAuthorizationFailedError, KafkaError, TopicAuthorizationFailedError
from sqlalchemy import MetaData

from e2e.platform import ROOT, free_port_block
from runtime import kafka_clients, outbox
from runtime.db import Database
from runtime.outbox import Relay
from runtime.reader import TopicTail
from runtime.record_signing import signer_for, verifier_for
from sbc.events.v1 import alert_events_pb2

pytestmark = pytest.mark.infra

INFRA = ROOT / "infra" / "local" / "infra.sh"
BROADCAST = "sbc.alerts.broadcast.v1"
PUSH = "sbc.notifications.push.v1"
FAST = {"request_timeout_ms": 5_000}


@pytest.fixture(scope="module")
def secure_kafka(tmp_path_factory):
    """The broker's address and the client settings `infra.sh env` gives for it. E2E_SECURE_KAFKA_PORT
    and E2E_SECURE_KAFKA_VAR_DIR: use a secure broker already running there (left running)."""
    reuse = bool(os.environ.get("E2E_SECURE_KAFKA_PORT"))
    port = int(os.environ.get("E2E_SECURE_KAFKA_PORT") or free_port_block())
    env = {
        **os.environ,
        "KAFKA_SECURE": "1",
        "KAFKA_PORT": str(port),
        "KAFKA_CONTROLLER_PORT": str(port + 1),
        "INFRA_VAR_DIR": os.environ.get("E2E_SECURE_KAFKA_VAR_DIR")
        or str(tmp_path_factory.mktemp("kafka-acl") / "var"),
        # JVM start, storage format, topics and ACLs: over a minute on a loaded 2-core machine.
        "KAFKA_TIMEOUT": "240",
    }
    up = subprocess.run(["bash", str(INFRA), "up", "kafka"], env=env, capture_output=True, text=True, timeout=300)
    try:
        if up.returncode != 0:
            pytest.fail(f"the secure broker did not start:\n{up.stdout}\n{up.stderr}")
        out = subprocess.run(["bash", str(INFRA), "env"], env=env, capture_output=True, text=True, check=True).stdout
        settings = dict(
            line.removeprefix("export ").split("=", 1) for line in out.splitlines() if line.startswith("export KAFKA_")
        )
        assert settings["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        yield settings
    finally:
        if not reuse:
            subprocess.run(["bash", str(INFRA), "down", "kafka"], env=env, capture_output=True, timeout=120)


@pytest.fixture
def as_user(secure_kafka, monkeypatch):
    """Sign in as `user` (None: no Kafka settings at all, a stranger's plain client)."""

    def use(user: str | None, **overrides: str) -> str:
        for name in ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_CA_FILE", "KAFKA_CREDENTIALS_FILE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv("KAFKA_PASSWORD", raising=False)
        monkeypatch.delenv("KAFKA_PREFIX", raising=False)
        if user is not None:
            for name, value in {**secure_kafka, **overrides}.items():
                if name != "KAFKA_BOOTSTRAP_SERVERS":
                    monkeypatch.setenv(name, value)
            monkeypatch.setenv("KAFKA_USERNAME", user)
        return secure_kafka["KAFKA_BOOTSTRAP_SERVERS"]

    return use


def produce(bootstrap: str, topic: str, wait_ms: int = 8_000) -> None:
    producer = kafka_clients.producer(
        bootstrap,
        max_block_ms=wait_ms,
        bootstrap_timeout_ms=wait_ms,
        delivery_timeout_ms=10_000,
        retries=0,
        enable_idempotence=False,
        **FAST,
    )
    try:
        producer.send(topic, key=b"k", value=uuid.uuid4().bytes).get(timeout=15)
    finally:
        producer.close(timeout=2)


def read_from_start(bootstrap: str, topic: str, group: str | None = None) -> list:
    """The topic's records from its start (a group's member when `group` is given)."""
    from kafka import TopicPartition

    consumer = kafka_clients.consumer(bootstrap, group_id=group, enable_auto_commit=False, **FAST)
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise TopicAuthorizationFailedError(topic)  # the metadata hides a topic one may not describe
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        records: list = []
        deadline = time.monotonic() + 20
        while not records and time.monotonic() < deadline:
            records = [r for rs in consumer.poll(timeout_ms=500).values() for r in rs]
        if group:
            consumer.commit()  # a group's offsets: only its members may commit them
        return records
    finally:
        consumer.close(autocommit=False)


def test_a_stranger_is_refused(as_user):
    # No credentials, no TLS: the listener speaks only SASL_SSL.
    bootstrap = as_user(None)
    with pytest.raises(KafkaError):
        produce(bootstrap, BROADCAST, wait_ms=2_000)
    # A service's name with a wrong password.
    as_user("alerts", KAFKA_CREDENTIALS_FILE="/dev/null")
    os.environ["KAFKA_PASSWORD"] = "not-the-password"
    try:
        with pytest.raises(KafkaError):
            produce(bootstrap, BROADCAST, wait_ms=2_000)
    finally:
        del os.environ["KAFKA_PASSWORD"]
    # The right password without TLS.
    as_user("alerts", KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT")
    with pytest.raises(KafkaError):
        produce(bootstrap, BROADCAST, wait_ms=2_000)


def test_each_principal_may_do_only_what_the_registry_says(as_user):
    bootstrap = as_user("alerts")
    produce(bootstrap, BROADCAST)  # its own topic
    as_user("notifications")
    produce(bootstrap, PUSH)
    # Another service's credentials for the alert topic: the fault test's stranger inside the cluster.
    for user in ("gateway", "servicedesk", "notifications"):
        as_user(user)
        with pytest.raises(TopicAuthorizationFailedError):
            produce(bootstrap, BROADCAST)
    as_user("gateway")
    assert read_from_start(bootstrap, BROADCAST), "the gateway reads what it streams"
    as_user("servicedesk")
    with pytest.raises(TopicAuthorizationFailedError):
        read_from_start(bootstrap, BROADCAST)  # nothing of servicedesk's reads it
    as_user("education")
    with pytest.raises(GroupAuthorizationFailedError):
        read_from_start(bootstrap, BROADCAST, group="alerts-loudspeakers")  # another service's group


def test_the_alerts_relay_publishes_signed_and_the_gateways_reader_gets_it(as_user, tmp_path):
    bootstrap = as_user("alerts")
    metadata = MetaData()
    outbox.define_tables(metadata)
    db = Database(f"sqlite:///{tmp_path / 'alerts.db'}")
    metadata.create_all(db.engine)
    alert_id = f"acl-{uuid.uuid4().hex[:8]}"
    as_user("gateway")
    got: list = []
    arrived = threading.Event()

    def on_record(record):
        if record.key == alert_id.encode():
            got.append(record)
            arrived.set()

    tail = TopicTail(bootstrap, BROADCAST, on_record, client_id="test-gateway")
    tail.start()
    try:
        assert tail.ready.wait(30), "the gateway's reader did not get the topic's positions"
        as_user("alerts")
        with db.transaction() as s:
            outbox.publish(
                s,
                topic=BROADCAST,
                key=alert_id,
                message=alert_events_pb2.AlertBroadcast(alert_id=alert_id, kind="alert"),
                event_type=BROADCAST,
                source="sbc/alerts",
            )
        relay = Relay(db, bootstrap, signer=signer_for("alerts"))
        assert relay.run_once() == 1
        relay._close_producer()
        assert arrived.wait(30), "the relayed alert never reached the gateway's reader"
    finally:
        tail.stop()
    assert verifier_for("alerts").problem(got[0]) == ""
