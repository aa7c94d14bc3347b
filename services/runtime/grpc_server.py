"""gRPC server bootstrap (grpc.aio) shared by every service.

- health checking (the library servicer) with a status per service name;
- server reflection, so grpcurl can list and describe the services;
- an interceptor that verifies the caller's token and maps domain errors to
  gRPC status codes with a readable message and field errors (google.rpc.BadRequest);
- graceful shutdown on SIGTERM/SIGINT: health goes NOT_SERVING first, then the
  server stops accepting calls and in-flight calls get a grace period to finish.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status

from runtime import auth
from runtime.errors import DomainError, Unauthenticated
from runtime.settings import Settings

log = logging.getLogger(__name__)


def status_for(error: DomainError) -> grpc.Status:
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                for f, d in error.field_errors.items()
            ]
        )
    )
    return rpc_status.to_status(status_pb2.Status(code=error.code.value[0], message=error.message, details=[detail]))


def field_errors_of(exc: grpc.RpcError) -> dict[str, str]:
    """The field errors a service attached to its error (for the gateway and tests)."""
    status = rpc_status.from_call(exc)
    out: dict[str, str] = {}
    if status is None:
        return out
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            br = error_details_pb2.BadRequest()
            detail.Unpack(br)
            out.update({v.field: v.description for v in br.field_violations})
    return out


def _is_abort(exc: Exception) -> bool:
    # context.abort() ends a call by raising; that is not a failure of ours.
    return isinstance(exc, (grpc.RpcError, grpc.aio.AbortError))


async def _internal(context, exc: Exception) -> None:
    """An unexpected failure: log it whole, tell the caller nothing of our insides."""
    log.exception("rpc failed unexpectedly")
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; it was logged, please try again later")


class CallerInterceptor(grpc.aio.ServerInterceptor):
    """Authenticates every call (except `public_methods`) and maps domain errors."""

    def __init__(self, verifier: auth.TokenVerifier | None, public_methods: set[str]):
        self.verifier = verifier
        self.public_methods = public_methods

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)
        if handler is None or details.method.startswith("/grpc."):
            return handler
        method = details.method
        metadata = {k: v for k, v in (details.invocation_metadata or ()) if isinstance(v, str)}
        public = method in self.public_methods or method.rsplit("/", 1)[-1] in self.public_methods

        async def authenticate(context) -> auth.Caller:
            try:
                token = auth.bearer_token(metadata)
                if not token:
                    if public:
                        return auth.ANONYMOUS
                    raise Unauthenticated("sign in first: this call needs a bearer token")
                if self.verifier is None:
                    raise Unauthenticated("this server cannot verify tokens")
                return self.verifier.cached(token) or await asyncio.to_thread(self.verifier.verify, token)
            except Unauthenticated as exc:
                await _abort(context, exc)
                raise  # unreachable: abort raises

        async def _abort(context, exc: DomainError):
            s = status_for(exc)
            await context.abort(s.code, s.details, s.trailing_metadata)

        async def run(behavior, request, context):
            start = time.monotonic()
            caller = await authenticate(context)
            token = auth.set_caller(caller)
            code = "OK"
            try:
                return await behavior(request, context)
            except DomainError as exc:
                code = exc.code.name
                await _abort(context, exc)
            except asyncio.CancelledError:
                code = "CANCELLED"
                raise
            except Exception as exc:
                if _is_abort(exc):
                    raise
                code = "INTERNAL"
                await _internal(context, exc)
            finally:
                auth.reset_caller(token)
                log.info(
                    "rpc",
                    extra={"method": method, "code": code, "ms": round((time.monotonic() - start) * 1000, 1)},
                )

        if handler.unary_unary:
            behavior = handler.unary_unary

            async def unary_unary(request, context):
                return await run(behavior, request, context)

            return grpc.unary_unary_rpc_method_handler(
                unary_unary,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream:
            stream_behavior = handler.unary_stream

            async def unary_stream(request, context):
                caller = await authenticate(context)
                token = auth.set_caller(caller)
                try:
                    async for item in stream_behavior(request, context):
                        yield item
                except DomainError as exc:
                    await _abort(context, exc)
                except Exception as exc:
                    if _is_abort(exc):
                        raise
                    await _internal(context, exc)
                finally:
                    auth.reset_caller(token)

            return grpc.unary_stream_rpc_method_handler(
                unary_stream,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler


@dataclass
class GrpcService:
    """What a service hands to `serve`."""

    # Full names, e.g. "sbc.servicedesk.v1.ServiceDeskService" (for health and reflection).
    names: list[str]
    register: Callable[[grpc.aio.Server], None]
    public_methods: set[str] = field(default_factory=set)


class Server:
    def __init__(self, settings: Settings, service: GrpcService, verifier: auth.TokenVerifier | None):
        self.settings = settings
        self.service = service
        self.health = health.aio.HealthServicer()
        self.server = grpc.aio.server(
            interceptors=[CallerInterceptor(verifier, service.public_methods)],
            options=[("grpc.max_receive_message_length", 4 * 1024 * 1024)],
        )
        service.register(self.server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection([*service.names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server)
        self.port = self.server.add_insecure_port(f"[::]:{settings.grpc_port}")

    async def start(self) -> None:
        await self.server.start()
        for name in ["", *self.service.names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        log.info("grpc server listening", extra={"port": self.port, "services": self.service.names})

    async def stop(self) -> None:
        # Tell load balancers first, then let in-flight calls finish.
        for name in ["", *self.service.names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
        await self.server.stop(self.settings.shutdown_grace_seconds)
        log.info("grpc server stopped")


async def serve(
    settings: Settings,
    service: GrpcService,
    verifier: auth.TokenVerifier | None,
    background: list[Callable[[], Awaitable[None]]] | None = None,
) -> None:
    """Run until SIGTERM or SIGINT, then shut down gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = Server(settings, service, verifier)
    await server.start()
    tasks = [asyncio.create_task(job()) for job in background or []]
    await stop.wait()
    log.info("shutting down")
    await server.stop()
    for t in tasks:
        t.cancel()
