"""Legal's test helpers: its server on a clock the test moves, the district's data (or a changed
copy of it), and the callers of the authorization matrix."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from legal import domain, store
from legal.service import SERVICE
from legal.servicer import LegalServicer
from runtime.households import HouseholdsOnFile
from runtime.testing import household, staff
from sbc.legal.v1 import legal_pb2_grpc

# A Tuesday, 10:00 in Xiuzhou.
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
VILLAGE, NEIGHBOUR_VILLAGE, OTHER_VILLAGE = "330411004001", "330411004002", "330411105001"


# The households identity registered (test_acting.py asks a real identity server instead).
HOUSEHOLDS = HouseholdsOnFile({"hh-home": VILLAGE, "hh-neighbour": VILLAGE, "hh-elsewhere": OTHER_VILLAGE})


class Clock:
    def __init__(self, at: dt.datetime = NOW):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, **kw) -> None:
        self.at += dt.timedelta(**kw)


def district_data() -> dict:
    return json.loads((store.DATA_DIR / "330411.json").read_text(encoding="utf-8"))


def districts_with(change=None) -> domain.Districts:
    data = copy.deepcopy(district_data())
    if change:
        change(data)
    return domain.Districts([domain.District(data)])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def svc(grpc_service, database_url, clock):
    running = await grpc_service(
        SERVICE,
        database_url,
        servicer=lambda ctx: LegalServicer(ctx.db, districts_with(), clock, households=HOUSEHOLDS),
    )
    running.api = running.stub(legal_pb2_grpc.LegalServiceStub)
    running.clock = clock
    return running


class Callers:
    """Who calls: households of the Gaozhao village and of Honghe, two judicial officers of the
    district, an officer of another district, the village's agent, its legal advisor and another
    village's advisor, a technician."""

    def __init__(self):
        self.home = household("hh-home", area_code=VILLAGE, name="张家")
        self.neighbour = household("hh-neighbour", area_code=VILLAGE)
        self.elsewhere = household("hh-elsewhere", area_code=OTHER_VILLAGE)
        self.outsider = household("hh-outsider", area_code="330402001001")
        self.author = staff("judicial_officer", username="officer.a", area_code="330411")
        self.reviewer = staff("judicial_officer", username="officer.b", area_code="330411")
        self.foreign_officer = staff("judicial_officer", username="officer.x", area_code="330402")
        self.agent = staff("village_agent", username="agent.gz", area_code=VILLAGE)
        self.advisor = staff("legal_advisor", username="lawyer.gz", area_code="330411004")
        self.other_advisor = staff("legal_advisor", username="lawyer.hh", area_code="330411105")
        self.technician = staff("technician", username="tech.gz", area_code="330411004")


@pytest.fixture
def who() -> Callers:
    return Callers()
