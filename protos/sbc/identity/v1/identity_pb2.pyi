import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StartDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("client_id", "device_serial", "device_secret")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    DEVICE_SECRET_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    device_serial: str
    device_secret: str
    def __init__(self, client_id: _Optional[str] = ..., device_serial: _Optional[str] = ..., device_secret: _Optional[str] = ...) -> None: ...

class DeviceAuthorization(_message.Message):
    __slots__ = ("device_code", "user_code", "verification_uri", "verification_uri_complete", "expires_in", "interval")
    DEVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_URI_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_URI_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: int
    interval: int
    def __init__(self, device_code: _Optional[str] = ..., user_code: _Optional[str] = ..., verification_uri: _Optional[str] = ..., verification_uri_complete: _Optional[str] = ..., expires_in: _Optional[int] = ..., interval: _Optional[int] = ...) -> None: ...

class ConfirmDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("user_code", "phone", "password", "approve")
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    user_code: str
    phone: str
    password: str
    approve: bool
    def __init__(self, user_code: _Optional[str] = ..., phone: _Optional[str] = ..., password: _Optional[str] = ..., approve: _Optional[bool] = ...) -> None: ...

class ConfirmDeviceAuthorizationResponse(_message.Message):
    __slots__ = ("household_id", "device_serial")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    device_serial: str
    def __init__(self, household_id: _Optional[str] = ..., device_serial: _Optional[str] = ...) -> None: ...

class ApproveDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("user_code", "approve")
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    user_code: str
    approve: bool
    def __init__(self, user_code: _Optional[str] = ..., approve: _Optional[bool] = ...) -> None: ...

class PollDeviceTokenRequest(_message.Message):
    __slots__ = ("client_id", "device_code")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    device_code: str
    def __init__(self, client_id: _Optional[str] = ..., device_code: _Optional[str] = ...) -> None: ...

class ClientCredentialsTokenRequest(_message.Message):
    __slots__ = ("client_id", "client_secret")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    client_secret: str
    def __init__(self, client_id: _Optional[str] = ..., client_secret: _Optional[str] = ...) -> None: ...

class StaffTokenRequest(_message.Message):
    __slots__ = ("username", "password")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class Token(_message.Message):
    __slots__ = ("access_token", "token_type", "expires_in", "refresh_token", "device_secret")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DEVICE_SECRET_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    device_secret: str
    def __init__(self, access_token: _Optional[str] = ..., token_type: _Optional[str] = ..., expires_in: _Optional[int] = ..., refresh_token: _Optional[str] = ..., device_secret: _Optional[str] = ...) -> None: ...

class GetJwksRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Jwks(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: str
    def __init__(self, json: _Optional[str] = ...) -> None: ...

class GetMyHouseholdRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Household(_message.Message):
    __slots__ = ("id", "name", "area", "address")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    area: _common_pb2.Area
    address: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., address: _Optional[str] = ...) -> None: ...

class GetHouseholdRequest(_message.Message):
    __slots__ = ("household_id",)
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    def __init__(self, household_id: _Optional[str] = ...) -> None: ...

class RefreshDeviceTokenRequest(_message.Message):
    __slots__ = ("client_id", "refresh_token")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    refresh_token: str
    def __init__(self, client_id: _Optional[str] = ..., refresh_token: _Optional[str] = ...) -> None: ...

class MemberPasswordTokenRequest(_message.Message):
    __slots__ = ("client_id", "phone", "password")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    phone: str
    password: str
    def __init__(self, client_id: _Optional[str] = ..., phone: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class RefreshMemberTokenRequest(_message.Message):
    __slots__ = ("client_id", "refresh_token")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    refresh_token: str
    def __init__(self, client_id: _Optional[str] = ..., refresh_token: _Optional[str] = ...) -> None: ...

class ListMyDevicesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Device(_message.Message):
    __slots__ = ("id", "serial", "registered_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    serial: str
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., serial: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListMyDevicesResponse(_message.Message):
    __slots__ = ("devices",)
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[Device]
    def __init__(self, devices: _Optional[_Iterable[_Union[Device, _Mapping]]] = ...) -> None: ...

class RevokeDeviceRequest(_message.Message):
    __slots__ = ("device_id", "reason")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    reason: str
    def __init__(self, device_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListHouseholdDevicesRequest(_message.Message):
    __slots__ = ("household_id",)
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    def __init__(self, household_id: _Optional[str] = ...) -> None: ...

class RevokeDeviceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RevokeStaffMemberRequest(_message.Message):
    __slots__ = ("username", "reason")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    username: str
    reason: str
    def __init__(self, username: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RevokeStaffMemberResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRevocationsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Revocation(_message.Message):
    __slots__ = ("subject", "revoked_at")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    subject: str
    revoked_at: _timestamp_pb2.Timestamp
    def __init__(self, subject: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListRevocationsResponse(_message.Message):
    __slots__ = ("revocations",)
    REVOCATIONS_FIELD_NUMBER: _ClassVar[int]
    revocations: _containers.RepeatedCompositeFieldContainer[Revocation]
    def __init__(self, revocations: _Optional[_Iterable[_Union[Revocation, _Mapping]]] = ...) -> None: ...
