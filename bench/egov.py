"""Benchmark: e-government over its real gRPC server (the runtime's, with token checks and error
mapping), beside a bare gRPC hello-world (the standard health check on a plain server) measured in
the same process tree, on the same machine:

    make bench-egov                       # 2,000 catalog reads, 200 applications, SQLite
    make bench-egov BENCH_ARGS="--reads 5000 --applications 500"

- browsing: ListItems (the whole catalog in force, as the TV's 办事 screen asks for it) and a keyword
  search, one call after another from CONCURRENCY clients;
- applying: a household starts a draft, adds its three materials and submits (5 calls), per
  application;
- a booking storm: STORM households at once book one slot of the service hall (a residence permit's
  first bookable slot; capacity 2): nothing beyond its capacity, with the storm's throughput and p99;
- hello: grpc.health.v1 Check on a bare server.
`--database-url` runs it on PostgreSQL (a fresh database of yours) instead of a temporary SQLite file;
`--clients 1` shows what one client gets (SQLite's writers contend for one lock: see the README).
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
RESIDENCE = "330233002002-new"  # 居住证: one visit, booked at the hall
STORM = 32
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
    global CONCURRENCY
    CONCURRENCY = args.clients
    tokens = Tokens()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/egov-bench.db"
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

            storm = await booking_storm(api, tokens, args.storm)
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
                storm,
            ]
        await server.stop()
        await bare.stop(1)
        db.dispose()
    base = runs[0]["per_s"]
    print(f"egov over gRPC ({url.split(':')[0]}), {CONCURRENCY} clients:")
    for r in runs:
        print(
            f"  {r['name']:<40} n={r['n']:<6} {r['per_s']:8.1f}/s  p50 {r['p50']:7.2f} ms  p99 {r['p99']:7.2f} ms"
            f"  throughput ratio to hello {r['per_s'] / base:.3f}"
        )
    print(
        f"  booking storm: {storm['n']} households at once on one slot of capacity {storm['capacity']}: "
        f"{storm['booked']} booked, {storm['full']} refused as full, overbooked: {storm['booked'] > storm['capacity']}"
    )
    if storm["booked"] > storm["capacity"] or storm["booked"] + storm["full"] != storm["n"]:
        raise SystemExit("the slot was overbooked, or a booking failed otherwise")


async def booking_storm(api, tokens: Tokens, n: int) -> dict:
    """`n` households, each with a residence-permit draft, book the same slot all at once."""
    homes = [household(f"hh-storm-{uuid.uuid4().hex[:8]}", area_code=VILLAGE) for _ in range(n)]
    md = [tokens.metadata(h) for h in homes]
    apps = [
        await api.StartApplication(
            pb.StartApplicationRequest(item_code=RESIDENCE, idempotency_key=str(uuid.uuid4())), metadata=m
        )
        for m in md
    ]
    slots = (await api.ListAppointmentSlots(pb.ApplicationRef(id=apps[0].id), metadata=md[0])).slots
    if not slots:
        raise SystemExit("no slot can be booked now (the district's calendar): nothing to storm")
    slot = slots[0]
    latencies: list[float] = []

    async def book(i: int):
        t = time.perf_counter()
        try:
            return await api.BookAppointment(
                pb.BookAppointmentRequest(application_id=apps[i].id, slot_id=slot.id), metadata=md[i]
            )
        except grpc.aio.AioRpcError as e:
            return e
        finally:
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    results = await asyncio.gather(*(book(i) for i in range(n)))
    took = time.perf_counter() - started
    full = [r for r in results if isinstance(r, grpc.aio.AioRpcError) and "places left" in r.details()]
    return {
        "name": f"booking storm ({n} at once, one slot)",
        "n": n,
        "per_s": n / took,
        "p50": percentile(latencies, 50) * 1e3,
        "p99": percentile(latencies, 99) * 1e3,
        "capacity": slot.places_left,
        "booked": sum(isinstance(r, pb.Appointment) for r in results),
        "full": len(full),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--clients", type=int, default=CONCURRENCY, help="concurrent clients")
    parser.add_argument("--storm", type=int, default=STORM, help="households booking one slot at once")
    parser.add_argument("--database-url", default="", help="e.g. a PostgreSQL database of your own")
    asyncio.run(main(parser.parse_args()))
