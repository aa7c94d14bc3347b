"""Async gRPC channels from the gateway to the services it routes to (the registry's public ones),
and the watch over every dependency (the status endpoint and its metrics)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from typing import Any

import grpc
import redis.asyncio as aioredis
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation

from gateway.settings import GatewaySettings

log = logging.getLogger(__name__)
SERVING = "SERVING"


class Backends:
    def __init__(self, settings: GatewaySettings):
        self.settings = settings
        self.channels = {name: grpc.aio.insecure_channel(addr) for name, addr in settings.backends.items()}
        self._stubs: dict[tuple[str, type], Any] = {}

    def stub(self, service: str, stub_class: type) -> Any:
        """The stub of a service's channel (one per service and class, made on first use)."""
        key = (service, stub_class)
        if key not in self._stubs:
            self._stubs[key] = stub_class(self.channels[service])
        return self._stubs[key]

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()


class DependencyWatch:
    """What the gateway depends on, and how each is doing: `GET /status` and the gauge
    `sbc.gateway.dependency.up` (1 or 0 per `dependency`), from checks made in the background
    every `interval` seconds, each with a short deadline, so neither ever waits for a dependency.

    Readiness (/readyz) is not made of these: a Redis or a service that is away must not take
    every gateway replica out of its Service at once. Each route degrades on its own instead (a
    service away: its routes answer 503; Redis away: rate limits in memory; Kafka away: the
    streams stay open and catch up)."""

    def __init__(
        self,
        backends: Backends,
        redis_url: str,
        limits: Any,
        readers: dict[str, Any],
        interval: float = 2.0,
        hubs: tuple[Any, ...] = (),
    ):
        self.backends = backends
        self.hubs = hubs  # the streams' hubs (gateway.push): the records each dropped, by topic
        self.limits = limits  # gateway.security.RateLimits
        self.readers = readers  # the push topics' readers (runtime.reader.TopicTail), by name
        self.interval = interval
        self.deadline = min(1.0, interval)
        self.redis = aioredis.from_url(
            redis_url, socket_timeout=self.deadline, socket_connect_timeout=self.deadline, retry_on_timeout=False
        )
        self.states: dict[str, dict[str, str]] = {}
        self.checked_at = 0.0
        self._task: asyncio.Task | None = None
        metrics.get_meter("sbc.gateway").create_observable_gauge(
            "sbc.gateway.dependency.up",
            callbacks=[self._observe],
            unit="1",
            description="1 when the dependency answered the gateway's last check, else 0",
        )

    def _observe(self, options: CallbackOptions) -> Iterable[Observation]:
        for name, state in list(self.states.items()):
            yield Observation(1 if state["state"] == SERVING else 0, {"dependency": name})

    async def check(self) -> None:
        names = list(self.backends.channels)
        results = await asyncio.gather(*(self._backend(n) for n in names), self._redis())
        states = dict(zip([*names, "redis"], results, strict=True))
        states["redis"]["rate_limits"] = (
            f"in memory (Redis: {self.limits.redis_error})" if self.limits.in_memory else "in Redis"
        )
        for name, reader in self.readers.items():
            states[name] = {"state": SERVING if reader.ready.is_set() else "STARTING"}
        for name, state in states.items():
            before = self.states.get(name, {}).get("state")
            if before is not None and before != state["state"]:
                log.log(logging.INFO if state["state"] == SERVING else logging.WARNING, "%s: %s", name, state["state"])
        self.states = states
        self.checked_at = time.time()

    async def _backend(self, name: str) -> dict[str, str]:
        try:
            r = await health_pb2_grpc.HealthStub(self.backends.channels[name]).Check(
                health_pb2.HealthCheckRequest(), timeout=self.deadline
            )
            return {"state": health_pb2.HealthCheckResponse.ServingStatus.Name(r.status)}
        except grpc.aio.AioRpcError as exc:
            return {"state": exc.code().name}

    async def _redis(self) -> dict[str, str]:
        try:
            async with asyncio.timeout(self.deadline):
                await self.redis.ping()
            return {"state": SERVING}
        except Exception as exc:
            return {"state": f"DOWN: {type(exc).__name__}"}

    def snapshot(self) -> dict[str, Any]:
        ok = bool(self.states) and all(s["state"] == SERVING for s in self.states.values())
        return {
            "status": "ok" if ok else "degraded",
            "checked_seconds_ago": round(time.time() - self.checked_at, 1) if self.checked_at else None,
            "dependencies": self.states,
            "records_rejected": {hub.topic: hub.rejected for hub in self.hubs},
        }

    async def _run(self) -> None:
        while True:
            try:
                await self.check()
            except Exception:
                log.exception("dependency checks failed; trying again")
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.redis.aclose()


STATUS_SCHEMA = {
    "type": "object",
    "required": ["status", "checked_seconds_ago", "dependencies"],
    "properties": {
        "status": {"type": "string", "enum": ["ok", "degraded"], "description": "degraded: something is away"},
        "checked_seconds_ago": {"type": ["number", "null"], "description": "Age of the last check (null: none yet)"},
        "dependencies": {
            "type": "object",
            "description": "Each service, Redis and each push topic's reader: SERVING, or what is wrong",
            "additionalProperties": {
                "type": "object",
                "required": ["state"],
                "properties": {
                    "state": {"type": "string"},
                    "rate_limits": {"type": "string", "description": "Redis: where the rate limits are counted"},
                },
            },
        },
        "records_rejected": {
            "type": "object",
            "description": "Per topic streamed to terminals: records dropped since start, their signature not holding",
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
    },
}
