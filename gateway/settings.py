"""Gateway settings from environment variables (the same names in the chart)."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings import env, env_int


@dataclass(frozen=True)
class GatewaySettings:
    http_port: int = 8080
    identity_addr: str = "127.0.0.1:50051"
    servicedesk_addr: str = "127.0.0.1:50052"
    notifications_addr: str = "127.0.0.1:50053"
    alerts_addr: str = "127.0.0.1:50054"
    redis_url: str = "redis://127.0.0.1:16379/0"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # Largest request body accepted, in bytes.
    max_body_bytes: int = 64 * 1024
    # Rate limits in the `limits` notation, e.g. "120/minute".
    rate_limit_device: str = "120/minute"
    rate_limit_ip: str = "600/minute"
    # Seconds to wait for a backend call.
    backend_timeout: float = 10.0

    @classmethod
    def from_env(cls) -> GatewaySettings:
        return cls(
            http_port=env_int("HTTP_PORT", 8080),
            identity_addr=env("IDENTITY_ADDR", "127.0.0.1:50051"),
            servicedesk_addr=env("SERVICEDESK_ADDR", "127.0.0.1:50052"),
            notifications_addr=env("NOTIFICATIONS_ADDR", "127.0.0.1:50053"),
            alerts_addr=env("ALERTS_ADDR", "127.0.0.1:50054"),
            redis_url=env("REDIS_URL", "redis://127.0.0.1:16379/0"),
            kafka_bootstrap_servers=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
            max_body_bytes=env_int("MAX_BODY_BYTES", 64 * 1024),
            rate_limit_device=env("RATE_LIMIT_DEVICE", "120/minute"),
            rate_limit_ip=env("RATE_LIMIT_IP", "600/minute"),
            backend_timeout=float(env("BACKEND_TIMEOUT_SECONDS", "10")),
        )
