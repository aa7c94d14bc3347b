"""Deadlines counted in working days follow China's official holidays and make-up working days,
through the service desk's real gRPC API (the rectification of a bad rating: 15 working days)."""

from __future__ import annotations

import datetime as dt

import pytest

from servicedesk.tests.desk import Clock
from servicedesk.tests.desk import home as household
from servicedesk.tests.test_lifecycle import resolved

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def test_the_rectification_deadline_counts_official_working_days(start_desk):
    """Rated on Tuesday 10 February 2026: the Spring Festival holiday (15-23 February) does not
    count, the make-up Saturdays 14 and 28 February do, so 15 working days end on Monday 9 March
    (Monday to Friday alone would give Tuesday 3 March)."""
    desk = await start_desk(Clock(dt.datetime(2026, 2, 10, 1, 0, tzinfo=dt.UTC)))
    home = household("hh-spring")
    r = await resolved(desk, home)
    r = await desk.call("RateServiceRequest", home, id=r.id, level="dissatisfied", comment="还是没信号")
    assert r.rectification.deadline.ToDatetime(dt.UTC).date() == dt.date(2026, 3, 9)
