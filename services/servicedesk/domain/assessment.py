"""The performance assessment of the service points (绩效考核): each point's figures for the
requests filed in a month (on time, overdue, satisfaction, rectification, complaints,
compensation), weighted into a score out of 100 by the assessment scheme (data), and ranked.
It is computed from a read model of the service desk's own events (Case), which any other
service could build the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules import ratings
from runtime.errors import InvalidArgument
from servicedesk.domain.catalog import DISTRICT_TZ
from servicedesk.domain.lifecycle import OPEN_STATES, State
from servicedesk.domain.points import ServicePoint

INDICATOR_NAMES = {"on_time_rate", "satisfaction_rate", "rectification_rate", "complaint_rate", "overdue_rate"}
DEFAULT_MONTHS = 6
MAX_MONTHS = 24


class Case:
    """One request as the assessment knows it, from the events that announced it."""

    def __init__(
        self,
        request_id: str,
        service_point_code: str,
        service_type: str,
        channel: str,
        submitted_at: dt.datetime,
        deadline_at: dt.datetime | None,
        state: str,
        resolved_at: dt.datetime | None = None,
        compensation_fen: int = 0,
        rating_level: str = "",
        rectification_deadline: dt.datetime | None = None,
        rectified_at: dt.datetime | None = None,
    ):
        self.request_id = request_id
        self.service_point_code = service_point_code
        self.service_type = service_type
        self.channel = channel
        self.submitted_at = submitted_at
        self.deadline_at = deadline_at
        self.state = state
        self.resolved_at = resolved_at
        self.compensation_fen = compensation_fen
        self.rating_level = rating_level
        self.rectification_deadline = rectification_deadline
        self.rectified_at = rectified_at

    # Each event carries what it changes, so applying one twice changes nothing either.

    def moved(
        self,
        service_point_code: str,
        deadline_at: dt.datetime | None,
        to_state: str,
        compensation_fen: int,
        at: dt.datetime | None,
    ) -> None:
        self.service_point_code, self.deadline_at = service_point_code, deadline_at
        self.state, self.compensation_fen = to_state, compensation_fen
        if to_state == State.RESOLVED:
            self.resolved_at = at

    def rated(self, level: str, rectification_deadline: dt.datetime | None) -> None:
        self.rating_level, self.rectification_deadline = level, rectification_deadline

    def followed_up(self, at: dt.datetime | None) -> None:
        self.rectified_at = at


# The years an assessment period may name.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def month_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """'2026-11' -> the month's first instant and the next month's, in the district's time."""
    try:
        year, month = (int(x) for x in period.split("-"))
        if not FIRST_YEAR <= year <= LAST_YEAR:  # and so the months before it, and the next one, exist too
            raise ValueError(year)
        start = dt.datetime(year, month, 1, tzinfo=DISTRICT_TZ)
    except ValueError:
        raise InvalidArgument(
            f"period must be YYYY-MM, from {FIRST_YEAR} to {LAST_YEAR}", {"period": "a month, e.g. 2026-11"}
        ) from None
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=DISTRICT_TZ)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def previous_months(period: str, count: int) -> list[str]:
    year, month = (int(x) for x in period.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def months_asked(period: str, months: int, at: dt.datetime) -> list[str]:
    """The months an assessment covers: `months` (default 6, at most 24) up to `period` (default this one)."""
    period = period or f"{at.astimezone(DISTRICT_TZ):%Y-%m}"
    if months < 0 or months > MAX_MONTHS:
        raise InvalidArgument(f"months must be 1..{MAX_MONTHS}", {"months": "out of range"})
    month_bounds(period)  # refuses a malformed period
    return previous_months(period, months or DEFAULT_MONTHS)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    # nearest rank
    return values[max(0, min(len(values) - 1, -(-int(q * 100) * len(values) // 100) - 1))]


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def done_on_time(c: Case, at: dt.datetime) -> bool:
    """Resolved within its standard's time limit (a request without one is on time)."""
    return c.deadline_at is None or (c.resolved_at or at) <= c.deadline_at


PUBLIC_MONTHS = 12


def public_figures(cases: list[Case], at: dt.datetime) -> tuple[int, int]:
    """The district's public figures: requests done, and of those done on time."""
    done = [c for c in cases if c.resolved_at is not None]
    return len(done), sum(1 for c in done if done_on_time(c, at))


def point_metrics(cases: list[Case], start: dt.datetime, end: dt.datetime, at: dt.datetime) -> dict:
    """One point's figures for the requests filed in [start, end), as they stand at `at`."""
    filed = [c for c in cases if start <= c.submitted_at < end]
    done = [c for c in filed if c.resolved_at is not None]
    on_time = [c for c in done if done_on_time(c, at)]
    open_ = [c for c in filed if c.state in OPEN_STATES]
    overdue = [c for c in filed if c.deadline_at is not None and c.deadline_at < (c.resolved_at or at)]
    rated = [c for c in filed if c.rating_level]
    bad = [c for c in rated if ratings.is_bad(c.rating_level)]
    rectified = [
        c
        for c in bad
        if c.rectified_at is not None
        and c.rectification_deadline is not None
        and c.rectified_at <= c.rectification_deadline
    ]
    by_type: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    hours_by_type: dict[str, list[float]] = {}
    for c in filed:
        by_type[c.service_type] = by_type.get(c.service_type, 0) + 1
        by_channel[c.channel] = by_channel.get(c.channel, 0) + 1
    for c in done:
        hours = ((c.resolved_at or at) - c.submitted_at).total_seconds() / 3600
        hours_by_type.setdefault(c.service_type, []).append(hours)
    return {
        "requests": len(filed),
        "by_type": by_type,
        "by_channel": by_channel,
        "resolved": len(done),
        "on_time_rate": _rate(len(on_time), len(done)),
        "median_hours_by_type": {k: _quantile(v, 0.5) for k, v in hours_by_type.items()},
        "p90_hours_by_type": {k: _quantile(v, 0.9) for k, v in hours_by_type.items()},
        "backlog": len(open_),
        "overdue": len(overdue),
        "overdue_rate": _rate(len(overdue), len(filed)),
        "satisfaction_rate": _rate(len([c for c in rated if ratings.is_satisfied(c.rating_level)]), len(rated)),
        "bad_ratings": len(bad),
        "rectification_rate": _rate(len(rectified), len(bad)),
        "complaint_rate": _rate(by_type.get("complaint", 0), len(filed)),
        "compensation_fen": sum(c.compensation_fen for c in filed),
    }


def score(metrics: dict, scheme: dict) -> float:
    """The weighted score out of 100; an indicator with nothing to measure counts as full marks."""
    total = 0.0
    for name, weight in scheme["weights"].items():
        value = metrics[name]
        if value is None:
            value = 0.0 if name in scheme["lower_is_better"] else 100.0
        total += weight * ((100.0 - value) if name in scheme["lower_is_better"] else value)
    return round(total, 2)


def validate_scheme(scheme: dict) -> None:
    if abs(sum(scheme["weights"].values()) - 1.0) > 1e-9:
        raise ValueError("the assessment weights must add up to 1")
    if set(scheme["weights"]) - INDICATOR_NAMES or set(scheme["lower_is_better"]) - INDICATOR_NAMES:
        raise ValueError(f"the assessment scheme names indicators outside {sorted(INDICATOR_NAMES)}")


@dataclass(frozen=True)
class PointAssessment:
    point: ServicePoint
    score: float
    metrics: dict
    score_series: list[float]
    requests_series: list[int]
    rank: int = 0


def assess(
    points: list[ServicePoint], cases: list[Case], months: list[str], scheme: dict, at: dt.datetime
) -> list[PointAssessment]:
    """Every point's figures and score for the last of `months` (with the series over all of them),
    ranked by score (ties by point code)."""
    by_point: dict[str, list[Case]] = {p.code: [] for p in points}
    for c in cases:
        if c.service_point_code in by_point:
            by_point[c.service_point_code].append(c)
    out = []
    for point in points:
        series = [point_metrics(by_point[point.code], *month_bounds(m), at) for m in months]
        scores = [score(x, scheme) for x in series]
        out.append(PointAssessment(point, scores[-1], series[-1], scores, [x["requests"] for x in series]))
    out.sort(key=lambda p: (-p.score, p.point.code))
    return [
        PointAssessment(p.point, p.score, p.metrics, p.score_series, p.requests_series, i) for i, p in enumerate(out, 1)
    ]
