"""Acting for someone else, the same in every service: who acts (the household itself, a village
agent, a department), for whom (a household), on what authority (the household's own terminal; an
agent's own village and the household's consent; a department's own items), and the actor recorded
on every step. No I/O, nothing of any one service: the roles and the consent come from the caller.

    actor = acting.for_household(caller, household_id, household_area, consent, agent_role="village_agent")
    step.actor, step.on_behalf_of, step.authority = actor.subject, actor.on_behalf_of, actor.authority

The household's area is identity's, never the request's: the service looks it up first
(runtime.households: identity's GetHousehold, with the caller's token) and passes it through
`registered_area`, which refuses a typed area that is another.

Consent codes confirmed on the household's own TV (identity) are a later step: until then the
authority an agent records is the consent reference they give (at most MAX_CONSENT characters, no
control characters), kept on every step.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from runtime.auth import Caller, CallerKind
from runtime.errors import InvalidArgument, PermissionDenied, text_errors

MAX_CONSENT = 200


class ActorKind:
    HOUSEHOLD = "household"
    VILLAGE_AGENT = "village_agent"
    FAMILY_MEMBER = "family_member"
    CAREGIVER = "caregiver"
    DEPARTMENT = "department"


ACTOR_KINDS = (
    ActorKind.HOUSEHOLD,
    ActorKind.VILLAGE_AGENT,
    ActorKind.FAMILY_MEMBER,
    ActorKind.CAREGIVER,
    ActorKind.DEPARTMENT,
)


@dataclass(frozen=True)
class Actor:
    """Who takes a step: their token's subject, their kind and name, the household they act for
    ("" when it is their own business) and their authority (a consent reference, a role)."""

    subject: str
    kind: str
    name: str = ""
    on_behalf_of: str = ""
    authority: str = ""

    @property
    def acts_for_another(self) -> bool:
        return bool(self.on_behalf_of)

    def note(self) -> str:
        """What an audit entry says of the actor."""
        who = f"{self.kind} {self.name or self.subject}"
        if self.on_behalf_of:
            who += f" for household {self.on_behalf_of}"
        return who + (f" ({self.authority})" if self.authority else "")


def require_village(agent_villages: Collection[str], household_area: str) -> None:
    """A village agent acts only for households of the villages of their own agency point."""
    if household_area not in agent_villages:
        raise PermissionDenied(
            "an agent acts only for households of their own village", {"household_area_code": "outside your village"}
        )


def registered_area(household_id: str, typed_area: str, registered: str) -> str:
    """The area the rules check for a household someone acts for: the one identity registered it
    in. A typed area that is another is refused, so nobody acts on a claim about where it lives."""
    if typed_area and typed_area != registered:
        raise PermissionDenied(
            f"household {household_id} is not registered in area {typed_area}",
            {"household_area_code": "not the household's registered area"},
        )
    return registered


def check_proxy_fields(household_id: str, household_area: str, consent: str) -> None:
    """The fields someone acting for a household fills in: whose business it is, where they live, and
    the household's consent. Raises InvalidArgument naming each field that is wrong."""
    errors = {name: "is required" for name, v in (("household_id", household_id), ("consent", consent)) if not v}
    errors.update(text_errors({"household_id": (household_id, 36), "consent": (consent, MAX_CONSENT)}))
    if len(household_area) != 12 or not household_area.isdigit():
        errors["household_area_code"] = "12 digits (district, township, village)"
    if errors:
        raise InvalidArgument("invalid fields for acting for a household: " + ", ".join(errors), errors)


def for_household(caller: Caller, household_id: str, household_area: str, consent: str, *, agent_role: str) -> Actor:
    """The actor of a household's business: the household itself on its own terminal (naming no other
    household), or a village agent (`agent_role`) for a household of their own village, recording its
    consent. Anyone else is refused."""
    if caller.is_household():
        if household_id and household_id != caller.household_id:
            raise PermissionDenied("a household acts only for itself", {"household_id": "not your household"})
        return Actor(caller.subject, ActorKind.HOUSEHOLD, caller.name)
    if caller.kind != CallerKind.STAFF or agent_role not in caller.roles:
        raise PermissionDenied("this call is for a household's terminal or a village agent")
    check_proxy_fields(household_id, household_area, consent)
    require_village({caller.area_code}, household_area)
    return Actor(caller.subject, ActorKind.VILLAGE_AGENT, caller.name, household_id, consent.strip())


def department_actor(caller: Caller, department_role: str) -> Actor:
    """A department's system acting on its own items (which items are its own is the service's rule)."""
    if caller.kind != CallerKind.DEPARTMENT or department_role not in caller.roles:
        raise PermissionDenied(f"this call is for a department's system with the role {department_role}")
    return Actor(caller.subject, ActorKind.DEPARTMENT, caller.name, authority=department_role)
