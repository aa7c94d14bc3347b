"""Settings from environment variables: the same names locally and in the chart."""

from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"environment variable {name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SystemExit(f"environment variable {name} must be a number, got {raw!r}") from exc


def service_addr(name: str) -> str:
    """host:port of a service: <NAME>_ADDR, else its registry port on this host."""
    from runtime import registry

    svc = registry.load().service(name)
    return env(svc.addr_env) or f"127.0.0.1:{svc.port}"


def kafka_name(name: str) -> str:
    """The Kafka topic or consumer group a registry name stands for. KAFKA_PREFIX (empty in
    production) gives a platform names of its own on a shared broker: each e2e run has its own."""
    return env("KAFKA_PREFIX") + name


def registry_name(kafka: str) -> str:
    """The registry's name of a Kafka topic (what traces and logs call it)."""
    return kafka.removeprefix(env("KAFKA_PREFIX"))


@dataclass(frozen=True)
class Settings:
    service_name: str
    # gRPC listen port of this service (GRPC_PORT).
    grpc_port: int = 50051
    # SQLAlchemy URL; empty means an SQLite file under var/data (embedded default).
    database_url: str = ""
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # host:port of the identity service, whose keys verify every token.
    identity_addr: str = "127.0.0.1:50051"
    # Where SQLite files live when DATABASE_URL is empty.
    data_dir: pathlib.Path = field(default_factory=lambda: REPO_ROOT / "var" / "data")
    # Seconds in-flight calls get to finish after SIGTERM.
    shutdown_grace_seconds: float = 10.0
    log_level: str = "INFO"
    # Seconds between two reads of identity's revocations by the gRPC server: how long a revoked
    # token may still work against a service directly (the gateway reads them as often).
    revocation_refresh_seconds: float = 5.0

    @classmethod
    def from_env(cls, service_name: str, default_grpc_port: int = 50051) -> Settings:
        return cls(
            service_name=env("SERVICE_NAME", service_name),
            grpc_port=env_int("GRPC_PORT", default_grpc_port),
            database_url=env("DATABASE_URL"),
            kafka_bootstrap_servers=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
            identity_addr=service_addr("identity"),
            data_dir=pathlib.Path(env("DATA_DIR", str(REPO_ROOT / "var" / "data"))),
            shutdown_grace_seconds=env_float("SHUTDOWN_GRACE_SECONDS", 10.0),
            log_level=env("LOG_LEVEL", "INFO"),
            revocation_refresh_seconds=env_float("REVOCATION_REFRESH_SECONDS", 5.0),
        )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / (self.service_name + '.db')}"
