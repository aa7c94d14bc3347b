import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LegalContentStep(_message.Message):
    __slots__ = ("content_id", "district_code", "kind", "title", "step", "actor", "at")
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    content_id: str
    district_code: str
    kind: str
    title: str
    step: str
    actor: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, content_id: _Optional[str] = ..., district_code: _Optional[str] = ..., kind: _Optional[str] = ..., title: _Optional[str] = ..., step: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LegalConsultationStep(_message.Message):
    __slots__ = ("consultation_id", "district_code", "village_code", "household_id", "advisor", "step", "at")
    CONSULTATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    consultation_id: str
    district_code: str
    village_code: str
    household_id: str
    advisor: str
    step: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, consultation_id: _Optional[str] = ..., district_code: _Optional[str] = ..., village_code: _Optional[str] = ..., household_id: _Optional[str] = ..., advisor: _Optional[str] = ..., step: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LegalConsultationEscalated(_message.Message):
    __slots__ = ("consultation_id", "district_code", "village_code", "advisor", "percent", "to", "due_at", "at")
    CONSULTATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    consultation_id: str
    district_code: str
    village_code: str
    advisor: str
    percent: int
    to: str
    due_at: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    def __init__(self, consultation_id: _Optional[str] = ..., district_code: _Optional[str] = ..., village_code: _Optional[str] = ..., advisor: _Optional[str] = ..., percent: _Optional[int] = ..., to: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LegalVolunteerStep(_message.Message):
    __slots__ = ("activity_id", "sign_up_id", "station", "volunteer", "step", "hours", "at")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    STATION_FIELD_NUMBER: _ClassVar[int]
    VOLUNTEER_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    sign_up_id: str
    station: str
    volunteer: str
    step: str
    hours: float
    at: _timestamp_pb2.Timestamp
    def __init__(self, activity_id: _Optional[str] = ..., sign_up_id: _Optional[str] = ..., station: _Optional[str] = ..., volunteer: _Optional[str] = ..., step: _Optional[str] = ..., hours: _Optional[float] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LegalQuizSubmitted(_message.Message):
    __slots__ = ("attempt_id", "paper_id", "town", "score", "at")
    ATTEMPT_ID_FIELD_NUMBER: _ClassVar[int]
    PAPER_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    attempt_id: str
    paper_id: str
    town: str
    score: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, attempt_id: _Optional[str] = ..., paper_id: _Optional[str] = ..., town: _Optional[str] = ..., score: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LegalAdvisorDutyRecorded(_message.Message):
    __slots__ = ("record_id", "district_code", "village_code", "advisor", "kind", "done_on", "at")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    district_code: str
    village_code: str
    advisor: str
    kind: str
    done_on: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, record_id: _Optional[str] = ..., district_code: _Optional[str] = ..., village_code: _Optional[str] = ..., advisor: _Optional[str] = ..., kind: _Optional[str] = ..., done_on: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
