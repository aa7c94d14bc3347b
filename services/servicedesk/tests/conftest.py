"""The service desk's server under test, on both databases, with a clock the tests move."""

from __future__ import annotations

import pytest_asyncio

from runtime.households import HouseholdsOnFile
from servicedesk.scheduler import SlaScheduler
from servicedesk.service import SERVICE
from servicedesk.servicer import ServiceDeskServicer
from servicedesk.tests.desk import REGISTERED, START, Clock, Desk


@pytest_asyncio.fixture(loop_scope="session")
async def start_desk(grpc_service, database_url):
    """`await start_desk(clock)`: the service desk's real server, reading the time from `clock`
    (the servicer and the scheduler both)."""

    async def start(clock) -> Desk:
        running = await grpc_service(
            SERVICE,
            database_url,
            servicer=lambda ctx: ServiceDeskServicer(ctx.db, clock=clock, households=HouseholdsOnFile(REGISTERED)),
        )
        return Desk(running, clock, SlaScheduler(running.db, running.servicer.desk.standards, clock=clock))

    return start


@pytest_asyncio.fixture(loop_scope="session")
async def desk(start_desk) -> Desk:
    """The service desk on Monday 2 November 2026, 09:00 in the district."""
    return await start_desk(Clock(START))
