"""Education under /v1/education/: the towns and their brands (一镇一品), their series and episodes,
each town's weekly schedule on its village loudspeakers (村村响), TV and on demand, kept by the
broadcasting station's editors (role station_editor), and the weekly compliance check of the farm
programmes (对农广播) with its page (/education/compliance: gateway/static/education/compliance.html
draws inline SVG from the same API). Every rule is the education service's: the gateway maps JSON
to gRPC and gRPC errors to problem+json. Values that are the district's data (towns, topics, kinds,
channels) are checked by the service (400 naming the field)."""

from __future__ import annotations

import pathlib
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.common import ID, LINE, TEXT, Instant, ServiceClient, SignedIn, json_body, qr_svg, to_json
from gateway.openapi import array, body, obj, problems
from gateway.problems import Problem
from gateway.routes.home import ITEM as HOME_ITEM
from runtime.auth import Caller
from runtime.times import to_timestamp
from sbc.education.v1 import education_pb2 as pb
from sbc.education.v1 import education_pb2_grpc

router = APIRouter(prefix="/v1/education", tags=["education"])
pages = APIRouter(prefix="/education")
STATIC = pathlib.Path(__file__).resolve().parents[1] / "static" / "education"

TOWN_CODE = "^[0-9]{9}$"
CODE = "^[a-z][a-z_]*$"
TV_SCREEN = "education"
TILE_ITEMS = 4
# A calendar day; the service refuses a day that does not exist (2026-02-30) with 400.
DAY = "^(2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$"


class Education(ServiceClient):
    service = "education"
    stub_class = education_pb2_grpc.EducationServiceStub

    async def towns(self) -> pb.ListTownsResponse:
        return await self.stub.ListTowns(pb.ListTownsRequest(), **self.options)

    async def programme_commitments(self, district_code: str) -> pb.ProgrammeCommitments:
        r = pb.GetProgrammeCommitmentsRequest(district_code=district_code)
        return await self.stub.GetProgrammeCommitments(r, **self.options)

    async def create_series(self, r: pb.CreateSeriesRequest) -> pb.Series:
        return await self.stub.CreateSeries(r, **self.options)

    async def series_of(self, town_code: str) -> pb.ListSeriesResponse:
        return await self.stub.ListSeries(pb.ListSeriesRequest(town_code=town_code), **self.options)

    async def add_episode(self, r: pb.AddEpisodeRequest) -> pb.Episode:
        return await self.stub.AddEpisode(r, **self.options)

    async def episodes(self, series_id: str) -> pb.ListEpisodesResponse:
        return await self.stub.ListEpisodes(pb.ListEpisodesRequest(series_id=series_id), **self.options)

    async def schedule(self, r: pb.ScheduleSlotRequest) -> pb.Slot:
        return await self.stub.ScheduleSlot(r, **self.options)

    async def cancel(self, slot_id: str) -> pb.Slot:
        return await self.stub.CancelSlot(pb.CancelSlotRequest(id=slot_id), **self.options)

    async def week(self, town_code: str, week_of: str) -> pb.ListScheduleResponse:
        return await self.stub.ListSchedule(
            pb.ListScheduleRequest(town_code=town_code, week_of=week_of), **self.options
        )

    async def compliance(self, week_of: str) -> pb.Compliance:
        return await self.stub.GetCompliance(pb.GetComplianceRequest(week_of=week_of), **self.options)

    async def register_controller(self, r: pb.RegisterControllerRequest) -> pb.LoudspeakerController:
        return await self.stub.RegisterController(r, **self.options)

    async def today(self) -> pb.ProgrammesToday:
        return await self.stub.GetProgrammesToday(pb.GetProgrammesTodayRequest(), **self.options)

    async def report(self, r: pb.ReportProgressRequest) -> pb.LessonProgress:
        return await self.stub.ReportProgress(r, **self.options)

    async def my_courses(self, member: str) -> pb.ListMyCoursesResponse:
        return await self.stub.ListMyCourses(pb.ListMyCoursesRequest(member=member), **self.options)

    async def plan_session(self, r: pb.PlanSessionRequest) -> pb.ClassSession:
        return await self.stub.PlanSession(r, **self.options)

    async def sessions(self, town_code: str) -> pb.ListSessionsResponse:
        return await self.stub.ListSessions(pb.ListSessionsRequest(town_code=town_code), **self.options)

    async def sign_up(self, session_id: str, member: str, wait: bool = False) -> pb.SignUpResult:
        r = pb.SignUpRequest(session_id=session_id, member=member, wait=wait)
        return await self.stub.SignUp(r, **self.options)

    async def cancel_sign_up(self, session_id: str, member: str) -> pb.CancelSignUpResult:
        r = pb.CancelSignUpRequest(session_id=session_id, member=member)
        return await self.stub.CancelSignUp(r, **self.options)

    async def check_in_code(self, session_id: str) -> pb.CheckInCode:
        return await self.stub.GetCheckInCode(pb.GetCheckInCodeRequest(session_id=session_id), **self.options)

    async def check_in(self, r: pb.CheckInRequest) -> pb.AttendanceEntry:
        return await self.stub.CheckIn(r, **self.options)

    async def record_attendance(self, r: pb.RecordAttendanceRequest) -> pb.AttendanceEntry:
        return await self.stub.RecordAttendance(r, **self.options)

    async def roster(self, session_id: str) -> pb.Roster:
        return await self.stub.GetRoster(pb.GetRosterRequest(session_id=session_id), **self.options)

    async def attendance(self, series_id: str, member: str) -> pb.AttendanceRecord:
        r = pb.GetMyAttendanceRequest(series_id=series_id, member=member)
        return await self.stub.GetMyAttendance(r, **self.options)

    async def certificate(self, series_id: str, member: str) -> pb.Certificate:
        r = pb.IssueCertificateRequest(series_id=series_id, member=member)
        return await self.stub.IssueCertificate(r, **self.options)

    async def follow(self, series_id: str, following: bool) -> pb.FollowState:
        r = pb.FollowSeriesRequest(series_id=series_id, following=following)
        return await self.stub.FollowSeries(r, **self.options)

    async def following(self) -> pb.ListFollowingResponse:
        return await self.stub.ListFollowing(pb.ListFollowingRequest(), **self.options)

    async def ask(self, r: pb.AskQuestionRequest) -> pb.Question:
        return await self.stub.AskQuestion(r, **self.options)

    async def rate(self, r: pb.RateEpisodeRequest) -> pb.EpisodeRating:
        return await self.stub.RateEpisode(r, **self.options)

    async def listeners(self, series_id: str) -> pb.SeriesListeners:
        return await self.stub.GetSeriesListeners(pb.GetSeriesListenersRequest(series_id=series_id), **self.options)


def client(request: Request, auth: SignedIn) -> Education:
    return Education.of(request, auth[1])


Client = Annotated[Education, Depends(client)]
TownCode = Annotated[str, Path(pattern=TOWN_CODE, description="A town's or sub-district's 9-digit code")]
SeriesId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The series' id")]
SlotId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The slot's id")]
WeekOf = Annotated[
    str, Query(max_length=10, pattern=DAY, description="YYYY-MM-DD, any day of the week; empty: this week")
]


class NewSeries(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"town_code": "330411103", "title": "郝老师课堂", "local": True}]},
    )
    town_code: str = Field(pattern=TOWN_CODE)
    title: str = Field(min_length=1, max_length=100, pattern=LINE)
    description: str = Field(default="", max_length=500, pattern=TEXT)
    local: bool = Field(default=True, description="made by the town itself (counts for the weekly rule)")


class NewEpisode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=100000)
    title: str = Field(min_length=1, max_length=100, pattern=LINE)
    kind: str = Field(max_length=32, pattern=CODE, description="audio, video")
    topic: str = Field(
        max_length=32, pattern=CODE, description="agriculture, rural_revitalisation, policy_law, health, culture"
    )
    duration_seconds: int = Field(ge=1, le=86400, description="the district's range (60..14400) is the service's")
    presenters: list[Annotated[str, Field(min_length=1, max_length=50, pattern=LINE)]] = Field(
        min_length=1, max_length=5
    )
    media_url: str = Field(min_length=1, max_length=500, description="an HLS playlist (.m3u8) over http(s)")


class NewSlot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    town_code: str = Field(pattern=TOWN_CODE)
    channel: str = Field(max_length=32, pattern=CODE, description="loudspeaker (村村响), tv, vod")
    episode_id: str = Field(min_length=1, max_length=36, pattern=ID)
    starts_at: Instant = Field(description="ahead of now, within the district's days ahead (60)")


@router.get(
    "/towns", summary="The district's towns and their brands (一镇一品)", responses={200: body(pb.ListTownsResponse)}
)
async def towns(client: Client):
    return to_json(await client.towns())


@router.post(
    "/series",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="An editor starts a town's series (409 when the town has one of that title)",
    responses={201: body(pb.Series), **problems(409)},
)
async def create_series(client: Client, body: NewSeries):
    return to_json(await client.create_series(pb.CreateSeriesRequest(**body.model_dump())))


@router.get("/towns/{town_code}/series", summary="A town's series", responses={200: body(pb.ListSeriesResponse)})
async def series_of(client: Client, town_code: TownCode):
    return to_json(await client.series_of(town_code))


@router.post(
    "/series/{series_id}/episodes",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="An editor adds an episode (its media must be a stream; 409 when the number is taken)",
    responses={201: body(pb.Episode), **problems(409)},
)
async def add_episode(client: Client, series_id: SeriesId, body: NewEpisode):
    return to_json(await client.add_episode(pb.AddEpisodeRequest(series_id=series_id, **body.model_dump())))


@router.get(
    "/series/{series_id}/episodes", summary="A series' episodes", responses={200: body(pb.ListEpisodesResponse)}
)
async def episodes(client: Client, series_id: SeriesId):
    return to_json(await client.episodes(series_id))


@router.post(
    "/slots",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="An editor schedules an episode on a town's channel (409 when it overlaps on that network)",
    responses={201: body(pb.Slot), **problems(404, 409)},
)
async def schedule(client: Client, body: NewSlot):
    r = pb.ScheduleSlotRequest(
        town_code=body.town_code,
        channel=body.channel,
        episode_id=body.episode_id,
        starts_at=to_timestamp(body.starts_at),
    )
    return to_json(await client.schedule(r))


@router.post(
    "/slots/{slot_id}/cancel",
    summary="An editor cancels a slot (409 when cancelled already or begun)",
    responses={200: body(pb.Slot), **problems(409)},
)
async def cancel(client: Client, slot_id: SlotId):
    return to_json(await client.cancel(slot_id))


@router.get(
    "/towns/{town_code}/schedule",
    summary="A town's week of slots (Monday to Sunday, local time)",
    responses={200: body(pb.ListScheduleResponse)},
)
async def week(client: Client, town_code: TownCode, week_of: WeekOf = ""):
    return to_json(await client.week(town_code, week_of))


@router.get(
    "/compliance",
    summary="The weekly farm-programme rule per town of the editor's area, with each town's gap (editors)",
    responses={200: body(pb.Compliance)},
)
async def compliance(client: Client, week_of: WeekOf = ""):
    out = to_json(await client.compliance(week_of))
    # Every town with all its figures, zeros included (MessageToDict leaves zeros out).
    for t in out.get("towns", []):
        t.setdefault("farm_programmes", 0)
        t.setdefault("gap", 0)
        t.setdefault("by_topic", {})
        t.setdefault("by_day", [0] * 7)
        t.setdefault("plays", {})
        t.setdefault("aired", 0)
        t.setdefault("resumed", 0)
        t.setdefault("tv_households", 0)
        t.setdefault("villages_reached", 0)
    out.setdefault("towns_short", 0)
    return out


class NewController(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"controller_id": "XC-001-A", "village_code": "330411103001", "endpoint": "http://10.33.1.20/play"}
            ]
        },
    )
    controller_id: str = Field(min_length=1, max_length=64, pattern="^[A-Za-z0-9][A-Za-z0-9._-]*$")
    village_code: str = Field(pattern="^[0-9]{12}$", description="The village it serves (its town: the first 9 digits)")
    endpoint: str = Field(
        min_length=1, max_length=500, pattern=LINE, description="its http(s) URL, on the controllers' allow-list"
    )


@router.post(
    "/controllers",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="An editor registers a village loudspeaker controller (again: moves it); it plays the town's "
    "loudspeaker slots at their time and reports each (400 on endpoint when not on the allow-list)",
    responses={201: body(pb.LoudspeakerController)},
)
async def register_controller(client: Client, body: NewController):
    return to_json(await client.register_controller(pb.RegisterControllerRequest(**body.model_dump())))


@pages.get("/compliance", include_in_schema=False)
async def compliance_page():
    return FileResponse(STATIC / "compliance.html", media_type="text/html")


@pages.get("/venue", include_in_schema=False)
async def venue_page():
    """The field class's screen at the venue: the rotating check-in code as a QR code (staff)."""
    return FileResponse(STATIC / "venue.html", media_type="text/html")


@pages.get("/check-in", include_in_schema=False)
async def check_in_page():
    """Where the venue's QR code points: read by the phone app's scanner; a phone's own camera app
    lands here and is told to open the phone app."""
    return FileResponse(STATIC / "check-in.html", media_type="text/html")


# --- on demand: progress, my courses, programmes today, the TV's home tile ---

Member = Annotated[str, Field(min_length=1, max_length=20, pattern=LINE, description="who watches, e.g. 爷爷")]


class PlaybackReport(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"member": "爷爷", "position_seconds": 120}]}
    )
    member: Member
    position_seconds: int = Field(ge=0, le=86400, description="where playback is now (within the lesson)")


EpisodeId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The episode's id")]


@router.put(
    "/episodes/{episode_id}/progress",
    dependencies=[Depends(json_body)],
    summary="A household member's playback position in a lesson (what counts as watched only moves forward)",
    responses={200: body(pb.LessonProgress)},
)
async def report_progress(client: Client, episode_id: EpisodeId, body: PlaybackReport):
    r = pb.ReportProgressRequest(episode_id=episode_id, member=body.member, position_seconds=body.position_seconds)
    out = to_json(await client.report(r))
    for k in ("watched_seconds", "percent", "position_seconds"):
        out.setdefault(k, 0)
    out.setdefault("completed", False)
    return out


@router.get(
    "/my-courses",
    summary="The household's courses per member, with where to resume",
    responses={200: body(pb.ListMyCoursesResponse)},
)
async def my_courses(
    client: Client, member: Annotated[str, Query(max_length=20, pattern=LINE, description="empty: every member")] = ""
):
    out = to_json(await client.my_courses(member))
    out.setdefault("courses", [])
    for c in out["courses"]:
        for k in ("completed_lessons", "percent", "resume_position_seconds"):
            c.setdefault(k, 0)
    return out


@router.get("/today", summary="Today's programmes of the household's town", responses={200: body(pb.ProgrammesToday)})
async def today(client: Client):
    out = to_json(await client.today())
    out.setdefault("slots", [])
    return out


# --- the air classroom (空中课堂) ---

SessionId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID, description="The session's id")]


class NewSession(BaseModel):
    model_config = ConfigDict(extra="forbid")
    episode_id: str = Field(min_length=1, max_length=36, pattern=ID)
    village_code: str = Field(pattern="^[0-9]{12}$", description="a village of the episode's town")
    place: str = Field(min_length=1, max_length=100, pattern=LINE)
    starts_at: Instant
    ends_at: Instant
    capacity: int = Field(ge=1, le=500)


@router.post(
    "/sessions",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="An editor plans a field class after an episode",
    responses={201: body(pb.ClassSession), **problems(404)},
)
async def plan_session(client: Client, body: NewSession):
    r = pb.PlanSessionRequest(
        episode_id=body.episode_id,
        village_code=body.village_code,
        place=body.place,
        starts_at=to_timestamp(body.starts_at),
        ends_at=to_timestamp(body.ends_at),
        capacity=body.capacity,
    )
    return to_json(await client.plan_session(r))


@router.get(
    "/sessions",
    summary="A town's field classes not yet over, with places left (empty town_code: the household's own)",
    responses={200: body(pb.ListSessionsResponse), **problems(404)},
)
async def sessions(
    client: Client, town_code: Annotated[str, Query(pattern="^([0-9]{9})?$", description="9 digits, or empty")] = ""
):
    out = to_json(await client.sessions(town_code))
    out.setdefault("sessions", [])
    for x in out["sessions"]:
        x.setdefault("places_left", 0)
    return out


class NewSignUp(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"member": "爷爷"}]})
    member: Member
    wait: bool = Field(default=False, description="when full: a place on the waiting list (state waiting)")


@router.post(
    "/sessions/{session_id}/sign-ups",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A household member takes a place, or waits for one (wait), or takes a place offered to them "
    "(409 when full, not open, begun, or signed up or waiting already)",
    responses={201: body(pb.SignUpResult), **problems(404, 409)},
)
async def sign_up(client: Client, session_id: SessionId, body: NewSignUp):
    out = to_json(await client.sign_up(session_id, body.member, body.wait))
    out.get("session", {}).setdefault("places_left", 0)
    return out


class Cancel(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"member": "爷爷"}]})
    member: Member


@router.post(
    "/sessions/{session_id}/sign-ups/cancel",
    dependencies=[Depends(json_body)],
    summary="A household member gives up their place or leaves the waiting list; the place is offered to "
    "the next waiting (409 without a place, or past the cancellation deadline)",
    responses={200: body(pb.CancelSignUpResult), **problems(404, 409)},
)
async def cancel_sign_up(client: Client, session_id: SessionId, body: Cancel):
    out = to_json(await client.cancel_sign_up(session_id, body.member))
    out.setdefault("offered", 0)
    out.get("cancelled", {}).get("session", {}).setdefault("places_left", 0)
    return out


@router.get(
    "/sessions/{session_id}/check-in-code",
    summary="The venue's rotating check-in code and when it changes (the town's editors, the village's agent; "
    "403 for anyone else)",
    responses={200: body(pb.CheckInCode), **problems(404)},
)
async def check_in_code(client: Client, session_id: SessionId):
    return to_json(await client.check_in_code(session_id))


# The venue's code: digits (the district's data says how many), typed on a TV's number keys.
CHECK_IN_CODE = "^[0-9]{1,16}$"


@router.get(
    "/check-in-qr.svg",
    summary="The QR code the venue's screen shows for a session's current code, as SVG: the phone app's "
    "scanner reads the session and the code from it (the code itself is what the service checks)",
    responses={200: body({"type": "string"}, "The QR code", "image/svg+xml")},
)
async def check_in_qr(
    request: Request,
    session_id: Annotated[str, Query(min_length=1, max_length=36, pattern=ID, description="The session's id")],
    code: Annotated[str, Query(pattern=CHECK_IN_CODE, description="The code the venue shows now")],
):
    await request.app.state.security.open(request)
    address = request.url_for("check_in_page").include_query_params(session_id=session_id, code=code)
    return Response(qr_svg(str(address)), media_type="image/svg+xml", headers={"Cache-Control": "max-age=600"})


class NewCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"member": "本人", "code": "042917"}]})
    member: Member
    code: str = Field(pattern=CHECK_IN_CODE, description="the code the venue's screen shows now")


@router.post(
    "/sessions/{session_id}/check-in",
    dependencies=[Depends(json_body)],
    summary="A member checks in with the venue's code: present, or late after the district's threshold (400 on "
    "a wrong or expired code, or another session's; 409 when not signed up, checked in already, not open or over)",
    responses={200: body(pb.AttendanceEntry), **problems(404, 409)},
)
async def check_in(client: Client, session_id: SessionId, body: NewCheckIn):
    return to_json(await client.check_in(pb.CheckInRequest(session_id=session_id, member=body.member, code=body.code)))


@router.get(
    "/sessions/{session_id}/roster",
    summary="Who has a place in the session, with their household and attendance so far (the town's editors, "
    "the village's agent; 403 for anyone else): the venue's list for recording whoever missed the code",
    responses={200: body(pb.Roster), **problems(404)},
)
async def roster(client: Client, session_id: SessionId):
    out = to_json(await client.roster(session_id))
    out.setdefault("entries", [])
    for e in out["entries"]:
        e.setdefault("status", "")
    return out


class AgentRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    household_id: str = Field(min_length=1, max_length=36, pattern=ID)
    consent: str = Field(min_length=1, max_length=200, pattern=LINE)
    member: Member
    status: str = Field(max_length=16, pattern=CODE, description="present, late, excused")


@router.post(
    "/sessions/{session_id}/attendance",
    dependencies=[Depends(json_body)],
    summary="The village agent records a member's attendance, with the household's consent (someone who missed "
    "the code; 403 for anyone else, 409 when not signed up or, but excused, before the session's start)",
    responses={200: body(pb.AttendanceEntry), **problems(404, 409)},
)
async def record_attendance(client: Client, session_id: SessionId, body: AgentRecord):
    r = pb.RecordAttendanceRequest(session_id=session_id, **body.model_dump())
    return to_json(await client.record_attendance(r))


@router.get(
    "/series/{series_id}/attendance",
    summary="A member's attendance in a course's field classes",
    responses={200: body(pb.AttendanceRecord), **problems(404)},
)
async def attendance(
    client: Client, series_id: SeriesId, member: Annotated[str, Query(min_length=1, max_length=20, pattern=LINE)]
):
    out = to_json(await client.attendance(series_id, member))
    for k in ("attended", "counted", "percent"):
        out.setdefault(k, 0)
    out.setdefault("complete", False)
    out.setdefault("sessions", [])
    return out


@router.post(
    "/series/{series_id}/certificate",
    dependencies=[Depends(json_body)],
    summary="The certificate of completion (409 while sessions are to come or too few were attended)",
    responses={200: body(pb.Certificate), **problems(404, 409)},
)
async def certificate(client: Client, series_id: SeriesId, body: NewSignUp):
    out = to_json(await client.certificate(series_id, body.member))
    for k in ("attended", "counted"):
        out.setdefault(k, 0)
    return out


# --- listeners: following (and the reminders), questions, ratings, audience ---


class Following(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"following": True}]})
    following: bool = Field(description="true: remind the household before the series' programmes; false: stop")


@router.put(
    "/series/{series_id}/follow",
    dependencies=[Depends(json_body)],
    summary="A household follows a series (快开播了 on its TV before each of its programmes in its town) or stops",
    responses={200: body(pb.FollowState), **problems(404)},
)
async def follow(client: Client, series_id: SeriesId, body: Following):
    out = to_json(await client.follow(series_id, body.following))
    out.setdefault("following", False)
    return out


@router.get("/following", summary="The series the household follows", responses={200: body(pb.ListFollowingResponse)})
async def following(client: Client):
    out = to_json(await client.following())
    out.setdefault("series", [])
    return out


class NewQuestion(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"member": "爷爷", "text": "油菜什么时候追肥最好？"}]}
    )
    member: Member
    text: str = Field(min_length=1, max_length=1000, pattern=TEXT, description="the district's 300 is the service's")


@router.post(
    "/episodes/{episode_id}/questions",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A listener's question to the presenter, for the next episode (409 past the questions per household)",
    responses={201: body(pb.Question), **problems(404, 409)},
)
async def ask(client: Client, episode_id: EpisodeId, body: NewQuestion):
    return to_json(await client.ask(pb.AskQuestionRequest(episode_id=episode_id, **body.model_dump())))


class NewRating(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"member": "爷爷", "level": "very_satisfied"}]}
    )
    member: Member
    level: str = Field(
        max_length=32,
        pattern=CODE,
        description="好差评: very_satisfied, satisfied, basically_satisfied, dissatisfied, very_dissatisfied",
    )
    comment: str = Field(default="", max_length=1000, pattern=TEXT, description="the district's 200 is the service's")


@router.post(
    "/episodes/{episode_id}/rating",
    status_code=201,
    dependencies=[Depends(json_body)],
    summary="A household member's 好差评 of an episode, once (409 the second time)",
    responses={201: body(pb.EpisodeRating), **problems(404, 409)},
)
async def rate(client: Client, episode_id: EpisodeId, body: NewRating):
    return to_json(await client.rate(pb.RateEpisodeRequest(episode_id=episode_id, **body.model_dump())))


@router.get(
    "/series/{series_id}/listeners",
    summary="A series' episodes with their audience (TV households, villages on the loudspeakers), ratings and "
    "questions (its town's editors)",
    responses={200: body(pb.SeriesListeners), **problems(404)},
)
async def listeners(client: Client, series_id: SeriesId):
    out = to_json(await client.listeners(series_id))
    out.setdefault("episodes", [])
    for e in out["episodes"]:
        for k in ("tv_households", "tv_members", "completed", "villages", "satisfied_percent"):
            e.setdefault(k, 0)
        e.setdefault("ratings", {})
        e.setdefault("questions", [])
    return out


async def home_tile(request: Request, caller: Caller, token: str) -> dict | None:
    """The farm programmes tile of a household's TV home screen: the town's brand and today's
    programmes still to come (time and channel), opening the screen education; None for anyone else."""
    if not caller.is_household():
        return None
    t = to_json(await Education.of(request, token).today())
    items = [
        {
            "title": s.get("episode_title", ""),
            "detail": f"{s.get('series_title', '')} · {s.get('channel_name', '')}",
            "id": s["id"],
            "state": s.get("channel", ""),
            "at": s["starts_at"],
        }
        for s in t.get("slots", [])
    ][:TILE_ITEMS]
    title = f"今日节目 · {t['brand']}" if t.get("brand") else "今日节目"
    return {"service": "education", "title": title, "screen": TV_SCREEN, "items": items}


TILE = obj(
    service={"type": "string", "const": "education"},
    title={"type": "string"},
    screen={"type": "string"},
    items=array(HOME_ITEM),
)


@router.get("/home-tile", summary="The programmes tile of the household's TV home screen", responses={200: body(TILE)})
async def get_home_tile(request: Request, auth: SignedIn):
    tile = await home_tile(request, auth[0], auth[1])
    if tile is None:
        raise Problem(403, "the home screen's tile is a household's")
    return tile
