"""The acceptance scheme of a district (data/<district>.json): its towns and service points, and
its indicators with their targets and weights; and the periods a report covers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from runtime.districts import check_district_code, is_district_code
from runtime.errors import InvalidArgument

FIRST_YEAR, LAST_YEAR = 2000, 2999
PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")
# Levels an indicator can be measured at; a service point only where the service has points.
LEVELS = ("district", "town", "service_point")
KINDS = ("rate", "weekly_minimum")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    service: str
    # rate: 100 x sum(numerator) / sum(denominator); weekly_minimum: the share of (town, week)s
    # with at least `minimum` of `numerator` (the weeks that began in the period, up to now).
    kind: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    target: float
    weight: float
    higher_is_better: bool
    levels: tuple[str, ...]
    minimum: int = 0


@dataclass(frozen=True)
class Scheme:
    district: str
    name: str
    version: str
    effective: str
    towns: dict[str, str]
    points: dict[str, tuple[str, str]]  # code -> (name, town)
    indicators: tuple[Indicator, ...]

    @classmethod
    def from_json(cls, data: dict) -> Scheme:
        indicators = tuple(
            Indicator(
                code=i["code"],
                name=i["name"],
                service=i["service"],
                kind=i.get("kind", "rate"),
                numerator=tuple(i["numerator"]),
                denominator=tuple(i.get("denominator", ())),
                target=float(i["target"]),
                weight=float(i["weight"]),
                higher_is_better=bool(i.get("higher_is_better", True)),
                levels=tuple(i.get("levels", LEVELS[:2])),
                minimum=int(i.get("minimum", 0)),
            )
            for i in data["indicators"]
        )
        scheme = cls(
            district=data["district"],
            name=data["name"],
            version=data["version"],
            effective=data["effective"],
            towns=dict(data["towns"]),
            points={code: (p["name"], p["town"]) for code, p in data["service_points"].items()},
            indicators=indicators,
        )
        scheme.validate()
        return scheme

    def validate(self) -> None:
        if not is_district_code(self.district):
            raise ValueError(f"a district is 6 digits, not {self.district!r}")
        if abs(sum(i.weight for i in self.indicators) - 1.0) > 1e-9:
            raise ValueError("the indicators' weights must add up to 1")
        for i in self.indicators:
            if i.kind not in KINDS or set(i.levels) - set(LEVELS) or not i.numerator:
                raise ValueError(f"indicator {i.code}: kind in {KINDS}, levels in {LEVELS}, a numerator")
            if i.kind == "rate" and not i.denominator:
                raise ValueError(f"indicator {i.code}: a rate needs a denominator")

    def town_of_point(self, point: str) -> str:
        return self.points.get(point, ("", ""))[1]


def check_district(district: str) -> None:
    check_district_code(district, "district")


def parse_period(period: str) -> tuple[str, list[str]]:
    """'2026-11', '2026-Q4' or '2026' -> its kind (month, quarter, year) and its months, oldest first."""
    m = PERIOD.match(period or "")
    bad = InvalidArgument(
        f"period is a month (2026-11), a quarter (2026-Q4) or a year (2026), from {FIRST_YEAR} to {LAST_YEAR}",
        {"period": "YYYY-MM, YYYY-Qn or YYYY"},
    )
    if m is None:
        raise bad
    year = int(m.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise bad
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise bad
        return "month", [f"{year:04d}-{month:02d}"]
    if m.group(3):
        q = int(m.group(3))
        return "quarter", [f"{year:04d}-{month:02d}" for month in range(3 * q - 2, 3 * q + 1)]
    return "year", [f"{year:04d}-{month:02d}" for month in range(1, 13)]


def months_of(period: str) -> list[str]:
    return parse_period(period)[1]


def month_days(month: str) -> tuple[dt.date, dt.date]:
    """The first day of a month and of the next."""
    year, m = (int(x) for x in month.split("-"))
    return dt.date(year, m, 1), dt.date(year + (m == 12), m % 12 + 1, 1)
