"""E-government under /v1/egov/: the district's catalog of government service items (search by
keyword and life event, each item's service guide), a household's applications (start a draft,
add materials from the phone, submit, follow the state and the deadline, rate), the same for a
village agent acting for a household of their village, and the TV home screen's tile
(`home_tile`). Departments decide over gRPC (sbc.egov.v1.DepartmentService). Every rule is the
service's: the gateway maps JSON to gRPC and gRPC errors to problem+json."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gateway.common import (
    ID,
    IDEMPOTENCY_KEY,
    LINE,
    RATING_LEVELS,
    TEXT,
    IdempotencyKey,
    ServiceClient,
    SignedIn,
    json_body,
    to_json,
)
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, array, body, obj, page_of, problems
from gateway.problems import Problem
from gateway.routes.home import ITEM as HOME_ITEM
from runtime.auth import Caller
from sbc.common.v1 import common_pb2
from sbc.egov.v1 import egov_pb2 as pb
from sbc.egov.v1 import egov_pb2_grpc

router = APIRouter(prefix="/v1/egov", tags=["e-government"])
pages = APIRouter(prefix="/egov")
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "egov"

# What a phone may upload as a material (the service reads the type from the content).
MATERIAL_TYPES = ("application/pdf", "image/jpeg", "image/png")
# An item's or a material's code.
CODE = "^[A-Za-z0-9_.-]+$"
# The TV screen the home tile opens.
TV_SCREEN = "egov"
TILE_APPLICATIONS = 3


class Egov(ServiceClient):
    service = "egov"
    stub_class = egov_pb2_grpc.EgovServiceStub

    async def items(self, on_date: str, keyword: str, life_event: str, district_code: str = "") -> pb.ListItemsResponse:
        r = pb.ListItemsRequest(on_date=on_date, keyword=keyword, life_event=life_event, district_code=district_code)
        return await self.stub.ListItems(r, **self.options)

    async def item(self, code: str, on_date: str) -> pb.HandlingItem:
        return await self.stub.GetItem(pb.GetItemRequest(code=code, on_date=on_date), **self.options)

    async def give_consent(self, item_code: str) -> pb.ConsentCode:
        return await self.stub.GiveConsent(pb.GiveConsentRequest(item_code=item_code), **self.options)

    async def start(self, request: pb.StartApplicationRequest) -> pb.Application:
        return await self.stub.StartApplication(request, **self.options)

    async def add_material(self, request: pb.AddMaterialRequest) -> pb.Application:
        return await self.stub.AddMaterial(request, **self.options)

    async def material(self, application_id: str, code: str) -> pb.MaterialFile:
        r = pb.GetMaterialRequest(application_id=application_id, material_code=code)
        return await self.stub.GetMaterial(r, **self.options)

    async def submit(self, application_id: str) -> pb.Application:
        return await self.stub.SubmitApplication(pb.ApplicationRef(id=application_id), **self.options)

    async def application(self, application_id: str) -> pb.Application:
        return await self.stub.GetApplication(pb.ApplicationRef(id=application_id), **self.options)

    async def hand_over(self, application_id: str, to_agent: str) -> pb.Application:
        request = pb.HandOverDraftRequest(id=application_id, to_agent=to_agent)
        return await self.stub.HandOverDraft(request, **self.options)

    async def take_over(self, application_id: str) -> pb.Application:
        return await self.stub.TakeOverDraft(pb.ApplicationRef(id=application_id), **self.options)

    async def mine(self, page: common_pb2.PageRequest) -> pb.ListApplicationsResponse:
        return await self.stub.ListMyApplications(pb.ListMyApplicationsRequest(page=page), **self.options)

    async def rate(self, request: pb.RateApplicationRequest) -> pb.Application:
        return await self.stub.RateApplication(request, **self.options)

    async def slots(self, application_id: str) -> pb.ListAppointmentSlotsResponse:
        return await self.stub.ListAppointmentSlots(pb.ApplicationRef(id=application_id), **self.options)

    async def book(self, application_id: str, slot_id: str) -> pb.Appointment:
        r = pb.BookAppointmentRequest(application_id=application_id, slot_id=slot_id)
        return await self.stub.BookAppointment(r, **self.options)

    async def cancel_appointment(self, appointment_id: str) -> pb.Appointment:
        return await self.stub.CancelAppointment(pb.AppointmentRef(id=appointment_id), **self.options)

    async def my_certificates(self) -> pb.ListCertificatesResponse:
        return await self.stub.ListMyCertificates(pb.ListMyCertificatesRequest(), **self.options)

    async def figures(self) -> pb.Figures:
        return await self.stub.GetFigures(pb.GetFiguresRequest(), **self.options)


class Department(Egov):
    """A department's calls (sbc.egov.v1.DepartmentService), with its own token: the registry's
    certificates it serves, and its queue and decisions (the portal of a department with no system)."""

    stub_class = egov_pb2_grpc.DepartmentServiceStub

    async def register_certificate(self, request: pb.RegisterCertificateRequest) -> pb.Certificate:
        return await self.stub.RegisterCertificate(request, **self.options)

    async def queue(self, states: list[str], page: common_pb2.PageRequest) -> pb.ListApplicationsResponse:
        return await self.stub.ListQueue(pb.ListQueueRequest(states=states, page=page), **self.options)

    async def application(self, application_id: str) -> pb.Application:
        return await self.stub.GetApplication(pb.ApplicationRef(id=application_id), **self.options)

    async def decide(self, step: str, request) -> pb.Application:
        return await getattr(self.stub, DECISIONS[step])(request, **self.options)


# The portal's decisions: the path's step -> DepartmentService's method.
DECISIONS = {
    "accept": "AcceptApplication",
    "return": "ReturnForCorrection",
    "reject": "RejectApplication",
    "approve": "ApproveApplication",
    "refuse": "RefuseApplication",
}


def client(request: Request, auth: SignedIn) -> Egov:
    return Egov.of(request, auth[1])


def department_client(request: Request, auth: SignedIn) -> Department:
    return Department.of(request, auth[1])


Client = Annotated[Egov, Depends(client)]
DepartmentClient = Annotated[Department, Depends(department_client)]
ApplicationId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The application's id")]
ItemCode = Annotated[str, Path(min_length=1, max_length=64, pattern=CODE, description="A handling item's code")]
MaterialCode = Annotated[str, Path(min_length=1, max_length=64, pattern=CODE, description="A material's code")]


def date_or_empty(value: str) -> str:
    if value:
        try:
            dt.date.fromisoformat(value if len(value) == 10 else "not a date")
        except ValueError:
            raise ValueError("a date, YYYY-MM-DD") from None
    return value


OnDate = Annotated[
    str,
    Query(
        max_length=10,
        description="YYYY-MM-DD: the guide in force that day; empty: today in the district",
        json_schema_extra={"anyOf": [{"const": ""}, {"format": "date"}]},
    ),
    AfterValidator(date_or_empty),
]
AN_APPLICATION = body(pb.Application)

# --- the catalog ---


@router.get(
    "/items",
    summary="The district's government service items in force (by keyword or life event)",
    responses={200: body(pb.ListItemsResponse), **problems(404)},
)
async def list_items(
    client: Client,
    on_date: OnDate = "",
    keyword: Annotated[str, Query(max_length=50, pattern=LINE, description="Part of a name or code")] = "",
    life_event: Annotated[
        str, Query(max_length=32, pattern="^[a-z_]*$", description="生育 birth, 入学 school, 就业 employment, ...")
    ] = "",
):
    return to_json(await client.items(on_date, keyword, life_event))


@router.get(
    "/items/{item_code}",
    summary="One handling item with its service guide (办事指南) in force on a date",
    responses={200: body(pb.HandlingItem)},
)
async def get_item(client: Client, item_code: ItemCode, on_date: OnDate = ""):
    return to_json(await client.item(item_code, on_date))


# --- the household's consent to its agent ---


class NewConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"item_code": "330222004000-new"}]})
    item_code: str = Field(min_length=1, max_length=64, pattern=CODE)


@router.post(
    "/consents",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="The household consents that its village agent files one item for it: the code its TV shows",
    description="Only a household's own terminal (403 otherwise). The code is short-lived and used once; "
    "the agent enters it as the application's `consent`.",
    responses={201: body(pb.ConsentCode), **problems(403, 404)},
)
async def give_consent(client: Client, body: NewConsent):
    return to_json(await client.give_consent(body.item_code))


# --- applications ---


class NewApplication(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"item_code": "330222004000-new"},
                {
                    "item_code": "330222004000-new",
                    "channel": "village_agent",
                    "household_id": "hh-1",
                    "household_area_code": "330411105201",
                    "consent": "482913",
                },
            ]
        },
    )
    item_code: str = Field(min_length=1, max_length=64, pattern=CODE)
    channel: str = Field(
        default="",
        max_length=32,
        json_schema_extra={"enum": ["", "set_top_box", "mobile", "village_agent"]},
        description="set_top_box (default on a TV), mobile; village_agent for an agent",
    )
    household_id: str = Field(default="", max_length=36, pattern="^[A-Za-z0-9_-]*$", description="an agent's")
    household_area_code: str = Field(default="", max_length=12, pattern="^([0-9]{12})?$", description="an agent's")
    consent: str = Field(
        default="",
        max_length=200,
        pattern=LINE,
        description="an agent's: the consent code the household's TV showed for this item (POST /v1/egov/consents)",
    )


@router.post(
    "/applications",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Start a draft application (a household for itself, an agent for a household of their village)",
    description="An agent's filing needs the household's registered area (identity's) to be in their village, "
    "and the consent code its TV showed for the item: 403 otherwise, and nothing is created.",
    responses={201: AN_APPLICATION, **problems(403, 404, 409, 503)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def start_application(client: Client, body: NewApplication, key: IdempotencyKey):
    request = pb.StartApplicationRequest(
        item_code=body.item_code,
        idempotency_key=key,
        channel=body.channel,
        household_id=body.household_id,
        household_area_code=body.household_area_code,
        consent=body.consent,
    )
    return to_json(await client.start(request))


@router.get(
    "/applications",
    summary="The household's applications (an agent's: those they started), newest first",
    responses={200: body(page_of("applications", pb.Application))},
)
async def list_applications(
    client: Client,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.mine(common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"applications": [to_json(a) for a in r.applications], "next_page_token": r.page.next_page_token}


@router.get(
    "/applications/{application_id}",
    summary="One application: its state, deadline and steps",
    responses={200: AN_APPLICATION},
)
async def get_application(client: Client, application_id: ApplicationId):
    return to_json(await client.application(application_id))


@router.put(
    "/applications/{application_id}/materials/{material_code}",
    summary="Upload one of the guide's materials (PDF, JPEG or PNG; the type is read from the content)",
    responses={200: AN_APPLICATION, **problems(409)},
    openapi_extra={
        "parameters": [
            {
                "name": "file_name",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "maxLength": 100, "pattern": LINE},
            }
        ],
        "requestBody": {
            "required": True,
            "description": "The file itself (a phone's photo), at most EGOV_MATERIAL_MAX_BYTES (2 MiB); 413 beyond",
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in MATERIAL_TYPES},
        },
    },
)
async def add_material(request: Request, client: Client, application_id: ApplicationId, material_code: MaterialCode):
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in MATERIAL_TYPES:
        raise Problem(415, "send the file as " + ", ".join(MATERIAL_TYPES))
    file_name = request.query_params.get("file_name", "")
    if len(file_name) > 100:
        raise Problem(422, "file_name is at most 100 characters", {"file_name": "at most 100 characters"})
    r = pb.AddMaterialRequest(
        application_id=application_id,
        material_code=material_code,
        file_name=file_name,
        media_type=ctype,
        content=await request.body(),
    )
    return to_json(await client.add_material(r))


@router.get(
    "/applications/{application_id}/materials/{material_code}",
    summary="One material's file, as an attachment of its stored type",
    responses={
        200: {
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in (*MATERIAL_TYPES, "application/json")  # a material taken from an e-certificate
            }
        }
    },
)
async def get_material(client: Client, application_id: ApplicationId, material_code: MaterialCode):
    f = await client.material(application_id, material_code)
    # Never rendered in the page's origin, never sniffed into something executable.
    headers = {
        "Content-Disposition": f'attachment; filename="{f.code}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }
    return Response(f.content, media_type=f.media_type, headers=headers)


@router.post(
    "/applications/{application_id}/submit",
    summary="Submit a draft, or resubmit after a correction (补正); the deadline is the promised time limit",
    responses={200: AN_APPLICATION, **problems(409)},
)
async def submit_application(client: Client, application_id: ApplicationId):
    return to_json(await client.submit(application_id))


class NewHandover(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"to_agent": "agent2.hh"}]})
    to_agent: str = Field(min_length=1, max_length=100, pattern=LINE, description="the colleague's username")


@router.post(
    "/applications/{application_id}/handover",
    dependencies=[Depends(json_body)],
    summary="A village agent hands their draft to another agent of the same agency point (who takes it over)",
    responses={200: AN_APPLICATION, **problems(409)},
)
async def hand_over_draft(client: Client, application_id: ApplicationId, body: NewHandover):
    return to_json(await client.hand_over(application_id, body.to_agent))


@router.post(
    "/applications/{application_id}/takeover",
    summary="The agent a draft was handed to takes it over, on the household's consent it was started on",
    responses={200: AN_APPLICATION, **problems(409)},
)
async def take_over_draft(client: Client, application_id: ApplicationId):
    return to_json(await client.take_over(application_id))


INDICATOR = "^[a-z_]{1,32}$"


def indicator_names(indicators: dict[str, int]) -> dict[str, int]:
    bad = [k for k in indicators if not re.fullmatch(INDICATOR, k)]
    if bad:
        raise ValueError("an indicator's name is 1..32 of a-z and _")
    return indicators


class NewRating(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"level": "satisfied", "indicators": {"efficiency": 5}, "reasons": [], "comment": ""}]
        },
    )
    level: str = Field(min_length=1, max_length=32, json_schema_extra={"enum": RATING_LEVELS})
    # (propertyNames, not a key pattern: pydantic would state that as patternProperties, which leaves
    # every other key unconstrained in the document)
    indicators: Annotated[dict[str, Annotated[int, Field(ge=1, le=5)]], AfterValidator(indicator_names)] = Field(
        default_factory=dict,
        max_length=5,
        description="the district's indicators, 1..5 each",
        json_schema_extra={"propertyNames": {"pattern": INDICATOR}},
    )
    reasons: list[Annotated[str, Field(min_length=1, max_length=32, pattern=LINE)]] = Field(
        default_factory=list, max_length=10, description="labels of the district's catalog"
    )
    comment: str = Field(default="", max_length=500, pattern=TEXT)


@router.post(
    "/applications/{application_id}/rating",
    dependencies=[Depends(json_body)],
    summary="Rate a decided application (好差评), once",
    responses={200: AN_APPLICATION, **problems(409)},
)
async def rate_application(client: Client, application_id: ApplicationId, body: NewRating):
    r = pb.RateApplicationRequest(
        id=application_id, level=body.level, indicators=body.indicators, reasons=body.reasons, comment=body.comment
    )
    return to_json(await client.rate(r))


# --- appointments at the service hall ---

AppointmentId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The appointment's id")]
AN_APPOINTMENT = body(pb.Appointment)


@router.get(
    "/applications/{application_id}/slots",
    summary="The service halls' slots that can be booked now for an application whose item needs a visit",
    responses={200: body(pb.ListAppointmentSlotsResponse), **problems(409)},
)
async def list_slots(client: Client, application_id: ApplicationId):
    return {"slots": [to_json(s) for s in (await client.slots(application_id)).slots]}


class NewAppointment(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"slot_id": "xzsc.A01.20261202T0100Z"}]})
    slot_id: str = Field(min_length=1, max_length=64, pattern="^[A-Za-z0-9_-]+[.][A-Za-z0-9_-]+[.][0-9]{8}T[0-9]{4}Z$")


@router.post(
    "/applications/{application_id}/appointments",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Book a place in a slot (one appointment ahead per application; a full slot is refused)",
    responses={201: AN_APPOINTMENT, **problems(409)},
)
async def book_appointment(client: Client, application_id: ApplicationId, body: NewAppointment):
    return to_json(await client.book(application_id, body.slot_id))


@router.post(
    "/appointments/{appointment_id}/cancel",
    summary="Cancel an appointment before the district's deadline, freeing its place",
    responses={200: AN_APPOINTMENT, **problems(409)},
)
async def cancel_appointment(client: Client, appointment_id: AppointmentId):
    return to_json(await client.cancel_appointment(appointment_id))


# --- the electronic-certificate registry (电子证照) ---


@router.get(
    "/certificates",
    summary="The household's electronic certificates in the registry, newest first (its own terminal)",
    description="Those a department served (ID card, household register) and those its approved applications "
    "issued. 403 for anyone but a household.",
    responses={200: body(pb.ListCertificatesResponse), **problems(403)},
)
async def list_my_certificates(client: Client):
    return {"certificates": [to_json(c) for c in (await client.my_certificates()).certificates]}


class NewCertificate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"household_id": "hh-1", "kind": "id_card", "number": "330411196001011234", "holder": "张某"}]
        },
    )
    household_id: str = Field(min_length=1, max_length=36, pattern="^[A-Za-z0-9_-]+$")
    kind: str = Field(min_length=1, max_length=64, pattern=CODE, description="id_card, household_register, ...")
    number: str = Field(min_length=1, max_length=64, pattern=LINE)
    holder: str = Field(min_length=1, max_length=100, pattern=LINE, description="the person it names")


@router.post(
    "/certificates",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A department that serves certificates records one of a household registered in its area",
    description="With the department's client-credentials token. 403: not a department, or a kind it does not "
    "serve; 404: no such household in its area. The same household, kind and number again is the one recorded.",
    responses={201: body(pb.Certificate), **problems(403, 404)},
)
async def register_certificate(client: DepartmentClient, body: NewCertificate):
    r = pb.RegisterCertificateRequest(
        household_id=body.household_id, kind=body.kind, number=body.number, holder=body.holder
    )
    return to_json(await client.register_certificate(r))


# --- a department's portal: its queue and its decisions (DepartmentService, with its own token) ---

STATES = [
    "draft",
    "submitted",
    "returned",
    "accepted",
    "rejected",
    "approved",
    "refused",
    "certificate_ready",
    "closed",
]


@router.get(
    "/department/queue",
    summary="The department's applications (its own items, its own area), newest first",
    description="Default: submitted and accepted. 403: not a department of the catalog.",
    responses={200: body(page_of("applications", pb.Application)), **problems(403)},
)
async def department_queue(
    client: DepartmentClient,
    state: Annotated[list[str], Query(max_length=9, json_schema_extra={"items": {"enum": STATES}})] = [],  # noqa: B006
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.queue(state, common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"applications": [to_json(a) for a in r.applications], "next_page_token": r.page.next_page_token}


@router.get(
    "/department/applications/{application_id}",
    summary="One of the department's applications, with its materials and steps",
    responses={200: AN_APPLICATION, **problems(403)},
)
async def department_application(client: DepartmentClient, application_id: ApplicationId):
    return to_json(await client.application(application_id))


class Decision(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "材料齐全，予以核准", "legal_basis": "", "missing_materials": []}]},
    )
    reason: str = Field(default="", max_length=500, pattern=TEXT, description="required but to accept")
    legal_basis: str = Field(default="", max_length=500, pattern=TEXT, description="required to reject or refuse")
    missing_materials: list[Annotated[str, Field(min_length=1, max_length=64, pattern=CODE)]] = Field(
        default_factory=list, max_length=20, description="to return for correction: the guide's material codes"
    )


@router.post(
    "/department/applications/{application_id}/{step}",
    dependencies=[Depends(json_body)],
    summary="The department decides: accept, return for correction (补正), reject (不予受理), approve or refuse",
    description="400 naming `reason` (or `legal_basis`, `missing_materials`) where the step needs it; 409 where "
    "the application's state does not allow the step; another department's application is 404.",
    responses={200: AN_APPLICATION, **problems(403, 409)},
)
async def department_decide(
    client: DepartmentClient,
    application_id: ApplicationId,
    step: Annotated[str, Path(json_schema_extra={"enum": list(DECISIONS)}, description="the decision")],
    body: Decision,
):
    if step not in DECISIONS:
        raise Problem(404, "no such decision: " + ", ".join(DECISIONS))
    if step == "return":
        r = pb.ReturnForCorrectionRequest(
            id=application_id, reason=body.reason, missing_materials=body.missing_materials
        )
    else:
        r = pb.DecisionRequest(id=application_id, reason=body.reason, legal_basis=body.legal_basis)
    return to_json(await client.decide(step, r))


# --- the district's figures (KPIs) and the staff pages ---


@router.get(
    "/figures",
    summary="The district's figures for its government-service office (role egov_office)",
    description="Per item, department, town and village agency point: applications by channel, done and on time, "
    "visits (the share done with none, with at most one), satisfaction and bad ratings rectified.",
    responses={200: body(pb.Figures), **problems(403)},
)
async def figures(client: Client):
    return to_json(await client.figures())


@pages.get("/kpi", include_in_schema=False)
async def kpi_page():
    return FileResponse(STATIC / "kpi.html", media_type="text/html")


@pages.get("/portal", include_in_schema=False)
async def portal_page():
    return FileResponse(STATIC / "portal.html", media_type="text/html")


# --- the TV's home screen ---


async def home_tile(request: Request, caller: Caller, token: str) -> dict | None:
    """The e-government tile of a household's TV home screen: its title, the household's latest
    applications with their state and deadline, and the TV screen it opens; None for anyone else."""
    if not caller.is_household():
        return None
    r = await Egov.of(request, token).mine(common_pb2.PageRequest(page_size=TILE_APPLICATIONS))
    items = []
    for a in r.applications:
        item = {"title": a.item_name, "detail": a.state_label, "id": a.id, "state": a.state}
        if a.HasField("deadline"):
            item["at"] = to_json(a)["deadline"]
        items.append(item)
    return {"service": "egov", "title": "办事", "screen": TV_SCREEN, "items": items}


# The home screen's tile contract (gateway/routes/home.py): a title, a few items, the screen it opens.
TILE = obj(
    service={"type": "string", "const": "egov"},
    title={"type": "string"},
    screen={"type": "string"},
    items=array(HOME_ITEM),
)


@router.get(
    "/home-tile",
    summary="The e-government tile of the household's TV home screen",
    responses={200: body(TILE)},
)
async def get_home_tile(request: Request, auth: SignedIn):
    tile = await home_tile(request, auth[0], auth[1])
    if tile is None:
        raise Problem(403, "the home screen's tile is a household's")
    return tile
