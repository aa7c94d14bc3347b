"""Volunteer activities at each village's civilization practice station (新时代文明实践站): the
station's manager publishes an activity with a capacity and roles, volunteers sign up themselves
(services/rules/booking.py: never more than the capacity), check in and out with the activity's
QR code or by the organizer, and their hours follow the district's rounding rule (as 志愿汇:
≤15 min → 0, 15–45 → 0.5 h, 45–60 → 1 h) and star levels. A manager's correction of hours is
always an audit entry."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from legal.domain.roles import Role
from rules import booking
from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, text_errors
from runtime.uow import Aggregate


@dataclass(frozen=True)
class VolunteerRules:
    policy: booking.Policy
    max_capacity: int
    max_title: int
    max_roles: int
    max_reason: int
    # (up to this many minutes of a started hour, counts as this many half hours)
    rounding: tuple[tuple[int, int], ...]
    star_levels_hours: tuple[int, ...]
    stations: Mapping[str, str]

    @classmethod
    def of(cls, v: Mapping) -> VolunteerRules:
        rounding = tuple((int(r["up_to_minutes"]), int(r["half_hours"])) for r in v["rounding"])
        if [m for m, _ in rounding] != sorted(m for m, _ in rounding) or rounding[-1][0] != 60:
            raise ValueError("volunteering: the rounding rule covers a started hour, up to 60 minutes, in order")
        return cls(
            booking.Policy.of(v["booking"]),
            int(v["max_capacity"]),
            int(v["max_title"]),
            int(v["max_roles"]),
            int(v["max_reason"]),
            rounding,
            tuple(sorted(int(h) for h in v["star_levels_hours"])),
            dict(v["stations"]),
        )

    def half_hours(self, minutes: int) -> int:
        """Whole hours count in full; the started hour's minutes by the rounding rule."""
        whole, rest = divmod(max(0, minutes), 60)
        return whole * 2 + next(h for up_to, h in self.rounding if rest <= up_to)

    def stars(self, hours: float) -> int:
        return sum(1 for level in self.star_levels_hours if hours >= level)


class SignUpState:
    CONFIRMED = booking.CONFIRMED
    CHECKED_IN = "checked_in"
    ATTENDED = booking.ATTENDED
    # On the waiting list (takes no place), then offered a freed place until it lapses.
    WAITING = "waiting"
    OFFERED = booking.OFFERED
    CANCELLED = booking.CANCELLED


@dataclass(frozen=True)
class VolunteerStep:
    """Signed up, checked in, checked out, hours corrected: for the volunteer's record elsewhere."""

    activity_id: str
    sign_up_id: str
    station: str
    volunteer: str
    step: str
    half_hours: int
    at: dt.datetime


class HoursCorrection:
    """The audit entry of a manager's change of a volunteer's hours: before, after, why, who."""

    def __init__(self, sign_up_id: str, before: int, after: int, reason: str, actor: str, at: dt.datetime):
        self.sign_up_id, self.before, self.after, self.reason, self.actor, self.at = (
            sign_up_id,
            before,
            after,
            reason,
            actor,
            at,
        )


class SignUp:
    """A volunteer's place in an activity: a booking claim of one person."""

    def __init__(self, id: str, activity_id: str, volunteer: str, volunteer_name: str, role: str, at: dt.datetime):
        self.id, self.activity_id, self.volunteer, self.volunteer_name = id, activity_id, volunteer, volunteer_name
        self.role, self.created_at = role, at
        self.party, self.state = 1, SignUpState.CONFIRMED
        self.expires_at: dt.datetime | None = None  # an offered place's
        self.checked_in_at: dt.datetime | None = None
        self.checked_out_at: dt.datetime | None = None
        self.half_hours = 0
        self.corrections: list[HoursCorrection] = []

    @property
    def hours(self) -> float:
        return self.half_hours / 2


def require_manager(caller: Caller, station: str) -> None:
    if caller.kind != CallerKind.STAFF or Role.STATION_MANAGER not in caller.roles:
        raise PermissionDenied(f"this call is for a practice station's manager (role {Role.STATION_MANAGER})")
    if caller.area_code != station:
        raise PermissionDenied("a manager manages their own station only", {"station": "not your station"})


class Activity(Aggregate):
    sign_ups: list[SignUp]

    def __init__(
        self,
        id: str,
        district_code: str,
        station: str,
        title: str,
        roles: str,
        capacity: int,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        organizer: str,
        organizer_name: str,
        check_in_code: str,
        created_at: dt.datetime,
    ):
        self.id, self.district_code, self.station, self.title = id, district_code, station, title
        self.roles, self.capacity, self.starts_at, self.ends_at = roles, capacity, starts_at, ends_at
        self.organizer, self.organizer_name, self.check_in_code = organizer, organizer_name, check_in_code
        self.created_at = created_at
        self.sign_ups = []

    @classmethod
    def publish(
        cls,
        caller: Caller,
        district_code: str,
        rules: VolunteerRules,
        title: str,
        roles: Sequence[str],
        capacity: int,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        now: dt.datetime,
    ) -> Activity:
        station = caller.area_code
        require_manager(caller, station)
        if station not in rules.stations:
            raise NotFound("no civilization practice station in your village", {"station": "unknown"})
        errors = {"title": "is required"} if not title.strip() else text_errors({"title": (title, rules.max_title)})
        if not 1 <= capacity <= rules.max_capacity:
            errors["capacity"] = f"from 1 to {rules.max_capacity}"
        if not roles or len(roles) > rules.max_roles or len(set(roles)) != len(roles):
            errors["roles"] = f"1 to {rules.max_roles} roles, each once"
        elif any(not r.strip() or "," in r or text_errors({"r": (r, 30)}) for r in roles):
            errors["roles"] = "each 1..30 characters, no comma"
        if ends_at <= starts_at:
            errors["ends_at"] = "after starts_at"
        elif starts_at <= now:
            errors["starts_at"] = "in the future"
        if errors:
            raise InvalidArgument("invalid activity: " + ", ".join(errors), errors)
        code = secrets.token_urlsafe(12)
        return cls(
            str(uuid.uuid4()),
            district_code,
            station,
            title.strip(),
            ",".join(roles),
            capacity,
            starts_at,
            ends_at,
            caller.subject,
            caller.name,
            code,
            now,
        )

    @property
    def role_list(self) -> list[str]:
        return self.roles.split(",")

    def claims(self) -> list[booking.Claim]:
        """The sign-ups as the booking rules count them: a checked-in volunteer keeps their place."""
        return [
            booking.Claim(s.party, booking.ATTENDED if s.state == SignUpState.CHECKED_IN else s.state, s.expires_at)
            for s in self.sign_ups
        ]

    def remaining(self, now: dt.datetime) -> int:
        return booking.remaining(self.capacity, self.claims(), now)

    def sign_up_of(self, volunteer: str) -> SignUp | None:
        """The volunteer's sign-up that stands (not cancelled)."""
        gone = (SignUpState.CANCELLED, booking.EXPIRED)
        return next((s for s in self.sign_ups if s.volunteer == volunteer and s.state not in gone), None)

    def waiting_count(self) -> int:
        return sum(1 for s in self.sign_ups if s.state == SignUpState.WAITING)

    def sign_up(
        self,
        caller: Caller,
        rules: VolunteerRules,
        role: str,
        zone: dt.tzinfo,
        now: dt.datetime,
        join_waiting_list: bool = False,
    ) -> SignUp:
        """A volunteer (a household's member, on its terminal) signs up themselves for one role; when
        full, onto the waiting list if they ask to; signing up again takes a place offered to them."""
        volunteer = caller.require_household()
        if role not in self.role_list:
            raise InvalidArgument("not a role of this activity", {"role": "one of " + ", ".join(self.role_list)})
        self.offer_free_places(rules, now)
        mine = self.sign_up_of(volunteer)
        if mine is not None and mine.state == SignUpState.OFFERED:
            booking.check_confirm(mine, now)
            mine.role, mine.state, mine.expires_at = role, SignUpState.CONFIRMED, None
            self._step(mine, "signed_up", now)
            return mine
        if mine is not None and mine.state == SignUpState.WAITING:
            raise booking.AlreadyBooked("on this activity's waiting list already")
        state = SignUpState.CONFIRMED
        try:
            booking.admit(
                rules.policy,
                capacity=self.capacity,
                claims=self.claims(),
                party=1,
                starts_at=self.starts_at,
                now=now,
                zone=zone,
                already_booked=mine is not None,
            )
        except booking.Full:
            if not join_waiting_list:
                raise
            state = SignUpState.WAITING
        # Signing up again after a cancellation takes the same sign-up back (one per volunteer and activity).
        s = next((x for x in self.sign_ups if x.volunteer == volunteer), None)
        if s is None:
            s = SignUp(str(uuid.uuid4()), self.id, volunteer, caller.name, role, now)
            self.sign_ups.append(s)
        s.role, s.state, s.created_at, s.expires_at = role, state, now, None
        self._step(s, "waiting" if state == SignUpState.WAITING else "signed_up", now)
        return s

    def offer_free_places(self, rules: VolunteerRules, now: dt.datetime) -> None:
        """Lapsed offers expire; the places free now go to the waiting list, first come first."""
        for s in self.sign_ups:
            if booking.lapsed(s, now):
                s.state = booking.EXPIRED
                self._step(s, "offer_lapsed", now)
        if now >= self.starts_at:
            return
        waiting = sorted((s for s in self.sign_ups if s.state == SignUpState.WAITING), key=lambda s: s.created_at)
        for offer in booking.next_offers(rules.policy, [s.party for s in waiting], self.remaining(now), now):
            s = waiting[offer.index]
            s.state, s.expires_at = SignUpState.OFFERED, offer.expires_at
            self._step(s, "offered", now)

    def cancel(self, caller: Caller, rules: VolunteerRules, zone: dt.tzinfo, now: dt.datetime) -> SignUp:
        """The volunteer cancels their own sign-up (until the district's cancellation deadline); its place is free."""
        s = self.sign_up_of(caller.require_household())
        if s is None:
            raise NotFound("you have not signed up for this activity", {"activity_id": "not signed up"})
        if s.state != SignUpState.WAITING:  # leaving the waiting list is always possible
            booking.check_cancel(rules.policy, s, self.starts_at, now, zone)
        s.state, s.expires_at = SignUpState.CANCELLED, None
        self._step(s, "cancelled", now)
        self.offer_free_places(rules, now)
        return s

    # --- check-in and check-out: with the activity's QR code (the volunteer) or by the organizer ---

    def _attendee(self, caller: Caller, code: str, volunteer: str) -> SignUp:
        if caller.is_household():
            if not code or not secrets.compare_digest(code, self.check_in_code):
                raise PermissionDenied(
                    "scan the activity's QR code to check in or out", {"code": "not this activity's"}
                )
            volunteer = caller.household_id
        else:
            require_manager(caller, self.station)
        s = self.sign_up_of(volunteer)
        if s is None:
            raise NotFound("no sign-up of this volunteer for this activity", {"volunteer_id": "not signed up"})
        return s

    def check_in(self, caller: Caller, code: str, volunteer: str, now: dt.datetime) -> SignUp:
        s = self._attendee(caller, code, volunteer)
        if s.state in (SignUpState.WAITING, SignUpState.OFFERED):
            raise FailedPrecondition("no confirmed place in this activity yet")
        if s.state != SignUpState.CONFIRMED:
            raise FailedPrecondition("checked in already")
        if now >= self.ends_at:
            raise FailedPrecondition("the activity has ended")
        s.state, s.checked_in_at = SignUpState.CHECKED_IN, now
        self._step(s, "checked_in", now)
        return s

    def check_out(self, caller: Caller, code: str, volunteer: str, rules: VolunteerRules, now: dt.datetime) -> SignUp:
        s = self._attendee(caller, code, volunteer)
        if s.state == SignUpState.CONFIRMED or s.checked_in_at is None:
            raise FailedPrecondition("check in before checking out")
        if s.state != SignUpState.CHECKED_IN:
            raise FailedPrecondition("checked out already")
        minutes = int((now - s.checked_in_at).total_seconds() // 60)
        s.state, s.checked_out_at, s.half_hours = SignUpState.ATTENDED, now, rules.half_hours(minutes)
        self._step(s, "checked_out", now)
        return s

    def correct_hours(
        self, caller: Caller, rules: VolunteerRules, sign_up_id: str, hours: float, reason: str, now: dt.datetime
    ) -> SignUp:
        """A manager's correction: always with a reason, always an audit entry."""
        require_manager(caller, self.station)
        errors = (
            {"reason": "is required"} if not reason.strip() else text_errors({"reason": (reason, rules.max_reason)})
        )
        if hours < 0 or hours * 2 != int(hours * 2) or hours > 24:
            errors["hours"] = "0 to 24, in half hours"
        if errors:
            raise InvalidArgument("invalid correction: " + ", ".join(errors), errors)
        s = next((x for x in self.sign_ups if x.id == sign_up_id), None)
        if s is None:
            raise NotFound("no such sign-up in this activity", {"sign_up_id": "not found"})
        after = int(hours * 2)
        s.corrections.append(HoursCorrection(s.id, s.half_hours, after, reason.strip(), caller.subject, now))
        s.half_hours = after
        if s.state != SignUpState.ATTENDED:
            s.state = SignUpState.ATTENDED
        self._step(s, "hours_corrected", now)
        return s

    def _step(self, s: SignUp, step: str, now: dt.datetime) -> None:
        self.record(VolunteerStep(self.id, s.id, self.station, s.volunteer, step, s.half_hours, now))
