"""The district's service points (the nine stations, data/service_points.json), how a household's
area is routed to one, and who may act: staff are known by their roles and by the rosters of the
points (managers, technicians, village agents)."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.auth import Caller
from runtime.errors import FailedPrecondition, PermissionDenied


class Role:
    """The staff roles of the service desk (the registry lists them), and the one it uses of identity's."""

    SERVICE_POINT_MANAGER = "service_point_manager"
    TECHNICIAN = "technician"
    VILLAGE_AGENT = "village_agent"
    DEPARTMENT_OFFICER = "department_officer"  # identity's: a department's system


MANAGER, TECHNICIAN, AGENT = Role.SERVICE_POINT_MANAGER, Role.TECHNICIAN, Role.VILLAGE_AGENT


@dataclass(frozen=True)
class ServicePoint:
    code: str
    name: str
    township_code: str
    township_name: str
    managers: tuple[str, ...]
    technicians: tuple[str, ...]
    agency_points: tuple[dict, ...]

    def is_managed_by(self, caller: Caller) -> bool:
        return MANAGER in caller.roles and caller.username in self.managers

    def has_agent(self, caller: Caller, village: str = "") -> bool:
        """An agent of one of the point's agency points (of `village`'s, when named)."""
        return AGENT in caller.roles and any(
            caller.username in a["agents"] and (not village or a["area_code"] == village) for a in self.agency_points
        )


@dataclass(frozen=True)
class ServicePoints:
    district_code: str
    points: dict[str, ServicePoint]  # by township code
    area_type_ranges: tuple[tuple[int, int, str], ...]
    district_managers: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict) -> ServicePoints:
        district = data["district"]["code"]
        points = {}
        for p in data["service_points"]:
            tc = p["township_code"]
            if len(tc) != 9 or not tc.isdigit() or not tc.startswith(district):
                raise ValueError(f"service point {p['code']}: township code {tc!r} is not 9 digits of {district}")
            if tc in points:
                raise ValueError(f"two service points for township {tc}")
            for a in p["agency_points"]:
                if len(a["area_code"]) != 12 or not a["area_code"].startswith(tc):
                    raise ValueError(f"agency point {a['area_code']!r} is not a village of {tc}")
            points[tc] = ServicePoint(
                p["code"],
                p["name"],
                tc,
                p["township_name"],
                tuple(p["managers"]),
                tuple(p["technicians"]),
                tuple(p["agency_points"]),
            )
        ranges = tuple((r["from"], r["to"], r["area_type"]) for r in data["area_types"])
        return cls(district, points, ranges, tuple(data["district"].get("managers", ())))

    def point_for_area(self, area_code: str) -> ServicePoint:
        """The station of the town or sub-district the (village or township) area lies in."""
        point = self.points.get(area_code[:9]) if len(area_code) in (9, 12) else None
        if point is None:
            raise FailedPrecondition(
                f"no service point serves area {area_code!r}", {"area_code": "outside the district's service points"}
            )
        return point

    def area_type(self, area_code: str) -> str:
        """urban or village, from the village part of a 12-digit code (a township alone counts as urban)."""
        if len(area_code) != 12:
            return "urban"
        n = int(area_code[9:])
        for low, high, kind in self.area_type_ranges:
            if low <= n <= high:
                return kind
        return "village"

    def all_technicians(self) -> set[str]:
        return {t for p in self.points.values() for t in p.technicians}

    def technician_roster(self) -> dict[str, str]:
        """Each technician's point code."""
        return {t: p.code for p in self.points.values() for t in p.technicians}

    def point_by_code(self, code: str) -> ServicePoint | None:
        return next((p for p in self.points.values() if p.code == code), None)


# --- who may do what ---------------------------------------------------------


def role_of(caller: Caller) -> str:
    """The role an audit entry records: the staff role used, or the caller kind."""
    for role in (MANAGER, TECHNICIAN, AGENT):
        if role in caller.roles:
            return role
    return caller.kind


def managed_point(caller: Caller, points: ServicePoints) -> ServicePoint:
    """The point a manager runs: the one of their township, if they are on its roster."""
    caller.require_role(MANAGER)
    point = points.points.get(caller.area_code[:9])
    if point is None or caller.username not in point.managers:
        raise PermissionDenied("you manage no service point")
    return point


def on_a_roster(caller: Caller, points: ServicePoints) -> bool:
    """Staff who may file for households: a manager or a village agent named in the service-point data."""
    if not caller.username:
        return False
    return any(p.is_managed_by(caller) or p.has_agent(caller) for p in points.points.values())


def require_district_manager(caller: Caller, points: ServicePoints) -> None:
    """The assessment of every point is for the district's managers."""
    caller.require_role(MANAGER)
    if caller.area_code != points.district_code or caller.username not in points.district_managers:
        raise PermissionDenied("the assessment is for the district's managers")


def require_manager_of(caller: Caller, point: ServicePoint) -> None:
    caller.require_role(MANAGER)
    if caller.username not in point.managers:
        raise PermissionDenied("this request belongs to another service point")


def require_technician_on(caller: Caller, technician: str) -> None:
    caller.require_role(TECHNICIAN)
    if not caller.username or caller.username != technician:
        raise PermissionDenied("this job is assigned to another technician")


def agent_may_file_for(caller: Caller, household_area_code: str, points: ServicePoints) -> None:
    """A village agent files only for households of their own village, at an agency point on the roster."""
    caller.require_role(AGENT)
    if len(household_area_code) != 12 or household_area_code != caller.area_code:
        raise PermissionDenied("an agent files only for households of their own village")
    point = points.point_for_area(household_area_code)
    if not point.has_agent(caller, village=household_area_code):
        raise PermissionDenied("you are not an agent of this village's agency point")


def require_reader(caller: Caller, points: ServicePoints) -> None:
    """Households, managers on a roster and named technicians read requests; nobody else."""
    if caller.is_household():
        return
    if MANAGER in caller.roles and on_a_roster(caller, points):
        return
    if TECHNICIAN in caller.roles and caller.username in points.all_technicians():
        return
    raise PermissionDenied("this call is for a household's terminal or the service point's staff")


def may_read(caller: Caller, household_id: str, point: ServicePoint, technician: str) -> bool:
    if caller.is_household():
        return caller.household_id == household_id
    if point.is_managed_by(caller):
        return True
    return TECHNICIAN in caller.roles and bool(caller.username) and caller.username == technician


def outreach_staff(caller: Caller, point: ServicePoint) -> bool:
    """Staff of a point who take requests at its outreach events: its managers and its agents."""
    return point.is_managed_by(caller) or point.has_agent(caller)
