import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Question(_message.Message):
    __slots__ = ("id", "kind", "text", "required", "choices", "min_picks", "max_picks", "scale_low", "scale_high", "max_length")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    CHOICES_FIELD_NUMBER: _ClassVar[int]
    MIN_PICKS_FIELD_NUMBER: _ClassVar[int]
    MAX_PICKS_FIELD_NUMBER: _ClassVar[int]
    SCALE_LOW_FIELD_NUMBER: _ClassVar[int]
    SCALE_HIGH_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    text: str
    required: bool
    choices: _containers.RepeatedScalarFieldContainer[str]
    min_picks: int
    max_picks: int
    scale_low: str
    scale_high: str
    max_length: int
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ..., required: _Optional[bool] = ..., choices: _Optional[_Iterable[str]] = ..., min_picks: _Optional[int] = ..., max_picks: _Optional[int] = ..., scale_low: _Optional[str] = ..., scale_high: _Optional[str] = ..., max_length: _Optional[int] = ...) -> None: ...

class QuestionnaireDraft(_message.Message):
    __slots__ = ("title", "purpose", "organizer", "opens_at", "closes_at", "target_areas", "audience", "questions")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    ORGANIZER_FIELD_NUMBER: _ClassVar[int]
    OPENS_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    TARGET_AREAS_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    title: str
    purpose: str
    organizer: str
    opens_at: _timestamp_pb2.Timestamp
    closes_at: _timestamp_pb2.Timestamp
    target_areas: _containers.RepeatedScalarFieldContainer[str]
    audience: str
    questions: _containers.RepeatedCompositeFieldContainer[Question]
    def __init__(self, title: _Optional[str] = ..., purpose: _Optional[str] = ..., organizer: _Optional[str] = ..., opens_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., target_areas: _Optional[_Iterable[str]] = ..., audience: _Optional[str] = ..., questions: _Optional[_Iterable[_Union[Question, _Mapping]]] = ...) -> None: ...

class Questionnaire(_message.Message):
    __slots__ = ("id", "area_code", "title", "purpose", "organizer", "opens_at", "closes_at", "target_areas", "audience", "questions", "state", "created_at", "published_at", "closed_at", "answered", "open")
    ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    ORGANIZER_FIELD_NUMBER: _ClassVar[int]
    OPENS_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSES_AT_FIELD_NUMBER: _ClassVar[int]
    TARGET_AREAS_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    id: str
    area_code: str
    title: str
    purpose: str
    organizer: str
    opens_at: _timestamp_pb2.Timestamp
    closes_at: _timestamp_pb2.Timestamp
    target_areas: _containers.RepeatedScalarFieldContainer[str]
    audience: str
    questions: _containers.RepeatedCompositeFieldContainer[Question]
    state: str
    created_at: _timestamp_pb2.Timestamp
    published_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    answered: bool
    open: bool
    def __init__(self, id: _Optional[str] = ..., area_code: _Optional[str] = ..., title: _Optional[str] = ..., purpose: _Optional[str] = ..., organizer: _Optional[str] = ..., opens_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closes_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., target_areas: _Optional[_Iterable[str]] = ..., audience: _Optional[str] = ..., questions: _Optional[_Iterable[_Union[Question, _Mapping]]] = ..., state: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answered: _Optional[bool] = ..., open: _Optional[bool] = ...) -> None: ...

class CreateQuestionnaireRequest(_message.Message):
    __slots__ = ("draft",)
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    draft: QuestionnaireDraft
    def __init__(self, draft: _Optional[_Union[QuestionnaireDraft, _Mapping]] = ...) -> None: ...

class UpdateDraftRequest(_message.Message):
    __slots__ = ("id", "draft")
    ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    id: str
    draft: QuestionnaireDraft
    def __init__(self, id: _Optional[str] = ..., draft: _Optional[_Union[QuestionnaireDraft, _Mapping]] = ...) -> None: ...

class QuestionnaireRef(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListQuestionnairesRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListOpenForMeRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListQuestionnairesResponse(_message.Message):
    __slots__ = ("questionnaires", "page")
    QUESTIONNAIRES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    questionnaires: _containers.RepeatedCompositeFieldContainer[Questionnaire]
    page: _common_pb2.PageResponse
    def __init__(self, questionnaires: _Optional[_Iterable[_Union[Questionnaire, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class Answer(_message.Message):
    __slots__ = ("question_id", "choices", "scale", "text")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    CHOICES_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    choices: _containers.RepeatedScalarFieldContainer[int]
    scale: int
    text: str
    def __init__(self, question_id: _Optional[str] = ..., choices: _Optional[_Iterable[int]] = ..., scale: _Optional[int] = ..., text: _Optional[str] = ...) -> None: ...

class SubmitResponseRequest(_message.Message):
    __slots__ = ("questionnaire_id", "answers")
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    questionnaire_id: str
    answers: _containers.RepeatedCompositeFieldContainer[Answer]
    def __init__(self, questionnaire_id: _Optional[str] = ..., answers: _Optional[_Iterable[_Union[Answer, _Mapping]]] = ...) -> None: ...

class SubmitResponseReceipt(_message.Message):
    __slots__ = ("questionnaire_id", "submitted_at")
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    questionnaire_id: str
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, questionnaire_id: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChoiceCount(_message.Message):
    __slots__ = ("choice", "count")
    CHOICE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    choice: str
    count: int
    def __init__(self, choice: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class QuestionResult(_message.Message):
    __slots__ = ("question", "answered", "choices", "scale_counts", "scale_mean", "text_answers")
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    CHOICES_FIELD_NUMBER: _ClassVar[int]
    SCALE_COUNTS_FIELD_NUMBER: _ClassVar[int]
    SCALE_MEAN_FIELD_NUMBER: _ClassVar[int]
    TEXT_ANSWERS_FIELD_NUMBER: _ClassVar[int]
    question: Question
    answered: int
    choices: _containers.RepeatedCompositeFieldContainer[ChoiceCount]
    scale_counts: _containers.RepeatedScalarFieldContainer[int]
    scale_mean: float
    text_answers: int
    def __init__(self, question: _Optional[_Union[Question, _Mapping]] = ..., answered: _Optional[int] = ..., choices: _Optional[_Iterable[_Union[ChoiceCount, _Mapping]]] = ..., scale_counts: _Optional[_Iterable[int]] = ..., scale_mean: _Optional[float] = ..., text_answers: _Optional[int] = ...) -> None: ...

class TownResult(_message.Message):
    __slots__ = ("town_code", "responses")
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    RESPONSES_FIELD_NUMBER: _ClassVar[int]
    town_code: str
    responses: int
    def __init__(self, town_code: _Optional[str] = ..., responses: _Optional[int] = ...) -> None: ...

class Results(_message.Message):
    __slots__ = ("questionnaire", "responses", "questions", "towns", "targeted_households")
    QUESTIONNAIRE_FIELD_NUMBER: _ClassVar[int]
    RESPONSES_FIELD_NUMBER: _ClassVar[int]
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    TARGETED_HOUSEHOLDS_FIELD_NUMBER: _ClassVar[int]
    questionnaire: Questionnaire
    responses: int
    questions: _containers.RepeatedCompositeFieldContainer[QuestionResult]
    towns: _containers.RepeatedCompositeFieldContainer[TownResult]
    targeted_households: int
    def __init__(self, questionnaire: _Optional[_Union[Questionnaire, _Mapping]] = ..., responses: _Optional[int] = ..., questions: _Optional[_Iterable[_Union[QuestionResult, _Mapping]]] = ..., towns: _Optional[_Iterable[_Union[TownResult, _Mapping]]] = ..., targeted_households: _Optional[int] = ...) -> None: ...

class ListTextAnswersRequest(_message.Message):
    __slots__ = ("questionnaire_id", "question_id", "page")
    QUESTIONNAIRE_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    questionnaire_id: str
    question_id: str
    page: _common_pb2.PageRequest
    def __init__(self, questionnaire_id: _Optional[str] = ..., question_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class TextAnswer(_message.Message):
    __slots__ = ("text", "town_code")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    text: str
    town_code: str
    def __init__(self, text: _Optional[str] = ..., town_code: _Optional[str] = ...) -> None: ...

class ListTextAnswersResponse(_message.Message):
    __slots__ = ("answers", "page")
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    answers: _containers.RepeatedCompositeFieldContainer[TextAnswer]
    page: _common_pb2.PageResponse
    def __init__(self, answers: _Optional[_Iterable[_Union[TextAnswer, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...
