"""Benchmark: the service desk's write path through the gateway, beside a bare
FastAPI hello-world endpoint measured in the same run on the same machine.

    make bench-servicedesk                      # 16 clients x 100 filings each
    make bench-servicedesk CLIENTS=32 PER_CLIENT=200

Starts identity (SQLite), the service desk and its outbox relay on a fresh
PostgreSQL database (events relayed to the real Kafka), and the gateway, on
free ports; signs in one set-top box per client through the real device grant;
then each client files requests (POST /v1/servicedesk/requests with its own
Idempotency-Key) one after another. The baseline is GET on a bare FastAPI app
under uvicorn, driven by the same client code. Prints throughput, p50 and p99
of each and the ratios (the figure to watch).

    make bench-servicedesk PROFILE=var/profile  # and where the time goes

It also prints the CPU time each process spent per call (from /proc), which, unlike latencies, other
work on a shared machine does not change. With --profile DIR, py-spy (requirements.in) samples the
gateway, identity, the service desk and its relay while the requests are filed (only stacks that
hold the GIL: the Python code that runs, not the threads that wait), and prints each process's top
costs: its own time (`self`) and the time under each of the platform's functions (`total`); DIR
keeps the raw stacks (flamegraph's collapsed format).

    make bench-servicedesk CPROFILE=var/cprofile  # every call counted (bench/cprofiled.py)

With --cprofile DIR, the same processes run under cProfile (every thread) and, when they stop, each
one's top costs are printed in calls and CPU milliseconds per filed request: counts that the load of
a shared machine does not change (the processes run slower under it: read the figures, not the
throughput, of such a run); DIR keeps the pstats files."""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from e2e.platform import free_port, sign_in_tv  # noqa: E402

HELLO_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/hello")
async def hello():
    return {"hello": "world"}
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Processes:
    def __init__(self, workdir: pathlib.Path):
        self.workdir = workdir
        self.procs: list[subprocess.Popen] = []

        self.by_name: dict[str, subprocess.Popen] = {}

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        log = open(self.workdir / f"{name}.log", "w")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        self.by_name[name] = proc

    def cpu_seconds(self, name: str) -> float:
        """User and system CPU time the process has used (/proc): the cost per call, which the
        other work on a shared machine does not change as it changes latencies."""
        fields = pathlib.Path(f"/proc/{self.by_name[name].pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()


def wait_http(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout:.0f} s")


async def drive(clients: int, per_client: int, make_call) -> tuple[float, list[float], int]:
    """`clients` concurrent loops of `per_client` calls; returns (seconds, latencies, errors)."""
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=clients * 2)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def loop(i: int) -> None:
            nonlocal errors
            for n in range(per_client):
                t0 = time.perf_counter()
                ok = await make_call(session, i, n)
                latencies.append(time.perf_counter() - t0)
                errors += 0 if ok else 1

        for i in range(clients):  # warm-up: one call per client, not counted
            await make_call(session, i, -1)
        latencies.clear()
        errors = 0
        started = time.perf_counter()
        await asyncio.gather(*[loop(i) for i in range(clients)])
        return time.perf_counter() - started, latencies, errors


class Profiles:
    """py-spy attached to running processes; stopped with SIGINT, it writes its samples."""

    def __init__(self, outdir: pathlib.Path, procs: Processes, names: list[str]):
        self.outdir = outdir
        outdir.mkdir(parents=True, exist_ok=True)
        spy = pathlib.Path(sys.executable).parent / "py-spy"
        self.spies = {
            name: subprocess.Popen(
                [
                    str(spy),
                    "record",
                    "--pid",
                    str(procs.by_name[name].pid),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(outdir / f"{name}.txt"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for name in names
        }
        time.sleep(1)  # attached before the first call

    def stop(self) -> None:
        for spy in self.spies.values():
            spy.send_signal(signal.SIGINT)
        for spy in self.spies.values():
            spy.wait(30)

    def print_top(self, n: int = 12) -> None:
        for name in self.spies:
            print(f"\nprofile of {name} (py-spy, {self.outdir / (name + '.txt')}):")
            for line in top_costs(self.outdir / f"{name}.txt", n):
                print("  " + line)


# The first folder of a frame's file (py-spy shortens paths to the module's) in the platform's code.
PLATFORM_DIRS = {"gateway", "runtime", "servicedesk", "identity", "rules"}


def top_costs(path: pathlib.Path, n: int) -> list[str]:
    """The top `self` frames and the top `total` frames of the platform's own code, in % of samples."""
    own, under, samples = collections.Counter(), collections.Counter(), 0
    if not path.exists():
        return ["(no samples)"]
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = [f.rsplit(":", 1)[0] + ")" if ":" in f else f for f in stack.split(";")]
        samples += int(count)
        own[frames[-1]] += int(count)
        for f in set(frames):
            if f.split("(")[-1].split("/")[0] in PLATFORM_DIRS:
                under[f] += int(count)
    if not samples:
        return ["(no samples)"]
    out = [f"{samples} samples; self:"]
    out += [f"  {100 * c / samples:5.1f}%  {f}" for f, c in own.most_common(n)]
    out += ["total, the platform's functions:"]
    out += [f"  {100 * c / samples:5.1f}%  {f}" for f, c in under.most_common(n)]
    return out


def print_cprofiles(outdir: pathlib.Path, requests: int, n: int = 12) -> None:
    """Each process's top costs under cProfile while the requests were filed (its counts at the
    end less those at the start), per filed request: CPU time in the function itself (`self`) and
    under it (`total`, for the platform's functions), and its calls."""
    import marshal

    for start in sorted(outdir.glob("*.start")):
        end = start.with_suffix(".end")
        if not end.exists():
            print(f"\ncProfile of {start.stem}: no counts at the end")
            continue
        before, after = marshal.loads(start.read_bytes()), marshal.loads(end.read_bytes())
        rows = {}
        for key, (_cc, nc, tt, ct, _) in after.items():
            _c0, n0, t0, u0, _ = before.get(key, (0, 0, 0.0, 0.0, {}))
            if nc - n0 > 0:
                rows[key] = (nc - n0, tt - t0, ct - u0)
        calls = sum(nc for nc, _tt, _ct in rows.values())
        cpu = sum(tt for _nc, tt, _ct in rows.values())
        print(
            f"\ncProfile of {start.stem}: {calls / requests:.0f} calls and {1000 * cpu / requests:.2f} ms CPU "
            f"per request (under cProfile; {outdir})"
        )

        def line(key, nc, tt, ct) -> str:
            file, lineno, fn = key
            where = "/".join(pathlib.Path(file).parts[-2:]) if file != "~" else "builtins"
            return (
                f"    {nc / requests:8.1f} calls  {1000 * tt / requests:6.3f} ms self  "
                f"{1000 * ct / requests:7.3f} ms total  {fn} ({where}:{lineno})"
            )

        print("  self:")
        for key, (nc, tt, ct) in sorted(rows.items(), key=lambda kv: kv[1][1], reverse=True)[:n]:
            print(line(key, nc, tt, ct))
        print("  total, the platform's functions:")
        ours = [kv for kv in rows.items() if _is_platform(kv[0][0])]
        for key, (nc, tt, ct) in sorted(ours, key=lambda kv: kv[1][2], reverse=True)[:n]:
            print(line(key, nc, tt, ct))


def _is_platform(file: str) -> bool:
    parts = pathlib.Path(file).parts
    return str(ROOT) in file and ".venv" not in parts and any(d in parts for d in PLATFORM_DIRS)


def report(name: str, seconds: float, latencies: list[float], errors: int) -> dict:
    row = {
        "name": name,
        "calls": len(latencies),
        "errors": errors,
        "throughput": len(latencies) / seconds,
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
    }
    print(
        f"{name:<34} {row['calls']:>6} calls  {row['throughput']:>8.1f}/s  p50 {row['p50_ms']:>7.2f} ms  "
        f"p99 {row['p99_ms']:>7.2f} ms  errors {errors}"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=100)
    parser.add_argument("--profile", default="", help="a directory: profile the processes with py-spy")
    parser.add_argument("--cprofile", default="", help="a directory: run the processes under cProfile")
    args = parser.parse_args()
    cprofile_dir = pathlib.Path(args.cprofile).resolve() if args.cprofile else None
    if cprofile_dir:
        cprofile_dir.mkdir(parents=True, exist_ok=True)

    def module(name: str, *argv: str) -> list[str]:
        """How to run `python -m name argv` (under cProfile with --cprofile: its file is the process's)."""
        if cprofile_dir:
            process = "-".join([name, *argv]).replace("-serve", "")
            out = cprofile_dir / process
            return [sys.executable, str(ROOT / "bench" / "cprofiled.py"), str(out), "-m", name, *argv]
        return [sys.executable, "-m", name, *argv]

    admin_url = os.environ.get("PG_ADMIN_URL", "postgresql+psycopg://sbc:sbc@127.0.0.1:15432/sbc")
    db_name = f"bench_servicedesk_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{db_name}"'))
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="bench-servicedesk-", dir=ROOT / "var"))
    households = [
        {
            "id": f"hh-bench-{i}",
            "name": f"压测家庭 {i}",
            "area_code": "330411101001" if i % 2 else "330411105201",
            "members": [{"phone": f"177{i:08d}", "name": f"居民{i}", "password": f"pw-{i}"}],
        }
        for i in range(args.clients)
    ]
    (workdir / "seed.json").write_text(json.dumps({"households": households}, ensure_ascii=False))
    identity, servicedesk, http, hello = free_port(), free_port(), free_port(), free_port()
    (workdir / "hello_app.py").write_text(HELLO_APP)
    base = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "services"), str(ROOT / "protos"), str(ROOT)]),
        "IDENTITY_ADDR": f"127.0.0.1:{identity}",
        "SERVICEDESK_ADDR": f"127.0.0.1:{servicedesk}",
        "DATA_DIR": str(workdir / "data"),
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_DEVICE": "100000000/minute",
        "RATE_LIMIT_IP": "100000000/minute",
    }
    base.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    desk_db = {"DATABASE_URL": admin_url.rsplit("/", 1)[0] + "/" + db_name}
    py = [sys.executable, "-m"]
    procs = Processes(workdir)
    try:
        procs.start(
            "identity",
            module("identity", "serve"),
            {
                **base,
                "GRPC_PORT": str(identity),
                "IDENTITY_SEED_FILE": str(workdir / "seed.json"),
                "IDENTITY_VERIFICATION_URI": f"http://127.0.0.1:{http}/identity/device",
            },
        )
        procs.start("servicedesk", module("servicedesk", "serve"), {**base, **desk_db, "GRPC_PORT": str(servicedesk)})
        procs.start("servicedesk-relay", module("servicedesk", "relay"), {**base, **desk_db})
        procs.start("gateway", module("gateway"), {**base, "HTTP_PORT": str(http)})
        procs.start(
            "hello",
            py + ["uvicorn", "hello_app:app", "--port", str(hello), "--log-level", "warning"],
            {**base, "PYTHONPATH": str(workdir)},
        )
        gateway_url, hello_url = f"http://127.0.0.1:{http}", f"http://127.0.0.1:{hello}"
        wait_http(f"{gateway_url}/healthz")
        wait_http(f"{hello_url}/hello")
        with httpx.Client(base_url=gateway_url, timeout=30) as c:
            deadline = time.monotonic() + 180
            while True:  # the service desk has migrated and answers (/status reports the dependencies)
                r = c.get("/status")
                states = r.json().get("dependencies", {})
                if all(states.get(name, {}).get("state") == "SERVING" for name in ("servicedesk", "identity")):
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"services not ready: {r.text}")
                time.sleep(0.5)
            tokens = [sign_in_tv(c, h, f"STB-BENCH-{i}") for i, h in enumerate(households)]

        run = uuid.uuid4().hex[:8]

        async def file(session, i, n):
            headers = {"Authorization": f"Bearer {tokens[i]}", "Idempotency-Key": f"{run}-{i}-{n}"}
            async with session.post(
                f"{gateway_url}/v1/servicedesk/requests",
                headers=headers,
                json={"service_type": "fault_repair_general", "description": f"压测 {i}/{n}"},
            ) as r:
                await r.read()
                return r.status == 201

        async def hello_call(session, i, n):
            async with session.get(f"{hello_url}/hello") as r:
                await r.read()
                return r.status == 200

        print(
            f"{args.clients} concurrent clients x {args.per_client} calls each; service desk on PostgreSQL, "
            f"events to Kafka"
        )
        cpu0 = procs.cpu_seconds("hello")
        base_row = report(
            "bare FastAPI hello-world (GET)", *asyncio.run(drive(args.clients, args.per_client, hello_call))
        )
        hello_cpu = procs.cpu_seconds("hello") - cpu0
        parts = ["gateway", "identity", "servicedesk", "servicedesk-relay"]
        cpu0s = {n: procs.cpu_seconds(n) for n in parts}
        if cprofile_dir:  # counted from here (bench/cprofiled.py)
            for n in parts:
                procs.by_name[n].send_signal(signal.SIGUSR1)
            time.sleep(2)
        profiles = None
        if args.profile:
            names = ["gateway", "identity", "servicedesk", "servicedesk-relay"]
            profiles = Profiles(pathlib.Path(args.profile).resolve(), procs, names)
        file_row = report("file a request via gateway (POST)", *asyncio.run(drive(args.clients, args.per_client, file)))
        if profiles:
            profiles.stop()
        if cprofile_dir:  # to here
            for n in parts:
                procs.by_name[n].send_signal(signal.SIGUSR2)
            time.sleep(2)
        calls = args.clients * args.per_client
        cpu = {n: 1000 * (procs.cpu_seconds(n) - cpu0s[n]) / calls for n in parts}
        print(
            f"CPU per call: hello-world {1000 * hello_cpu / calls:.2f} ms; filing {sum(cpu.values()):.2f} ms = "
            + ", ".join(f"{n} {ms:.2f}" for n, ms in cpu.items())
            + f" (CPU ratio 1/{sum(cpu.values()) / max(1e-9, 1000 * hello_cpu / calls):.1f})"
        )
        print(
            f"ratio: filing throughput is 1/{base_row['throughput'] / file_row['throughput']:.1f} of hello-world; "
            f"p50 x{file_row['p50_ms'] / base_row['p50_ms']:.1f}, p99 x{file_row['p99_ms'] / base_row['p99_ms']:.1f}"
        )
        with create_engine(desk_db["DATABASE_URL"]).connect() as c:
            filed = c.execute(text("SELECT count(*) FROM service_requests")).scalar()
        print(f"requests in the database: {filed} (expected {args.clients * (args.per_client + 1)})")
        if profiles:
            profiles.print_top()
    finally:
        procs.stop()
        if cprofile_dir:
            print_cprofiles(cprofile_dir, args.clients * args.per_client)
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
