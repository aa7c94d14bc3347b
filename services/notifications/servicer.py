"""gRPC face of notifications."""

from __future__ import annotations

import asyncio

from notifications import events, store
from runtime import paging
from runtime.auth import Caller, current_caller
from runtime.db import Database
from sbc.common.v1 import common_pb2
from sbc.notifications.v1 import notifications_pb2, notifications_pb2_grpc

SERVICE_NAME = notifications_pb2.DESCRIPTOR.services_by_name["NotificationService"].full_name


class NotificationServicer(notifications_pb2_grpc.NotificationServiceServicer):
    def __init__(self, db: Database):
        self.db = db

    async def ListMyPushMessages(self, request, context):
        return await asyncio.to_thread(self._list, current_caller(), request)

    def _list(self, caller: Caller, request):
        household_id = caller.require_household()
        size = paging.page_size(request.page)
        before = paging.page_token(request.page.page_token)
        with self.db.transaction() as s:
            rows = store.list_for_household(s, household_id, before, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        return notifications_pb2.ListMyPushMessagesResponse(
            messages=[events.to_proto(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=str(rows[-1].seq) if more else ""),
        )
