"""Synchronous work (database transactions) from the asyncio gRPC server.

The servers are grpc.aio; the store is synchronous SQLAlchemy. `run_sync` runs a function on a
pool of threads of its own, with the caller's context (the signed-in caller, the trace), so
that a slow transaction never blocks the event loop. The pool is as large as the database's
connection pool can serve (DB_THREADS, 16): asyncio's default executor has only cores + 4
threads, which on a two-core pod let six calls wait on the database at once and queued the rest.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from runtime.settings import env_int

P = ParamSpec("P")
T = TypeVar("T")
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=env_int("DB_THREADS", 16), thread_name_prefix="db")
    return _executor


async def run_sync(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` on the database threads, in the caller's context."""
    ctx = contextvars.copy_context()
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(), functools.partial(ctx.run, fn, *args, **kwargs))
