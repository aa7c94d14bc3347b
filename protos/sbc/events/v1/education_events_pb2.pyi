import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EducationSeriesCreated(_message.Message):
    __slots__ = ("series_id", "town_code", "title", "at")
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    series_id: str
    town_code: str
    title: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, series_id: _Optional[str] = ..., town_code: _Optional[str] = ..., title: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationEpisodeAdded(_message.Message):
    __slots__ = ("episode_id", "series_id", "town_code", "title", "topic", "at")
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    episode_id: str
    series_id: str
    town_code: str
    title: str
    topic: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, episode_id: _Optional[str] = ..., series_id: _Optional[str] = ..., town_code: _Optional[str] = ..., title: _Optional[str] = ..., topic: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationSlotScheduled(_message.Message):
    __slots__ = ("slot_id", "town_code", "channel", "episode_id", "starts_at", "ends_at", "at")
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    slot_id: str
    town_code: str
    channel: str
    episode_id: str
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    def __init__(self, slot_id: _Optional[str] = ..., town_code: _Optional[str] = ..., channel: _Optional[str] = ..., episode_id: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationSlotCancelled(_message.Message):
    __slots__ = ("slot_id", "town_code", "channel", "at")
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    slot_id: str
    town_code: str
    channel: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, slot_id: _Optional[str] = ..., town_code: _Optional[str] = ..., channel: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationLessonCompleted(_message.Message):
    __slots__ = ("progress_id", "household_id", "member", "episode_id", "series_id", "at")
    PROGRESS_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    progress_id: str
    household_id: str
    member: str
    episode_id: str
    series_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, progress_id: _Optional[str] = ..., household_id: _Optional[str] = ..., member: _Optional[str] = ..., episode_id: _Optional[str] = ..., series_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationSignedUp(_message.Message):
    __slots__ = ("session_id", "sign_up_id", "household_id", "member", "at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., sign_up_id: _Optional[str] = ..., household_id: _Optional[str] = ..., member: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationSignUpCancelled(_message.Message):
    __slots__ = ("session_id", "sign_up_id", "household_id", "member", "at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., sign_up_id: _Optional[str] = ..., household_id: _Optional[str] = ..., member: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationPlaceOffered(_message.Message):
    __slots__ = ("session_id", "sign_up_id", "household_id", "member", "expires_at", "at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    expires_at: _timestamp_pb2.Timestamp
    at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., sign_up_id: _Optional[str] = ..., household_id: _Optional[str] = ..., member: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationCheckedIn(_message.Message):
    __slots__ = ("session_id", "sign_up_id", "household_id", "member", "status", "by", "at")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGN_UP_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    status: str
    by: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, session_id: _Optional[str] = ..., sign_up_id: _Optional[str] = ..., household_id: _Optional[str] = ..., member: _Optional[str] = ..., status: _Optional[str] = ..., by: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationCertificateIssued(_message.Message):
    __slots__ = ("certificate_id", "series_id", "household_id", "member", "at")
    CERTIFICATE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    certificate_id: str
    series_id: str
    household_id: str
    member: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, certificate_id: _Optional[str] = ..., series_id: _Optional[str] = ..., household_id: _Optional[str] = ..., member: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationProgrammeStartingSoon(_message.Message):
    __slots__ = ("slot_id", "series_id", "series_title", "episode_title", "town_code", "channel_name", "starts_at", "household_ids", "at")
    SLOT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_TITLE_FIELD_NUMBER: _ClassVar[int]
    EPISODE_TITLE_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_NAME_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_IDS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    slot_id: str
    series_id: str
    series_title: str
    episode_title: str
    town_code: str
    channel_name: str
    starts_at: _timestamp_pb2.Timestamp
    household_ids: _containers.RepeatedScalarFieldContainer[str]
    at: _timestamp_pb2.Timestamp
    def __init__(self, slot_id: _Optional[str] = ..., series_id: _Optional[str] = ..., series_title: _Optional[str] = ..., episode_title: _Optional[str] = ..., town_code: _Optional[str] = ..., channel_name: _Optional[str] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., household_ids: _Optional[_Iterable[str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationQuestionAsked(_message.Message):
    __slots__ = ("question_id", "episode_id", "series_id", "household_id", "at")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    episode_id: str
    series_id: str
    household_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, question_id: _Optional[str] = ..., episode_id: _Optional[str] = ..., series_id: _Optional[str] = ..., household_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EducationEpisodeRated(_message.Message):
    __slots__ = ("rating_id", "episode_id", "series_id", "household_id", "level", "at")
    RATING_ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_ID_FIELD_NUMBER: _ClassVar[int]
    SERIES_ID_FIELD_NUMBER: _ClassVar[int]
    HOUSEHOLD_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    rating_id: str
    episode_id: str
    series_id: str
    household_id: str
    level: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, rating_id: _Optional[str] = ..., episode_id: _Optional[str] = ..., series_id: _Optional[str] = ..., household_id: _Optional[str] = ..., level: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
