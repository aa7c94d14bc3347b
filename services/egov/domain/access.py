"""Who may do what: households and their village agents (rules.acting), and the competent
department, which sees and decides only the applications for its own items in its own area."""

from __future__ import annotations

from egov.domain.catalog import Catalog
from runtime.auth import Caller, CallerKind
from runtime.errors import PermissionDenied


class Role:
    """The roles e-government uses (it defines egov_office; the others are other services')."""

    VILLAGE_AGENT = "village_agent"  # the service desk's: an agent at a village agency point
    DEPARTMENT_OFFICER = "department_officer"  # identity's: a department's system
    EGOV_OFFICE = "egov_office"  # e-government's own: the district's government-service office (the figures)


def departments_of(caller: Caller, catalog: Catalog) -> set[str]:
    """The catalog's departments whose system the caller is (by its client id); refused when none."""
    if caller.kind != CallerKind.DEPARTMENT or Role.DEPARTMENT_OFFICER not in caller.roles:
        raise PermissionDenied("this call is for a department's system (client credentials)")
    client_id = caller.subject.removeprefix("department:")
    mine = catalog.departments_of_client(client_id)
    if not mine or not caller.area_code or not catalog.district_code.startswith(caller.area_code[:6]):
        raise PermissionDenied(f"{caller.name or client_id} is not a competent department of {catalog.district_name}")
    return mine


def department_may_handle(caller: Caller, mine: set[str], department: str, area_code: str) -> bool:
    """A department handles applications for its own items, from its own area only."""
    return department in mine and area_code.startswith(caller.area_code)
