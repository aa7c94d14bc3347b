"""Education's test helpers: its server on a clock the test moves, the district's data, and who calls."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from education import store
from education.service import SERVICE
from education.servicer import EducationServicer
from runtime import loudspeakers
from runtime.testing import household, staff
from sbc.education.v1 import education_pb2_grpc

# A Tuesday, 10:00 in Xiuzhou; its week starts on Monday 2026-11-30.
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
XINCHENG_TOWN, HONGHE = "330411103", "330411105"
HLS = "https://media.example.cn/xc/haolaoshi/ep{}.m3u8"
# The controllers' allow-list, with a local run's network (the tests' controllers are on 127.0.0.1).
LOCAL_CONTROLLERS = loudspeakers.EndpointAllowList.from_data(
    json.loads(loudspeakers.ALLOW_LIST_FILE.read_text()), ["127.0.0.0/8"]
)


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
    districts = store.load_districts()
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: EducationServicer(ctx.db, districts, clock, LOCAL_CONTROLLERS)
    )
    running.api = running.stub(education_pb2_grpc.EducationServiceStub)
    running.clock = clock
    return running


class Callers:
    """Xincheng town's station editor, the district's, Honghe's, a technician and a household."""

    def __init__(self):
        self.editor = staff("station_editor", username="editor.xc", area_code=XINCHENG_TOWN)
        self.district_editor = staff("station_editor", username="editor.district", area_code="330411")
        self.honghe_editor = staff("station_editor", username="editor.hh", area_code=HONGHE)
        self.technician = staff("technician", username="tech.xc", area_code=XINCHENG_TOWN)
        self.home = household("hh-xc", area_code="330411103001")


@pytest.fixture
def who() -> Callers:
    return Callers()
