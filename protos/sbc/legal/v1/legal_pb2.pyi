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
