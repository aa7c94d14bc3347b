"""Benchmark: N set-top boxes hold their SSE stream open on one gateway process;
a trusted department submits one CAP alert for their area; how long until
each box has it, and until every box's receipt is recorded.

    make bench-alerts                 # N = 1000
    make bench-alerts N=10000         # where the machine allows

Starts the whole platform (infra/local/supervisor.py) on free ports, signs
the boxes' tokens with the identity service's own key (IDENTITY_SIGNING_KEY_FILE),
and prints p50/p99/max of the delivery times and the count received."""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import pathlib
import resource
import statistics
import sys
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from e2e.test_alerts_e2e import FLOOD, RAINSTORM, AlertsPlatform  # noqa: E402
from identity.domain import token_claims  # noqa: E402
from identity.keys import Signer, _kid  # noqa: E402
from runtime.auth import Caller, CallerKind  # noqa: E402
from runtime.events import utcnow  # noqa: E402

AREA = "330411101001"  # the flood sample targets Wangjiangjing (330411101)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def terminal(session: aiohttp.ClientSession, base: str, token: str, ready: asyncio.Event, counter: list,
                   n: int, received: dict, alert_box: dict, receipts: list, receipt_slots: asyncio.Semaphore,
                   connect_slots: asyncio.Semaphore, failures: list) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    await connect_slots.acquire()  # boxes switch on over a few seconds, not in one instant
    try:
        await _stream(session, base, token, headers, ready, counter, n, received, alert_box, receipts, receipt_slots,
                      connect_slots)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        failures.append(repr(exc)[:300])
        ready.set()


async def _stream(session, base, token, headers, ready, counter, n, received, alert_box, receipts, receipt_slots,
                  connect_slots) -> None:
    async with session.get(f"{base}/v1/terminal/events", headers=headers, timeout=aiohttp.ClientTimeout(total=None)) as r:
        if r.status != 200:
            connect_slots.release()
            raise RuntimeError(f"stream refused: {r.status} {(await r.text())[:200]}")
        event, data = "", ""
        async for raw in r.content:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
            elif not line:
                if event == "ready":
                    connect_slots.release()
                    counter[0] += 1
                    if counter[0] == n:
                        ready.set()
                elif event == "alert":
                    body = json.loads(data)
                    if body["alert_id"] == alert_box.get("id") or "id" not in alert_box:
                        received[token] = time.perf_counter()
                        async with receipt_slots, session.post(f"{base}/v1/terminal/alerts/{body['alert_id']}/receipts",
                                                json={"kind": "delivered"}, headers=headers) as rr:
                            receipts.append(rr.status)
                        return
                event, data = "", ""


async def bench(n: int, platform: AlertsPlatform, signer: Signer, timeout: float) -> dict:
    base = platform.base_url
    tokens = []
    for i in range(n):
        did = str(uuid.uuid4())
        caller = Caller(subject=f"device:{did}", kind=CallerKind.DEVICE, household_id=f"hh-bench-{i}", device_id=did,
                        area_code=AREA)
        tokens.append(signer.sign(token_claims(caller, utcnow(), jti=did)))
    ready, counter, received, alert_box, receipts = asyncio.Event(), [0], {}, {}, []
    receipt_slots = asyncio.Semaphore(64)  # as many receipts in flight as a real fleet's jitter would give
    connect_slots, failures = asyncio.Semaphore(200), []
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        t_connect = time.perf_counter()
        tasks = [asyncio.create_task(terminal(session, base, t, ready, counter, n, received, alert_box, receipts, receipt_slots,
                                              connect_slots, failures))
                 for t in tokens]
        await asyncio.wait_for(ready.wait(), timeout)
        if failures:
            for t in tasks:
                t.cancel()
            raise SystemExit(f"{len(failures)} terminals could not connect, e.g. {failures[0]}")
        connected_s = time.perf_counter() - t_connect
        print(f"{n} terminals connected in {connected_s:.1f} s", flush=True)
        await asyncio.sleep(1.0)
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            d = platform.departments["trusted"]
            tok = (await c.post("/oauth/token", data={"grant_type": "client_credentials", **d})).json()["access_token"]
            # Warm up (a running platform has its Kafka producers and readers connected): one alert
            # for another town, which none of these terminals is in.
            warm = RAINSTORM.replace("33041141600000_20260701130000", f"warm-{uuid.uuid4().hex[:12]}")
            r = await c.post("/v1/alerts/cap", content=warm.encode(),
                             headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/cap+xml"})
            assert r.status_code == 201, r.text
            await asyncio.sleep(3)
            xml = FLOOD.replace("33041141600000_20260701120000", f"bench-{uuid.uuid4().hex[:12]}")
            t0 = time.perf_counter()
            r = await c.post("/v1/alerts/cap", content=xml.encode(),
                             headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/cap+xml"})
            assert r.status_code == 201, r.text
            submit_s = time.perf_counter() - t0
            alert_box["id"] = r.json()["id"]
            manager = (await c.post("/oauth/token", data={"grant_type": "password",
                                                          "username": platform.staff["approver"]["username"],
                                                          "password": platform.staff["approver"]["password"]})).json()
            deadline = time.perf_counter() + timeout
            while len(received) < n and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            lat = [v - t0 for v in received.values()]
            if lat:  # printed now: receipts from many terminals can take much longer
                print(f"alert received by {len(lat)} / {n}: p50 {statistics.median(lat) * 1000:.0f} ms  "
                      f"p99 {percentile(lat, 99) * 1000:.0f} ms  max {max(lat) * 1000:.0f} ms", flush=True)
            all_receipts_s = None
            delivered = 0
            while time.perf_counter() < deadline:
                try:
                    st = (await c.get(f"/v1/alerts/{alert_box['id']}/status", timeout=120,
                                      headers={"Authorization": f"Bearer {manager['access_token']}"})).json()
                except httpx.HTTPError:
                    continue  # the gateway is busy with the terminals: ask again
                delivered = sum(x.get("delivered", 0) for x in st["rows"] if x["channel"] == "set_top_box")
                if delivered >= n:
                    all_receipts_s = time.perf_counter() - t0
                    break
                await asyncio.sleep(0.2)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [v - t0 for v in received.values()]
    return {"terminals": n, "connected_s": connected_s, "received": len(latencies), "latencies": latencies,
            "all_receipts_s": all_receipts_s, "receipt_errors": dict(collections.Counter(s for s in receipts if s != 204)),
            "delivered_recorded": delivered, "submit_s": submit_s}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--terminals", "-n", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=180.0)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, args.terminals * 3 + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))  # the gateway inherits it through the supervisor

    key = ec.generate_private_key(ec.SECP256R1())
    platform = AlertsPlatform(None)
    key_file = platform.dir / "signing-key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    platform.env["IDENTITY_SIGNING_KEY_FILE"] = str(key_file)
    platform.env["LOG_LEVEL"] = "WARNING"
    platform.env["ALERTS_REDELIVER_SECONDS"] = "30"  # production's; the e2e tests shorten it
    print(f"starting the platform (logs: {platform.log_path}) ...", flush=True)
    platform.start()
    try:
        out = asyncio.run(bench(args.terminals, platform, Signer(_kid(key), key), args.timeout))
    finally:
        platform.stop()
    lat = out["latencies"]
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print(f"terminals connected over SSE to one gateway: {out['terminals']} (in {out['connected_s']:.1f} s)")
    print(f"CAP POST answered (validated, targeted, issued) in {ms(out['submit_s'])}")
    print(f"alert received by: {out['received']} / {out['terminals']}")
    if lat:
        print(f"time from CAP POST to terminal: p50 {ms(statistics.median(lat))}  p99 {ms(percentile(lat, 99))}  "
              f"max {ms(max(lat))}")
    receipts = f"{out['all_receipts_s']:.2f} s" if out["all_receipts_s"] else f"not reached ({out['delivered_recorded']} recorded)"
    print(f"time from CAP POST to every receipt recorded: {receipts}; receipt errors: {out['receipt_errors']}")
    return 0 if out["received"] == out["terminals"] and out["all_receipts_s"] else 1


if __name__ == "__main__":
    sys.exit(main())
