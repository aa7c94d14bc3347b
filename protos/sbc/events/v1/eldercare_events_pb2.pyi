import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EldercareWhere(_message.Message):
    __slots__ = ("elder_id", "household_id", "area_code")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    household_id: str
    area_code: str
    def __init__(self, elder_id: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ...) -> None: ...

class EldercareAlarmRaised(_message.Message):
    __slots__ = ("alarm_id", "type", "severity", "device_id", "where", "at")
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    alarm_id: str
    type: str
    severity: str
    device_id: str
    where: EldercareWhere
    at: _timestamp_pb2.Timestamp
    def __init__(self, alarm_id: _Optional[str] = ..., type: _Optional[str] = ..., severity: _Optional[str] = ..., device_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareAlarmAcknowledged(_message.Message):
    __slots__ = ("alarm_id", "where", "by", "at")
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    alarm_id: str
    where: EldercareWhere
    by: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, alarm_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., by: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareAlarmResolved(_message.Message):
    __slots__ = ("alarm_id", "where", "by", "follow_up", "at")
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    alarm_id: str
    where: EldercareWhere
    by: str
    follow_up: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, alarm_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., by: _Optional[str] = ..., follow_up: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareAlarmNoted(_message.Message):
    __slots__ = ("alarm_id", "where", "by", "text", "at")
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    alarm_id: str
    where: EldercareWhere
    by: str
    text: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, alarm_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., by: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareAlarmReminded(_message.Message):
    __slots__ = ("alarm_id", "where", "who", "step", "repeat", "at", "type", "family_household_ids")
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    WHO_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    REPEAT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    FAMILY_HOUSEHOLD_IDS_FIELD_NUMBER: _ClassVar[int]
    alarm_id: str
    where: EldercareWhere
    who: str
    step: int
    repeat: int
    at: _timestamp_pb2.Timestamp
    type: str
    family_household_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, alarm_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., who: _Optional[str] = ..., step: _Optional[int] = ..., repeat: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., type: _Optional[str] = ..., family_household_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class EldercareAlarmOverdue(_message.Message):
    __slots__ = ("alarm_id", "where", "at")
    ALARM_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    alarm_id: str
    where: EldercareWhere
    at: _timestamp_pb2.Timestamp
    def __init__(self, alarm_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareElderEnrolled(_message.Message):
    __slots__ = ("elder_id", "household_id", "area_code", "at")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    household_id: str
    area_code: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, elder_id: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareDeviceProvisioned(_message.Message):
    __slots__ = ("device_id", "profile", "elder_id", "at")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    profile: str
    elder_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, device_id: _Optional[str] = ..., profile: _Optional[str] = ..., elder_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareDeviceDeprovisioned(_message.Message):
    __slots__ = ("device_id", "profile", "elder_id", "at")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    profile: str
    elder_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, device_id: _Optional[str] = ..., profile: _Optional[str] = ..., elder_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareDoseReminded(_message.Message):
    __slots__ = ("dose_id", "where", "medicine", "due_at", "repeat", "at", "dose")
    DOSE_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    MEDICINE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    REPEAT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    dose_id: str
    where: EldercareWhere
    medicine: str
    due_at: _timestamp_pb2.Timestamp
    repeat: int
    at: _timestamp_pb2.Timestamp
    dose: str
    def __init__(self, dose_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., medicine: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., repeat: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dose: _Optional[str] = ...) -> None: ...

class EldercareDoseConfirmed(_message.Message):
    __slots__ = ("dose_id", "where", "by", "at")
    DOSE_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    dose_id: str
    where: EldercareWhere
    by: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, dose_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., by: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareDoseMissed(_message.Message):
    __slots__ = ("dose_id", "where", "medicine", "due_at", "at", "dose", "family_household_ids", "elder_name")
    DOSE_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    MEDICINE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    FAMILY_HOUSEHOLD_IDS_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    dose_id: str
    where: EldercareWhere
    medicine: str
    due_at: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    dose: str
    family_household_ids: _containers.RepeatedScalarFieldContainer[str]
    elder_name: str
    def __init__(self, dose_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., medicine: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dose: _Optional[str] = ..., family_household_ids: _Optional[_Iterable[str]] = ..., elder_name: _Optional[str] = ...) -> None: ...

class EldercareDeviceCommandChanged(_message.Message):
    __slots__ = ("command_id", "device_id", "where", "command", "state", "at")
    COMMAND_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    command_id: str
    device_id: str
    where: EldercareWhere
    command: str
    state: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, command_id: _Optional[str] = ..., device_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., command: _Optional[str] = ..., state: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareCareOrderChanged(_message.Message):
    __slots__ = ("order_id", "where", "kind", "state", "rating", "at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    where: EldercareWhere
    kind: str
    state: str
    rating: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., kind: _Optional[str] = ..., state: _Optional[str] = ..., rating: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EldercareRectificationChanged(_message.Message):
    __slots__ = ("rectification_id", "where", "subject", "subject_id", "state", "rated_by", "at")
    RECTIFICATION_ID_FIELD_NUMBER: _ClassVar[int]
    WHERE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RATED_BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    rectification_id: str
    where: EldercareWhere
    subject: str
    subject_id: str
    state: str
    rated_by: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, rectification_id: _Optional[str] = ..., where: _Optional[_Union[EldercareWhere, _Mapping]] = ..., subject: _Optional[str] = ..., subject_id: _Optional[str] = ..., state: _Optional[str] = ..., rated_by: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
