"""The pilot's evaluation report on the suite's platform: activity through the real services (a
repair filed at Wangjiangjing, accepted, dispatched, resolved and rated badly, through the gateway),
the report's figures for this month equal what the service desk's own assessment answers for every
service point, the report counts that bad rating among its causes, only the district's assessor may
read it, bad input is refused, and the PDF renders with its table of contents (its text read back
with pypdf)."""

from __future__ import annotations

import datetime as dt
import io
import time
import zoneinfo

import pypdf
import pytest

from e2e.desk import desk_platform, file, gw, h, problem, staff_post, tokens, window  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.infra, pytest.mark.slow]

MONTH = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
# The service desk's assessment (PointMetrics) beside the report's indicators of the same name.
SAME = ("on_time_rate", "satisfaction_rate", "rectification_rate", "complaint_rate", "overdue_rate")


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
