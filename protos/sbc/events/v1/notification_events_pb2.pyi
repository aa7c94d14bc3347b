import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PushMessage(_message.Message):
    __slots__ = ("id", "household_id", "device_id", "kind", "title", "body", "cause_event_id", "created_at", "opens", "staff_subject")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CAUSE_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    OPENS_FIELD_NUMBER: _ClassVar[int]
    STAFF_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    device_id: str
    kind: str
    title: str
    body: str
    cause_event_id: str
    created_at: _timestamp_pb2.Timestamp
    opens: str
    staff_subject: str
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., device_id: _Optional[str] = ..., kind: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., cause_event_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opens: _Optional[str] = ..., staff_subject: _Optional[str] = ...) -> None: ...
