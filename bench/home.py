"""Benchmark: the TV's home screen (GET /v1/home) with many households at once against the whole
platform, beside a bare FastAPI hello-world measured in the same run on the same machine.

    make bench-home                         # 50 households, 10 s each phase, its own platform
    make bench-home HOUSEHOLDS=100 HOME_SECONDS=20

Starts the e2e platform (every service, its own ports, a seed with HOUSEHOLDS households of
Jiabei), signs each household's TV in through the real device grant, then every household asks for
its home one call after another: first cached (Redis, after one call that fills it), then asked
fresh each time (`Cache-Control: no-cache`: every service's tile), then the gateway's /healthz (its
floor: the same middleware, no sign-in, no backend), then the hello-world by the same client
code. Prints throughput, p50 and p99 of each and the ratios to the hello-world (the goal: cached
≥ 1/4 of its throughput, p99 ≤ 50 ms).

`--base-url URL --tokens FILE` measures a platform already running (e2e/test_tv_benchmark.py: the
suite's platform, at smoke size) with the households' tokens in FILE, one a line."""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from e2e.platform import free_port, sign_in_tv  # noqa: E402

JIABEI_VILLAGE = "330411002003"  # (of the e2e modules, only the home cache's one household lives there)
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


async def load(url: str, headers: list[dict], seconds: float) -> dict:
    """One client per entry of `headers`, each calling `url` one call after another for `seconds`."""
    latencies: list[float] = []
    errors = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        stop = time.monotonic() + seconds

        async def client(h: dict) -> None:
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                async with session.get(url, headers=h) as r:
                    await r.read()
                    if r.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - t0)

        started = time.monotonic()
        await asyncio.gather(*(client(h) for h in headers))
        elapsed = time.monotonic() - started
    return {
        "calls": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def hello_world(workdir: pathlib.Path):
    """A bare FastAPI app under uvicorn, as the gateway runs (one process)."""
    (workdir / "hello_app.py").write_text(HELLO_APP)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "hello_app:app", "--port", str(port), "--log-level", "warning"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/hello", timeout=1).status_code == 200:
                return proc, f"http://127.0.0.1:{port}/hello"
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the hello-world did not start")


async def measure(base_url: str, tokens: list[str], seconds: float, workdir: pathlib.Path) -> str:
    home = base_url + "/v1/home"
    auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
    # Each household's home once, so that the cached phase starts cached.
    async with aiohttp.ClientSession() as s:
        for h in auth:
            async with s.get(home, headers=h) as r:
                assert r.status == 200, await r.text()
    cached = await load(home, auth, seconds)
    fresh = await load(home, [{**h, "Cache-Control": "no-cache"} for h in auth], seconds)
    # The gateway's own floor: its cheapest call (no sign-in, no backend), through the same middleware.
    floor = await load(base_url + "/healthz", [{} for _ in auth], seconds)
    proc, hello_url = hello_world(workdir)
    try:
        hello = await load(hello_url, [{} for _ in auth], seconds)
    finally:
        proc.terminate()
        proc.wait(10)

    def line(name: str, r: dict) -> str:
        return (
            f"{name:<22} {r['per_second']:8.1f}/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
            f"  ({r['calls']} calls, {r['errors']} errors)"
        )

    ratio = cached["per_second"] / hello["per_second"]
    return "\n".join(
        [
            f"clients: {len(tokens)} at once ({len(set(tokens))} households), {seconds:g} s each",
            line("home, cached", cached),
            line("home, fresh (no-cache)", fresh),
            line("gateway GET /healthz", floor),
            line("hello-world", hello),
            f"cached / hello-world: {ratio:.2f} (goal >= 0.25); cached p99 {cached['p99_ms']:.1f} ms (goal <= 50)",
            f"fresh / hello-world: {fresh['per_second'] / hello['per_second']:.2f}",
            f"cached / gateway's /healthz: {cached['per_second'] / floor['per_second']:.2f}",
            f"errors: {cached['errors'] + fresh['errors'] + floor['errors'] + hello['errors']}",
        ]
    )


def own_platform(households: int):
    """The e2e platform with a seed of `households` households of one Jiabei village (this process only)."""
    from e2e import seed
    from e2e.platform import Platform

    seed.HOUSEHOLDS["bench_home"] = [JIABEI_VILLAGE] * households
    platform = Platform(None)
    platform.start()
    return platform


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--households", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--base-url", help="a platform already running")
    ap.add_argument("--tokens", help="with --base-url: a file of the households' tokens, one a line")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        if args.base_url:
            tokens = pathlib.Path(args.tokens).read_text().split()
            print(asyncio.run(measure(args.base_url, tokens, args.seconds, workdir)))
            return 0
        platform = own_platform(args.households)
        try:
            with httpx.Client(base_url=platform.base_url, timeout=30) as c:
                tokens = [
                    sign_in_tv(c, h, f"STB-BENCH-{uuid.uuid4().hex[:8]}") for h in platform.households_of("bench_home")
                ]
            print(asyncio.run(measure(platform.base_url, tokens, args.seconds, workdir)))
        finally:
            platform.stop()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
