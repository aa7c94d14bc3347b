"""Opinions's test helpers: a clock the test moves, the district's audiences, a draft with one
question of each kind, and the callers (households of a village and a neighbourhood, editors)."""

from __future__ import annotations

import datetime as dt

import pytest

from opinions import domain, store
from opinions.service import SERVICE
from opinions.servicer import OpinionsServicer
from runtime.testing import household, staff
from sbc.opinions.v1 import opinions_pb2_grpc

NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
TOWN = "330411101"  # 王江泾镇
OTHER_TOWN = "330411105"  # 洪合镇
VILLAGE = TOWN + "201"  # a village committee
NEIGHBOURHOOD = TOWN + "001"  # a neighbourhood committee
AUDIENCES = store.load_audiences()


class Clock:
    def __init__(self, at: dt.datetime = NOW):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, **kw) -> None:
        self.at += dt.timedelta(**kw)


def editor(area: str = TOWN):
    return staff(domain.Role.OPINION_EDITOR, area_code=area)


def home(area: str = VILLAGE, household_id: str = ""):
    return household(household_id, area_code=area)


QUESTIONS = (
    domain.Question("", domain.Kind.SINGLE, "您家主要通过什么收看电视？", True, ("有线电视", "网络电视", "卫星")),
    domain.Question("", domain.Kind.MULTIPLE, "您希望增加哪些节目？", False, ("农技", "戏曲", "法治", "健康"), 1, 2),
    domain.Question("", domain.Kind.SCALE, "您对广播电视服务满意吗？", True, scale_low="很不满意", scale_high="很满意"),
    domain.Question("", domain.Kind.TEXT, "您还有什么建议？", False, max_length=100),
)


def draft(**kw) -> domain.Draft:
    fields = {
        "title": "广播电视服务满意度调查",
        "purpose": "了解群众对广播电视服务的意见",
        "organizer": "王江泾镇人民政府",
        "opens_at": NOW,
        "closes_at": NOW + dt.timedelta(days=7),
        "target_areas": (TOWN,),
        "audience": "all",
        "questions": QUESTIONS,
    }
    return domain.Draft(**(fields | kw))


@pytest.fixture
async def svc(grpc_service, database_url):
    """The service's real gRPC server on a clock the test moves (`svc.clock`), its stub `svc.api`."""
    clock = Clock()
    running = await grpc_service(SERVICE, database_url, servicer=lambda ctx: OpinionsServicer(ctx.db, AUDIENCES, clock))
    running.api = running.stub(opinions_pb2_grpc.OpinionsServiceStub)
    running.clock = clock
    return running
