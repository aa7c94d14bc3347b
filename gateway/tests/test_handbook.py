"""The standards handbook (gateway/routes/handbook.py) over HTTP on the real gateway app, against the
real gRPC servers of the five services it reads (each on its own SQLite file) and the real Redis: the
page's figures are the services' answers, the version and effective date follow the day asked, the
PDF is the same text with its table of contents and is laid out once per version; bad and unknown
requests get a clear problem (e2e/test_handbook.py: one not signed in)."""

from __future__ import annotations

import io
import os

import httpx
import pypdf
import pytest
import pytest_asyncio
import redis.asyncio as aioredis
from education.service import SERVICE as EDUCATION
from egov.service import SERVICE as EGOV
from eldercare.service import SERVICE as ELDERCARE
from eldercare.servicer import EldercareServicer

from alerts.service import SERVICE as ALERTS
from gateway import common
from gateway.app import create_app
from gateway.clients import Backends
from gateway.routes import handbook
from gateway.settings import GatewaySettings
from runtime.households import HouseholdsOnFile
from runtime.testing import household
from sbc.egov.v1 import egov_pb2, egov_pb2_grpc
from sbc.servicedesk.v1 import servicedesk_pb2, servicedesk_pb2_grpc
from servicedesk.service import SERVICE as SERVICEDESK
from servicedesk.servicer import ServiceDeskServicer

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

HOME = household("hh-handbook", area_code="330411101001")


@pytest_asyncio.fixture(loop_scope="session")
async def services(grpc_service, tmp_path):
    started = {
        "servicedesk": await grpc_service(
            SERVICEDESK,
            f"sqlite:///{tmp_path / 'servicedesk.db'}",
            servicer=lambda ctx: ServiceDeskServicer(ctx.db, households=HouseholdsOnFile({})),
        ),
        "egov": await grpc_service(EGOV, f"sqlite:///{tmp_path / 'egov.db'}"),
        "eldercare": await grpc_service(
            ELDERCARE, f"sqlite:///{tmp_path / 'eldercare.db'}", servicer=lambda ctx: EldercareServicer(ctx.db)
        ),
        "education": await grpc_service(EDUCATION, f"sqlite:///{tmp_path / 'education.db'}"),
        "alerts": await grpc_service(ALERTS, f"sqlite:///{tmp_path / 'alerts.db'}"),
    }
    return started


@pytest_asyncio.fixture(loop_scope="session")
async def gw(services):
    """The gateway app calling those servers as HOME (a token they accept)."""
    settings = GatewaySettings(
        backends={name: f"127.0.0.1:{s.port}" for name, s in services.items()},
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:16379/0"),
    )
    app = create_app(settings)
    app.state.backends = Backends(settings)
    app.state.redis = aioredis.from_url(settings.redis_url, socket_timeout=0.25, socket_connect_timeout=0.25)
    token = services["servicedesk"].tokens.mint(HOME)
    app.dependency_overrides[common.signed_in] = lambda: (HOME, token)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw", timeout=60) as c:
        c.token = token
        c.app = app
        yield c
    await app.state.backends.close()
    await app.state.redis.aclose()


async def answers(services, token: str, on: str = ""):
    """The standard catalog and the item catalog as their services answer them."""
    md = [("authorization", f"Bearer {token}")]
    desk = services["servicedesk"].stub(servicedesk_pb2_grpc.ServiceDeskServiceStub)
    egov = services["egov"].stub(egov_pb2_grpc.EgovServiceStub)
    catalog = await desk.GetCatalog(servicedesk_pb2.GetCatalogRequest(on_date=on), metadata=md)
    items = await egov.ListItems(egov_pb2.ListItemsRequest(on_date=on, district_code="330411"), metadata=md)
    return catalog, items


async def test_the_page_holds_what_the_services_answer(gw, services):
    catalog, items = await answers(services, gw.token, "2026-12-02")
    r = await gw.get("/v1/handbook", params={"on": "2026-12-02"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert (
        f"版本 {catalog.version}+{items.version} · 自 {max(catalog.effective_from, items.effective_from)} 起施行"
        in page
    )
    for n, section in enumerate(handbook.SECTIONS, 1):
        assert f'<a href="#{section["id"]}">{n}. {section["title"]}</a>' in page and f'id="{section["id"]}"' in page
    repair = next(t for t in catalog.service_types if t.code == "fault_repair_general")
    row = page.split('id="standard-fault_repair_general"')[1].split("</tr>")[0]
    assert f"城镇 {repair.time_limit_hours['urban']}小时<br>" in row and "<td>免费</td>" in row
    install = next(t for t in catalog.service_types if t.code == "installation")
    row = page.split('id="standard-installation"')[1].split("</tr>")[0]
    assert f"{install.fee.fen // 100}元" in row and "户主身份证" in row
    assert len(items.items) > 0 and page.count('class="item"') == len(items.items)
    item = items.items[0]
    block = page.split(f'id="item-{item.code}"')[1].split("</table>")[0]
    assert f"<th>承诺办结时限</th><td>{item.guide.promised_time_limit_days}个工作日</td>" in block
    assert f"<th>到现场次数</th><td>{item.guide.visits}次" in block
    assert "不超过15分钟" in page and "15个工作日内整改并回访" in page  # quality commitments
    assert "10分钟内" in page and "一键呼叫" in page  # eldercare: CRITICAL acknowledged within 600 s
    assert "不少于 3 档" in page and "郝老师课堂" in page  # education
    assert "发布后10分钟内覆盖公众" in page  # alerts


async def test_the_version_in_force_on_a_later_day(gw, services):
    catalog, items = await answers(services, gw.token, "2027-01-05")
    assert items.version == "2027.1"  # the item catalog's next version (services/egov/data/330411.json)
    r = await gw.get("/v1/handbook", params={"on": "2027-01-05", "district": "330411"})
    assert r.status_code == 200, r.text
    assert f"版本 {catalog.version}+2027.1 · 自 2027-01-01 起施行" in r.text


async def test_the_pdf_is_the_same_handbook_laid_out_once_per_version(gw, services):
    catalog, items = await answers(services, gw.token)
    r = await gw.get("/v1/handbook.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "服务标准手册" in text and "广电服务标准" in text and "政务服务指南" in text
    assert [o["/Title"] for o in reader.outline if isinstance(o, dict)][-len(handbook.SECTIONS) :] == [
        f"{n}. {s['title']}" for n, s in enumerate(handbook.SECTIONS, 1)
    ]
    keys = [k async for k in gw.app.state.redis.scan_iter(f"handbook:pdf:330411:{catalog.version}+{items.version}:*")]
    assert keys, "the PDF is kept in Redis per district and version"
    again = await gw.get("/v1/handbook.pdf")
    assert again.status_code == 200 and again.content == r.content


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"district": "110101"}, 404, ""),  # a district no service knows
        ({"on": "2025-06-01"}, 404, ""),  # no standard in force yet
        ({"on": "2026-02-30"}, 400, "on"),  # not a calendar date
        ({"on": "02/12/2026"}, 422, "query.on"),
        ({"district": "3304"}, 422, "query.district"),
        ({"district": "x" * 10_000}, 422, "query.district"),
    ],
)
async def test_bad_and_unknown_requests_get_a_clear_problem(gw, params, status, field):
    for path in ("/v1/handbook", "/v1/handbook.pdf"):
        r = await gw.get(path, params=params)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["detail"]
        if field:
            assert field in r.json()["errors"]


async def test_every_error_is_in_the_document(gw):
    doc = (await gw.get("/openapi.json")).json()
    for path, media in (("/v1/handbook", "text/html"), ("/v1/handbook.pdf", "application/pdf")):
        op = doc["paths"][path]["get"]
        assert media in op["responses"]["200"]["content"]
        assert {"400", "401", "404", "422"} <= set(op["responses"])
