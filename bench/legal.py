"""Benchmark: legal's two busy calls through the gateway, beside a bare FastAPI hello-world measured
in the same run on the same machine.

    make bench-legal                            # 50 households, 10 s of listing, its own platform
    make bench-legal HOUSEHOLDS=100 LIST_SECONDS=20

Starts the e2e platform (every service, its own ports, a seed with HOUSEHOLDS households of a
Wangdian village), signs each household's TV in through the real device grant, publishes a few
articles (an officer drafts, a second one publishes), then:
- listing articles: every household lists the district's articles one call after another for
  LIST_SECONDS (the server's short cache of published pages: services/legal/servicer.py);
- submitting quiz papers: every household submits every paper of the district once, all at once
  (one attempt per paper per person per day is the rule, so that is all there is to submit);
- the hello-world by the same client code, for as long and as many at once.
Prints throughput, p50 and p99 of each and their ratios to the hello-world.

`--base-url URL --tokens FILE` measures a platform already running (e2e/test_legal_benchmark.py: the
suite's platform, at smoke size) with the households' tokens in FILE, one a line (households that
have not submitted a paper today); the caller publishes the articles first (publish_articles)."""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from bench.home import hello_world, load, percentile  # noqa: E402
from e2e.platform import sign_in_tv  # noqa: E402

WANGDIAN_VILLAGE = "330411104005"  # (no e2e module's household lives there)
ARTICLES = 5


def publish_articles(base_url: str, author: str, reviewer: str, n: int) -> None:
    """n articles, each drafted by one officer and published by another (the two-person review)."""
    with httpx.Client(base_url=base_url, timeout=30) as c:
        for i in range(n):
            draft = {
                "kind": "article",
                "topic": "fraud",
                "audiences": ["everyone"],
                "title": f"防范电信诈骗 第{i + 1}讲",
                "body": "陌生来电要求转账，一律是诈骗。" * 20,
                "speech_text": "陌生来电要求转账，一律是诈骗。",
            }
            h = {"Authorization": f"Bearer {author}", "Idempotency-Key": uuid.uuid4().hex}
            r = c.post("/v1/legal/contents", json=draft, headers=h)
            assert r.status_code == 201, r.text
            r = c.post(f"/v1/legal/contents/{r.json()['id']}/publish", headers={"Authorization": f"Bearer {reviewer}"})
            assert r.status_code == 200, r.text


async def submit_papers(base_url: str, tokens: list[str]) -> dict:
    """Every household submits every paper of the district once, all households at once."""
    auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async with session.get(base_url + "/v1/legal/quizzes", headers=auth[0]) as r:
            papers = [p["id"] for p in (await r.json())["papers"]]
        answers = {}
        for p in papers:
            async with session.get(f"{base_url}/v1/legal/quizzes/{p}", headers=auth[0]) as r:
                answers[p] = {q["id"]: q["options"][0]["key"] for q in (await r.json())["questions"]}
        latencies: list[float] = []
        errors = 0

        async def household(h: dict) -> None:
            nonlocal errors
            for p in papers:
                t0 = time.perf_counter()
                url = f"{base_url}/v1/legal/quizzes/{p}/submission"
                async with session.post(url, json={"answers": answers[p]}, headers=h) as r:
                    await r.read()
                    if r.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - t0)

        started = time.monotonic()
        await asyncio.gather(*(household(h) for h in auth))
        elapsed = time.monotonic() - started
    return {
        "calls": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


async def measure(base_url: str, tokens: list[str], seconds: float, workdir: pathlib.Path) -> str:
    auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
    listing = await load(base_url + "/v1/legal/contents?kind=article", auth, seconds)
    submitting = await submit_papers(base_url, tokens)
    proc, hello_url = hello_world(workdir)
    try:
        hello = await load(hello_url, [{} for _ in auth], seconds)
    finally:
        proc.terminate()
        proc.wait(10)

    def line(name: str, r: dict) -> str:
        return (
            f"{name:<24} {r['per_second']:8.1f}/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
            f"  ({r['calls']} calls, {r['errors']} errors)"
        )

    return "\n".join(
        [
            f"clients: {len(tokens)} households at once; listing {seconds:g} s, every paper once per household",
            line("list articles (cached)", listing),
            line("submit a quiz paper", submitting),
            line("hello-world", hello),
            f"list / hello-world: {listing['per_second'] / hello['per_second']:.2f}"
            f"; p99 {listing['p99_ms'] / hello['p99_ms']:.1f}x",
            f"submit / hello-world: {submitting['per_second'] / hello['per_second']:.2f}"
            f"; p99 {submitting['p99_ms'] / hello['p99_ms']:.1f}x",
            f"errors: {listing['errors'] + submitting['errors'] + hello['errors']}",
        ]
    )


def own_platform(households: int):
    """The e2e platform with a seed of `households` households of one Wangdian village (this process only)."""
    from e2e import seed
    from e2e.platform import Platform

    seed.HOUSEHOLDS["bench_legal"] = [WANGDIAN_VILLAGE] * households
    platform = Platform(None)
    platform.start()
    return platform


def officers_of(base_url: str, staff: dict) -> tuple[str, str]:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        out = []
        for part in ("legal_author", "legal_reviewer"):
            s = staff[part]
            r = c.post(
                "/v1/identity/token",
                data={"grant_type": "password", "username": s["username"], "password": s["password"]},
            )
            assert r.status_code == 200, r.text
            out.append(r.json()["access_token"])
    return out[0], out[1]


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
            publish_articles(platform.base_url, *officers_of(platform.base_url, platform.seed.legal_staff), ARTICLES)
            with httpx.Client(base_url=platform.base_url, timeout=30) as c:
                tokens = [
                    sign_in_tv(c, h, f"STB-BENCH-{uuid.uuid4().hex[:8]}") for h in platform.households_of("bench_legal")
                ]
            print(asyncio.run(measure(platform.base_url, tokens, args.seconds, workdir)))
        finally:
            platform.stop()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
