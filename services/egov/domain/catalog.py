"""The item catalog of a district, as GB/T 39554 structures it: main item -> sub-item -> handling
item (new, change, renewal, cancellation); the six elements every handling item inherits (name,
code, type, competent department, implementing body, legal basis); and each handling item's service
guide (办事指南). Versions take effect from their dates. The facts are data
(services/egov/data/<district code>.json); this module only reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from egov.domain.appointments import Halls
from rules.acting import ConsentPolicy
from runtime.errors import InvalidArgument, NotFound

MAX_KEYWORD = 50


@dataclass(frozen=True)
class MaterialSpec:
    """A material the guide asks for: its form (原件, 复印件, 电子), whether the original is needed and
    whether it can be taken from an electronic certificate, and whether it is required."""

    code: str
    name: str
    form: str
    original_needed: bool
    from_certificate: bool
    required: bool


@dataclass(frozen=True)
class Step:
    name: str
    working_days: int
    # Whether its time counts towards the time limit (public notices, say, do not).
    counts: bool = True


@dataclass(frozen=True)
class Guide:
    place: str
    hours: str
    conditions: tuple[str, ...]
    materials: tuple[MaterialSpec, ...]
    steps: tuple[Step, ...]
    legal_time_limit: int  # working days
    promised_time_limit: int  # working days
    fee_fen: int
    fee_text: str
    commitment: str
    visits: int  # in-person visits needed: 0 is fully online
    online: bool  # whether it can be applied for online (from the TV or the phone)
    consult: str
    complain: str
    # Whether a return for correction (补正) stops the clock until the household resubmits.
    correction_stops_clock: bool

    def material(self, code: str) -> MaterialSpec | None:
        return next((m for m in self.materials if m.code == code), None)

    @property
    def required_materials(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.materials if m.required)


@dataclass(frozen=True)
class HandlingItem:
    """What a citizen applies for: a handling item of a main item (and its sub-item, if any)."""

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
    life_events: tuple[str, ...]
    # The fields that came from a secondary source and are to be verified.
    check: tuple[str, ...]
    guide: Guide

    def matches(self, keyword: str, life_event: str) -> bool:
        if life_event and life_event not in self.life_events:
            return False
        return not keyword or any(keyword in t for t in (self.name, self.main_name, self.sub_name, self.code))


@dataclass(frozen=True)
class CatalogVersion:
    version: str
    effective_from: dt.date
    items: Mapping[str, HandlingItem]


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    client_ids: tuple[str, ...]


@dataclass(frozen=True)
class Uploads:
    formats: Mapping[str, str]  # format -> media type
    max_bytes: int
    max_materials: int


@dataclass(frozen=True)
class RatingRules:
    indicators: tuple[str, ...]
    reasons: tuple[str, ...]
    max_comment: int
    rectification_working_days: int
    call_back_hours: float
    # Days after completion an unrated application is invited to be rated on the TV.
    invite_after_days: float


class Catalog:
    """One district's catalog: its versions, departments, upload limits, rating rules and working days."""

    def __init__(self, data: dict):
        district = data["district"]
        self.district_code: str = district["code"]
        self.district_name: str = district["name"]
        self.time_zone = ZoneInfo(district["time_zone"])
        self.holidays = frozenset(dt.date.fromisoformat(d) for d in data.get("holidays", []))
        self.item_types: dict[str, str] = data["item_types"]
        self.handling_kinds: dict[str, str] = data["handling_kinds"]
        self.life_events: dict[str, str] = data["life_events"]
        self.channels: dict[str, str] = data["channels"]
        self.towns: dict[str, str] = data.get("towns", {})
        self._agency_points: dict = data.get("agency_points", {"name": "{village}", "named": {}})
        self.state_labels: dict[str, str] = data["state_labels"]
        self.departments = {
            code: Department(code, d["name"], tuple(d["client_ids"])) for code, d in data["departments"].items()
        }
        u = data["uploads"]
        self.uploads = Uploads(dict(u["formats"]), u["max_bytes"], u["max_materials"])
        r = data["rating"]
        self.rating = RatingRules(
            tuple(r["indicators"]),
            tuple(r["reasons"]),
            r["max_comment"],
            r["rectification_working_days"],
            r["call_back_hours"],
            r["invite_after_days"],
        )
        self._materials: dict[str, dict] = data["materials"]
        self._defaults: dict = data["guide_defaults"]
        self.versions = self._versions(data["versions"])
        self.halls = Halls(data.get("appointments"), self.time_zone, self.holidays)
        # The household's consent code for an agent's filing (rules.acting).
        self.consent = ConsentPolicy.of(data["consent"])
        c = data["certificates"]
        # The registry's certificate kinds and names; which department serves which; each item's result.
        self.certificate_kinds: dict[str, str] = c["kinds"]
        self.certificates_served: dict[str, tuple[str, ...]] = {d: tuple(k) for d, k in c["served_by"].items()}
        self.result_certificates: dict[str, str] = c["results"]

    def agency_point_name(self, village: str) -> str:
        named = self._agency_points["named"].get(village)
        town = self.towns.get(village[:9], village[:9])
        return named or self._agency_points["name"].format(town=town, village=village)

    def _versions(self, versions: Iterable[dict]) -> list[CatalogVersion]:
        out: list[CatalogVersion] = []
        mains: dict[str, dict] = {}
        for v in sorted(versions, key=lambda v: v["effective_from"]):
            # A version replaces the main items it lists (by code) and keeps the others.
            mains = {**mains, **{m["code"]: m for m in v["items"]}}
            items = {h.code: h for m in mains.values() for h in self._handling_items(m)}
            out.append(CatalogVersion(v["version"], dt.date.fromisoformat(v["effective_from"]), items))
        return out

    def _handling_items(self, main: dict) -> Iterable[HandlingItem]:
        subs = main.get("sub_items") or [{"code": "", "name": "", "handling": main["handling"]}]
        department = self.departments[main["department"]]
        for sub in subs:
            parent = sub["code"] or main["code"]
            for h in sub["handling"]:
                yield HandlingItem(
                    code=f"{parent}-{h['kind']}",
                    name=h["name"],
                    kind=h["kind"],
                    kind_name=self.handling_kinds[h["kind"]],
                    main_code=main["code"],
                    main_name=main["name"],
                    sub_code=sub["code"],
                    sub_name=sub["name"],
                    type=main["type"],
                    type_name=self.item_types[main["type"]],
                    department=department.code,
                    department_name=department.name,
                    implementing_body=main["implementing_body"],
                    legal_basis=main["legal_basis"],
                    life_events=tuple(main.get("life_events", [])),
                    check=tuple(main.get("check", [])),
                    guide=self._guide({**self._defaults, **h["guide"]}),
                )

    def _guide(self, g: dict) -> Guide:
        materials = tuple(
            MaterialSpec(
                m["code"],
                self._materials[m["code"]]["name"],
                self._materials[m["code"]]["form"],
                self._materials[m["code"]]["original_needed"],
                self._materials[m["code"]]["from_certificate"],
                m["required"],
            )
            for m in g["materials"]
        )
        steps = tuple(Step(s["name"], s["working_days"], s.get("counts", True)) for s in g["steps"])
        return Guide(
            place=g["place"],
            hours=g["hours"],
            conditions=tuple(g["conditions"]),
            materials=materials,
            steps=steps,
            legal_time_limit=g["legal_time_limit"],
            promised_time_limit=g["promised_time_limit"],
            fee_fen=g["fee"]["fen"],
            fee_text=g["fee"]["text"],
            commitment=g["commitment"],
            visits=g["visits"],
            online=g["online"],
            consult=g["consult"],
            complain=g["complain"],
            correction_stops_clock=g["correction_stops_clock"],
        )

    def in_force(self, on: dt.date) -> CatalogVersion:
        found = [v for v in self.versions if v.effective_from <= on]
        if not found:
            raise NotFound(f"no catalog of {self.district_name} in force on {on}", {"on_date": "before the first"})
        return found[-1]

    def version(self, name: str) -> CatalogVersion:
        for v in self.versions:
            if v.version == name:
                return v
        raise NotFound(f"no catalog version {name!r}")

    def item(self, code: str, on: dt.date) -> HandlingItem:
        item = self.in_force(on).items.get(code)
        if item is None:
            raise NotFound(f"no item {code!r} in the catalog of {self.district_name}", {"code": "not found"})
        return item

    def search(self, on: dt.date, keyword: str = "", life_event: str = "") -> list[HandlingItem]:
        if len(keyword) > MAX_KEYWORD or any(ord(c) < 32 for c in keyword):
            raise InvalidArgument("invalid keyword", {"keyword": f"at most {MAX_KEYWORD} characters, one line"})
        if life_event and life_event not in self.life_events:
            raise InvalidArgument("unknown life event", {"life_event": f"one of {', '.join(self.life_events)}"})
        keyword = keyword.strip()
        return [i for i in self.in_force(on).items.values() if i.matches(keyword, life_event)]

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.time_zone).date()

    def departments_of_client(self, client_id: str) -> set[str]:
        return {d.code for d in self.departments.values() if client_id in d.client_ids}


class Catalogs:
    """Every district's catalog, by district code (the first 6 digits of an area code)."""

    def __init__(self, catalogs: Iterable[Catalog]):
        self.by_district = {c.district_code: c for c in catalogs}

    def of(self, district_code: str) -> Catalog:
        catalog = self.by_district.get(district_code)
        if catalog is None:
            raise NotFound(f"no catalog for district {district_code!r}", {"district_code": "not served here"})
        return catalog

    def for_area(self, area_code: str, district_code: str = "") -> Catalog:
        """The named district's catalog, else that of the caller's area (a department's or a
        household's), else the only one."""
        if district_code:
            if len(district_code) != 6 or not district_code.isdigit():
                raise InvalidArgument("invalid district_code", {"district_code": "6 digits"})
            return self.of(district_code)
        if area_code[:6] in self.by_district:
            return self.by_district[area_code[:6]]
        if len(self.by_district) == 1:
            return next(iter(self.by_district.values()))
        raise InvalidArgument("name the district", {"district_code": "is required"})
