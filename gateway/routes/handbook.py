"""The standards system as a published handbook (服务标准手册): GET /v1/handbook (the page) and
GET /v1/handbook.pdf (the same page laid out as PDF, gateway/documents.py), for one district.

Every figure is what the services answer over gRPC, the same data they enforce: the service desk's
standard catalog (types, time limits, fees, materials, channels, quality commitments) and service
points, e-government's handling items with their guides (办事指南), eldercare's response-time
commitments and care orders, education's programme commitments and alerts' delivery commitments.
The handbook's effective date is the latest of its versioned parts' (the standard catalog's and the
item catalog's in force on the day asked), its version is built from theirs. A PDF takes about a
second to lay out: it is kept in Redis per district and version (and the page's digest, so that a
changed commitment of an unversioned part is never served stale) for a few minutes."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from typing import Annotated

import grpc
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway import documents
from gateway.common import SignedIn, cache_keep, cache_read
from gateway.openapi import body, problems
from gateway.problems import Problem
from gateway.routes.alerts import Alerts
from gateway.routes.education import Education
from gateway.routes.egov import Egov
from gateway.routes.eldercare import Eldercare
from gateway.routes.servicedesk import ServiceDesk
from runtime.auth import Caller
from sbc.alerts.v1 import alerts_pb2
from sbc.education.v1 import education_pb2
from sbc.egov.v1 import egov_pb2
from sbc.eldercare.v1 import eldercare_pb2
from sbc.servicedesk.v1 import servicedesk_pb2

router = APIRouter(prefix="/v1", tags=["handbook"])

TITLE = "服务标准手册"
PDF_SECONDS = 300  # how long a laid-out PDF is kept in Redis
# One reader's PDF laid out at a time (documents.pdf_aside): a burst of readers waits for the first
# one's, then reads it from the cache.
_layout = asyncio.Semaphore(1)


District = Annotated[
    str,
    Query(
        pattern="^[0-9]{6}$",
        description="The district's 6-digit code (e.g. 330411); default: the caller's",
    ),
]
On = Annotated[
    str,
    Query(
        pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        description="YYYY-MM-DD: the handbook in force that day; default: today in the district",
        json_schema_extra={"format": "date"},
    ),
]

ERRORS = problems(404)
ERRORS[404]["description"] = (
    "No such district on this platform, or no standard in force on that day (`detail` says which)"
)


def _date(on: str) -> str:
    if on:
        try:
            dt.date.fromisoformat(on)
        except ValueError:
            raise Problem(400, "on must be a calendar date, YYYY-MM-DD", {"on": "not a date"}) from None
    return on


def _district(caller: Caller, district: str) -> str:
    if district:
        return district
    if len(caller.area_code) >= 6 and caller.area_code[:6].isdigit():
        return caller.area_code[:6]
    raise Problem(400, "name the district (?district=330411): your account has no area", {"district": "is required"})


async def gather(request: Request, token: str, district: str, on: str) -> dict:
    """What every service answers for the handbook, at once; a district or day a service does not
    know is 404, naming it."""
    desk, egov = ServiceDesk.of(request, token), Egov.of(request, token)
    care, education, alerts = Eldercare.of(request, token), Education.of(request, token), Alerts.of(request, token)
    try:
        catalog, points, items, response, orders, programmes, delivery = await asyncio.gather(
            desk.catalog(on, district),
            desk.service_points(district),
            egov.items(on, "", "", district),
            care.response_commitments(),
            care.list_care_order_kinds(eldercare_pb2.ListCareOrderKindsRequest()),
            education.programme_commitments(district),
            alerts.delivery_commitments(),
        )
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:
            raise Problem(404, f"no handbook for district {district} on {on or 'today'}: {exc.details()}") from None
        raise
    points_here = [p for p in points.service_points if p.area.code.startswith(district)]
    if not points_here:
        raise Problem(404, f"no service points in district {district} on this platform")
    return handbook(catalog, points_here, items, response, orders, programmes, delivery)


# --- the services' answers as the handbook's figures (no I/O) ---

SECTIONS = [
    {"id": "standards", "title": "广电服务标准"},
    {"id": "quality", "title": "服务质量承诺"},
    {"id": "points", "title": "服务网点"},
    {"id": "guides", "title": "政务服务指南"},
    {"id": "eldercare", "title": "养老服务响应承诺"},
    {"id": "programmes", "title": "农村广播节目承诺"},
    {"id": "alerts", "title": "预警信息发布承诺"},
]

UNITS = {"minutes": "分钟", "hours": "小时", "percent": "%", "working_days": "个工作日"}


def yuan(fen: int) -> str:
    return "免费" if fen == 0 else f"{fen // 100}元" + (f"{fen % 100:02d}分" if fen % 100 else "")


def hours(h: int) -> str:
    return f"{h // 24}天（{h}小时）" if h % 24 == 0 and h >= 48 else f"{h}小时"


def seconds(s: int) -> str:
    if s and s % 3600 == 0:
        return f"{s // 3600}小时"
    if s and s % 60 == 0:
        return f"{s // 60}分钟"
    return f"{s}秒"


def handbook(
    catalog: servicedesk_pb2.Catalog,
    points: list[servicedesk_pb2.ServicePoint],
    items: egov_pb2.ListItemsResponse,
    response: eldercare_pb2.ResponseCommitments,
    orders: eldercare_pb2.ListCareOrderKindsResponse,
    programmes: education_pb2.ProgrammeCommitments,
    delivery: alerts_pb2.DeliveryCommitments,
) -> dict:
    """The template's context: the cover's version and date, and each section's rows."""
    parts = [
        {"name": "广电服务标准目录", "version": catalog.version, "effective_from": catalog.effective_from},
        {"name": "政务服务事项目录", "version": items.version, "effective_from": items.effective_from},
    ]
    return {
        "title": TITLE,
        "district_code": items.district_code,
        "district_name": items.district_name,
        "version": "+".join(p["version"] for p in parts),
        "effective_date": max(p["effective_from"] for p in parts),
        "parts": parts,
        "sections": SECTIONS,
        "standards": [
            {
                "code": t.code,
                "name": t.name,
                "covers": t.covers,
                "urban": hours(t.time_limit_hours["urban"]),
                "village": hours(t.time_limit_hours["village"]),
                "fee": yuan(t.fee.fen),
                "materials": "、".join(catalog.material_names.get(m, m) for m in t.materials) or "无需材料",
                "channels": "、".join(catalog.channel_names.get(c, c) for c in t.channels),
                "home_visit": "老年人、残疾人可预约上门" if t.home_visit_offered else "不提供上门服务",
                "compensation": t.compensation or "无超时补偿",
            }
            for t in catalog.service_types
        ],
        "quality": [
            {
                "name": q.name,
                "commitment": q.commitment,
                "target": f"{q.target:g}{UNITS.get(q.unit, q.unit)}",
                "source": q.source,
            }
            for q in catalog.quality_commitments
        ],
        "points": [
            {
                "name": p.name,
                "town": p.area.name,
                "code": p.area.code,
                "agency_points": "、".join(a.name for a in p.agency_points) or "—",
            }
            for p in points
        ],
        "items": [_item(i) for i in items.items],
        "severities": [
            {
                "name": f"{s.severity_name}（{s.severity}）" if s.severity != "default" else s.severity_name,
                "within": seconds(s.acknowledge_within_seconds),
                "alarms": "、".join(s.alarm_names) or "—",
                "steps": "；".join(
                    f"{'立即' if st.after_seconds == 0 else seconds(st.after_seconds) + '后'}通知{st.who_name}，"
                    f"每{seconds(st.repeat_seconds)}提醒"
                    for st in s.steps
                ),
            }
            for s in response.severities
        ],
        "answered_within": [
            {"within": seconds(a.seconds), "share": f"{a.share * 100:g}%", "standard": a.standard}
            for a in response.answered_within
        ],
        "follow_up": f"{response.follow_up_target * 100:g}%",
        "follow_up_standard": response.follow_up_standard,
        "care_orders": [
            {"name": k.name, "working_days": k.working_days, "providers": "、".join(k.providers)} for k in orders.kinds
        ],
        "programmes": {
            "per_week": programmes.farm_programmes_per_week,
            "channels": "、".join(programmes.counted_channels),
            "source": programmes.source,
            "playout_channel": programmes.playout_channel,
            "send_ahead": seconds(programmes.send_ahead_seconds),
            "towns": [
                {"name": t.name, "code": t.code, "brand": t.brand.name, "about": t.brand.description}
                for t in programmes.towns
            ],
        },
        "delivery": {
            "reach": seconds(delivery.reach_within_seconds),
            "reach_source": delivery.reach_source,
            "approval": delivery.approval,
            "channels": [{"name": c.name, "commitment": c.commitment} for c in delivery.channels],
            "redeliver": seconds(delivery.redeliver_after_seconds),
            "max_attempts": delivery.max_attempts,
            "levels": [{"roman": lv.roman, "name": lv.name, "severity": lv.severity} for lv in delivery.levels],
        },
    }


def _item(i: egov_pb2.HandlingItem) -> dict:
    g = i.guide
    return {
        "code": i.code,
        "name": i.name,
        "kind": i.kind_name,
        "type": i.type_name,
        "department": i.department_name,
        "body": i.implementing_body,
        "legal_basis": i.legal_basis,
        "legal_days": g.legal_time_limit_days,
        "promised_days": g.promised_time_limit_days,
        "visits": g.visits,
        "online": "可全程网办" if g.online else "需到现场",
        "fee": g.fee or yuan(g.fee_fen),
        "place": g.place,
        "hours": g.hours,
        "conditions": list(g.conditions),
        "materials": [
            {
                "name": m.name,
                "form": m.form,
                "original": "需原件" if m.original_needed and m.form != "原件" else "",
                "required": m.required,
            }
            for m in g.materials
        ],
        "steps": [{"name": s.name, "days": s.working_days, "counts": s.counts} for s in g.steps],
        "commitment": g.commitment,
        "consult": g.consult,
        "complain": g.complain,
    }


def _page(context: dict) -> str:
    return documents.html("handbook.html", **context)


# --- the routes ---

PAGE = {200: body({"type": "string"}, "The handbook as an HTML page", "text/html"), **ERRORS}
PDF = {200: body({"type": "string", "format": "binary"}, "The handbook as a PDF (A4)", "application/pdf"), **ERRORS}


@router.get(
    "/handbook",
    summary="The standards handbook (服务标准手册) of a district, as a page",
    response_class=HTMLResponse,
    responses=PAGE,
)
async def handbook_page(request: Request, auth: SignedIn, district: District = "", on: On = ""):
    caller, token = auth
    code = _district(caller, district)
    return HTMLResponse(_page(await gather(request, token, code, _date(on))))


@router.get(
    "/handbook.pdf",
    summary="The same handbook as a PDF, with its table of contents as bookmarks",
    response_class=Response,
    responses=PDF,
)
async def handbook_pdf(request: Request, auth: SignedIn, district: District = "", on: On = ""):
    caller, token = auth
    code = _district(caller, district)
    context = await gather(request, token, code, _date(on))
    page = _page(context)
    key = f"handbook:pdf:{code}:{context['version']}:{hashlib.sha256(page.encode()).hexdigest()[:16]}"
    pdf = await cache_read(request, key)
    if pdf is None:
        async with _layout:
            pdf = await cache_read(request, key)
            if pdf is None:
                pdf = await documents.pdf_aside(page)
                await cache_keep(request, key, pdf, PDF_SECONDS)
    name = f"handbook-{code}-{context['version']}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "private, max-age=300"},
    )
