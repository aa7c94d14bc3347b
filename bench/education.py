"""Education's benchmarks (make bench-education), each beside a bare gRPC hello-world (a plain
grpc.aio server's health check, measured by the same client in the same process tree):

- "programmes today" (GetProgrammesToday) and recording progress (ReportProgress), CLIENTS callers
  for SECONDS each;
- a sign-up storm: STORM households at once for a class's last PLACES places (nothing may be
  overbooked), its throughput and p99;
- the daily playlist: one loudspeaker slot pushed to CONTROLLERS village controllers (a local HTTP
  server answering for all), the time to push it all and until every play report is kept.

The education server runs in this process (its real gRPC server, token checks, SQLite by default,
PostgreSQL with --postgres). Prints figures and ratios; fails only when a call failed or a class
was overbooked."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import pathlib
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "services"), str(ROOT / "protos"), str(ROOT)]

import grpc  # noqa: E402
from education import domain, playout, store  # noqa: E402
from education.service import SERVICE  # noqa: E402
from education.servicer import EducationServicer  # noqa: E402
from grpc_health.v1 import health, health_pb2, health_pb2_grpc  # noqa: E402

from runtime import db as dbmod  # noqa: E402
from runtime import loudspeakers  # noqa: E402
from runtime.grpc_server import GrpcService, Server  # noqa: E402
from runtime.service import Context  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from runtime.testing import Tokens, household, staff  # noqa: E402
from runtime.times import to_timestamp, utcnow  # noqa: E402
from sbc.education.v1 import education_pb2 as pb  # noqa: E402
from sbc.education.v1 import education_pb2_grpc  # noqa: E402

TOWN, VILLAGE = "330411103", "330411103001"


def figures(name: str, latencies: list[float], seconds: float, errors: int) -> dict:
    lat = sorted(latencies)
    p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000) if lat else (lambda q: 0.0)
    out = {"name": name, "calls": len(lat), "rps": len(lat) / seconds if seconds else 0, "errors": errors}
    out.update(p50=p(0.5), p99=p(0.99))
    return out


def line(f: dict, base: dict | None = None) -> str:
    ratio = f"  ratio to hello-world: {f['rps'] / base['rps']:.2f}" if base and base["rps"] else ""
    return (
        f"{f['name']:<34} {f['calls']:>6} calls  {f['rps']:>8.0f}/s  p50 {f['p50']:6.2f} ms  "
        f"p99 {f['p99']:6.2f} ms  errors: {f['errors']}{ratio}"
    )


async def load(name: str, call, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    until = time.perf_counter() + seconds

    async def client():
        nonlocal errors
        while time.perf_counter() < until:
            t = time.perf_counter()
            try:
                await call()
                latencies.append(time.perf_counter() - t)
            except grpc.RpcError:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return figures(name, latencies, time.perf_counter() - start, errors)


class Controllers:
    """Every village controller of the district at one local HTTP server: each path is one."""

    def __init__(self):
        me = self
        self.plays = 0
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with me.lock:
                    me.plays += 1
                reply = json.dumps({"PlayID": body["PlayID"], "result": "played"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/play/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


async def main(args) -> int:
    tmp = tempfile.mkdtemp(prefix="bench-education-")
    url = args.database_url or f"sqlite:///{tmp}/education.db"
    dbmod.migrate(SERVICE.migrations, url)
    db = dbmod.Database(url)
    tokens = Tokens()
    settings = Settings(service_name="education-bench", grpc_port=0, shutdown_grace_seconds=1)
    verifier = tokens.verifier()
    ctx = Context(settings, db, SERVICE.entry, SERVICE.entry.process("serve"), _verifier=verifier)
    districts = store.load_districts()
    allowed = loudspeakers.EndpointAllowList.from_data(
        json.loads(loudspeakers.ALLOW_LIST_FILE.read_text()), ["127.0.0.0/8"]
    )
    servicer = EducationServicer(ctx.db, districts, allowed=allowed)
    server = Server(
        settings,
        GrpcService(SERVICE.grpc_names, functools.partial(SERVICE.register, servicer), set(SERVICE.public_methods)),
        verifier,
    )
    await server.start()
    bare = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), bare)
    bare_port = bare.add_insecure_port("127.0.0.1:0")
    await bare.start()
    ch = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    bare_ch = grpc.aio.insecure_channel(f"127.0.0.1:{bare_port}")
    api = education_pb2_grpc.EducationServiceStub(ch)
    hello = health_pb2_grpc.HealthStub(bare_ch)
    editor = tokens.metadata(
        staff("station_editor", username="editor.bench", area_code=TOWN), ttl=dt.timedelta(hours=2)
    )
    home = tokens.metadata(household("hh-bench", area_code=VILLAGE), ttl=dt.timedelta(hours=2))
    failed = 0

    # Today's programmes: a series, episodes, a slot on each channel later today (or tomorrow's early hours).
    series = await api.CreateSeries(
        pb.CreateSeriesRequest(town_code=TOWN, title="郝老师课堂", local=True), metadata=editor
    )
    eps = []
    for n in range(1, 4):
        r = pb.AddEpisodeRequest(
            series_id=series.id, number=n, title=f"第{n}期", kind="video", topic="agriculture",
            duration_seconds=900, presenters=["郝老师"], media_url=f"https://media.example.cn/xc/ep{n}.m3u8",
        )  # fmt: skip
        eps.append(await api.AddEpisode(r, metadata=editor))
    start = utcnow() + dt.timedelta(minutes=5)
    for i, channel in enumerate(("loudspeaker", "tv", "vod")):
        r = pb.ScheduleSlotRequest(town_code=TOWN, channel=channel, episode_id=eps[i].id, starts_at=to_timestamp(start))
        await api.ScheduleSlot(r, metadata=editor)

    print(f"education benchmarks ({'PostgreSQL' if args.database_url else 'SQLite'}; {args.clients} clients, "
          f"{args.seconds} s each)")  # fmt: skip
    base = await load("hello-world (bare gRPC health)", lambda: hello.Check(health_pb2.HealthCheckRequest()),
                      args.clients, args.seconds)  # fmt: skip
    print(line(base))
    today = await load(
        "programmes today",
        lambda: api.GetProgrammesToday(pb.GetProgrammesTodayRequest(), metadata=home),
        args.clients,
        args.seconds,
    )
    print(line(today, base))
    positions = iter(range(10**9))

    def report():
        r = pb.ReportProgressRequest(episode_id=eps[0].id, member=f"m{next(positions) % 20}", position_seconds=10)
        return api.ReportProgress(r, metadata=home)

    progress = await load("recording progress", report, args.clients, args.seconds)
    print(line(progress, base))
    failed += base["errors"] + today["errors"] + progress["errors"]

    # A sign-up storm for a class's last places.
    at = utcnow() + dt.timedelta(days=2)
    r = pb.PlanSessionRequest(
        episode_id=eps[0].id, village_code=VILLAGE, place="村文化礼堂", capacity=args.places,
        starts_at=to_timestamp(at), ends_at=to_timestamp(at + dt.timedelta(hours=1)),
    )  # fmt: skip
    session = await api.PlanSession(r, metadata=editor)
    homes = [
        tokens.metadata(household(f"hh-storm-{i}", area_code=VILLAGE), ttl=dt.timedelta(hours=2))
        for i in range(args.storm)
    ]
    latencies: list[float] = []
    won = refused = 0

    async def one(md):
        nonlocal won, refused
        t = time.perf_counter()
        try:
            await api.SignUp(pb.SignUpRequest(session_id=session.id, member="本人"), metadata=md)
            won += 1
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            refused += 1
        latencies.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(md) for md in homes))
    storm = figures(f"sign-up storm ({args.storm} for {args.places})", latencies, time.perf_counter() - t0, 0)
    with store.UnitOfWork(db) as uow:
        taken = uow.sessions.get(session.id).taken(utcnow())
    print(line(storm) + f"  won {won}, refused {refused}, places taken {taken} of {args.places}")
    if taken > args.places or won != args.places:
        print("OVERBOOKED or places left over")
        failed += 1

    # The daily playlist: one loudspeaker slot to every village controller of the district.
    controllers = Controllers()
    now = utcnow()
    with store.UnitOfWork(db) as uow:
        for i in range(args.controllers):
            uow.controllers.add(domain.Controller(f"XC-{i:05d}", TOWN, VILLAGE, f"{controllers.url}{i}", "bench", now))
        uow.commit()
    worker = playout.Playout(db, districts, store.load_playout(), allowed, now=lambda: start - dt.timedelta(seconds=30))
    t0 = time.perf_counter()
    sent = await asyncio.to_thread(worker.tick)
    pushed = time.perf_counter() - t0
    with store.UnitOfWork(db) as uow:
        slots = uow.slots.between(start - dt.timedelta(minutes=1), start + dt.timedelta(hours=1), [TOWN], "loudspeaker")
        reports = uow.play_reports.of_slots({s.id for s in slots})
    played = sum(1 for r in reports if r.played)
    missing = args.controllers - played
    print(
        f"daily playlist: {sent} slot to {args.controllers} controllers: pushed and every report kept in "
        f"{pushed:.2f} s ({args.controllers / pushed:.0f} controllers/s), played {played}, errors: {missing}"
    )
    failed += missing

    await ch.close()
    await bare_ch.close()
    await server.stop()
    await bare.stop(0)
    db.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--storm", type=int, default=200)
    p.add_argument("--places", type=int, default=20)
    p.add_argument("--controllers", type=int, default=1000)
    p.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite (e.g. $DATABASE_URL)")
    sys.exit(asyncio.run(main(p.parse_args())))
