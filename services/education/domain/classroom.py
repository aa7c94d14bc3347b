"""The air classroom linked to a real one (空中课堂): an offline session (a field class in a village
after the broadcast) linked to an episode, with a capacity taken by sign-ups through the shared
booking rules (services/rules/booking.py); attendance as Moodle's (present, late, excused,
absent), checked in with the venue's rotating code or recorded by the village agent
(services/rules/acting.py); sessions before a member enrolled never count against them; and a
certificate of completion. No I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from education.domain.district import District
from education.domain.learning import check_member
from education.domain.programmes import Episode, require_editor_of
from rules import acting, booking
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, check_text, require
from runtime.uow import Aggregate

MAX_PLACE = 100
VILLAGE_AGENT = "village_agent"  # the service desk's role: an agent at a village agency point


class Attendance:
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"
    # Not a status of its own: a session before the member enrolled, or one still to come.
    NOT_ENROLLED = "not_enrolled"
    UPCOMING = "upcoming"
    RECORDED = (PRESENT, LATE, EXCUSED)


@dataclass(frozen=True)
class SignedUp:
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    at: dt.datetime


@dataclass(frozen=True)
class CheckedIn:
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    status: str
    by: str
    at: dt.datetime


WAITING = "waiting"  # on the session's waiting list: no place yet (not a booking claim that counts)


@dataclass(frozen=True)
class SignUpCancelled:
    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    at: dt.datetime


@dataclass(frozen=True)
class PlaceOffered:
    """A place freed by a cancellation, offered to the next on the waiting list until it expires."""

    session_id: str
    sign_up_id: str
    household_id: str
    member: str
    expires_at: dt.datetime | None
    at: dt.datetime


class SignUp:
    """A household member's place in a session (a booking claim of one person), or their place on
    its waiting list."""

    party = 1

    def __init__(self, id, session_id, series_id, household_id, household_area, member, state, signed_up_at):
        self.id = id
        self.session_id = session_id
        self.series_id = series_id
        self.household_id = household_id
        self.household_area = household_area
        self.member = member
        self.state = state
        self.signed_up_at = signed_up_at
        self.attendance = ""
        self.recorded_by = ""
        self.recorded_at: dt.datetime | None = None
        self.expires_at: dt.datetime | None = None


class Session(Aggregate):
    """A field class: where and when, its capacity, the episode it follows, and its sign-ups. Loaded
    with a row lock while a place is taken, so it is never oversold."""

    sign_ups: list[SignUp]

    def __init__(self, id, episode_id, series_id, town_code, village_code, place, starts_at, ends_at, capacity, secret):
        self.id = id
        self.episode_id = episode_id
        self.series_id = series_id
        self.town_code = town_code
        self.village_code = village_code
        self.place = place
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.capacity = capacity
        self.secret = secret
        self.sign_ups = []

    @classmethod
    def plan(
        cls,
        caller: Caller,
        district: District,
        episode: Episode,
        village_code: str,
        place: str,
        starts_at: dt.datetime | None,
        ends_at: dt.datetime | None,
        capacity: int,
        now: dt.datetime,
        secret: str,
    ) -> Session:
        require_editor_of(caller, episode.town_code)
        require({"place": place, "starts_at": starts_at, "ends_at": ends_at})
        check_text({"place": (place, MAX_PLACE)})
        assert starts_at is not None and ends_at is not None
        errors = {}
        if len(village_code) != 12 or not village_code.isdigit() or not village_code.startswith(episode.town_code):
            errors["village_code"] = f"a village (12 digits) of the episode's town {episode.town_code}"
        if not 1 <= capacity <= district.max_capacity:
            errors["capacity"] = f"1..{district.max_capacity} places"
        if starts_at <= now:
            errors["starts_at"] = "in the past"
        if ends_at <= starts_at:
            errors["ends_at"] = "after starts_at"
        if errors:
            raise InvalidArgument("the session is not valid: " + ", ".join(errors), errors)
        return cls(
            str(uuid.uuid4()),
            episode.id,
            episode.series_id,
            episode.town_code,
            village_code,
            place,
            starts_at,
            ends_at,
            capacity,
            secret,
        )

    def taken(self, now: dt.datetime) -> int:
        return booking.taken(self.sign_ups, now)

    def mine(self, household_id: str, member: str) -> SignUp | None:
        return next((s for s in self.sign_ups if s.household_id == household_id and s.member == member), None)

    def sign_up(self, caller: Caller, district: District, member: str, now: dt.datetime, wait: bool = False) -> SignUp:
        """A place for the member; with `wait`, a full session puts them on its waiting list. A
        member with a place offered takes it by signing up again."""
        household_id = caller.require_household()
        check_member(district, member)
        had = self.mine(household_id, member)
        if had is not None and had.state == booking.OFFERED and not booking.lapsed(had, now):
            booking.check_confirm(had, now)
            had.state, had.expires_at = booking.CONFIRMED, None
            self.record(SignedUp(self.id, had.id, household_id, member, now))
            return had
        if had is not None and had.state == WAITING:
            raise booking.AlreadyBooked("this member is on the waiting list already", {"member": "waiting already"})
        holding = had is not None and had.state in booking.COUNTED
        try:
            booking.admit(
                district.booking,
                capacity=self.capacity,
                claims=self.sign_ups,
                party=1,
                starts_at=self.starts_at,
                now=now,
                zone=district.zone,
                already_booked=holding,
            )
            state = booking.CONFIRMED
        except booking.Full:
            if not (wait and district.waiting_list):
                raise
            state = WAITING
        if had is None:
            had = SignUp(str(uuid.uuid4()), self.id, self.series_id, household_id, caller.area_code, member, state, now)
            self.sign_ups.append(had)
        else:  # cancelled, or an offer that lapsed: the member's row again
            had.state, had.signed_up_at, had.expires_at = state, now, None
        if state == booking.CONFIRMED:
            self.record(SignedUp(self.id, had.id, household_id, member, now))
        return had

    def cancel(self, caller: Caller, district: District, member: str, now: dt.datetime) -> list[SignUp]:
        """The member gives up their place (until the policy's deadline) or leaves the waiting list.
        A freed place is offered to the next on the waiting list; returns those offered."""
        household_id = caller.require_household()
        check_member(district, member)
        had = self.mine(household_id, member)
        if had is None or had.state in (booking.CANCELLED, booking.EXPIRED):
            raise FailedPrecondition("this member has no place in this session", {"member": "not signed up"})
        if had.state != WAITING:
            booking.check_cancel(district.booking, had, self.starts_at, now, district.zone)
        had.state, had.expires_at = booking.CANCELLED, None
        self.record(SignUpCancelled(self.id, had.id, household_id, member, now))
        return self.offer_places(district, now)

    def offer_places(self, district: District, now: dt.datetime) -> list[SignUp]:
        """Places free and people waiting, first come first: each gets an offer that expires."""
        if now >= booking.closes_at(district.booking, self.starts_at):
            return []
        for s in self.sign_ups:
            if booking.lapsed(s, now):
                s.state = booking.EXPIRED
        waiting = sorted((s for s in self.sign_ups if s.state == WAITING), key=lambda s: s.signed_up_at)
        free = booking.remaining(self.capacity, self.sign_ups, now)
        offered = []
        for offer in booking.next_offers(district.booking, [s.party for s in waiting], free, now):
            s = waiting[offer.index]
            s.state, s.expires_at = booking.OFFERED, offer.expires_at
            self.record(PlaceOffered(self.id, s.id, s.household_id, s.member, offer.expires_at, now))
            offered.append(s)
        return offered

    def active(self) -> list[SignUp]:
        return [s for s in self.sign_ups if s.state in booking.COUNTED]

    def code_at(self, district: District, now: dt.datetime, step: int = 0) -> str:
        """The rotating check-in code shown at the venue (a QR code of it): a new one every period.
        Digits only, so that a TV's number keys can type it (as TOTP truncates an HMAC)."""
        period = int(now.timestamp()) // district.code_seconds + step
        mac = hmac.new(self.secret.encode(), f"{self.id}:{period}".encode(), hashlib.sha256).digest()
        return str(int.from_bytes(mac[:8]) % 10**district.code_digits).zfill(district.code_digits)

    def _require_venue_staff(self, caller: Caller) -> None:
        """The venue's screen is the village's agent's or the town's station editors'."""
        if VILLAGE_AGENT in caller.roles and caller.area_code == self.village_code:
            return
        require_editor_of(caller, self.town_code)

    def code_for(self, caller: Caller, district: District, now: dt.datetime) -> str:
        """The code for the venue's screen."""
        self._require_venue_staff(caller)
        return self.code_at(district, now)

    def roster_for(self, caller: Caller) -> list[SignUp]:
        """Who has a place, in the order they signed up, with their attendance so far."""
        self._require_venue_staff(caller)
        return sorted(self.active(), key=lambda s: s.signed_up_at)

    def check_in(
        self, caller: Caller, district: District, member: str, code: str, household_id: str, now: dt.datetime
    ) -> SignUp:
        """A member checks in at the venue with the code on its screen (this period's or the last)."""
        caller.require_household()
        if household_id and household_id != caller.household_id:
            raise PermissionDenied("a member checks in only themselves", {"household_id": "not your household"})
        if not code:
            raise InvalidArgument("code is the one shown at the venue", {"code": "is required"})
        found = self._sign_up_of(caller.household_id, member)
        if now < self.starts_at - district.check_in_opens:
            raise FailedPrecondition("check-in opens shortly before the session", {"code": "not open yet"})
        if now >= self.ends_at:
            raise FailedPrecondition(
                "the session is over: the village agent records attendance for whoever missed the code",
                {"code": "after the session"},
            )
        if not any(hmac.compare_digest(code, self.code_at(district, now, step)) for step in (0, -1)):
            raise InvalidArgument("that is not the code shown at the venue now", {"code": "wrong or expired"})
        if found.attendance:
            raise FailedPrecondition(f"checked in already ({found.attendance})", {"member": "checked in already"})
        status = Attendance.PRESENT if now <= self.starts_at + district.late_after else Attendance.LATE
        self._mark(found, status, f"{acting.ActorKind.HOUSEHOLD} {caller.name or caller.subject} (venue code)", now)
        return found

    def record_for(
        self,
        caller: Caller,
        household_id: str,
        consent: str,
        member: str,
        status: str,
        now: dt.datetime,
    ) -> SignUp:
        """The village agent records a member's attendance (someone who missed the code), with the
        household's consent; from the session's start on, also after it."""
        if status not in Attendance.RECORDED:
            raise InvalidArgument(
                f"status is one of {', '.join(Attendance.RECORDED)}", {"status": "present, late or excused"}
            )
        actor = acting.for_household(caller, household_id, self.village_code, consent, agent_role=VILLAGE_AGENT)
        if not actor.acts_for_another:
            raise FailedPrecondition("a household checks in with the venue's code", {"household_id": "use CheckIn"})
        found = self._sign_up_of(household_id, member)
        if status != Attendance.EXCUSED and now < self.starts_at:
            raise FailedPrecondition("attendance is recorded from the session's start", {"status": "not begun"})
        self._mark(found, status, actor.note(), now)
        return found

    def _sign_up_of(self, household_id: str, member: str) -> SignUp:
        found = next((s for s in self.active() if s.household_id == household_id and s.member == member), None)
        if found is None:
            raise FailedPrecondition(
                f"{member or 'that member'} has not signed up for this session", {"member": "not signed up"}
            )
        return found

    def _mark(self, s: SignUp, status: str, by: str, now: dt.datetime) -> None:
        s.attendance, s.recorded_by, s.recorded_at = status, by, now
        if status in (Attendance.PRESENT, Attendance.LATE):
            s.state = booking.ATTENDED
        self.record(CheckedIn(self.id, s.id, s.household_id, s.member, status, by, now))


@dataclass(frozen=True)
class SessionAttendance:
    session_id: str
    starts_at: dt.datetime
    status: str


@dataclass(frozen=True)
class Record:
    """A member's attendance in a course's sessions, and whether it earns the certificate."""

    sessions: tuple[SessionAttendance, ...]
    attended: int
    counted: int
    percent: int
    complete: bool


def attendance_of(
    district: District, sessions: Iterable[Session], household_id: str, member: str, now: dt.datetime
) -> Record:
    """Moodle's rule: a member is enrolled from their first sign-up in the course; every session of
    the course from then on counts (absent when ended without a check-in), excused ones leave the
    count; sessions before enrolment never count against them."""
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    mine = [u for s in ordered for u in s.active() if u.household_id == household_id and u.member == member]
    enrolled = min((u.signed_up_at for u in mine), default=None)
    rows = []
    for s in ordered:
        u = next((u for u in s.active() if u.household_id == household_id and u.member == member), None)
        if enrolled is None or s.starts_at < enrolled:
            status = Attendance.NOT_ENROLLED
        elif u is not None and u.attendance:
            status = u.attendance
        elif s.ends_at > now:
            status = Attendance.UPCOMING
        else:
            status = Attendance.ABSENT
        rows.append(SessionAttendance(s.id, s.starts_at, status))
    attended = sum(1 for r in rows if r.status in (Attendance.PRESENT, Attendance.LATE))
    counted = sum(1 for r in rows if r.status in (Attendance.PRESENT, Attendance.LATE, Attendance.ABSENT))
    pending = any(r.status == Attendance.UPCOMING for r in rows)
    percent = attended * 100 // counted if counted else 0
    complete = bool(counted) and not pending and percent >= district.certificate_percent
    return Record(tuple(rows), attended, counted, percent, complete)


@dataclass(frozen=True)
class CertificateIssued:
    certificate_id: str
    series_id: str
    household_id: str
    member: str
    at: dt.datetime


class Certificate(Aggregate):
    """A certificate of completion of a course's field classes, once per member."""

    def __init__(self, id, series_id, household_id, member, attended, counted, issued_at):
        self.id = id
        self.series_id = series_id
        self.household_id = household_id
        self.member = member
        self.attended = attended
        self.counted = counted
        self.issued_at = issued_at

    @classmethod
    def issue(cls, caller: Caller, district: District, series_id: str, member: str, record: Record, now) -> Certificate:
        household_id = caller.require_household()
        if not record.complete:
            raise FailedPrecondition(
                f"not complete: {record.attended} of {record.counted} sessions attended, "
                f"{district.certificate_percent}% needed once every session has taken place",
                {"series_id": "not complete"},
            )
        made = cls(str(uuid.uuid4()), series_id, household_id, member, record.attended, record.counted, now)
        made.record(CertificateIssued(made.id, series_id, household_id, member, now))
        return made
