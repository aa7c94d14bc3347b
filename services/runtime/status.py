"""The workers' status, beside gRPC health: `sbc.runtime.v1.WorkerStatus/Get`.

gRPC health says only SERVING or NOT_SERVING. What an SRE needs to see of a worker (what its
consumers are doing, how far behind they are, what they parked) is served on the same port, by
one method that takes nothing and answers a JSON object (google.protobuf.Struct):

    grpcurl -plaintext <host>:<health port> sbc.runtime.v1.WorkerStatus/Get

The service is described to server reflection, so grpcurl needs no proto file. Its descriptor
is made here (it names only the well-known Empty and Struct types), not generated: it is the
runtime's, not any domain's API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, empty_pb2, struct_pb2

SERVICE_NAME = "sbc.runtime.v1.WorkerStatus"
# Its one method, as the caller interceptor names it (callable without a token).
METHOD = f"/{SERVICE_NAME}/Get"


def _describe() -> None:
    """Add the service's descriptor to the default pool (which reflection serves), once."""
    pool = descriptor_pool.Default()
    try:
        pool.FindServiceByName(SERVICE_NAME)
        return
    except KeyError:
        pass
    f = descriptor_pb2.FileDescriptorProto(
        name="sbc/runtime/v1/worker_status.proto",
        package="sbc.runtime.v1",
        syntax="proto3",
        dependency=[empty_pb2.DESCRIPTOR.name, struct_pb2.DESCRIPTOR.name],
    )
    service = f.service.add(name="WorkerStatus")
    service.method.add(name="Get", input_type=".google.protobuf.Empty", output_type=".google.protobuf.Struct")
    pool.AddSerializedFile(f.SerializeToString())


def handler(snapshot: Callable[[], dict[str, Any]]) -> grpc.GenericRpcHandler:
    """The service, answering `snapshot()` (plain JSON values) to each call."""
    _describe()

    async def get(request: empty_pb2.Empty, context: Any) -> struct_pb2.Struct:
        out = struct_pb2.Struct()
        out.update(snapshot())
        return out

    return grpc.method_handlers_generic_handler(
        SERVICE_NAME,
        {
            "Get": grpc.unary_unary_rpc_method_handler(
                get,
                request_deserializer=empty_pb2.Empty.FromString,
                response_serializer=struct_pb2.Struct.SerializeToString,
            )
        },
    )


def get(target: str, timeout: float = 5.0) -> dict[str, Any]:
    """Call it (tests, scripts): the status as a dict."""
    from google.protobuf import json_format

    with grpc.insecure_channel(target) as channel:
        call = channel.unary_unary(
            METHOD,
            request_serializer=empty_pb2.Empty.SerializeToString,
            response_deserializer=struct_pb2.Struct.FromString,
        )
        return json_format.MessageToDict(call(empty_pb2.Empty(), timeout=timeout))
