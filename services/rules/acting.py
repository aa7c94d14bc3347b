"""Acting for someone else, the same in every service: who acts (the household itself, a village
agent, a department), for whom (a household), on what authority (the household's own terminal; an
agent's own village and the household's consent; a department's own items), and the actor recorded
on every step. No I/O, nothing of any one service: the roles and the consent come from the caller.

    actor = acting.for_household(caller, household_id, household_area, consent, agent_role="village_agent")
    step.actor, step.on_behalf_of, step.authority = actor.subject, actor.on_behalf_of, actor.authority

The household's area is identity's, never the request's: the service looks it up first
(runtime.households: identity's GetHousehold, with the caller's token) and passes it through
`registered_area`, which refuses a typed area that is another.

The household's consent (Consent): a short-lived code its own TV or phone shows, given for one
purpose (an item, a service type), that the agent enters; it is used once, expires, and is void
after a few wrong tries, so an agent cannot forge it. The service keeps it (its own table); the
rule is here. Services that have no consent codes yet record the consent reference an agent gives
(at most MAX_CONSENT characters, no control characters), kept on every step.

    consent, code = Consent.give(caller, purpose, policy, now)     # the household's TV shows `code`
    consent.redeem(agent_actor_subject, household_id, purpose, typed_code, policy, now)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
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


def successor(caller: Caller, household_id: str, household_area: str, authority: str, *, agent_role: str) -> Actor:
    """The agent who takes over a household's case from another agent: an agent (`agent_role`) of the
    same agency point only (the household's village is their own), acting on the consent the case was
    started on (the household's consent holds; it gave it for the case, not for one agent)."""
    if caller.kind != CallerKind.STAFF or agent_role not in caller.roles:
        raise PermissionDenied("only a village agent takes over a case from another agent")
    if caller.area_code != household_area:
        raise PermissionDenied(
            "a case is handed over within one agency point: this household is not of your village",
            {"id": "another agency point's case"},
        )
    return Actor(caller.subject, ActorKind.VILLAGE_AGENT, caller.name, household_id, authority)


def department_actor(caller: Caller, department_role: str) -> Actor:
    """A department's system acting on its own items (which items are its own is the service's rule)."""
    if caller.kind != CallerKind.DEPARTMENT or department_role not in caller.roles:
        raise PermissionDenied(f"this call is for a department's system with the role {department_role}")
    return Actor(caller.subject, ActorKind.DEPARTMENT, caller.name, authority=department_role)


# --- the household's consent, as a code on its own terminal ---


@dataclass(frozen=True)
class ConsentPolicy:
    """How long a consent code lives, how many wrong tries void it, how many digits it has (data)."""

    valid_for: dt.timedelta
    max_attempts: int
    digits: int = 6

    @classmethod
    def of(cls, data: dict) -> ConsentPolicy:
        return cls(dt.timedelta(minutes=data["valid_minutes"]), data["max_attempts"], data.get("digits", 6))


def _digest(consent_id: str, code: str) -> str:
    return hashlib.sha256(f"{consent_id}:{code}".encode()).hexdigest()


class Consent:
    """A household's consent to be acted for in one purpose: given on its own terminal, redeemed
    once by whoever it tells the code, before it expires. Only the code's digest is kept."""

    def __init__(
        self,
        id: str,
        household_id: str,
        purpose: str,
        code_digest: str,
        given_by: str,
        given_by_name: str,
        given_at: dt.datetime,
        expires_at: dt.datetime,
    ):
        self.id = id
        self.household_id = household_id
        self.purpose = purpose
        self.code_digest = code_digest
        self.given_by = given_by
        self.given_by_name = given_by_name
        self.given_at = given_at
        self.expires_at = expires_at
        self.failed_attempts = 0
        self.used_at: dt.datetime | None = None
        self.used_by = ""

    @classmethod
    def give(cls, caller: Caller, purpose: str, policy: ConsentPolicy, now: dt.datetime) -> tuple[Consent, str]:
        """The household (on its own terminal) consents; the code its screen shows."""
        if not caller.is_household():
            raise PermissionDenied("only a household, on its own terminal, gives its consent")
        code = "".join(secrets.choice("0123456789") for _ in range(policy.digits))
        consent_id = str(uuid.uuid4())
        consent = cls(
            consent_id,
            caller.household_id,
            purpose,
            _digest(consent_id, code),
            caller.subject,
            caller.name,
            now,
            now + policy.valid_for,
        )
        return consent, code

    def live(self, policy: ConsentPolicy, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at and self.failed_attempts < policy.max_attempts

    def redeem(
        self, by: str, household_id: str, purpose: str, code: str, policy: ConsentPolicy, now: dt.datetime
    ) -> None:
        """Use the consent for `purpose` with the code the household told `by`. A wrong code counts
        as a try (the caller keeps that count even though the act is refused); a used, expired or
        voided consent, or one for another household or purpose, is refused."""
        if household_id != self.household_id or purpose != self.purpose or not self.live(policy, now):
            raise not_confirmed()
        if not hmac.compare_digest(self.code_digest, _digest(self.id, code.strip())):
            self.failed_attempts += 1
            raise not_confirmed()
        self.used_at, self.used_by = now, by

    def authority(self) -> str:
        """What a step records of the consent: which, whose, when, for what."""
        return (
            f"consent {self.id} by {self.given_by_name or self.given_by} "
            f"at {self.given_at.isoformat(timespec='seconds')} for {self.purpose}"
        )


def not_confirmed() -> PermissionDenied:
    return PermissionDenied(
        "the household's consent is not confirmed: ask them for the code their TV shows now",
        {"consent": "not a valid consent code of the household for this"},
    )
