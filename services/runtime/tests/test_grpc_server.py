"""The gRPC bootstrap: health, reflection, error mapping, graceful shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from runtime.errors import InvalidArgument
from runtime.grpc_server import GrpcService, Server, field_errors_of
from runtime.settings import Settings
from sbc.notifications.v1 import notifications_pb2, notifications_pb2_grpc

NAME = notifications_pb2.DESCRIPTOR.services_by_name["NotificationService"].full_name
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


class SlowServicer(notifications_pb2_grpc.NotificationServiceServicer):
    """Takes a while, or fails with a domain error when asked for page size 7."""

    async def ListMyPushMessages(self, request, context):
        if request.page.page_size == 7:
            raise InvalidArgument("seven is not allowed", {"page.page_size": "not seven"})
        await asyncio.sleep(1.0)
        return notifications_pb2.ListMyPushMessagesResponse()


async def start_server() -> tuple[Server, str]:
    settings = Settings(service_name="test", grpc_port=0, shutdown_grace_seconds=5)
    service = GrpcService(
        [NAME],
        lambda s: notifications_pb2_grpc.add_NotificationServiceServicer_to_server(SlowServicer(), s),
        public_methods={"ListMyPushMessages"},
    )
    server = Server(settings, service, verifier=None)
    await server.start()
    return server, f"127.0.0.1:{server.port}"


async def test_health_reflection_and_domain_errors():
    server, addr = await start_server()
    try:
        async with grpc.aio.insecure_channel(addr) as ch:
            health = health_pb2_grpc.HealthStub(ch)
            for name in ("", NAME):
                r = await health.Check(health_pb2.HealthCheckRequest(service=name))
                assert r.status == health_pb2.HealthCheckResponse.SERVING
            stub = notifications_pb2_grpc.NotificationServiceStub(ch)
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await stub.ListMyPushMessages(notifications_pb2.ListMyPushMessagesRequest(page={"page_size": 7}))
            assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert err.value.details() == "seven is not allowed"
            assert field_errors_of(err.value) == {"page.page_size": "not seven"}

        def reflect():
            with grpc.insecure_channel(addr) as sync_ch:
                return set(ProtoReflectionDescriptorDatabase(sync_ch).get_services())

        services = await asyncio.to_thread(reflect)
        assert {NAME, "grpc.health.v1.Health"} <= services
    finally:
        await server.stop()


async def test_shutdown_reports_not_serving_first_and_lets_calls_in_flight_finish():
    server, addr = await start_server()
    async with grpc.aio.insecure_channel(addr) as ch:
        watch = health_pb2_grpc.HealthStub(ch).Watch(health_pb2.HealthCheckRequest(service=NAME))
        assert (await watch.read()).status == health_pb2.HealthCheckResponse.SERVING
        in_flight = asyncio.ensure_future(
            notifications_pb2_grpc.NotificationServiceStub(ch).ListMyPushMessages(
                notifications_pb2.ListMyPushMessagesRequest()
            )
        )
        await asyncio.sleep(0.2)
        stopping = asyncio.ensure_future(server.stop())
        assert (await watch.read()).status == health_pb2.HealthCheckResponse.NOT_SERVING
        assert isinstance(await in_flight, notifications_pb2.ListMyPushMessagesResponse)
        await stopping


def test_a_service_process_stops_cleanly_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([os.path.join(ROOT, "services"), os.path.join(ROOT, "protos"), ROOT]),
        "DATA_DIR": str(tmp_path),
        "GRPC_PORT": "0",
        "IDENTITY_ADDR": "127.0.0.1:1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "servicedesk", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "grpc server listening" in line:
            break
    else:
        proc.kill()
        pytest.fail("server did not start:\n" + "".join(lines))
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "grpc server stopped" in out
