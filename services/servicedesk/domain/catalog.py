"""The published service standards (服务标准): what each service is, its time limits in towns and
villages, its fee, the materials to bring, the channels that take it and what a late one earns.
The catalog is data (data/standards.json), versioned by the date it takes effect; a request keeps
the version it was filed under for life."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from runtime.errors import InvalidArgument, NotFound

# Dates that citizens see (reference numbers, which standard is in force, working days) are the district's.
DISTRICT_TZ = ZoneInfo("Asia/Shanghai")
AREA_TYPES = ("urban", "village")
CHANNELS = ("set_top_box", "mobile", "village_agent", "service_hall", "outreach_event", "hotline")


def district_date(at: dt.datetime) -> dt.date:
    return at.astimezone(DISTRICT_TZ).date()


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    name_en: str
    time_limit_hours: dict[str, int]
    fee_fen: int
    covers: str = ""
    materials: tuple[str, ...] = ()
    home_visit_offered: bool = False
    channels: tuple[str, ...] = CHANNELS
    compensation: dict = field(default_factory=lambda: {"kind": "none"})

    def time_limit(self, area_type: str) -> dt.timedelta:
        return dt.timedelta(hours=self.time_limit_hours[area_type])

    def deadline(self, submitted_at: dt.datetime, area_type: str) -> dt.datetime:
        return submitted_at + self.time_limit(area_type)

    def compensation_fen(self, deadline_at: dt.datetime, resolved_at: dt.datetime, monthly_fee_fen: int) -> int:
        """What a late request earns, by the standard's rule: the month's fee waived, or a percent
        of the fee per day (or part of a day) late, never more than the fee."""
        late = resolved_at - deadline_at
        if late <= dt.timedelta(0):
            return 0
        rule = self.compensation
        if rule["kind"] == "waive_month_fee":
            return monthly_fee_fen
        if rule["kind"] == "percent_of_fee_per_day":
            days = -(-late // dt.timedelta(days=1))  # ceiling
            return min(self.fee_fen, self.fee_fen * rule["percent"] * days // 100)
        return 0


@dataclass(frozen=True)
class QualityCommitment:
    """A service point's published quality commitment (服务质量承诺): what is promised, as citizens
    read it, and the figure it is measured against."""

    code: str
    name: str
    commitment: str
    target: float
    unit: str
    source: str = ""


UNITS = ("minutes", "hours", "percent", "working_days")


@dataclass(frozen=True)
class Catalog:
    version: str
    effective_from: dt.date
    service_types: dict[str, ServiceType]
    rules: dict = field(default_factory=dict)
    material_names: dict = field(default_factory=dict)
    channel_names: dict = field(default_factory=dict)
    published_commitments: tuple[QualityCommitment, ...] = ()

    @classmethod
    def from_data(cls, data: dict, on: dt.date) -> Catalog:
        """The catalog version in force on `on` (the newest that has taken effect)."""
        versions = sorted(data["versions"], key=lambda v: v["effective_from"])
        in_force = [v for v in versions if dt.date.fromisoformat(v["effective_from"]) <= on]
        if not in_force:
            raise ValueError(f"no standard catalog version is in force on {on}")
        return cls._version(data, in_force[-1])

    @classmethod
    def named(cls, data: dict, version: str) -> Catalog:
        """The version a request was filed under (it keeps it for life)."""
        for v in data["versions"]:
            if v["version"] == version:
                return cls._version(data, v)
        raise ValueError(f"no standard catalog version {version!r}")

    @classmethod
    def _version(cls, data: dict, v: dict) -> Catalog:
        types = {}
        for t in v["service_types"]:
            if t["fee_fen"] < 0 or any(h <= 0 for h in t["time_limit_hours"].values()):
                raise ValueError(
                    f"service type {t['code']}: the fee must not be negative and time limits must be positive"
                )
            if set(t["time_limit_hours"]) - set(AREA_TYPES):
                raise ValueError(f"service type {t['code']}: time limits are per area type {AREA_TYPES}")
            channels = tuple(t.get("channels", CHANNELS))
            if set(channels) - set(CHANNELS):
                raise ValueError(f"service type {t['code']}: unknown channels {set(channels) - set(CHANNELS)}")
            types[t["code"]] = ServiceType(
                t["code"],
                t["name"],
                t["name_en"],
                t["time_limit_hours"],
                t["fee_fen"],
                covers=t.get("covers", ""),
                materials=tuple(t.get("materials", ())),
                home_visit_offered=t.get("home_visit_offered", False),
                channels=channels,
                compensation=t.get("compensation", {"kind": "none"}),
            )
        commitments = tuple(
            QualityCommitment(q["code"], q["name"], q["commitment"], q["target"], q["unit"], q.get("source", ""))
            for q in v.get("quality_commitments", ())
        )
        for q in commitments:
            if q.unit not in UNITS or q.target <= 0:
                raise ValueError(f"quality commitment {q.code}: a positive target in one of {UNITS}")
        return cls(
            v["version"],
            dt.date.fromisoformat(v["effective_from"]),
            types,
            v.get("rules", {}),
            data.get("material_names", {}),
            data.get("channel_names", {}),
            commitments,
        )

    @property
    def quality_commitments(self) -> tuple[QualityCommitment, ...]:
        """The published commitments, and the rectification of bad ratings by the version's rule."""
        days = self.rules.get("rectification_working_days")
        if not days:
            return self.published_commitments
        rectified = QualityCommitment(
            "bad_rating_rectified", "差评整改", f"{days}个工作日内整改并回访", days, "working_days", "GB/T 39734-2020"
        )
        return (*self.published_commitments, rectified)

    def rule(self, name: str):
        if name not in self.rules:
            raise ValueError(f"catalog {self.version} has no rule {name!r}")
        return self.rules[name]

    def service_type(self, code: str) -> ServiceType:
        if code not in self.service_types:
            raise InvalidArgument(f"unknown service type {code!r}", {"service_type": "not in the standard catalog"})
        return self.service_types[code]

    def guide(self, standard: ServiceType) -> str:
        """How the standard reads to a citizen, in plain Chinese."""
        return _guide(standard, self)

    def compensation_text(self, standard: ServiceType) -> str:
        return _compensation_text(standard, self)


class Standards:
    """Every version of the catalog: the one in force on a day, and the one a request was filed under."""

    def __init__(self, data: dict):
        self.data = data
        # Every version must load now, not when a request under it is first touched.
        self._versions = {v["version"]: Catalog.named(data, v["version"]) for v in data["versions"]}

    def in_force_on(self, day: dt.date) -> Catalog:
        try:
            return self._versions[Catalog.from_data(self.data, day).version]
        except ValueError:
            raise NotFound(f"no service standard is in force on {day}") from None

    def at(self, at: dt.datetime) -> Catalog:
        """The version in force at an instant (on the district's date)."""
        return self.in_force_on(district_date(at))

    def named(self, version: str) -> Catalog:
        if version not in self._versions:
            raise ValueError(f"no standard catalog version {version!r}")
        return self._versions[version]


# --- the service guide, in plain Chinese ----------------------------------------


def yuan(fen: int) -> str:
    return "免费" if fen == 0 else f"{fen // 100}元" + (f"{fen % 100:02d}分" if fen % 100 else "")


def hours_text(hours: int) -> str:
    return f"{hours // 24}天" if hours % 24 == 0 and hours >= 48 else f"{hours}小时"


def _compensation_text(standard: ServiceType, catalog: Catalog) -> str:
    rule = standard.compensation
    if rule["kind"] == "waive_month_fee":
        return f"超时未修好，免收当月收视费（{yuan(catalog.rule('monthly_fee_fen'))}）。"
    if rule["kind"] == "percent_of_fee_per_day":
        return f"超时每天按费用的{rule['percent']}%赔偿。"
    return ""


def _guide(standard: ServiceType, catalog: Catalog) -> str:
    limits = standard.time_limit_hours
    if limits.get("urban") == limits.get("village"):
        how_long = f"{hours_text(limits['urban'])}内办好"
    else:
        how_long = f"城镇{hours_text(limits['urban'])}、农村{hours_text(limits['village'])}内办好"
    bring = "、".join(catalog.material_names.get(m, m) for m in standard.materials) or "不用带材料"
    where = "、".join(catalog.channel_names.get(c, c) for c in standard.channels)
    parts = [
        f"{standard.name}：{standard.covers}",
        f"要带：{bring}。",
        f"多久：{how_long}。",
        f"多少钱：{yuan(standard.fee_fen)}。",
        f"在哪办：{where}。",
    ]
    if standard.home_visit_offered:
        parts.append("老年人、残疾人可以预约上门服务。")
    comp = _compensation_text(standard, catalog)
    if comp:
        parts.append(comp)
    return "\n".join(parts)
