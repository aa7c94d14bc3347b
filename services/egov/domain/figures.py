"""The district's figures for its government-service office (KPIs): for the district, and per item,
department, town and village agency point, the applications by channel, how many were done (办结)
and done on time, the visits they needed ("最多跑一次": the share done with no visit, and with at most
one), satisfaction (好差评) and the bad ratings rectified. No I/O: the handler loads the applications."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from egov.domain.access import Role
from egov.domain.applications import AGENT_CHANNEL, COMPLETED, Application, State
from egov.domain.catalog import Catalog
from rules import ratings
from runtime.auth import Caller, CallerKind
from runtime.errors import PermissionDenied

TOWN_DIGITS = 9


@dataclasses.dataclass
class Tally:
    code: str
    name: str
    applications: int = 0
    by_channel: dict[str, int] = dataclasses.field(default_factory=dict)
    done: int = 0
    on_time: int = 0
    visits: int = 0
    no_visit: int = 0
    at_most_one_visit: int = 0
    rated: int = 0
    satisfied: int = 0
    bad: int = 0
    rectified: int = 0

    def count(self, app: Application) -> None:
        self.applications += 1
        self.by_channel[app.channel] = self.by_channel.get(app.channel, 0) + 1
        if app.state not in COMPLETED:
            return
        self.done += 1
        if app.decided_at is None or app.deadline is None or app.decided_at <= app.deadline:
            self.on_time += 1
        self.visits += app.visits
        self.no_visit += app.visits == 0
        self.at_most_one_visit += app.visits <= 1
        if app.rating_level:
            self.rated += 1
            self.satisfied += ratings.is_satisfied(app.rating_level)
            if ratings.is_bad(app.rating_level):
                self.bad += 1
                self.rectified += app.rectified_at is not None

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.share(self.on_time, self.done)

    @property
    def average_visits(self) -> float:
        return self.share(self.visits, self.done)

    @property
    def no_visit_share(self) -> float:
        return self.share(self.no_visit, self.done)

    @property
    def at_most_one_visit_share(self) -> float:
        return self.share(self.at_most_one_visit, self.done)

    @property
    def satisfaction(self) -> float:
        return self.share(self.satisfied, self.rated)


@dataclasses.dataclass
class Figures:
    district: Tally
    items: list[Tally]
    departments: list[Tally]
    towns: list[Tally]
    agency_points: list[Tally]


def office_area(caller: Caller, catalog: Catalog) -> str:
    """The district's government-service office (role egov_office) sees its district's figures."""
    if caller.kind != CallerKind.STAFF or Role.EGOV_OFFICE not in caller.roles:
        raise PermissionDenied("the figures are for the district's government-service office (role egov_office)")
    if not caller.area_code.startswith(catalog.district_code):
        raise PermissionDenied(f"the figures of {catalog.district_name} are for its own office")
    return catalog.district_code


def figures(apps: Iterable[Application], catalog: Catalog) -> Figures:
    """Every application past its draft counts; a village agency point counts its agents' filings
    (their village is the household's: an agent files for their own village only)."""
    district = Tally(catalog.district_code, catalog.district_name)
    groups: dict[str, dict[str, Tally]] = defaultdict(dict)

    def tally(group: str, code: str, name: str) -> Tally:
        found = groups[group].get(code)
        if found is None:
            found = groups[group][code] = Tally(code, name)
        return found

    for app in apps:
        if app.state == State.DRAFT:
            continue
        town = app.area_code[:TOWN_DIGITS]
        counted = [
            district,
            tally("items", app.item_code, app.item_name),
            tally("departments", app.department, catalog.departments[app.department].name),
            tally("towns", town, catalog.towns.get(town, town)),
        ]
        if app.channel == AGENT_CHANNEL:
            counted.append(tally("agency_points", app.area_code, catalog.agency_point_name(app.area_code)))
        for t in counted:
            t.count(app)

    def ordered(group: str) -> list[Tally]:
        return sorted(groups[group].values(), key=lambda t: (-t.applications, t.code))

    return Figures(district, ordered("items"), ordered("departments"), ordered("towns"), ordered("agency_points"))
