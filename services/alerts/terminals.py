"""The set-top-box registry, built from identity's DeviceRegistered and DeviceRevoked events.

A box is registered with its household's area when its sign-in completes, so an
alert counts it as targeted whether or not its TV has opened the SSE stream
(ConnectTerminal registers it too, when it connects). A box re-bound to another
household moves to that household's area; a removed box (stolen, sold) leaves the
registry, and the next alert does not target it. The topic is kept forever: a new
consumer group rebuilds the registry from the first event. Idempotent: each
event id is applied once (runtime.consumer), in the transaction of its effect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from alerts import handlers
from alerts.store import UnitOfWork
from runtime.consumer import Consumer
from runtime.db import Database
from runtime.events import Event
from runtime.times import utcnow
from sbc.events.v1 import identity_events_pb2

# Identity's event type (identity.events): alerts does not import another service's code.
DEVICE_REGISTERED = "sbc.identity.device.registered.v1"
DEVICE_REVOKED = "sbc.identity.device.revoked.v1"


def register_device(s: Session, event: Event) -> None:
    m = event.decode(identity_events_pb2.DeviceRegistered)
    if not m.device_id or not m.area_code:
        return  # nothing to place: a malformed event is skipped, not retried forever
    at = m.registered_at.ToDatetime(tzinfo=dt.UTC) if m.HasField("registered_at") else utcnow()
    handlers.register_set_top_box(UnitOfWork.joining(s), m.device_id, m.area_code, m.household_id, at, utcnow())


def remove_device(s: Session, event: Event) -> None:
    m = event.decode(identity_events_pb2.DeviceRevoked)
    if not m.device_id:
        # Raised, not skipped: the consumer parks it on the dead-letter topic, where it is seen.
        raise ValueError("a DeviceRevoked event without a device id")
    handlers.remove_set_top_box(UnitOfWork.joining(s), m.device_id)


HANDLERS = {DEVICE_REGISTERED: register_device, DEVICE_REVOKED: remove_device}


def make_consumer(db: Database, bootstrap_servers: str, topic: str, group: str, **options: Any) -> Consumer:
    """`options`: the runtime Consumer's (retry, dead_letter_topic)."""
    return Consumer(db, bootstrap_servers, group=group, topics=[topic], handlers=HANDLERS, **options)
