import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from sbc.events.v1 import notification_events_pb2 as _notification_events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListMyPushMessagesRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMyPushMessagesResponse(_message.Message):
    __slots__ = ("messages", "page")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_notification_events_pb2.PushMessage]
    page: _common_pb2.PageResponse
    def __init__(self, messages: _Optional[_Iterable[_Union[_notification_events_pb2.PushMessage, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetMyPreferencesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetMyPreferencesRequest(_message.Message):
    __slots__ = ("simple_mode",)
    SIMPLE_MODE_FIELD_NUMBER: _ClassVar[int]
    simple_mode: bool
    def __init__(self, simple_mode: _Optional[bool] = ...) -> None: ...

class Preferences(_message.Message):
    __slots__ = ("household_id", "simple_mode", "updated_at")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    SIMPLE_MODE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    simple_mode: bool
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, household_id: _Optional[str] = ..., simple_mode: _Optional[bool] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
