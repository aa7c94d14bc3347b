"""The standards handbook through the suite's platform, as a household's TV reads it: the page and the
PDF (its text read back with pypdf) hold the time limits and fees of every service standard, and the
promised time limit and visit count of every government item, exactly as the service desk's and
e-government's APIs answer them; the table of contents lists every section (in the page, the PDF's
text and its bookmarks); the Chinese is real text, not empty boxes; a caller not signed in, an unknown
district and a bad date get a problem. The phone's service desk screen saves it (服务标准手册)."""

from __future__ import annotations

import io
import re
import uuid

import httpx
import pypdf
import pytest

from e2e.platform import sign_in_tv
from e2e.test_phone import home_with, phone_signed_in, press, tap
from gateway.routes.handbook import SECTIONS

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


@pytest.fixture(scope="module")
def gw(platform):
    # a PDF is seconds of CPU, more on a machine the whole platform shares
    with httpx.Client(base_url=platform.base_url, timeout=300) as c:
        yield c


@pytest.fixture(scope="module")
def tv(gw, platform) -> dict:
    (household,) = platform.households_of("handbook")
    return {"Authorization": f"Bearer {sign_in_tv(gw, household, f'STB-HB-{uuid.uuid4().hex[:6]}')}"}


def flat(text: str) -> str:
    """Text with no white space: a table cell's lines wrap wherever its column ends."""
    return re.sub(r"\s+", "", text)


def fee(fen: int) -> str:
    return "免费" if fen == 0 else f"{fen // 100}元"


def apis(gw, tv) -> tuple[dict, dict]:
    guide = gw.get("/v1/servicedesk/guide", headers=tv)
    items = gw.get("/v1/egov/items", headers=tv)
    assert guide.status_code == 200 and items.status_code == 200, (guide.text, items.text)
    return guide.json(), items.json()


def check_figures(text: str, guide: dict, items: dict) -> None:
    """Every standard's row and every item's guide, in the order the services list them."""
    body = text[text.index(flat("1. 广电服务标准以下为")) :]  # past the table of contents
    standards = guide["services"]
    at = 0
    for n, s in enumerate(standards):
        at = body.index(s["name"], at)
        end = body.index(standards[n + 1]["name"], at + 1) if n + 1 < len(standards) else body.index("2.服务质量承诺")
        row = body[at:end]
        assert f"城镇{s['time_limit_hours']['urban']}小时" in row or f"{s['time_limit_hours']['urban']}小时" in row, row
        assert f"{s['time_limit_hours']['village']}小时" in row, row
        assert fee(int(s["fee"].get("fen", 0))) in row, (s["code"], row)
        at = end
    assert items["items"]
    for item in items["items"]:
        start = body.index(f"事项编码{item['code']}")
        block = body[start : body.index("投诉方式", start)]
        guide_of = item["guide"]
        assert f"承诺办结时限{guide_of.get('promised_time_limit_days', 0)}个工作日" in block, block
        assert f"法定办结时限{guide_of.get('legal_time_limit_days', 0)}个工作日" in block, block
        assert f"到现场次数{guide_of.get('visits', 0)}次" in block, block


def test_the_page_and_the_pdf_hold_the_services_figures(gw, tv):
    guide, items = apis(gw, tv)
    version = f"{guide['version']}+{items['version']}"
    effective = max(guide["effective_from"], items["effective_from"])

    page = gw.get("/v1/handbook", headers=tv)
    assert page.status_code == 200, page.text
    assert f"版本 {version} · 自 {effective} 起施行" in page.text
    for n, s in enumerate(SECTIONS, 1):
        assert f'<a href="#{s["id"]}">{n}. {s["title"]}</a>' in page.text
    text_of_page = flat(re.sub(r"<[^>]+>", "", page.text))
    check_figures(text_of_page, guide, items)

    r = gw.get("/v1/handbook.pdf", headers=tv)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf" and version in r.headers["content-disposition"]
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    pages = [p.extract_text() for p in reader.pages]
    text = flat("\n".join(pages))
    # real Chinese text: a missing CJK font extracts as nothing or as boxes
    assert "服务标准手册" in text and f"版本{version}·自{effective}起施行" in text
    assert "□" not in text and len(re.findall(r"[\u4e00-\u9fff]", text)) > 5000
    # the table of contents (its own page) lists every section with its page number
    contents = flat(pages[1])
    for n, s in enumerate(SECTIONS, 1):
        assert re.search(rf"{n}\.{s['title']}\.+\d+", contents), contents
    assert [o["/Title"] for o in reader.outline if isinstance(o, dict)][-len(SECTIONS) :] == [
        f"{n}. {s['title']}" for n, s in enumerate(SECTIONS, 1)
    ]
    check_figures(text, guide, items)


def test_another_districts_handbook_is_that_districts_own(gw, tv):
    """A Xiuzhou TV reads the made-up 示范区's handbook (e2e/districts/330499): its own standards and
    service points, as the service desk publishes them for that district, never Xiuzhou's."""
    page = gw.get("/v1/handbook", headers=tv, params={"district": "330499"})
    assert page.status_code == 200, page.text
    text = flat(re.sub(r"<[^>]+>", "", page.text))
    assert "示范镇广播电视站（虚构）" in text and "王江泾镇广播电视站" not in text, "its own service points"
    r = gw.get("/v1/handbook.pdf", headers=tv, params={"district": "330499"})
    assert r.status_code == 200, r.text[:300]
    pdf = flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.content)).pages))
    assert "示范镇广播电视站（虚构）" in pdf


def test_refused_requests(gw, tv):
    assert gw.get("/v1/handbook").status_code == 401
    assert gw.get("/v1/handbook.pdf").status_code == 401
    for params, status in (({"district": "110101"}, 404), ({"on": "2026-02-30"}, 400), ({"on": "tomorrow"}, 422)):
        r = gw.get("/v1/handbook.pdf", headers=tv, params=params)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json") and r.json()["detail"]


def test_the_phone_saves_the_handbook_from_the_service_desk(browser, platform):
    (household,) = platform.households_of("handbook")
    page = phone_signed_in(browser, platform.base_url, household["members"][0])
    try:
        home_with(page, "servicedesk")
        tap(page, "tile:servicedesk", "servicedesk")
        with page.expect_download(timeout=300_000) as download:
            press(page, "sd:handbook")
        assert download.value.suggested_filename == "服务标准手册.pdf"
        reader = pypdf.PdfReader(download.value.path())
        assert "服务标准手册" in reader.pages[0].extract_text()
    finally:
        page.context.close()
