"""The event envelope: a protobuf payload with CloudEvents attributes in Kafka
headers (the CloudEvents Kafka binding, binary mode: ce_id, ce_type, ...) and
the W3C trace context (traceparent, tracestate).
"""

from __future__ import annotations

import builtins
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TypeVar

from google.protobuf.message import Message
from opentelemetry import propagate

M = TypeVar("M", bound=Message)
CONTENT_TYPE = "application/protobuf"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    source: str
    subject: str
    time: str
    payload: bytes
    # Trace context and any other headers, as text.
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls, message: Message, type: str, source: str, subject: str) -> Event:
        return cls(
            id=str(uuid.uuid4()),
            type=type,
            source=source,
            subject=subject,
            time=utcnow().isoformat(),
            payload=message.SerializeToString(),
        )

    def headers(self) -> list[tuple[str, bytes]]:
        attrs = {
            "ce_specversion": "1.0",
            "ce_id": self.id,
            "ce_type": self.type,
            "ce_source": self.source,
            "ce_subject": self.subject,
            "ce_time": self.time,
            "content-type": CONTENT_TYPE,
            **self.extra,
        }
        return [(k, v.encode()) for k, v in attrs.items()]

    @classmethod
    def from_headers(cls, headers: list[tuple[str, bytes]], payload: bytes) -> Event:
        # Kafka allows null header values.
        h = {k: (v or b"").decode("utf-8", "replace") for k, v in headers or []}
        missing = [k for k in ("ce_id", "ce_type", "ce_source") if k not in h]
        if missing:
            raise ValueError(f"not an event: missing headers {missing}")
        known = {"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "content-type"}
        return cls(
            id=h["ce_id"],
            type=h["ce_type"],
            source=h["ce_source"],
            subject=h.get("ce_subject", ""),
            time=h.get("ce_time", ""),
            payload=payload,
            extra={k: v for k, v in h.items() if k not in known},
        )

    def decode(self, message_class: builtins.type[M]) -> M:
        msg = message_class()
        msg.ParseFromString(self.payload)
        return msg


def current_trace_headers() -> dict[str, str]:
    """The current trace context as W3C headers (traceparent, tracestate)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def trace_context(extra: dict[str, str]):
    """The trace context carried by an event's headers."""
    return propagate.extract(extra)


def process_span(record, event: Event, **attributes):
    """The span of processing one consumed record; it continues the producer's trace."""
    from opentelemetry import trace
    from opentelemetry.trace import SpanKind

    from runtime.settings import registry_name

    topic = registry_name(record.topic)
    return trace.get_tracer("sbc.consumer").start_as_current_span(
        f"{topic} process",
        context=trace_context(event.extra),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "messaging.message.id": event.id,
            "messaging.kafka.offset": record.offset,
            "cloudevents.event_type": event.type,
            **attributes,
        },
    )
