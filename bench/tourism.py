"""Benchmark: a booking storm for the last places of an entry slot, through the gateway, beside a
bare FastAPI hello-world measured in the same run by the same client code.

    make bench-tourism                                   # 2,000 attempts for 300 places, 16 clients
    make bench-tourism ATTEMPTS=4000 PLACES=300 CLIENTS=32

Starts the e2e platform (every service a separate OS process, as in the chart), signs in a village
agent (whose group bookings have no per-account limit, so one account can make every attempt),
takes the last bookable slot of the 新塍古镇 scenic spot in the honest calendar and books all but
PLACES of its places in groups, then CLIENTS clients send ATTEMPTS reservations for one visitor
each, all at once, each with a visitor of its own. Prints how many were held (must be PLACES),
how many oversold (must be 0: the calendar and the count of held places agree with the capacity),
the refusals, throughput and p50/p99 of the attempts, and the same of the hello-world; the ratio.

`--base-url URL --agent USER --password PW` runs it against a platform already running
(e2e/test_tourism_benchmark.py: the suite's platform, at smoke size)."""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import random
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402
import jwt  # noqa: E402
from tourism.tests.conftest import id_number  # noqa: E402

from bench.home import hello_world, percentile  # noqa: E402

VENUE = "xincheng-ancient-town"
AGENT = "agent.th"
GROUP = 30  # the largest group a village agent may book (the data's max_group_party)


def last_slot(c: httpx.Client, headers: dict, places: int) -> dict:
    r = c.get(f"/v1/tourism/venues/{VENUE}/slots", headers=headers)
    r.raise_for_status()
    slots = [s for s in r.json()["slots"] if s["remaining"] >= places]
    if not slots:
        raise SystemExit(f"no slot of {VENUE} has {places} places left")
    return max(slots, key=lambda s: s["starts_at"])


def book_group(c: httpx.Client, headers: dict, village: str, slot: str, visitors: list[str]) -> None:
    body = {"slot_id": slot, "visitor_id_numbers": visitors, "group_village_code": village}
    r = c.post("/v1/tourism/reservations", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text


async def storm(base_url: str, headers: dict, village: str, slot: str, visitors: list[str], clients: int) -> dict:
    """`clients` clients share the attempts, one visitor each, all started at once."""
    latencies: list[float] = []
    outcomes: dict[int, int] = {}
    queue = list(visitors)
    url = base_url + "/v1/tourism/reservations"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        start = asyncio.Event()

        async def client() -> None:
            await start.wait()
            while queue:
                visitor = queue.pop()
                body = {"slot_id": slot, "visitor_id_numbers": [visitor], "group_village_code": village}
                h = {**headers, "Idempotency-Key": uuid.uuid4().hex}
                t0 = time.perf_counter()
                async with session.post(url, json=body, headers=h) as r:
                    await r.read()
                    outcomes[r.status] = outcomes.get(r.status, 0) + 1
                latencies.append(time.perf_counter() - t0)

        tasks = [asyncio.create_task(client()) for _ in range(clients)]
        await asyncio.sleep(0)
        started = time.monotonic()
        start.set()
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    return {
        "calls": len(latencies),
        "outcomes": outcomes,
        "per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


async def hello_load(url: str, calls: int, clients: int) -> dict:
    latencies: list[float] = []
    left = [calls]
    errors = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def client() -> None:
            nonlocal errors
            while left[0] > 0:
                left[0] -= 1
                t0 = time.perf_counter()
                async with session.get(url) as r:
                    await r.read()
                    errors += r.status != 200
                latencies.append(time.perf_counter() - t0)

        started = time.monotonic()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.monotonic() - started
    return {
        "calls": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def measure(base_url: str, token: str, village: str, attempts: int, places: int, clients: int) -> tuple[str, int]:
    """The storm and the hello-world; the report and how many places were oversold."""
    headers = {"Authorization": f"Bearer {token}"}
    base = random.randrange(1_000_000, 9_000_000 - attempts - 2_000)  # visitors no other run has used
    with httpx.Client(base_url=base_url, timeout=30) as c:
        slot = last_slot(c, headers, places)
        # All but the last `places` places go to groups first.
        fill, n = slot["remaining"] - places, base + attempts
        while fill > 0:
            size = min(GROUP, fill)
            book_group(c, headers, village, slot["id"], [id_number(n + i) for i in range(size)])
            fill, n = fill - size, n + size
        visitors = [id_number(base + i) for i in range(attempts)]
        result = asyncio.run(storm(base_url, headers, village, slot["id"], visitors, clients))
        left = next((s["remaining"] for s in last_calendar(c, headers) if s["id"] == slot["id"]), 0)
    held = result["outcomes"].get(201, 0)
    oversold = max(0, held - places)
    with tempfile.TemporaryDirectory() as tmp:
        proc, hello_url = hello_world(pathlib.Path(tmp))
        try:
            hello = asyncio.run(hello_load(hello_url, attempts, clients))
        finally:
            proc.terminate()
            proc.wait(10)
    refused = {k: v for k, v in sorted(result["outcomes"].items()) if k != 201}

    def line(name: str, r: dict) -> str:
        figures = f"{r['per_second']:8.1f}/s  p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms"
        return f"{name:<26} {figures}  ({r['calls']} calls)"

    report = "\n".join(
        [
            f"storm: {attempts} attempts for the last {places} places of {slot['id']}, {clients} clients at once",
            f"held: {held}  oversold: {oversold}  refused by status: {refused}  places left after: {left}",
            line("reservations (gateway)", result),
            line("hello-world", hello),
            f"reservations / hello-world throughput: {result['per_second'] / hello['per_second']:.3f};"
            f" p99 ratio {result['p99_ms'] / hello['p99_ms']:.1f}x",
            f"errors: {sum(v for k, v in refused.items() if k >= 500) + hello['errors']}",
        ]
    )
    return report, oversold


def last_calendar(c: httpx.Client, headers: dict) -> list[dict]:
    r = c.get(f"/v1/tourism/venues/{VENUE}/slots", headers=headers)
    r.raise_for_status()
    return r.json()["slots"]


def agent_token(base_url: str, username: str, password: str) -> tuple[str, str]:
    """The agent's token and village (the area their group bookings must name: the token's claim,
    read without checking it here; the gateway checks it)."""
    with httpx.Client(base_url=base_url, timeout=30) as c:
        r = c.post("/v1/identity/token", data={"grant_type": "password", "username": username, "password": password})
        assert r.status_code == 200, r.text
        token = r.json()["access_token"]
        return token, jwt.decode(token, options={"verify_signature": False})["area"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--attempts", type=int, default=2000)
    ap.add_argument("--places", type=int, default=300)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--base-url", help="a platform already running")
    ap.add_argument("--agent", default=AGENT)
    ap.add_argument("--password", help="with --base-url: the agent's password")
    args = ap.parse_args()
    platform = None
    if args.base_url:
        base_url, password = args.base_url, args.password
    else:
        from e2e.platform import Platform
        from e2e.seed import Seed

        platform = Platform(None)
        platform.start()
        base_url, password = platform.base_url, Seed.password(args.agent)
    try:
        token, village = agent_token(base_url, args.agent, password)
        report, oversold = measure(base_url, token, village, args.attempts, args.places, args.clients)
        print(report)
    finally:
        if platform is not None:
            platform.stop()
    return 1 if oversold else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
