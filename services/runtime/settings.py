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


@dataclass(frozen=True)
class Settings:
    service_name: str
    # gRPC listen port of this service (GRPC_PORT).
    grpc_port: int = 50051
    # SQLAlchemy URL; empty means an SQLite file under var/data (embedded default).
    database_url: str = ""
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    redis_url: str = "redis://127.0.0.1:16379/0"
    # host:port of the identity service, whose keys verify every token.
    identity_addr: str = "127.0.0.1:50051"
    # Where SQLite files live when DATABASE_URL is empty.
    data_dir: pathlib.Path = field(default_factory=lambda: REPO_ROOT / "var" / "data")
    # Seconds in-flight calls get to finish after SIGTERM.
    shutdown_grace_seconds: float = 10.0
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, service_name: str, default_grpc_port: int = 50051) -> Settings:
        return cls(
            service_name=env("SERVICE_NAME", service_name),
            grpc_port=env_int("GRPC_PORT", default_grpc_port),
            database_url=env("DATABASE_URL"),
            kafka_bootstrap_servers=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
            redis_url=env("REDIS_URL", "redis://127.0.0.1:16379/0"),
            identity_addr=env("IDENTITY_ADDR", "127.0.0.1:50051"),
            data_dir=pathlib.Path(env("DATA_DIR", str(REPO_ROOT / "var" / "data"))),
            shutdown_grace_seconds=float(env("SHUTDOWN_GRACE_SECONDS", "10")),
            log_level=env("LOG_LEVEL", "INFO"),
        )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / (self.service_name + '.db')}"
