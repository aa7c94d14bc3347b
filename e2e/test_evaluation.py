"""The pilot's evaluation report on the suite's platform, from activity through the real services: a
repair filed at Wangjiangjing, accepted, dispatched, resolved and rated badly (the gateway), and an
e-government application made from the TV and approved by the department over gRPC. The report's
figures for the period equal what the services' own APIs answer (the service desk's assessment for
every service point; e-government's figures for the share done with no visit), the bad rating is
among its causes, only the district's assessor may read it, bad input is refused, and the PDF renders
with its table of contents (its text read back with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid
import zoneinfo

import grpc
import pypdf
import pytest

from e2e.desk import desk_platform, file, gw, h, problem, staff_post, tokens, window  # noqa: F401 (fixtures)
from e2e.platform import sign_in_tv
from runtime import registry
from sbc.egov.v1 import egov_pb2 as egov
from sbc.egov.v1 import egov_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.slow]

MONTH = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
# The service desk's assessment (PointMetrics) beside the report's indicators of the same name.
SAME = ("on_time_rate", "satisfaction_rate", "rectification_rate", "complaint_rate", "overdue_rate")
RELIEF = "330222004000-new"  # 临时救助申请, the civil-affairs department's
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def assessors(gw, desk_platform) -> dict[str, str]:
    out = {}
    for part in ("assessor", "other_assessor"):
        s = desk_platform.seed.evaluation_staff[part]
        r = gw.post(
            "/v1/identity/token", data={"grant_type": "password", "username": s["username"], "password": s["password"]}
        )
        assert r.status_code == 200, r.text
        out[part] = r.json()["access_token"]
    return out


def report(gw, token, period=MONTH, district="330411"):
    return gw.get("/v1/evaluation/report", params={"district": district, "period": period}, headers=h(token))


def assessment(gw, tokens) -> dict:
    r = gw.get(
        "/v1/servicedesk/assessment", params={"months": 1, "period": MONTH}, headers=h(tokens["manager.district"])
    )
    assert r.status_code == 200, r.text
    return {p["service_point_code"]: p for p in r.json()["points"]}


def figures_of(area: dict) -> dict:
    return {f["code"]: f for f in area["indicators"]}


def comparable(points_report: list, points_desk: dict) -> tuple[dict, dict]:
    ours, theirs = {}, {}
    for p in points_report:
        f = figures_of(p)
        ours[p["code"]] = {k: (round(f[k]["value"], 2) if f[k]["measured"] else None) for k in SAME}
        m = points_desk.get(p["code"], {}).get("metrics", {})
        theirs[p["code"]] = {k: (round(m[k], 2) if k in m else None) for k in SAME}
    return ours, theirs


def test_the_reports_figures_equal_the_service_desks_own_assessment(gw, desk_platform, tokens, assessors):
    rid = file(gw, tokens["home1"]).json()["id"]
    staff_post(gw, tokens["manager.wjj"], rid, "accept")
    staff_post(gw, tokens["manager.wjj"], rid, "dispatch", technician="tech.wjj", **window(30 / 3600, 1))
    staff_post(gw, tokens["tech.wjj"], rid, "on-site")
    assert staff_post(gw, tokens["tech.wjj"], rid, "resolve").json()["state"] == "resolved"
    rate = {
        "level": "very_dissatisfied",
        "indicators": {"efficiency": 1, "attitude": 2, "result": 1},
        "comment": "没修好",
    }
    r = gw.post(f"/v1/servicedesk/requests/{rid}/rating", json=rate, headers=h(tokens["home1"]))
    assert r.status_code == 200, r.text

    # Both read models follow the same events on Kafka: wait until they agree and are still.
    deadline, previous, still = time.monotonic() + 180, None, 0
    while True:
        r = report(gw, assessors["assessor"])
        assert r.status_code == 200, r.text
        got = r.json()
        ours, theirs = comparable(got["service_points"], assessment(gw, tokens))
        wjj = figures_of(next(p for p in got["service_points"] if p["code"] == "SP-330411101"))
        still = still + 1 if (ours, theirs) == previous else 0
        if ours == theirs and wjj["satisfaction_rate"]["denominator"] >= 1 and still >= 2:
            break
        assert time.monotonic() < deadline, (ours, theirs)
        previous = (ours, theirs)
        time.sleep(1)
    assert got["district_name"] == "秀洲区" and got["months"] == [MONTH]
    causes = {(c["service"], c["subject"]): c["count"] for c in got["bad_rating_causes"]}
    assert causes.get(("servicedesk", "fault_repair_general"), 0) >= 1, causes
    desk = next(x for x in got["ratings"] if x["service"] == "servicedesk")
    assert desk["bad"] >= 1 and desk["rated"] >= desk["bad"]
    # The district's and the towns' figures add up from the points'.
    district = figures_of(got["overall"])["on_time_rate"]
    assert district["denominator"] == sum(figures_of(p)["on_time_rate"]["denominator"] for p in got["service_points"])


def test_only_the_districts_assessor_reads_it_and_bad_input_is_refused(gw, tokens, assessors):
    problem(report(gw, tokens["manager.district"]), 403)
    problem(report(gw, assessors["other_assessor"]), 403)
    problem(report(gw, tokens["home1"]), 403)
    problem(gw.get("/v1/evaluation/report", params={"district": "330411", "period": MONTH}), 401)
    problem(report(gw, assessors["assessor"], period="2026-13"), 400, "period")
    problem(report(gw, assessors["other_assessor"], district="330402"), 404)
    problem(report(gw, assessors["assessor"], period="2026-Q5"), 422)
    problem(report(gw, assessors["assessor"], district="33041"), 422)


def test_the_page_and_the_pdf_render_with_their_table_of_contents(gw, assessors):
    year = MONTH[:4]
    page = gw.get(
        "/v1/evaluation/report.html", params={"district": "330411", "period": year}, headers=h(assessors["assessor"])
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), page.text
    assert "秀洲区智慧广电试点年度评估报告" in page.text and page.text.count("<svg") == 3
    r = gw.get(
        "/v1/evaluation/report.pdf", params={"district": "330411", "period": year}, headers=h(assessors["assessor"])
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "目录" in text and "按时办结率" in text
    for title in ("总体情况", "考核指标", "各服务站点（绩效考核）", "逐月趋势", "存在问题"):
        assert text.count(title) >= 2, title
    assert "7. 存在问题" in [o.title for o in reader.outline if not isinstance(o, list)]


def staff_token(gw, who: dict) -> str:
    r = gw.post(
        "/v1/identity/token", data={"grant_type": "password", "username": who["username"], "password": who["password"]}
    )
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def test_the_share_done_with_no_visit_equals_e_governments_own_figures(gw, desk_platform, assessors):
    """An application from the TV, approved by the department over gRPC, with no visit to a hall:
    the year's report counts e-government's applications done, and those with no visit, as its
    figures (GET /v1/egov/figures) do."""
    [home] = desk_platform.households_of("evaluation")
    tv = sign_in_tv(gw, home, f"STB-EVAL-{uuid.uuid4().hex[:6]}")
    guide = gw.get(f"/v1/egov/items/{RELIEF}", headers=h(tv)).json()
    r = gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=h(tv, key=True))
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    for m in guide["guide"]["materials"]:
        if m.get("required"):
            put = gw.put(
                f"/v1/egov/applications/{app_id}/materials/{m['code']}",
                params={"file_name": f"{m['code']}.pdf"},
                content=PDF,
                headers={**h(tv), "Content-Type": "application/pdf"},
            )
            assert put.status_code == 200, put.text
    assert gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h(tv)).json()["state"] == "submitted"
    r = gw.post(
        "/v1/identity/token",
        data={"grant_type": "client_credentials", **desk_platform.seed.departments["civil_affairs"]},
    )
    civil = [("authorization", f"Bearer {r.json()['access_token']}")]
    port = registry.load().service("egov").local_port(desk_platform.port_base)
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        department = egov_pb2_grpc.DepartmentServiceStub(channel)
        department.AcceptApplication(egov.DecisionRequest(id=app_id), metadata=civil)
        department.ApproveApplication(egov.DecisionRequest(id=app_id, reason="核准"), metadata=civil)

    office = staff_token(gw, desk_platform.seed.egov_staff["egov_office"])
    deadline = time.monotonic() + 120
    while True:
        theirs = gw.get("/v1/egov/figures", headers=h(office)).json()["district"]
        r = report(gw, assessors["assessor"], period=MONTH[:4])
        assert r.status_code == 200, r.text
        ours = figures_of(r.json()["overall"])["egov_no_visit_rate"]
        done = int(theirs.get("done", 0))
        if ours["denominator"] == done >= 1:
            break
        assert time.monotonic() < deadline, (ours, theirs)
        time.sleep(1)
    assert ours["value"] == pytest.approx(100 * theirs.get("no_visit_share", 0.0), abs=0.01)
    town = next(t for t in r.json()["towns"] if t["code"] == "330411101")
    assert figures_of(town)["egov_no_visit_rate"]["denominator"] >= 1
