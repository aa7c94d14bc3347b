"""Receipts from set-top boxes, recorded in batches.

When an alert goes out, every TV in the area sends its receipt within a second
or two: ten thousand small calls, each its own database transaction, would queue
behind each other. Here the receipts that arrive while a RecordReceipts call is in
flight wait for the next one, so under load each call carries many (a group
commit), and alone a receipt goes at once. A terminal's POST is answered only
when its batch is committed: an acknowledged receipt is never lost."""
from __future__ import annotations

import asyncio
import collections
import logging

import grpc

from sbc.alerts.v1 import alerts_pb2

log = logging.getLogger(__name__)

MAX_BATCH = 500  # the service takes up to 1000 per call


class ReceiptBatcher:
    def __init__(self, stub, timeout: float, senders: int = 2, max_batch: int = MAX_BATCH):
        self._stub = stub
        self._timeout = timeout
        self._senders = senders
        self._max_batch = max_batch
        self._waiting: collections.deque[tuple[alerts_pb2.TerminalReceipt, asyncio.Future]] = collections.deque()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._send_batches(), name=f"receipts-{i}") for i in range(self._senders)]

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        _fail(self._waiting, _shutting_down())

    async def record(self, receipt: alerts_pb2.TerminalReceipt) -> alerts_pb2.ReceiptResult:
        """The receipt's result once its batch is committed; raises AioRpcError when the call failed."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((receipt, future))
        self._wake.set()
        return await future

    async def _send_batches(self) -> None:
        while True:
            await self._wake.wait()
            if not self._waiting:
                self._wake.clear()
                continue
            batch = [self._waiting.popleft() for _ in range(min(self._max_batch, len(self._waiting)))]
            if not self._waiting:
                self._wake.clear()
            try:
                response = await self._stub().RecordReceipts(
                    alerts_pb2.RecordReceiptsRequest(receipts=[r for r, _ in batch]), timeout=self._timeout)
                outcomes = list(response.results)
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"{len(outcomes)} results for {len(batch)} receipts")
            except BaseException as exc:  # every receipt of the batch gets the error; the terminals send again
                if isinstance(exc, asyncio.CancelledError):
                    _fail(batch, _shutting_down())
                    raise
                if not isinstance(exc, grpc.aio.AioRpcError):
                    log.exception("recording receipts failed")
                _fail(batch, exc)
                continue
            for (_, future), outcome in zip(batch, outcomes):
                if not future.done():
                    future.set_result(outcome)


def _fail(batch, exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():  # a terminal that hung up has a cancelled future
            future.set_exception(exc)


def _shutting_down() -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(),
                                "the gateway is shutting down; send the receipt again")
