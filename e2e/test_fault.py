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
            subprocess.run(
                ["bash", str(ROOT / "infra/local/infra.sh"), "restart", "kafka"], check=True, stdout=subprocess.DEVNULL
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
