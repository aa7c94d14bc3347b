"""OpenTelemetry: tracer and meter providers, OTLP export when
OTEL_EXPORTER_OTLP_ENDPOINT is set, and instrumentation of gRPC, SQLAlchemy
and Redis. FastAPI is instrumented by the gateway (it owns the app); Kafka
spans are made in runtime.events, because the outbox relay must continue the
trace stored with each outbox row, which a generic instrumentation cannot know.
"""

from __future__ import annotations

import os
import threading

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_lock = threading.Lock()
_provider: TracerProvider | None = None


def setup_telemetry(service_name: str) -> TracerProvider:
    """Install the providers once per process and instrument the libraries."""
    global _provider
    with _lock:
        if _provider is not None:
            return _provider
        resource = Resource.create({"service.name": service_name})
        provider = TracerProvider(resource=resource)
        readers = []
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
        trace.set_tracer_provider(provider)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
        _instrument_libraries()
        _provider = provider
        return provider


def add_span_processor(processor: SpanProcessor) -> None:
    """Tests add an in-memory exporter here."""
    if _provider is None:
        raise RuntimeError("setup_telemetry() first")
    _provider.add_span_processor(processor)


def flush() -> None:
    if _provider is not None:
        _provider.force_flush()


def shutdown() -> None:
    if _provider is not None:
        _provider.shutdown()


def _instrument_libraries() -> None:
    from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, GrpcAioInstrumentorServer, filters
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    # Health checks and reflection are not traced: probes every few seconds would
    # drown the traces, and the instrumentation breaks the health Watch stream
    # (it expects streaming handlers to be async generators).
    not_infra = filters.negate(
        filters.any_of(filters.service_prefix("grpc.health"), filters.service_prefix("grpc.reflection"))
    )
    GrpcAioInstrumentorServer(filter_=not_infra).instrument()
    GrpcAioInstrumentorClient(filter_=not_infra).instrument()
    RedisInstrumentor().instrument()


def instrument_engine(engine) -> None:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(engine=engine)


def tracer(name: str = "sbc"):
    return trace.get_tracer(name)
