"""Education's gRPC face: protobuf in, a handler call, protobuf out. No rules here (the domain's),
no SQL (the store's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from education import domain, handlers, store
from education.store import UnitOfWork
from runtime.aio import run_sync
from runtime.auth import current_caller
from runtime.db import Database
from runtime.loudspeakers import EndpointAllowList
from runtime.times import from_timestamp, to_timestamp, utcnow
from sbc.education.v1 import education_pb2 as pb
from sbc.education.v1 import education_pb2_grpc


def town_proto(t: domain.Town) -> pb.Town:
    return pb.Town(
        code=t.code,
        name=t.name,
        kind=t.kind,
        brand=pb.Brand(name=t.brand, description=t.brand_description, check=t.brand_check),
    )


def series_proto(s: domain.Series) -> pb.Series:
    return pb.Series(
        id=s.id,
        town_code=s.town_code,
        title=s.title,
        description=s.description,
        local=s.local,
        created_by=s.created_by,
        created_at=to_timestamp(s.created_at),
    )


def episode_proto(e: domain.Episode) -> pb.Episode:
    return pb.Episode(
        id=e.id,
        series_id=e.series_id,
        town_code=e.town_code,
        number=e.number,
        title=e.title,
        kind=e.kind,
        topic=e.topic,
        duration_seconds=e.duration_seconds,
        presenters=e.presenters,
        media_url=e.media_url,
    )


def slot_proto(slot: domain.Slot, episode: domain.Episode, series: domain.Series, channel_name: str = "") -> pb.Slot:
    return pb.Slot(
        channel_name=channel_name,
        series_id=series.id,
        resumes=slot.resumes,
        from_seconds=slot.from_seconds,
        id=slot.id,
        town_code=slot.town_code,
        channel=slot.channel,
        episode_id=slot.episode_id,
        episode_title=episode.title,
        series_title=series.title,
        topic=slot.topic,
        starts_at=to_timestamp(slot.starts_at),
        ends_at=to_timestamp(slot.ends_at),
        local=slot.local,
        farm=slot.farm,
        state=slot.state,
        scheduled_by=slot.scheduled_by,
    )


def question_proto(q: domain.Question) -> pb.Question:
    return pb.Question(
        id=q.id, episode_id=q.episode_id, member=q.member, text=q.text, asked_at=to_timestamp(q.asked_at)
    )


def progress_proto(p: domain.Progress) -> pb.LessonProgress:
    return pb.LessonProgress(
        episode_id=p.episode_id,
        series_id=p.series_id,
        member=p.member,
        duration_seconds=p.duration_seconds,
        watched_seconds=p.watched_seconds,
        percent=p.percent,
        position_seconds=p.position_seconds,
        completed=p.completed,
        completed_at=to_timestamp(p.completed_at),
        updated_at=to_timestamp(p.updated_at),
    )


def course_proto(c: domain.CourseProgress, series: domain.Series, episode: domain.Episode) -> pb.Course:
    return pb.Course(
        series_id=series.id,
        title=series.title,
        town_code=series.town_code,
        member=c.member,
        lessons=c.lessons,
        completed_lessons=c.completed_lessons,
        percent=c.percent,
        completed=c.completed_lessons == c.lessons,
        resume_episode_id=episode.id,
        resume_episode_title=episode.title,
        resume_position_seconds=c.resume.position_seconds,
        resume_media_url=episode.media_url,
    )


def session_proto(s: domain.Session, episode_title: str, now: dt.datetime) -> pb.ClassSession:
    return pb.ClassSession(
        id=s.id,
        episode_id=s.episode_id,
        series_id=s.series_id,
        town_code=s.town_code,
        village_code=s.village_code,
        place=s.place,
        starts_at=to_timestamp(s.starts_at),
        ends_at=to_timestamp(s.ends_at),
        capacity=s.capacity,
        places_left=max(0, s.capacity - s.taken(now)),
        episode_title=episode_title,
    )


def entry_proto(session_id: str, u: domain.SignUp) -> pb.AttendanceEntry:
    return pb.AttendanceEntry(
        session_id=session_id,
        member=u.member,
        status=u.attendance,
        recorded_by=u.recorded_by,
        recorded_at=to_timestamp(u.recorded_at),
    )


class EducationServicer(education_pb2_grpc.EducationServiceServicer):
    def __init__(
        self,
        db: Database,
        districts: domain.Districts,
        clock: Callable[[], dt.datetime] = utcnow,
        allowed: EndpointAllowList | None = None,
    ):
        self.db = db
        self.districts = districts
        # Where loudspeaker controllers may be.
        self.allowed = allowed or store.load_allow_list()
        # The time source (tests hand in a clock they move; production uses the wall clock).
        self.now = clock

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db)

    async def ListTowns(self, request, context):
        seen = self.districts.seen_from(current_caller().area_code)
        towns = [t for d in seen for t in d.towns.values()]
        per_week = max((d.farm_programmes_per_week for d in seen), default=0)
        return pb.ListTownsResponse(towns=[town_proto(t) for t in towns], farm_programmes_per_week=per_week)

    async def GetProgrammeCommitments(self, request, context):
        d = handlers.programme_commitments(self.districts, current_caller(), request.district_code)
        return pb.ProgrammeCommitments(
            district_code=d.code,
            district_name=d.name,
            farm_programmes_per_week=d.farm_programmes_per_week,
            counted_channels=[d.channels[c].name if c in d.channels else c for c in d.counted_channels],
            source=d.compliance_source,
            playout_channel=d.channels[d.playout_channel].name
            if d.playout_channel in d.channels
            else d.playout_channel,
            send_ahead_seconds=int(d.send_ahead.total_seconds()),
            towns=[town_proto(t) for t in d.towns.values()],
        )

    async def CreateSeries(self, request, context):
        made = await run_sync(
            handlers.create_series,
            self.uow(),
            self.districts,
            current_caller(),
            request.town_code,
            request.title,
            request.description,
            request.local,
            self.now(),
        )
        return series_proto(made)

    async def ListSeries(self, request, context):
        found = await run_sync(handlers.list_series, self.uow(), self.districts, request.town_code)
        return pb.ListSeriesResponse(series=[series_proto(s) for s in found])

    async def AddEpisode(self, request, context):
        fields = {
            "number": request.number,
            "title": request.title,
            "kind": request.kind,
            "topic": request.topic,
            "duration_seconds": request.duration_seconds,
            "presenters": list(request.presenters),
            "media_url": request.media_url,
        }
        made = await run_sync(
            handlers.add_episode, self.uow(), self.districts, current_caller(), request.series_id, fields, self.now()
        )
        return episode_proto(made)

    async def ListEpisodes(self, request, context):
        found = await run_sync(handlers.list_episodes, self.uow(), request.series_id)
        return pb.ListEpisodesResponse(episodes=[episode_proto(e) for e in found])

    async def ScheduleSlot(self, request, context):
        starts_at = from_timestamp(request.starts_at) if request.HasField("starts_at") else None
        made = await run_sync(
            handlers.schedule_slot,
            self.uow(),
            self.districts,
            current_caller(),
            request.town_code,
            request.channel,
            request.episode_id,
            starts_at,
            self.now(),
        )
        return slot_proto(*made)

    async def CancelSlot(self, request, context):
        return slot_proto(*await run_sync(handlers.cancel_slot, self.uow(), current_caller(), request.id, self.now()))

    async def ListSchedule(self, request, context):
        monday, found = await run_sync(
            handlers.list_schedule, self.uow(), self.districts, request.town_code, request.week_of, self.now()
        )
        return pb.ListScheduleResponse(week_start=monday.isoformat(), slots=[slot_proto(*f) for f in found])

    async def GetCompliance(self, request, context):
        district, monday, weeks = await run_sync(
            handlers.compliance, self.uow(), self.districts, current_caller(), request.week_of, self.now()
        )
        return pb.Compliance(
            week_start=monday.isoformat(),
            required=district.farm_programmes_per_week,
            counted_channels=district.counted_channels,
            towns=[
                pb.TownCompliance(
                    town_code=w.town_code,
                    town_name=w.town_name,
                    brand=w.brand,
                    required=w.required,
                    farm_programmes=w.farm_programmes,
                    gap=w.gap,
                    by_topic=w.by_topic,
                    by_day=w.by_day,
                    plays=w.plays,
                    aired=w.aired,
                    resumed=w.resumed,
                    tv_households=w.tv_households,
                    villages_reached=w.villages_reached,
                )
                for w in weeks
            ],
            towns_short=sum(1 for w in weeks if w.gap),
        )

    async def GetProgrammesToday(self, request, context):
        where, today, found = await run_sync(
            handlers.programmes_today, self.uow(), self.districts, current_caller(), self.now()
        )
        if where is None:
            return pb.ProgrammesToday(date=today.isoformat())
        district, town = where
        return pb.ProgrammesToday(
            date=today.isoformat(),
            town_code=town.code,
            town_name=town.name,
            brand=town.brand,
            slots=[slot_proto(*f, channel_name=district.channels[f[0].channel].name) for f in found],
        )

    async def ReportProgress(self, request, context):
        found = await run_sync(
            handlers.report_progress,
            self.uow(),
            self.districts,
            current_caller(),
            request.episode_id,
            request.member,
            request.position_seconds,
            self.now(),
        )
        return progress_proto(found)

    async def ListMyCourses(self, request, context):
        found = await run_sync(handlers.my_courses, self.uow(), current_caller(), request.member)
        return pb.ListMyCoursesResponse(courses=[course_proto(*f) for f in found])

    async def PlanSession(self, request, context):
        fields = {
            "episode_id": request.episode_id,
            "village_code": request.village_code,
            "place": request.place,
            "starts_at": from_timestamp(request.starts_at) if request.HasField("starts_at") else None,
            "ends_at": from_timestamp(request.ends_at) if request.HasField("ends_at") else None,
            "capacity": request.capacity,
        }
        now = self.now()
        made = await run_sync(handlers.plan_session, self.uow(), self.districts, current_caller(), fields, now)
        return session_proto(made, "", now)

    async def ListSessions(self, request, context):
        now = self.now()
        found = await run_sync(
            handlers.list_sessions, self.uow(), self.districts, current_caller(), request.town_code, now
        )
        return pb.ListSessionsResponse(sessions=[session_proto(s, t, now) for s, t in found])

    async def SignUp(self, request, context):
        now = self.now()
        made, session, title = await run_sync(
            handlers.sign_up,
            self.uow(),
            self.districts,
            current_caller(),
            request.session_id,
            request.member,
            now,
            request.wait,
        )
        return pb.SignUpResult(
            sign_up_id=made.id, session=session_proto(session, title, now), member=made.member, state=made.state
        )

    async def CancelSignUp(self, request, context):
        now = self.now()
        mine, offered, session, title = await run_sync(
            handlers.cancel_sign_up,
            self.uow(),
            self.districts,
            current_caller(),
            request.session_id,
            request.member,
            now,
        )
        cancelled = pb.SignUpResult(
            sign_up_id=mine.id, session=session_proto(session, title, now), member=mine.member, state=mine.state
        )
        return pb.CancelSignUpResult(cancelled=cancelled, offered=len(offered))

    async def GetCheckInCode(self, request, context):
        session, code, changes = await run_sync(
            handlers.check_in_code, self.uow(), self.districts, current_caller(), request.session_id, self.now()
        )
        return pb.CheckInCode(session_id=session.id, code=code, changes_at=to_timestamp(changes))

    async def CheckIn(self, request, context):
        entry = await run_sync(handlers.check_in, self.uow(), self.districts, current_caller(), request, self.now())
        return entry_proto(request.session_id, entry)

    async def RecordAttendance(self, request, context):
        entry = await run_sync(handlers.record_attendance, self.uow(), current_caller(), request, self.now())
        return entry_proto(request.session_id, entry)

    async def GetRoster(self, request, context):
        entries = await run_sync(handlers.roster, self.uow(), current_caller(), request.session_id)
        return pb.Roster(
            session_id=request.session_id,
            entries=[
                pb.RosterEntry(
                    household_id=u.household_id,
                    member=u.member,
                    status=u.attendance,
                    recorded_by=u.recorded_by,
                    recorded_at=to_timestamp(u.recorded_at),
                )
                for u in entries
            ],
        )

    async def GetMyAttendance(self, request, context):
        r = await run_sync(
            handlers.my_attendance,
            self.uow(),
            self.districts,
            current_caller(),
            request.series_id,
            request.member,
            self.now(),
        )
        return pb.AttendanceRecord(
            series_id=request.series_id,
            member=request.member,
            sessions=[
                pb.SessionStatus(session_id=x.session_id, starts_at=to_timestamp(x.starts_at), status=x.status)
                for x in r.sessions
            ],
            attended=r.attended,
            counted=r.counted,
            percent=r.percent,
            complete=r.complete,
        )

    async def IssueCertificate(self, request, context):
        c, series = await run_sync(
            handlers.issue_certificate,
            self.uow(),
            self.districts,
            current_caller(),
            request.series_id,
            request.member,
            self.now(),
        )
        return pb.Certificate(
            id=c.id,
            series_id=c.series_id,
            series_title=series.title if series else "",
            member=c.member,
            attended=c.attended,
            counted=c.counted,
            issued_at=to_timestamp(c.issued_at),
        )

    async def RegisterController(self, request, context):
        c = await run_sync(
            handlers.register_controller,
            self.uow(),
            self.allowed,
            current_caller(),
            request.controller_id,
            request.village_code,
            request.endpoint,
            self.now(),
        )
        return pb.LoudspeakerController(
            id=c.id,
            town_code=c.town_code,
            village_code=c.village_code,
            endpoint=c.endpoint,
            registered_by=c.registered_by,
            registered_at=to_timestamp(c.registered_at),
        )

    async def FollowSeries(self, request, context):
        following = await run_sync(
            handlers.follow_series, self.uow(), current_caller(), request.series_id, request.following, self.now()
        )
        return pb.FollowState(series_id=request.series_id, following=following)

    async def ListFollowing(self, request, context):
        found = await run_sync(handlers.my_follows, self.uow(), current_caller())
        return pb.ListFollowingResponse(series=[series_proto(s) for s in found])

    async def AskQuestion(self, request, context):
        q = await run_sync(
            handlers.ask_question,
            self.uow(),
            self.districts,
            current_caller(),
            request.episode_id,
            request.member,
            request.text,
            self.now(),
        )
        return question_proto(q)

    async def RateEpisode(self, request, context):
        r = await run_sync(
            handlers.rate_episode,
            self.uow(),
            self.districts,
            current_caller(),
            request.episode_id,
            request.member,
            request.level,
            request.comment,
            self.now(),
        )
        return pb.EpisodeRating(
            id=r.id,
            episode_id=r.episode_id,
            member=r.member,
            level=r.level,
            comment=r.comment,
            rated_at=to_timestamp(r.rated_at),
        )

    async def GetSeriesListeners(self, request, context):
        series, found = await run_sync(handlers.series_listeners, self.uow(), current_caller(), request.series_id)
        return pb.SeriesListeners(
            series=series_proto(series),
            episodes=[
                pb.EpisodeListeners(
                    episode_id=e.episode.id,
                    number=e.episode.number,
                    title=e.episode.title,
                    tv_households=e.tv_households,
                    tv_members=e.tv_members,
                    completed=e.completed,
                    villages=e.villages,
                    ratings=e.ratings,
                    satisfied_percent=e.satisfied_percent,
                    questions=[question_proto(q) for q in e.questions],
                )
                for e in found
            ],
        )
