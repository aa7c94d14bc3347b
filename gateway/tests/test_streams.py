"""The push streams' limits, through the real gateway (uvicorn in a thread, gateway/tests/
test_rate_limit.py's running_gateway) and the real Kafka: a household may hold only so many
streams (429 with Retry-After past it), a box reconnecting closes its own oldest stream, and a
terminal that does not read is disconnected without holding up its household's other TVs.
Push messages are published to a push topic of this test's own (a KAFKA_PREFIX of its own)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid

import httpx
import jwt
import pytest
from sqlalchemy import MetaData

from gateway.push import ALERT_TOPIC, PUSH_TOPIC
from gateway.tests.test_degraded import wait_for_status
from gateway.tests.test_rate_limit import KID, running_gateway, unused_addr
from runtime import kafka_clients, outbox
from runtime.auth import ALGORITHM, AUDIENCE, ISSUER, Caller, CallerKind
from runtime.db import Database
from runtime.events import Event
from runtime.outbox import Relay
from runtime.record_signing import RecordSigner, signer_for
from sbc.events.v1 import alert_events_pb2, notification_events_pb2

pytestmark = pytest.mark.infra
NOTIFICATIONS = signer_for("notifications")

AREA = "330411101001"


def device_token(keys, household_id: str, device_id: str) -> str:
    now = int(time.time())
    caller = Caller(
        subject=f"device:{device_id}",
        kind=CallerKind.DEVICE,
        household_id=household_id,
        device_id=device_id,
        area_code=AREA,
    )
    claims = {**caller.claims(), "iat": now, "exp": now + 600, "iss": ISSUER, "aud": AUDIENCE}
    return jwt.encode(claims, keys.key, algorithm=ALGORITHM, headers={"kid": KID})


@pytest.fixture(scope="module")
def push_topics(kafka_bootstrap):
    """A KAFKA_PREFIX of this module's own, with its push and alert topics."""
    from kafka.admin import NewTopic

    prefix = f"test-streams-{uuid.uuid4().hex[:8]}."
    admin = kafka_clients.admin(kafka_bootstrap)
    topics = [prefix + PUSH_TOPIC, prefix + ALERT_TOPIC]
    admin.create_topics([NewTopic(t, num_partitions=1, replication_factor=1) for t in topics])
    mp = pytest.MonkeyPatch()
    mp.setenv("KAFKA_PREFIX", prefix)
    yield prefix + PUSH_TOPIC
    mp.undo()
    admin.delete_topics(topics)
    admin.close()


@pytest.fixture(scope="module")
def gateway(keys_server, push_topics, redis_url, kafka_bootstrap):
    with (
        running_gateway(
            identity_addr=keys_server.addr,
            redis_url=redis_url.rsplit("/", 1)[0] + "/15",
            kafka_bootstrap_servers=kafka_bootstrap,
            alerts_addr=unused_addr(),
            stream_limit_device=1,
            stream_limit_household=2,
            stream_buffer=20,
            stream_send_timeout=1.0,
        ) as url,
        httpx.Client(base_url=url, timeout=10) as c,
    ):
        wait_for_status(c, "push", "SERVING")
        yield url


@pytest.fixture(scope="module")
def keys_server():
    from concurrent import futures

    import grpc

    from gateway.tests.test_rate_limit import Keys
    from sbc.identity.v1 import identity_pb2_grpc

    servicer = Keys()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(servicer, server)
    servicer.addr = f"127.0.0.1:{server.add_insecure_port('127.0.0.1:0')}"
    server.start()
    yield servicer
    server.stop(0)


class Stream:
    """A TV's open stream on a socket of its own, read in a thread: the events it got, and
    whether the gateway ended it. (A socket, so that the test can hang up at any moment.)"""

    def __init__(self, url: str, token: str):
        self.events: list[tuple[str, str]] = []
        self.ended = threading.Event()
        self.status = 0
        self.sock = open_stream(url, token)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        buffer, event = b"", ""
        try:
            while chunk := self.sock.recv(1 << 16):
                buffer += chunk
                *lines, buffer = buffer.split(b"\r\n")
                for raw in lines:
                    line = raw.decode()
                    if line.startswith("HTTP/1.1 "):
                        self.status = int(line.split()[1])
                    elif line.startswith("event:"):
                        event = line.removeprefix("event:").strip()
                    elif line.startswith("data:"):
                        self.events.append((event, line.removeprefix("data:").strip()))
        except OSError:
            pass
        finally:
            self.ended.set()

    def wait_for(self, kind: str, n: int = 1, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while sum(1 for e, _ in self.events if e == kind) < n:
            assert time.monotonic() < deadline, f"{n} {kind} events expected, got {self.status} {self.events[-3:]}"
            time.sleep(0.05)

    def close(self) -> None:
        """The TV hangs up."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        assert self.ended.wait(10)


def open_stream(url: str, token: str, receive_buffer: int = 0) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    s = socket.socket()
    if receive_buffer:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    s.connect((host, int(port)))
    s.sendall(f"GET /v1/terminal/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    return s


def test_a_household_past_its_stream_limit_is_429_and_a_box_reconnecting_replaces_its_stream(gateway, keys_server):
    household = f"hh-streams-{uuid.uuid4().hex[:6]}"
    first = Stream(gateway, device_token(keys_server, household, "box-1"))
    second = Stream(gateway, device_token(keys_server, household, "box-2"))
    first.wait_for("ready")
    second.wait_for("ready")

    with httpx.Client(base_url=gateway, timeout=10) as c:
        auth = {"Authorization": f"Bearer {device_token(keys_server, household, 'box-3')}"}
        r = c.get("/v1/terminal/events", headers=auth)
        assert r.status_code == 429, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert int(r.headers["Retry-After"]) >= 1
        assert "push streams" in r.json()["detail"]
        # Another household is not held back by this one.
        other = Stream(gateway, device_token(keys_server, household + "-other", "box-9"))
        other.wait_for("ready")

    # box-1 reconnects (its old connection may be half-dead): the new stream is served, the old one ends.
    again = Stream(gateway, device_token(keys_server, household, "box-1"))
    again.wait_for("ready")
    assert first.ended.wait(10), "the box's older stream was not closed"
    assert not second.ended.is_set()

    # A stream that ends frees its place.
    second.close()
    third = Stream(gateway, device_token(keys_server, household, "box-3"))
    third.wait_for("ready")
    assert third.status == 200
    for s in (again, third, other):
        s.close()


def test_a_terminal_that_does_not_read_is_disconnected_and_holds_nobody_up(
    gateway, keys_server, kafka_bootstrap, push_topics
):
    household = f"hh-slow-{uuid.uuid4().hex[:6]}"
    reader = Stream(gateway, device_token(keys_server, household, "box-reads"))
    reader.wait_for("ready")
    # A terminal that opens its stream and then reads nothing (with a tiny receive buffer).
    stalled = open_stream(gateway, device_token(keys_server, household, "box-stalls"), receive_buffer=4096)
    time.sleep(0.5)  # its stream is registered (no data read on purpose)

    producer = kafka_clients.producer(kafka_bootstrap, max_request_size=2_000_000)
    n = 60
    body = "停电通知" * 25_000  # 300 KB a message, so the stalled socket's buffers fill up
    for i in range(n):
        message = notification_events_pb2.PushMessage(
            id=f"slow-{i}", household_id=household, kind="test.bulk", title=f"{i}", body=body
        )
        event = Event.new(message, "sbc.notifications.push.v1", "test", household)
        # Signed as the notifications relay signs (its local key pair): the gateway drops anything else.
        headers = NOTIFICATIONS.headers(push_topics, None, event.headers(), event.payload)
        producer.send(push_topics, value=event.payload, headers=headers)
    producer.flush(30)
    producer.close()

    # The TV that reads gets every message, whatever its neighbour does.
    reader.wait_for("test.bulk", n, timeout=60)
    assert [json.loads(d)["title"] for e, d in reader.events if e == "test.bulk"] == [str(i) for i in range(n)]

    # The stalled one was disconnected: reading now reaches the end of its stream.
    stalled.settimeout(10)
    deadline = time.monotonic() + 30
    while True:
        chunk = stalled.recv(1 << 20)
        if not chunk:
            break
        assert time.monotonic() < deadline, "the stalled terminal's stream was never closed"
    stalled.close()
    # Its place is free again: with the household's limit of 2, a third box gets a stream.
    third = Stream(gateway, device_token(keys_server, household, "box-new"))
    third.wait_for("ready")
    for s in (reader, third):
        s.close()


def forge(producer, topic: str, message, event_type: str, signer: RecordSigner | None = None, **tamper):
    """A record written straight to a terminal topic by someone who is not its publisher: unsigned,
    signed with a key of its own, or a genuine signature over a record then changed."""
    event = Event.new(message, event_type, "sbc/alerts", "forged")
    headers = event.headers()
    if signer is not None:
        headers = signer.headers(topic, b"forged", headers, event.payload)
    value = tamper.get("value", event.payload)
    producer.send(topic, key=b"forged", value=value, headers=headers)


def test_only_records_their_publisher_signed_reach_a_terminal(
    gateway, keys_server, kafka_bootstrap, push_topics, tmp_path
):
    """Records produced straight to the alert and push topics (no signature, another key, a signed
    record changed) are dropped and counted; a real alert, from the alerts relay, reaches the TV
    after them: the channel goes on."""
    import os

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    household = f"hh-forged-{uuid.uuid4().hex[:6]}"
    tv = Stream(gateway, device_token(keys_server, household, "box-forged"))
    tv.wait_for("ready")
    alert_topic = os.environ["KAFKA_PREFIX"] + ALERT_TOPIC

    def alert(alert_id: str) -> alert_events_pb2.AlertBroadcast:
        return alert_events_pb2.AlertBroadcast(
            alert_id=alert_id,
            kind="alert",
            identifier=alert_id,
            severity="Extreme",
            area_codes=[AREA[:9]],
            texts=[alert_events_pb2.AlertText(language="zh-CN", headline=f"{alert_id} 台风红色预警")],
        )

    stranger = RecordSigner(Ed25519PrivateKey.generate())
    producer = kafka_clients.producer(kafka_bootstrap)
    forge(producer, alert_topic, alert("forged-unsigned"), "sbc.alerts.broadcast.v1")
    forge(producer, alert_topic, alert("forged-other-key"), "sbc.alerts.broadcast.v1", stranger)
    genuine = alert("forged-changed")
    changed = alert("forged-changed-after-signing").SerializeToString()
    forge(producer, alert_topic, genuine, "sbc.alerts.broadcast.v1", signer_for("alerts"), value=changed)
    push = notification_events_pb2.PushMessage(id="forged-push", household_id=household, kind="test.forged", title="x")
    forge(producer, push_topics, push, "sbc.notifications.push.v1", stranger)
    # The alerts key signing a push record: a key of the wrong publisher for this topic.
    forge(producer, push_topics, push, "sbc.notifications.push.v1", signer_for("alerts"))
    producer.flush(10)
    producer.close()

    # The real one: through an outbox and the alerts relay, as the alerts service publishes it.
    metadata = MetaData()
    outbox.define_tables(metadata)
    db = Database(f"sqlite:///{tmp_path / 'alerts.db'}")
    metadata.create_all(db.engine)
    with db.transaction() as s:
        outbox.publish(
            s,
            topic=ALERT_TOPIC,
            key="real-1",
            message=alert("real-1"),
            event_type="sbc.alerts.broadcast.v1",
            source="sbc/alerts",
        )
    relay = Relay(db, kafka_bootstrap, signer=signer_for("alerts"))
    assert relay.run_once() == 1
    relay._close_producer()

    tv.wait_for("alert")
    with httpx.Client(base_url=gateway, timeout=10) as c:
        deadline = time.monotonic() + 10
        while (rejected := c.get("/status").json()["records_rejected"]).get(ALERT_TOPIC, 0) < 3:
            assert time.monotonic() < deadline, rejected
            time.sleep(0.1)
        assert rejected == {ALERT_TOPIC: 3, PUSH_TOPIC: 2}
    alerts = [json.loads(d) for e, d in tv.events if e == "alert"]
    assert [a["alert_id"] for a in alerts] == ["real-1"], tv.events
    assert not [e for e, _ in tv.events if e == "test.forged"]
    tv.close()


def staff_token(keys, subject: str, *roles: str, kind: str = CallerKind.STAFF) -> str:
    now = int(time.time())
    caller = Caller(subject=subject, kind=kind, area_code=AREA, roles=frozenset(roles), username=subject[-8:])
    claims = {**caller.claims(), "iat": now, "exp": now + 600, "iss": ISSUER, "aud": AUDIENCE}
    return jwt.encode(claims, keys.key, algorithm=ALGORITHM, headers={"kid": KID})


def test_a_village_agent_gets_the_pushes_addressed_to_them_and_only_signed_ones(
    gateway, keys_server, kafka_bootstrap, push_topics
):
    """A village agent's stream carries the messages notifications addressed to them (with what each
    opens), nobody else's; a household's stream never carries an agent's. A record not signed by
    notifications is dropped. Staff without pushes, and departments, are refused."""
    agent, other_agent = f"staff:{uuid.uuid4()}", f"staff:{uuid.uuid4()}"
    household = f"hh-agent-{uuid.uuid4().hex[:6]}"
    mine = Stream(gateway, staff_token(keys_server, agent, "village_agent"))
    theirs = Stream(gateway, staff_token(keys_server, other_agent, "village_agent"))
    tv = Stream(gateway, device_token(keys_server, household, "box-agent"))
    for s in (mine, theirs, tv):
        s.wait_for("ready")
    with httpx.Client(base_url=gateway, timeout=10) as c:
        for token in (
            staff_token(keys_server, f"staff:{uuid.uuid4()}", "technician"),
            staff_token(keys_server, "department:dept-x", "department_officer", kind=CallerKind.DEPARTMENT),
        ):
            r = c.get("/v1/terminal/events", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 403, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
        rejected_before = c.get("/status").json()["records_rejected"].get(PUSH_TOPIC, 0)

    opens = "egov.application/app-agent-1"
    to_agent = notification_events_pb2.PushMessage(
        id="to-agent", staff_subject=agent, kind="egov.accepted", title="已受理：临时救助申请", opens=opens
    )
    to_household = notification_events_pb2.PushMessage(
        id="to-household", household_id=household, kind="egov.accepted", title="已受理：临时救助申请", opens=opens
    )
    forged = notification_events_pb2.PushMessage(id="forged-agent", staff_subject=agent, kind="test.forged", title="x")
    producer = kafka_clients.producer(kafka_bootstrap)
    forge(producer, push_topics, forged, "sbc.notifications.push.v1")  # unsigned
    for message, key in ((to_agent, agent), (to_household, household)):
        event = Event.new(message, "sbc.notifications.push.v1", "sbc/notifications", key)
        headers = NOTIFICATIONS.headers(push_topics, key.encode(), event.headers(), event.payload)
        producer.send(push_topics, key=key.encode(), value=event.payload, headers=headers)
    producer.flush(10)
    producer.close()

    mine.wait_for("egov.accepted")
    tv.wait_for("egov.accepted")
    [(_, data)] = [(e, d) for e, d in mine.events if e == "egov.accepted"]
    got = json.loads(data)
    assert (got["id"], got["opens"], got["staff_subject"]) == ("to-agent", opens, agent)
    assert [json.loads(d)["id"] for e, d in tv.events if e == "egov.accepted"] == ["to-household"]
    assert not [e for e, _ in mine.events if e == "test.forged"]
    with httpx.Client(base_url=gateway, timeout=10) as c:
        assert c.get("/status").json()["records_rejected"].get(PUSH_TOPIC, 0) == rejected_before + 1
    assert [e for e, _ in theirs.events] == ["ready"], "another agent hears nothing of it"
    for s in (mine, theirs, tv):
        s.close()
