import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceRequestSubmitted(_message.Message):
    __slots__ = ("request_id", "reference_number", "household_id", "device_id", "area_code", "service_type", "channel", "submitted_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    reference_number: str
    household_id: str
    device_id: str
    area_code: str
    service_type: str
    channel: str
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., reference_number: _Optional[str] = ..., household_id: _Optional[str] = ..., device_id: _Optional[str] = ..., area_code: _Optional[str] = ..., service_type: _Optional[str] = ..., channel: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
