"""Elders, their families and who may see what of them.

An elder's household enrols the elder from its TV (its consent to the care centre's watch); the
household invites family by a short code shown on the TV, which a family member's own household
enters within a time window (the household's consent to that binding), or by a family member's
mobile number: that person sees the invitation on their phone, signed in with that number, and
accepts it there. Staff see the elders of
their area: care operators (the care centre) and village caregivers."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from dataclasses import dataclass

from runtime.auth import Caller, CallerKind
from runtime.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    check_text,
    require,
    text_errors,
)
from runtime.uow import Aggregate

MAX_NAME = 50
MAX_CONDITION = 100
MAX_LIST = 10
CODE_DIGITS = 8
# A mainland mobile number, as a member signs in with it.
MOBILE = re.compile(r"1[3-9][0-9]{9}")


class Role:
    """The staff roles eldercare defines (its registry entry lists them)."""

    CARE_OPERATOR = "care_operator"  # the care centre (养老服务中心) of an area
    VILLAGE_CAREGIVER = "village_caregiver"  # a village's caregiver (助老员)


CARE_STAFF = (Role.CARE_OPERATOR, Role.VILLAGE_CAREGIVER)


@dataclass(frozen=True)
class ElderEnrolled:
    elder_id: str
    household_id: str
    area_code: str
    at: dt.datetime


class Elder(Aggregate):
    def __init__(
        self,
        id: str,
        household_id: str,
        area_code: str,
        name: str,
        birth_year: int,
        conditions: list[str],
        emergency_contacts: list[str],
        consent_at: dt.datetime,
    ):
        self.id = id
        self.household_id = household_id
        self.area_code = area_code
        self.name = name
        self.birth_year = birth_year
        self.conditions = conditions
        self.emergency_contacts = emergency_contacts
        self.consent_at = consent_at

    @classmethod
    def enrol(
        cls,
        caller: Caller,
        name: str,
        birth_year: int,
        conditions: list[str],
        emergency_contacts: list[str],
        now: dt.datetime,
    ) -> Elder:
        """The elder's household enrols them: its consent to being watched over by the care centre."""
        household_id = caller.require_household()
        require({"name": name})
        check_text({"name": (name, MAX_NAME)})
        errors = {}
        if not 1900 <= birth_year <= now.year:
            errors["birth_year"] = f"a year between 1900 and {now.year}"
        for field, values in (("conditions", conditions), ("emergency_contacts", emergency_contacts)):
            if len(values) > MAX_LIST:
                errors[field] = f"at most {MAX_LIST}"
            elif any(not v or text_errors({field: (v, MAX_CONDITION)}) for v in values):
                errors[field] = f"each 1..{MAX_CONDITION} characters, no control characters"
        if errors:
            raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
        elder = cls(
            str(uuid.uuid4()), household_id, caller.area_code, name, birth_year, conditions, emergency_contacts, now
        )
        elder.record(ElderEnrolled(elder.id, household_id, elder.area_code, now))
        return elder


class FamilyInvitation(Aggregate):
    """A code the elder's TV shows, entered by a family member within the window; or, with a `phone`,
    an invitation addressed to one person's mobile number, which only a member signed in with that
    number accepts."""

    def __init__(
        self,
        code: str,
        elder_id: str,
        household_id: str,
        expires_at: dt.datetime,
        used: bool = False,
        phone: str = "",
    ):
        self.code = code
        self.elder_id = elder_id
        self.household_id = household_id
        self.expires_at = expires_at
        self.used = used
        self.phone = phone

    @classmethod
    def issue(
        cls, elder: Elder, caller: Caller, now: dt.datetime, valid: dt.timedelta, phone: str = ""
    ) -> FamilyInvitation:
        if not (caller.is_household() and caller.household_id == elder.household_id):
            raise NotFound(f"no elder {elder.id!r}", {"elder_id": "not found"})
        if phone and not MOBILE.fullmatch(phone):
            raise InvalidArgument("the phone is an 11-digit mobile number", {"phone": "not a mobile number"})
        if phone and phone == caller.phone:
            raise FailedPrecondition("the elder's own household sees the elder already", {"phone": "your own"})
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        return cls(code, elder.id, elder.household_id, now + valid, phone=phone)

    def waiting_for(self, caller: Caller, now: dt.datetime) -> bool:
        """Addressed to the caller's number, and still open."""
        return bool(self.phone) and self.phone == caller.phone and not self.used and now < self.expires_at

    def accept(self, caller: Caller, now: dt.datetime) -> FamilyBinding:
        family = caller.require_household()
        if self.used or now >= self.expires_at or (self.phone and self.phone != caller.phone):
            # An old or spent code, or one addressed to someone else, says no more than a wrong one.
            raise NotFound("no such invitation (wrong, used or expired code)", {"code": "not valid"})
        if family == self.household_id:
            raise FailedPrecondition("the elder's own household sees the elder already")
        self.used = True
        return FamilyBinding(self.elder_id, family, now)


class FamilyBinding(Aggregate):
    def __init__(self, elder_id: str, household_id: str, bound_at: dt.datetime):
        self.elder_id = elder_id
        self.household_id = household_id
        self.bound_at = bound_at


def check_code(code: str) -> None:
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise InvalidArgument(f"the code is {CODE_DIGITS} digits", {"code": f"{CODE_DIGITS} digits"})


def may_see(caller: Caller, household_id: str, area_code: str, family: set[str]) -> bool:
    """Whether `caller` may see an elder (and their devices, alarms and health data): the elder's
    own household, a bound family household (its TV or a member's phone), or care staff of the
    elder's area. An alarm of a device not yet assigned to an elder (no household) is the care
    centre's alone."""
    if caller.is_household():  # its TV, or a member of it on the phone: the same rights
        return caller.household_id == household_id or caller.household_id in family
    if caller.kind == CallerKind.STAFF and caller.roles.intersection(CARE_STAFF):
        if not household_id:
            return Role.CARE_OPERATOR in caller.roles
        return bool(caller.area_code) and area_code.startswith(caller.area_code)
    return False


def require_care_staff(caller: Caller, *roles: str) -> None:
    if caller.kind != CallerKind.STAFF:
        raise PermissionDenied("this call is for the care centre's staff")
    caller.require_role(*(roles or CARE_STAFF))


def may_arrange_care(caller: Caller, area_code: str, family: set[str]) -> bool:
    """Whether `caller` may set an elder's medication and care: a bound family household, or care
    staff of the elder's area (the elder's own household sees them and confirms doses)."""
    if caller.is_household():
        return caller.household_id in family
    return may_see(caller, "-", area_code, set())


def may_confirm_dose(caller: Caller, household_id: str, area_code: str) -> bool:
    """The elder's own TV, or care staff of the elder's area (a caregiver on a visit)."""
    if caller.is_household():
        return caller.household_id == household_id
    return may_see(caller, "-", area_code, set())


def may_command_device(caller: Caller, household_id: str, area_code: str) -> bool:
    """Who may send a device of the elder a command (silence its siren, test it): the elder's own
    household, or care staff of the elder's area; family see the device but do not command it."""
    return may_confirm_dose(caller, household_id, area_code)
