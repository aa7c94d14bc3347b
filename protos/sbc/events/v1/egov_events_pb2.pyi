import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EgovApplicationStep(_message.Message):
    __slots__ = ("application_id", "household_id", "item_code", "department", "action", "from_state", "to_state", "actor", "actor_kind", "actor_name", "on_behalf_of", "authority", "detail", "deadline", "at")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    household_id: str
    item_code: str
    department: str
    action: str
    from_state: str
    to_state: str
    actor: str
    actor_kind: str
    actor_name: str
    on_behalf_of: str
    authority: str
    detail: str
    deadline: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    def __init__(self, application_id: _Optional[str] = ..., household_id: _Optional[str] = ..., item_code: _Optional[str] = ..., department: _Optional[str] = ..., action: _Optional[str] = ..., from_state: _Optional[str] = ..., to_state: _Optional[str] = ..., actor: _Optional[str] = ..., actor_kind: _Optional[str] = ..., actor_name: _Optional[str] = ..., on_behalf_of: _Optional[str] = ..., authority: _Optional[str] = ..., detail: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
