"""Nothing lost, nothing doubled: while at least 2,000 requests are being filed,
kill -9 the relays and the consumer and restart the Kafka broker; afterwards
every acknowledged request produced exactly one push message."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import threading
import time

import httpx
import pytest

from e2e.platform import ROOT, SseListener, sign_in_tv
from runtime.testing import shared_infrastructure

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

REQUESTS = 2000
CLIENTS = 8
REF = re.compile(r"SR-\d{8}-\d{6}")


def received(stream: SseListener) -> list[dict]:
    """The stream's "request received" pushes (an emergency alert may come on it too)."""
    return [e for e in list(stream.events) if e.get("event") == "service_request.received"]


def test_acknowledged_requests_survive_crashes_and_a_broker_restart(platform, client):
    household = platform.households_of("fault")[0]
    token = sign_in_tv(client, household, serial=f"STB-{platform.run_id}-fault")
    stream = SseListener(platform.base_url, token).start()
    headers = {"Authorization": f"Bearer {token}"}

    acknowledged: dict[str, str] = {}  # idempotency key -> reference number
    lock = threading.Lock()
    faults: list[str] = []
    chaos_done = threading.Event()
    counter = iter(range(10**9))

    def file_requests():
        # Paced like a busy evening (~80 requests/s in all), and going on until the
        # faults are over, so that every fault lands while requests are being filed.
        with httpx.Client(base_url=platform.base_url, timeout=30) as c:
            while True:
                with lock:
                    if len(acknowledged) >= REQUESTS and chaos_done.is_set():
                        return
                    i = next(counter)
                key = f"fault-{platform.run_id}-{i}"
                for _attempt in range(5):  # a citizen's TV retries with the same key
                    try:
                        r = c.post(
                            "/v1/servicedesk/requests",
                            headers={**headers, "Idempotency-Key": key},
                            json={"service_type": "fault_repair_general", "description": f"fault test {i}"},
                        )
                    except httpx.HTTPError:
                        time.sleep(0.5)
                        continue
                    if r.status_code == 201:
                        with lock:
                            acknowledged[key] = r.json()["reference_number"]
                        break
                    time.sleep(0.5)
                time.sleep(CLIENTS / 80)

    def inject_faults():
        def wait_until(n):
            while len(acknowledged) < n:
                time.sleep(0.05)

        try:
            wait_until(200)
            for name in ("servicedesk-relay", "notifications-consumer"):
                old = platform.kill9(name)
                faults.append(f"kill -9 {name} at {len(acknowledged)}")
                platform.wait_restarted(name, old)
            wait_until(400)
            faults.append(f"restart kafka at {len(acknowledged)}")
            with shared_infrastructure(alone=True):  # not while the other test process's module uses it
                subprocess.run(
                    ["bash", str(ROOT / "infra/local/infra.sh"), "restart", "kafka"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            faults.append(f"kafka back at {len(acknowledged)}")
            for name in ("notifications-relay", "notifications-consumer", "servicedesk-relay"):
                old = platform.kill9(name)
                faults.append(f"kill -9 {name} at {len(acknowledged)}")
                platform.wait_restarted(name, old)
        finally:
            chaos_done.set()

    chaos = threading.Thread(target=inject_faults)
    chaos.start()
    workers = [threading.Thread(target=file_requests) for _ in range(CLIENTS)]
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    filed_in = time.monotonic() - started
    chaos.join(120)
    filed = len(acknowledged)
    assert len(faults) == 7, f"faults injected: {faults}"
    assert filed >= REQUESTS, f"only {filed} requests were acknowledged"
    ended_at = int(faults[-1].rsplit(" ", 1)[1])
    assert ended_at < filed, f"the faults must land while requests are being filed: {faults}"

    # Every acknowledged request reaches the terminal's open stream, once.
    wanted = set(acknowledged.values())
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        got = {REF.search(e["data"]["body"]).group(0) for e in received(stream)}
        if wanted <= got:
            break
        time.sleep(0.5)
    time.sleep(2)  # let any late duplicate arrive before counting
    stream.stop()
    pushed_refs = [REF.search(e["data"]["body"]).group(0) for e in received(stream)]
    missing = wanted - set(pushed_refs)
    assert not missing, f"{len(missing)} acknowledged requests got no push message (faults: {faults})"
    assert len(pushed_refs) == len(set(pushed_refs)) == filed

    # The notifications service made exactly one push message per request.
    with sqlite3.connect(platform.data_dir / "notifications.db") as db:
        rows = db.execute(
            "SELECT body, cause_event_id FROM push_messages WHERE household_id = ?", (household["id"],)
        ).fetchall()
    refs = [REF.search(body).group(0) for body, _ in rows]
    assert len(rows) == filed
    assert len(set(refs)) == filed and set(refs) == wanted
    assert len({cause for _, cause in rows}) == filed
    print(f"\nfault test: {filed} requests filed in {filed_in:.1f} s by {CLIENTS} clients; faults: {faults}")


# --- eldercare: no SOS lost while its processes die ---

SOS_BURST = 20


def test_sos_presses_while_eldercare_its_bridge_and_its_relay_are_killed_all_reach_the_care_centre(platform, client):
    """A burst of SOS presses over MQTT (remotes' SOS keys, on the devices' TLS listener): kill -9 the
    bridge, then the eldercare service and its relay, mid-burst. Afterwards every press is one alarm
    (none lost, none twice) in the care centre's list and on its live stream (the outbox, Kafka, the
    gateway)."""
    from eldercare.simulator import provision
    from eldercare.tests.broker_support import simulated

    from bench.eldercare import LiveStream
    from e2e.test_eldercare import deprovision_all, staff, wait_for

    operator = staff(client, platform, "care_operator")
    serials = [f"RC-{platform.run_id}-fault-{n}" for n in range(SOS_BURST)]
    remotes = [simulated(provision(platform.base_url, "pk-stb-remote", "demo-stb-remote-secret", s)) for s in serials]
    ids = {d.id for d in remotes}
    live = LiveStream(platform.base_url, operator["Authorization"].split()[1]).start()
    pressed: list[str] = []

    def burst():
        for d in remotes:
            d.event("sos")  # QoS 1: returns once the broker has it
            pressed.append(d.id)
            time.sleep(0.1)

    presser = threading.Thread(target=burst)
    try:
        presser.start()
        time.sleep(0.3)
        killed = {"eldercare-bridge": platform.kill9("eldercare-bridge")}
        time.sleep(0.6)
        killed |= {name: platform.kill9(name) for name in ("eldercare", "eldercare-relay")}
        presser.join(30)
        assert len(pressed) == SOS_BURST
        for name, pid in killed.items():
            platform.wait_restarted(name, pid, timeout=120)

        def listed() -> list[dict]:  # (503 until the restarted service answers)
            r = client.get("/v1/eldercare/alarms", headers=operator, params={"open_only": True, "limit": 200})
            return [a for a in r.json()["alarms"] if a["device_id"] in ids] if r.status_code == 200 else []

        found = wait_for(
            listed,
            lambda a: len(a) == SOS_BURST,
            timeout=120,  # a restarted process may take long to start on a loaded machine
        )
        assert sorted(a["device_id"] for a in found) == sorted(ids), "no SOS lost, none twice"
        assert {(a["type"], a["severity"]) for a in found} == {("sos", "CRITICAL")}
        wait_for(lambda: set(live.raised) & ids, lambda seen: seen == ids, timeout=60)
    finally:
        live.stopping.set()
        for d in remotes:
            d.close()
        deprovision_all(client, operator, ids)
