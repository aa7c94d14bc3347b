import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetPublicFiguresRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PublicFigures(_message.Message):
    __slots__ = ("since", "done", "done_on_time", "at")
    SINCE_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_TIME_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    since: str
    done: int
    done_on_time: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, since: _Optional[str] = ..., done: _Optional[int] = ..., done_on_time: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OutreachEvent(_message.Message):
    __slots__ = ("id", "service_point_code", "area", "place", "date", "start_time", "end_time", "service_types", "text")
    ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    service_point_code: str
    area: _common_pb2.Area
    place: str
    date: str
    start_time: str
    end_time: str
    service_types: _containers.RepeatedScalarFieldContainer[str]
    text: str
    def __init__(self, id: _Optional[str] = ..., service_point_code: _Optional[str] = ..., area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., place: _Optional[str] = ..., date: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., service_types: _Optional[_Iterable[str]] = ..., text: _Optional[str] = ...) -> None: ...

class ListOutreachEventsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListOutreachEventsResponse(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[OutreachEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[OutreachEvent, _Mapping]]] = ...) -> None: ...

class CreateOutreachEventRequest(_message.Message):
    __slots__ = ("date", "start_time", "end_time", "area_code", "place", "service_types")
    DATE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    date: str
    start_time: str
    end_time: str
    area_code: str
    place: str
    service_types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, date: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., area_code: _Optional[str] = ..., place: _Optional[str] = ..., service_types: _Optional[_Iterable[str]] = ...) -> None: ...

class GetCatalogRequest(_message.Message):
    __slots__ = ("on_date", "district_code")
    ON_DATE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    on_date: str
    district_code: str
    def __init__(self, on_date: _Optional[str] = ..., district_code: _Optional[str] = ...) -> None: ...

class Catalog(_message.Message):
    __slots__ = ("version", "effective_from", "service_types", "quality_commitments", "material_names", "channel_names")
    class MaterialNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ChannelNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPES_FIELD_NUMBER: _ClassVar[int]
    QUALITY_COMMITMENTS_FIELD_NUMBER: _ClassVar[int]
    MATERIAL_NAMES_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_NAMES_FIELD_NUMBER: _ClassVar[int]
    version: str
    effective_from: str
    service_types: _containers.RepeatedCompositeFieldContainer[ServiceStandard]
    quality_commitments: _containers.RepeatedCompositeFieldContainer[QualityCommitment]
    material_names: _containers.ScalarMap[str, str]
    channel_names: _containers.ScalarMap[str, str]
    def __init__(self, version: _Optional[str] = ..., effective_from: _Optional[str] = ..., service_types: _Optional[_Iterable[_Union[ServiceStandard, _Mapping]]] = ..., quality_commitments: _Optional[_Iterable[_Union[QualityCommitment, _Mapping]]] = ..., material_names: _Optional[_Mapping[str, str]] = ..., channel_names: _Optional[_Mapping[str, str]] = ...) -> None: ...

class QualityCommitment(_message.Message):
    __slots__ = ("code", "name", "commitment", "target", "unit", "source")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    commitment: str
    target: float
    unit: str
    source: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., commitment: _Optional[str] = ..., target: _Optional[float] = ..., unit: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...

class ServiceStandard(_message.Message):
    __slots__ = ("code", "name", "name_en", "covers", "time_limit_hours", "fee", "materials", "home_visit_offered", "channels", "compensation", "guide")
    class TimeLimitHoursEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    COVERS_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_HOURS_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    HOME_VISIT_OFFERED_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    COMPENSATION_FIELD_NUMBER: _ClassVar[int]
    GUIDE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    name_en: str
    covers: str
    time_limit_hours: _containers.ScalarMap[str, int]
    fee: _common_pb2.Money
    materials: _containers.RepeatedScalarFieldContainer[str]
    home_visit_offered: bool
    channels: _containers.RepeatedScalarFieldContainer[str]
    compensation: str
    guide: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., name_en: _Optional[str] = ..., covers: _Optional[str] = ..., time_limit_hours: _Optional[_Mapping[str, int]] = ..., fee: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., materials: _Optional[_Iterable[str]] = ..., home_visit_offered: _Optional[bool] = ..., channels: _Optional[_Iterable[str]] = ..., compensation: _Optional[str] = ..., guide: _Optional[str] = ...) -> None: ...

class ListServicePointsRequest(_message.Message):
    __slots__ = ("district_code",)
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    district_code: str
    def __init__(self, district_code: _Optional[str] = ...) -> None: ...

class ListServicePointsResponse(_message.Message):
    __slots__ = ("service_points",)
    SERVICE_POINTS_FIELD_NUMBER: _ClassVar[int]
    service_points: _containers.RepeatedCompositeFieldContainer[ServicePoint]
    def __init__(self, service_points: _Optional[_Iterable[_Union[ServicePoint, _Mapping]]] = ...) -> None: ...

class ServicePoint(_message.Message):
    __slots__ = ("code", "name", "area", "technicians", "agency_points")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    TECHNICIANS_FIELD_NUMBER: _ClassVar[int]
    AGENCY_POINTS_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    area: _common_pb2.Area
    technicians: _containers.RepeatedScalarFieldContainer[str]
    agency_points: _containers.RepeatedCompositeFieldContainer[VillageAgencyPoint]
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., technicians: _Optional[_Iterable[str]] = ..., agency_points: _Optional[_Iterable[_Union[VillageAgencyPoint, _Mapping]]] = ...) -> None: ...

class VillageAgencyPoint(_message.Message):
    __slots__ = ("area", "name")
    AREA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    area: _common_pb2.Area
    name: str
    def __init__(self, area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., name: _Optional[str] = ...) -> None: ...

class CreateServiceRequestRequest(_message.Message):
    __slots__ = ("service_type", "description", "idempotency_key", "channel", "materials", "household_id", "household_area_code", "consent", "outreach_event_id", "home_visit")
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    OUTREACH_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    HOME_VISIT_FIELD_NUMBER: _ClassVar[int]
    service_type: str
    description: str
    idempotency_key: str
    channel: str
    materials: _containers.RepeatedScalarFieldContainer[str]
    household_id: str
    household_area_code: str
    consent: str
    outreach_event_id: str
    home_visit: str
    def __init__(self, service_type: _Optional[str] = ..., description: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., channel: _Optional[str] = ..., materials: _Optional[_Iterable[str]] = ..., household_id: _Optional[str] = ..., household_area_code: _Optional[str] = ..., consent: _Optional[str] = ..., outreach_event_id: _Optional[str] = ..., home_visit: _Optional[str] = ...) -> None: ...

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

class ListPointQueueRequest(_message.Message):
    __slots__ = ("state", "page")
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    state: str
    page: _common_pb2.PageRequest
    def __init__(self, state: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMyJobsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ActOnRequest(_message.Message):
    __slots__ = ("id", "reason")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DispatchServiceRequestRequest(_message.Message):
    __slots__ = ("id", "technician", "window_start", "window_end")
    ID_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    id: str
    technician: str
    window_start: _timestamp_pb2.Timestamp
    window_end: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., technician: _Optional[str] = ..., window_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RateServiceRequestRequest(_message.Message):
    __slots__ = ("id", "level", "indicators", "comment")
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
    id: str
    level: str
    indicators: _containers.ScalarMap[str, int]
    comment: str
    def __init__(self, id: _Optional[str] = ..., level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., comment: _Optional[str] = ...) -> None: ...

class Rating(_message.Message):
    __slots__ = ("level", "indicators", "comment", "at")
    class IndicatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    level: str
    indicators: _containers.ScalarMap[str, int]
    comment: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., comment: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Rectification(_message.Message):
    __slots__ = ("deadline", "follow_up", "followed_up_at")
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    FOLLOWED_UP_AT_FIELD_NUMBER: _ClassVar[int]
    deadline: _timestamp_pb2.Timestamp
    follow_up: str
    followed_up_at: _timestamp_pb2.Timestamp
    def __init__(self, deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., follow_up: _Optional[str] = ..., followed_up_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ServiceRequest(_message.Message):
    __slots__ = ("id", "reference_number", "household_id", "area", "service_type", "description", "state", "channel", "submitted_at", "submitted_by", "service_point_code", "catalog_version", "area_type", "deadline", "technician", "window_start", "window_end", "resolved_at", "compensation", "reason", "rating", "rectification", "consent", "outreach_event_id", "home_visit")
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
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_VERSION_FIELD_NUMBER: _ClassVar[int]
    AREA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    TECHNICIAN_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPENSATION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    RECTIFICATION_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    OUTREACH_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    HOME_VISIT_FIELD_NUMBER: _ClassVar[int]
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
    service_point_code: str
    catalog_version: str
    area_type: str
    deadline: _timestamp_pb2.Timestamp
    technician: str
    window_start: _timestamp_pb2.Timestamp
    window_end: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    compensation: _common_pb2.Money
    reason: str
    rating: Rating
    rectification: Rectification
    consent: str
    outreach_event_id: str
    home_visit: str
    def __init__(self, id: _Optional[str] = ..., reference_number: _Optional[str] = ..., household_id: _Optional[str] = ..., area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., service_type: _Optional[str] = ..., description: _Optional[str] = ..., state: _Optional[str] = ..., channel: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_by: _Optional[_Union[_common_pb2.AuditStamp, _Mapping]] = ..., service_point_code: _Optional[str] = ..., catalog_version: _Optional[str] = ..., area_type: _Optional[str] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., technician: _Optional[str] = ..., window_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., compensation: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., rating: _Optional[_Union[Rating, _Mapping]] = ..., rectification: _Optional[_Union[Rectification, _Mapping]] = ..., consent: _Optional[str] = ..., outreach_event_id: _Optional[str] = ..., home_visit: _Optional[str] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("from_state", "to_state", "by", "reason")
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    from_state: str
    to_state: str
    by: _common_pb2.AuditStamp
    reason: str
    def __init__(self, from_state: _Optional[str] = ..., to_state: _Optional[str] = ..., by: _Optional[_Union[_common_pb2.AuditStamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ListAuditEntriesResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...

class GetAssessmentRequest(_message.Message):
    __slots__ = ("period", "months")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    period: str
    months: int
    def __init__(self, period: _Optional[str] = ..., months: _Optional[int] = ...) -> None: ...

class PointMetrics(_message.Message):
    __slots__ = ("requests", "by_type", "by_channel", "resolved", "on_time_rate", "median_hours_by_type", "p90_hours_by_type", "backlog", "overdue", "overdue_rate", "satisfaction_rate", "bad_ratings", "rectification_rate", "complaint_rate", "compensation")
    class ByTypeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ByChannelEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class MedianHoursByTypeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class P90HoursByTypeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    BY_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_HOURS_BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    P90_HOURS_BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_RATE_FIELD_NUMBER: _ClassVar[int]
    SATISFACTION_RATE_FIELD_NUMBER: _ClassVar[int]
    BAD_RATINGS_FIELD_NUMBER: _ClassVar[int]
    RECTIFICATION_RATE_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_RATE_FIELD_NUMBER: _ClassVar[int]
    COMPENSATION_FIELD_NUMBER: _ClassVar[int]
    requests: int
    by_type: _containers.ScalarMap[str, int]
    by_channel: _containers.ScalarMap[str, int]
    resolved: int
    on_time_rate: _wrappers_pb2.DoubleValue
    median_hours_by_type: _containers.ScalarMap[str, float]
    p90_hours_by_type: _containers.ScalarMap[str, float]
    backlog: int
    overdue: int
    overdue_rate: _wrappers_pb2.DoubleValue
    satisfaction_rate: _wrappers_pb2.DoubleValue
    bad_ratings: int
    rectification_rate: _wrappers_pb2.DoubleValue
    complaint_rate: _wrappers_pb2.DoubleValue
    compensation: _common_pb2.Money
    def __init__(self, requests: _Optional[int] = ..., by_type: _Optional[_Mapping[str, int]] = ..., by_channel: _Optional[_Mapping[str, int]] = ..., resolved: _Optional[int] = ..., on_time_rate: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., median_hours_by_type: _Optional[_Mapping[str, float]] = ..., p90_hours_by_type: _Optional[_Mapping[str, float]] = ..., backlog: _Optional[int] = ..., overdue: _Optional[int] = ..., overdue_rate: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., satisfaction_rate: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., bad_ratings: _Optional[int] = ..., rectification_rate: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., complaint_rate: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., compensation: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class PointAssessment(_message.Message):
    __slots__ = ("service_point_code", "name", "area", "rank", "score", "metrics", "score_series", "requests_series")
    SERVICE_POINT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AREA_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    SCORE_SERIES_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_SERIES_FIELD_NUMBER: _ClassVar[int]
    service_point_code: str
    name: str
    area: _common_pb2.Area
    rank: int
    score: float
    metrics: PointMetrics
    score_series: _containers.RepeatedScalarFieldContainer[float]
    requests_series: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, service_point_code: _Optional[str] = ..., name: _Optional[str] = ..., area: _Optional[_Union[_common_pb2.Area, _Mapping]] = ..., rank: _Optional[int] = ..., score: _Optional[float] = ..., metrics: _Optional[_Union[PointMetrics, _Mapping]] = ..., score_series: _Optional[_Iterable[float]] = ..., requests_series: _Optional[_Iterable[int]] = ...) -> None: ...

class Assessment(_message.Message):
    __slots__ = ("period", "scheme_version", "weights", "months", "points")
    class WeightsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    period: str
    scheme_version: str
    weights: _containers.ScalarMap[str, float]
    months: _containers.RepeatedScalarFieldContainer[str]
    points: _containers.RepeatedCompositeFieldContainer[PointAssessment]
    def __init__(self, period: _Optional[str] = ..., scheme_version: _Optional[str] = ..., weights: _Optional[_Mapping[str, float]] = ..., months: _Optional[_Iterable[str]] = ..., points: _Optional[_Iterable[_Union[PointAssessment, _Mapping]]] = ...) -> None: ...
