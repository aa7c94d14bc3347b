"""What identity publishes, through its outbox: each domain event as a protobuf message on its
topic, keyed by the aggregate id. It consumes nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from identity import domain
from runtime import outbox
from runtime.times import to_timestamp
from sbc.events.v1 import identity_events_pb2 as pb

DEVICES_TOPIC = "sbc.identity.devices.v1"
STAFF_TOPIC = "sbc.identity.staff.v1"
SOURCE = "sbc/identity"
DEVICE_REGISTERED = "sbc.identity.device.registered.v1"
DEVICE_REVOKED = "sbc.identity.device.revoked.v1"
STAFF_REVOKED = "sbc.identity.staff.revoked.v1"


def publish(s: Session, event: object) -> None:
    """Write one domain event to the outbox, in the transaction of the change it announces."""
    if isinstance(event, domain.DeviceRegistered):
        # Keyed by the device: a box's registrations (and moves) stay in order.
        message = pb.DeviceRegistered(
            device_id=event.device_id,
            household_id=event.household_id,
            area_code=event.area_code,
            serial=event.serial,
            registered_at=to_timestamp(event.registered_at),
        )
        outbox.publish(
            s, topic=DEVICES_TOPIC, key=event.device_id, message=message, event_type=DEVICE_REGISTERED, source=SOURCE
        )
    elif isinstance(event, domain.DeviceRevoked):
        revoked = pb.DeviceRevoked(
            device_id=event.device_id,
            household_id=event.household_id,
            area_code=event.area_code,
            serial=event.serial,
            revoked_at=to_timestamp(event.revoked_at),
            revoked_by=event.revoked_by,
            reason=event.reason,
        )
        outbox.publish(
            s, topic=DEVICES_TOPIC, key=event.device_id, message=revoked, event_type=DEVICE_REVOKED, source=SOURCE
        )
    elif isinstance(event, domain.StaffAccountRevoked):
        left = pb.StaffAccountRevoked(
            staff_id=event.staff_id,
            username=event.username,
            area_code=event.area_code,
            revoked_at=to_timestamp(event.revoked_at),
            revoked_by=event.revoked_by,
            reason=event.reason,
        )
        outbox.publish(s, topic=STAFF_TOPIC, key=event.staff_id, message=left, event_type=STAFF_REVOKED, source=SOURCE)
    else:
        raise TypeError(f"identity publishes no {type(event).__name__}")
