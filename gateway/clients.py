"""Async gRPC channels from the gateway to the services."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.settings import GatewaySettings
from sbc.alerts.v1 import alerts_pb2_grpc
from sbc.identity.v1 import identity_pb2_grpc
from sbc.notifications.v1 import notifications_pb2_grpc
from sbc.servicedesk.v1 import servicedesk_pb2_grpc


class Backends:
    def __init__(self, settings: GatewaySettings):
        self.settings = settings
        self.channels = {name: grpc.aio.insecure_channel(addr) for name, addr in settings.backends.items()}
        self.identity = identity_pb2_grpc.IdentityServiceStub(self.channels["identity"])
        self.servicedesk = servicedesk_pb2_grpc.ServiceDeskServiceStub(self.channels["servicedesk"])
        self.notifications = notifications_pb2_grpc.NotificationServiceStub(self.channels["notifications"])
        self.alerts = alerts_pb2_grpc.AlertServiceStub(self.channels["alerts"])

    def auth(self, token: str) -> list[tuple[str, str]]:
        """Call metadata that forwards the caller's token (each service checks it itself)."""
        return [("authorization", f"Bearer {token}")]

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
