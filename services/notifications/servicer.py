"""Notifications' gRPC face: protobuf in, a handler call, protobuf out. No rules here (the
domain's), no SQL (the store's)."""

from __future__ import annotations

from notifications import events, handlers
from notifications.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.times import to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.notifications.v1 import notifications_pb2, notifications_pb2_grpc


class NotificationServicer(notifications_pb2_grpc.NotificationServiceServicer):
    def __init__(self, db: Database):
        self.db = db

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    async def ListMyPushMessages(self, request, context):
        found, next_token = await run_sync(handlers.list_my_messages, self.uow(), current_caller(), request.page)
        return notifications_pb2.ListMyPushMessagesResponse(
            messages=[events.to_proto(m) for m in found], page=common_pb2.PageResponse(next_page_token=next_token)
        )

    async def GetMyPreferences(self, request, context):
        return _preferences(await run_sync(handlers.my_preferences, self.uow(), current_caller()))

    async def SetMyPreferences(self, request, context):
        chosen = await run_sync(
            handlers.choose_simple_mode, self.uow(), current_caller(), request.simple_mode, utcnow()
        )
        return _preferences(chosen)


def _preferences(p) -> notifications_pb2.Preferences:
    out = notifications_pb2.Preferences(household_id=p.household_id)
    if p.simple_mode is not None:
        out.simple_mode = p.simple_mode
    if p.updated_at is not None:
        out.updated_at.CopyFrom(to_timestamp(p.updated_at))
    return out
