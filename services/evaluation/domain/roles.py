"""Who may read a district's report: its leaders and assessors (role `assessor`), of their own district."""

from __future__ import annotations

from runtime.auth import Caller
from runtime.errors import PermissionDenied


class Role:
    """The roles this service defines (the registry lists them)."""

    ASSESSOR = "assessor"


ASSESSOR = Role.ASSESSOR


def require_assessor_of(caller: Caller, district: str) -> None:
    caller.require_role(ASSESSOR)
    if caller.area_code[:6] != district:
        raise PermissionDenied("the report is for the assessors of its own district")
