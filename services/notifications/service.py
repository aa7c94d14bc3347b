"""What the runtime runs of notifications (python -m notifications [serve|relay|consumer|all|migrate])."""

from __future__ import annotations

from notifications import events
from notifications.servicer import NotificationServicer
from runtime.service import Service, consumer
from sbc.notifications.v1 import notifications_pb2, notifications_pb2_grpc

SERVICE = Service(
    name="notifications",
    proto=notifications_pb2,
    register=notifications_pb2_grpc.add_NotificationServiceServicer_to_server,
    servicer=lambda ctx: NotificationServicer(ctx.db),
    workers={"consumer": consumer(events.HANDLERS)},
)
