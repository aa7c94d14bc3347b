"""A household's application for a handling item, as a state machine:

    draft -> submitted -> accepted -> approved -> certificate_ready (its e-certificate issued) -> closed
                                   -> refused -> closed
                       -> returned (补正: what is missing) -> submitted again
                       -> rejected (不予受理: a reason and its legal basis) -> closed

Every step names its actor (the household itself, a village agent acting for it with its consent,
the competent department) and is kept as an audit entry and announced as an event. The deadline is
the guide's promised time limit in working days from submission; a return for correction stops the
clock only where the guide says so."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from egov.domain.appointments import Visit
from egov.domain.catalog import Catalog, Guide, HandlingItem
from rules import ratings
from rules.acting import Actor, ActorKind, Consent, not_confirmed
from rules.deadlines import add_working_days
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, text_errors
from runtime.uow import Aggregate

MAX_IDEMPOTENCY_KEY = 100
MAX_REASON = 500
MAX_USERNAME = 100
HOUSEHOLD_CHANNELS = ("set_top_box", "mobile")
AGENT_CHANNEL = "village_agent"


class State:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    APPROVED = "approved"
    REFUSED = "refused"
    CERTIFICATE_READY = "certificate_ready"
    CLOSED = "closed"


# 办结: what a citizen may rate.
COMPLETED = (State.REJECTED, State.APPROVED, State.REFUSED, State.CERTIFICATE_READY, State.CLOSED)
# What a department has to act on.
OPEN_FOR_DEPARTMENT = (State.SUBMITTED, State.ACCEPTED)
# Who takes the steps nobody asked for: the day-before reminder, the invitation to rate.
SCHEDULER = Actor("sbc/egov", "platform", "政务服务提醒")


@dataclass(frozen=True)
class ApplicationStepTaken:
    """One step of an application (its audit entry), announced to whoever follows it."""

    application_id: str
    household_id: str
    item_code: str
    department: str
    action: str
    from_state: str
    to_state: str
    actor: Actor
    detail: str
    deadline: dt.datetime | None
    at: dt.datetime
    item_name: str = ""
    # The department's reason alone; the names of the materials asked for or to bring; the appointment.
    reason: str = ""
    materials: tuple[str, ...] = ()
    visit: Visit | None = None
    # The village agent who filed it for the household (their token subject): told of every step.
    agent: str = ""
    # The household's area (village code), for the figures per town (the evaluation's read model).
    area_code: str = ""


class ApplicationStep:
    """An audit entry: what was done, by whom (for whom, on what authority), when."""

    def __init__(
        self,
        application_id: str,
        n: int,
        action: str,
        from_state: str,
        to_state: str,
        actor: str,
        actor_kind: str,
        actor_name: str,
        on_behalf_of: str,
        authority: str,
        detail: str,
        at: dt.datetime,
    ):
        self.application_id = application_id
        self.n = n
        self.action = action
        self.from_state = from_state
        self.to_state = to_state
        self.actor = actor
        self.actor_kind = actor_kind
        self.actor_name = actor_name
        self.on_behalf_of = on_behalf_of
        self.authority = authority
        self.detail = detail
        self.at = at


def check_text_field(name: str, value: str, max_len: int = MAX_REASON, required: bool = True) -> str:
    errors = text_errors({name: (value, max_len)}, multiline={name})
    if required and not value.strip():
        errors[name] = "is required"
    if errors:
        raise InvalidArgument(f"invalid {name}", errors)
    return value.strip()


class Application(Aggregate):
    steps: list[ApplicationStep]

    def __init__(
        self,
        id: str,
        household_id: str,
        area_code: str,
        district_code: str,
        item_code: str,
        item_name: str,
        department: str,
        catalog_version: str,
        channel: str,
        idempotency_key: str,
        started_by: str,
        created_at: dt.datetime,
    ):
        self.id = id
        self.household_id = household_id
        self.area_code = area_code
        self.district_code = district_code
        self.item_code = item_code
        self.item_name = item_name
        self.department = department
        self.catalog_version = catalog_version
        self.channel = channel
        self.idempotency_key = idempotency_key
        # The token subject of whoever started it (an agent continues only what they started).
        self.started_by = started_by
        self.state = State.DRAFT
        self.created_at = self.updated_at = created_at
        self.submitted_at: dt.datetime | None = None
        self.deadline: dt.datetime | None = None
        self.returned_at: dt.datetime | None = None
        self.paused_seconds = 0
        self.correction = ""
        self.correction_materials = ""
        self.decision_reason = ""
        self.decision_basis = ""
        self.decided_at: dt.datetime | None = None
        self.rating_level = ""
        self.rating_indicators = "{}"
        self.rating_reasons = ""
        self.rating_comment = ""
        self.rated_at: dt.datetime | None = None
        # When the household was invited to rate it (once, if it had not rated).
        self.rating_invited_at: dt.datetime | None = None
        self.rectification_due: dt.datetime | None = None
        # A bad rating's case (rules.ratings.Rectification): the call back, the fix, one more rating.
        self.call_back_due: dt.datetime | None = None
        self.called_back_at: dt.datetime | None = None
        self.call_back_note = ""
        self.rectified_at: dt.datetime | None = None
        self.rectification_note = ""
        self.rerating_level = ""
        self.rerating_comment = ""
        self.rerated_at: dt.datetime | None = None
        # In-person visits recorded at a hall's window (the "run at most once" figure).
        self.visits = 0
        # An agent's filing: the household's consent it was made on.
        self.consent_id: str | None = None
        self.consent_given_by = ""
        self.consent_given_at: dt.datetime | None = None
        # A draft its agent hands to another agent of the same point: that agent's username, until taken.
        self.handed_to = ""
        self.steps = []

    # --- starting, materials, submitting (the household or its agent) ---

    @staticmethod
    def check_start(actor: Actor, item: HandlingItem, channel: str, idempotency_key: str) -> None:
        """What makes a start invalid whoever consented: checked before a consent is spent."""
        errors = text_errors({"idempotency_key": (idempotency_key, MAX_IDEMPOTENCY_KEY), "channel": (channel, 32)})
        if not idempotency_key:
            errors["idempotency_key"] = "is required"
        allowed = (AGENT_CHANNEL,) if actor.kind == ActorKind.VILLAGE_AGENT else HOUSEHOLD_CHANNELS
        if "channel" not in errors and channel not in allowed:
            errors["channel"] = "one of " + ", ".join(allowed)
        if errors:
            raise InvalidArgument("invalid application: " + ", ".join(errors), errors)
        if not item.guide.online:
            raise FailedPrecondition(f"{item.name} is not offered online: apply at {item.guide.place}")

    @classmethod
    def start(
        cls,
        actor: Actor,
        household_id: str,
        area_code: str,
        item: HandlingItem,
        catalog: Catalog,
        version: str,
        channel: str,
        idempotency_key: str,
        now: dt.datetime,
        consent: Consent | None = None,
    ) -> Application:
        """A draft; an agent's is started on the household's consent, redeemed for this item."""
        cls.check_start(actor, item, channel, idempotency_key)
        app = cls(
            str(uuid.uuid4()),
            household_id,
            area_code,
            catalog.district_code,
            item.code,
            item.name,
            item.department,
            version,
            channel,
            idempotency_key,
            actor.subject,
            now,
        )
        if actor.kind == ActorKind.VILLAGE_AGENT:
            if consent is None or consent.used_by != actor.subject or consent.purpose != item.code:
                raise not_confirmed()
            app.consent_id, app.consent_given_by, app.consent_given_at = consent.id, consent.given_by, consent.given_at
        app._step(actor, "started", State.DRAFT, item.name, now)
        return app

    def is_same(self, item_code: str, household_id: str, actor: Actor) -> bool:
        """A retry with the same idempotency key is the same application only if it asks for the
        same thing, by the household or the agent who started it (never another agent's draft)."""
        same_caller = actor.kind == ActorKind.HOUSEHOLD or actor.subject == self.started_by
        return self.item_code == item_code and self.household_id == household_id and same_caller

    # --- handing a draft to another agent of the agency point ---

    def hand_over(self, actor: Actor, username: str, to_agent: str, now: dt.datetime) -> None:
        """The agent who started (or took over) the draft hands it to another agent of the same
        agency point, named by their username (`username`: the giver's own). It is theirs once they
        take it (take_over), and until then still the giver's. Handing it again names another."""
        if actor.kind != ActorKind.VILLAGE_AGENT or actor.subject != self.started_by:
            raise PermissionDenied("only the draft's own agent hands it over")
        errors = text_errors({"to_agent": (to_agent, MAX_USERNAME)})
        if not to_agent.strip():
            errors["to_agent"] = "is required: the username of another agent of your agency point"
        elif to_agent.strip() == username:
            errors["to_agent"] = "is you"
        if errors:
            raise InvalidArgument("invalid handover: " + ", ".join(errors), errors)
        if self.state != State.DRAFT:
            raise FailedPrecondition(f"only a draft is handed over, not a {self.state} application")
        self.handed_to = to_agent.strip()
        self._step(actor, "handover_offered", State.DRAFT, f"to agent {self.handed_to}", now)

    def take_over(self, actor: Actor, username: str, now: dt.datetime) -> None:
        """The agent it was handed to takes it (`actor`: rules.acting.successor, on the consent the
        draft was started on): they continue it, the giver no longer can."""
        if not self.handed_to or username != self.handed_to:
            raise PermissionDenied("this draft was not handed to you", {"id": "not handed to you"})
        if self.state != State.DRAFT:
            raise FailedPrecondition(f"only a draft is taken over, not a {self.state} application")
        giver, self.started_by, self.handed_to = self.started_by, actor.subject, ""
        self._step(actor, "handed_over", State.DRAFT, f"from agent {giver}", now)

    def may_be_worked_on_by(self, actor: Actor, household_id: str) -> bool:
        """The household itself, or the agent who started it (for this household)."""
        if actor.kind == ActorKind.HOUSEHOLD:
            return household_id == self.household_id
        return actor.subject == self.started_by and actor.on_behalf_of == self.household_id

    def add_material(self, actor: Actor, code: str, file_name: str, now: dt.datetime) -> None:
        if self.state not in (State.DRAFT, State.RETURNED):
            raise FailedPrecondition(
                f"materials are added to a draft or a returned application, not a {self.state} one"
            )
        self._step(actor, "material_added", self.state, f"{code}: {file_name}", now)

    def submit(
        self, actor: Actor, guide: Guide, given: Mapping[str, dt.datetime], catalog: Catalog, now: dt.datetime
    ) -> None:
        """Submit with the materials `given` (code -> when): every required one, and after a return
        each material the department asked for, given again since."""
        if self.state not in (State.DRAFT, State.RETURNED):
            raise FailedPrecondition(f"a {self.state} application cannot be submitted")
        missing = [m for m in guide.required_materials if m not in given]
        if self.state == State.RETURNED:
            assert self.returned_at is not None
            asked = [m for m in self.correction_materials.split(",") if m]
            missing += [m for m in asked if m not in missing and given.get(m, self.returned_at) <= self.returned_at]
        if missing:
            names = [spec.name for m in missing if (spec := guide.material(m)) is not None]
            raise InvalidArgument(
                "missing materials: " + "、".join(names), {"materials": "missing " + ", ".join(missing)}
            )
        if self.state == State.DRAFT:
            self.submitted_at = now
            tz, holidays = catalog.time_zone, catalog.holidays
            self.deadline = add_working_days(now, guide.promised_time_limit, tz, holidays)
            self._step(actor, "submitted", State.SUBMITTED, "", now)
            return
        assert self.returned_at is not None and self.deadline is not None
        if guide.correction_stops_clock:
            paused = now - self.returned_at
            self.paused_seconds += int(paused.total_seconds())
            self.deadline += paused
        self.returned_at, self.correction, self.correction_materials = None, "", ""
        self._step(actor, "resubmitted", State.SUBMITTED, "", now)

    # --- appointments at the service hall (egov.domain.appointments) ---

    def check_appointment(self, guide: Guide) -> None:
        """An appointment is for an item that needs a visit, while the application is open."""
        if guide.visits <= 0:
            raise FailedPrecondition(f"{self.item_name} needs no visit: it is done without an appointment")
        if self.state in COMPLETED:
            raise FailedPrecondition(f"a {self.state} application needs no appointment")

    def appointment_booked(self, actor: Actor, where: str, visit: Visit, now: dt.datetime) -> None:
        self._step(actor, "appointment_booked", self.state, where, now, visit=visit)

    def appointment_cancelled(self, actor: Actor, where: str, visit: Visit, now: dt.datetime) -> None:
        self._step(actor, "appointment_cancelled", self.state, where, now, visit=visit)

    def remind_of_appointment(self, where: str, visit: Visit, guide: Guide, now: dt.datetime) -> None:
        """The day before: the hall, the window, the time and the materials to bring (the guide's)."""
        bring = tuple(m.name for m in guide.materials if m.required)
        self._step(SCHEDULER, "appointment_reminded", self.state, where, now, materials=bring, visit=visit)

    def visited(self, actor: Actor, where: str, now: dt.datetime) -> None:
        """The household came in person (recorded by the department at the window)."""
        self.visits += 1
        self._step(actor, "visited", self.state, where, now)

    # --- the competent department ---

    def accept(self, actor: Actor, now: dt.datetime) -> None:
        self._require(State.SUBMITTED, "accepted")
        self._step(actor, "accepted", State.ACCEPTED, "", now)

    def return_for_correction(
        self, actor: Actor, guide: Guide, missing: Collection[str], reason: str, now: dt.datetime
    ) -> None:
        """补正: the department lists exactly what is missing (the guide's materials) and why."""
        reason = check_text_field("reason", reason)
        unknown = [m for m in missing if guide.material(m) is None]
        if unknown or len(set(missing)) != len(list(missing)):
            raise InvalidArgument(
                "name the guide's materials, each once", {"missing_materials": "among the guide's materials"}
            )
        self._require(State.SUBMITTED, "returned for correction")
        self.returned_at, self.correction, self.correction_materials = now, reason, ",".join(missing)
        names = tuple(spec.name for m in missing if (spec := guide.material(m)) is not None)
        detail = f"{reason} [{', '.join(missing)}]"
        self._step(actor, "returned", State.RETURNED, detail, now, reason=reason, materials=names)

    def reject(self, actor: Actor, reason: str, legal_basis: str, now: dt.datetime) -> None:
        """不予受理, with the reason and its legal basis."""
        reason, basis = check_text_field("reason", reason), check_text_field("legal_basis", legal_basis)
        self._require(State.SUBMITTED, "rejected")
        self._decide(actor, "rejected", State.REJECTED, reason, basis, now)

    def approve(self, actor: Actor, reason: str, now: dt.datetime) -> None:
        reason = check_text_field("reason", reason)
        self._require(State.ACCEPTED, "approved")
        self._decide(actor, "approved", State.APPROVED, reason, "", now)

    def refuse(self, actor: Actor, reason: str, legal_basis: str, now: dt.datetime) -> None:
        reason, basis = check_text_field("reason", reason), check_text_field("legal_basis", legal_basis)
        self._require(State.ACCEPTED, "refused")
        self._decide(actor, "refused", State.REFUSED, reason, basis, now)

    # --- the result: its e-certificate, and closing ---

    def issue_certificate(self, actor: Actor, certificate_name: str, now: dt.datetime) -> None:
        """The approved application's result certificate is in the household's registry (电子证照)."""
        self._require(State.APPROVED, "issued a certificate")
        self._step(actor, "certificate_issued", State.CERTIFICATE_READY, certificate_name, now)

    def close(self, actor: Actor, has_result_certificate: bool, now: dt.datetime) -> None:
        """归档: a decided application is closed; one whose item issues a certificate, once it has."""
        if self.state == State.APPROVED and has_result_certificate:
            raise FailedPrecondition("issue its certificate before closing an approved application")
        if self.state not in (State.APPROVED, State.REFUSED, State.REJECTED, State.CERTIFICATE_READY):
            raise FailedPrecondition(f"a {self.state} application cannot be closed")
        self._step(actor, "closed", State.CLOSED, "", now)

    # --- 好差评 ---

    def rate(
        self,
        actor: Actor,
        level: str,
        indicators: Mapping[str, int],
        comment: str,
        reasons: Collection[str],
        catalog: Catalog,
        now: dt.datetime,
    ) -> ratings.Rating:
        rules = catalog.rating
        again = self.rectification.may_rate_again
        rating = ratings.Rating.give(
            level,
            indicators,
            comment,
            now,
            named=rules.indicators,
            max_comment=rules.max_comment,
            already=self.rerating_level or ("" if again else self.rating_level),
            case="application",
            reasons=reasons,
            labels=rules.reasons,
        )
        if self.state not in COMPLETED:
            raise FailedPrecondition("an application is rated once it is decided")
        if again:
            # Once more after the fix: the first rating (and its case) stays on record.
            self.rerating_level, self.rerating_comment, self.rerated_at = rating.level, rating.comment, now
            self._step(actor, "rated_again", self.state, rating.level, now)
            return rating
        self.rating_level, self.rating_comment, self.rated_at = rating.level, rating.comment, now
        self.rating_indicators = json.dumps(dict(rating.indicators), sort_keys=True)
        self.rating_reasons = ",".join(rating.reasons)
        if rating.bad:
            self.rectification_due = ratings.rectification_deadline(
                now, rules.rectification_working_days, catalog.time_zone, catalog.holidays
            )
            self.call_back_due = ratings.call_back_deadline(now, rules.call_back_hours)
        self._step(actor, "rated", self.state, rating.level, now)
        return rating

    def rating_invitation_due(self, days: float, now: dt.datetime) -> bool:
        """Completed, still unrated `days` after its decision, and not yet invited."""
        if self.state not in COMPLETED or self.rating_level or self.rating_invited_at is not None:
            return False
        return self.decided_at is not None and ratings.invitation_at(self.decided_at, days) <= now

    def invite_rating(self, now: dt.datetime) -> None:
        self.rating_invited_at = now
        self._step(SCHEDULER, "rating_invited", self.state, "", now)

    @property
    def rectification(self) -> ratings.Rectification:
        return ratings.Rectification(self.called_back_at, self.rectified_at)

    def call_back(self, actor: Actor, note: str, now: dt.datetime) -> None:
        """The department called the citizen back about their bad rating (what was said)."""
        note = check_text_field("reason", note)
        self.rectification.check_call_back(ratings.is_bad(self.rating_level))
        self.called_back_at, self.call_back_note = now, note
        self._step(actor, "called_back", self.state, note, now)

    def rectify(self, actor: Actor, note: str, now: dt.datetime) -> None:
        """The department fixed what the bad rating was about; the citizen may rate once more."""
        note = check_text_field("reason", note)
        self.rectification.check_fix(ratings.is_bad(self.rating_level))
        self.rectified_at, self.rectification_note = now, note
        self._step(actor, "rectified", self.state, note, now)

    @property
    def indicators(self) -> dict[str, int]:
        return json.loads(self.rating_indicators or "{}")

    # --- the trail ---

    def _require(self, state: str, what: str) -> None:
        if self.state != state:
            raise FailedPrecondition(f"a {self.state} application cannot be {what}")

    def _decide(self, actor: Actor, action: str, to: str, reason: str, basis: str, now: dt.datetime) -> None:
        self.decision_reason, self.decision_basis, self.decided_at = reason, basis, now
        self._step(actor, action, to, reason + (f" ({basis})" if basis else ""), now, reason=reason)

    def _step(
        self,
        actor: Actor,
        action: str,
        to: str,
        detail: str,
        now: dt.datetime,
        reason: str = "",
        materials: tuple[str, ...] = (),
        visit: Visit | None = None,
    ) -> None:
        was = self.state if self.steps else ""
        self.steps.append(
            ApplicationStep(
                self.id,
                len(self.steps) + 1,
                action,
                was,
                to,
                actor.subject,
                actor.kind,
                actor.name,
                actor.on_behalf_of,
                actor.authority,
                detail,
                now,
            )
        )
        self.state, self.updated_at = to, now
        self.record(
            ApplicationStepTaken(
                self.id,
                self.household_id,
                self.item_code,
                self.department,
                action,
                was,
                to,
                actor,
                detail,
                self.deadline,
                now,
                self.item_name,
                reason,
                materials,
                visit,
                self.started_by if self.channel == AGENT_CHANNEL else "",
                self.area_code,
            )
        )
