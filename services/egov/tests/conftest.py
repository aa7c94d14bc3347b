"""E-government's test helpers: its server on a clock the test moves, the district's catalog (or a
changed copy of it), sample files of each kind, and the callers of the authorization matrix."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from egov import domain, store
from egov.service import SERVICE
from egov.servicer import EgovServicer
from runtime.households import HouseholdsOnFile
from runtime.testing import department, household, staff
from sbc.egov.v1 import egov_pb2_grpc

# A Tuesday, 10:00 in Xiuzhou.
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
VILLAGE, OTHER_VILLAGE = "330411105201", "330411101201"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


# The households identity has registered (GetHousehold), as the agent's filings look them up.
REGISTERED = HouseholdsOnFile({"hh-home": VILLAGE, "hh-neighbour": VILLAGE, "hh-elsewhere": OTHER_VILLAGE})


class Clock:
    def __init__(self, at: dt.datetime = NOW):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, **kw) -> None:
        self.at += dt.timedelta(**kw)


def catalog_data() -> dict:
    return json.loads((store.DATA_DIR / "330411.json").read_text(encoding="utf-8"))


def catalogs_with(change=None) -> domain.Catalogs:
    data = copy.deepcopy(catalog_data())
    if change:
        change(data)
    return domain.Catalogs([domain.Catalog(data)])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def svc(grpc_service, database_url, clock):
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: EgovServicer(ctx.db, catalogs(), clock, REGISTERED)
    )
    running.api = running.stub(egov_pb2_grpc.EgovServiceStub)
    running.dept = running.stub(egov_pb2_grpc.DepartmentServiceStub)
    running.clock = clock
    return running


def catalogs() -> domain.Catalogs:
    return catalogs_with(None)


class Callers:
    """Who calls, in the district: two households of the agent's village and one of another, the
    village's agent, another agent of the same village, the other village's agent, a technician,
    the civil-affairs department (competent for the allowances), the social-security department
    (competent for pensions only), and a civil-affairs client of another district."""

    def __init__(self):
        self.home = household("hh-home", area_code=VILLAGE, name="张家")
        self.neighbour = household("hh-neighbour", area_code=VILLAGE)
        self.elsewhere = household("hh-elsewhere", area_code=OTHER_VILLAGE)
        self.agent = staff("village_agent", username="agent.hh", area_code=VILLAGE)
        self.agent2 = staff("village_agent", username="agent2.hh", area_code=VILLAGE)
        self.other_agent = staff("village_agent", username="agent.wjj", area_code=OTHER_VILLAGE)
        self.technician = staff("technician", username="tech.hh", area_code="330411105")
        self.civil = department("dept-civil-affairs")
        self.hrss = department("dept-hrss")
        self.outsider = department("dept-civil-affairs", area_code="330402")
        self.unknown_dept = department("dept-meteorology")


@pytest.fixture
def who() -> Callers:
    return Callers()
