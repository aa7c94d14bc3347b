import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OpinionsQuestionnairePublished(_message.Message):
    __slots__ = ("questionnaire_id", "area_code", "title", "organizer", "target_areas", "audience", "opens_at", "closes_at", "at")
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ORGANIZER_FIELD_NUMBER: _ClassVar[int]
    TARGET_AREAS_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    OPENS_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    questionnaire_id: str
    area_code: str
    title: str
    organizer: str
    target_areas: _containers.RepeatedScalarFieldContainer[str]
    audience: str
    opens_at: _timestamp_pb2.Timestamp
    closes_at: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    def __init__(self, questionnaire_id: _Optional[str] = ..., area_code: _Optional[str] = ..., title: _Optional[str] = ..., organizer: _Optional[str] = ..., target_areas: _Optional[_Iterable[str]] = ..., audience: _Optional[str] = ..., opens_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpinionsQuestionnaireClosed(_message.Message):
    __slots__ = ("questionnaire_id", "area_code", "at")
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    questionnaire_id: str
    area_code: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, questionnaire_id: _Optional[str] = ..., area_code: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpinionsChoiceAnswer(_message.Message):
    __slots__ = ("question_id", "kind", "choices", "scale")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CHOICES_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    kind: str
    choices: _containers.RepeatedScalarFieldContainer[int]
    scale: int
    def __init__(self, question_id: _Optional[str] = ..., kind: _Optional[str] = ..., choices: _Optional[_Iterable[int]] = ..., scale: _Optional[int] = ...) -> None: ...

class OpinionsResponseSubmitted(_message.Message):
    __slots__ = ("response_id", "questionnaire_id", "area_code", "answers", "at")
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    response_id: str
    questionnaire_id: str
    area_code: str
    answers: _containers.RepeatedCompositeFieldContainer[OpinionsChoiceAnswer]
    at: _timestamp_pb2.Timestamp
    def __init__(self, response_id: _Optional[str] = ..., questionnaire_id: _Optional[str] = ..., area_code: _Optional[str] = ..., answers: _Optional[_Iterable[_Union[OpinionsChoiceAnswer, _Mapping]]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpinionsHouseholdsInvited(_message.Message):
    __slots__ = ("questionnaire_id", "title", "organizer", "closes_at", "household_ids", "at")
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ORGANIZER_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_IDS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    questionnaire_id: str
    title: str
    organizer: str
    closes_at: _timestamp_pb2.Timestamp
    household_ids: _containers.RepeatedScalarFieldContainer[str]
    at: _timestamp_pb2.Timestamp
    def __init__(self, questionnaire_id: _Optional[str] = ..., title: _Optional[str] = ..., organizer: _Optional[str] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., household_ids: _Optional[_Iterable[str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
