import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetReportRequest(_message.Message):
    __slots__ = ("district", "period")
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    district: str
    period: str
    def __init__(self, district: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class IndicatorFigure(_message.Message):
    __slots__ = ("code", "name", "service", "measured", "value", "unit", "target", "higher_is_better", "weight", "score", "met", "numerator", "denominator")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    MEASURED_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    HIGHER_IS_BETTER_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    MET_FIELD_NUMBER: _ClassVar[int]
    NUMERATOR_FIELD_NUMBER: _ClassVar[int]
    DENOMINATOR_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    service: str
    measured: bool
    value: float
    unit: str
    target: float
    higher_is_better: bool
    weight: float
    score: float
    met: bool
    numerator: int
    denominator: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., service: _Optional[str] = ..., measured: _Optional[bool] = ..., value: _Optional[float] = ..., unit: _Optional[str] = ..., target: _Optional[float] = ..., higher_is_better: _Optional[bool] = ..., weight: _Optional[float] = ..., score: _Optional[float] = ..., met: _Optional[bool] = ..., numerator: _Optional[int] = ..., denominator: _Optional[int] = ...) -> None: ...

class AreaFigures(_message.Message):
    __slots__ = ("code", "name", "kind", "indicators", "score")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    kind: str
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorFigure]
    score: float
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[IndicatorFigure, _Mapping]]] = ..., score: _Optional[float] = ...) -> None: ...

class MonthFigures(_message.Message):
    __slots__ = ("month", "indicators", "score")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    month: str
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorFigure]
    score: float
    def __init__(self, month: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[IndicatorFigure, _Mapping]]] = ..., score: _Optional[float] = ...) -> None: ...

class Problem(_message.Message):
    __slots__ = ("indicator", "area_code", "area_name", "text")
    INDICATOR_FIELD_NUMBER: _ClassVar[int]
    AREA_CODE_FIELD_NUMBER: _ClassVar[int]
    AREA_NAME_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    indicator: str
    area_code: str
    area_name: str
    text: str
    def __init__(self, indicator: _Optional[str] = ..., area_code: _Optional[str] = ..., area_name: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class BadRatingCause(_message.Message):
    __slots__ = ("service", "subject", "count")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    service: str
    subject: str
    count: int
    def __init__(self, service: _Optional[str] = ..., subject: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ("district", "district_name", "period", "months", "scheme_version", "generated_at", "overall", "towns", "service_points", "trends", "problems", "bad_rating_causes", "ratings")
    DISTRICT_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERALL_FIELD_NUMBER: _ClassVar[int]
    TOWNS_FIELD_NUMBER: _ClassVar[int]
    SERVICE_POINTS_FIELD_NUMBER: _ClassVar[int]
    TRENDS_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    BAD_RATING_CAUSES_FIELD_NUMBER: _ClassVar[int]
    RATINGS_FIELD_NUMBER: _ClassVar[int]
    district: str
    district_name: str
    period: str
    months: _containers.RepeatedScalarFieldContainer[str]
    scheme_version: str
    generated_at: _timestamp_pb2.Timestamp
    overall: AreaFigures
    towns: _containers.RepeatedCompositeFieldContainer[AreaFigures]
    service_points: _containers.RepeatedCompositeFieldContainer[AreaFigures]
    trends: _containers.RepeatedCompositeFieldContainer[MonthFigures]
    problems: _containers.RepeatedCompositeFieldContainer[Problem]
    bad_rating_causes: _containers.RepeatedCompositeFieldContainer[BadRatingCause]
    ratings: _containers.RepeatedCompositeFieldContainer[ServiceRatings]
    def __init__(self, district: _Optional[str] = ..., district_name: _Optional[str] = ..., period: _Optional[str] = ..., months: _Optional[_Iterable[str]] = ..., scheme_version: _Optional[str] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overall: _Optional[_Union[AreaFigures, _Mapping]] = ..., towns: _Optional[_Iterable[_Union[AreaFigures, _Mapping]]] = ..., service_points: _Optional[_Iterable[_Union[AreaFigures, _Mapping]]] = ..., trends: _Optional[_Iterable[_Union[MonthFigures, _Mapping]]] = ..., problems: _Optional[_Iterable[_Union[Problem, _Mapping]]] = ..., bad_rating_causes: _Optional[_Iterable[_Union[BadRatingCause, _Mapping]]] = ..., ratings: _Optional[_Iterable[_Union[ServiceRatings, _Mapping]]] = ...) -> None: ...

class ServiceRatings(_message.Message):
    __slots__ = ("service", "rated", "satisfied", "bad", "rectified")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    RATED_FIELD_NUMBER: _ClassVar[int]
    SATISFIED_FIELD_NUMBER: _ClassVar[int]
    BAD_FIELD_NUMBER: _ClassVar[int]
    RECTIFIED_FIELD_NUMBER: _ClassVar[int]
    service: str
    rated: int
    satisfied: int
    bad: int
    rectified: int
    def __init__(self, service: _Optional[str] = ..., rated: _Optional[int] = ..., satisfied: _Optional[int] = ..., bad: _Optional[int] = ..., rectified: _Optional[int] = ...) -> None: ...
