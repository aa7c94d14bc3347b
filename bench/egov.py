"""Benchmark: e-government over its real gRPC server (the runtime's, with token checks and error
mapping), beside a bare gRPC hello-world (the standard health check on a plain server) measured in
the same process tree, on the same machine:

    make bench-egov                       # 2,000 catalog reads, 200 applications, SQLite
    make bench-egov BENCH_ARGS="--reads 5000 --applications 500"

- browsing: ListItems (the whole catalog in force, as the TV's 办事 screen asks for it) and a keyword
  search, one call after another from CONCURRENCY clients;
- applying: a household starts a draft, adds its three materials and submits (5 calls), per
  application;
- hello: grpc.health.v1 Check on a bare server.
Prints throughput and p50/p99 of each and the ratios to the hello-world. Not a test: CI runs it at
smoke size from e2e/test_egov_benchmark.py, which puts the figures in the report."""

from __future__ import annotations

import argparse
import asyncio
import functools
import pathlib
import sys
import tempfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import grpc  # noqa: E402
from egov.service import SERVICE  # noqa: E402
from grpc_health.v1 import health, health_pb2, health_pb2_grpc  # noqa: E402

from runtime import db as dbmod  # noqa: E402
from runtime.grpc_server import GrpcService, Server  # noqa: E402
from runtime.service import Context  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from runtime.testing import Tokens, household  # noqa: E402
from sbc.egov.v1 import egov_pb2 as pb  # noqa: E402
from sbc.egov.v1 import egov_pb2_grpc  # noqa: E402

RELIEF = "330222004000-new"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VILLAGE = "330411105201"
CONCURRENCY = 8


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def measure(name: str, count: int, call) -> dict:
    """`count` runs of `call(i)` from CONCURRENCY clients: throughput, p50, p99 (ms)."""
    latencies: list[float] = []
    next_i = iter(range(count))

    async def client() -> None:
        for i in next_i:
            t = time.perf_counter()
            await call(i)
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    took = time.perf_counter() - started
    return {
        "name": name,
        "n": count,
        "per_s": count / took,
        "p50": percentile(latencies, 50) * 1e3,
        "p99": percentile(latencies, 99) * 1e3,
    }


async def egov_server(database_url: str, tokens: Tokens) -> tuple[Server, dbmod.Database]:
    dbmod.migrate(SERVICE.migrations, database_url)
    settings = Settings(service_name="egov-bench", grpc_port=0, shutdown_grace_seconds=1)
    entry = SERVICE.entry
    verifier = tokens.verifier()
    db = dbmod.Database(database_url)
    ctx = Context(settings, db, entry, entry.process("serve"), _verifier=verifier)
    names, register = SERVICE.grpc_names, functools.partial(SERVICE.register, SERVICE.servicer(ctx))
    server = Server(settings, GrpcService(names, register, set(SERVICE.public_methods)), verifier)
    await server.start()
    return server, db


async def hello_server() -> tuple[grpc.aio.Server, int]:
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port


async def main(args) -> None:
    tokens = Tokens()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/egov-bench.db"
        server, db = await egov_server(url, tokens)
        bare, bare_port = await hello_server()
        async with (
            grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
            grpc.aio.insecure_channel(f"127.0.0.1:{bare_port}") as hello_channel,
        ):
            api = egov_pb2_grpc.EgovServiceStub(channel)
            hello = health_pb2_grpc.HealthStub(hello_channel)
            homes = [household(f"hh-bench-{i}", area_code=VILLAGE) for i in range(CONCURRENCY * 4)]
            md = [tokens.metadata(h) for h in homes]

            async def apply(i: int) -> None:
                m = md[i % len(md)]
                app = await api.StartApplication(
                    pb.StartApplicationRequest(item_code=RELIEF, idempotency_key=str(uuid.uuid4())), metadata=m
                )
                for code in ("id_card", "hardship_proof", "application_form"):
                    await api.AddMaterial(
                        pb.AddMaterialRequest(application_id=app.id, material_code=code, content=PDF), metadata=m
                    )
                sent = await api.SubmitApplication(pb.ApplicationRef(id=app.id), metadata=m)
                assert sent.state == "submitted", sent.state

            runs = [
                await measure(
                    "hello (bare gRPC health check)", args.reads, lambda i: hello.Check(health_pb2.HealthCheckRequest())
                ),
                await measure(
                    "ListItems (the catalog)",
                    args.reads,
                    lambda i: api.ListItems(pb.ListItemsRequest(), metadata=md[i % len(md)]),
                ),
                await measure(
                    "ListItems keyword 救助",
                    args.reads,
                    lambda i: api.ListItems(pb.ListItemsRequest(keyword="救助"), metadata=md[i % len(md)]),
                ),
                await measure("apply (start, 3 materials, submit)", args.applications, apply),
            ]
        await server.stop()
        await bare.stop(1)
        db.dispose()
    base = runs[0]["per_s"]
    print(f"egov over gRPC (SQLite), {CONCURRENCY} clients:")
    for r in runs:
        print(
            f"  {r['name']:<40} n={r['n']:<6} {r['per_s']:8.1f}/s  p50 {r['p50']:7.2f} ms  p99 {r['p99']:7.2f} ms"
            f"  throughput ratio to hello {r['per_s'] / base:.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--applications", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
