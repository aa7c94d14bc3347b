"""Tourism's test helpers: its server on a clock the test moves, the district's places, visitors'
ID numbers, and the callers (households, a village agent, gate staff)."""

from __future__ import annotations

import datetime as dt

import pytest

from runtime.testing import household, staff
from sbc.tourism.v1 import tourism_pb2_grpc
from tourism import store
from tourism.service import SERVICE
from tourism.servicer import TourismServicer

# A Tuesday, 10:00 in Xiuzhou (the museum opens Tuesday to Sunday).
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
MUSEUM = "rural-broadcasting-museum"
HALL = "xincheng-cultural-hall"
# The museum's village (康和桥村, data: check) and another village.
VILLAGE, OTHER_VILLAGE = "330411103001", "330411105001"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    """A well-formed resident ID number (GB 11643 check digit), different for each n."""
    body = f"3304111980{n:07d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def ids(start: int, count: int) -> list[str]:
    return [id_number(n) for n in range(start, start + count)]


def slot_id(venue: str, day: dt.date, n: int) -> str:
    return f"{venue}/{day.isoformat()}/{n}"


TODAY = dt.date(2026, 12, 1)
TOMORROW = TODAY + dt.timedelta(days=1)


class Clock:
    def __init__(self, at: dt.datetime = NOW):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, **kw) -> None:
        self.at += dt.timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def svc(grpc_service, database_url, clock):
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: TourismServicer(ctx.db, store.load_places(), clock)
    )
    running.api = running.stub(tourism_pb2_grpc.TourismServiceStub)
    running.clock = clock
    return running


class Callers:
    def __init__(self):
        self.home = household("hh-home", area_code=VILLAGE, name="张家")
        self.neighbour = household("hh-neighbour", area_code=VILLAGE)
        self.agent = staff("village_agent", username="agent.kh", area_code=VILLAGE)
        self.other_agent = staff("village_agent", username="agent.hh", area_code=OTHER_VILLAGE)
        self.gate = staff("venue_gate_staff", username="gate.museum", area_code="330411103")
        self.technician = staff("technician", username="tech.xc", area_code="330411103")


@pytest.fixture
def who() -> Callers:
    return Callers()
