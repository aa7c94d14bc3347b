"""The service request (服务工单), the aggregate of the service desk: filed, accepted or rejected,
dispatched to a technician for a window, waiting for the citizen and back, on site, resolved
(with what a late one earns), cancelled, rated (好差评: once; a bad rating opens a rectification
case), closed, and its rectification followed up. Each step checks who takes it and records
what happened (history.py); the SLA scheduler watches its clock (watch)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from rules import deadlines, ratings
from runtime.auth import Caller
from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument
from runtime.uow import Aggregate
from servicedesk.domain.appointments import Window, check_free
from servicedesk.domain.catalog import DISTRICT_TZ, Catalog
from servicedesk.domain.filing import Filing, NewRequest
from servicedesk.domain.history import (
    SYSTEM,
    Actor,
    RectificationFollowedUp,
    RequestFacts,
    RequestFiled,
    RequestRated,
    RequestTransitioned,
    SlaThresholdReached,
)
from servicedesk.domain.lifecycle import (
    CLOCK_RUNNING,
    RATABLE_STATES,
    State,
    reference_number,
    transition,
    validate_reason,
    validate_reason_to_citizen,
)
from servicedesk.domain.outreach import OutreachEvent
from servicedesk.domain.points import (
    Role,
    ServicePoint,
    ServicePoints,
    may_read,
    require_manager_of,
    require_technician_on,
)

# What a household rates besides the level (好差评 indicators, each 1 to 5).
INDICATORS = ("efficiency", "attitude", "result")
MAX_COMMENT = 1000
# Whom an SLA threshold escalates to.
ESCALATION = {80: Role.SERVICE_POINT_MANAGER, 100: "district"}


class ServiceRequest(Aggregate):
    # The order of filing (the store's), the number in the reference and the page token.
    seq: int

    def __init__(
        self,
        id: str,
        household_id: str,
        area_code: str,
        service_type: str,
        description: str,
        channel: str,
        catalog_version: str,
        idempotency_key: str,
        submitted_at: dt.datetime,
        submitted_by: str,
        submitted_by_role: str,
        service_point_code: str,
        area_type: str,
        deadline_at: dt.datetime | None,
        device_id: str = "",
        consent: str = "",
        outreach_event_id: str = "",
        home_visit: str = "",
    ):
        self.id = id
        self.reference_number: str | None = None
        self.household_id = household_id
        self.device_id = device_id
        self.area_code = area_code
        self.service_type = service_type
        self.description = description
        self.state = State.SUBMITTED
        self.channel = channel
        self.catalog_version = catalog_version
        self.idempotency_key = idempotency_key
        self.submitted_at = submitted_at
        self.submitted_by = submitted_by
        self.submitted_by_role = submitted_by_role
        self.service_point_code = service_point_code
        self.area_type = area_type
        self.deadline_at = deadline_at
        # Time spent waiting for the citizen (it moved the deadline on), and since when it waits now.
        self.paused_seconds = 0
        self.waiting_since: dt.datetime | None = None
        self.waits = 0
        self.technician = ""
        self.window_start: dt.datetime | None = None
        self.window_end: dt.datetime | None = None
        self.resolved_at: dt.datetime | None = None
        self.compensation_fen = 0
        self.reason = ""
        self.consent = consent
        # The highest SLA threshold (percent) raised so far.
        self.sla_percent_raised = 0
        self.rating_level = ""
        self.rating_indicators: dict[str, int] = {}
        self.rating_comment = ""
        self.rated_at: dt.datetime | None = None
        self.rectification_deadline: dt.datetime | None = None
        self.rectification_follow_up = ""
        self.rectified_at: dt.datetime | None = None
        self.outreach_event_id = outreach_event_id
        self.home_visit = home_visit
        # The digest of what was asked (NewRequest.digest): a retry with the key must ask the same.
        self.request_digest = ""

    # --- filing ---

    @classmethod
    def file(
        cls, filing: Filing, points: ServicePoints, at: dt.datetime, outreach_event: OutreachEvent | None = None
    ) -> ServiceRequest:
        """A checked filing becomes a request of the household's service point, held to the standard
        in force (its deadline by the area's type). At an outreach event, the event must take it."""
        if filing.at_outreach_event:
            if outreach_event is None:
                raise ValueError("a request filed at an outreach event is filed with the event")
            outreach_event.takes(filing.caller, filing.area_code, filing.standard, points, at)
        point = points.point_for_area(filing.area_code)
        area_type = points.area_type(filing.area_code)
        new, by = filing.new, filing.by
        request = cls(
            str(uuid.uuid4()),
            filing.household_id,
            filing.area_code,
            new.service_type,
            new.description,
            new.channel,
            filing.catalog.version,
            new.idempotency_key,
            at,
            by.id,
            by.role,
            point.code,
            area_type,
            filing.standard.deadline(at, area_type),
            device_id=filing.caller.device_id,
            consent=filing.consent,
            outreach_event_id=new.outreach_event_id,
            home_visit=new.home_visit,
        )
        request.request_digest = new.digest()
        return request

    def take_number(self, seq: int) -> None:
        """The store numbers requests in the order it keeps them: the number makes the reference
        the citizen quotes, and the filing is announced with it."""
        self.reference_number = reference_number(self.submitted_at, seq)
        by = Actor(self.submitted_by, self.submitted_by_role, self.channel)
        self.record(RequestFiled(self.facts(), by, filing_note(self.consent, self.outreach_event_id, self.home_visit)))

    def replayed(self, caller: Caller, new: NewRequest) -> ServiceRequest:
        """A retry of this filing with its idempotency key: only by whoever filed it, asking for all
        the same (the rules for filing were checked again on the retry). Else the key is refused."""
        # Requests filed before digests were kept compare as they did then: type and description.
        if self.request_digest:
            same = self.request_digest == new.digest()
        else:
            same = (self.service_type, self.description) == (new.service_type, new.description)
        if self.submitted_by != caller.subject or not same:
            raise AlreadyExists(
                "this idempotency key was used for a different request: use a new key for a new request",
                {"idempotency_key": "already used for another request"},
            )
        return self

    # --- who sees it ---

    def hidden_from(self, caller: Caller) -> bool:
        """Another household's request: not found, for it (its existence is not theirs to know)."""
        return caller.is_household() and caller.household_id != self.household_id

    def readable_by(self, caller: Caller, point: ServicePoint) -> bool:
        return may_read(caller, self.household_id, point, self.technician)

    @property
    def window(self) -> Window | None:
        if self.window_start is None or self.window_end is None:
            return None
        return Window(self.window_start, self.window_end)

    # --- the steps ---

    def cancel(self, caller: Caller, reason: str, at: dt.datetime) -> None:
        caller.require_household()
        validate_reason(reason, required=False)
        self._moved(self._step(State.CANCELLED), Actor.of(caller), reason, at)

    def accept(self, caller: Caller, point: ServicePoint, reason: str, at: dt.datetime) -> None:
        require_manager_of(caller, point)
        validate_reason(reason, required=False)
        self._moved(self._step(State.ACCEPTED, only_from=State.SUBMITTED), Actor.of(caller), reason, at)

    def reject(self, caller: Caller, point: ServicePoint, reason: str, at: dt.datetime) -> None:
        require_manager_of(caller, point)
        validate_reason_to_citizen(reason)
        from_state = self._step(State.REJECTED)
        self.reason = reason
        self._moved(from_state, Actor.of(caller), reason, at)

    def wait_for_citizen(
        self, caller: Caller, point: ServicePoint, reason: str, at: dt.datetime, catalog: Catalog
    ) -> None:
        """The citizen is needed (not at home, materials missing): the clock stops, a limited number of times."""
        require_manager_of(caller, point)
        validate_reason_to_citizen(reason)
        if self.waits >= catalog.rule("max_waits"):
            raise FailedPrecondition(f"a request may wait for the citizen at most {catalog.rule('max_waits')} times")
        from_state = self._step(State.WAITING_FOR_CITIZEN)
        self.reason, self.waiting_since, self.waits = reason, at, self.waits + 1
        self._moved(from_state, Actor.of(caller), reason, at)

    def resume(self, caller: Caller, point: ServicePoint, reason: str, at: dt.datetime) -> None:
        require_manager_of(caller, point)
        validate_reason(reason, required=False)
        from_state = self._step(State.ACCEPTED, only_from=State.WAITING_FOR_CITIZEN)
        self._end_wait(at)
        self._moved(from_state, Actor.of(caller), reason, at)

    def dispatch(
        self,
        caller: Caller,
        point: ServicePoint,
        technician: str,
        start: dt.datetime | None,
        end: dt.datetime | None,
        other_jobs: Iterable[ServiceRequest],
        at: dt.datetime,
        catalog: Catalog,
    ) -> None:
        """A technician of the point, for a window; never one booked for an overlapping window
        (`other_jobs`: the technician's booked jobs, read under their lock)."""
        require_manager_of(caller, point)
        if not technician:
            raise InvalidArgument("name the technician", {"technician": "is required"})
        if technician not in point.technicians:
            raise FailedPrecondition(
                f"{technician!r} is not a technician of {point.name}",
                {"technician": "not on this service point's roster"},
            )
        window = Window.of(start, end, at, catalog)
        transition(self.state, State.DISPATCHED)
        check_free(technician, window, [w for job in other_jobs if job.id != self.id and (w := job.window)])
        from_state = self._step(State.DISPATCHED)
        self.technician, self.window_start, self.window_end = technician, window.start, window.end
        reason = f"{technician} {window.start.isoformat()}/{window.end.isoformat()}"
        self._moved(from_state, Actor.of(caller), reason, at)

    def mark_on_site(self, caller: Caller, reason: str, at: dt.datetime) -> None:
        require_technician_on(caller, self.technician)
        validate_reason(reason, required=False)
        self._moved(self._step(State.ON_SITE), Actor.of(caller), reason, at)

    def resolve(self, caller: Caller, reason: str, at: dt.datetime, catalog: Catalog) -> None:
        """Resolved by the technician on it; late, it earns what its standard promises."""
        require_technician_on(caller, self.technician)
        validate_reason(reason, required=False)
        from_state = self._step(State.RESOLVED)
        self.resolved_at = at
        if self.deadline_at is not None:
            standard = catalog.service_type(self.service_type)
            self.compensation_fen = standard.compensation_fen(self.deadline_at, at, catalog.rule("monthly_fee_fen"))
        self._moved(from_state, Actor.of(caller), reason, at)

    def rate(
        self, caller: Caller, level: str, indicators: Mapping[str, int], comment: str, at: dt.datetime, catalog: Catalog
    ) -> None:
        """The household rates it once, when resolved, which closes it; a bad rating opens a
        rectification case due in the catalog's working days."""
        caller.require_household()
        rating = ratings.Rating.give(
            level,
            indicators,
            comment,
            at,
            named=INDICATORS,
            max_comment=MAX_COMMENT,
            already=self.rating_level,
            case="request",
        )
        if self.state not in RATABLE_STATES:
            raise FailedPrecondition(f"a request that is {self.state} cannot be rated yet")
        self.rating_level, self.rating_comment, self.rated_at = rating.level, rating.comment, at
        self.rating_indicators = dict(rating.indicators)
        if rating.bad:
            days = catalog.rule("rectification_working_days")
            self.rectification_deadline = ratings.rectification_deadline(at, days, DISTRICT_TZ)
        from_state = self._step(State.CLOSED)
        self.record(RequestRated(self.facts(), rating.level, rating.bad, at, self.rectification_deadline))
        self._moved(from_state, Actor.of(caller), f"rated {rating.level}", at)

    def follow_up_rectification(self, caller: Caller, point: ServicePoint, follow_up: str, at: dt.datetime) -> None:
        """The point's manager records the follow-up to the citizen of a bad rating, once."""
        require_manager_of(caller, point)
        validate_reason(follow_up, required=True)
        if self.rectification_deadline is None:
            raise FailedPrecondition("this request has no rectification case")
        if self.rectified_at is not None:
            raise FailedPrecondition("the follow-up of this rectification case is recorded already")
        self.rectification_follow_up, self.rectified_at = follow_up, at
        on_time = at <= self.rectification_deadline
        self.record(RectificationFollowedUp(self.facts(), Actor.of(caller), follow_up, at, on_time))

    # --- the SLA clock ---

    def watch(self, at: dt.datetime, catalog: Catalog) -> bool:
        """What the SLA scheduler does at `at`: ends a wait for the citizen that lasted longer than the
        standard allows, closes a resolved request whose rating window has passed, and raises each
        threshold of the time limit (80 %, 100 %) once. Whether anything changed."""
        if self.deadline_at is None:
            return False  # filed before requests carried a deadline (migration 0002): no clock to watch
        if self.state == State.WAITING_FOR_CITIZEN:
            limit = dt.timedelta(hours=catalog.rule("max_wait_hours"))
            if self.waiting_since is None or at - self.waiting_since <= limit:
                return False
            from_state = self._step(State.ACCEPTED)
            self._end_wait(at)
            self._moved(from_state, SYSTEM, "the wait for the citizen reached its limit", at)
            return True
        if self.state == State.RESOLVED:
            window = dt.timedelta(hours=catalog.rule("rating_window_hours"))
            if self.resolved_at is None or at - self.resolved_at < window:
                return False
            self._moved(self._step(State.CLOSED), SYSTEM, "the rating window passed", at)
            return True
        if self.state not in CLOCK_RUNNING:
            return False
        paused = dt.timedelta(seconds=self.paused_seconds)
        used = deadlines.percent_used(self.submitted_at, self.deadline_at, paused, at)
        reached = deadlines.thresholds_reached(used, self.sla_percent_raised, catalog.rule("sla_thresholds_percent"))
        for percent in reached:
            self.sla_percent_raised = percent
            self.record(
                SlaThresholdReached(self.facts(), percent, deadlines.escalation_target(percent, ESCALATION), at)
            )
        return bool(reached)

    # --- what is told of it ---

    def facts(self) -> RequestFacts:
        return RequestFacts(
            self.id,
            self.reference_number or "",
            self.household_id,
            self.device_id,
            self.area_code,
            self.service_point_code,
            self.service_type,
            self.channel,
            self.state,
            self.submitted_at,
            self.deadline_at,
            self.technician,
            self.compensation_fen,
            self.outreach_event_id or "",
            self.home_visit or "",
        )

    def _step(self, target: str, only_from: str = "") -> str:
        """Move to `target` if the lifecycle allows it; the state it came from."""
        from_state = self.state
        self.state = transition(from_state, target, only_from)
        return from_state

    def _moved(self, from_state: str, by: Actor, reason: str, at: dt.datetime) -> None:
        self.record(RequestTransitioned(self.facts(), from_state, by, reason, at))

    def _end_wait(self, at: dt.datetime) -> None:
        """The citizen is back: the time waited moves the deadline on."""
        if self.waiting_since is None:
            return
        waited = at - self.waiting_since
        self.paused_seconds += int(waited.total_seconds())
        if self.deadline_at is not None:
            self.deadline_at += waited
        self.waiting_since = None


def filing_note(consent: str, outreach_event_id: str, home_visit: str) -> str:
    """What the audit trail records of a filing besides who filed it."""
    parts = [consent] if consent else []
    if outreach_event_id:
        parts.append(f"outreach event {outreach_event_id}")
    if home_visit:
        parts.append(f"home visit ({home_visit})")
    return "; ".join(parts)
