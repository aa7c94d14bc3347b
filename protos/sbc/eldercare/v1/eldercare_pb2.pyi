import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetResponseCommitmentsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResponseCommitments(_message.Message):
    __slots__ = ("severities", "answered_within", "follow_up_target", "follow_up_standard")
    SEVERITIES_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_WITHIN_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_TARGET_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_STANDARD_FIELD_NUMBER: _ClassVar[int]
    severities: _containers.RepeatedCompositeFieldContainer[SeverityCommitment]
    answered_within: _containers.RepeatedCompositeFieldContainer[AnswerTimeTarget]
    follow_up_target: float
    follow_up_standard: str
    def __init__(self, severities: _Optional[_Iterable[_Union[SeverityCommitment, _Mapping]]] = ..., answered_within: _Optional[_Iterable[_Union[AnswerTimeTarget, _Mapping]]] = ..., follow_up_target: _Optional[float] = ..., follow_up_standard: _Optional[str] = ...) -> None: ...

class SeverityCommitment(_message.Message):
    __slots__ = ("severity", "severity_name", "acknowledge_within_seconds", "alarm_names", "steps")
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_NAME_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_WITHIN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ALARM_NAMES_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    severity: str
    severity_name: str
    acknowledge_within_seconds: int
    alarm_names: _containers.RepeatedScalarFieldContainer[str]
    steps: _containers.RepeatedCompositeFieldContainer[EscalationStep]
    def __init__(self, severity: _Optional[str] = ..., severity_name: _Optional[str] = ..., acknowledge_within_seconds: _Optional[int] = ..., alarm_names: _Optional[_Iterable[str]] = ..., steps: _Optional[_Iterable[_Union[EscalationStep, _Mapping]]] = ...) -> None: ...

class EscalationStep(_message.Message):
    __slots__ = ("who", "who_name", "after_seconds", "repeat_seconds")
    WHO_FIELD_NUMBER: _ClassVar[int]
    WHO_NAME_FIELD_NUMBER: _ClassVar[int]
    AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REPEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    who: str
    who_name: str
    after_seconds: int
    repeat_seconds: int
    def __init__(self, who: _Optional[str] = ..., who_name: _Optional[str] = ..., after_seconds: _Optional[int] = ..., repeat_seconds: _Optional[int] = ...) -> None: ...

class AnswerTimeTarget(_message.Message):
    __slots__ = ("seconds", "share", "standard")
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    seconds: int
    share: float
    standard: str
    def __init__(self, seconds: _Optional[int] = ..., share: _Optional[float] = ..., standard: _Optional[str] = ...) -> None: ...

class Elder(_message.Message):
    __slots__ = ("id", "household_id", "area_code", "name", "birth_year", "conditions", "emergency_contacts", "consent_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_YEAR_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_CONTACTS_FIELD_NUMBER: _ClassVar[int]
    CONSENT_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    area_code: str
    name: str
    birth_year: int
    conditions: _containers.RepeatedScalarFieldContainer[str]
    emergency_contacts: _containers.RepeatedScalarFieldContainer[str]
    consent_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ..., name: _Optional[str] = ..., birth_year: _Optional[int] = ..., conditions: _Optional[_Iterable[str]] = ..., emergency_contacts: _Optional[_Iterable[str]] = ..., consent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EnrolElderRequest(_message.Message):
    __slots__ = ("name", "birth_year", "conditions", "emergency_contacts")
    NAME_FIELD_NUMBER: _ClassVar[int]
    BIRTH_YEAR_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_CONTACTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    birth_year: int
    conditions: _containers.RepeatedScalarFieldContainer[str]
    emergency_contacts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., birth_year: _Optional[int] = ..., conditions: _Optional[_Iterable[str]] = ..., emergency_contacts: _Optional[_Iterable[str]] = ...) -> None: ...

class ListEldersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEldersResponse(_message.Message):
    __slots__ = ("elders",)
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    elders: _containers.RepeatedCompositeFieldContainer[Elder]
    def __init__(self, elders: _Optional[_Iterable[_Union[Elder, _Mapping]]] = ...) -> None: ...

class InviteFamilyRequest(_message.Message):
    __slots__ = ("elder_id", "phone")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    phone: str
    def __init__(self, elder_id: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class FamilyInvitation(_message.Message):
    __slots__ = ("code", "elder_id", "expires_at", "phone", "elder_name")
    CODE_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    code: str
    elder_id: str
    expires_at: _timestamp_pb2.Timestamp
    phone: str
    elder_name: str
    def __init__(self, code: _Optional[str] = ..., elder_id: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., phone: _Optional[str] = ..., elder_name: _Optional[str] = ...) -> None: ...

class ListFamilyInvitationsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFamilyInvitationsResponse(_message.Message):
    __slots__ = ("invitations",)
    INVITATIONS_FIELD_NUMBER: _ClassVar[int]
    invitations: _containers.RepeatedCompositeFieldContainer[FamilyInvitation]
    def __init__(self, invitations: _Optional[_Iterable[_Union[FamilyInvitation, _Mapping]]] = ...) -> None: ...

class BindFamilyRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class FamilyBinding(_message.Message):
    __slots__ = ("elder_id", "elder_name", "household_id", "bound_at")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_NAME_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    BOUND_AT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    elder_name: str
    household_id: str
    bound_at: _timestamp_pb2.Timestamp
    def __init__(self, elder_id: _Optional[str] = ..., elder_name: _Optional[str] = ..., household_id: _Optional[str] = ..., bound_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TelemetryKey(_message.Message):
    __slots__ = ("key", "type", "min", "max", "unit")
    KEY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    key: str
    type: str
    min: float
    max: float
    unit: str
    def __init__(self, key: _Optional[str] = ..., type: _Optional[str] = ..., min: _Optional[float] = ..., max: _Optional[float] = ..., unit: _Optional[str] = ...) -> None: ...

class AlarmRule(_message.Message):
    __slots__ = ("alarm", "kind", "key", "severity", "has_below", "below", "has_above", "above", "seconds")
    ALARM_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    HAS_BELOW_FIELD_NUMBER: _ClassVar[int]
    BELOW_FIELD_NUMBER: _ClassVar[int]
    HAS_ABOVE_FIELD_NUMBER: _ClassVar[int]
    ABOVE_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    alarm: str
    kind: str
    key: str
    severity: str
    has_below: bool
    below: float
    has_above: bool
    above: float
    seconds: float
    def __init__(self, alarm: _Optional[str] = ..., kind: _Optional[str] = ..., key: _Optional[str] = ..., severity: _Optional[str] = ..., has_below: _Optional[bool] = ..., below: _Optional[float] = ..., has_above: _Optional[bool] = ..., above: _Optional[float] = ..., seconds: _Optional[float] = ...) -> None: ...

class DeviceProfile(_message.Message):
    __slots__ = ("key", "name", "strategy", "properties", "telemetry", "events", "commands", "rules", "offline_after_seconds")
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    TELEMETRY_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    key: str
    name: str
    strategy: str
    properties: _containers.RepeatedScalarFieldContainer[str]
    telemetry: _containers.RepeatedCompositeFieldContainer[TelemetryKey]
    events: _containers.RepeatedScalarFieldContainer[str]
    commands: _containers.RepeatedScalarFieldContainer[str]
    rules: _containers.RepeatedCompositeFieldContainer[AlarmRule]
    offline_after_seconds: int
    def __init__(self, key: _Optional[str] = ..., name: _Optional[str] = ..., strategy: _Optional[str] = ..., properties: _Optional[_Iterable[str]] = ..., telemetry: _Optional[_Iterable[_Union[TelemetryKey, _Mapping]]] = ..., events: _Optional[_Iterable[str]] = ..., commands: _Optional[_Iterable[str]] = ..., rules: _Optional[_Iterable[_Union[AlarmRule, _Mapping]]] = ..., offline_after_seconds: _Optional[int] = ...) -> None: ...

class ListDeviceProfilesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListDeviceProfilesResponse(_message.Message):
    __slots__ = ("profiles",)
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    profiles: _containers.RepeatedCompositeFieldContainer[DeviceProfile]
    def __init__(self, profiles: _Optional[_Iterable[_Union[DeviceProfile, _Mapping]]] = ...) -> None: ...

class Device(_message.Message):
    __slots__ = ("id", "profile", "serial", "state", "elder_id", "online", "last_seen_at", "latest_json", "offline_after_seconds", "own_offline_timeout")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    LATEST_JSON_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OWN_OFFLINE_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    id: str
    profile: str
    serial: str
    state: str
    elder_id: str
    online: bool
    last_seen_at: _timestamp_pb2.Timestamp
    latest_json: str
    offline_after_seconds: int
    own_offline_timeout: bool
    def __init__(self, id: _Optional[str] = ..., profile: _Optional[str] = ..., serial: _Optional[str] = ..., state: _Optional[str] = ..., elder_id: _Optional[str] = ..., online: _Optional[bool] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., latest_json: _Optional[str] = ..., offline_after_seconds: _Optional[int] = ..., own_offline_timeout: _Optional[bool] = ...) -> None: ...

class RegisterDeviceRequest(_message.Message):
    __slots__ = ("profile", "serial", "elder_id")
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    profile: str
    serial: str
    elder_id: str
    def __init__(self, profile: _Optional[str] = ..., serial: _Optional[str] = ..., elder_id: _Optional[str] = ...) -> None: ...

class ProvisionDeviceRequest(_message.Message):
    __slots__ = ("provision_key", "provision_secret", "serial")
    PROVISION_KEY_FIELD_NUMBER: _ClassVar[int]
    PROVISION_SECRET_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    provision_key: str
    provision_secret: str
    serial: str
    def __init__(self, provision_key: _Optional[str] = ..., provision_secret: _Optional[str] = ..., serial: _Optional[str] = ...) -> None: ...

class ProvisionedDevice(_message.Message):
    __slots__ = ("device_id", "profile", "credential", "telemetry_topic", "events_topic", "commands_topic", "replies_topic")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    TELEMETRY_TOPIC_FIELD_NUMBER: _ClassVar[int]
    EVENTS_TOPIC_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_TOPIC_FIELD_NUMBER: _ClassVar[int]
    REPLIES_TOPIC_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    profile: str
    credential: str
    telemetry_topic: str
    events_topic: str
    commands_topic: str
    replies_topic: str
    def __init__(self, device_id: _Optional[str] = ..., profile: _Optional[str] = ..., credential: _Optional[str] = ..., telemetry_topic: _Optional[str] = ..., events_topic: _Optional[str] = ..., commands_topic: _Optional[str] = ..., replies_topic: _Optional[str] = ...) -> None: ...

class DeviceRequest(_message.Message):
    __slots__ = ("device_id",)
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    def __init__(self, device_id: _Optional[str] = ...) -> None: ...

class SetDeviceOfflineTimeoutRequest(_message.Message):
    __slots__ = ("device_id", "offline_after_seconds")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    offline_after_seconds: int
    def __init__(self, device_id: _Optional[str] = ..., offline_after_seconds: _Optional[int] = ...) -> None: ...

class AssignDeviceRequest(_message.Message):
    __slots__ = ("device_id", "elder_id")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    elder_id: str
    def __init__(self, device_id: _Optional[str] = ..., elder_id: _Optional[str] = ...) -> None: ...

class ListDevicesRequest(_message.Message):
    __slots__ = ("elder_id",)
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    def __init__(self, elder_id: _Optional[str] = ...) -> None: ...

class ListDevicesResponse(_message.Message):
    __slots__ = ("devices",)
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[Device]
    def __init__(self, devices: _Optional[_Iterable[_Union[Device, _Mapping]]] = ...) -> None: ...

class Alarm(_message.Message):
    __slots__ = ("id", "type", "name", "severity", "state", "device_id", "elder_id", "area_code", "raised_at", "last_at", "repeats", "acknowledged_at", "acknowledged_by", "cleared_at", "resolved_at", "resolved_by", "follow_up", "escalation_step", "reminders", "acknowledge_by", "overdue", "notes", "rating_level", "rated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_AT_FIELD_NUMBER: _ClassVar[int]
    REPEATS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_BY_FIELD_NUMBER: _ClassVar[int]
    CLEARED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_STEP_FIELD_NUMBER: _ClassVar[int]
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGE_BY_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    RATING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    name: str
    severity: str
    state: str
    device_id: str
    elder_id: str
    area_code: str
    raised_at: _timestamp_pb2.Timestamp
    last_at: _timestamp_pb2.Timestamp
    repeats: int
    acknowledged_at: _timestamp_pb2.Timestamp
    acknowledged_by: str
    cleared_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    resolved_by: str
    follow_up: str
    escalation_step: int
    reminders: int
    acknowledge_by: _timestamp_pb2.Timestamp
    overdue: bool
    notes: _containers.RepeatedCompositeFieldContainer[FollowUpNote]
    rating_level: str
    rated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., severity: _Optional[str] = ..., state: _Optional[str] = ..., device_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., area_code: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., repeats: _Optional[int] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_by: _Optional[str] = ..., cleared_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_by: _Optional[str] = ..., follow_up: _Optional[str] = ..., escalation_step: _Optional[int] = ..., reminders: _Optional[int] = ..., acknowledge_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ..., notes: _Optional[_Iterable[_Union[FollowUpNote, _Mapping]]] = ..., rating_level: _Optional[str] = ..., rated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FollowUpNote(_message.Message):
    __slots__ = ("by", "text", "at")
    BY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    by: str
    text: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, by: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddFollowUpNoteRequest(_message.Message):
    __slots__ = ("id", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class GetAlarmFiguresRequest(_message.Message):
    __slots__ = ("days",)
    DAYS_FIELD_NUMBER: _ClassVar[int]
    days: int
    def __init__(self, days: _Optional[int] = ...) -> None: ...

class AnswerTimeFigure(_message.Message):
    __slots__ = ("within_seconds", "answered", "counted", "share", "target", "standard")
    WITHIN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    within_seconds: int
    answered: int
    counted: int
    share: float
    target: float
    standard: str
    def __init__(self, within_seconds: _Optional[int] = ..., answered: _Optional[int] = ..., counted: _Optional[int] = ..., share: _Optional[float] = ..., target: _Optional[float] = ..., standard: _Optional[str] = ...) -> None: ...

class AlarmFigures(_message.Message):
    __slots__ = ("days", "raised", "closed", "followed_up", "follow_up_rate", "follow_up_target", "follow_up_standard", "answer_times", "median_answer_seconds")
    DAYS_FIELD_NUMBER: _ClassVar[int]
    RAISED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    FOLLOWED_UP_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_RATE_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_TARGET_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_STANDARD_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TIMES_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_ANSWER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    days: int
    raised: int
    closed: int
    followed_up: int
    follow_up_rate: float
    follow_up_target: float
    follow_up_standard: str
    answer_times: _containers.RepeatedCompositeFieldContainer[AnswerTimeFigure]
    median_answer_seconds: float
    def __init__(self, days: _Optional[int] = ..., raised: _Optional[int] = ..., closed: _Optional[int] = ..., followed_up: _Optional[int] = ..., follow_up_rate: _Optional[float] = ..., follow_up_target: _Optional[float] = ..., follow_up_standard: _Optional[str] = ..., answer_times: _Optional[_Iterable[_Union[AnswerTimeFigure, _Mapping]]] = ..., median_answer_seconds: _Optional[float] = ...) -> None: ...

class ListAlarmsRequest(_message.Message):
    __slots__ = ("elder_id", "open_only", "limit")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    OPEN_ONLY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    open_only: bool
    limit: int
    def __init__(self, elder_id: _Optional[str] = ..., open_only: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class ListAlarmsResponse(_message.Message):
    __slots__ = ("alarms",)
    ALARMS_FIELD_NUMBER: _ClassVar[int]
    alarms: _containers.RepeatedCompositeFieldContainer[Alarm]
    def __init__(self, alarms: _Optional[_Iterable[_Union[Alarm, _Mapping]]] = ...) -> None: ...

class AcknowledgeAlarmRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ResolveAlarmRequest(_message.Message):
    __slots__ = ("id", "follow_up")
    ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    id: str
    follow_up: str
    def __init__(self, id: _Optional[str] = ..., follow_up: _Optional[str] = ...) -> None: ...

class PressSosRequest(_message.Message):
    __slots__ = ("elder_id",)
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    def __init__(self, elder_id: _Optional[str] = ...) -> None: ...

class GetHomeSummaryRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HomeSummary(_message.Message):
    __slots__ = ("elders", "open_alarms", "reminders", "due_doses", "family_elders", "missed_doses")
    ELDERS_FIELD_NUMBER: _ClassVar[int]
    OPEN_ALARMS_FIELD_NUMBER: _ClassVar[int]
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    DUE_DOSES_FIELD_NUMBER: _ClassVar[int]
    FAMILY_ELDERS_FIELD_NUMBER: _ClassVar[int]
    MISSED_DOSES_FIELD_NUMBER: _ClassVar[int]
    elders: int
    open_alarms: int
    reminders: int
    due_doses: int
    family_elders: int
    missed_doses: int
    def __init__(self, elders: _Optional[int] = ..., open_alarms: _Optional[int] = ..., reminders: _Optional[int] = ..., due_doses: _Optional[int] = ..., family_elders: _Optional[int] = ..., missed_doses: _Optional[int] = ...) -> None: ...

class MedicationTiming(_message.Message):
    __slots__ = ("times_of_day", "days_of_week", "every_days", "starts_on", "ends_on")
    TIMES_OF_DAY_FIELD_NUMBER: _ClassVar[int]
    DAYS_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    EVERY_DAYS_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    times_of_day: _containers.RepeatedScalarFieldContainer[str]
    days_of_week: _containers.RepeatedScalarFieldContainer[str]
    every_days: int
    starts_on: str
    ends_on: str
    def __init__(self, times_of_day: _Optional[_Iterable[str]] = ..., days_of_week: _Optional[_Iterable[str]] = ..., every_days: _Optional[int] = ..., starts_on: _Optional[str] = ..., ends_on: _Optional[str] = ...) -> None: ...

class MedicationSchedule(_message.Message):
    __slots__ = ("id", "elder_id", "medicine", "dose", "timing", "created_by", "created_at", "stopped_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDICINE_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    TIMING_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STOPPED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    medicine: str
    dose: str
    timing: MedicationTiming
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    stopped_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., medicine: _Optional[str] = ..., dose: _Optional[str] = ..., timing: _Optional[_Union[MedicationTiming, _Mapping]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stopped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetMedicationScheduleRequest(_message.Message):
    __slots__ = ("elder_id", "medicine", "dose", "timing")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDICINE_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    TIMING_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    medicine: str
    dose: str
    timing: MedicationTiming
    def __init__(self, elder_id: _Optional[str] = ..., medicine: _Optional[str] = ..., dose: _Optional[str] = ..., timing: _Optional[_Union[MedicationTiming, _Mapping]] = ...) -> None: ...

class StopMedicationScheduleRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListMedicationSchedulesRequest(_message.Message):
    __slots__ = ("elder_id",)
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    def __init__(self, elder_id: _Optional[str] = ...) -> None: ...

class ListMedicationSchedulesResponse(_message.Message):
    __slots__ = ("schedules",)
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    schedules: _containers.RepeatedCompositeFieldContainer[MedicationSchedule]
    def __init__(self, schedules: _Optional[_Iterable[_Union[MedicationSchedule, _Mapping]]] = ...) -> None: ...

class Dose(_message.Message):
    __slots__ = ("id", "schedule_id", "elder_id", "medicine", "dose", "due_at", "state", "reminders", "confirm_by", "confirmed_at", "confirmed_by", "missed_at", "may_confirm")
    ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDICINE_FIELD_NUMBER: _ClassVar[int]
    DOSE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_BY_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_BY_FIELD_NUMBER: _ClassVar[int]
    MISSED_AT_FIELD_NUMBER: _ClassVar[int]
    MAY_CONFIRM_FIELD_NUMBER: _ClassVar[int]
    id: str
    schedule_id: str
    elder_id: str
    medicine: str
    dose: str
    due_at: _timestamp_pb2.Timestamp
    state: str
    reminders: int
    confirm_by: _timestamp_pb2.Timestamp
    confirmed_at: _timestamp_pb2.Timestamp
    confirmed_by: str
    missed_at: _timestamp_pb2.Timestamp
    may_confirm: bool
    def __init__(self, id: _Optional[str] = ..., schedule_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., medicine: _Optional[str] = ..., dose: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., reminders: _Optional[int] = ..., confirm_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., confirmed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., confirmed_by: _Optional[str] = ..., missed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., may_confirm: _Optional[bool] = ...) -> None: ...

class ListDosesRequest(_message.Message):
    __slots__ = ("elder_id", "state", "limit")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    state: str
    limit: int
    def __init__(self, elder_id: _Optional[str] = ..., state: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListDosesResponse(_message.Message):
    __slots__ = ("doses",)
    DOSES_FIELD_NUMBER: _ClassVar[int]
    doses: _containers.RepeatedCompositeFieldContainer[Dose]
    def __init__(self, doses: _Optional[_Iterable[_Union[Dose, _Mapping]]] = ...) -> None: ...

class ConfirmDoseRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class SendDeviceCommandRequest(_message.Message):
    __slots__ = ("device_id", "command", "ttl_seconds")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    command: str
    ttl_seconds: int
    def __init__(self, device_id: _Optional[str] = ..., command: _Optional[str] = ..., ttl_seconds: _Optional[int] = ...) -> None: ...

class DeviceCommand(_message.Message):
    __slots__ = ("id", "device_id", "command", "state", "created_by", "created_at", "expires_at", "sent_at", "delivered_at", "done_at", "result")
    ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    id: str
    device_id: str
    command: str
    state: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    sent_at: _timestamp_pb2.Timestamp
    delivered_at: _timestamp_pb2.Timestamp
    done_at: _timestamp_pb2.Timestamp
    result: str
    def __init__(self, id: _Optional[str] = ..., device_id: _Optional[str] = ..., command: _Optional[str] = ..., state: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., done_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., result: _Optional[str] = ...) -> None: ...

class ListDeviceCommandsRequest(_message.Message):
    __slots__ = ("device_id", "limit")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    limit: int
    def __init__(self, device_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListDeviceCommandsResponse(_message.Message):
    __slots__ = ("commands",)
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    commands: _containers.RepeatedCompositeFieldContainer[DeviceCommand]
    def __init__(self, commands: _Optional[_Iterable[_Union[DeviceCommand, _Mapping]]] = ...) -> None: ...

class CareOrderKind(_message.Message):
    __slots__ = ("key", "name", "working_days", "providers")
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    key: str
    name: str
    working_days: int
    providers: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, key: _Optional[str] = ..., name: _Optional[str] = ..., working_days: _Optional[int] = ..., providers: _Optional[_Iterable[str]] = ...) -> None: ...

class ListCareOrderKindsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCareOrderKindsResponse(_message.Message):
    __slots__ = ("kinds", "rating_indicators", "rating_reasons")
    KINDS_FIELD_NUMBER: _ClassVar[int]
    RATING_INDICATORS_FIELD_NUMBER: _ClassVar[int]
    RATING_REASONS_FIELD_NUMBER: _ClassVar[int]
    kinds: _containers.RepeatedCompositeFieldContainer[CareOrderKind]
    rating_indicators: _containers.RepeatedScalarFieldContainer[str]
    rating_reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kinds: _Optional[_Iterable[_Union[CareOrderKind, _Mapping]]] = ..., rating_indicators: _Optional[_Iterable[str]] = ..., rating_reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateCareOrderRequest(_message.Message):
    __slots__ = ("elder_id", "kind", "details", "provider")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    kind: str
    details: str
    provider: str
    def __init__(self, elder_id: _Optional[str] = ..., kind: _Optional[str] = ..., details: _Optional[str] = ..., provider: _Optional[str] = ...) -> None: ...

class CareOrder(_message.Message):
    __slots__ = ("id", "elder_id", "kind", "kind_name", "details", "provider", "state", "created_by", "created_at", "deadline", "overdue", "accepted_at", "accepted_by", "done_at", "done_by", "note", "cancelled_at", "rating_level", "rating_indicators", "rating_comment", "rating_reasons", "rated_at")
    class RatingIndicatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_NAME_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_BY_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    DONE_BY_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    RATING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RATING_INDICATORS_FIELD_NUMBER: _ClassVar[int]
    RATING_COMMENT_FIELD_NUMBER: _ClassVar[int]
    RATING_REASONS_FIELD_NUMBER: _ClassVar[int]
    RATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    elder_id: str
    kind: str
    kind_name: str
    details: str
    provider: str
    state: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    overdue: bool
    accepted_at: _timestamp_pb2.Timestamp
    accepted_by: str
    done_at: _timestamp_pb2.Timestamp
    done_by: str
    note: str
    cancelled_at: _timestamp_pb2.Timestamp
    rating_level: str
    rating_indicators: _containers.ScalarMap[str, int]
    rating_comment: str
    rating_reasons: _containers.RepeatedScalarFieldContainer[str]
    rated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., elder_id: _Optional[str] = ..., kind: _Optional[str] = ..., kind_name: _Optional[str] = ..., details: _Optional[str] = ..., provider: _Optional[str] = ..., state: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ..., accepted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., accepted_by: _Optional[str] = ..., done_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., done_by: _Optional[str] = ..., note: _Optional[str] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rating_level: _Optional[str] = ..., rating_indicators: _Optional[_Mapping[str, int]] = ..., rating_comment: _Optional[str] = ..., rating_reasons: _Optional[_Iterable[str]] = ..., rated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListCareOrdersRequest(_message.Message):
    __slots__ = ("elder_id", "state", "limit")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    state: str
    limit: int
    def __init__(self, elder_id: _Optional[str] = ..., state: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListCareOrdersResponse(_message.Message):
    __slots__ = ("orders",)
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    orders: _containers.RepeatedCompositeFieldContainer[CareOrder]
    def __init__(self, orders: _Optional[_Iterable[_Union[CareOrder, _Mapping]]] = ...) -> None: ...

class CareOrderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CompleteCareOrderRequest(_message.Message):
    __slots__ = ("id", "note")
    ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    id: str
    note: str
    def __init__(self, id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RateCareOrderRequest(_message.Message):
    __slots__ = ("id", "level", "indicators", "comment", "reasons")
    class IndicatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    level: str
    indicators: _containers.ScalarMap[str, int]
    comment: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., comment: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class RateAlarmRequest(_message.Message):
    __slots__ = ("id", "level", "indicators", "comment", "reasons")
    class IndicatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    level: str
    indicators: _containers.ScalarMap[str, int]
    comment: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., comment: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class Rectification(_message.Message):
    __slots__ = ("id", "subject", "subject_id", "elder_id", "rated_by", "level", "comment", "reasons", "opened_at", "state", "overdue", "call_back_by", "due_at", "called_back_at", "call_back_note", "fixed_at", "answer")
    ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    RATED_BY_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_BY_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CALLED_BACK_AT_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_NOTE_FIELD_NUMBER: _ClassVar[int]
    FIXED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    id: str
    subject: str
    subject_id: str
    elder_id: str
    rated_by: str
    level: str
    comment: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    opened_at: _timestamp_pb2.Timestamp
    state: str
    overdue: bool
    call_back_by: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    called_back_at: _timestamp_pb2.Timestamp
    call_back_note: str
    fixed_at: _timestamp_pb2.Timestamp
    answer: str
    def __init__(self, id: _Optional[str] = ..., subject: _Optional[str] = ..., subject_id: _Optional[str] = ..., elder_id: _Optional[str] = ..., rated_by: _Optional[str] = ..., level: _Optional[str] = ..., comment: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., overdue: _Optional[bool] = ..., call_back_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., called_back_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., call_back_note: _Optional[str] = ..., fixed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer: _Optional[str] = ...) -> None: ...

class ListRectificationsRequest(_message.Message):
    __slots__ = ("elder_id", "open_only", "limit")
    ELDER_ID_FIELD_NUMBER: _ClassVar[int]
    OPEN_ONLY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    elder_id: str
    open_only: bool
    limit: int
    def __init__(self, elder_id: _Optional[str] = ..., open_only: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class ListRectificationsResponse(_message.Message):
    __slots__ = ("rectifications",)
    RECTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    rectifications: _containers.RepeatedCompositeFieldContainer[Rectification]
    def __init__(self, rectifications: _Optional[_Iterable[_Union[Rectification, _Mapping]]] = ...) -> None: ...

class AnswerRectificationRequest(_message.Message):
    __slots__ = ("id", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...
