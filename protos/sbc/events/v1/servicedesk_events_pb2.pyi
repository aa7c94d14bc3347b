import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceRequestSubmitted(_message.Message):
    __slots__ = ("request_id", "reference_number", "household_id", "device_id", "area_code", "service_type", "channel", "submitted_at", "service_point_code", "deadline", "outreach_event_id", "home_visit")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    OUTREACH_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    HOME_VISIT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    reference_number: str
    household_id: str
    device_id: str
    area_code: str
    service_type: str
    channel: str
    submitted_at: _timestamp_pb2.Timestamp
    service_point_code: str
    deadline: _timestamp_pb2.Timestamp
    outreach_event_id: str
    home_visit: str
    def __init__(self, request_id: _Optional[str] = ..., reference_number: _Optional[str] = ..., household_id: _Optional[str] = ..., device_id: _Optional[str] = ..., area_code: _Optional[str] = ..., service_type: _Optional[str] = ..., channel: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., service_point_code: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outreach_event_id: _Optional[str] = ..., home_visit: _Optional[str] = ...) -> None: ...

class ServiceRequestTransitioned(_message.Message):
    __slots__ = ("request_id", "reference_number", "household_id", "area_code", "service_point_code", "service_type", "channel", "from_state", "to_state", "actor_id", "actor_role", "at", "reason", "submitted_at", "deadline", "technician", "compensation_fen", "outreach_event_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ROLE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    COMPENSATION_FEN_FIELD_NUMBER: _ClassVar[int]
    OUTREACH_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    reference_number: str
    household_id: str
    area_code: str
    service_point_code: str
    service_type: str
    channel: str
    from_state: str
    to_state: str
    actor_id: str
    actor_role: str
    at: _timestamp_pb2.Timestamp
    reason: str
    submitted_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    technician: str
    compensation_fen: int
    outreach_event_id: str
    def __init__(self, request_id: _Optional[str] = ..., reference_number: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ..., service_point_code: _Optional[str] = ..., service_type: _Optional[str] = ..., channel: _Optional[str] = ..., from_state: _Optional[str] = ..., to_state: _Optional[str] = ..., actor_id: _Optional[str] = ..., actor_role: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., technician: _Optional[str] = ..., compensation_fen: _Optional[int] = ..., outreach_event_id: _Optional[str] = ...) -> None: ...

class ServiceRequestSlaReached(_message.Message):
    __slots__ = ("request_id", "reference_number", "service_point_code", "service_type", "percent", "escalate_to", "deadline", "at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    ESCALATE_TO_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    reference_number: str
    service_point_code: str
    service_type: str
    percent: int
    escalate_to: str
    deadline: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., reference_number: _Optional[str] = ..., service_point_code: _Optional[str] = ..., service_type: _Optional[str] = ..., percent: _Optional[int] = ..., escalate_to: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ServiceRequestRated(_message.Message):
    __slots__ = ("request_id", "household_id", "service_point_code", "service_type", "level", "bad", "at", "rectification_deadline")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    BAD_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    RECTIFICATION_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    household_id: str
    service_point_code: str
    service_type: str
    level: str
    bad: bool
    at: _timestamp_pb2.Timestamp
    rectification_deadline: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., household_id: _Optional[str] = ..., service_point_code: _Optional[str] = ..., service_type: _Optional[str] = ..., level: _Optional[str] = ..., bad: _Optional[bool] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rectification_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RectificationFollowedUp(_message.Message):
    __slots__ = ("request_id", "service_point_code", "at", "on_time")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    service_point_code: str
    at: _timestamp_pb2.Timestamp
    on_time: bool
    def __init__(self, request_id: _Optional[str] = ..., service_point_code: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., on_time: _Optional[bool] = ...) -> None: ...
