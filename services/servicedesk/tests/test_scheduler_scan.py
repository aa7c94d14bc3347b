"""The SLA scheduler reaches every watched request whatever sorts first: one household filing more
requests than a page of its scan never blinds it for the rest of the district. Requests are filed
and accepted over the service desk's real gRPC API; the pass is the scheduler process's."""

from __future__ import annotations

import asyncio

import pytest

from servicedesk import events
from servicedesk.scheduler import BATCH
from servicedesk.tests.desk import home
from servicedesk.tests.test_lifecycle import sla_events

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_more_open_requests_than_a_page_never_blind_the_scheduler(desk):
    flood = home("hh-flood")
    for _ in range(0, BATCH + 1, 50):
        await asyncio.gather(*(desk.file(flood) for _ in range(50)))
    late = await desk.accepted(home("hh-late"))  # filed after them all: the last in seq
    desk.clock.advance(hours=20)  # 83 % of a 24 h limit
    desk.scheduler.tick()
    raised = [(request_id, percent) for request_id, percent, _ in sla_events(desk)]
    assert (late.id, 80) in raised, "the request filed last is watched too"
    assert len(raised) == len(set(raised)) == desk.count() > BATCH, "each request's 80 % once"
    desk.scheduler.tick()
    assert len(desk.events(events.REQUEST_SLA)) == len(raised), "nothing twice"
