import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EgovApplicationStep(_message.Message):
    __slots__ = ("application_id", "household_id", "item_code", "department", "action", "from_state", "to_state", "actor", "actor_kind", "actor_name", "on_behalf_of", "authority", "detail", "deadline", "at", "item_name", "reason", "materials", "appointment", "agent", "area_code")
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
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENT_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
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
    item_name: str
    reason: str
    materials: _containers.RepeatedScalarFieldContainer[str]
    appointment: EgovAppointment
    agent: str
    area_code: str
    def __init__(self, application_id: _Optional[str] = ..., household_id: _Optional[str] = ..., item_code: _Optional[str] = ..., department: _Optional[str] = ..., action: _Optional[str] = ..., from_state: _Optional[str] = ..., to_state: _Optional[str] = ..., actor: _Optional[str] = ..., actor_kind: _Optional[str] = ..., actor_name: _Optional[str] = ..., on_behalf_of: _Optional[str] = ..., authority: _Optional[str] = ..., detail: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., item_name: _Optional[str] = ..., reason: _Optional[str] = ..., materials: _Optional[_Iterable[str]] = ..., appointment: _Optional[_Union[EgovAppointment, _Mapping]] = ..., agent: _Optional[str] = ..., area_code: _Optional[str] = ...) -> None: ...

class EgovAppointment(_message.Message):
    __slots__ = ("appointment_id", "hall_name", "hall_address", "window_name", "starts_at", "time_zone")
    APPOINTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    HALL_NAME_FIELD_NUMBER: _ClassVar[int]
    HALL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_NAME_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    appointment_id: str
    hall_name: str
    hall_address: str
    window_name: str
    starts_at: _timestamp_pb2.Timestamp
    time_zone: str
    def __init__(self, appointment_id: _Optional[str] = ..., hall_name: _Optional[str] = ..., hall_address: _Optional[str] = ..., window_name: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., time_zone: _Optional[str] = ...) -> None: ...
