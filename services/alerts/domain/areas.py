"""Areas (data/areas.json: the district, its towns and villages) and targeting: which areas an
alert reaches, by code or by the polygons and circles it carries, and which terminals are in them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from alerts.domain.message import AlertMessage, circle_shape, polygon_shape
from runtime.errors import InvalidArgument


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    parent: str
    shape: Polygon


class Areas:
    """Every district's areas (one data file per district); `district` is the first's (the pilot)."""

    def __init__(self, data: dict, *more: dict):
        self.district: str = data["district"]
        self.districts: tuple[str, ...] = ()
        self.by_code: dict[str, Area] = {}
        for one in (data, *more):
            code = one["district"]
            if code in self.districts:
                raise ValueError(f"two area tables for district {code}")
            self.districts += (code,)
            for a in one["areas"]:
                if not a["code"].startswith(code) or a["code"] in self.by_code:
                    raise ValueError(f"area {a['code']} is not a new area of district {code}")
                s, w, n, e = a["bbox"]
                self.by_code[a["code"]] = Area(a["code"], a["name"], a["level"], a["parent"], box(w, s, e, n))

    def name(self, code: str) -> str:
        a = self.by_code.get(code)
        return a.name if a else code

    def names(self) -> dict[str, str]:
        return {c: a.name for c, a in self.by_code.items()}

    def check_codes(self, codes: Iterable[str], field_name: str = "area_codes") -> None:
        unknown = [c for c in codes if c not in self.by_code]
        if unknown:
            raise InvalidArgument(f"unknown area code(s): {', '.join(unknown[:5])}", {field_name: "unknown area code"})

    def intersecting(self, shape) -> list[str]:
        """The most specific areas a geometry touches: each listed village it
        intersects, and a town too where it touches the town outside its listed villages."""
        out = []
        for town in (a for a in self.by_code.values() if a.level == "town"):
            if not town.shape.intersects(shape):
                continue
            villages = [a for a in self.by_code.values() if a.parent == town.code]
            hit = [v.code for v in villages if v.shape.intersects(shape)]
            rest = town.shape.difference(unary_union([v.shape for v in villages])) if villages else town.shape
            if not hit or (not rest.is_empty and rest.intersects(shape)):
                out.append(town.code)
            out.extend(hit)
        return out


def covers(targeted_code: str, terminal_area: str) -> bool:
    """A terminal in village 330411101001 is in town 330411101 and district 330411."""
    return bool(targeted_code) and terminal_area.startswith(targeted_code)


def is_targeted(area_codes: Iterable[str], terminal_area: str) -> bool:
    return any(covers(c, terminal_area) for c in area_codes)


def resolve_targets(message: AlertMessage, areas: Areas) -> tuple[str, ...]:
    """Area codes a message targets: its geocodes (which must be known), and the
    areas its polygons and circles intersect."""
    codes: list[str] = []
    for a in message.areas:
        for _name, value in a.geocodes:
            if value.isdigit() and 6 <= len(value) <= 12:
                if value not in areas.by_code and value[:6] in areas.districts:
                    raise InvalidArgument(f"unknown area code {value}", {"area.geocode": "unknown area code"})
                if value in areas.by_code:
                    codes.append(value)
        for points in a.polygons:
            codes.extend(areas.intersecting(polygon_shape(points)))
        for lat, lon, r in a.circles:
            codes.extend(areas.intersecting(circle_shape(lat, lon, r)))
    codes.extend(message.area_codes)
    unique = tuple(dict.fromkeys(codes))
    if not unique:
        raise InvalidArgument("the alert targets no area of this district", {"area": "no known area targeted"})
    return unique
