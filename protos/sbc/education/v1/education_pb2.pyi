import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FollowSeriesRequest(_message.Message):
    __slots__ = ("series_id", "following")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOWING_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    following: bool
    def __init__(self, series_id: _Optional[str] = ..., following: _Optional[bool] = ...) -> None: ...

class FollowState(_message.Message):
    __slots__ = ("series_id", "following")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOWING_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    following: bool
    def __init__(self, series_id: _Optional[str] = ..., following: _Optional[bool] = ...) -> None: ...

class ListFollowingRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFollowingResponse(_message.Message):
    __slots__ = ("series",)
    SERIES_FIELD_NUMBER: _ClassVar[int]
    series: _containers.RepeatedCompositeFieldContainer[Series]
    def __init__(self, series: _Optional[_Iterable[_Union[Series, _Mapping]]] = ...) -> None: ...

class AskQuestionRequest(_message.Message):
    __slots__ = ("episode_id", "member", "text")
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    member: str
    text: str
    def __init__(self, episode_id: _Optional[str] = ..., member: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class Question(_message.Message):
    __slots__ = ("id", "episode_id", "member", "text", "asked_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ASKED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    episode_id: str
    member: str
    text: str
    asked_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., episode_id: _Optional[str] = ..., member: _Optional[str] = ..., text: _Optional[str] = ..., asked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RateEpisodeRequest(_message.Message):
    __slots__ = ("episode_id", "member", "level", "comment")
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    member: str
    level: str
    comment: str
    def __init__(self, episode_id: _Optional[str] = ..., member: _Optional[str] = ..., level: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class EpisodeRating(_message.Message):
    __slots__ = ("id", "episode_id", "member", "level", "comment", "rated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    RATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    episode_id: str
    member: str
    level: str
    comment: str
    rated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., episode_id: _Optional[str] = ..., member: _Optional[str] = ..., level: _Optional[str] = ..., comment: _Optional[str] = ..., rated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetSeriesListenersRequest(_message.Message):
    __slots__ = ("series_id",)
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    def __init__(self, series_id: _Optional[str] = ...) -> None: ...

class EpisodeListeners(_message.Message):
    __slots__ = ("episode_id", "number", "title", "tv_households", "tv_members", "completed", "villages", "ratings", "satisfied_percent", "questions")
    class RatingsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TV_HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    TV_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_FIELD_NUMBER: _ClassVar[int]
    RATINGS_FIELD_NUMBER: _ClassVar[int]
    SATISFIED_PERCENT_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    number: int
    title: str
    tv_households: int
    tv_members: int
    completed: int
    villages: int
    ratings: _containers.ScalarMap[str, int]
    satisfied_percent: int
    questions: _containers.RepeatedCompositeFieldContainer[Question]
    def __init__(self, episode_id: _Optional[str] = ..., number: _Optional[int] = ..., title: _Optional[str] = ..., tv_households: _Optional[int] = ..., tv_members: _Optional[int] = ..., completed: _Optional[int] = ..., villages: _Optional[int] = ..., ratings: _Optional[_Mapping[str, int]] = ..., satisfied_percent: _Optional[int] = ..., questions: _Optional[_Iterable[_Union[Question, _Mapping]]] = ...) -> None: ...

class SeriesListeners(_message.Message):
    __slots__ = ("series", "episodes")
    SERIES_FIELD_NUMBER: _ClassVar[int]
    EPISODES_FIELD_NUMBER: _ClassVar[int]
    series: Series
    episodes: _containers.RepeatedCompositeFieldContainer[EpisodeListeners]
    def __init__(self, series: _Optional[_Union[Series, _Mapping]] = ..., episodes: _Optional[_Iterable[_Union[EpisodeListeners, _Mapping]]] = ...) -> None: ...

class RegisterControllerRequest(_message.Message):
    __slots__ = ("controller_id", "village_code", "endpoint")
    CONTROLLER_ID_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    controller_id: str
    village_code: str
    endpoint: str
    def __init__(self, controller_id: _Optional[str] = ..., village_code: _Optional[str] = ..., endpoint: _Optional[str] = ...) -> None: ...

class LoudspeakerController(_message.Message):
    __slots__ = ("id", "town_code", "village_code", "endpoint", "registered_by", "registered_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    town_code: str
    village_code: str
    endpoint: str
    registered_by: str
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., town_code: _Optional[str] = ..., village_code: _Optional[str] = ..., endpoint: _Optional[str] = ..., registered_by: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClassSession(_message.Message):
    __slots__ = ("id", "episode_id", "series_id", "town_code", "village_code", "place", "starts_at", "ends_at", "capacity", "places_left", "episode_title")
    ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    PLACES_LEFT_FIELD_NUMBER: _ClassVar[int]
    EPISODE_TITLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    episode_id: str
    series_id: str
    town_code: str
    village_code: str
    place: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    capacity: int
    places_left: int
    episode_title: str
    def __init__(self, id: _Optional[str] = ..., episode_id: _Optional[str] = ..., series_id: _Optional[str] = ..., town_code: _Optional[str] = ..., village_code: _Optional[str] = ..., place: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., capacity: _Optional[int] = ..., places_left: _Optional[int] = ..., episode_title: _Optional[str] = ...) -> None: ...

class PlanSessionRequest(_message.Message):
    __slots__ = ("episode_id", "village_code", "place", "starts_at", "ends_at", "capacity")
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    village_code: str
    place: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    capacity: int
    def __init__(self, episode_id: _Optional[str] = ..., village_code: _Optional[str] = ..., place: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., capacity: _Optional[int] = ...) -> None: ...

class ListSessionsRequest(_message.Message):
    __slots__ = ("town_code",)
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    def __init__(self, town_code: _Optional[str] = ...) -> None: ...

class ListSessionsResponse(_message.Message):
    __slots__ = ("sessions",)
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[ClassSession]
    def __init__(self, sessions: _Optional[_Iterable[_Union[ClassSession, _Mapping]]] = ...) -> None: ...

class SignUpRequest(_message.Message):
    __slots__ = ("session_id", "member", "wait")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    member: str
    wait: bool
    def __init__(self, session_id: _Optional[str] = ..., member: _Optional[str] = ..., wait: _Optional[bool] = ...) -> None: ...

class CancelSignUpRequest(_message.Message):
    __slots__ = ("session_id", "member")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    member: str
    def __init__(self, session_id: _Optional[str] = ..., member: _Optional[str] = ...) -> None: ...

class CancelSignUpResult(_message.Message):
    __slots__ = ("cancelled", "offered")
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    OFFERED_FIELD_NUMBER: _ClassVar[int]
    cancelled: SignUpResult
    offered: int
    def __init__(self, cancelled: _Optional[_Union[SignUpResult, _Mapping]] = ..., offered: _Optional[int] = ...) -> None: ...

class SignUpResult(_message.Message):
    __slots__ = ("sign_up_id", "session", "member", "state")
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    sign_up_id: str
    session: ClassSession
    member: str
    state: str
    def __init__(self, sign_up_id: _Optional[str] = ..., session: _Optional[_Union[ClassSession, _Mapping]] = ..., member: _Optional[str] = ..., state: _Optional[str] = ...) -> None: ...

class GetCheckInCodeRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class CheckInCode(_message.Message):
    __slots__ = ("session_id", "code", "changes_at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    CHANGES_AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    code: str
    changes_at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., code: _Optional[str] = ..., changes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CheckInRequest(_message.Message):
    __slots__ = ("session_id", "member", "code", "household_id")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    member: str
    code: str
    household_id: str
    def __init__(self, session_id: _Optional[str] = ..., member: _Optional[str] = ..., code: _Optional[str] = ..., household_id: _Optional[str] = ...) -> None: ...

class RecordAttendanceRequest(_message.Message):
    __slots__ = ("session_id", "household_id", "consent", "member", "status")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    household_id: str
    consent: str
    member: str
    status: str
    def __init__(self, session_id: _Optional[str] = ..., household_id: _Optional[str] = ..., consent: _Optional[str] = ..., member: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class AttendanceEntry(_message.Message):
    __slots__ = ("session_id", "member", "status", "recorded_by", "recorded_at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    member: str
    status: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., member: _Optional[str] = ..., status: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetRosterRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class RosterEntry(_message.Message):
    __slots__ = ("household_id", "member", "status", "recorded_by", "recorded_at")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    member: str
    status: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, household_id: _Optional[str] = ..., member: _Optional[str] = ..., status: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Roster(_message.Message):
    __slots__ = ("session_id", "entries")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    entries: _containers.RepeatedCompositeFieldContainer[RosterEntry]
    def __init__(self, session_id: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[RosterEntry, _Mapping]]] = ...) -> None: ...

class GetMyAttendanceRequest(_message.Message):
    __slots__ = ("series_id", "member")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    member: str
    def __init__(self, series_id: _Optional[str] = ..., member: _Optional[str] = ...) -> None: ...

class SessionStatus(_message.Message):
    __slots__ = ("session_id", "starts_at", "status")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    starts_at: _timestamp_pb2.Timestamp
    status: str
    def __init__(self, session_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ...) -> None: ...

class AttendanceRecord(_message.Message):
    __slots__ = ("series_id", "member", "sessions", "attended", "counted", "percent", "complete")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    ATTENDED_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    member: str
    sessions: _containers.RepeatedCompositeFieldContainer[SessionStatus]
    attended: int
    counted: int
    percent: int
    complete: bool
    def __init__(self, series_id: _Optional[str] = ..., member: _Optional[str] = ..., sessions: _Optional[_Iterable[_Union[SessionStatus, _Mapping]]] = ..., attended: _Optional[int] = ..., counted: _Optional[int] = ..., percent: _Optional[int] = ..., complete: _Optional[bool] = ...) -> None: ...

class IssueCertificateRequest(_message.Message):
    __slots__ = ("series_id", "member")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    member: str
    def __init__(self, series_id: _Optional[str] = ..., member: _Optional[str] = ...) -> None: ...

class Certificate(_message.Message):
    __slots__ = ("id", "series_id", "series_title", "member", "attended", "counted", "issued_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_TITLE_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    ATTENDED_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    series_id: str
    series_title: str
    member: str
    attended: int
    counted: int
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., series_id: _Optional[str] = ..., series_title: _Optional[str] = ..., member: _Optional[str] = ..., attended: _Optional[int] = ..., counted: _Optional[int] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetProgrammesTodayRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ProgrammesToday(_message.Message):
    __slots__ = ("date", "town_code", "town_name", "brand", "slots")
    DATE_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TOWN_NAME_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    date: str
    town_code: str
    town_name: str
    brand: str
    slots: _containers.RepeatedCompositeFieldContainer[Slot]
    def __init__(self, date: _Optional[str] = ..., town_code: _Optional[str] = ..., town_name: _Optional[str] = ..., brand: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[Slot, _Mapping]]] = ...) -> None: ...

class ReportProgressRequest(_message.Message):
    __slots__ = ("episode_id", "member", "position_seconds")
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    POSITION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    member: str
    position_seconds: int
    def __init__(self, episode_id: _Optional[str] = ..., member: _Optional[str] = ..., position_seconds: _Optional[int] = ...) -> None: ...

class LessonProgress(_message.Message):
    __slots__ = ("episode_id", "series_id", "member", "duration_seconds", "watched_seconds", "percent", "position_seconds", "completed", "completed_at", "updated_at")
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    WATCHED_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    POSITION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    series_id: str
    member: str
    duration_seconds: int
    watched_seconds: int
    percent: int
    position_seconds: int
    completed: bool
    completed_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, episode_id: _Optional[str] = ..., series_id: _Optional[str] = ..., member: _Optional[str] = ..., duration_seconds: _Optional[int] = ..., watched_seconds: _Optional[int] = ..., percent: _Optional[int] = ..., position_seconds: _Optional[int] = ..., completed: _Optional[bool] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListMyCoursesRequest(_message.Message):
    __slots__ = ("member",)
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    member: str
    def __init__(self, member: _Optional[str] = ...) -> None: ...

class Course(_message.Message):
    __slots__ = ("series_id", "title", "town_code", "member", "lessons", "completed_lessons", "percent", "completed", "resume_episode_id", "resume_episode_title", "resume_position_seconds", "resume_media_url")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    LESSONS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_LESSONS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RESUME_EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    RESUME_EPISODE_TITLE_FIELD_NUMBER: _ClassVar[int]
    RESUME_POSITION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    RESUME_MEDIA_URL_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    title: str
    town_code: str
    member: str
    lessons: int
    completed_lessons: int
    percent: int
    completed: bool
    resume_episode_id: str
    resume_episode_title: str
    resume_position_seconds: int
    resume_media_url: str
    def __init__(self, series_id: _Optional[str] = ..., title: _Optional[str] = ..., town_code: _Optional[str] = ..., member: _Optional[str] = ..., lessons: _Optional[int] = ..., completed_lessons: _Optional[int] = ..., percent: _Optional[int] = ..., completed: _Optional[bool] = ..., resume_episode_id: _Optional[str] = ..., resume_episode_title: _Optional[str] = ..., resume_position_seconds: _Optional[int] = ..., resume_media_url: _Optional[str] = ...) -> None: ...

class ListMyCoursesResponse(_message.Message):
    __slots__ = ("courses",)
    COURSES_FIELD_NUMBER: _ClassVar[int]
    courses: _containers.RepeatedCompositeFieldContainer[Course]
    def __init__(self, courses: _Optional[_Iterable[_Union[Course, _Mapping]]] = ...) -> None: ...

class Brand(_message.Message):
    __slots__ = ("name", "description", "check")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    check: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., check: _Optional[bool] = ...) -> None: ...

class Town(_message.Message):
    __slots__ = ("code", "name", "kind", "brand")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    kind: str
    brand: Brand
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., brand: _Optional[_Union[Brand, _Mapping]] = ...) -> None: ...

class ListTownsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTownsResponse(_message.Message):
    __slots__ = ("towns", "farm_programmes_per_week")
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    FARM_PROGRAMMES_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    towns: _containers.RepeatedCompositeFieldContainer[Town]
    farm_programmes_per_week: int
    def __init__(self, towns: _Optional[_Iterable[_Union[Town, _Mapping]]] = ..., farm_programmes_per_week: _Optional[int] = ...) -> None: ...

class GetProgrammeCommitmentsRequest(_message.Message):
    __slots__ = ("district_code",)
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    district_code: str
    def __init__(self, district_code: _Optional[str] = ...) -> None: ...

class ProgrammeCommitments(_message.Message):
    __slots__ = ("district_code", "district_name", "farm_programmes_per_week", "counted_channels", "source", "playout_channel", "send_ahead_seconds", "towns")
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_NAME_FIELD_NUMBER: _ClassVar[int]
    FARM_PROGRAMMES_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    COUNTED_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PLAYOUT_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SEND_AHEAD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    district_code: str
    district_name: str
    farm_programmes_per_week: int
    counted_channels: _containers.RepeatedScalarFieldContainer[str]
    source: str
    playout_channel: str
    send_ahead_seconds: int
    towns: _containers.RepeatedCompositeFieldContainer[Town]
    def __init__(self, district_code: _Optional[str] = ..., district_name: _Optional[str] = ..., farm_programmes_per_week: _Optional[int] = ..., counted_channels: _Optional[_Iterable[str]] = ..., source: _Optional[str] = ..., playout_channel: _Optional[str] = ..., send_ahead_seconds: _Optional[int] = ..., towns: _Optional[_Iterable[_Union[Town, _Mapping]]] = ...) -> None: ...

class Series(_message.Message):
    __slots__ = ("id", "town_code", "title", "description", "local", "created_by", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    LOCAL_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    town_code: str
    title: str
    description: str
    local: bool
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., town_code: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., local: _Optional[bool] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateSeriesRequest(_message.Message):
    __slots__ = ("town_code", "title", "description", "local")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    LOCAL_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    title: str
    description: str
    local: bool
    def __init__(self, town_code: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., local: _Optional[bool] = ...) -> None: ...

class ListSeriesRequest(_message.Message):
    __slots__ = ("town_code",)
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    def __init__(self, town_code: _Optional[str] = ...) -> None: ...

class ListSeriesResponse(_message.Message):
    __slots__ = ("series",)
    SERIES_FIELD_NUMBER: _ClassVar[int]
    series: _containers.RepeatedCompositeFieldContainer[Series]
    def __init__(self, series: _Optional[_Iterable[_Union[Series, _Mapping]]] = ...) -> None: ...

class Episode(_message.Message):
    __slots__ = ("id", "series_id", "town_code", "number", "title", "kind", "topic", "duration_seconds", "presenters", "media_url")
    ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PRESENTERS_FIELD_NUMBER: _ClassVar[int]
    MEDIA_URL_FIELD_NUMBER: _ClassVar[int]
    id: str
    series_id: str
    town_code: str
    number: int
    title: str
    kind: str
    topic: str
    duration_seconds: int
    presenters: _containers.RepeatedScalarFieldContainer[str]
    media_url: str
    def __init__(self, id: _Optional[str] = ..., series_id: _Optional[str] = ..., town_code: _Optional[str] = ..., number: _Optional[int] = ..., title: _Optional[str] = ..., kind: _Optional[str] = ..., topic: _Optional[str] = ..., duration_seconds: _Optional[int] = ..., presenters: _Optional[_Iterable[str]] = ..., media_url: _Optional[str] = ...) -> None: ...

class AddEpisodeRequest(_message.Message):
    __slots__ = ("series_id", "number", "title", "kind", "topic", "duration_seconds", "presenters", "media_url")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PRESENTERS_FIELD_NUMBER: _ClassVar[int]
    MEDIA_URL_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    number: int
    title: str
    kind: str
    topic: str
    duration_seconds: int
    presenters: _containers.RepeatedScalarFieldContainer[str]
    media_url: str
    def __init__(self, series_id: _Optional[str] = ..., number: _Optional[int] = ..., title: _Optional[str] = ..., kind: _Optional[str] = ..., topic: _Optional[str] = ..., duration_seconds: _Optional[int] = ..., presenters: _Optional[_Iterable[str]] = ..., media_url: _Optional[str] = ...) -> None: ...

class ListEpisodesRequest(_message.Message):
    __slots__ = ("series_id",)
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    def __init__(self, series_id: _Optional[str] = ...) -> None: ...

class ListEpisodesResponse(_message.Message):
    __slots__ = ("episodes",)
    EPISODES_FIELD_NUMBER: _ClassVar[int]
    episodes: _containers.RepeatedCompositeFieldContainer[Episode]
    def __init__(self, episodes: _Optional[_Iterable[_Union[Episode, _Mapping]]] = ...) -> None: ...

class Slot(_message.Message):
    __slots__ = ("id", "town_code", "channel", "episode_id", "episode_title", "series_title", "topic", "starts_at", "ends_at", "local", "farm", "state", "scheduled_by", "channel_name", "series_id", "resumes", "from_seconds")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_TITLE_FIELD_NUMBER: _ClassVar[int]
    SERIES_TITLE_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    LOCAL_FIELD_NUMBER: _ClassVar[int]
    FARM_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_NAME_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    RESUMES_FIELD_NUMBER: _ClassVar[int]
    FROM_SECONDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    town_code: str
    channel: str
    episode_id: str
    episode_title: str
    series_title: str
    topic: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    local: bool
    farm: bool
    state: str
    scheduled_by: str
    channel_name: str
    series_id: str
    resumes: str
    from_seconds: int
    def __init__(self, id: _Optional[str] = ..., town_code: _Optional[str] = ..., channel: _Optional[str] = ..., episode_id: _Optional[str] = ..., episode_title: _Optional[str] = ..., series_title: _Optional[str] = ..., topic: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., local: _Optional[bool] = ..., farm: _Optional[bool] = ..., state: _Optional[str] = ..., scheduled_by: _Optional[str] = ..., channel_name: _Optional[str] = ..., series_id: _Optional[str] = ..., resumes: _Optional[str] = ..., from_seconds: _Optional[int] = ...) -> None: ...

class ScheduleSlotRequest(_message.Message):
    __slots__ = ("town_code", "channel", "episode_id", "starts_at")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    channel: str
    episode_id: str
    starts_at: _timestamp_pb2.Timestamp
    def __init__(self, town_code: _Optional[str] = ..., channel: _Optional[str] = ..., episode_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CancelSlotRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListScheduleRequest(_message.Message):
    __slots__ = ("town_code", "week_of")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    WEEK_OF_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    week_of: str
    def __init__(self, town_code: _Optional[str] = ..., week_of: _Optional[str] = ...) -> None: ...

class ListScheduleResponse(_message.Message):
    __slots__ = ("week_start", "slots")
    WEEK_START_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    week_start: str
    slots: _containers.RepeatedCompositeFieldContainer[Slot]
    def __init__(self, week_start: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[Slot, _Mapping]]] = ...) -> None: ...

class GetComplianceRequest(_message.Message):
    __slots__ = ("week_of",)
    WEEK_OF_FIELD_NUMBER: _ClassVar[int]
    week_of: str
    def __init__(self, week_of: _Optional[str] = ...) -> None: ...

class TownCompliance(_message.Message):
    __slots__ = ("town_code", "town_name", "brand", "required", "farm_programmes", "gap", "by_topic", "by_day", "plays", "aired", "resumed", "tv_households", "villages_reached")
    class ByTopicEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class PlaysEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TOWN_NAME_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    FARM_PROGRAMMES_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    BY_TOPIC_FIELD_NUMBER: _ClassVar[int]
    BY_DAY_FIELD_NUMBER: _ClassVar[int]
    PLAYS_FIELD_NUMBER: _ClassVar[int]
    AIRED_FIELD_NUMBER: _ClassVar[int]
    RESUMED_FIELD_NUMBER: _ClassVar[int]
    TV_HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_REACHED_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    town_name: str
    brand: str
    required: int
    farm_programmes: int
    gap: int
    by_topic: _containers.ScalarMap[str, int]
    by_day: _containers.RepeatedScalarFieldContainer[int]
    plays: _containers.ScalarMap[str, int]
    aired: int
    resumed: int
    tv_households: int
    villages_reached: int
    def __init__(self, town_code: _Optional[str] = ..., town_name: _Optional[str] = ..., brand: _Optional[str] = ..., required: _Optional[int] = ..., farm_programmes: _Optional[int] = ..., gap: _Optional[int] = ..., by_topic: _Optional[_Mapping[str, int]] = ..., by_day: _Optional[_Iterable[int]] = ..., plays: _Optional[_Mapping[str, int]] = ..., aired: _Optional[int] = ..., resumed: _Optional[int] = ..., tv_households: _Optional[int] = ..., villages_reached: _Optional[int] = ...) -> None: ...

class Compliance(_message.Message):
    __slots__ = ("week_start", "required", "counted_channels", "towns", "towns_short")
    WEEK_START_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    COUNTED_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    TOWNS_SHORT_FIELD_NUMBER: _ClassVar[int]
    week_start: str
    required: int
    counted_channels: _containers.RepeatedScalarFieldContainer[str]
    towns: _containers.RepeatedCompositeFieldContainer[TownCompliance]
    towns_short: int
    def __init__(self, week_start: _Optional[str] = ..., required: _Optional[int] = ..., counted_channels: _Optional[_Iterable[str]] = ..., towns: _Optional[_Iterable[_Union[TownCompliance, _Mapping]]] = ..., towns_short: _Optional[int] = ...) -> None: ...
