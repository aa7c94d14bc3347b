"""Gateway settings from environment variables (the same names in the chart)."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

from gateway.push import StreamLimits
from runtime import registry
from runtime.settings import env, env_float, env_int, service_addr


def backend_addrs() -> dict[str, str]:
    """Where each service the gateway routes to listens (<NAME>_ADDR; the registry's port by default)."""
    return {s.name: service_addr(s.name) for s in registry.load().public()}


@dataclass(frozen=True)
class GatewaySettings:
    http_port: int = 8080
    # Service name -> host:port, for every public service of the registry.
    backends: dict[str, str] = field(default_factory=backend_addrs)
    redis_url: str = "redis://127.0.0.1:16379/0"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # Largest request body accepted, in bytes.
    max_body_bytes: int = 64 * 1024
    # Largest CAP message a department may POST to /v1/alerts/cap (it embeds audio and images).
    cap_max_bytes: int = 8 * 1024 * 1024
    # Largest material file a household uploads (PUT /v1/egov/applications/{id}/materials/{code}: a
    # phone's photo); egov's district data has its own limit, at most this.
    material_max_bytes: int = 2 * 1024 * 1024
    # Rate limits in the `limits` notation, e.g. "120/minute".
    rate_limit_device: str = "120/minute"
    rate_limit_ip: str = "600/minute"
    # Seconds to wait for a backend call.
    backend_timeout: float = 10.0
    # Push streams (per replica): per box (a newer stream closes its oldest past it), per household
    # (refused with 429 past it), messages buffered for one terminal, seconds one write may take.
    stream_limit_device: int = 2
    stream_limit_household: int = 6
    stream_buffer: int = 200
    stream_send_timeout: float = 10.0
    # Seconds between two reads of identity's revocations: how long a revoked token may still work.
    revocation_refresh_seconds: float = 5.0
    # The staff account (role egov_office: the district's government-service office lends the
    # museum its figures) the museum's exhibition area reads e-government's figures with; empty:
    # that figure is unavailable.
    exhibition_staff_username: str = ""
    exhibition_staff_password: str = field(default="", repr=False)
    # The museum's photographs and recorded guides (the exhibits' data names each file), served at
    # /tourism/media/: the image's drawn illustrations by default; on the cluster, a volume.
    tourism_media_dir: str = str(pathlib.Path(__file__).resolve().parent / "static" / "tourism" / "media")

    @property
    def identity_addr(self) -> str:
        return self.backends["identity"]

    @classmethod
    def from_env(cls) -> GatewaySettings:
        return cls(
            http_port=env_int("HTTP_PORT", registry.load().gateway.port),
            backends=backend_addrs(),
            redis_url=env("REDIS_URL", "redis://127.0.0.1:16379/0"),
            kafka_bootstrap_servers=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
            max_body_bytes=env_int("MAX_BODY_BYTES", 64 * 1024),
            cap_max_bytes=env_int("ALERTS_CAP_MAX_BYTES", 8 * 1024 * 1024),
            material_max_bytes=env_int("EGOV_MATERIAL_MAX_BYTES", 2 * 1024 * 1024),
            rate_limit_device=env("RATE_LIMIT_DEVICE", "120/minute"),
            rate_limit_ip=env("RATE_LIMIT_IP", "600/minute"),
            backend_timeout=env_float("BACKEND_TIMEOUT_SECONDS", 10.0),
            stream_limit_device=env_int("STREAM_LIMIT_DEVICE", 2),
            stream_limit_household=env_int("STREAM_LIMIT_HOUSEHOLD", 6),
            stream_buffer=env_int("STREAM_BUFFER", 200),
            stream_send_timeout=env_float("STREAM_SEND_TIMEOUT_SECONDS", 10.0),
            revocation_refresh_seconds=env_float("REVOCATION_REFRESH_SECONDS", 5.0),
            exhibition_staff_username=env("EXHIBITION_STAFF_USERNAME", ""),
            exhibition_staff_password=env("EXHIBITION_STAFF_PASSWORD", ""),
            tourism_media_dir=env("TOURISM_MEDIA_DIR", "") or cls.tourism_media_dir,
        )

    def stream_limits(self) -> StreamLimits:
        return StreamLimits(
            self.stream_limit_device, self.stream_limit_household, self.stream_buffer, self.stream_send_timeout
        )
