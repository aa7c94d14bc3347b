"""Process start-up shared by every service: logs, telemetry, settings,
database (migrated on start unless MIGRATE_ON_START=false, as in Kubernetes
where a Job migrates), and the gRPC server."""

from __future__ import annotations

import pathlib
from collections.abc import Awaitable, Callable

import grpc

from runtime import db as dbmod
from runtime import telemetry
from runtime.auth import TokenVerifier, grpc_jwks_fetcher
from runtime.grpc_server import GrpcService, serve
from runtime.logs import setup_logging
from runtime.settings import Settings, env


def start_service(name: str, migrations_dir: pathlib.Path | None, default_grpc_port: int = 50051, process: str = ""):
    """`process` names a worker process of the service (relay, consumer) in logs and traces."""
    settings = Settings.from_env(name, default_grpc_port)
    process_name = f"{settings.service_name}-{process}" if process else settings.service_name
    setup_logging(process_name, settings.log_level)
    telemetry.setup_telemetry(process_name)
    url = settings.effective_database_url
    if migrations_dir is not None:
        if not process and env("MIGRATE_ON_START", "true").lower() == "true":
            dbmod.migrate(migrations_dir, url)
        else:
            dbmod.wait_for_schema(migrations_dir, url)
    return settings, dbmod.Database(url)


def migrate_only(name: str, migrations_dir: pathlib.Path) -> None:
    settings = Settings.from_env(name)
    setup_logging(settings.service_name, settings.log_level)
    dbmod.migrate(migrations_dir, settings.effective_database_url)


def verifier_for(settings: Settings) -> TokenVerifier:
    """Verifies tokens with the keys the identity service publishes."""
    return TokenVerifier(grpc_jwks_fetcher(settings.identity_addr))


async def serve_grpc(
    settings: Settings,
    names: list[str],
    register: Callable[[grpc.aio.Server], None],
    verifier: TokenVerifier | None,
    public_methods: set[str] | None = None,
    background: list[Callable[[], Awaitable[None]]] | None = None,
) -> None:
    await serve(settings, GrpcService(names, register, public_methods or set()), verifier, background)


def _health_server(port: int):
    """A small gRPC health endpoint for worker processes (relay, consumers), so
    Kubernetes can probe them like the servers. Off unless HEALTH_PORT is set."""
    from concurrent import futures

    from grpc_health.v1 import health, health_pb2, health_pb2_grpc

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    server.add_insecure_port(f"[::]:{port}")
    server.start()
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    return server, servicer


def run_worker(name: str, process: str, migrations_dir: pathlib.Path | None, make_worker) -> None:
    """Run a blocking worker (it has run_forever() and stop()) until SIGTERM/SIGINT."""
    import signal
    import threading

    settings, db = start_service(name, migrations_dir, process=process)
    worker = make_worker(settings, db)
    health_port = env("HEALTH_PORT")
    health = _health_server(int(health_port)) if health_port else None

    def stop(*_):
        worker.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    thread = threading.Thread(target=worker.run_forever, name=f"{name}-worker")
    thread.start()
    while thread.is_alive():
        thread.join(0.5)
    if health:
        health[0].stop(1)
    telemetry.flush()


def run_relay(name: str, migrations_dir: pathlib.Path) -> None:
    """The outbox relay of service `name` (its own process)."""
    from runtime.outbox import Relay

    run_worker(name, "relay", migrations_dir, lambda settings, db: Relay(db, settings.kafka_bootstrap_servers))
