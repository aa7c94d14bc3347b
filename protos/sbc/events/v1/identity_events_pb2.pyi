import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeviceRegistered(_message.Message):
    __slots__ = ("device_id", "household_id", "area_code", "serial", "registered_at")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    household_id: str
    area_code: str
    serial: str
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, device_id: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ..., serial: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeviceRevoked(_message.Message):
    __slots__ = ("device_id", "household_id", "area_code", "serial", "revoked_at", "revoked_by", "reason")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    household_id: str
    area_code: str
    serial: str
    revoked_at: _timestamp_pb2.Timestamp
    revoked_by: str
    reason: str
    def __init__(self, device_id: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ..., serial: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StaffAccountRevoked(_message.Message):
    __slots__ = ("staff_id", "username", "area_code", "revoked_at", "revoked_by", "reason")
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    staff_id: str
    username: str
    area_code: str
    revoked_at: _timestamp_pb2.Timestamp
    revoked_by: str
    reason: str
    def __init__(self, staff_id: _Optional[str] = ..., username: _Optional[str] = ..., area_code: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...
