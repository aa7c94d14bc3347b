"""Time: the platform keeps every instant in UTC, and carries it as protobuf Timestamps on the wire."""

from __future__ import annotations

import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(at: dt.datetime | None) -> dt.datetime | None:
    """An instant with its zone: a naive one is taken as UTC (what the platform writes)."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=dt.UTC)


def to_timestamp(at: dt.datetime | None) -> Timestamp | None:
    """A protobuf Timestamp, or None (an unset field) for no instant."""
    if at is None:
        return None
    out = Timestamp()
    out.FromDatetime(at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC))
    return out


def from_timestamp(ts: Timestamp | None) -> dt.datetime | None:
    """An aware UTC datetime, or None for an unset (zero) Timestamp."""
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return ts.ToDatetime(dt.UTC)
