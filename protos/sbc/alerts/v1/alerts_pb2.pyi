import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.events.v1 import alert_events_pb2 as _alert_events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetDeliveryCommitmentsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeliveryCommitments(_message.Message):
    __slots__ = ("reach_within_seconds", "reach_source", "approval", "channels", "redeliver_after_seconds", "max_attempts", "levels")
    REACH_WITHIN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REACH_SOURCE_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    REDELIVER_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    reach_within_seconds: int
    reach_source: str
    approval: str
    channels: _containers.RepeatedCompositeFieldContainer[ChannelCommitment]
    redeliver_after_seconds: int
    max_attempts: int
    levels: _containers.RepeatedCompositeFieldContainer[WarningLevel]
    def __init__(self, reach_within_seconds: _Optional[int] = ..., reach_source: _Optional[str] = ..., approval: _Optional[str] = ..., channels: _Optional[_Iterable[_Union[ChannelCommitment, _Mapping]]] = ..., redeliver_after_seconds: _Optional[int] = ..., max_attempts: _Optional[int] = ..., levels: _Optional[_Iterable[_Union[WarningLevel, _Mapping]]] = ...) -> None: ...

class ChannelCommitment(_message.Message):
    __slots__ = ("code", "name", "commitment")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    commitment: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., commitment: _Optional[str] = ...) -> None: ...

class WarningLevel(_message.Message):
    __slots__ = ("level", "roman", "colour", "name", "severity")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ROMAN_FIELD_NUMBER: _ClassVar[int]
    COLOUR_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    level: int
    roman: str
    colour: str
    name: str
    severity: str
    def __init__(self, level: _Optional[int] = ..., roman: _Optional[str] = ..., colour: _Optional[str] = ..., name: _Optional[str] = ..., severity: _Optional[str] = ...) -> None: ...

class GetDeliveryFiguresRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeliveryFigures(_message.Message):
    __slots__ = ("alerts", "targeted", "delivered", "at")
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    TARGETED_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    alerts: int
    targeted: int
    delivered: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, alerts: _Optional[int] = ..., targeted: _Optional[int] = ..., delivered: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubmitCapRequest(_message.Message):
    __slots__ = ("xml", "cap")
    XML_FIELD_NUMBER: _ClassVar[int]
    CAP_FIELD_NUMBER: _ClassVar[int]
    xml: str
    cap: bytes
    def __init__(self, xml: _Optional[str] = ..., cap: _Optional[bytes] = ...) -> None: ...

class DraftAlertRequest(_message.Message):
    __slots__ = ("headline", "description", "instruction", "level", "event_type", "area_codes", "expires", "status", "msg_type", "references_alert_id")
    HEADLINE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTION_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    AREA_CODES_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MSG_TYPE_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    headline: str
    description: str
    instruction: str
    level: int
    event_type: str
    area_codes: _containers.RepeatedScalarFieldContainer[str]
    expires: _timestamp_pb2.Timestamp
    status: str
    msg_type: str
    references_alert_id: str
    def __init__(self, headline: _Optional[str] = ..., description: _Optional[str] = ..., instruction: _Optional[str] = ..., level: _Optional[int] = ..., event_type: _Optional[str] = ..., area_codes: _Optional[_Iterable[str]] = ..., expires: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., msg_type: _Optional[str] = ..., references_alert_id: _Optional[str] = ...) -> None: ...

class AlertAction(_message.Message):
    __slots__ = ("alert_id", "reason")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    reason: str
    def __init__(self, alert_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GetAlertRequest(_message.Message):
    __slots__ = ("alert_id",)
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    def __init__(self, alert_id: _Optional[str] = ...) -> None: ...

class ListActiveAlertsRequest(_message.Message):
    __slots__ = ("area_code",)
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    area_code: str
    def __init__(self, area_code: _Optional[str] = ...) -> None: ...

class ListActiveAlertsResponse(_message.Message):
    __slots__ = ("alerts",)
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    alerts: _containers.RepeatedCompositeFieldContainer[_alert_events_pb2.AlertBroadcast]
    def __init__(self, alerts: _Optional[_Iterable[_Union[_alert_events_pb2.AlertBroadcast, _Mapping]]] = ...) -> None: ...

class GetActiveFeedRequest(_message.Message):
    __slots__ = ("base_url",)
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    base_url: str
    def __init__(self, base_url: _Optional[str] = ...) -> None: ...

class Alert(_message.Message):
    __slots__ = ("id", "identifier", "sender", "sender_name", "state", "status", "msg_type", "drill", "severity", "level", "colour", "event_type", "texts", "area_codes", "sent", "expires", "references", "created_by", "approved_by", "origin")
    ID_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    SENDER_NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MSG_TYPE_FIELD_NUMBER: _ClassVar[int]
    DRILL_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COLOUR_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    AREA_CODES_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    identifier: str
    sender: str
    sender_name: str
    state: str
    status: str
    msg_type: str
    drill: bool
    severity: str
    level: int
    colour: str
    event_type: str
    texts: _containers.RepeatedCompositeFieldContainer[_alert_events_pb2.AlertText]
    area_codes: _containers.RepeatedScalarFieldContainer[str]
    sent: _timestamp_pb2.Timestamp
    expires: _timestamp_pb2.Timestamp
    references: _containers.RepeatedScalarFieldContainer[str]
    created_by: str
    approved_by: str
    origin: str
    def __init__(self, id: _Optional[str] = ..., identifier: _Optional[str] = ..., sender: _Optional[str] = ..., sender_name: _Optional[str] = ..., state: _Optional[str] = ..., status: _Optional[str] = ..., msg_type: _Optional[str] = ..., drill: _Optional[bool] = ..., severity: _Optional[str] = ..., level: _Optional[int] = ..., colour: _Optional[str] = ..., event_type: _Optional[str] = ..., texts: _Optional[_Iterable[_Union[_alert_events_pb2.AlertText, _Mapping]]] = ..., area_codes: _Optional[_Iterable[str]] = ..., sent: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., references: _Optional[_Iterable[str]] = ..., created_by: _Optional[str] = ..., approved_by: _Optional[str] = ..., origin: _Optional[str] = ...) -> None: ...

class ChannelAreaStatus(_message.Message):
    __slots__ = ("channel", "area_code", "targeted", "delivered", "displayed", "acknowledged")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    TARGETED_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    DISPLAYED_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    channel: str
    area_code: str
    targeted: int
    delivered: int
    displayed: int
    acknowledged: int
    def __init__(self, channel: _Optional[str] = ..., area_code: _Optional[str] = ..., targeted: _Optional[int] = ..., delivered: _Optional[int] = ..., displayed: _Optional[int] = ..., acknowledged: _Optional[int] = ...) -> None: ...

class AlertStatus(_message.Message):
    __slots__ = ("alert", "rows")
    ALERT_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    alert: Alert
    rows: _containers.RepeatedCompositeFieldContainer[ChannelAreaStatus]
    def __init__(self, alert: _Optional[_Union[Alert, _Mapping]] = ..., rows: _Optional[_Iterable[_Union[ChannelAreaStatus, _Mapping]]] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("seq", "action", "actor", "actor_role", "detail", "at")
    SEQ_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ROLE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    seq: int
    action: str
    actor: str
    actor_role: str
    detail: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, seq: _Optional[int] = ..., action: _Optional[str] = ..., actor: _Optional[str] = ..., actor_role: _Optional[str] = ..., detail: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AuditTrail(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...

class CapDocument(_message.Message):
    __slots__ = ("content_type", "xml")
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    XML_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    xml: str
    def __init__(self, content_type: _Optional[str] = ..., xml: _Optional[str] = ...) -> None: ...

class ConnectTerminalRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConnectTerminalsRequest(_message.Message):
    __slots__ = ("tokens",)
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    tokens: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tokens: _Optional[_Iterable[str]] = ...) -> None: ...

class TerminalConnection(_message.Message):
    __slots__ = ("code", "message", "alerts")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    alerts: _containers.RepeatedCompositeFieldContainer[_alert_events_pb2.AlertBroadcast]
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., alerts: _Optional[_Iterable[_Union[_alert_events_pb2.AlertBroadcast, _Mapping]]] = ...) -> None: ...

class ConnectTerminalsResponse(_message.Message):
    __slots__ = ("connections",)
    CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    connections: _containers.RepeatedCompositeFieldContainer[TerminalConnection]
    def __init__(self, connections: _Optional[_Iterable[_Union[TerminalConnection, _Mapping]]] = ...) -> None: ...

class RecordReceiptRequest(_message.Message):
    __slots__ = ("alert_id", "kind")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    kind: str
    def __init__(self, alert_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class RecordReceiptResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TerminalReceipt(_message.Message):
    __slots__ = ("token", "alert_id", "kind")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    token: str
    alert_id: str
    kind: str
    def __init__(self, token: _Optional[str] = ..., alert_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class RecordReceiptsRequest(_message.Message):
    __slots__ = ("receipts",)
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    receipts: _containers.RepeatedCompositeFieldContainer[TerminalReceipt]
    def __init__(self, receipts: _Optional[_Iterable[_Union[TerminalReceipt, _Mapping]]] = ...) -> None: ...

class ReceiptResult(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class RecordReceiptsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ReceiptResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ReceiptResult, _Mapping]]] = ...) -> None: ...

class RegisterTerminalRequest(_message.Message):
    __slots__ = ("channel", "terminal_id", "area_code", "endpoint")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TERMINAL_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    channel: str
    terminal_id: str
    area_code: str
    endpoint: str
    def __init__(self, channel: _Optional[str] = ..., terminal_id: _Optional[str] = ..., area_code: _Optional[str] = ..., endpoint: _Optional[str] = ...) -> None: ...

class Terminal(_message.Message):
    __slots__ = ("channel", "terminal_id", "area_code", "endpoint")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TERMINAL_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    channel: str
    terminal_id: str
    area_code: str
    endpoint: str
    def __init__(self, channel: _Optional[str] = ..., terminal_id: _Optional[str] = ..., area_code: _Optional[str] = ..., endpoint: _Optional[str] = ...) -> None: ...
