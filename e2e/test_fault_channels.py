"""Faults of the channels, on the whole platform:
- identity's keys unreachable (its server frozen with SIGSTOP, then the gateway restarted without
  the keys) answered 503, never 401 invalid_token, so the TV keeps its token; the gateway stays
  ready meanwhile and /status says what is away;
- a poison record on a topic: parked, and the channel goes on;
- a dead, a trickling and a broken loudspeaker controller: the good one gets the alert at once.
(Redis down or frozen: gateway/tests/test_degraded.py, on a Redis of its own, since the platform's
Redis is shared. A stranger refused by Kafka: see the Kafka ACL tests.)"""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from e2e.platform import sign_in_tv
from e2e.test_alerts_e2e import SAMPLES, staff_token

pytestmark = pytest.mark.infra


def wait_for(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
            if value:
                return value
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_with_identity_frozen_a_signed_in_tv_gets_503_and_keeps_its_token(platform, client):
    household = platform.households_of("fault_channels")[0]
    token = sign_in_tv(client, household, f"STB-{platform.run_id}-channels")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/servicedesk/requests", headers=auth).status_code == 200

    identity = platform.pid("identity")
    os.kill(identity, signal.SIGSTOP)
    try:
        status = wait_for(
            lambda: (s := client.get("/status").json())["dependencies"]["identity"]["state"] != "SERVING" and s,
            "the gateway's /status did not notice identity away",
        )
        assert status["status"] == "degraded"
        assert client.get("/readyz").json() == {"status": "ready"}
        # The gateway and the service desk verified this token before: it is still served.
        assert client.get("/v1/servicedesk/requests", headers=auth).status_code == 200

        # A gateway that starts now cannot fetch the keys: the token is not the TV's fault.
        platform.kill9("gateway")
        wait_for(lambda: client.get("/readyz").status_code == 200, "the gateway did not come back")
        r = client.get("/v1/servicedesk/requests", headers=auth)
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"].isdigit()
        assert "invalid_token" not in r.headers.get("www-authenticate", "")
    finally:
        os.kill(identity, signal.SIGCONT)
    # Identity back: the same token works again, without signing in.
    wait_for(
        lambda: client.get("/v1/servicedesk/requests", headers=auth).status_code == 200,
        "the TV's token was not accepted again",
    )


def test_a_poison_record_is_parked_and_the_households_push_still_comes(platform, client):
    """Two bad records on the service desk's topic, in the household's own partition (its key):
    one that is no event at all, one whose event can't be decoded. The notifications consumer
    parks both (the second after its bounded retries) and goes on: the household's next request
    still reaches its TV, and `dead-letters list` shows both."""
    import json
    import subprocess
    import sys
    import uuid

    from e2e.platform import ROOT, SseListener
    from runtime import kafka_clients

    household = platform.households_of("fault_channels")[0]
    token = sign_in_tv(client, household, f"STB-{platform.run_id}-poison")
    stream = SseListener(platform.base_url, token).start()
    poison_id = f"poison-{uuid.uuid4().hex[:8]}"
    producer = kafka_clients.producer(platform.env["KAFKA_BOOTSTRAP_SERVERS"])
    topic = platform.env["KAFKA_PREFIX"] + "sbc.servicedesk.requests.v1"
    key = household["id"].encode()
    producer.send(topic, key=key, value=b"\x00 not an event")
    ce = {
        "ce_specversion": "1.0",
        "ce_id": poison_id,
        "ce_type": "sbc.servicedesk.request.submitted.v1",
        "ce_source": "sbc/servicedesk",
    }
    producer.send(topic, key=key, value=b"\xff\xfe\xfd", headers=[(k, v.encode()) for k, v in ce.items()])
    producer.flush(10)
    producer.close()
    try:
        r = client.post(
            "/v1/servicedesk/requests",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": poison_id},
            json={"service_type": "fault_repair_general", "description": "毒记录之后的报修"},
        )
        assert r.status_code == 201, r.text
        reference = r.json()["reference_number"]
        pushed = stream.wait_for(
            lambda e: e["event"] == "service_request.received" and reference in e["data"]["body"], timeout=60
        )
        assert pushed
    finally:
        stream.stop()
    listed = subprocess.run(
        [sys.executable, "-m", "notifications", "dead-letters", "list", "--json"],
        cwd=ROOT,
        env={**platform.env, "PYTHONPATH": f"{ROOT / 'services'}:{ROOT / 'protos'}:{ROOT}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    parked = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    ours = [p for p in parked if p["topic"] == topic and p["key"] == household["id"]]
    assert {(p["is_event"], p["status"]) for p in ours} == {(False, "not-an-event"), (True, "parked")}, ours
    assert next(p for p in ours if p["is_event"])["id"] == poison_id


def test_a_dead_a_trickling_and_a_broken_controller_never_hold_up_a_villages_loudspeaker(platform, client):
    """Four controllers in one village (one of Wangdian where no e2e household lives): a
    good one, one that replies `[]`, one that trickles a byte every 4 s, one where nothing listens.
    The platform's loudspeaker worker gives the good one the alert at once, cuts the trickling one
    off at the delivery's deadline, and counts only the good one's reply."""
    import socket
    import uuid

    from alerts.tests.test_loudspeakers import ListReplier, Trickler

    village = "330411104201"
    good, trickler = ListReplier(), Trickler(every=4.0)
    dead = socket.create_server(("127.0.0.1", 0))
    dead_url = f"http://127.0.0.1:{dead.getsockname()[1]}/ebd"
    dead.close()  # nothing listens there
    issuer = staff_token(client, platform, "issuer")
    tag = uuid.uuid4().hex[:6]
    try:
        for name, url in [
            (f"LS-OK-{tag}", f"{good.url}/LS-OK-{tag}"),
            (f"LS-LIST-{tag}", f"{good.url}/LS-LIST-{tag}"),
            (f"LS-SLOW-{tag}", trickler.url),
            (f"LS-DEAD-{tag}", dead_url),
        ]:
            body = {"channel": "loudspeaker", "terminal_id": name, "area_code": village, "endpoint": url}
            r = client.post("/v1/alerts/terminals", json=body, headers=issuer)
            assert r.status_code == 201, r.text
        cap = (
            (SAMPLES / "national_rainstorm.xml")
            .read_text(encoding="utf-8")
            .replace("<value>330411105</value>", f"<value>{village}</value>")
            .replace("33041141600000_20260701130000", f"fault-{tag}")
        )
        department = platform.seed.departments["trusted"]
        t = client.post("/v1/identity/token", data={"grant_type": "client_credentials", **department})
        r = client.post(
            "/v1/alerts/cap",
            content=cap.encode(),
            headers={"Authorization": f"Bearer {t.json()['access_token']}", "Content-Type": "application/cap+xml"},
        )
        assert r.status_code == 201, r.text
        alert_id = r.json()["id"]
        manager = staff_token(client, platform, "approver")

        def loudspeakers():
            rows = client.get(f"/v1/alerts/{alert_id}/status", headers=manager).json()["rows"]
            return [x for x in rows if x["channel"] == "loudspeaker"]

        rows = wait_for(lambda: (rows := loudspeakers()) and rows[0].get("displayed") == 1 and rows, "no reply counted")
        assert not trickler.hung_up, "the good controller's reply waited for the trickling one"
        assert [(x["targeted"], x.get("displayed")) for x in rows] == [(4, 1)], "only the good one's reply counts"
        # The `[]` reply was read and refused (the platform re-delivers every 3 s), and the worker goes on.
        assert good.tries.get(f"LS-LIST-{tag}", 0) >= 1 and good.problems == []
        # The trickling one is cut off at the delivery's deadline (15 s), not left to finish.
        wait_for(lambda: trickler.hung_up, "the trickling controller was never cut off", seconds=40)
        assert trickler.hung_up[0] - trickler.connected[0] < 15 + 4 + 2
        r = client.post(f"/v1/alerts/{alert_id}/cancel", json={"reason": "测试结束"}, headers=issuer)
        assert r.status_code == 200, r.text
    finally:
        good.close()
        trickler.close()
