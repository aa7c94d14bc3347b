"""The evaluation report's page and PDF (gateway/routes/evaluation.py on gateway/documents.py): a
report as the service answers it, rendered, its figures and charts on the page, and the PDF's text
(read back with pypdf) with its table of contents and every section."""

from __future__ import annotations

import io

import pypdf
import pytest

from gateway.routes import evaluation
from sbc.evaluation.v1 import evaluation_pb2 as pb


def figure(code: str, name: str, value: float, target: float, met: bool, measured: bool = True) -> pb.IndicatorFigure:
    return pb.IndicatorFigure(
        code=code,
        name=name,
        service="servicedesk",
        measured=measured,
        value=value,
        unit="%",
        target=target,
        higher_is_better=True,
        weight=0.5,
        score=value / 2,
        met=met,
        numerator=int(value),
        denominator=100,
    )


def sample() -> pb.Report:
    figures = [
        figure("on_time_rate", "按时办结率", 90.0, 95, False),
        figure("satisfaction_rate", "满意率", 0, 90, True, False),
    ]
    area = pb.AreaFigures(code="330411", name="秀洲区", kind="district", indicators=figures, score=72.5)
    return pb.Report(
        district="330411",
        district_name="秀洲区",
        period="2026-Q4",
        months=["2026-10", "2026-11", "2026-12"],
        scheme_version="2026.1",
        generated_at={"seconds": 1_796_000_000},
        overall=area,
        towns=[pb.AreaFigures(code="330411101", name="王江泾镇", kind="town", indicators=figures, score=72.5)],
        service_points=[
            pb.AreaFigures(
                code="SP-330411101", name="王江泾镇广播电视站", kind="service_point", indicators=figures, score=72.5
            )
        ],
        trends=[
            pb.MonthFigures(month=m, indicators=figures, score=s)
            for m, s in (("2026-10", 100), ("2026-11", 72.5), ("2026-12", 80))
        ],
        problems=[
            pb.Problem(
                indicator="on_time_rate",
                area_code="330411",
                area_name="秀洲区",
                text="按时办结率为 90.0%，低于目标 95%",
            )
        ],
        bad_rating_causes=[pb.BadRatingCause(service="servicedesk", subject="repair", count=3)],
        ratings=[pb.ServiceRatings(service="servicedesk", rated=10, satisfied=7, bad=3, rectified=2)],
    )


def test_the_page_carries_the_figures_and_its_charts():
    page = evaluation.page_of(evaluation.report_json(sample()))
    assert "秀洲区智慧广电试点季度评估报告（2026-Q4）" in page and "版本 2026.1" in page
    assert page.count("<svg") == 3 and "<polyline" in page
    assert "90.0%" in page and "未达标" in page and "无数据" in page
    assert "按时办结率为 90.0%，低于目标 95%" in page and "王江泾镇广播电视站" in page


@pytest.mark.slow
def test_the_pdf_has_its_table_of_contents_and_every_section():
    pdf = evaluation.documents.pdf(evaluation.page_of(evaluation.report_json(sample())))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "目录" in text
    for title in ("总体情况", "考核指标", "各镇（街道）", "各服务站点（绩效考核）", "逐月趋势", "好差评", "存在问题"):
        assert text.count(title) >= 2, title  # in the table of contents and as its section's heading
    assert "按时办结率" in text and "90.0%" in text
    bookmarks = [o.title for o in reader.outline if not isinstance(o, list)]
    assert bookmarks[1:3] == ["目录", "1. 总体情况"] and "7. 存在问题" in bookmarks
