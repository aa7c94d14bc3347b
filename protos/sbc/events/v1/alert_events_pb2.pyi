import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AlertText(_message.Message):
    __slots__ = ("language", "headline", "description", "instruction", "event")
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    HEADLINE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTION_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    language: str
    headline: str
    description: str
    instruction: str
    event: str
    def __init__(self, language: _Optional[str] = ..., headline: _Optional[str] = ..., description: _Optional[str] = ..., instruction: _Optional[str] = ..., event: _Optional[str] = ...) -> None: ...

class AlertBroadcast(_message.Message):
    __slots__ = ("alert_id", "kind", "identifier", "sender", "sender_name", "status", "drill", "severity", "level", "colour", "event_type", "texts", "area_codes", "sent", "expires", "supersedes", "attempt", "msg_type", "only_terminals")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    SENDER_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DRILL_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COLOUR_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    AREA_CODES_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDES_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    MSG_TYPE_FIELD_NUMBER: _ClassVar[int]
    ONLY_TERMINALS_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    kind: str
    identifier: str
    sender: str
    sender_name: str
    status: str
    drill: bool
    severity: str
    level: int
    colour: str
    event_type: str
    texts: _containers.RepeatedCompositeFieldContainer[AlertText]
    area_codes: _containers.RepeatedScalarFieldContainer[str]
    sent: _timestamp_pb2.Timestamp
    expires: _timestamp_pb2.Timestamp
    supersedes: _containers.RepeatedScalarFieldContainer[str]
    attempt: int
    msg_type: str
    only_terminals: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, alert_id: _Optional[str] = ..., kind: _Optional[str] = ..., identifier: _Optional[str] = ..., sender: _Optional[str] = ..., sender_name: _Optional[str] = ..., status: _Optional[str] = ..., drill: _Optional[bool] = ..., severity: _Optional[str] = ..., level: _Optional[int] = ..., colour: _Optional[str] = ..., event_type: _Optional[str] = ..., texts: _Optional[_Iterable[_Union[AlertText, _Mapping]]] = ..., area_codes: _Optional[_Iterable[str]] = ..., sent: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., supersedes: _Optional[_Iterable[str]] = ..., attempt: _Optional[int] = ..., msg_type: _Optional[str] = ..., only_terminals: _Optional[_Iterable[str]] = ...) -> None: ...
