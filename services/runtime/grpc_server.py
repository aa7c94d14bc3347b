"""gRPC server bootstrap (grpc.aio) shared by every service.

- health checking (the library servicer) with a status per service name;
- server reflection, so grpcurl can list and describe the services;
- an interceptor that verifies the caller's token and maps domain errors to
  gRPC status codes with a readable message and field errors (google.rpc.BadRequest);
- graceful stop (runtime.service calls it on SIGTERM/SIGINT): health goes NOT_SERVING first,
  then the server stops accepting calls and in-flight calls get a grace period to finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status

from runtime import auth
from runtime import errors as domain_errors
from runtime.errors import DomainError, Unauthenticated
from runtime.settings import Settings

log = logging.getLogger(__name__)

# Each kind of domain error, as the gRPC status code that tells a caller the same.
GRPC_CODES: dict[type[DomainError], grpc.StatusCode] = {
    domain_errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    domain_errors.NotFound: grpc.StatusCode.NOT_FOUND,
    domain_errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    domain_errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    domain_errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    domain_errors.Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    domain_errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    domain_errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}


def grpc_code(error: DomainError) -> grpc.StatusCode:
    """The status code of a domain error: that of the nearest kind it is."""
    for kind in type(error).__mro__:
        if kind in GRPC_CODES:
            return GRPC_CODES[kind]
    return grpc.StatusCode.UNKNOWN


def grpc_code_number(error: DomainError) -> int:
    """The same, as the number a batched call's per-item result carries."""
    return grpc_code(error).value[0]


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
    status = status_pb2.Status(code=grpc_code_number(error), message=error.message, details=[detail])
    return rpc_status.to_status(status)


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

    def __init__(
        self,
        verifier: auth.TokenVerifier | None,
        public_methods: set[str],
        revocations: auth.Revocations | None = None,
    ):
        self.verifier = verifier
        self.public_methods = public_methods
        # Identity's revocations: a token revoked there (a staff member who left, a stolen TV) is
        # refused here too, not only at the gateway, within the list's refresh.
        self.revocations = revocations

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
                cached = self.verifier.cached(token)
                caller = cached if cached is not None else await asyncio.to_thread(self.verifier.verify, token)
                if self.revocations is not None and self.revocations.refuses(caller, token):
                    raise Unauthenticated("this token was revoked; sign in again")
                return caller
            except (Unauthenticated, domain_errors.Unavailable) as exc:
                await _abort(context, exc)
                raise  # unreachable: abort raises
                raise  # unreachable: abort raises

        async def _abort(context, exc: DomainError):
            s = status_for(exc)
            await context.abort(s.code, s.details, s.trailing_metadata)

        @contextlib.asynccontextmanager
        async def serving(context):
            """The caller signed in for the call's body, whose domain errors become its status."""
            start = time.monotonic()
            caller = await authenticate(context)
            token = auth.set_caller(caller, auth.bearer_token(metadata) if caller is not auth.ANONYMOUS else "")
            code = "OK"
            try:
                yield
            except DomainError as exc:
                code = grpc_code(exc).name
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
                async with serving(context):
                    return await behavior(request, context)

            return grpc.unary_unary_rpc_method_handler(
                unary_unary,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream:
            stream = handler.unary_stream

            # A server stream (a department's queue as it grows): the same sign-in and errors.
            async def unary_stream(request, context):
                async with serving(context):
                    async for response in stream(request, context):
                        yield response

            return grpc.unary_stream_rpc_method_handler(
                unary_stream,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler


DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024


@dataclass
class GrpcService:
    """What a service's server serves."""

    # Full names, e.g. "sbc.servicedesk.v1.ServiceDeskService" (for health and reflection).
    names: list[str]
    register: Callable[[grpc.aio.Server], None]
    public_methods: set[str] = field(default_factory=set)
    # The largest request it takes (gRPC's default is 4 MiB; the alerts service's CAP intake takes more).
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES


class Server:
    def __init__(
        self,
        settings: Settings,
        service: GrpcService,
        verifier: auth.TokenVerifier | None,
        revocations: auth.Revocations | None = None,
    ):
        self.settings = settings
        self.service = service
        self.health = health.aio.HealthServicer()
        self.revocations = revocations
        self.server = grpc.aio.server(
            interceptors=[CallerInterceptor(verifier, service.public_methods, revocations)],
            options=[("grpc.max_receive_message_length", max(DEFAULT_MAX_MESSAGE_BYTES, service.max_message_bytes))],
        )
        service.register(self.server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection([*service.names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server)
        self.port = self.server.add_insecure_port(f"[::]:{settings.grpc_port}")

    async def start(self) -> None:
        await self.server.start()
        if self.revocations is not None:
            self.revocations.start()
        for name in ["", *self.service.names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        log.info("grpc server listening", extra={"port": self.port, "services": self.service.names})

    async def stop(self) -> None:
        # Tell load balancers first, then let in-flight calls finish.
        for name in ["", *self.service.names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
        await self.server.stop(self.settings.shutdown_grace_seconds)
        if self.revocations is not None:
            await self.revocations.stop()
        log.info("grpc server stopped")
