"""Web Push to the phone app through the real gateway (test_rate_limit.py's running_gateway), the
real Kafka (a push topic of this module's own) and the real Redis, with a local push endpoint
standing in for the browser's push service (none is reachable here): it receives what the gateway
posts and decrypts it with the subscription's private key (RFC 8291, aes128gcm, http_ece), and
checks the VAPID signature (RFC 8292). Bad subscriptions, callers who may not, messages for
other households or for one box, a subscription the push service dropped (410) and unsubscribing."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.tests.test_degraded import wait_for_status
from gateway.tests.test_rate_limit import KID, running_gateway, unused_addr
from gateway.tests.test_streams import device_token, keys_server, push_topics  # noqa: F401 (fixtures)
from runtime import kafka_clients
from runtime.auth import ALGORITHM, AUDIENCE, ISSUER, Caller, CallerKind
from runtime.events import Event
from runtime.record_signing import signer_for
from sbc.events.v1 import notification_events_pb2

pytestmark = pytest.mark.infra


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A browser's push service on 127.0.0.1: what it was sent, by path; a path may answer 410."""

    def __init__(self):
        self.received: list[tuple[str, dict, bytes]] = []
        self.gone: set[str] = set()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(410 if self.path in service.gone else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sent_to(self, path: str) -> list[tuple[dict, bytes]]:
        return [(h, b) for p, h, b in self.received if p == path]


class Phone:
    """A browser's push subscription: its key pair and auth secret."""

    def __init__(self, endpoint: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.subscription = {"endpoint": endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


def member_token(keys, household_id: str) -> str:
    now = int(time.time())
    caller = Caller(
        subject=f"member:{uuid.uuid4()}", kind=CallerKind.MEMBER, household_id=household_id, area_code="330411101001"
    )
    claims = {**caller.claims(), "iat": now, "exp": now + 600, "iss": ISSUER, "aud": AUDIENCE}
    return jwt.encode(claims, keys.key, algorithm=ALGORITHM, headers={"kid": KID})


@pytest.fixture(scope="module")
def vapid(tmp_path_factory) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def push_service() -> PushService:
    service = PushService()
    yield service
    service.server.shutdown()


@pytest.fixture(scope="module")
def gateway(keys_server, push_topics, push_service, vapid, tmp_path_factory, redis_url, kafka_bootstrap):  # noqa: F811
    key_file = tmp_path_factory.mktemp("vapid") / "vapid.pem"
    key_file.write_bytes(
        vapid.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("WEB_PUSH_VAPID_KEY_FILE", str(key_file))
    mp.setenv("WEB_PUSH_SUBJECT", "mailto:noc@xiuzhou.example")
    mp.setenv("WEB_PUSH_LOCAL_ENDPOINTS", push_service.url + "/")
    with (
        running_gateway(
            identity_addr=keys_server.addr,
            redis_url=redis_url.rsplit("/", 1)[0] + "/15",
            kafka_bootstrap_servers=kafka_bootstrap,
            alerts_addr=unused_addr(),
        ) as url,
        httpx.Client(base_url=url, timeout=10) as c,
    ):
        wait_for_status(c, "push", "SERVING")
        yield c
    mp.undo()


def publish(kafka_bootstrap: str, topic: str, *messages: notification_events_pb2.PushMessage) -> None:
    producer = kafka_clients.producer(kafka_bootstrap)
    for m in messages:
        event = Event.new(m, "sbc.notifications.push.v1", "test", m.household_id)
        # Signed as the notifications relay signs (its local key pair): the gateway drops anything else.
        headers = signer_for("notifications").headers(topic, None, event.headers(), event.payload)
        producer.send(topic, value=event.payload, headers=headers)
    producer.flush(30)
    producer.close()


def wait_until(check, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_push_message_reaches_the_phones_subscription_encrypted_and_signed(
    gateway, keys_server, push_topics, push_service, vapid, kafka_bootstrap
):
    household = f"hh-webpush-{uuid.uuid4().hex[:6]}"
    member = {"Authorization": f"Bearer {member_token(keys_server, household)}"}
    r = gateway.get("/v1/terminal/web-push", headers=member)
    assert r.status_code == 200, r.text
    assert unb64(r.json()["public_key"]) == vapid.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    path = f"/push/{uuid.uuid4().hex}"
    phone = Phone(push_service.url + path)
    r = gateway.put("/v1/terminal/web-push/subscription", json=phone.subscription, headers=member)
    assert r.status_code == 204, r.text

    message = notification_events_pb2.PushMessage(
        id=str(uuid.uuid4()),
        household_id=household,
        kind="service_request.received",
        title="已收到您的一般故障维修申请",
        body="受理编号 SR-20261202-0001，我们会尽快与您联系。",
        opens="servicedesk.request/req-1",
    )
    others = [
        notification_events_pb2.PushMessage(id=str(uuid.uuid4()), household_id="hh-someone-else", title="别家的"),
        notification_events_pb2.PushMessage(
            id=str(uuid.uuid4()), household_id=household, device_id="box-1", title="只给一台机顶盒"
        ),
    ]
    publish(kafka_bootstrap, push_topics, *others, message)
    wait_until(lambda: push_service.sent_to(path))
    time.sleep(0.5)  # anything else would have come by now
    [(headers, body)] = push_service.sent_to(path)
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    assert phone.decrypt(body) == {
        "id": message.id,
        "kind": message.kind,
        "title": message.title,
        "body": message.body,
        "opens": "servicedesk.request/req-1",  # (what a click on the notification opens)
    }
    # VAPID: a JWT for the push service's origin, signed with the platform's key, which it names.
    scheme, _, params = headers["authorization"].partition(" ")
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    assert scheme == "vapid" and unb64(fields["k"]) == unb64(r_key(gateway, member))
    claims = jwt.decode(fields["t"], vapid.public_key(), algorithms=["ES256"], audience=push_service.url)
    assert claims["sub"] == "mailto:noc@xiuzhou.example" and claims["exp"] > time.time()


def r_key(gateway, member) -> str:
    return gateway.get("/v1/terminal/web-push", headers=member).json()["public_key"]


def test_a_dropped_subscription_is_removed_and_unsubscribing_stops_the_pushes(
    gateway, keys_server, push_topics, push_service, kafka_bootstrap
):
    household = f"hh-webpush-{uuid.uuid4().hex[:6]}"
    member = {"Authorization": f"Bearer {member_token(keys_server, household)}"}
    gone, kept = f"/push/gone-{uuid.uuid4().hex}", f"/push/kept-{uuid.uuid4().hex}"
    push_service.gone.add(gone)
    for path in (gone, kept):
        sub = Phone(push_service.url + path).subscription
        assert gateway.put("/v1/terminal/web-push/subscription", json=sub, headers=member).status_code == 204

    def push(n: int) -> None:
        publish(
            kafka_bootstrap,
            push_topics,
            notification_events_pb2.PushMessage(id=str(uuid.uuid4()), household_id=household, title=f"第{n}条"),
        )

    push(1)
    wait_until(lambda: push_service.sent_to(gone) and push_service.sent_to(kept))
    push(2)  # the push service said 410: only the kept one gets it
    wait_until(lambda: len(push_service.sent_to(kept)) == 2)
    assert len(push_service.sent_to(gone)) == 1
    r = gateway.post("/v1/terminal/web-push/unsubscribe", json={"endpoint": push_service.url + kept}, headers=member)
    assert r.status_code == 204, r.text
    push(3)
    time.sleep(1.5)
    assert len(push_service.sent_to(kept)) == 2


def test_bad_subscriptions_and_callers_who_may_not_are_refused(gateway, keys_server, push_service):
    household = f"hh-webpush-{uuid.uuid4().hex[:6]}"
    member = {"Authorization": f"Bearer {member_token(keys_server, household)}"}
    box = {"Authorization": f"Bearer {device_token(keys_server, household, 'box-1')}"}
    good = Phone(push_service.url + "/push/x").subscription
    keys = good["keys"]
    cases = [
        ({"endpoint": "http://10.0.0.7/steal", "keys": keys}, member, 400, "endpoint"),
        ({"endpoint": "https://evil.example/push", "keys": keys}, member, 400, "endpoint"),
        ({**good, "keys": {**keys, "p256dh": b64(b"\x04" + b"x" * 10)}}, member, 400, "keys.p256dh"),
        ({**good, "keys": {**keys, "auth": b64(b"short")}}, member, 400, "keys.auth"),
        ({"endpoint": good["endpoint"]}, member, 422, None),
        ({**good, "endpoint": "https://fcm.googleapis.com/" + "x" * 2000}, member, 422, None),
        ({**good, "keys": {**keys, "auth": "not base64!"}}, member, 422, None),
        (good, box, 403, None),
        (good, {}, 401, None),
    ]
    for sub, who, status, field in cases:
        r = gateway.put("/v1/terminal/web-push/subscription", json=sub, headers=who)
        assert r.status_code == status, (sub, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        if field:
            assert field in r.json()["errors"], r.text
    r = gateway.put(
        "/v1/terminal/web-push/subscription", content=b"endpoint=x", headers={**member, "content-type": "text/plain"}
    )
    assert r.status_code == 415
    assert gateway.get("/v1/terminal/web-push", headers=box).status_code == 403
    assert gateway.get("/v1/terminal/web-push").status_code == 401
