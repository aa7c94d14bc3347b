import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sbc.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GateEntry(_message.Message):
    __slots__ = ("reservation_id", "party", "checked_in_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    party: int
    checked_in_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., party: _Optional[int] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DoubleEntry(_message.Message):
    __slots__ = ("entry_id", "reservation_id", "venue_id", "party", "entered_at", "first_entered_at")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    FIRST_ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    reservation_id: str
    venue_id: str
    party: int
    entered_at: _timestamp_pb2.Timestamp
    first_entered_at: _timestamp_pb2.Timestamp
    def __init__(self, entry_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., venue_id: _Optional[str] = ..., party: _Optional[int] = ..., entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GateEntries(_message.Message):
    __slots__ = ("venue_id", "entries", "double_entries", "at")
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DOUBLE_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    venue_id: str
    entries: _containers.RepeatedCompositeFieldContainer[GateEntry]
    double_entries: _containers.RepeatedCompositeFieldContainer[DoubleEntry]
    at: _timestamp_pb2.Timestamp
    def __init__(self, venue_id: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[GateEntry, _Mapping]]] = ..., double_entries: _Optional[_Iterable[_Union[DoubleEntry, _Mapping]]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Exhibit(_message.Message):
    __slots__ = ("id", "gallery_id", "name", "era", "story", "guide_text", "photo_url", "audio_url", "check", "photo_note", "photo_file", "audio_file")
    ID_FIELD_NUMBER: _ClassVar[int]
    GALLERY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ERA_FIELD_NUMBER: _ClassVar[int]
    STORY_FIELD_NUMBER: _ClassVar[int]
    GUIDE_TEXT_FIELD_NUMBER: _ClassVar[int]
    PHOTO_URL_FIELD_NUMBER: _ClassVar[int]
    AUDIO_URL_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    PHOTO_NOTE_FIELD_NUMBER: _ClassVar[int]
    PHOTO_FILE_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FILE_FIELD_NUMBER: _ClassVar[int]
    id: str
    gallery_id: str
    name: str
    era: str
    story: str
    guide_text: str
    photo_url: str
    audio_url: str
    check: _containers.RepeatedScalarFieldContainer[str]
    photo_note: str
    photo_file: str
    audio_file: str
    def __init__(self, id: _Optional[str] = ..., gallery_id: _Optional[str] = ..., name: _Optional[str] = ..., era: _Optional[str] = ..., story: _Optional[str] = ..., guide_text: _Optional[str] = ..., photo_url: _Optional[str] = ..., audio_url: _Optional[str] = ..., check: _Optional[_Iterable[str]] = ..., photo_note: _Optional[str] = ..., photo_file: _Optional[str] = ..., audio_file: _Optional[str] = ...) -> None: ...

class Gallery(_message.Message):
    __slots__ = ("id", "name", "floor", "intro", "exhibits")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FLOOR_FIELD_NUMBER: _ClassVar[int]
    INTRO_FIELD_NUMBER: _ClassVar[int]
    EXHIBITS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    floor: int
    intro: str
    exhibits: _containers.RepeatedCompositeFieldContainer[Exhibit]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., floor: _Optional[int] = ..., intro: _Optional[str] = ..., exhibits: _Optional[_Iterable[_Union[Exhibit, _Mapping]]] = ...) -> None: ...

class ListGalleriesResponse(_message.Message):
    __slots__ = ("venue_id", "venue_name", "galleries", "check")
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_NAME_FIELD_NUMBER: _ClassVar[int]
    GALLERIES_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    venue_id: str
    venue_name: str
    galleries: _containers.RepeatedCompositeFieldContainer[Gallery]
    check: str
    def __init__(self, venue_id: _Optional[str] = ..., venue_name: _Optional[str] = ..., galleries: _Optional[_Iterable[_Union[Gallery, _Mapping]]] = ..., check: _Optional[str] = ...) -> None: ...

class ListVenuesRequest(_message.Message):
    __slots__ = ("kind",)
    KIND_FIELD_NUMBER: _ClassVar[int]
    kind: str
    def __init__(self, kind: _Optional[str] = ...) -> None: ...

class SlotOfDay(_message.Message):
    __slots__ = ("starts", "ends", "capacity")
    STARTS_FIELD_NUMBER: _ClassVar[int]
    ENDS_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    starts: str
    ends: str
    capacity: int
    def __init__(self, starts: _Optional[str] = ..., ends: _Optional[str] = ..., capacity: _Optional[int] = ...) -> None: ...

class Venue(_message.Message):
    __slots__ = ("id", "name", "kind", "kind_label", "town", "village", "area_code", "address", "description", "free_entry", "hours_text", "open_days", "opens", "closes", "slots", "instantaneous_capacity", "daily_capacity", "accessibility", "galleries", "facts", "check")
    class FactsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_LABEL_FIELD_NUMBER: _ClassVar[int]
    TOWN_FIELD_NUMBER: _ClassVar[int]
    VILLAGE_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FREE_ENTRY_FIELD_NUMBER: _ClassVar[int]
    HOURS_TEXT_FIELD_NUMBER: _ClassVar[int]
    OPEN_DAYS_FIELD_NUMBER: _ClassVar[int]
    OPENS_FIELD_NUMBER: _ClassVar[int]
    CLOSES_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    INSTANTANEOUS_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    DAILY_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    ACCESSIBILITY_FIELD_NUMBER: _ClassVar[int]
    GALLERIES_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    kind_label: str
    town: str
    village: str
    area_code: str
    address: str
    description: str
    free_entry: bool
    hours_text: str
    open_days: _containers.RepeatedScalarFieldContainer[int]
    opens: str
    closes: str
    slots: _containers.RepeatedCompositeFieldContainer[SlotOfDay]
    instantaneous_capacity: int
    daily_capacity: int
    accessibility: _containers.RepeatedScalarFieldContainer[str]
    galleries: _containers.RepeatedScalarFieldContainer[str]
    facts: _containers.ScalarMap[str, str]
    check: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., kind_label: _Optional[str] = ..., town: _Optional[str] = ..., village: _Optional[str] = ..., area_code: _Optional[str] = ..., address: _Optional[str] = ..., description: _Optional[str] = ..., free_entry: _Optional[bool] = ..., hours_text: _Optional[str] = ..., open_days: _Optional[_Iterable[int]] = ..., opens: _Optional[str] = ..., closes: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[SlotOfDay, _Mapping]]] = ..., instantaneous_capacity: _Optional[int] = ..., daily_capacity: _Optional[int] = ..., accessibility: _Optional[_Iterable[str]] = ..., galleries: _Optional[_Iterable[str]] = ..., facts: _Optional[_Mapping[str, str]] = ..., check: _Optional[_Iterable[str]] = ...) -> None: ...

class ListVenuesResponse(_message.Message):
    __slots__ = ("venues", "district_name")
    VENUES_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_NAME_FIELD_NUMBER: _ClassVar[int]
    venues: _containers.RepeatedCompositeFieldContainer[Venue]
    district_name: str
    def __init__(self, venues: _Optional[_Iterable[_Union[Venue, _Mapping]]] = ..., district_name: _Optional[str] = ...) -> None: ...

class VenueRef(_message.Message):
    __slots__ = ("venue_id",)
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    venue_id: str
    def __init__(self, venue_id: _Optional[str] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ("from_date", "days", "venue_id")
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    from_date: str
    days: int
    venue_id: str
    def __init__(self, from_date: _Optional[str] = ..., days: _Optional[int] = ..., venue_id: _Optional[str] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("id", "venue_id", "venue_name", "title", "kind", "kind_label", "date", "times", "description", "instantaneous_capacity", "daily_capacity", "accessibility", "check")
    ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_LABEL_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INSTANTANEOUS_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    DAILY_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    ACCESSIBILITY_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    id: str
    venue_id: str
    venue_name: str
    title: str
    kind: str
    kind_label: str
    date: str
    times: str
    description: str
    instantaneous_capacity: int
    daily_capacity: int
    accessibility: _containers.RepeatedScalarFieldContainer[str]
    check: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., venue_id: _Optional[str] = ..., venue_name: _Optional[str] = ..., title: _Optional[str] = ..., kind: _Optional[str] = ..., kind_label: _Optional[str] = ..., date: _Optional[str] = ..., times: _Optional[str] = ..., description: _Optional[str] = ..., instantaneous_capacity: _Optional[int] = ..., daily_capacity: _Optional[int] = ..., accessibility: _Optional[_Iterable[str]] = ..., check: _Optional[_Iterable[str]] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[Event]
    def __init__(self, events: _Optional[_Iterable[_Union[Event, _Mapping]]] = ...) -> None: ...

class Slot(_message.Message):
    __slots__ = ("id", "venue_id", "starts_at", "ends_at", "capacity", "remaining")
    ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    id: str
    venue_id: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    capacity: int
    remaining: int
    def __init__(self, id: _Optional[str] = ..., venue_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., capacity: _Optional[int] = ..., remaining: _Optional[int] = ...) -> None: ...

class ListSlotsResponse(_message.Message):
    __slots__ = ("venue_id", "venue_name", "slots", "max_party", "max_group_party", "full_slots")
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_NAME_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    MAX_PARTY_FIELD_NUMBER: _ClassVar[int]
    MAX_GROUP_PARTY_FIELD_NUMBER: _ClassVar[int]
    FULL_SLOTS_FIELD_NUMBER: _ClassVar[int]
    venue_id: str
    venue_name: str
    slots: _containers.RepeatedCompositeFieldContainer[Slot]
    max_party: int
    max_group_party: int
    full_slots: _containers.RepeatedCompositeFieldContainer[Slot]
    def __init__(self, venue_id: _Optional[str] = ..., venue_name: _Optional[str] = ..., slots: _Optional[_Iterable[_Union[Slot, _Mapping]]] = ..., max_party: _Optional[int] = ..., max_group_party: _Optional[int] = ..., full_slots: _Optional[_Iterable[_Union[Slot, _Mapping]]] = ...) -> None: ...

class HoldReservationRequest(_message.Message):
    __slots__ = ("slot_id", "visitor_id_numbers", "idempotency_key", "group_village_code")
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    VISITOR_ID_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    GROUP_VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    slot_id: str
    visitor_id_numbers: _containers.RepeatedScalarFieldContainer[str]
    idempotency_key: str
    group_village_code: str
    def __init__(self, slot_id: _Optional[str] = ..., visitor_id_numbers: _Optional[_Iterable[str]] = ..., idempotency_key: _Optional[str] = ..., group_village_code: _Optional[str] = ...) -> None: ...

class ReservationRef(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class Reservation(_message.Message):
    __slots__ = ("id", "venue_id", "venue_name", "slot_id", "starts_at", "ends_at", "party", "state", "state_label", "expires_at", "cancel_until", "ticket_code", "household_id", "group_village_code", "booked_by_name", "created_at", "checked_in_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_NAME_FIELD_NUMBER: _ClassVar[int]
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATE_LABEL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_UNTIL_FIELD_NUMBER: _ClassVar[int]
    TICKET_CODE_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_VILLAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    BOOKED_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    venue_id: str
    venue_name: str
    slot_id: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    party: int
    state: str
    state_label: str
    expires_at: _timestamp_pb2.Timestamp
    cancel_until: _timestamp_pb2.Timestamp
    ticket_code: str
    household_id: str
    group_village_code: str
    booked_by_name: str
    created_at: _timestamp_pb2.Timestamp
    checked_in_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., venue_id: _Optional[str] = ..., venue_name: _Optional[str] = ..., slot_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., party: _Optional[int] = ..., state: _Optional[str] = ..., state_label: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ticket_code: _Optional[str] = ..., household_id: _Optional[str] = ..., group_village_code: _Optional[str] = ..., booked_by_name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., checked_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListMyReservationsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListReservationsResponse(_message.Message):
    __slots__ = ("reservations", "page")
    RESERVATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    reservations: _containers.RepeatedCompositeFieldContainer[Reservation]
    page: _common_pb2.PageResponse
    def __init__(self, reservations: _Optional[_Iterable[_Union[Reservation, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class CheckInRequest(_message.Message):
    __slots__ = ("venue_id", "ticket_code", "offline_seconds", "entry_id")
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    TICKET_CODE_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    venue_id: str
    ticket_code: str
    offline_seconds: int
    entry_id: str
    def __init__(self, venue_id: _Optional[str] = ..., ticket_code: _Optional[str] = ..., offline_seconds: _Optional[int] = ..., entry_id: _Optional[str] = ...) -> None: ...

class Occupancy(_message.Message):
    __slots__ = ("venue_id", "venue_name", "inside", "instantaneous_capacity", "entered_today", "daily_capacity", "at")
    VENUE_ID_FIELD_NUMBER: _ClassVar[int]
    VENUE_NAME_FIELD_NUMBER: _ClassVar[int]
    INSIDE_FIELD_NUMBER: _ClassVar[int]
    INSTANTANEOUS_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    ENTERED_TODAY_FIELD_NUMBER: _ClassVar[int]
    DAILY_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    venue_id: str
    venue_name: str
    inside: int
    instantaneous_capacity: int
    entered_today: int
    daily_capacity: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, venue_id: _Optional[str] = ..., venue_name: _Optional[str] = ..., inside: _Optional[int] = ..., instantaneous_capacity: _Optional[int] = ..., entered_today: _Optional[int] = ..., daily_capacity: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CheckInResult(_message.Message):
    __slots__ = ("reservation", "occupancy", "double_entry")
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    OCCUPANCY_FIELD_NUMBER: _ClassVar[int]
    DOUBLE_ENTRY_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    occupancy: Occupancy
    double_entry: DoubleEntry
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ..., occupancy: _Optional[_Union[Occupancy, _Mapping]] = ..., double_entry: _Optional[_Union[DoubleEntry, _Mapping]] = ...) -> None: ...

class GetTicketKeyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TicketKey(_message.Message):
    __slots__ = ("algorithm", "public_key", "format")
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    algorithm: str
    public_key: str
    format: str
    def __init__(self, algorithm: _Optional[str] = ..., public_key: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...
