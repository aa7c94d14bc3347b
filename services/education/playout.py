"""The playout worker: each pass reminds the followers of the programmes about to start (on any
channel), sends the loudspeaker slots about to start to their town's village controllers and
keeps each controller's play report (python -m education playout).

Sending happens outside any transaction: the slots due are read (those under an emergency alert
recorded as preempted), sent, then their reports recorded and the slot marked sent. A crash in
between sends a slot again; a controller drops a PlayID it has played already."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx

from education import domain, handlers, store
from runtime import loudspeakers
from runtime.db import Database
from runtime.service import Context, periodic
from runtime.times import utcnow

log = logging.getLogger(__name__)


class Playout:
    def __init__(
        self,
        db: Database,
        districts: domain.Districts,
        settings: dict,
        allowed: loudspeakers.EndpointAllowList,
        now: Callable = utcnow,
    ):
        self.db = db
        self.districts = districts
        self.backoff = list(settings["http_backoff_seconds"])
        self.timeout = float(settings["http_timeout_seconds"])
        self.deadline = float(settings["deadline_seconds"])
        self.concurrency = int(settings["http_concurrency"])
        self.allowed = allowed
        self.now = now

    def tick(self) -> int:
        """One pass: the slots due sent and their reports kept. Returns how many slots were sent."""
        handlers.remind_followers(store.UnitOfWork(self.db), self.districts, self.now())
        due = handlers.due_playouts(store.UnitOfWork(self.db), self.districts, self.now())
        if due:
            asyncio.run(self._send_all(due))
        return len(due)

    async def _send_all(self, due: list[domain.Due]) -> None:
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        gate = asyncio.Semaphore(self.concurrency)
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False, limits=limits) as http:
            await asyncio.gather(*(self._send_slot(http, gate, d) for d in due))

    async def _send_slot(self, http: httpx.AsyncClient, gate: asyncio.Semaphore, d: domain.Due) -> None:
        results = await asyncio.gather(*(self._send_one(http, gate, d, c) for c in d.controllers))
        reports = {c.id: r for c, r in zip(d.controllers, results, strict=True)}
        await asyncio.to_thread(handlers.record_plays, store.UnitOfWork(self.db), d.slot.id, reports, self.now())

    async def _send_one(
        self, http: httpx.AsyncClient, gate: asyncio.Semaphore, d: domain.Due, c: domain.Controller
    ) -> tuple[str, str]:
        """One controller's play report; one slow or broken controller never holds up the others."""
        body = domain.play_request(d, c)
        try:
            async with gate:
                reply = await asyncio.wait_for(
                    loudspeakers.send(http, self.allowed, c.endpoint, body, self.backoff, self.deadline, who=c.id),
                    self.deadline,
                )
        except TimeoutError:
            reply = None
        except Exception:
            log.exception("loudspeaker play request failed", extra={"terminal": c.id})
            reply = None
        return domain.report_of(reply, body["PlayID"])


def make_playout(ctx: Context) -> Playout:
    return Playout(ctx.db, store.load_districts(), store.load_playout(), store.load_allow_list())


def playout_pass(ctx: Context):
    return make_playout(ctx).tick


worker = periodic(playout_pass, every="EDUCATION_PLAYOUT_SECONDS", default=5)
