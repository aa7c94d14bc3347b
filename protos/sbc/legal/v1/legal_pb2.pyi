import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Content(_message.Message):
    __slots__ = ("id", "district_code", "kind", "kind_label", "topic", "topic_label", "audiences", "title", "body", "speech_text", "audio_url", "video_url", "state", "author_name", "reviewer_name", "review_note", "created_at", "reviewed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_LABEL_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    TOPIC_LABEL_FIELD_NUMBER: _ClassVar[int]
    AUDIENCES_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SPEECH_TEXT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_URL_FIELD_NUMBER: _ClassVar[int]
    VIDEO_URL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_NAME_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_NAME_FIELD_NUMBER: _ClassVar[int]
    REVIEW_NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    district_code: str
    kind: str
    kind_label: str
    topic: str
    topic_label: str
    audiences: _containers.RepeatedScalarFieldContainer[str]
    title: str
    body: str
    speech_text: str
    audio_url: str
    video_url: str
    state: str
    author_name: str
    reviewer_name: str
    review_note: str
    created_at: _timestamp_pb2.Timestamp
    reviewed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., district_code: _Optional[str] = ..., kind: _Optional[str] = ..., kind_label: _Optional[str] = ..., topic: _Optional[str] = ..., topic_label: _Optional[str] = ..., audiences: _Optional[_Iterable[str]] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., speech_text: _Optional[str] = ..., audio_url: _Optional[str] = ..., video_url: _Optional[str] = ..., state: _Optional[str] = ..., author_name: _Optional[str] = ..., reviewer_name: _Optional[str] = ..., review_note: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DraftContentRequest(_message.Message):
    __slots__ = ("kind", "topic", "audiences", "title", "body", "speech_text", "audio_url", "video_url", "idempotency_key")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    AUDIENCES_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SPEECH_TEXT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_URL_FIELD_NUMBER: _ClassVar[int]
    VIDEO_URL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    kind: str
    topic: str
    audiences: _containers.RepeatedScalarFieldContainer[str]
    title: str
    body: str
    speech_text: str
    audio_url: str
    video_url: str
    idempotency_key: str
    def __init__(self, kind: _Optional[str] = ..., topic: _Optional[str] = ..., audiences: _Optional[_Iterable[str]] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., speech_text: _Optional[str] = ..., audio_url: _Optional[str] = ..., video_url: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class PublishContentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ReturnContentRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class GetContentRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListContentRequest(_message.Message):
    __slots__ = ("kind", "topic", "audience", "page")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    topic: str
    audience: str
    page: _common_pb2.PageRequest
    def __init__(self, kind: _Optional[str] = ..., topic: _Optional[str] = ..., audience: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListReviewQueueRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListContentResponse(_message.Message):
    __slots__ = ("contents", "page")
    CONTENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    contents: _containers.RepeatedCompositeFieldContainer[Content]
    page: _common_pb2.PageResponse
    def __init__(self, contents: _Optional[_Iterable[_Union[Content, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ConsultationMessage(_message.Message):
    __slots__ = ("kind", "text", "author_kind", "author_name", "at")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_KIND_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_NAME_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    text: str
    author_kind: str
    author_name: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[str] = ..., text: _Optional[str] = ..., author_kind: _Optional[str] = ..., author_name: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Consultation(_message.Message):
    __slots__ = ("id", "district_code", "village_code", "household_id", "asker_kind", "asker_name", "topic", "topic_label", "advisor_name", "state", "asked_at", "due_at", "escalated_percent", "messages", "follow_ups", "rating_level", "created_at", "call_back_phone")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    ASKER_KIND_FIELD_NUMBER: _ClassVar[int]
    ASKER_NAME_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    TOPIC_LABEL_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ASKED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UPS_FIELD_NUMBER: _ClassVar[int]
    RATING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_PHONE_FIELD_NUMBER: _ClassVar[int]
    id: str
    district_code: str
    village_code: str
    household_id: str
    asker_kind: str
    asker_name: str
    topic: str
    topic_label: str
    advisor_name: str
    state: str
    asked_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    escalated_percent: int
    messages: _containers.RepeatedCompositeFieldContainer[ConsultationMessage]
    follow_ups: int
    rating_level: str
    created_at: _timestamp_pb2.Timestamp
    call_back_phone: str
    def __init__(self, id: _Optional[str] = ..., district_code: _Optional[str] = ..., village_code: _Optional[str] = ..., household_id: _Optional[str] = ..., asker_kind: _Optional[str] = ..., asker_name: _Optional[str] = ..., topic: _Optional[str] = ..., topic_label: _Optional[str] = ..., advisor_name: _Optional[str] = ..., state: _Optional[str] = ..., asked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalated_percent: _Optional[int] = ..., messages: _Optional[_Iterable[_Union[ConsultationMessage, _Mapping]]] = ..., follow_ups: _Optional[int] = ..., rating_level: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., call_back_phone: _Optional[str] = ...) -> None: ...

class AskQuestionRequest(_message.Message):
    __slots__ = ("topic", "question", "household_id", "household_area_code", "consent", "idempotency_key", "call_back_phone")
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_PHONE_FIELD_NUMBER: _ClassVar[int]
    topic: str
    question: str
    household_id: str
    household_area_code: str
    consent: str
    idempotency_key: str
    call_back_phone: str
    def __init__(self, topic: _Optional[str] = ..., question: _Optional[str] = ..., household_id: _Optional[str] = ..., household_area_code: _Optional[str] = ..., consent: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., call_back_phone: _Optional[str] = ...) -> None: ...

class GetAskingChoicesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AskingTopic(_message.Message):
    __slots__ = ("code", "label", "questions")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    code: str
    label: str
    questions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, code: _Optional[str] = ..., label: _Optional[str] = ..., questions: _Optional[_Iterable[str]] = ...) -> None: ...

class AskingChoices(_message.Message):
    __slots__ = ("topics", "call_back")
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_FIELD_NUMBER: _ClassVar[int]
    topics: _containers.RepeatedCompositeFieldContainer[AskingTopic]
    call_back: str
    def __init__(self, topics: _Optional[_Iterable[_Union[AskingTopic, _Mapping]]] = ..., call_back: _Optional[str] = ...) -> None: ...

class GetConsultationRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListConsultationsRequest(_message.Message):
    __slots__ = ("escalated_only", "page")
    ESCALATED_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    escalated_only: bool
    page: _common_pb2.PageRequest
    def __init__(self, escalated_only: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListConsultationsResponse(_message.Message):
    __slots__ = ("consultations", "page")
    CONSULTATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    consultations: _containers.RepeatedCompositeFieldContainer[Consultation]
    page: _common_pb2.PageResponse
    def __init__(self, consultations: _Optional[_Iterable[_Union[Consultation, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class AnswerQuestionRequest(_message.Message):
    __slots__ = ("id", "answer")
    ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    id: str
    answer: str
    def __init__(self, id: _Optional[str] = ..., answer: _Optional[str] = ...) -> None: ...

class AskFollowUpRequest(_message.Message):
    __slots__ = ("id", "question")
    ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    id: str
    question: str
    def __init__(self, id: _Optional[str] = ..., question: _Optional[str] = ...) -> None: ...

class RateConsultationRequest(_message.Message):
    __slots__ = ("id", "level", "indicators", "comment", "reasons")
    class IndicatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    level: str
    indicators: _containers.ScalarMap[str, int]
    comment: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., comment: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class Activity(_message.Message):
    __slots__ = ("id", "station", "station_name", "title", "roles", "capacity", "remaining", "starts_at", "ends_at", "organizer_name", "check_in_code", "waiting")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATION_FIELD_NUMBER: _ClassVar[int]
    STATION_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    ORGANIZER_NAME_FIELD_NUMBER: _ClassVar[int]
    CHECK_IN_CODE_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    id: str
    station: str
    station_name: str
    title: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    capacity: int
    remaining: int
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    organizer_name: str
    check_in_code: str
    waiting: int
    def __init__(self, id: _Optional[str] = ..., station: _Optional[str] = ..., station_name: _Optional[str] = ..., title: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., capacity: _Optional[int] = ..., remaining: _Optional[int] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., organizer_name: _Optional[str] = ..., check_in_code: _Optional[str] = ..., waiting: _Optional[int] = ...) -> None: ...

class HoursCorrectionEntry(_message.Message):
    __slots__ = ("hours_before", "hours_after", "reason", "actor", "at")
    HOURS_BEFORE_FIELD_NUMBER: _ClassVar[int]
    HOURS_AFTER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    hours_before: float
    hours_after: float
    reason: str
    actor: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, hours_before: _Optional[float] = ..., hours_after: _Optional[float] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SignUp(_message.Message):
    __slots__ = ("id", "activity_id", "activity_title", "volunteer_id", "volunteer_name", "role", "state", "checked_in_at", "checked_out_at", "hours", "corrections", "expires_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_TITLE_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    CHECKED_OUT_AT_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    CORRECTIONS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    activity_id: str
    activity_title: str
    volunteer_id: str
    volunteer_name: str
    role: str
    state: str
    checked_in_at: _timestamp_pb2.Timestamp
    checked_out_at: _timestamp_pb2.Timestamp
    hours: float
    corrections: _containers.RepeatedCompositeFieldContainer[HoursCorrectionEntry]
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., activity_id: _Optional[str] = ..., activity_title: _Optional[str] = ..., volunteer_id: _Optional[str] = ..., volunteer_name: _Optional[str] = ..., role: _Optional[str] = ..., state: _Optional[str] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., checked_out_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., hours: _Optional[float] = ..., corrections: _Optional[_Iterable[_Union[HoursCorrectionEntry, _Mapping]]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CancelSignUpRequest(_message.Message):
    __slots__ = ("activity_id",)
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    def __init__(self, activity_id: _Optional[str] = ...) -> None: ...

class SignUpResult(_message.Message):
    __slots__ = ("activity", "sign_up")
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    sign_up: SignUp
    def __init__(self, activity: _Optional[_Union[Activity, _Mapping]] = ..., sign_up: _Optional[_Union[SignUp, _Mapping]] = ...) -> None: ...

class PublishActivityRequest(_message.Message):
    __slots__ = ("title", "roles", "capacity", "starts_at", "ends_at")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    title: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    capacity: int
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    def __init__(self, title: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., capacity: _Optional[int] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListActivitiesRequest(_message.Message):
    __slots__ = ("station", "page")
    STATION_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    station: str
    page: _common_pb2.PageRequest
    def __init__(self, station: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListActivitiesResponse(_message.Message):
    __slots__ = ("activities", "page")
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[Activity]
    page: _common_pb2.PageResponse
    def __init__(self, activities: _Optional[_Iterable[_Union[Activity, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetActivityRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class SignUpRequest(_message.Message):
    __slots__ = ("activity_id", "role", "join_waiting_list")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    JOIN_WAITING_LIST_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    role: str
    join_waiting_list: bool
    def __init__(self, activity_id: _Optional[str] = ..., role: _Optional[str] = ..., join_waiting_list: _Optional[bool] = ...) -> None: ...

class CheckInRequest(_message.Message):
    __slots__ = ("activity_id", "code", "volunteer_id")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_ID_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    code: str
    volunteer_id: str
    def __init__(self, activity_id: _Optional[str] = ..., code: _Optional[str] = ..., volunteer_id: _Optional[str] = ...) -> None: ...

class CorrectHoursRequest(_message.Message):
    __slots__ = ("activity_id", "sign_up_id", "hours", "reason")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    sign_up_id: str
    hours: float
    reason: str
    def __init__(self, activity_id: _Optional[str] = ..., sign_up_id: _Optional[str] = ..., hours: _Optional[float] = ..., reason: _Optional[str] = ...) -> None: ...

class GetVolunteerRecordRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class VolunteerRecord(_message.Message):
    __slots__ = ("total_hours", "stars", "sign_ups")
    TOTAL_HOURS_FIELD_NUMBER: _ClassVar[int]
    STARS_FIELD_NUMBER: _ClassVar[int]
    SIGN_UPS_FIELD_NUMBER: _ClassVar[int]
    total_hours: float
    stars: int
    sign_ups: _containers.RepeatedCompositeFieldContainer[SignUp]
    def __init__(self, total_hours: _Optional[float] = ..., stars: _Optional[int] = ..., sign_ups: _Optional[_Iterable[_Union[SignUp, _Mapping]]] = ...) -> None: ...

class GetStationTotalsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class StationTotal(_message.Message):
    __slots__ = ("station", "station_name", "volunteers", "hours")
    STATION_FIELD_NUMBER: _ClassVar[int]
    STATION_NAME_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEERS_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    station: str
    station_name: str
    volunteers: int
    hours: float
    def __init__(self, station: _Optional[str] = ..., station_name: _Optional[str] = ..., volunteers: _Optional[int] = ..., hours: _Optional[float] = ...) -> None: ...

class StationTotals(_message.Message):
    __slots__ = ("stations",)
    STATIONS_FIELD_NUMBER: _ClassVar[int]
    stations: _containers.RepeatedCompositeFieldContainer[StationTotal]
    def __init__(self, stations: _Optional[_Iterable[_Union[StationTotal, _Mapping]]] = ...) -> None: ...

class ListQuizPapersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class QuizPaperSummary(_message.Message):
    __slots__ = ("id", "topic", "topic_label", "title")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    TOPIC_LABEL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    topic: str
    topic_label: str
    title: str
    def __init__(self, id: _Optional[str] = ..., topic: _Optional[str] = ..., topic_label: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class ListQuizPapersResponse(_message.Message):
    __slots__ = ("papers",)
    PAPERS_FIELD_NUMBER: _ClassVar[int]
    papers: _containers.RepeatedCompositeFieldContainer[QuizPaperSummary]
    def __init__(self, papers: _Optional[_Iterable[_Union[QuizPaperSummary, _Mapping]]] = ...) -> None: ...

class GetQuizPaperRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class QuizOption(_message.Message):
    __slots__ = ("key", "text")
    KEY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    key: str
    text: str
    def __init__(self, key: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class QuizQuestion(_message.Message):
    __slots__ = ("id", "text", "options")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    options: _containers.RepeatedCompositeFieldContainer[QuizOption]
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ..., options: _Optional[_Iterable[_Union[QuizOption, _Mapping]]] = ...) -> None: ...

class QuizPaper(_message.Message):
    __slots__ = ("id", "topic", "title", "questions")
    ID_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    topic: str
    title: str
    questions: _containers.RepeatedCompositeFieldContainer[QuizQuestion]
    def __init__(self, id: _Optional[str] = ..., topic: _Optional[str] = ..., title: _Optional[str] = ..., questions: _Optional[_Iterable[_Union[QuizQuestion, _Mapping]]] = ...) -> None: ...

class SubmitQuizPaperRequest(_message.Message):
    __slots__ = ("paper_id", "answers")
    class AnswersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PAPER_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    paper_id: str
    answers: _containers.ScalarMap[str, str]
    def __init__(self, paper_id: _Optional[str] = ..., answers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class QuizAnswer(_message.Message):
    __slots__ = ("question_id", "chosen", "correct")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    CHOSEN_FIELD_NUMBER: _ClassVar[int]
    CORRECT_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    chosen: str
    correct: str
    def __init__(self, question_id: _Optional[str] = ..., chosen: _Optional[str] = ..., correct: _Optional[str] = ...) -> None: ...

class QuizResult(_message.Message):
    __slots__ = ("attempt_id", "paper_id", "correct", "score", "answers")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    PAPER_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    paper_id: str
    correct: int
    score: int
    answers: _containers.RepeatedCompositeFieldContainer[QuizAnswer]
    def __init__(self, attempt_id: _Optional[str] = ..., paper_id: _Optional[str] = ..., correct: _Optional[int] = ..., score: _Optional[int] = ..., answers: _Optional[_Iterable[_Union[QuizAnswer, _Mapping]]] = ...) -> None: ...

class GetQuizStatsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TownQuizStats(_message.Message):
    __slots__ = ("town", "participants", "attempts", "average_score")
    TOWN_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANTS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_SCORE_FIELD_NUMBER: _ClassVar[int]
    town: str
    participants: int
    attempts: int
    average_score: float
    def __init__(self, town: _Optional[str] = ..., participants: _Optional[int] = ..., attempts: _Optional[int] = ..., average_score: _Optional[float] = ...) -> None: ...

class QuizStats(_message.Message):
    __slots__ = ("towns",)
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    towns: _containers.RepeatedCompositeFieldContainer[TownQuizStats]
    def __init__(self, towns: _Optional[_Iterable[_Union[TownQuizStats, _Mapping]]] = ...) -> None: ...

class RecordAdvisorDutyRequest(_message.Message):
    __slots__ = ("village_code", "kind", "done_on", "note")
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    village_code: str
    kind: str
    done_on: str
    note: str
    def __init__(self, village_code: _Optional[str] = ..., kind: _Optional[str] = ..., done_on: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class AdvisorDutyRecord(_message.Message):
    __slots__ = ("id", "village_code", "kind", "kind_label", "done_on", "advisor_name", "recorded_by", "recorded_at", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_LABEL_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_NAME_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    village_code: str
    kind: str
    kind_label: str
    done_on: str
    advisor_name: str
    recorded_by: str
    recorded_at: _timestamp_pb2.Timestamp
    note: str
    def __init__(self, id: _Optional[str] = ..., village_code: _Optional[str] = ..., kind: _Optional[str] = ..., kind_label: _Optional[str] = ..., done_on: _Optional[str] = ..., advisor_name: _Optional[str] = ..., recorded_by: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class GetAdvisorDutiesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DutyStatus(_message.Message):
    __slots__ = ("kind", "kind_label", "every", "status", "period_start", "due_by", "last_done_on", "last_recorded_by")
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_LABEL_FIELD_NUMBER: _ClassVar[int]
    EVERY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    DUE_BY_FIELD_NUMBER: _ClassVar[int]
    LAST_DONE_ON_FIELD_NUMBER: _ClassVar[int]
    LAST_RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    kind: str
    kind_label: str
    every: str
    status: str
    period_start: str
    due_by: str
    last_done_on: str
    last_recorded_by: str
    def __init__(self, kind: _Optional[str] = ..., kind_label: _Optional[str] = ..., every: _Optional[str] = ..., status: _Optional[str] = ..., period_start: _Optional[str] = ..., due_by: _Optional[str] = ..., last_done_on: _Optional[str] = ..., last_recorded_by: _Optional[str] = ...) -> None: ...

class VillageDuties(_message.Message):
    __slots__ = ("village_code", "duties")
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    DUTIES_FIELD_NUMBER: _ClassVar[int]
    village_code: str
    duties: _containers.RepeatedCompositeFieldContainer[DutyStatus]
    def __init__(self, village_code: _Optional[str] = ..., duties: _Optional[_Iterable[_Union[DutyStatus, _Mapping]]] = ...) -> None: ...

class AdvisorDutiesOf(_message.Message):
    __slots__ = ("advisor_name", "villages")
    ADVISOR_NAME_FIELD_NUMBER: _ClassVar[int]
    VILLAGES_FIELD_NUMBER: _ClassVar[int]
    advisor_name: str
    villages: _containers.RepeatedCompositeFieldContainer[VillageDuties]
    def __init__(self, advisor_name: _Optional[str] = ..., villages: _Optional[_Iterable[_Union[VillageDuties, _Mapping]]] = ...) -> None: ...

class AdvisorDuties(_message.Message):
    __slots__ = ("as_of", "advisors", "done", "due", "overdue")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    ADVISORS_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    advisors: _containers.RepeatedCompositeFieldContainer[AdvisorDutiesOf]
    done: int
    due: int
    overdue: int
    def __init__(self, as_of: _Optional[str] = ..., advisors: _Optional[_Iterable[_Union[AdvisorDutiesOf, _Mapping]]] = ..., done: _Optional[int] = ..., due: _Optional[int] = ..., overdue: _Optional[int] = ...) -> None: ...
