"""Events identity publishes, through its outbox."""

from __future__ import annotations

import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.orm import Session

from runtime import outbox
from sbc.events.v1 import identity_events_pb2

DEVICES_TOPIC = "sbc.identity.devices.v1"
SOURCE = "sbc/identity"
DEVICE_REGISTERED = "sbc.identity.device.registered.v1"


def _ts(at: dt.datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(at if at.tzinfo else at.replace(tzinfo=dt.UTC))
    return out


def device_registered(
    s: Session, *, device_id: str, household_id: str, area_code: str, serial: str, registered_at: dt.datetime
) -> None:
    """A box was registered for a household or re-bound to another (keyed by device id, so in order)."""
    outbox.publish(
        s,
        topic=DEVICES_TOPIC,
        key=device_id,
        event_type=DEVICE_REGISTERED,
        source=SOURCE,
        message=identity_events_pb2.DeviceRegistered(
            device_id=device_id,
            household_id=household_id,
            area_code=area_code,
            serial=serial,
            registered_at=_ts(registered_at),
        ),
    )
