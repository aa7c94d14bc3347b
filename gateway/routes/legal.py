"""Legal outreach under /v1/legal/: 普法 articles and short videos, party-building and civilization-
practice notices, drafted by the district's judicial office and published after a second officer's
review; citizens list and read (or listen to) what is published in their district. Every rule is the
service's: the gateway maps JSON to gRPC and gRPC errors to problem+json. gateway/app.py includes
this module because the registry marks legal public."""

from __future__ import annotations

import pathlib
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field

from gateway.common import (
    ID,
    IDEMPOTENCY_KEY,
    LINE,
    RATING_LEVELS,
    TEXT,
    IdempotencyKey,
    Instant,
    ServiceClient,
    SignedIn,
    json_body,
    to_json,
)
from gateway.openapi import NEXT_PAGE_TOKEN_PARAM, array, body, obj, page_of, problems
from gateway.problems import Problem
from gateway.routes.home import ITEM as HOME_ITEM
from runtime.auth import Caller
from runtime.times import to_timestamp
from sbc.common.v1 import common_pb2
from sbc.legal.v1 import legal_pb2 as pb
from sbc.legal.v1 import legal_pb2_grpc

router = APIRouter(prefix="/v1/legal", tags=["legal"])
pages = APIRouter(prefix="/legal")
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "legal"
# A kind, topic or audience: the district's data lists them (the service refuses others with 400).
CODE = "^[a-z_]*$"
# The TV screen the home tile opens, and how many articles it shows.
TV_SCREEN = "legal"
TILE_CONTENTS = 3


class Legal(ServiceClient):
    service = "legal"
    stub_class = legal_pb2_grpc.LegalServiceStub

    async def draft(self, request: pb.DraftContentRequest) -> pb.Content:
        return await self.stub.DraftContent(request, **self.options)

    async def publish(self, content_id: str) -> pb.Content:
        return await self.stub.PublishContent(pb.PublishContentRequest(id=content_id), **self.options)

    async def return_to_author(self, content_id: str, note: str) -> pb.Content:
        return await self.stub.ReturnContent(pb.ReturnContentRequest(id=content_id, note=note), **self.options)

    async def content(self, content_id: str) -> pb.Content:
        return await self.stub.GetContent(pb.GetContentRequest(id=content_id), **self.options)

    async def contents(self, request: pb.ListContentRequest) -> pb.ListContentResponse:
        return await self.stub.ListContent(request, **self.options)

    async def ask(self, request: pb.AskQuestionRequest) -> pb.Consultation:
        return await self.stub.AskQuestion(request, **self.options)

    async def asking_choices(self) -> pb.AskingChoices:
        return await self.stub.GetAskingChoices(pb.GetAskingChoicesRequest(), **self.options)

    async def consultation(self, consultation_id: str) -> pb.Consultation:
        return await self.stub.GetConsultation(pb.GetConsultationRequest(id=consultation_id), **self.options)

    async def consultations(self, escalated_only: bool, page: common_pb2.PageRequest) -> pb.ListConsultationsResponse:
        r = pb.ListConsultationsRequest(escalated_only=escalated_only, page=page)
        return await self.stub.ListConsultations(r, **self.options)

    async def answer(self, consultation_id: str, answer: str) -> pb.Consultation:
        r = pb.AnswerQuestionRequest(id=consultation_id, answer=answer)
        return await self.stub.AnswerQuestion(r, **self.options)

    async def follow_up(self, consultation_id: str, question: str) -> pb.Consultation:
        r = pb.AskFollowUpRequest(id=consultation_id, question=question)
        return await self.stub.AskFollowUp(r, **self.options)

    async def rate(self, request: pb.RateConsultationRequest) -> pb.Consultation:
        return await self.stub.RateConsultation(request, **self.options)

    async def publish_activity(self, request: pb.PublishActivityRequest) -> pb.Activity:
        return await self.stub.PublishActivity(request, **self.options)

    async def activities(self, station: str, page: common_pb2.PageRequest) -> pb.ListActivitiesResponse:
        return await self.stub.ListActivities(pb.ListActivitiesRequest(station=station, page=page), **self.options)

    async def activity(self, activity_id: str) -> pb.Activity:
        return await self.stub.GetActivity(pb.GetActivityRequest(id=activity_id), **self.options)

    async def sign_up(self, activity_id: str, role: str, join_waiting_list: bool) -> pb.SignUpResult:
        r = pb.SignUpRequest(activity_id=activity_id, role=role, join_waiting_list=join_waiting_list)
        return await self.stub.SignUp(r, **self.options)

    async def cancel_sign_up(self, activity_id: str) -> pb.SignUpResult:
        return await self.stub.CancelSignUp(pb.CancelSignUpRequest(activity_id=activity_id), **self.options)

    async def check(self, request: pb.CheckInRequest, out: bool) -> pb.SignUpResult:
        call = self.stub.CheckOut if out else self.stub.CheckIn
        return await call(request, **self.options)

    async def correct_hours(self, request: pb.CorrectHoursRequest) -> pb.SignUpResult:
        return await self.stub.CorrectHours(request, **self.options)

    async def volunteer_record(self) -> pb.VolunteerRecord:
        return await self.stub.GetVolunteerRecord(pb.GetVolunteerRecordRequest(), **self.options)

    async def station_totals(self) -> pb.StationTotals:
        return await self.stub.GetStationTotals(pb.GetStationTotalsRequest(), **self.options)

    async def quiz_papers(self) -> pb.ListQuizPapersResponse:
        return await self.stub.ListQuizPapers(pb.ListQuizPapersRequest(), **self.options)

    async def quiz_paper(self, paper_id: str) -> pb.QuizPaper:
        return await self.stub.GetQuizPaper(pb.GetQuizPaperRequest(id=paper_id), **self.options)

    async def submit_quiz(self, paper_id: str, answers: dict[str, str]) -> pb.QuizResult:
        r = pb.SubmitQuizPaperRequest(paper_id=paper_id, answers=answers)
        return await self.stub.SubmitQuizPaper(r, **self.options)

    async def quiz_stats(self) -> pb.QuizStats:
        return await self.stub.GetQuizStats(pb.GetQuizStatsRequest(), **self.options)

    async def review_queue(self, page: common_pb2.PageRequest) -> pb.ListContentResponse:
        return await self.stub.ListReviewQueue(pb.ListReviewQueueRequest(page=page), **self.options)

    async def record_duty(self, request: pb.RecordAdvisorDutyRequest) -> pb.AdvisorDutyRecord:
        return await self.stub.RecordAdvisorDuty(request, **self.options)

    async def duties(self) -> pb.AdvisorDuties:
        return await self.stub.GetAdvisorDuties(pb.GetAdvisorDutiesRequest(), **self.options)


def client(request: Request, auth: SignedIn) -> Legal:
    return Legal.of(request, auth[1])


Client = Annotated[Legal, Depends(client)]
ContentId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The content's id")]
PageSize = Annotated[int, Query(ge=1, le=100)]
PageToken = Annotated[str, Query(**NEXT_PAGE_TOKEN_PARAM)]
A_CONTENT = body(pb.Content)
CONTENTS = body(page_of("contents", pb.Content))


def page_json(r: pb.ListContentResponse) -> dict:
    return {"contents": [to_json(c) for c in r.contents], "next_page_token": r.page.next_page_token}


class NewContent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "article",
                    "topic": "fraud",
                    "audiences": ["elders"],
                    "title": "冒充公检法的电话",
                    "body": "接到自称公安的电话要求转账，一律是诈骗。",
                    "speech_text": "接到自称公安的电话要求转账，一律是诈骗。",
                }
            ]
        },
    )
    kind: str = Field(min_length=1, max_length=32, pattern=CODE)
    topic: str = Field("", max_length=32, pattern=CODE)
    audiences: list[Annotated[str, Field(min_length=1, max_length=32, pattern=CODE)]] = Field(
        min_length=1, max_length=10
    )
    title: str = Field(min_length=1, max_length=100, pattern=LINE)
    body: str = Field(min_length=1, max_length=20000, pattern=TEXT)
    speech_text: str = Field(min_length=1, max_length=5000, pattern=TEXT)
    audio_url: str = Field("", max_length=500, pattern="^(https://[^\\s\\x00-\\x1f\\x7f]+)?$")
    video_url: str = Field("", max_length=500, pattern="^(https://[^\\s\\x00-\\x1f\\x7f]+)?$")


class ReturnNote(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "请补充活动地点"}]})
    note: str = Field(min_length=1, max_length=500, pattern=LINE)


# --- citizens: what is published in their district ---


@router.get(
    "/contents",
    summary="What is published in the caller's district, newest first (by kind, topic, audience)",
    responses={200: CONTENTS, **problems(404)},
)
async def list_contents(
    client: Client,
    kind: Annotated[str, Query(max_length=32, pattern=CODE)] = "",
    topic: Annotated[str, Query(max_length=32, pattern=CODE)] = "",
    audience: Annotated[str, Query(max_length=32, pattern=CODE)] = "",
    page_size: PageSize = 20,
    page_token: PageToken = "",
):
    page = common_pb2.PageRequest(page_size=page_size, page_token=page_token)
    r = await client.contents(pb.ListContentRequest(kind=kind, topic=topic, audience=audience, page=page))
    return page_json(r)


@router.get(
    "/contents/{content_id}",
    summary="One piece of published content (drafts: the judicial office only)",
    responses={200: A_CONTENT, **problems(404)},
)
async def get_content(client: Client, content_id: ContentId):
    return to_json(await client.content(content_id))


# --- the judicial office: drafts and their second-person review ---


@router.post(
    "/contents",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A judicial officer drafts content; it waits for a second officer's review",
    responses={201: A_CONTENT, **problems(404, 409)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def draft_content(client: Client, body: NewContent, key: IdempotencyKey):
    request = pb.DraftContentRequest(**body.model_dump(), idempotency_key=key)
    return to_json(await client.draft(request))


@router.get(
    "/review-queue",
    summary="The drafts waiting for review in the officer's district, newest first",
    responses={200: CONTENTS, **problems(404)},
)
async def review_queue(client: Client, page_size: PageSize = 20, page_token: PageToken = ""):
    return page_json(await client.review_queue(common_pb2.PageRequest(page_size=page_size, page_token=page_token)))


@router.post(
    "/contents/{content_id}/publish",
    summary="A second judicial officer (never the author: 403) publishes a draft (409: not in review)",
    responses={200: A_CONTENT, **problems(404, 409)},
)
async def publish_content(client: Client, content_id: ContentId):
    return to_json(await client.publish(content_id))


@router.post(
    "/contents/{content_id}/return",
    dependencies=[Depends(json_body)],
    summary="A second judicial officer returns a draft to its author with a note (409: not in review)",
    responses={200: A_CONTENT, **problems(404, 409)},
)
async def return_content(client: Client, content_id: ContentId, body: ReturnNote):
    return to_json(await client.return_to_author(content_id, body.note))


# --- consultations: a household (or its village agent) asks the village's legal advisor ---

ConsultationId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The consultation's id")]
A_CONSULTATION = body(pb.Consultation)
INDICATOR = "^[a-z_]{1,32}$"


class NewQuestion(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"topic": "land", "question": "邻居占了我家的承包地，怎么办？"}]},
    )
    topic: str = Field(min_length=1, max_length=32, pattern=CODE, description="one of the district's topics")
    question: str = Field(min_length=1, max_length=500, pattern=TEXT)
    # A village agent only: for whom, where they live, their consent.
    household_id: str = Field("", max_length=36, pattern="^[A-Za-z0-9-]*$")
    household_area_code: str = Field("", pattern="^([0-9]{12})?$")
    consent: str = Field("", max_length=200, pattern=LINE)
    call_back_phone: str = Field(
        "",
        pattern="^(1[3-9][0-9]{9})?$",
        description="the mobile number to call back on: required for the call-back request (asking-choices)",
    )


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"answer": "先找村委会调解。"}]})
    answer: str = Field(min_length=1, max_length=2000, pattern=TEXT)


class FollowUp(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"question": "起诉要多久？"}]})
    question: str = Field(min_length=1, max_length=500, pattern=TEXT)


class NewRating(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"level": "satisfied", "indicators": {"clarity": 5}}]}
    )
    level: str = Field(min_length=1, max_length=32, json_schema_extra={"enum": RATING_LEVELS})
    indicators: dict[Annotated[str, Field(pattern=INDICATOR)], Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict,
        max_length=5,
        description="the district's indicators, 1..5 each",
        json_schema_extra={"propertyNames": {"pattern": INDICATOR}},
    )
    reasons: list[Annotated[str, Field(min_length=1, max_length=32, pattern=CODE)]] = Field(
        default_factory=list, max_length=10, description="the district's reasons, each once"
    )
    comment: str = Field(default="", max_length=200, pattern=TEXT)


@router.post(
    "/consultations",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="Ask the village's legal advisor (a household, or the village agent for one); a retry with the same "
    "Idempotency-Key returns the same question (409: the key used by another caller or for another question)",
    responses={201: A_CONSULTATION, **problems(404, 409)},
    openapi_extra={"parameters": [IDEMPOTENCY_KEY]},
)
async def ask_question(client: Client, body: NewQuestion, key: IdempotencyKey):
    return to_json(await client.ask(pb.AskQuestionRequest(**body.model_dump(), idempotency_key=key)))


@router.get(
    "/asking-choices",
    summary="What the TV offers for a question: the topics with their ready-made questions, and the call-back request",
    responses={200: body(pb.AskingChoices), **problems(404)},
)
async def asking_choices(client: Client):
    return to_json(await client.asking_choices())


@router.get(
    "/consultations",
    summary="The caller's consultations: a household's, an agent's, an advisor's villages', the office's district's",
    responses={200: body(page_of("consultations", pb.Consultation)), **problems(404)},
)
async def list_consultations(
    client: Client, escalated_only: bool = False, page_size: PageSize = 20, page_token: PageToken = ""
):
    r = await client.consultations(escalated_only, common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"consultations": [to_json(c) for c in r.consultations], "next_page_token": r.page.next_page_token}


@router.get(
    "/consultations/{consultation_id}",
    summary="One consultation: its asker's, its advisor's and the judicial office's only (404 for anyone else)",
    responses={200: A_CONSULTATION, **problems(404)},
)
async def get_consultation(client: Client, consultation_id: ConsultationId):
    return to_json(await client.consultation(consultation_id))


@router.post(
    "/consultations/{consultation_id}/answer",
    dependencies=[Depends(json_body)],
    summary="The village's legal advisor answers (403: another village's advisor; 409: answered already)",
    responses={200: A_CONSULTATION, **problems(404, 409)},
)
async def answer_question(client: Client, consultation_id: ConsultationId, body: Answer):
    return to_json(await client.answer(consultation_id, body.answer))


@router.post(
    "/consultations/{consultation_id}/follow-up",
    dependencies=[Depends(json_body)],
    summary="The asker asks again after an answer (409: not answered yet, or follow-ups used up)",
    responses={200: A_CONSULTATION, **problems(404, 409)},
)
async def follow_up(client: Client, consultation_id: ConsultationId, body: FollowUp):
    return to_json(await client.follow_up(consultation_id, body.question))


@router.post(
    "/consultations/{consultation_id}/rating",
    dependencies=[Depends(json_body)],
    summary="The asker rates the answer (好差评), once (409: not answered yet, or rated already)",
    responses={200: A_CONSULTATION, **problems(404, 409)},
)
async def rate_consultation(client: Client, consultation_id: ConsultationId, body: NewRating):
    r = pb.RateConsultationRequest(
        id=consultation_id, level=body.level, indicators=body.indicators, reasons=body.reasons, comment=body.comment
    )
    return to_json(await client.rate(r))


# --- volunteer activities at the villages' civilization practice stations ---

ActivityId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The activity's id")]
A_RESULT = body(pb.SignUpResult)
OPTIONAL_ID = "^[A-Za-z0-9-]*$"


class NewActivity(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "敬老院清扫",
                    "roles": ["清扫", "陪聊"],
                    "capacity": 10,
                    "starts_at": "2030-01-01T01:00:00Z",
                    "ends_at": "2030-01-01T05:00:00Z",
                }
            ]
        },
    )
    title: str = Field(min_length=1, max_length=100, pattern=LINE)
    roles: list[Annotated[str, Field(min_length=1, max_length=30, pattern="^[^,\\x00-\\x1f\\x7f]*$")]] = Field(
        min_length=1, max_length=10
    )
    capacity: int = Field(ge=1, le=500)
    starts_at: Instant = Field(description="In the future")
    ends_at: Instant = Field(description="After starts_at")


class NewSignUp(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "清扫"}]})
    role: str = Field(min_length=1, max_length=30, pattern=LINE)
    join_waiting_list: bool = Field(False, description="when full, join the waiting list instead of a 409")


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "the-activity-qr-code"}]})
    code: str = Field("", max_length=40, pattern="^[A-Za-z0-9_-]*$", description="a volunteer: the activity's QR code")
    volunteer_id: str = Field("", max_length=36, pattern=OPTIONAL_ID, description="the organizer: the volunteer")


class Correction(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"sign_up_id": "0f5c", "hours": 3, "reason": "签到机故障"}]}
    )
    sign_up_id: str = Field(min_length=1, max_length=36, pattern=ID)
    hours: float = Field(ge=0, le=24, multiple_of=0.5)
    reason: str = Field(min_length=1, max_length=200, pattern=LINE)


@router.post(
    "/activities",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A practice station's manager publishes a volunteer activity with a capacity and roles",
    responses={201: body(pb.Activity), **problems(404)},
)
async def publish_activity(client: Client, body: NewActivity):
    r = pb.PublishActivityRequest(
        title=body.title,
        roles=body.roles,
        capacity=body.capacity,
        starts_at=to_timestamp(body.starts_at),
        ends_at=to_timestamp(body.ends_at),
    )
    return to_json(await client.publish_activity(r))


@router.get(
    "/activities",
    summary="The district's volunteer activities (one station's with station=), newest first",
    responses={200: body(page_of("activities", pb.Activity)), **problems(404)},
)
async def list_activities(
    client: Client,
    station: Annotated[str, Query(pattern="^([0-9]{12})?$")] = "",
    page_size: PageSize = 20,
    page_token: PageToken = "",
):
    r = await client.activities(station, common_pb2.PageRequest(page_size=page_size, page_token=page_token))
    return {"activities": [to_json(a) for a in r.activities], "next_page_token": r.page.next_page_token}


@router.get(
    "/activities/{activity_id}",
    summary="One activity with its places left (its QR code's content: its manager's only)",
    responses={200: body(pb.Activity), **problems(404)},
)
async def get_activity(client: Client, activity_id: ActivityId):
    return to_json(await client.activity(activity_id))


@router.post(
    "/activities/{activity_id}/sign-up",
    dependencies=[Depends(json_body)],
    summary="A volunteer signs up for one of the activity's roles, or its waiting list when full; again: takes "
    "an offered place (409: full, started, signed up already, the offer lapsed)",
    responses={200: A_RESULT, **problems(404, 409)},
)
async def sign_up(client: Client, activity_id: ActivityId, body: NewSignUp):
    return to_json(await client.sign_up(activity_id, body.role, body.join_waiting_list))


@router.post(
    "/activities/{activity_id}/cancel",
    summary="The volunteer cancels their sign-up before the cancellation deadline (409: checked in, too late)",
    responses={200: A_RESULT, **problems(404, 409)},
)
async def cancel_sign_up(client: Client, activity_id: ActivityId):
    return to_json(await client.cancel_sign_up(activity_id))


@router.post(
    "/activities/{activity_id}/check-in",
    dependencies=[Depends(json_body)],
    summary="Check in with the activity's QR code, or the organizer for a volunteer (409: checked in already)",
    responses={200: A_RESULT, **problems(404, 409)},
)
async def check_in(client: Client, activity_id: ActivityId, body: Attendance):
    r = pb.CheckInRequest(activity_id=activity_id, code=body.code, volunteer_id=body.volunteer_id)
    return to_json(await client.check(r, out=False))


@router.post(
    "/activities/{activity_id}/check-out",
    dependencies=[Depends(json_body)],
    summary="Check out: the hours by the rounding rule (409: not checked in yet, or checked out already)",
    responses={200: A_RESULT, **problems(404, 409)},
)
async def check_out(client: Client, activity_id: ActivityId, body: Attendance):
    r = pb.CheckInRequest(activity_id=activity_id, code=body.code, volunteer_id=body.volunteer_id)
    return to_json(await client.check(r, out=True))


@router.post(
    "/activities/{activity_id}/hours",
    dependencies=[Depends(json_body)],
    summary="The station's manager corrects a volunteer's hours, with a reason (always an audit entry)",
    responses={200: A_RESULT, **problems(404)},
)
async def correct_hours(client: Client, activity_id: ActivityId, body: Correction):
    r = pb.CorrectHoursRequest(
        activity_id=activity_id, sign_up_id=body.sign_up_id, hours=body.hours, reason=body.reason
    )
    return to_json(await client.correct_hours(r))


@router.get(
    "/volunteer/record",
    summary="The volunteer's record: sign-ups, hours, star level",
    responses={200: body(pb.VolunteerRecord), **problems(404)},
)
async def volunteer_record(client: Client):
    return to_json(await client.volunteer_record())


@router.get(
    "/stations/totals",
    summary="Volunteers and hours per civilization practice station of the caller's district",
    responses={200: body(pb.StationTotals), **problems(404)},
)
async def station_totals(client: Client):
    return to_json(await client.station_totals())


# --- quizzes ---

PaperId = Annotated[str, Path(min_length=1, max_length=64, pattern="^[A-Za-z0-9_-]+$", description="The paper's id")]
KEY = "^[A-Za-z0-9_-]{1,64}$"


class Answers(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"answers": {"fraud-01": "b", "fraud-02": "a"}}]}
    )
    answers: dict[
        Annotated[str, Field(pattern=KEY)], Annotated[str, Field(min_length=1, max_length=8, pattern="^[a-z0-9]+$")]
    ] = Field(
        min_length=1,
        max_length=20,
        description="question id -> the chosen option's key, every question of the paper",
        json_schema_extra={"propertyNames": {"pattern": KEY}},
    )


@router.get(
    "/quizzes", summary="The district's quiz papers", responses={200: body(pb.ListQuizPapersResponse), **problems(404)}
)
async def quiz_papers(client: Client):
    return to_json(await client.quiz_papers())


@router.get(
    "/quizzes/stats",
    summary="Participation and the average score per town of the caller's district",
    responses={200: body(pb.QuizStats), **problems(404)},
)
async def quiz_stats(client: Client):
    return to_json(await client.quiz_stats())


@router.get(
    "/quizzes/{paper_id}",
    summary="A paper's questions and options (never their answers)",
    responses={200: body(pb.QuizPaper), **problems(404)},
)
async def quiz_paper(client: Client, paper_id: PaperId):
    return to_json(await client.quiz_paper(paper_id))


@router.post(
    "/quizzes/{paper_id}/submission",
    dependencies=[Depends(json_body)],
    summary="Submit a paper: the score and the right answers (409: answered today already)",
    responses={200: body(pb.QuizResult), **problems(404, 409)},
)
async def submit_quiz(client: Client, paper_id: PaperId, body: Answers):
    return to_json(await client.submit_quiz(paper_id, body.answers))


# --- the advisors' duties (一村一法律顾问): recorded by the advisor, seen by the office ---


class DutyDone(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"village_code": "330411004001", "kind": "monthly_contact", "done_on": "2026-12-01"}]
        },
    )
    village_code: str = Field(pattern="^[0-9]{12}$", description="a village the advisor serves")
    kind: str = Field(
        min_length=1, max_length=32, pattern=CODE, description="monthly_contact, quarterly_visit, annual_lecture"
    )
    done_on: str = Field(
        pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="the local day it was done: not in the future"
    )
    note: str = Field("", max_length=200, pattern=LINE)


@router.post(
    "/duties",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A village's legal advisor records a duty done there (403: a village they do not serve; 400: a "
    "kind the district does not name, a day in the future; 409: that day's record says otherwise)",
    responses={201: body(pb.AdvisorDutyRecord), **problems(404, 409)},
)
async def record_duty(client: Client, body: DutyDone):
    return to_json(await client.record_duty(pb.RecordAdvisorDutyRequest(**body.model_dump())))


@router.get(
    "/duties",
    summary="The advisors' duties per village this month, quarter and year: done, due or overdue (the "
    "judicial office: every advisor; an advisor: their own)",
    responses={200: body(pb.AdvisorDuties), **problems(404)},
)
async def duties(client: Client):
    # Every figure, zeros and empty fields included: the compliance page reads them all.
    return MessageToDict(
        await client.duties(), preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


@pages.get("/duties", include_in_schema=False)
async def duties_page():
    return FileResponse(STATIC / "duties.html", media_type="text/html")


# --- the TV's home screen ---


async def home_tile(request: Request, caller: Caller, token: str) -> dict | None:
    """The legal tile of a household's TV home screen: the latest published content of its
    district, and the TV screen it opens; None for anyone else."""
    if not caller.is_household():
        return None
    r = await Legal.of(request, token).contents(
        pb.ListContentRequest(page=common_pb2.PageRequest(page_size=TILE_CONTENTS))
    )
    items = [{"title": c.title, "detail": c.topic_label or c.kind_label, "id": c.id} for c in r.contents]
    return {"service": "legal", "title": "普法与文明实践", "screen": TV_SCREEN, "items": items}


TILE = obj(
    service={"type": "string", "const": "legal"},
    title={"type": "string"},
    screen={"type": "string"},
    items=array(HOME_ITEM),
)


@router.get("/home-tile", summary="The legal tile of the household's TV home screen", responses={200: body(TILE)})
async def get_home_tile(request: Request, auth: SignedIn):
    tile = await home_tile(request, auth[0], auth[1])
    if tile is None:
        raise Problem(403, "the home screen's tile is a household's")
    return tile
