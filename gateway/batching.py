"""Many terminals' small calls to a service, sent as one batched call.

When an alert goes out, every TV in the area sends its receipt within a second or
two; after a gateway restarts, every TV reconnects at once. Ten thousand small
calls, each its own database transaction, would queue behind each other. Here the
items that arrive while a batched call is in flight wait for the next one, so under
load each call carries many (a group commit), and alone an item goes at once. Each
caller gets its own item's result only when its batch is done (for receipts: committed,
so an acknowledged receipt is never lost)."""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import grpc

log = logging.getLogger(__name__)


class Batcher:
    def __init__(self, name: str, send: Callable[[list], Awaitable[list]], senders: int = 2, max_batch: int = 500):
        """`send(items)` makes the batched call and returns one result per item, in order."""
        self._name = name
        self._send = send
        self._senders = senders
        self._max_batch = max_batch
        self._waiting: collections.deque[tuple[Any, asyncio.Future]] = collections.deque()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._send_batches(), name=f"{self._name}-{i}") for i in range(self._senders)
        ]

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        _fail(self._waiting, _shutting_down())

    async def call(self, item) -> Any:
        """The item's result once its batch is done; raises what the batched call raised."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
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
                results = list(await self._send([item for item, _ in batch]))
                if len(results) != len(batch):
                    raise RuntimeError(f"{len(results)} results for {len(batch)} items")
            except BaseException as exc:  # every item of the batch gets the error; the terminals try again
                if isinstance(exc, asyncio.CancelledError):
                    _fail(batch, _shutting_down())
                    raise
                if not isinstance(exc, grpc.aio.AioRpcError):
                    log.exception("%s: the batched call failed", self._name)
                _fail(batch, exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():  # a terminal that hung up has a cancelled future
                    future.set_result(result)


def _fail(batch, exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)


def _shutting_down() -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(
        grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), "the gateway is shutting down; try again"
    )
