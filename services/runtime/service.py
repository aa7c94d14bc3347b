"""One entrypoint for every service: `python -m <service> [process ...]`.

A service declares in its `service.py` what only its code knows: its servicer, the methods
callable without signing in, and a factory for each worker. The registry
(charts/sbc-platform/platform.yaml) says which processes it has and of what kind; the runtime
provides the rest (the outbox relay, migrations, health, graceful shutdown):

    python -m servicedesk                   the gRPC server (serve)
    python -m servicedesk relay             one process, as each pod of the chart runs it
    python -m servicedesk serve relay       several in one OS process
    python -m servicedesk all               every process of the service in one OS process (make up)
    python -m servicedesk migrate           bring the database to the newest migration (a Job)
    python -m servicedesk dead-letters list|replay ...   what its consumers parked (runtime.dead_letters)

In one OS process the workers run in threads beside the server, and their health is reported
by the server's health service under their component names (e.g. `servicedesk-relay`); a
process without the server reports on HEALTH_PORT when it is set. A consumer's component goes
NOT_SERVING while Kafka has not answered it for STALL_SECONDS (60), and SERVING again when it
does; the process's own status ("") stays SERVING while it runs (the probes restart a
pod on it, and restarting a worker brings Kafka back no sooner). Beside health, on the same port,
`sbc.runtime.v1.WorkerStatus/Get` (runtime.status) tells what each worker is doing: its
consumers' state, applied and parked counts, the last parked record and the lag per partition.
A worker that dies takes its process down, so that the supervisor or Kubernetes starts it again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import pathlib
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from runtime import db as dbmod
from runtime import kafka_clients, registry, status, telemetry
from runtime.auth import Revocations, TokenVerifier, grpc_jwks_fetcher, grpc_revocations_fetcher
from runtime.consumer import Consumer, Handler
from runtime.grpc_server import DEFAULT_MAX_MESSAGE_BYTES, GrpcService, Server
from runtime.logs import setup_logging
from runtime.settings import REPO_ROOT, Settings, env, env_float, kafka_name

log = logging.getLogger(__name__)
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
# How often a consumer's health is looked at, and how long Kafka may not answer it before its
# component is NOT_SERVING (Kafka away, or the consumer stuck waiting for its database).
HEALTH_WATCH_SECONDS = 2.0
STALL_SECONDS = 60.0


class Worker(Protocol):
    """What a worker process runs: blocking until stop() is called (from another thread)."""

    def run_forever(self) -> None: ...

    def stop(self) -> None: ...


@dataclass
class Context:
    """What a process of a service is made from."""

    settings: Settings
    db: dbmod.Database
    service: registry.Service
    process: registry.Process
    # Set by the runner for the server (the servicer may need it for tokens carried in a call).
    _verifier: TokenVerifier | None = None

    @property
    def kafka(self) -> str:
        return self.settings.kafka_bootstrap_servers

    @property
    def group(self) -> str:
        """This consumer's Kafka group (the registry's, under KAFKA_PREFIX)."""
        return kafka_name(self.process.group)

    @property
    def topics(self) -> list[str]:
        """The Kafka topics this consumer reads (the registry's, under KAFKA_PREFIX)."""
        return [kafka_name(t) for t in self.process.reads]

    @property
    def dead_letters(self) -> str:
        """The Kafka topic this service's consumers park what they cannot apply on ("" without one)."""
        topic = self.service.dead_letters
        return kafka_name(topic.name) if topic is not None else ""

    @property
    def verifier(self) -> TokenVerifier:
        """Verifies callers' tokens with the keys identity publishes."""
        if self._verifier is None:
            self._verifier = TokenVerifier(grpc_jwks_fetcher(self.settings.identity_addr))
        return self._verifier


WorkerFactory = Callable[[Context], Worker]


def consumer(handlers: Mapping[str, Handler], batch_size: int | None = None) -> WorkerFactory:
    """A worker that applies each event of its topics with the handler for its type, once;
    `batch_size` records in a transaction for handlers that touch only the database
    (runtime.consumer)."""
    return lambda ctx: Consumer(
        ctx.db,
        ctx.kafka,
        ctx.group,
        ctx.topics,
        dict(handlers),
        dead_letter_topic=ctx.dead_letters,
        batch_size=batch_size,
    )


class Periodic:
    """A worker that calls `tick()` every `interval` seconds (a failed tick is logged and tried again)."""

    def __init__(self, name: str, tick: Callable[[], object], interval: float):
        self.name = name
        self.tick = tick
        self.interval = interval
        self._stop = threading.Event()

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("%s: a periodic pass failed; trying again", self.name)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()


def periodic(tick: Callable[[Context], Callable[[], object]], every: str, default: float) -> WorkerFactory:
    """A Periodic worker: `tick(ctx)` makes the pass; `every` names the env var with its seconds."""
    return lambda ctx: Periodic(ctx.process.component, tick(ctx), env_float(every, default))


@dataclass
class Service:
    """A service as the runtime runs it (services/<name>/service.py declares one)."""

    name: str
    # The generated module of its API (<name>_pb2) and the servicer's registration function
    # (<name>_pb2_grpc.add_<Service>Servicer_to_server).
    proto: ModuleType
    register: Callable[[Any, grpc.aio.Server], None]
    # Makes the servicer for the server process.
    servicer: Callable[[Context], Any]
    # Methods callable without a token (bare names, e.g. "GetJwks").
    public_methods: frozenset[str] = frozenset()
    # A factory per worker process of the registry (consumers, periodic jobs); relays are the runtime's.
    workers: dict[str, WorkerFactory] = field(default_factory=dict)
    # The verifier of the server, when not identity's published keys (identity verifies with its own).
    verifier: Callable[[Context, Any], TokenVerifier] | None = None
    # The largest request its server takes, read when it starts (None: gRPC's 4 MiB).
    max_message_bytes: Callable[[], int] | None = None

    def grpc_service(self, register: Callable[[grpc.aio.Server], None], names: list[str], public: set[str]):
        """What its server serves."""
        limit = self.max_message_bytes() if self.max_message_bytes else DEFAULT_MAX_MESSAGE_BYTES
        return GrpcService(names, register, public, limit)

    @property
    def entry(self) -> registry.Service:
        return registry.load().service(self.name)

    @property
    def migrations(self) -> pathlib.Path:
        return REPO_ROOT / "services" / self.name / "migrations"

    @property
    def grpc_names(self) -> list[str]:
        return [s.full_name for s in self.proto.DESCRIPTOR.services_by_name.values()]

    def check(self) -> None:
        """The code and the registry agree: a factory for every worker the registry names, and no other."""
        entry = self.entry
        wanted = {p.name for p in entry.processes.values() if p.kind in ("consumer", "worker")}
        if set(self.workers) != wanted:
            raise registry.RegistryError(
                f"{self.name}: the registry's workers are {sorted(wanted)}, service.py makes {sorted(self.workers)}"
            )

    def main(self, argv: list[str] | None = None) -> None:
        args = list(sys.argv[1:] if argv is None else argv) or ["serve"]
        entry = self.entry
        if args == ["migrate"]:
            settings = Settings.from_env(self.name, entry.port)
            setup_logging(self.name, settings.log_level)
            dbmod.migrate(self.migrations, settings.effective_database_url)
            return
        if args[0] == "dead-letters":
            kafka_clients.use_principal(self.name)
            from runtime import dead_letters

            sys.exit(dead_letters.main(self, args[1:]))
        if args == ["all"]:
            args = list(entry.processes)
        try:
            processes = [entry.process(a) for a in args]
            self.check()
        except registry.RegistryError as exc:
            usage = f"python -m {self.name} [{'|'.join(entry.processes)}|all|migrate|dead-letters]"
            sys.exit(f"usage: {usage}: {exc}")
        # Its Kafka principal, unless KAFKA_USERNAME names another (runtime.kafka_security).
        kafka_clients.use_principal(self.name)
        sys.exit(asyncio.run(Runner(self, processes).run()))


class Runner:
    """Runs one or more processes of a service in this OS process until SIGTERM or SIGINT."""

    def __init__(self, service: Service, processes: list[registry.Process]):
        self.service = service
        self.processes = processes
        entry = service.entry
        one = processes[0].component if len(processes) == 1 else service.name
        self.settings = Settings.from_env(service.name, entry.port)
        self.process_name = one
        self.stop = asyncio.Event()
        self.exit_code = 0
        self.workers: list[tuple[Context, Worker]] = []
        # Each worker's component -> whether its health says SERVING.
        self.serving: dict[str, bool] = {}

    def _database(self) -> dbmod.Database:
        url = self.settings.effective_database_url
        serves = any(p.kind == "grpc" for p in self.processes)
        if serves and env("MIGRATE_ON_START", "true").lower() == "true":
            dbmod.migrate(self.service.migrations, url)
        else:
            dbmod.wait_for_schema(self.service.migrations, url)
        return dbmod.Database(url)

    def _worker(self, ctx: Context) -> Worker:
        if ctx.process.kind == "relay":
            from runtime.outbox import Relay
            from runtime.record_signing import signer_for

            return Relay(ctx.db, ctx.kafka, signer=signer_for(self.service.name))
        worker = self.service.workers[ctx.process.name](ctx)
        if ctx.process.kind == "consumer" and isinstance(worker, Consumer):
            worker.dead_letter_topic = ctx.dead_letters
        return worker

    async def run(self) -> int:
        setup_logging(self.process_name, self.settings.log_level)
        telemetry.setup_telemetry(self.process_name)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop.set)
        db = await asyncio.to_thread(self._database)
        entry = self.service.entry
        contexts = [Context(self.settings, db, entry, p) for p in self.processes]
        server, health_server, health_servicer = None, None, None
        server_ctx = next((c for c in contexts if c.process.kind == "grpc"), None)
        has_workers = any(c.process.kind != "grpc" for c in contexts)
        if server_ctx is not None:
            servicer = await asyncio.to_thread(self.service.servicer, server_ctx)
            verifier = self.service.verifier(server_ctx, servicer) if self.service.verifier else server_ctx.verifier
            names = list(self.service.grpc_names)
            register: Callable[[grpc.aio.Server], None] = functools.partial(self.service.register, servicer)
            public = set(self.service.public_methods)
            if has_workers:
                # The workers' status beside their health, on the server's port.
                names.append(status.SERVICE_NAME)
                public.add(status.METHOD)
                register = _with_status(register, self.snapshot)
            revocations = Revocations(
                grpc_revocations_fetcher(self.settings.identity_addr), self.settings.revocation_refresh_seconds
            )
            server = Server(self.settings, self.service.grpc_service(register, names, public), verifier, revocations)
            await server.start()
            health_servicer = server.health
        self.workers = [(c, await asyncio.to_thread(self._worker, c)) for c in contexts if c.process.kind != "grpc"]
        if self.workers and health_servicer is None and env("HEALTH_PORT"):
            health_server, health_servicer = await _health_server(int(env("HEALTH_PORT")), self.snapshot)
        threads = []
        for ctx, worker in self.workers:
            thread = threading.Thread(target=self._run_worker, args=(ctx, worker, loop), name=ctx.process.component)
            thread.start()
            threads.append(thread)
            self.serving[ctx.process.component] = True
            if health_servicer is not None:
                await health_servicer.set(ctx.process.component, SERVING)
        if health_servicer is not None and server is None:
            await health_servicer.set("", SERVING)
        watch = asyncio.create_task(self._watch(health_servicer))
        log.info("started", extra={"processes": [p.name for p in self.processes]})
        await self.stop.wait()
        log.info("shutting down")
        watch.cancel()
        if health_servicer is not None:
            for ctx, _ in self.workers:
                await health_servicer.set(ctx.process.component, NOT_SERVING)
        for _, worker in self.workers:
            worker.stop()
        if server is not None:
            await server.stop()
        for thread in threads:
            await asyncio.to_thread(thread.join, self.settings.shutdown_grace_seconds)
        if health_server is not None:
            await health_server.stop(1)
        db.dispose()
        telemetry.flush()
        return self.exit_code

    async def _watch(self, health_servicer: Any) -> None:
        """A consumer's component is NOT_SERVING while Kafka has not answered it for
        STALL_SECONDS; SERVING again once it does."""
        stall = STALL_SECONDS
        while True:
            await asyncio.sleep(HEALTH_WATCH_SECONDS)
            for ctx, worker in self.workers:
                healthy = getattr(worker, "healthy", None)
                ok = bool(healthy(stall)) if callable(healthy) else True
                component = ctx.process.component
                if ok == self.serving.get(component):
                    continue
                self.serving[component] = ok
                if ok:
                    log.info("%s: Kafka answers again: SERVING", component)
                else:
                    log.error("%s: Kafka has not answered for %.0f s: NOT_SERVING", component, stall)
                if health_servicer is not None:
                    await health_servicer.set(component, SERVING if ok else NOT_SERVING)

    def snapshot(self) -> dict[str, Any]:
        """What runtime.status answers: each worker of this process, and what it is doing."""
        workers: dict[str, Any] = {}
        for ctx, worker in self.workers:
            component = ctx.process.component
            entry: dict[str, Any] = {"kind": ctx.process.kind, "serving": self.serving.get(component, False)}
            detail = getattr(worker, "status", None)
            if callable(detail):
                entry.update(detail())
            workers[component] = entry
        return {"service": self.service.name, "workers": workers}

    def _run_worker(self, ctx: Context, worker: Worker, loop: asyncio.AbstractEventLoop) -> None:
        try:
            worker.run_forever()
            if self.stop.is_set():
                return
            log.error("%s stopped by itself; the process exits so that it is started again", ctx.process.name)
        except BaseException:
            log.exception("%s stopped with an error; the process exits so that it is started again", ctx.process.name)
        self.exit_code = 1
        loop.call_soon_threadsafe(self.stop.set)


def _with_status(
    register: Callable[[grpc.aio.Server], None], snapshot: Callable[[], dict[str, Any]]
) -> Callable[[grpc.aio.Server], None]:
    def both(server: grpc.aio.Server) -> None:
        register(server)
        server.add_generic_rpc_handlers((status.handler(snapshot),))

    return both


async def _health_server(port: int, snapshot: Callable[[], dict[str, Any]]):
    """gRPC health for a process of workers only (the chart probes it on HEALTH_PORT), with the
    workers' status beside it and reflection (so that grpcurl needs no proto file)."""
    server = grpc.aio.server()
    servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    server.add_generic_rpc_handlers((status.handler(snapshot),))
    reflection.enable_server_reflection([health.SERVICE_NAME, status.SERVICE_NAME, reflection.SERVICE_NAME], server)
    server.add_insecure_port(f"[::]:{port}")
    await server.start()
    return server, servicer
