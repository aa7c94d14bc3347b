"""Evaluation under /v1/evaluation/: the pilot's evaluation report (总结验收) of a district for a month,
a quarter or a year, for the district's assessors (role `assessor`): as JSON, as a page (HTML with SVG
charts) and as a PDF, the page and the PDF from one template (gateway/templates/evaluation_report.html
on the shared layout, gateway/documents.py). gateway/app.py includes this module because the registry
marks evaluation public; the gateway's own answers (401, 403, 413, 415, 422, 429, 5xx) are added to
the document for every operation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from google.protobuf.json_format import MessageToDict

from gateway import documents
from gateway.common import ServiceClient, SignedIn
from gateway.openapi import body, problems
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc

router = APIRouter(prefix="/v1/evaluation", tags=["evaluation"])
TEMPLATE = "evaluation_report.html"
PERIOD_KINDS = {"month": "月度", "quarter": "季度", "year": "年度"}


class Evaluation(ServiceClient):
    service = "evaluation"
    stub_class = evaluation_pb2_grpc.EvaluationServiceStub

    async def report(self, district: str, period: str) -> pb.Report:
        return await self.stub.GetReport(pb.GetReportRequest(district=district, period=period), **self.options)


def client(request: Request, auth: SignedIn) -> Evaluation:
    return Evaluation.of(request, auth[1])


Client = Annotated[Evaluation, Depends(client)]
# The service checks both (400 with the field named); the gateway keeps them short.
District = Annotated[str, Query(min_length=6, max_length=6, pattern="^[0-9]{6}$", description="e.g. 330411")]
Period = Annotated[
    str,
    Query(
        min_length=4,
        max_length=7,
        pattern="^[0-9]{4}(-[0-9]{2}|-Q[1-4])?$",
        description="a month (2026-11), a quarter (2026-Q4) or a year (2026)",
    ),
]
ERRORS = problems(400, 404)


def report_json(report: pb.Report) -> dict:
    # Every figure, its zeros and falses too (a reader should not have to know proto3's defaults).
    return MessageToDict(report, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


@router.get(
    "/report",
    summary="The district's evaluation report for a period (its assessors): every indicator per district, "
    "town and service point, the trend per month, the problems found (404: no scheme for the district)",
    responses={200: body(pb.Report), **ERRORS},
)
async def report(client: Client, district: District, period: Period):
    return report_json(await client.report(district, period))


def page_of(report: dict) -> str:
    kind = "year" if len(report["period"]) == 4 else "quarter" if "Q" in report["period"] else "month"
    sections = [
        {"id": "summary", "title": "总体情况"},
        {"id": "indicators", "title": "考核指标"},
        {"id": "towns", "title": "各镇（街道）"},
        {"id": "points", "title": "各服务站点（绩效考核）"},
        {"id": "trends", "title": "逐月趋势"},
        {"id": "ratings", "title": "好差评"},
        {"id": "problems", "title": "存在问题"},
    ]
    return documents.html(
        TEMPLATE,
        title=f"{report['district_name']}智慧广电试点{PERIOD_KINDS[kind]}评估报告（{report['period']}）",
        version=report["scheme_version"],
        effective_date=report["generated_at"][:10],
        sections=sections,
        r=report,
    )


@router.get(
    "/report.html",
    summary="The same report as a page, with its charts",
    responses={200: {"description": "OK", "content": {"text/html": {"schema": {"type": "string"}}}}, **ERRORS},
    response_class=HTMLResponse,
)
async def report_page(client: Client, district: District, period: Period):
    return HTMLResponse(page_of(report_json(await client.report(district, period))))


@router.get(
    "/report.pdf",
    summary="The same report as a PDF, with its table of contents",
    responses={
        200: {"description": "OK", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **ERRORS,
    },
    response_class=Response,
)
async def report_pdf(client: Client, district: District, period: Period):
    page = page_of(report_json(await client.report(district, period)))
    # WeasyPrint takes a second or two for a year's report: in the layout process, as the handbook's.
    pdf = await documents.pdf_aside(page)
    filename = f"evaluation-{district}-{period}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )
