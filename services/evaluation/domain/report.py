"""The report of one district for one period, from the read model's counters: every indicator's
figure (value, target, weight, score, met) for the district, each town and each service point,
the trend per month, the problems found and where bad ratings fall most."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from evaluation.domain.folding import Tally
from evaluation.domain.scheme import Indicator, Scheme, month_days

# The services whose 好差评 ratings roll into one view, and the counters that say them.
RATED_SERVICES = {
    "servicedesk": ("sd.rated", "sd.satisfied", "sd.bad", "sd.rectified"),
    "egov": tuple(f"rating.egov.{m}" for m in ("rated", "satisfied", "bad", "rectified")),
    "education": tuple(f"rating.education.{m}" for m in ("rated", "satisfied", "bad", "rectified")),
}
TOP_CAUSES = 10


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: float | None  # None: nothing to measure
    numerator: int
    denominator: int

    @property
    def measured(self) -> bool:
        return self.value is not None

    @property
    def met(self) -> bool:
        i, v = self.indicator, self.value
        return v is None or (v >= i.target if i.higher_is_better else v <= i.target)

    @property
    def percent(self) -> float:
        """Its share of full marks, as servicedesk's assessment scores: nothing measured counts as full."""
        if self.value is None:
            return 100.0
        return self.value if self.indicator.higher_is_better else 100.0 - self.value

    @property
    def score(self) -> float:
        return self.indicator.weight * self.percent


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kind: str
    figures: list[Figure]

    @property
    def score(self) -> float:
        weights = sum(f.indicator.weight for f in self.figures)
        return round(sum(f.score for f in self.figures) / weights, 2) if weights else 0.0


@dataclass(frozen=True)
class Month:
    month: str
    figures: list[Figure]
    score: float


@dataclass(frozen=True)
class Problem:
    indicator: str
    area_code: str
    area_name: str
    text: str


@dataclass(frozen=True)
class Ratings:
    service: str
    rated: int
    satisfied: int
    bad: int
    rectified: int


@dataclass
class Report:
    scheme: Scheme
    period: str
    months: list[str]
    generated_at: dt.datetime
    overall: Area
    towns: list[Area] = field(default_factory=list)
    points: list[Area] = field(default_factory=list)
    trends: list[Month] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    causes: list[tuple[str, str, int]] = field(default_factory=list)
    ratings: list[Ratings] = field(default_factory=list)


Select = Callable[[Tally], bool]


class _Counts:
    """The counters indexed by measure, so each figure reads only its own."""

    def __init__(self, counts: Mapping[Tally, int]):
        self.by_measure: dict[str, list[tuple[Tally, int]]] = {}
        for t, n in counts.items():
            self.by_measure.setdefault(t.measure, []).append((t, n))

    def total(self, measures: tuple[str, ...], select: Select) -> int:
        return sum(n for m in set(measures) for t, n in self.by_measure.get(m, ()) if select(t))

    def per_day(self, measure: str, select: Select) -> dict[dt.date, int]:
        out: dict[dt.date, int] = {}
        for t, n in self.by_measure.get(measure, ()):
            if select(t):
                out[t.day] = out.get(t.day, 0) + n
        return out


def in_town(town: str) -> Select:
    return lambda t: t.town == town


def at_point(point: str) -> Select:
    return lambda t: t.point == point


def _both(a: Select, b: Select) -> Select:
    return lambda t: a(t) and b(t)


def _weeks(start: dt.date, end: dt.date, today: dt.date) -> list[dt.date]:
    """The Mondays in [start, end) of the weeks already over by `today`."""
    first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    out = []
    while first < end and first + dt.timedelta(days=7) <= today:
        out.append(first)
        first += dt.timedelta(days=7)
    return out


def figure(
    indicator: Indicator,
    counts: _Counts,
    select: Select,
    towns: list[str],
    span: tuple[dt.date, dt.date],
    today: dt.date,
) -> Figure:
    start, end = span

    def in_span(t: Tally) -> bool:
        return start <= t.day < end and select(t)

    if indicator.kind == "weekly_minimum":
        weeks = _weeks(start, end, today)
        met = 0
        for town in towns:
            days = counts.per_day(indicator.numerator[0], _both(in_town(town), select))
            for monday in weeks:
                played = sum(days.get(monday + dt.timedelta(days=d), 0) for d in range(7))
                met += played >= indicator.minimum
        whole = len(weeks) * len(towns)
        return Figure(indicator, None if whole == 0 else 100.0 * met / whole, met, whole)
    num = counts.total(indicator.numerator, in_span)
    den = counts.total(indicator.denominator, in_span)
    return Figure(indicator, None if den == 0 else 100.0 * num / den, num, den)


def _problem_text(f: Figure, where: str) -> str:
    i = f.indicator
    side = "低于" if i.higher_is_better else "高于"
    return f"{where}{i.name}为 {f.value:.1f}%，{side}目标 {i.target:g}%（{f.numerator}/{f.denominator}）"


def build_report(
    scheme: Scheme,
    period: str,
    months: list[str],
    counts: Mapping[Tally, int],
    now: dt.datetime,
    today: dt.date,
) -> Report:
    """`counts`: the district's counters from the period's first day to a week past its last (the
    last weeks that began in it), with the requests still open past their deadline in `sd.overdue`."""
    c = _Counts(counts)
    span = (month_days(months[0])[0], month_days(months[-1])[1])
    towns = sorted(scheme.towns)
    at_level = {lvl: [i for i in scheme.indicators if lvl in i.levels] for lvl in ("district", "town", "service_point")}

    def area(code: str, name: str, kind: str, select: Select, area_towns: list[str]) -> Area:
        return Area(code, name, kind, [figure(i, c, select, area_towns, span, today) for i in at_level[kind]])

    overall = area(scheme.district, scheme.name, "district", lambda t: True, towns)
    report = Report(scheme, period, months, now, overall)
    report.towns = [area(t, scheme.towns[t], "town", in_town(t), [t]) for t in towns]
    points = sorted(set(scheme.points) | {t.point for t in counts if t.point})
    report.points = [area(p, scheme.points.get(p, (p, ""))[0], "service_point", at_point(p), []) for p in points]
    for month in months:
        mspan = month_days(month)
        figs = [figure(i, c, lambda t: True, towns, mspan, today) for i in at_level["district"]]
        report.trends.append(Month(month, figs, Area("", "", "district", figs).score))
    for a in [overall, *report.towns, *report.points]:
        where = "" if a.kind == "district" else f"{a.name}："
        for f in a.figures:
            if not f.met:
                report.problems.append(Problem(f.indicator.code, a.code, a.name, _problem_text(f, where)))
    in_period: Select = lambda t: span[0] <= t.day < span[1]  # noqa: E731
    causes: dict[tuple[str, str], int] = {}
    for t, n in counts.items():
        if t.measure.startswith("bad.") and in_period(t):
            _, service, subject = t.measure.split(".", 2)
            causes[(service, subject)] = causes.get((service, subject), 0) + n
    report.causes = [(s, subj, n) for (s, subj), n in sorted(causes.items(), key=lambda x: (-x[1], x[0]))][:TOP_CAUSES]
    report.ratings = [
        Ratings(service, *(c.total((m,), in_period) for m in measures)) for service, measures in RATED_SERVICES.items()
    ]
    return report
