"""Async gRPC channels from the gateway to the services it routes to (the registry's public ones)."""

from __future__ import annotations

from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.settings import GatewaySettings


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

    async def health(self) -> dict[str, str]:
        out = {}
        for name, channel in self.channels.items():
            try:
                r = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=2)
                out[name] = health_pb2.HealthCheckResponse.ServingStatus.Name(r.status)
            except grpc.aio.AioRpcError as exc:
                out[name] = exc.code().name
        return out

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()
