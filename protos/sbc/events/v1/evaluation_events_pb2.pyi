import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EvaluationItemCreated(_message.Message):
    __slots__ = ("item_id", "household_id", "title", "at")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    household_id: str
    title: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, item_id: _Optional[str] = ..., household_id: _Optional[str] = ..., title: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EvaluationItemClosed(_message.Message):
    __slots__ = ("item_id", "household_id", "at")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    household_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, item_id: _Optional[str] = ..., household_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
