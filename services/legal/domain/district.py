"""A district's data (services/legal/data/<district code>.json): the content's kinds, topics and
audiences with their labels and limits, the consultations' deadline, and the roster of the
villages' legal advisors (one lawyer, at most 5 villages: checked when the data loads)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from runtime.auth import Caller
from runtime.errors import NotFound

MAX_VILLAGES_PER_ADVISOR = 5


class Role:
    """The staff roles legal defines (listed in its registry entry too), and those of others it uses."""

    JUDICIAL_OFFICER = "judicial_officer"  # the district's judicial office: publishes, reviews, oversees
    LEGAL_ADVISOR = "legal_advisor"  # a village's legal advisor (一村一法律顾问)
    VILLAGE_AGENT = "village_agent"


@dataclass(frozen=True)
class Advisor:
    username: str
    name: str
    villages: tuple[str, ...]


class District:
    def __init__(self, data: Mapping):
        self.code: str = data["district"]["code"]
        self.name: str = data["district"]["name"]
        self.time_zone: str = data["district"]["time_zone"]
        c = data["content"]
        self.kinds: dict[str, str] = dict(c["kinds"])
        self.kinds_with_topic = frozenset(c["kinds_with_topic"])
        self.kinds_with_video = frozenset(c["kinds_with_video"])
        self.topics: dict[str, str] = dict(c["topics"])
        self.audiences: dict[str, str] = dict(c["audiences"])
        self.limits: dict[str, int] = dict(c["limits"])
        self.consultation: dict = dict(data["consultation"])
        self.advisors = {
            a["username"]: Advisor(a["username"], a["name"], tuple(a["villages"])) for a in data["advisors"]
        }
        self._advisor_of: dict[str, Advisor] = {}
        for a in self.advisors.values():
            if not 1 <= len(a.villages) <= MAX_VILLAGES_PER_ADVISOR:
                raise ValueError(f"{self.code}: advisor {a.username} serves {len(a.villages)} villages (1..5)")
            for v in a.villages:
                if not (len(v) == 12 and v.isdigit() and v.startswith(self.code)):
                    raise ValueError(f"{self.code}: advisor {a.username}: {v!r} is not a village of the district")
                if v in self._advisor_of:
                    raise ValueError(f"{self.code}: village {v} has two advisors")
                self._advisor_of[v] = a

    def advisor_of(self, village: str) -> Advisor:
        advisor = self._advisor_of.get(village)
        if advisor is None:
            raise NotFound(f"village {village} has no legal advisor on the roster", {"area_code": "no legal advisor"})
        return advisor


class Districts:
    def __init__(self, districts: Iterable[District]):
        self.by_code = {d.code: d for d in districts}

    def of(self, area_code: str) -> District:
        district = self.by_code.get(area_code[:6])
        if district is None:
            raise NotFound(f"no legal service in area {area_code!r}", {"area_code": "not served"})
        return district

    def of_caller(self, caller: Caller) -> District:
        return self.of(caller.area_code)
