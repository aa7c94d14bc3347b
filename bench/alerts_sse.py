"""Benchmark: N set-top boxes hold their SSE stream open on one gateway process;
a trusted department submits one CAP alert for their area; how long until
each box has it, and until every box's receipt is recorded. Beside it, in the
same run, a baseline: the same boxes on a bare sse-starlette app that sends one
event to every stream (no Kafka, no database, no middleware), which is what this
machine and this client can do at best.

    make bench-alerts                 # N = 1000
    make bench-alerts N=10000         # where the machine allows

Starts the whole platform (infra/local/supervisor.py) on free ports (or, with
--platform, uses a running one: CI's test runs it on the suite's), signs the
boxes' tokens with the identity service's own key (IDENTITY_SIGNING_KEY_FILE).
The boxes are spread over a few client processes (--clients, uvloop), so that
one Python process reading ten thousand streams is not what is measured; on a
small machine they still share its cores with the platform. Each box notes the
wall-clock time it read the alert and sends its receipt at once.

Prints p50/p99/max of the delivery times, the count received, the time until
every receipt was recorded, and the ratios to the baseline. --trace also prints
the alert's trace, hop by hop (collected over OTLP)."""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import pathlib
import queue
import resource
import statistics
import subprocess
import sys
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from bench.postgres import fresh_database  # noqa: E402

AREA = "330411101001"  # the flood sample targets Wangjiangjing (330411101)
FLOOD_ID = "33041141600000_20260701120000"  # the flood sample's identifier, replaced by the run's

BASELINE_APP = """
import asyncio, json
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from sse_starlette.sse import EventSourceResponse

streams = set()

async def events(request):
    q = asyncio.Queue()
    streams.add(q)
    async def gen():
        try:
            yield {"event": "ready", "data": "{}"}
            while True:
                yield await q.get()
        finally:
            streams.discard(q)
    return EventSourceResponse(gen(), ping=15)

async def fire(request):
    event = {"event": "alert", "data": json.dumps({"alert_id": "baseline", "identifier": "baseline"})}
    for q in list(streams):
        q.put_nowait(event)
    return Response(status_code=204)

async def receipt(request):
    await request.body()
    return Response(status_code=204)

app = Starlette(routes=[Route("/events", events), Route("/fire", fire, methods=["POST"]),
                        Route("/v1/alerts/{alert_id}/receipts", receipt, methods=["POST"])])
"""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- the boxes: run in client processes ---


def boxes(wid: int, base: str, path: str, tokens: list[str], in_flight: int, identifier: str, out, stop) -> None:
    """A client process: its share of the boxes; reports ("ready", ...) then ("done", ...). Each box
    counts the benchmark's alert (its CAP identifier) once: a redelivery (its receipt was slow) and
    another alert in force in the town (on a platform other tests use) are not measured."""
    import uvloop

    uvloop.run(_boxes(wid, base, path, tokens, in_flight, identifier, out, stop))


async def _boxes(wid, base, path, tokens, in_flight, identifier, out, stop) -> None:
    received: list[float] = []
    statuses: collections.Counter = collections.Counter()
    failures: list[str] = []
    ready = [0]
    all_ready, finished = asyncio.Event(), asyncio.Event()
    sending: set[asyncio.Task] = set()
    connect_slots = asyncio.Semaphore(100)  # boxes switch on over some seconds, not in one instant
    receipt_slots = asyncio.Semaphore(in_flight)

    async def receipt(alert_id: str, headers: dict) -> None:
        try:
            async with (
                receipt_slots,
                session.post(
                    f"{base}/v1/alerts/{alert_id}/receipts", json={"kind": "delivered"}, headers=headers
                ) as rr,
            ):
                statuses[rr.status] += 1
        except Exception as exc:
            failures.append(repr(exc)[:300])
        check_finished()

    def check_finished() -> None:
        if sum(statuses.values()) + len(failures) >= len(tokens):
            finished.set()

    async def box(token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        got = False
        await connect_slots.acquire()
        held = True
        try:
            async with session.get(base + path, headers=headers, timeout=aiohttp.ClientTimeout(total=None)) as r:
                if r.status != 200:
                    raise RuntimeError(f"stream refused: {r.status} {(await r.text())[:200]}")
                buf = b""
                async for chunk in r.content.iter_any():
                    buf += chunk
                    while (end := buf.find(b"\r\n\r\n")) >= 0:
                        block, buf = buf[:end], buf[end + 4 :]
                        fields = dict(line.split(b": ", 1) for line in block.split(b"\r\n") if b": " in line)
                        event = fields.get(b"event")
                        if event == b"ready":
                            connect_slots.release()
                            held = False
                            ready[0] += 1
                            if ready[0] == len(tokens):
                                all_ready.set()
                        elif event == b"alert" and not got:
                            alert = json.loads(fields[b"data"])
                            if alert.get("identifier") != identifier:
                                continue
                            got = True
                            received.append(time.time())
                            alert_id = alert["alert_id"]
                            sending.add(t := asyncio.create_task(receipt(alert_id, headers)))  # and stays connected
                            t.add_done_callback(sending.discard)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failures.append(repr(exc)[:300])
            all_ready.set()
            check_finished()
        finally:
            if held:
                connect_slots.release()

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks = [asyncio.create_task(box(t)) for t in tokens]
        await all_ready.wait()
        out.put(("ready", wid, ready[0], failures[:3]))
        while not stop.is_set() and not finished.is_set():
            await asyncio.sleep(0.1)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    out.put(("done", wid, received, dict(statuses), failures[:3]))


class Fleet:
    """The boxes, spread over `clients` processes."""

    def __init__(self, base: str, path: str, tokens: list[str], clients: int, in_flight: int, identifier: str):
        ctx = multiprocessing.get_context("spawn")
        self.out, self.stop_event = ctx.Queue(), ctx.Event()
        shares = [tokens[i::clients] for i in range(clients)]
        self.procs = [
            ctx.Process(
                target=boxes,
                args=(i, base, path, share, max(1, in_flight // clients), identifier, self.out, self.stop_event),
                daemon=True,
            )
            for i, share in enumerate(shares)
        ]
        self.n = len(tokens)

    def connect(self, timeout: float) -> float:
        t = time.perf_counter()
        for p in self.procs:
            p.start()
        connected = 0
        for _ in self.procs:
            kind, wid, count, failures = self.out.get(timeout=timeout)
            if failures:
                self.stop()
                raise SystemExit(f"client {wid}: boxes could not connect, e.g. {failures[0]}")
            connected += count
        assert connected == self.n, (connected, self.n)
        return time.perf_counter() - t

    def results(self, timeout: float) -> tuple[list[float], dict, list[str]]:
        """Receive times, receipt answers and failures, once every box is done (or at `timeout`)."""
        received, statuses, failures = [], collections.Counter(), []
        deadline = time.monotonic() + timeout
        pending = len(self.procs)
        while pending:
            try:
                _, _, r, s, f = self.out.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.stop_event.set()  # past the deadline: the boxes still waiting give up
                deadline = time.monotonic() + 30
                continue
            received += r
            statuses.update(s)
            failures += f
            pending -= 1
        return received, dict(statuses), failures

    def stop(self) -> None:
        self.stop_event.set()
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.kill()


# --- the runs ---


def baseline(n: int, clients: int, in_flight: int, timeout: float) -> dict:
    from e2e.platform import free_port

    app_dir = ROOT / "var" / "bench"
    app_dir.mkdir(parents=True, exist_ok=True)
    (app_dir / "bare_sse.py").write_text(BASELINE_APP)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_sse:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=app_dir,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(f"{base}/v1/alerts/x/receipts", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        fleet = Fleet(base, "/events", ["-"] * n, clients, in_flight, "baseline")
        connected_s = fleet.connect(timeout)
        time.sleep(1)
        t0 = time.time()
        assert httpx.post(f"{base}/fire", timeout=30).status_code == 204
        received, statuses, failures = fleet.results(timeout)
        fleet.stop()
        return {
            "connected_s": connected_s,
            "latencies": [t - t0 for t in received],
            "statuses": statuses,
            "failures": failures,
        }
    finally:
        proc.terminate()
        proc.wait(10)


@dataclasses.dataclass
class Target:
    """A running platform: its gateway, identity's signing key, and the seed's trusted department
    (it submits the CAP) and alert approver (they read the status)."""

    base_url: str
    key_file: pathlib.Path
    department: dict
    approver: dict

    @classmethod
    def of(cls, file: str) -> Target:
        d = json.loads(pathlib.Path(file).read_text(encoding="utf-8"))
        return cls(d["base_url"], pathlib.Path(d["key_file"]), d["department"], d["approver"])


def platform_run(n: int, clients: int, in_flight: int, timeout: float, trace: bool, postgres: bool) -> dict:
    """Starts a platform of its own (on fresh PostgreSQL with --postgres) and runs against it."""
    from e2e.platform import OtlpReceiver, Platform

    with contextlib.ExitStack() as stack:
        otlp = OtlpReceiver() if trace else None
        if otlp:
            otlp.start()
            stack.callback(otlp.stop)
        platform = Platform(otlp.port if otlp else None)  # its seed has the alert staff and departments
        platform.env["LOG_LEVEL"] = "WARNING"
        platform.env["ALERTS_REDELIVER_SECONDS"] = "30"  # production's; the e2e tests shorten it
        if postgres:  # the alerts service on PostgreSQL, as in production
            platform.env["ALERTS_DATABASE_URL"] = stack.enter_context(fresh_database("bench_alerts"))
        print(f"starting the platform (logs: {platform.log_path}) ...", flush=True)
        platform.start()
        stack.callback(platform.stop)
        target = Target(
            platform.base_url,
            platform.key_file,
            platform.seed.departments["trusted"],
            platform.seed.alert_staff["approver"],
        )
        out = run_against(target, n, clients, in_flight, timeout)
    if otlp:
        out["trace"] = sorted(otlp.trace(out["trace_id"]), key=lambda x: x["start_ns"])
    return out


def run_against(target: Target, n: int, clients: int, in_flight: int, timeout: float) -> dict:
    from cryptography.hazmat.primitives import serialization

    from runtime.auth import Caller, CallerKind, Signer
    from runtime.events import utcnow

    signer = Signer(serialization.load_pem_private_key(target.key_file.read_bytes(), password=None))
    tokens = []
    for i in range(n):
        did = str(uuid.uuid4())
        caller = Caller(
            subject=f"device:{did}",
            kind=CallerKind.DEVICE,
            household_id=f"hh-bench-{i}",
            device_id=did,
            area_code=AREA,
        )
        tokens.append(signer.sign(caller.token_claims(utcnow(), dt.timedelta(days=30), jti=did)))
    identifier = f"bench-{uuid.uuid4().hex[:12]}"
    fleet = Fleet(target.base_url, "/v1/terminal/events", tokens, clients, in_flight, identifier)
    try:
        connected_s = fleet.connect(timeout)
        print(f"{n} boxes connected to the gateway in {connected_s:.1f} s", flush=True)
        samples = ROOT / "services" / "alerts" / "tests" / "samples"
        rainstorm = (samples / "national_rainstorm.xml").read_text(encoding="utf-8")
        flood = (samples / "cap_flood.xml").read_text(encoding="utf-8")  # Wangjiangjing, the boxes' town
        out = asyncio.run(_alert(target, n, timeout, rainstorm, flood.replace(FLOOD_ID, identifier)))
        received, statuses, failures = fleet.results(timeout)
    finally:
        fleet.stop()
    out.update(
        connected_s=connected_s, latencies=[t - out["t0"] for t in received], statuses=statuses, failures=failures
    )
    return out


async def _alert(target: Target, n: int, timeout: float, warm_xml: str, xml: str) -> dict:
    """One alert for the boxes' town; then the live status until every receipt is recorded."""
    async with httpx.AsyncClient(base_url=target.base_url, timeout=30) as c:
        tok = (
            await c.post("/v1/identity/token", data={"grant_type": "client_credentials", **target.department})
        ).json()["access_token"]
        cap = {"Authorization": f"Bearer {tok}", "Content-Type": "application/cap+xml"}
        # Warm up (a running platform has its producers and readers connected): an alert for
        # another town, which none of the boxes is in.
        warm = warm_xml.replace("33041141600000_20260701130000", f"warm-{uuid.uuid4().hex[:12]}")
        r = await c.post("/v1/alerts/cap", content=warm.encode(), headers=cap)
        assert r.status_code == 201, r.text
        await asyncio.sleep(3)
        manager = (
            await c.post(
                "/v1/identity/token",
                data={
                    "grant_type": "password",
                    "username": target.approver["username"],
                    "password": target.approver["password"],
                },
            )
        ).json()
        trace_id = uuid.uuid4().hex
        t0 = time.time()
        r = await c.post(
            "/v1/alerts/cap",
            content=xml.encode(),
            headers={**cap, "traceparent": f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"},
        )
        assert r.status_code == 201, r.text
        submit_s = time.time() - t0
        alert_id = r.json()["id"]
        all_receipts_s, delivered = None, 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                r = await c.get(
                    f"/v1/alerts/{alert_id}/status",
                    timeout=120,
                    headers={"Authorization": f"Bearer {manager['access_token']}"},
                )
            except httpx.HTTPError:
                continue  # the gateway is busy with the boxes: ask again
            if r.status_code != 200:
                print(f"status: {r.status_code} {r.text[:200]}", flush=True)
                await asyncio.sleep(0.5)
                continue
            delivered = sum(x.get("delivered", 0) for x in r.json()["rows"] if x["channel"] == "set_top_box")
            if delivered >= n:
                all_receipts_s = time.time() - t0
                break
            await asyncio.sleep(0.1)
    return {
        "t0": t0,
        "trace_id": trace_id,
        "submit_s": submit_s,
        "all_receipts_s": all_receipts_s,
        "delivered_recorded": delivered,
    }


def summary(name: str, n: int, run: dict) -> str:
    lat = run["latencies"]
    if not lat:
        return f"{name}: received by 0 / {n}"
    return (
        f"{name}: received by {len(lat)} / {n}; p50 {statistics.median(lat) * 1000:.0f} ms  "
        f"p99 {percentile(lat, 99) * 1000:.0f} ms  max {max(lat) * 1000:.0f} ms; receipts answered {run['statuses']}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--terminals", "-n", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=4, help="client processes the boxes are spread over")
    ap.add_argument("--in-flight", type=int, default=128, help="receipt POSTs in flight at once, over all clients")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument(
        "--trace",
        action="store_true",
        help="collect the alert's trace (OTLP) and print where its time went, hop by hop",
    )
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument(
        "--platform",
        metavar="FILE",
        help="run against a running platform (JSON: base_url, key_file, department, approver) instead of starting one",
    )
    ap.add_argument(
        "--postgres",
        action="store_true",
        help="the alerts service on a fresh PostgreSQL database (as in production), not SQLite",
    )
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.terminals * 3 + 1024)), hard))  # inherited

    n = args.terminals
    base = None if args.no_baseline else baseline(n, args.clients, args.in_flight, args.timeout)
    if args.platform:
        run = run_against(Target.of(args.platform), n, args.clients, args.in_flight, args.timeout)
    else:
        run = platform_run(n, args.clients, args.in_flight, args.timeout, args.trace, args.postgres)

    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print()
    if run.get("trace"):
        print("where the alert's time went (ms after the CAP POST was sent):")
        for sp in run["trace"]:
            print(
                f"  {(sp['start_ns'] / 1e9 - run['t0']) * 1000:8.1f} .. {(sp['end_ns'] / 1e9 - run['t0']) * 1000:8.1f}"
                f"  {sp['service']:<20} {sp['name']}"
            )
    print(
        f"boxes: {n} on one gateway process, read by {args.clients} client processes on {os.cpu_count()} cores; "
        f"the alerts service on {'PostgreSQL' if args.postgres else 'SQLite'}"
    )
    if base:
        print(summary("baseline (bare sse-starlette, one event to every stream)", n, base))
    print(f"CAP POST answered (validated, targeted, issued, in the outbox) in {ms(run['submit_s'])}")
    print(summary("alert, from the CAP POST", n, run))
    receipts = (
        f"{run['all_receipts_s']:.2f} s"
        if run["all_receipts_s"]
        else f"not reached ({run['delivered_recorded']} recorded)"
    )
    print(f"every receipt recorded {receipts} after the CAP POST")
    for f in (base or {}).get("failures", []) + run["failures"]:
        print(f"  failure: {f}")
    if base and base["latencies"] and run["latencies"]:
        b, r = base["latencies"], run["latencies"]
        print(
            f"ratio to the baseline: p50 {statistics.median(r) / statistics.median(b):.1f}x  "
            f"p99 {percentile(r, 99) / percentile(b, 99):.1f}x  max {max(r) / max(b):.1f}x"
        )
    ok = len(run["latencies"]) == n and run["all_receipts_s"] and not run["failures"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
