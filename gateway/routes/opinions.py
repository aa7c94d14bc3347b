"""群众意见征集 under /v1/opinions/: the questionnaires open for a household (its TV or a member's
phone), one read and answered once; for staff who hold opinion_editor, their area's questionnaires
written, edited while drafts, published, closed, and their results (JSON, and the staff page at
/opinions/ that draws them as SVG bar charts), with the short-text answers in pages; the TV home
screen's tile (`home_tile`). Every rule is the service's: the gateway maps JSON to gRPC and gRPC
errors to problem+json; the gateway's own answers (401, 403, 413, 415, 422, 429, 5xx) are added to
the document for every operation."""

from __future__ import annotations

import pathlib
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field

from gateway.common import ID, TEXT, Instant, ServiceClient, SignedIn, json_body, to_json
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, array, body, obj, page_of, problems
from gateway.problems import Problem
from gateway.routes.home import ITEM as HOME_ITEM
from runtime.auth import Caller
from runtime.errors import INVISIBLE_CHARACTERS
from runtime.times import to_timestamp
from sbc.common.v1 import common_pb2
from sbc.opinions.v1 import opinions_pb2 as pb
from sbc.opinions.v1 import opinions_pb2_grpc

router = APIRouter(prefix="/v1/opinions", tags=["opinions"])
pages = APIRouter(prefix="/opinions", include_in_schema=False)
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "opinions"
TV_SCREEN = "opinions"
TILE_QUESTIONNAIRES = 3
# One line put before citizens as it is: no control, invisible or direction-changing characters.
SHOWN = f"^[^\\x00-\\x1f\\x7f{INVISIBLE_CHARACTERS}]*$"
AREA = "^[0-9]{6}([0-9]{3}){0,2}$"


class Opinions(ServiceClient):
    service = "opinions"
    stub_class = opinions_pb2_grpc.OpinionsServiceStub

    async def create(self, draft: pb.QuestionnaireDraft) -> pb.Questionnaire:
        return await self.stub.CreateQuestionnaire(pb.CreateQuestionnaireRequest(draft=draft), **self.options)

    async def edit(self, questionnaire_id: str, draft: pb.QuestionnaireDraft) -> pb.Questionnaire:
        return await self.stub.UpdateDraft(pb.UpdateDraftRequest(id=questionnaire_id, draft=draft), **self.options)

    async def publish(self, questionnaire_id: str) -> pb.Questionnaire:
        return await self.stub.PublishQuestionnaire(pb.QuestionnaireRef(id=questionnaire_id), **self.options)

    async def close(self, questionnaire_id: str) -> pb.Questionnaire:
        return await self.stub.CloseQuestionnaire(pb.QuestionnaireRef(id=questionnaire_id), **self.options)

    async def of_area(self, page: common_pb2.PageRequest) -> pb.ListQuestionnairesResponse:
        return await self.stub.ListQuestionnaires(pb.ListQuestionnairesRequest(page=page), **self.options)

    async def get(self, questionnaire_id: str) -> pb.Questionnaire:
        return await self.stub.GetQuestionnaire(pb.QuestionnaireRef(id=questionnaire_id), **self.options)

    async def open_for_me(self, page: common_pb2.PageRequest) -> pb.ListQuestionnairesResponse:
        return await self.stub.ListOpenForMe(pb.ListOpenForMeRequest(page=page), **self.options)

    async def submit(self, request: pb.SubmitResponseRequest) -> pb.SubmitResponseReceipt:
        return await self.stub.SubmitResponse(request, **self.options)

    async def results(self, questionnaire_id: str) -> pb.Results:
        return await self.stub.GetResults(pb.QuestionnaireRef(id=questionnaire_id), **self.options)

    async def text_answers(self, request: pb.ListTextAnswersRequest) -> pb.ListTextAnswersResponse:
        return await self.stub.ListTextAnswers(request, **self.options)


def client(request: Request, auth: SignedIn) -> Opinions:
    return Opinions.of(request, auth[1])


Client = Annotated[Opinions, Depends(client)]
QuestionnaireId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The questionnaire's id")]
QuestionId = Annotated[str, Path(pattern="^q[0-9]{1,2}$", description="A question's id (q1, q2, ...)")]
A_QUESTIONNAIRE = body(pb.Questionnaire)


def full(message) -> dict:
    """Every field, zeros and false included (a count of 0, not yet answered: the pages read them)."""
    return MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


class QuestionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["single", "multiple", "scale", "text"]
    text: str = Field(min_length=1, max_length=200, pattern=SHOWN)
    required: bool = False
    choices: list[Annotated[str, Field(min_length=1, max_length=50, pattern=SHOWN)]] = Field(
        default=[], max_length=10, description="single and multiple: 2..10 choices, each once"
    )
    min_picks: int = Field(default=0, ge=0, le=10)
    max_picks: int = Field(default=0, ge=0, le=10, description="multiple: 0 means all the choices")
    scale_low: str = Field(default="", max_length=10, pattern=SHOWN, description="scale: the words of 1")
    scale_high: str = Field(default="", max_length=10, pattern=SHOWN, description="scale: the words of 5")
    max_length: int = Field(default=0, ge=0, le=500, description="text: the longest answer (0: 200)")


class DraftBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "广播电视服务满意度调查",
                    "purpose": "了解群众对广播电视服务的意见",
                    "organizer": "王江泾镇人民政府",
                    "opens_at": "2026-12-01T08:00:00+08:00",
                    "closes_at": "2026-12-08T20:00:00+08:00",
                    "target_areas": ["330411101"],
                    "audience": "all",
                    "questions": [
                        {
                            "kind": "scale",
                            "text": "您对广播电视服务满意吗？",
                            "required": True,
                            "scale_low": "很不满意",
                            "scale_high": "很满意",
                        }
                    ],
                }
            ]
        },
    )
    title: str = Field(min_length=1, max_length=100, pattern=SHOWN)
    purpose: str = Field(default="", max_length=500, pattern=TEXT)
    organizer: str = Field(min_length=1, max_length=100, pattern=SHOWN, description="Who runs it")
    opens_at: Instant
    closes_at: Instant
    target_areas: list[Annotated[str, Field(pattern=AREA)]] = Field(
        min_length=1, max_length=50, description="District, town or village codes within your area"
    )
    audience: Literal["all", "villages", "neighbourhoods"] = "all"
    questions: list[QuestionBody] = Field(default=[], max_length=30)

    def to_proto(self) -> pb.QuestionnaireDraft:
        fields = self.model_dump(exclude={"opens_at", "closes_at", "questions"})
        return pb.QuestionnaireDraft(
            **fields,
            opens_at=to_timestamp(self.opens_at),
            closes_at=to_timestamp(self.closes_at),
            questions=[pb.Question(**q.model_dump()) for q in self.questions],
        )


class AnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: str = Field(pattern="^q[0-9]{1,2}$")
    choices: list[Annotated[int, Field(ge=0, le=9)]] = Field(default=[], max_length=10, description="indexes")
    scale: int = Field(default=0, ge=0, le=5, description="1..5 (0: none)")
    text: str = Field(default="", max_length=500, pattern=TEXT)


class ResponseBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"answers": [{"question_id": "q1", "scale": 5}]}]},
    )
    answers: list[AnswerBody] = Field(max_length=30)


# --- households ---


@router.get(
    "/questionnaires/open",
    summary="The questionnaires open now for the signed-in household's area and audience, newest first, "
    "each saying whether the household has answered (403: not a household's terminal)",
    responses={200: body(page_of("questionnaires", pb.Questionnaire))},
)
async def open_for_me(
    client: Client,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.open_for_me(common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"questionnaires": [full(q) for q in r.questionnaires], "next_page_token": r.page.next_page_token}


@router.get(
    "/questionnaires/{questionnaire_id}",
    summary="One questionnaire: a household's (published for it), or staff's (their area's, any state)",
    responses={200: A_QUESTIONNAIRE, **problems(404)},
)
async def get_questionnaire(client: Client, questionnaire_id: QuestionnaireId):
    return full(await client.get(questionnaire_id))


@router.post(
    "/questionnaires/{questionnaire_id}/responses",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="The household answers, once (409: not open yet, closed, or answered already by this household "
    "from any terminal; 400 names each wrong answer as answers.<question id>)",
    responses={201: body(pb.SubmitResponseReceipt), **problems(404, 409)},
)
async def submit(client: Client, questionnaire_id: QuestionnaireId, body: ResponseBody):
    request = pb.SubmitResponseRequest(
        questionnaire_id=questionnaire_id, answers=[pb.Answer(**a.model_dump()) for a in body.answers]
    )
    return to_json(await client.submit(request))


# --- staff (opinion_editor) ---


@router.get(
    "/questionnaires",
    summary="Staff: their area's questionnaires, newest first (403: not an opinion editor)",
    responses={200: body(page_of("questionnaires", pb.Questionnaire))},
)
async def of_area(
    client: Client,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.of_area(common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"questionnaires": [full(q) for q in r.questionnaires], "next_page_token": r.page.next_page_token}


@router.post(
    "/questionnaires",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Staff write a draft (403: not an opinion editor, or a target area outside theirs)",
    responses={201: A_QUESTIONNAIRE},
)
async def create(client: Client, body: DraftBody):
    return full(await client.create(body.to_proto()))


@router.put(
    "/questionnaires/{questionnaire_id}",
    dependencies=[Depends(json_body)],
    summary="Staff replace a draft whole (409: published or closed already)",
    responses={200: A_QUESTIONNAIRE, **problems(404, 409)},
)
async def edit(client: Client, questionnaire_id: QuestionnaireId, body: DraftBody):
    return full(await client.edit(questionnaire_id, body.to_proto()))


@router.post(
    "/questionnaires/{questionnaire_id}/publish",
    summary="Staff publish a draft: the targeted households may answer it between its times (409: not a "
    "draft, no question, or its closing time has passed)",
    responses={200: A_QUESTIONNAIRE, **problems(404, 409)},
)
async def publish(client: Client, questionnaire_id: QuestionnaireId):
    return full(await client.publish(questionnaire_id))


@router.post(
    "/questionnaires/{questionnaire_id}/close",
    summary="Staff close a published questionnaire (409: not published)",
    responses={200: A_QUESTIONNAIRE, **problems(404, 409)},
)
async def close(client: Client, questionnaire_id: QuestionnaireId):
    return full(await client.close(questionnaire_id))


@router.get(
    "/questionnaires/{questionnaire_id}/results",
    summary="Staff: the results, never naming a household: responses, counts per choice, the scales' "
    "distribution and mean, responses per town",
    responses={200: body(pb.Results), **problems(404)},
)
async def results(client: Client, questionnaire_id: QuestionnaireId):
    return full(await client.results(questionnaire_id))


@router.get(
    "/questionnaires/{questionnaire_id}/questions/{question_id}/answers",
    summary="Staff: one text question's answers, newest first, at most 50 a page (400: not a text question)",
    responses={200: body(page_of("answers", pb.TextAnswer)), **problems(404)},
)
async def text_answers(
    client: Client,
    questionnaire_id: QuestionnaireId,
    question_id: QuestionId,
    page_size: Annotated[int, Query(ge=1, le=50)] = 20,
    page_token: Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)] = "",
):
    r = await client.text_answers(
        pb.ListTextAnswersRequest(
            questionnaire_id=questionnaire_id,
            question_id=question_id,
            page=common_pb2.PageRequest(page_size=page_size, page_token=page_token),
        )
    )
    return {"answers": [to_json(a) for a in r.answers], "next_page_token": r.page.next_page_token}


@pages.get("/", include_in_schema=False)
async def staff_page():
    return FileResponse(STATIC / "index.html", media_type="text/html")


# --- the TV's home screen ---


async def tile_of(request: Request, caller: Caller, token: str) -> dict:
    """The household's tile: the questionnaires open for it (those not answered first)."""
    r = await Opinions.of(request, token).open_for_me(common_pb2.PageRequest(page_size=20))
    ordered = sorted(r.questionnaires, key=lambda q: q.answered)[:TILE_QUESTIONNAIRES]
    items = [
        {
            "title": q.title,
            "detail": "已参与" if q.answered else q.organizer,
            "id": q.id,
            "state": "answered" if q.answered else "open",
        }
        for q in ordered
    ]
    return {"service": "opinions", "title": "意见征集", "screen": TV_SCREEN, "items": items}


async def home_tile(request: Request, caller: Caller, token: str) -> dict | None:
    """The opinions tile of a household's home screen, and the TV screen it opens; None for anyone
    but a household, and while no questionnaire is open for it (nothing to ask, no tile)."""
    if not caller.is_household():
        return None
    tile = await tile_of(request, caller, token)
    return tile if tile["items"] else None


TILE = obj(
    service={"type": "string", "const": "opinions"},
    title={"type": "string"},
    screen={"type": "string"},
    items=array(HOME_ITEM),
)


@router.get(
    "/home-tile",
    summary="The opinions tile of the household's TV home screen (the home shows it while a questionnaire is open "
    "for the household)",
    responses={200: body(TILE)},
)
async def get_home_tile(request: Request, auth: SignedIn):
    if not auth[0].is_household():
        raise Problem(403, "the home screen's tile is a household's")
    return await tile_of(request, auth[0], auth[1])
