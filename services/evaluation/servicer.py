"""Evaluation's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from evaluation import domain, handlers
from evaluation.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.times import to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc


def to_proto(item: domain.Item) -> pb.Item:
    return pb.Item(
        id=item.id,
        household_id=item.household_id,
        title=item.title,
        state=item.state,
        created_at=to_timestamp(item.created_at),
        closed_at=to_timestamp(item.closed_at),
    )


class EvaluationServicer(evaluation_pb2_grpc.EvaluationServiceServicer):
    def __init__(self, db: Database, clock: Callable[[], dt.datetime] = utcnow):
        self.db = db
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    async def CreateItem(self, request, context):
        item = await run_sync(
            handlers.create_item, self.uow(), current_caller(), request.title, request.idempotency_key, self.now()
        )
        return to_proto(item)

    async def GetItem(self, request, context):
        return to_proto(await run_sync(handlers.get_item, self.uow(), current_caller(), request.id))

    async def ListMyItems(self, request, context):
        found, next_token = await run_sync(handlers.list_my_items, self.uow(), current_caller(), request.page)
        return pb.ListMyItemsResponse(
            items=[to_proto(i) for i in found], page=common_pb2.PageResponse(next_page_token=next_token)
        )

    async def CloseItem(self, request, context):
        return to_proto(await run_sync(handlers.close_item, self.uow(), current_caller(), request.id, self.now()))
