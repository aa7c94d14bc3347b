"""Opinions's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opinions import domain, handlers
from opinions.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.times import from_timestamp, to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.opinions.v1 import opinions_pb2 as pb
from sbc.opinions.v1 import opinions_pb2_grpc


def question_to_proto(q: domain.Question) -> pb.Question:
    return pb.Question(
        id=q.id,
        kind=q.kind,
        text=q.text,
        required=q.required,
        choices=list(q.choices),
        min_picks=q.min_picks,
        max_picks=q.max_picks,
        scale_low=q.scale_low,
        scale_high=q.scale_high,
        max_length=q.max_length,
    )


def to_proto(q: domain.Questionnaire, now: dt.datetime, answered: bool = False) -> pb.Questionnaire:
    return pb.Questionnaire(
        id=q.id,
        area_code=q.area_code,
        title=q.title,
        purpose=q.purpose,
        organizer=q.organizer,
        opens_at=to_timestamp(q.opens_at),
        closes_at=to_timestamp(q.closes_at),
        target_areas=list(q.target_areas),
        audience=q.audience,
        questions=[question_to_proto(x) for x in q.question_list()],
        state=q.state,
        created_at=to_timestamp(q.created_at),
        published_at=to_timestamp(q.published_at),
        closed_at=to_timestamp(q.closed_at),
        answered=answered,
        open=q.is_open(now),
    )


def draft_of(d: pb.QuestionnaireDraft) -> domain.Draft:
    return domain.Draft(
        title=d.title,
        purpose=d.purpose,
        organizer=d.organizer,
        opens_at=from_timestamp(d.opens_at) if d.HasField("opens_at") else None,
        closes_at=from_timestamp(d.closes_at) if d.HasField("closes_at") else None,
        target_areas=tuple(d.target_areas),
        audience=d.audience,
        questions=tuple(
            domain.Question(
                id="",
                kind=q.kind,
                text=q.text,
                required=q.required,
                choices=tuple(q.choices),
                min_picks=q.min_picks,
                max_picks=q.max_picks,
                scale_low=q.scale_low,
                scale_high=q.scale_high,
                max_length=q.max_length,
            )
            for q in d.questions
        ),
    )


def results_to_proto(q: domain.Questionnaire, r: domain.Results, now: dt.datetime) -> pb.Results:
    return pb.Results(
        questionnaire=to_proto(q, now),
        responses=r.responses,
        questions=[
            pb.QuestionResult(
                question=question_to_proto(x.question),
                answered=x.answered,
                choices=[
                    pb.ChoiceCount(choice=c, count=n) for c, n in zip(x.question.choices, x.choice_counts, strict=True)
                ],
                scale_counts=x.scale_counts if x.question.kind == domain.Kind.SCALE else [],
                scale_mean=x.scale_mean,
                text_answers=x.text_answers,
            )
            for x in r.questions
        ],
        towns=[pb.TownResult(town_code=t.town_code, responses=t.responses) for t in r.towns],
        targeted_households=r.targeted,
    )


class OpinionsServicer(opinions_pb2_grpc.OpinionsServiceServicer):
    def __init__(self, db: Database, audiences: domain.Audiences, clock: Callable[[], dt.datetime] = utcnow):
        self.db = db
        self.audiences = audiences
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    async def CreateQuestionnaire(self, request, context):
        now = self.now()
        made = await run_sync(
            handlers.write_questionnaire, self.uow(), current_caller(), draft_of(request.draft), self.audiences, now
        )
        return to_proto(made, now)

    async def UpdateDraft(self, request, context):
        edited = await run_sync(
            handlers.edit_draft, self.uow(), current_caller(), request.id, draft_of(request.draft), self.audiences
        )
        return to_proto(edited, self.now())

    async def PublishQuestionnaire(self, request, context):
        now = self.now()
        published = await run_sync(handlers.publish, self.uow(), current_caller(), request.id, self.audiences, now)
        return to_proto(published, now)

    async def CloseQuestionnaire(self, request, context):
        now = self.now()
        return to_proto(await run_sync(handlers.close, self.uow(), current_caller(), request.id, now), now)

    async def ListQuestionnaires(self, request, context):
        found, next_token = await run_sync(handlers.list_for_staff, self.uow(), current_caller(), request.page)
        now = self.now()
        return pb.ListQuestionnairesResponse(
            questionnaires=[to_proto(q, now) for q in found], page=common_pb2.PageResponse(next_page_token=next_token)
        )

    async def GetQuestionnaire(self, request, context):
        found, answered = await run_sync(handlers.get, self.uow(), current_caller(), request.id, self.audiences)
        return to_proto(found, self.now(), answered)

    async def ListOpenForMe(self, request, context):
        now = self.now()
        found, next_token = await run_sync(
            handlers.open_for_me, self.uow(), current_caller(), request.page, self.audiences, now
        )
        return pb.ListQuestionnairesResponse(
            questionnaires=[to_proto(q, now, answered) for q, answered in found],
            page=common_pb2.PageResponse(next_page_token=next_token),
        )

    async def SubmitResponse(self, request, context):
        answers = [domain.Answer(a.question_id, tuple(a.choices), a.scale, a.text) for a in request.answers]
        response = await run_sync(
            handlers.submit, self.uow(), current_caller(), request.questionnaire_id, answers, self.audiences, self.now()
        )
        return pb.SubmitResponseReceipt(
            questionnaire_id=response.questionnaire_id, submitted_at=to_timestamp(response.submitted_at)
        )

    async def GetResults(self, request, context):
        questionnaire, counted = await run_sync(
            handlers.results, self.uow(), current_caller(), request.id, self.audiences
        )
        return results_to_proto(questionnaire, counted, self.now())

    async def ListTextAnswers(self, request, context):
        found, next_token = await run_sync(
            handlers.text_answers,
            self.uow(),
            current_caller(),
            request.questionnaire_id,
            request.question_id,
            request.page,
        )
        return pb.ListTextAnswersResponse(
            answers=[pb.TextAnswer(text=text, town_code=town) for _, text, town in found],
            page=common_pb2.PageResponse(next_page_token=next_token),
        )
