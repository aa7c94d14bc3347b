import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TourismReservationChanged(_message.Message):
    __slots__ = ("reservation_id", "household_id", "venue_id", "slot_id", "party", "state", "at", "expires_at", "venue_name", "starts_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    VENUE_NAME_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    household_id: str
    venue_id: str
    slot_id: str
    party: int
    state: str
    at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    venue_name: str
    starts_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., household_id: _Optional[str] = ..., venue_id: _Optional[str] = ..., slot_id: _Optional[str] = ..., party: _Optional[int] = ..., state: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., venue_name: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
