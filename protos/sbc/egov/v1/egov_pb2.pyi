import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Certificate(_message.Message):
    __slots__ = ("id", "household_id", "kind", "name", "number", "holder", "issuer", "issued_at", "application_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    kind: str
    name: str
    number: str
    holder: str
    issuer: str
    issued_at: _timestamp_pb2.Timestamp
    application_id: str
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ..., number: _Optional[str] = ..., holder: _Optional[str] = ..., issuer: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., application_id: _Optional[str] = ...) -> None: ...

class ListMyCertificatesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCertificatesResponse(_message.Message):
    __slots__ = ("certificates",)
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    certificates: _containers.RepeatedCompositeFieldContainer[Certificate]
    def __init__(self, certificates: _Optional[_Iterable[_Union[Certificate, _Mapping]]] = ...) -> None: ...

class RegisterCertificateRequest(_message.Message):
    __slots__ = ("household_id", "kind", "number", "holder")
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    household_id: str
    kind: str
    number: str
    holder: str
    def __init__(self, household_id: _Optional[str] = ..., kind: _Optional[str] = ..., number: _Optional[str] = ..., holder: _Optional[str] = ...) -> None: ...

class Material(_message.Message):
    __slots__ = ("code", "name", "form", "original_needed", "from_certificate", "required")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_NEEDED_FIELD_NUMBER: _ClassVar[int]
    FROM_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    form: str
    original_needed: bool
    from_certificate: bool
    required: bool
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., form: _Optional[str] = ..., original_needed: _Optional[bool] = ..., from_certificate: _Optional[bool] = ..., required: _Optional[bool] = ...) -> None: ...

class Step(_message.Message):
    __slots__ = ("name", "working_days", "counts")
    NAME_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    working_days: int
    counts: bool
    def __init__(self, name: _Optional[str] = ..., working_days: _Optional[int] = ..., counts: _Optional[bool] = ...) -> None: ...

class ServiceGuide(_message.Message):
    __slots__ = ("place", "hours", "conditions", "materials", "steps", "legal_time_limit_days", "promised_time_limit_days", "fee_fen", "fee", "commitment", "visits", "online", "consult", "complain", "correction_stops_clock")
    PLACE_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    LEGAL_TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    PROMISED_TIME_LIMIT_DAYS_FIELD_NUMBER: _ClassVar[int]
    FEE_FEN_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    CONSULT_FIELD_NUMBER: _ClassVar[int]
    COMPLAIN_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_STOPS_CLOCK_FIELD_NUMBER: _ClassVar[int]
    place: str
    hours: str
    conditions: _containers.RepeatedScalarFieldContainer[str]
    materials: _containers.RepeatedCompositeFieldContainer[Material]
    steps: _containers.RepeatedCompositeFieldContainer[Step]
    legal_time_limit_days: int
    promised_time_limit_days: int
    fee_fen: int
    fee: str
    commitment: str
    visits: int
    online: bool
    consult: str
    complain: str
    correction_stops_clock: bool
    def __init__(self, place: _Optional[str] = ..., hours: _Optional[str] = ..., conditions: _Optional[_Iterable[str]] = ..., materials: _Optional[_Iterable[_Union[Material, _Mapping]]] = ..., steps: _Optional[_Iterable[_Union[Step, _Mapping]]] = ..., legal_time_limit_days: _Optional[int] = ..., promised_time_limit_days: _Optional[int] = ..., fee_fen: _Optional[int] = ..., fee: _Optional[str] = ..., commitment: _Optional[str] = ..., visits: _Optional[int] = ..., online: _Optional[bool] = ..., consult: _Optional[str] = ..., complain: _Optional[str] = ..., correction_stops_clock: _Optional[bool] = ...) -> None: ...

class HandlingItem(_message.Message):
    __slots__ = ("code", "name", "kind", "kind_name", "main_code", "main_name", "sub_code", "sub_name", "type", "type_name", "department", "department_name", "implementing_body", "legal_basis", "life_events", "check", "guide", "catalog_version", "district_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_NAME_FIELD_NUMBER: _ClassVar[int]
    MAIN_CODE_FIELD_NUMBER: _ClassVar[int]
    MAIN_NAME_FIELD_NUMBER: _ClassVar[int]
    SUB_CODE_FIELD_NUMBER: _ClassVar[int]
    SUB_NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_NAME_FIELD_NUMBER: _ClassVar[int]
    IMPLEMENTING_BODY_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    LIFE_EVENTS_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    GUIDE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_VERSION_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    kind: str
    kind_name: str
    main_code: str
    main_name: str
    sub_code: str
    sub_name: str
    type: str
    type_name: str
    department: str
    department_name: str
    implementing_body: str
    legal_basis: str
    life_events: _containers.RepeatedScalarFieldContainer[str]
    check: _containers.RepeatedScalarFieldContainer[str]
    guide: ServiceGuide
    catalog_version: str
    district_code: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., kind_name: _Optional[str] = ..., main_code: _Optional[str] = ..., main_name: _Optional[str] = ..., sub_code: _Optional[str] = ..., sub_name: _Optional[str] = ..., type: _Optional[str] = ..., type_name: _Optional[str] = ..., department: _Optional[str] = ..., department_name: _Optional[str] = ..., implementing_body: _Optional[str] = ..., legal_basis: _Optional[str] = ..., life_events: _Optional[_Iterable[str]] = ..., check: _Optional[_Iterable[str]] = ..., guide: _Optional[_Union[ServiceGuide, _Mapping]] = ..., catalog_version: _Optional[str] = ..., district_code: _Optional[str] = ...) -> None: ...

class ListItemsRequest(_message.Message):
    __slots__ = ("on_date", "district_code", "keyword", "life_event")
    ON_DATE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    KEYWORD_FIELD_NUMBER: _ClassVar[int]
    LIFE_EVENT_FIELD_NUMBER: _ClassVar[int]
    on_date: str
    district_code: str
    keyword: str
    life_event: str
    def __init__(self, on_date: _Optional[str] = ..., district_code: _Optional[str] = ..., keyword: _Optional[str] = ..., life_event: _Optional[str] = ...) -> None: ...

class ListItemsResponse(_message.Message):
    __slots__ = ("district_code", "district_name", "version", "effective_from", "items")
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    district_code: str
    district_name: str
    version: str
    effective_from: str
    items: _containers.RepeatedCompositeFieldContainer[HandlingItem]
    def __init__(self, district_code: _Optional[str] = ..., district_name: _Optional[str] = ..., version: _Optional[str] = ..., effective_from: _Optional[str] = ..., items: _Optional[_Iterable[_Union[HandlingItem, _Mapping]]] = ...) -> None: ...

class GetItemRequest(_message.Message):
    __slots__ = ("code", "on_date", "district_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    ON_DATE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    on_date: str
    district_code: str
    def __init__(self, code: _Optional[str] = ..., on_date: _Optional[str] = ..., district_code: _Optional[str] = ...) -> None: ...

class ApplicationStep(_message.Message):
    __slots__ = ("n", "action", "from_state", "to_state", "actor", "actor_kind", "actor_name", "on_behalf_of", "authority", "detail", "at")
    N_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    n: int
    action: str
    from_state: str
    to_state: str
    actor: str
    actor_kind: str
    actor_name: str
    on_behalf_of: str
    authority: str
    detail: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, n: _Optional[int] = ..., action: _Optional[str] = ..., from_state: _Optional[str] = ..., to_state: _Optional[str] = ..., actor: _Optional[str] = ..., actor_kind: _Optional[str] = ..., actor_name: _Optional[str] = ..., on_behalf_of: _Optional[str] = ..., authority: _Optional[str] = ..., detail: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MaterialGiven(_message.Message):
    __slots__ = ("code", "file_name", "media_type", "size", "sha256", "added_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    ADDED_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., file_name: _Optional[str] = ..., media_type: _Optional[str] = ..., size: _Optional[int] = ..., sha256: _Optional[str] = ..., added_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Rating(_message.Message):
    __slots__ = ("level", "indicators", "reasons", "comment", "at", "rectification_due", "call_back_due", "called_back_at", "call_back_note", "rectified_at", "rectification_note", "again")
    class IndicatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class Again(_message.Message):
        __slots__ = ("level", "comment", "at")
        LEVEL_FIELD_NUMBER: _ClassVar[int]
        COMMENT_FIELD_NUMBER: _ClassVar[int]
        AT_FIELD_NUMBER: _ClassVar[int]
        level: str
        comment: str
        at: _timestamp_pb2.Timestamp
        def __init__(self, level: _Optional[str] = ..., comment: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    RECTIFICATION_DUE_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_DUE_FIELD_NUMBER: _ClassVar[int]
    CALLED_BACK_AT_FIELD_NUMBER: _ClassVar[int]
    CALL_BACK_NOTE_FIELD_NUMBER: _ClassVar[int]
    RECTIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    RECTIFICATION_NOTE_FIELD_NUMBER: _ClassVar[int]
    AGAIN_FIELD_NUMBER: _ClassVar[int]
    level: str
    indicators: _containers.ScalarMap[str, int]
    reasons: _containers.RepeatedScalarFieldContainer[str]
    comment: str
    at: _timestamp_pb2.Timestamp
    rectification_due: _timestamp_pb2.Timestamp
    call_back_due: _timestamp_pb2.Timestamp
    called_back_at: _timestamp_pb2.Timestamp
    call_back_note: str
    rectified_at: _timestamp_pb2.Timestamp
    rectification_note: str
    again: Rating.Again
    def __init__(self, level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., reasons: _Optional[_Iterable[str]] = ..., comment: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rectification_due: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., call_back_due: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., called_back_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., call_back_note: _Optional[str] = ..., rectified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rectification_note: _Optional[str] = ..., again: _Optional[_Union[Rating.Again, _Mapping]] = ...) -> None: ...

class Application(_message.Message):
    __slots__ = ("id", "household_id", "area_code", "item_code", "item_name", "department", "catalog_version", "channel", "state", "created_at", "submitted_at", "deadline", "correction", "correction_materials", "decision_reason", "decision_basis", "decided_at", "materials", "steps", "rating", "state_label", "visits", "appointments", "consent", "handed_to")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    CATALOG_VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_MATERIALS_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    DECISION_BASIS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    STATE_LABEL_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    APPOINTMENTS_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    HANDED_TO_FIELD_NUMBER: _ClassVar[int]
    id: str
    household_id: str
    area_code: str
    item_code: str
    item_name: str
    department: str
    catalog_version: str
    channel: str
    state: str
    created_at: _timestamp_pb2.Timestamp
    submitted_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    correction: str
    correction_materials: _containers.RepeatedScalarFieldContainer[str]
    decision_reason: str
    decision_basis: str
    decided_at: _timestamp_pb2.Timestamp
    materials: _containers.RepeatedCompositeFieldContainer[MaterialGiven]
    steps: _containers.RepeatedCompositeFieldContainer[ApplicationStep]
    rating: Rating
    state_label: str
    visits: int
    appointments: _containers.RepeatedCompositeFieldContainer[Appointment]
    consent: Consent
    handed_to: str
    def __init__(self, id: _Optional[str] = ..., household_id: _Optional[str] = ..., area_code: _Optional[str] = ..., item_code: _Optional[str] = ..., item_name: _Optional[str] = ..., department: _Optional[str] = ..., catalog_version: _Optional[str] = ..., channel: _Optional[str] = ..., state: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., correction: _Optional[str] = ..., correction_materials: _Optional[_Iterable[str]] = ..., decision_reason: _Optional[str] = ..., decision_basis: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., materials: _Optional[_Iterable[_Union[MaterialGiven, _Mapping]]] = ..., steps: _Optional[_Iterable[_Union[ApplicationStep, _Mapping]]] = ..., rating: _Optional[_Union[Rating, _Mapping]] = ..., state_label: _Optional[str] = ..., visits: _Optional[int] = ..., appointments: _Optional[_Iterable[_Union[Appointment, _Mapping]]] = ..., consent: _Optional[_Union[Consent, _Mapping]] = ..., handed_to: _Optional[str] = ...) -> None: ...

class HandOverDraftRequest(_message.Message):
    __slots__ = ("id", "to_agent")
    ID_FIELD_NUMBER: _ClassVar[int]
    TO_AGENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    to_agent: str
    def __init__(self, id: _Optional[str] = ..., to_agent: _Optional[str] = ...) -> None: ...

class Consent(_message.Message):
    __slots__ = ("id", "given_by", "given_at", "item_code")
    ID_FIELD_NUMBER: _ClassVar[int]
    GIVEN_BY_FIELD_NUMBER: _ClassVar[int]
    GIVEN_AT_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    id: str
    given_by: str
    given_at: _timestamp_pb2.Timestamp
    item_code: str
    def __init__(self, id: _Optional[str] = ..., given_by: _Optional[str] = ..., given_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., item_code: _Optional[str] = ...) -> None: ...

class GiveConsentRequest(_message.Message):
    __slots__ = ("item_code",)
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    item_code: str
    def __init__(self, item_code: _Optional[str] = ...) -> None: ...

class ConsentCode(_message.Message):
    __slots__ = ("code", "expires_at", "item_code", "item_name")
    CODE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    code: str
    expires_at: _timestamp_pb2.Timestamp
    item_code: str
    item_name: str
    def __init__(self, code: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., item_code: _Optional[str] = ..., item_name: _Optional[str] = ...) -> None: ...

class AppointmentSlot(_message.Message):
    __slots__ = ("id", "hall_code", "hall_name", "hall_address", "window_code", "window_name", "starts_at", "ends_at", "places_left")
    ID_FIELD_NUMBER: _ClassVar[int]
    HALL_CODE_FIELD_NUMBER: _ClassVar[int]
    HALL_NAME_FIELD_NUMBER: _ClassVar[int]
    HALL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_CODE_FIELD_NUMBER: _ClassVar[int]
    WINDOW_NAME_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    PLACES_LEFT_FIELD_NUMBER: _ClassVar[int]
    id: str
    hall_code: str
    hall_name: str
    hall_address: str
    window_code: str
    window_name: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    places_left: int
    def __init__(self, id: _Optional[str] = ..., hall_code: _Optional[str] = ..., hall_name: _Optional[str] = ..., hall_address: _Optional[str] = ..., window_code: _Optional[str] = ..., window_name: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., places_left: _Optional[int] = ...) -> None: ...

class ListAppointmentSlotsResponse(_message.Message):
    __slots__ = ("slots",)
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    slots: _containers.RepeatedCompositeFieldContainer[AppointmentSlot]
    def __init__(self, slots: _Optional[_Iterable[_Union[AppointmentSlot, _Mapping]]] = ...) -> None: ...

class BookAppointmentRequest(_message.Message):
    __slots__ = ("application_id", "slot_id")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    slot_id: str
    def __init__(self, application_id: _Optional[str] = ..., slot_id: _Optional[str] = ...) -> None: ...

class AppointmentRef(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class Appointment(_message.Message):
    __slots__ = ("id", "application_id", "slot_id", "hall_code", "hall_name", "window_code", "window_name", "starts_at", "ends_at", "state", "cancel_until")
    ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    HALL_CODE_FIELD_NUMBER: _ClassVar[int]
    HALL_NAME_FIELD_NUMBER: _ClassVar[int]
    WINDOW_CODE_FIELD_NUMBER: _ClassVar[int]
    WINDOW_NAME_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CANCEL_UNTIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    application_id: str
    slot_id: str
    hall_code: str
    hall_name: str
    window_code: str
    window_name: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    state: str
    cancel_until: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., application_id: _Optional[str] = ..., slot_id: _Optional[str] = ..., hall_code: _Optional[str] = ..., hall_name: _Optional[str] = ..., window_code: _Optional[str] = ..., window_name: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[str] = ..., cancel_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StartApplicationRequest(_message.Message):
    __slots__ = ("item_code", "idempotency_key", "channel", "household_id", "household_area_code", "consent")
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    item_code: str
    idempotency_key: str
    channel: str
    household_id: str
    household_area_code: str
    consent: str
    def __init__(self, item_code: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., channel: _Optional[str] = ..., household_id: _Optional[str] = ..., household_area_code: _Optional[str] = ..., consent: _Optional[str] = ...) -> None: ...

class AddMaterialRequest(_message.Message):
    __slots__ = ("application_id", "material_code", "file_name", "media_type", "content")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    MATERIAL_CODE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    material_code: str
    file_name: str
    media_type: str
    content: bytes
    def __init__(self, application_id: _Optional[str] = ..., material_code: _Optional[str] = ..., file_name: _Optional[str] = ..., media_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ApplicationRef(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetMaterialRequest(_message.Message):
    __slots__ = ("application_id", "material_code")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    MATERIAL_CODE_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    material_code: str
    def __init__(self, application_id: _Optional[str] = ..., material_code: _Optional[str] = ...) -> None: ...

class MaterialFile(_message.Message):
    __slots__ = ("code", "file_name", "media_type", "content")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    code: str
    file_name: str
    media_type: str
    content: bytes
    def __init__(self, code: _Optional[str] = ..., file_name: _Optional[str] = ..., media_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ListMyApplicationsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListApplicationsResponse(_message.Message):
    __slots__ = ("applications", "page")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[Application]
    page: _common_pb2.PageResponse
    def __init__(self, applications: _Optional[_Iterable[_Union[Application, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RateApplicationRequest(_message.Message):
    __slots__ = ("id", "level", "indicators", "reasons", "comment")
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
    REASONS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    level: str
    indicators: _containers.ScalarMap[str, int]
    reasons: _containers.RepeatedScalarFieldContainer[str]
    comment: str
    def __init__(self, id: _Optional[str] = ..., level: _Optional[str] = ..., indicators: _Optional[_Mapping[str, int]] = ..., reasons: _Optional[_Iterable[str]] = ..., comment: _Optional[str] = ...) -> None: ...

class ListQueueRequest(_message.Message):
    __slots__ = ("states", "page")
    STATES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    states: _containers.RepeatedScalarFieldContainer[str]
    page: _common_pb2.PageRequest
    def __init__(self, states: _Optional[_Iterable[str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class WatchQueueRequest(_message.Message):
    __slots__ = ("after",)
    AFTER_FIELD_NUMBER: _ClassVar[int]
    after: str
    def __init__(self, after: _Optional[str] = ...) -> None: ...

class QueueEntry(_message.Message):
    __slots__ = ("cursor", "action", "application")
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    action: str
    application: Application
    def __init__(self, cursor: _Optional[str] = ..., action: _Optional[str] = ..., application: _Optional[_Union[Application, _Mapping]] = ...) -> None: ...

class DecisionRequest(_message.Message):
    __slots__ = ("id", "reason", "legal_basis")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    legal_basis: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., legal_basis: _Optional[str] = ...) -> None: ...

class ReturnForCorrectionRequest(_message.Message):
    __slots__ = ("id", "reason", "missing_materials")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MISSING_MATERIALS_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    missing_materials: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., missing_materials: _Optional[_Iterable[str]] = ...) -> None: ...

class GetFiguresRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Tally(_message.Message):
    __slots__ = ("code", "name", "applications", "by_channel", "done", "on_time", "on_time_rate", "average_visits", "no_visit_share", "at_most_one_visit_share", "rated", "satisfaction", "bad_ratings", "rectified")
    class ByChannelEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    BY_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_FIELD_NUMBER: _ClassVar[int]
    ON_TIME_RATE_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_VISITS_FIELD_NUMBER: _ClassVar[int]
    NO_VISIT_SHARE_FIELD_NUMBER: _ClassVar[int]
    AT_MOST_ONE_VISIT_SHARE_FIELD_NUMBER: _ClassVar[int]
    RATED_FIELD_NUMBER: _ClassVar[int]
    SATISFACTION_FIELD_NUMBER: _ClassVar[int]
    BAD_RATINGS_FIELD_NUMBER: _ClassVar[int]
    RECTIFIED_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    applications: int
    by_channel: _containers.ScalarMap[str, int]
    done: int
    on_time: int
    on_time_rate: float
    average_visits: float
    no_visit_share: float
    at_most_one_visit_share: float
    rated: int
    satisfaction: float
    bad_ratings: int
    rectified: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., applications: _Optional[int] = ..., by_channel: _Optional[_Mapping[str, int]] = ..., done: _Optional[int] = ..., on_time: _Optional[int] = ..., on_time_rate: _Optional[float] = ..., average_visits: _Optional[float] = ..., no_visit_share: _Optional[float] = ..., at_most_one_visit_share: _Optional[float] = ..., rated: _Optional[int] = ..., satisfaction: _Optional[float] = ..., bad_ratings: _Optional[int] = ..., rectified: _Optional[int] = ...) -> None: ...

class Figures(_message.Message):
    __slots__ = ("district", "items", "departments", "towns", "agency_points", "as_of")
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    AGENCY_POINTS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    district: Tally
    items: _containers.RepeatedCompositeFieldContainer[Tally]
    departments: _containers.RepeatedCompositeFieldContainer[Tally]
    towns: _containers.RepeatedCompositeFieldContainer[Tally]
    agency_points: _containers.RepeatedCompositeFieldContainer[Tally]
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, district: _Optional[_Union[Tally, _Mapping]] = ..., items: _Optional[_Iterable[_Union[Tally, _Mapping]]] = ..., departments: _Optional[_Iterable[_Union[Tally, _Mapping]]] = ..., towns: _Optional[_Iterable[_Union[Tally, _Mapping]]] = ..., agency_points: _Optional[_Iterable[_Union[Tally, _Mapping]]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
