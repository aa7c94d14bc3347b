"""Legal's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cachetools import TTLCache

from legal import domain, handlers
from legal.domain import duties
from legal.domain.content import Draft
from legal.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.errors import InvalidArgument
from runtime.households import Households, HouseholdsOnFile
from runtime.times import from_timestamp, to_timestamp, utcnow
from sbc.common.v1 import common_pb2
from sbc.legal.v1 import legal_pb2 as pb
from sbc.legal.v1 import legal_pb2_grpc


def content_to_proto(c: domain.Content, districts: domain.Districts) -> pb.Content:
    d = districts.by_code.get(c.district_code)
    return pb.Content(
        id=c.id,
        district_code=c.district_code,
        kind=c.kind,
        kind_label=d.kinds.get(c.kind, "") if d else "",
        topic=c.topic,
        topic_label=d.topics.get(c.topic, "") if d else "",
        audiences=c.audience_list,
        title=c.title,
        body=c.body,
        speech_text=c.speech_text,
        audio_url=c.audio_url,
        video_url=c.video_url,
        state=c.state,
        author_name=c.author_name,
        reviewer_name=c.reviewer_name,
        review_note=c.review_note,
        created_at=to_timestamp(c.created_at),
        reviewed_at=to_timestamp(c.reviewed_at),
    )


def consultation_to_proto(c: domain.Consultation, districts: domain.Districts) -> pb.Consultation:
    d = districts.by_code.get(c.district_code)
    return pb.Consultation(
        id=c.id,
        district_code=c.district_code,
        village_code=c.village_code,
        household_id=c.household_id,
        asker_kind=c.asker_kind,
        asker_name=c.asker_name,
        topic=c.topic,
        topic_label=d.consultation.topics.get(c.topic, "") if d else "",
        advisor_name=c.advisor_name,
        state=c.state,
        asked_at=to_timestamp(c.asked_at),
        due_at=to_timestamp(c.due_at),
        escalated_percent=c.escalated_percent,
        messages=[
            pb.ConsultationMessage(
                kind=m.kind, text=m.text, author_kind=m.author_kind, author_name=m.author_name, at=to_timestamp(m.at)
            )
            for m in c.messages
        ],
        follow_ups=c.follow_ups,
        rating_level=c.rating_level,
        call_back_phone=c.call_back_phone,
        created_at=to_timestamp(c.created_at),
    )


def activity_to_proto(a: domain.Activity, districts: domain.Districts, caller, now: dt.datetime) -> pb.Activity:
    d = districts.by_code.get(a.district_code)
    manager = domain.Role.STATION_MANAGER in caller.roles and caller.area_code == a.station
    return pb.Activity(
        id=a.id,
        station=a.station,
        station_name=d.volunteering.stations.get(a.station, "") if d else "",
        title=a.title,
        roles=a.role_list,
        capacity=a.capacity,
        remaining=a.remaining(now),
        starts_at=to_timestamp(a.starts_at),
        ends_at=to_timestamp(a.ends_at),
        organizer_name=a.organizer_name,
        check_in_code=a.check_in_code if manager else "",
        waiting=a.waiting_count(),
    )


def sign_up_to_proto(s: domain.SignUp, a: domain.Activity) -> pb.SignUp:
    return pb.SignUp(
        id=s.id,
        activity_id=a.id,
        activity_title=a.title,
        volunteer_id=s.volunteer,
        volunteer_name=s.volunteer_name,
        role=s.role,
        state=s.state,
        checked_in_at=to_timestamp(s.checked_in_at),
        checked_out_at=to_timestamp(s.checked_out_at),
        expires_at=to_timestamp(s.expires_at),
        hours=s.hours,
        corrections=[
            pb.HoursCorrectionEntry(
                hours_before=c.before / 2,
                hours_after=c.after / 2,
                reason=c.reason,
                actor=c.actor,
                at=to_timestamp(c.at),
            )
            for c in s.corrections
        ],
    )


def duty_to_proto(s: duties.DutyState) -> pb.DutyStatus:
    return pb.DutyStatus(
        kind=s.duty.code,
        kind_label=s.duty.label,
        every=s.duty.every,
        status=s.status,
        period_start=s.period_start.isoformat(),
        due_by=s.due_by.isoformat(),
        last_done_on=s.last.done_on.isoformat() if s.last else "",
        last_recorded_by=s.last.recorded_by if s.last else "",
    )


def required_time(request, field: str) -> dt.datetime:
    at = from_timestamp(getattr(request, field)) if request.HasField(field) else None
    if at is None:
        raise InvalidArgument(f"{field} is required", {field: "is required"})
    return at


# How long a page of published content is served from memory: another replica's publication shows
# within it (this process's own at once).
LIST_CACHE_SECONDS = 5.0


class LegalServicer(legal_pb2_grpc.LegalServiceServicer):
    def __init__(
        self,
        db: Database,
        districts: domain.Districts,
        clock: Callable[[], dt.datetime] = utcnow,
        list_cache_seconds: float = LIST_CACHE_SECONDS,
        households: Households | None = None,
    ):
        self.db = db
        self.districts = districts
        # Who households are (identity's GetHousehold), for an agent asking for one.
        self.households = households or HouseholdsOnFile({})
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock
        # Pages of published content, kept a few seconds (cleared when this process publishes).
        self.listed: TTLCache = TTLCache(maxsize=1000, ttl=list_cache_seconds, timer=lambda: clock().timestamp())

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    def content(self, c: domain.Content) -> pb.Content:
        return content_to_proto(c, self.districts)

    def contents(self, found: list[domain.Content], next_token: str) -> pb.ListContentResponse:
        return pb.ListContentResponse(
            contents=[self.content(c) for c in found], page=common_pb2.PageResponse(next_page_token=next_token)
        )

    async def DraftContent(self, request, context):
        r = request
        d = Draft(r.kind, r.topic, list(r.audiences), r.title, r.body, r.speech_text, r.audio_url, r.video_url)
        c = await run_sync(
            handlers.draft_content, self.uow(), self.districts, current_caller(), d, r.idempotency_key, self.now()
        )
        return self.content(c)

    async def PublishContent(self, request, context):
        c = await run_sync(
            handlers.publish_content, self.uow(), self.districts, current_caller(), request.id, self.now()
        )
        # This process's lists show it at once (another replica's within LIST_CACHE_SECONDS).
        self.listed.clear()
        return self.content(c)

    async def ReturnContent(self, request, context):
        c = await run_sync(
            handlers.return_content, self.uow(), self.districts, current_caller(), request.id, request.note, self.now()
        )
        return self.content(c)

    async def GetContent(self, request, context):
        return self.content(
            await run_sync(handlers.get_content, self.uow(), self.districts, current_caller(), request.id)
        )

    async def ListContent(self, request, context):
        # Every TV of a district lists the same few pages: a page read a moment ago is served again.
        # (On the event loop's thread only, so the cache needs no lock.)
        r, caller = request, current_caller()
        key = (caller.area_code[:6], r.SerializeToString(deterministic=True))
        cached = self.listed.get(key)
        if cached is not None:
            return cached
        found, token = await run_sync(
            handlers.list_content, self.uow(), self.districts, caller, r.kind, r.topic, r.audience, r.page
        )
        self.listed[key] = response = self.contents(found, token)
        return response

    async def ListReviewQueue(self, request, context):
        found, token = await run_sync(
            handlers.list_review_queue, self.uow(), self.districts, current_caller(), request.page
        )
        return self.contents(found, token)

    # --- consultations ---

    def consultation(self, c: domain.Consultation) -> pb.Consultation:
        return consultation_to_proto(c, self.districts)

    async def AskQuestion(self, request, context):
        r = request
        c = await run_sync(
            handlers.ask,
            self.uow(),
            self.districts,
            current_caller(),
            r.topic,
            r.question,
            r.household_id,
            r.household_area_code,
            r.consent,
            r.idempotency_key,
            self.now(),
            self.households,
            r.call_back_phone,
        )
        return self.consultation(c)

    async def GetConsultation(self, request, context):
        return self.consultation(await run_sync(handlers.get_consultation, self.uow(), current_caller(), request.id))

    async def ListConsultations(self, request, context):
        found, token = await run_sync(
            handlers.list_consultations,
            self.uow(),
            self.districts,
            current_caller(),
            request.escalated_only,
            request.page,
        )
        return pb.ListConsultationsResponse(
            consultations=[self.consultation(c) for c in found], page=common_pb2.PageResponse(next_page_token=token)
        )

    async def AnswerQuestion(self, request, context):
        c = await run_sync(
            handlers.answer, self.uow(), self.districts, current_caller(), request.id, request.answer, self.now()
        )
        return self.consultation(c)

    async def AskFollowUp(self, request, context):
        c = await run_sync(
            handlers.follow_up, self.uow(), self.districts, current_caller(), request.id, request.question, self.now()
        )
        return self.consultation(c)

    async def RateConsultation(self, request, context):
        r = request
        c = await run_sync(
            handlers.rate,
            self.uow(),
            self.districts,
            current_caller(),
            r.id,
            r.level,
            dict(r.indicators),
            r.comment,
            list(r.reasons),
            self.now(),
        )
        return self.consultation(c)

    # --- volunteer activities ---

    def activity(self, a: domain.Activity) -> pb.Activity:
        return activity_to_proto(a, self.districts, current_caller(), self.now())

    def result(self, found: tuple[domain.Activity, domain.SignUp]) -> pb.SignUpResult:
        a, s = found
        return pb.SignUpResult(activity=self.activity(a), sign_up=sign_up_to_proto(s, a))

    async def PublishActivity(self, request, context):
        r = request
        starts_at, ends_at = required_time(r, "starts_at"), required_time(r, "ends_at")
        a = await run_sync(
            handlers.publish_activity,
            self.uow(),
            self.districts,
            current_caller(),
            r.title,
            list(r.roles),
            r.capacity,
            starts_at,
            ends_at,
            self.now(),
        )
        return self.activity(a)

    async def ListActivities(self, request, context):
        found, token = await run_sync(
            handlers.list_activities, self.uow(), self.districts, current_caller(), request.station, request.page
        )
        return pb.ListActivitiesResponse(
            activities=[self.activity(a) for a in found], page=common_pb2.PageResponse(next_page_token=token)
        )

    async def GetActivity(self, request, context):
        return self.activity(
            await run_sync(handlers.get_activity, self.uow(), self.districts, current_caller(), request.id)
        )

    async def SignUp(self, request, context):
        found = await run_sync(
            handlers.sign_up,
            self.uow(),
            self.districts,
            current_caller(),
            request.activity_id,
            request.role,
            request.join_waiting_list,
            self.now(),
        )
        return self.result(found)

    async def CancelSignUp(self, request, context):
        found = await run_sync(
            handlers.cancel_sign_up, self.uow(), self.districts, current_caller(), request.activity_id, self.now()
        )
        return self.result(found)

    async def _check(self, request, out: bool) -> pb.SignUpResult:
        r = request
        found = await run_sync(
            handlers.check_in_or_out,
            self.uow(),
            self.districts,
            current_caller(),
            r.activity_id,
            r.code,
            r.volunteer_id,
            out,
            self.now(),
        )
        return self.result(found)

    async def CheckIn(self, request, context):
        return await self._check(request, out=False)

    async def CheckOut(self, request, context):
        return await self._check(request, out=True)

    async def CorrectHours(self, request, context):
        r = request
        found = await run_sync(
            handlers.correct_hours,
            self.uow(),
            self.districts,
            current_caller(),
            r.activity_id,
            r.sign_up_id,
            r.hours,
            r.reason,
            self.now(),
        )
        return self.result(found)

    async def GetVolunteerRecord(self, request, context):
        found, hours, stars = await run_sync(handlers.volunteer_record, self.uow(), self.districts, current_caller())
        return pb.VolunteerRecord(total_hours=hours, stars=stars, sign_ups=[sign_up_to_proto(s, a) for s, a in found])

    async def GetStationTotals(self, request, context):
        rows = await run_sync(handlers.station_totals, self.uow(), self.districts, current_caller())
        return pb.StationTotals(
            stations=[pb.StationTotal(station=st, station_name=n, volunteers=v, hours=h) for st, n, v, h in rows]
        )

    # --- quizzes ---

    def _district(self) -> domain.District:
        return self.districts.of_caller(current_caller())

    async def ListQuizPapers(self, request, context):
        d = self._district()
        return pb.ListQuizPapersResponse(
            papers=[
                pb.QuizPaperSummary(id=p.id, topic=p.topic, topic_label=d.topics.get(p.topic, ""), title=p.title)
                for p in d.quizzes.papers.values()
            ]
        )

    async def GetQuizPaper(self, request, context):
        paper = self._district().quizzes.paper(request.id)
        return pb.QuizPaper(
            id=paper.id,
            topic=paper.topic,
            title=paper.title,
            # The questions and their options; the answers stay here until the paper is submitted.
            questions=[
                pb.QuizQuestion(
                    id=q.id, text=q.text, options=[pb.QuizOption(key=k, text=t) for k, t in q.options.items()]
                )
                for q in paper.questions
            ],
        )

    async def SubmitQuizPaper(self, request, context):
        a = await run_sync(
            handlers.submit_paper,
            self.uow(),
            self.districts,
            current_caller(),
            request.paper_id,
            dict(request.answers),
            self.now(),
        )
        paper = self._district().quizzes.paper(a.paper_id)
        chosen = a.answer_map
        return pb.QuizResult(
            attempt_id=a.id,
            paper_id=a.paper_id,
            correct=a.correct,
            score=a.score,
            answers=[pb.QuizAnswer(question_id=q.id, chosen=chosen[q.id], correct=q.answer) for q in paper.questions],
        )

    async def GetAskingChoices(self, request, context):
        rules = self._district().consultation
        return pb.AskingChoices(
            topics=[
                pb.AskingTopic(code=code, label=label, questions=rules.ready_questions.get(code, ()))
                for code, label in rules.topics.items()
            ],
            call_back=rules.call_back_request,
        )

    async def GetQuizStats(self, request, context):
        rows = await run_sync(handlers.quiz_stats, self.uow(), self.districts, current_caller())
        return pb.QuizStats(
            towns=[pb.TownQuizStats(town=t, participants=p, attempts=n, average_score=avg) for t, p, n, avg in rows]
        )

    # --- the advisors' duties ---

    async def RecordAdvisorDuty(self, request, context):
        r = request
        d = await run_sync(
            handlers.record_duty,
            self.uow(),
            self.districts,
            current_caller(),
            r.village_code,
            r.kind,
            r.done_on,
            r.note,
            self.now(),
        )
        district = self.districts.by_code[d.district_code]
        return pb.AdvisorDutyRecord(
            id=d.id,
            village_code=d.village_code,
            kind=d.kind,
            kind_label=district.duties.duties[d.kind].label,
            done_on=d.done_on.isoformat(),
            advisor_name=d.advisor_name,
            recorded_by=d.recorded_by,
            recorded_at=to_timestamp(d.recorded_at),
            note=d.note,
        )

    async def GetAdvisorDuties(self, request, context):
        today, found = await run_sync(handlers.advisor_duties, self.uow(), self.districts, current_caller(), self.now())
        states = [s for a in found for v in a.villages for s in v.duties]
        return pb.AdvisorDuties(
            as_of=today.isoformat(),
            advisors=[
                pb.AdvisorDutiesOf(
                    advisor_name=a.name,
                    villages=[
                        pb.VillageDuties(village_code=v.village_code, duties=[duty_to_proto(s) for s in v.duties])
                        for v in a.villages
                    ],
                )
                for a in found
            ],
            done=sum(s.status == duties.Status.DONE for s in states),
            due=sum(s.status == duties.Status.DUE for s in states),
            overdue=sum(s.status == duties.Status.OVERDUE for s in states),
        )
