"""Who may do what: the roles of the emergency broadcast, and the callers each step is for."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from runtime.auth import Caller, CallerKind
from runtime.errors import PermissionDenied


class Role:
    """The staff roles of the emergency broadcast (the registry lists them), and those it uses of others'."""

    ALERT_ISSUER = "alert_issuer"
    ALERT_APPROVER = "alert_approver"
    DEPARTMENT_OFFICER = "department_officer"  # identity's: a department's system
    TECHNICIAN = "technician"  # the service desk's: registers village loudspeakers and devices


ALERT_STAFF = frozenset({Role.ALERT_ISSUER, Role.ALERT_APPROVER})


def role_of(caller: Caller) -> str:
    """What the audit trail records as the actor's role."""
    return ",".join(sorted(caller.roles)) or caller.kind


def is_alert_staff(caller: Caller) -> bool:
    return caller.kind == CallerKind.STAFF and bool(caller.roles & ALERT_STAFF)


def department_of(caller: Caller) -> str:
    """The client id of the department sending CAP (refused for any other caller)."""
    if caller.kind != CallerKind.DEPARTMENT:
        raise PermissionDenied("CAP intake is for departments signed in with their client credentials")
    caller.require_role(Role.DEPARTMENT_OFFICER)
    return caller.subject.removeprefix("department:")


def check_sender(caller: Caller, sender: str, senders: Mapping[str, Collection[str]]) -> None:
    """A department sends CAP only as the senders listed for it (data/cap_senders.json)."""
    if sender not in senders.get(department_of(caller), ()):
        raise PermissionDenied(
            f"this department may not send as {sender[:100]!r}", {"sender": "not one of this department's senders"}
        )


def require_issuer(caller: Caller) -> None:
    if caller.kind != CallerKind.STAFF:
        raise PermissionDenied("authoring alerts is for staff with the alert issuer role")
    caller.require_role(Role.ALERT_ISSUER)


def require_approver(caller: Caller) -> None:
    if caller.kind != CallerKind.STAFF:
        raise PermissionDenied("approving alerts is for staff with the alert approver role")
    caller.require_role(Role.ALERT_APPROVER)


def require_own_district(caller: Caller, area_codes: Collection[str]) -> None:
    """Alert staff and departments reach only their own district's areas: one deployment may serve
    several districts, and an issuer of one never targets (nor approves, cancels or reads) another's."""
    district = caller.area_code[:6]
    if caller.kind == CallerKind.DEPARTMENT and not district:
        return  # a department registered with no area (the national and provincial feeds) is not bound to one
    if not district or any(not code.startswith(district) for code in area_codes):
        raise PermissionDenied("the alert's areas are outside your district", {"area_codes": "another district's"})


def require_signed_in(caller: Caller) -> None:
    """Active alerts are listed for staff, departments and terminals."""
    if caller.kind not in (CallerKind.STAFF, CallerKind.DEPARTMENT, CallerKind.DEVICE):
        raise PermissionDenied("sign in first")


def require_terminal_registrar(caller: Caller) -> None:
    if caller.kind != CallerKind.STAFF or not caller.roles & {*ALERT_STAFF, Role.TECHNICIAN}:
        raise PermissionDenied("terminals are registered by alert staff or technicians")
