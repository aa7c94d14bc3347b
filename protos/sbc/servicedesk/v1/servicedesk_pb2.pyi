import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateServiceRequestRequest(_message.Message):
    __slots__ = ("service_type", "description", "idempotency_key", "channel")
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    service_type: str
    description: str
    idempotency_key: str
    channel: str
    def __init__(self, service_type: _Optional[str] = ..., description: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., channel: _Optional[str] = ...) -> None: ...

class GetServiceRequestRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListMyServiceRequestsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMyServiceRequestsResponse(_message.Message):
    __slots__ = ("requests", "page")
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    requests: _containers.RepeatedCompositeFieldContainer[ServiceRequest]
    page: _common_pb2.PageResponse
    def __init__(self, requests: _Optional[_Iterable[_Union[ServiceRequest, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ServiceRequest(_message.Message):
    __slots__ = ("id", "reference_number", "household_id", "area", "service_type", "description", "state", "channel", "submitted_at", "submitted_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    reference_number: str
    household_id: str
    area: _common_pb2.Area
    service_type: str
    description: str
    state: str
    channel: str
    submitted_at: _timestamp_pb2.Timestamp
    submitted_by: _common_pb2.AuditStamp
    def __init__(self, id: _Optional[str] = ..., reference_number: _Optional[str] = ..., household_id: _Optional[str] = ..., area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., service_type: _Optional[str] = ..., description: _Optional[str] = ..., state: _Optional[str] = ..., channel: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_by: _Optional[_Union[_common_pb2.AuditStamp, _Mapping]] = ...) -> None: ...
