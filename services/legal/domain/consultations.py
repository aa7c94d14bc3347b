"""Legal consultations (一村一法律顾问): a citizen, or the village agent for them, asks the
village's legal advisor; the answer is due within the district's working time (5 working hours),
and at 80% and 100% of it the question escalates to the judicial office. Private: only the asker
(and the agent who asked for them), the advisor and the office read it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from legal.domain.content import MAX_IDEMPOTENCY_KEY
from legal.domain.district import District
from legal.domain.roles import Role
from rules import acting, ratings
from rules.deadlines import add_working_hours, thresholds_reached, working_time_between
from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, text_errors
from runtime.uow import Aggregate


class State:
    WAITING = "waiting"  # for the advisor's answer
    ANSWERED = "answered"


class MessageKind:
    QUESTION = "question"
    ANSWER = "answer"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class ConsultationStep:
    """Asked, answered, followed up, rated: the consultation's ids and who took the step (no text:
    a consultation is private)."""

    consultation_id: str
    district_code: str
    village_code: str
    household_id: str
    advisor: str
    step: str
    at: dt.datetime


@dataclass(frozen=True)
class ConsultationEscalated:
    consultation_id: str
    district_code: str
    village_code: str
    advisor: str
    percent: int
    to: str
    due_at: dt.datetime
    at: dt.datetime


class Message:
    def __init__(self, consultation_id: str, kind: str, text: str, author_kind: str, author_name: str, at: dt.datetime):
        self.consultation_id, self.kind, self.text = consultation_id, kind, text
        self.author_kind, self.author_name, self.at = author_kind, author_name, at


def check_idempotency_key(key: str) -> None:
    errors = (
        {"idempotency_key": "is required"} if not key else text_errors({"idempotency_key": (key, MAX_IDEMPOTENCY_KEY)})
    )
    if errors:
        raise InvalidArgument(f"invalid idempotency key: {errors['idempotency_key']}", errors)


def check_text_of(field: str, text: str, limit: int) -> str:
    errors = {field: "is required"} if not text.strip() else text_errors({field: (text, limit)}, multiline={field})
    if errors:
        raise InvalidArgument(f"invalid {field}: {errors[field]}", errors)
    return text.strip()


class Consultation(Aggregate):
    messages: list[Message]

    def __init__(
        self,
        id: str,
        district_code: str,
        village_code: str,
        household_id: str,
        asker: str,
        asker_kind: str,
        asker_name: str,
        consent: str,
        topic: str,
        advisor: str,
        advisor_name: str,
        state: str,
        asked_at: dt.datetime,
        due_at: dt.datetime,
        next_escalation_at: dt.datetime | None,
        created_at: dt.datetime,
    ):
        self.id, self.district_code, self.village_code, self.household_id = (
            id,
            district_code,
            village_code,
            household_id,
        )
        self.asker, self.asker_kind, self.asker_name, self.consent = asker, asker_kind, asker_name, consent
        self.topic, self.advisor, self.advisor_name, self.state = topic, advisor, advisor_name, state
        self.asked_at, self.due_at, self.next_escalation_at = asked_at, due_at, next_escalation_at
        self.created_at = created_at
        self.escalated_percent = 0
        self.follow_ups = 0
        self.rating_level = ""
        self.rating_indicators = "{}"
        self.rating_comment = ""
        self.rating_reasons = ""
        self.rated_at: dt.datetime | None = None
        # The asker's key: a retry of the same question returns it (unique: another caller's reuse is refused).
        self.idempotency_key: str | None = None
        # The number to call back on (a call-back request's; private as the rest).
        self.call_back_phone = ""
        self.messages = []

    # --- asking ---

    @staticmethod
    def household_to_look_up(caller: Caller, household_id: str) -> str:
        """The household whose registered area identity is to be asked for: the one a village agent
        asks for (only once the caller may act for households at all); none for anyone else."""
        if caller.kind == CallerKind.STAFF and Role.VILLAGE_AGENT in caller.roles and 0 < len(household_id) <= 36:
            return household_id
        return ""

    @classmethod
    def ask(
        cls,
        caller: Caller,
        district: District,
        topic: str,
        question: str,
        now: dt.datetime,
        household_id: str = "",
        household_area: str = "",
        consent: str = "",
        idempotency_key: str = "",
        call_back_phone: str = "",
    ) -> Consultation:
        """A household on its own terminal, or a village agent for a household of their village. A
        call-back request (the district's) carries the mobile number to call back."""
        actor = acting.for_household(caller, household_id, household_area, consent, agent_role=Role.VILLAGE_AGENT)
        check_idempotency_key(idempotency_key)
        village = caller.area_code if caller.is_household() else household_area
        rules = district.consultation
        if topic not in rules.topics:
            raise InvalidArgument("unknown topic", {"topic": "one of " + ", ".join(rules.topics)})
        text = check_text_of("question", question, rules.max_question)
        if call_back_phone and not rules.call_back_phone.fullmatch(call_back_phone):
            raise InvalidArgument("not a mobile number", {"call_back_phone": "a mainland mobile number, 11 digits"})
        if text.strip() == rules.call_back_request and not call_back_phone:
            raise InvalidArgument("a call-back needs the number", {"call_back_phone": "is required for a call-back"})
        advisor = district.advisor_of(village)
        c = cls(
            str(uuid.uuid4()),
            district.code,
            village,
            caller.household_id if caller.is_household() else household_id,
            actor.subject,
            actor.kind,
            actor.name,
            actor.authority,
            topic,
            advisor.username,
            advisor.name,
            State.WAITING,
            now,
            now,
            None,
            now,
        )
        c.idempotency_key = idempotency_key
        c.call_back_phone = call_back_phone
        c._start_clock(district, now)
        c.messages.append(Message(c.id, MessageKind.QUESTION, text, actor.kind, actor.name, now))
        c._step("asked", now)
        return c

    def is_same_question(self, other: Consultation) -> bool:
        """Whether `other` (asked with this one's idempotency key) is a retry of it: the same asker,
        household, topic and question."""
        return (self.asker, self.household_id, self.topic, self.messages[0].text, self.call_back_phone) == (
            other.asker,
            other.household_id,
            other.topic,
            other.messages[0].text,
            other.call_back_phone,
        )

    def follow_up(self, caller: Caller, district: District, question: str, now: dt.datetime) -> None:
        if not self.is_asker(caller):
            raise PermissionDenied("only whoever asked follows up")
        rules = district.consultation
        text = check_text_of("question", question, rules.max_question)
        if self.state != State.ANSWERED:
            raise FailedPrecondition("a follow-up comes after the advisor's answer")
        if self.follow_ups >= rules.max_follow_ups:
            raise FailedPrecondition(f"at most {rules.max_follow_ups} follow-up questions: ask a new question")
        self.follow_ups += 1
        self.state = State.WAITING
        self._start_clock(district, now)
        self.messages.append(Message(self.id, MessageKind.FOLLOW_UP, text, self.asker_kind, self.asker_name, now))
        self._step("followed_up", now)

    # --- answering, and the deadline ---

    def answer(self, caller: Caller, district: District, text: str, now: dt.datetime) -> None:
        if caller.kind != CallerKind.STAFF or Role.LEGAL_ADVISOR not in caller.roles:
            raise PermissionDenied("only the village's legal advisor answers")
        if self.village_code not in district.villages_of(caller.username):
            raise PermissionDenied(
                "you are not the legal advisor of this village", {"village_code": "not one of your villages"}
            )
        answer = check_text_of("answer", text, district.consultation.max_answer)
        if self.state != State.WAITING:
            raise FailedPrecondition("this question is answered already: wait for a follow-up")
        self.state, self.next_escalation_at = State.ANSWERED, None
        self.messages.append(Message(self.id, MessageKind.ANSWER, answer, "legal_advisor", caller.name, now))
        self._step("answered", now)

    def _start_clock(self, district: District, now: dt.datetime) -> None:
        self.asked_at, self.escalated_percent = now, 0
        self.due_at = self._after(district, district.consultation.answer_within)
        self.next_escalation_at = self._threshold_at(district)

    def _after(self, district: District, working: dt.timedelta) -> dt.datetime:
        r = district.consultation
        return add_working_hours(self.asked_at, working, district.zone, r.opens, r.closes, every_day=r.every_day)

    def _threshold_at(self, district: District) -> dt.datetime | None:
        """When the next threshold not yet raised is reached (None: all raised)."""
        r = district.consultation
        left = [p for p in r.escalate_at_percent if p > self.escalated_percent]
        return self._after(district, r.answer_within * left[0] / 100) if left else None

    def percent_used(self, district: District, at: dt.datetime) -> float:
        r = district.consultation
        used = working_time_between(self.asked_at, at, district.zone, r.opens, r.closes, every_day=r.every_day)
        return 100.0 * used / r.answer_within

    def escalate(self, district: District, now: dt.datetime) -> list[int]:
        """The thresholds newly reached by `now` while the question waits, each raised once to the office."""
        if self.state != State.WAITING:
            self.next_escalation_at = None
            return []
        r = district.consultation
        reached = thresholds_reached(self.percent_used(district, now), self.escalated_percent, r.escalate_at_percent)
        for percent in reached:
            self.escalated_percent = percent
            self.record(
                ConsultationEscalated(
                    self.id,
                    self.district_code,
                    self.village_code,
                    self.advisor,
                    percent,
                    r.escalate_to,
                    self.due_at,
                    now,
                )
            )
        self.next_escalation_at = self._threshold_at(district)
        return reached

    # --- rating ---

    def rate(
        self,
        caller: Caller,
        district: District,
        level: str,
        indicators: Mapping[str, int],
        comment: str,
        reasons: Collection[str],
        now: dt.datetime,
    ) -> ratings.Rating:
        if not self.is_asker(caller):
            raise PermissionDenied("only whoever asked rates the answer")
        r = district.consultation
        rating = ratings.Rating.give(
            level,
            indicators,
            comment,
            now,
            named=r.rating_indicators,
            max_comment=r.max_comment,
            already=self.rating_level,
            case="consultation",
            reasons=reasons,
            labels=r.rating_reasons,
        )
        if self.state != State.ANSWERED:
            raise FailedPrecondition("a consultation is rated once its question is answered")
        self.rating_level, self.rating_comment, self.rated_at = rating.level, rating.comment, now
        self.rating_indicators = json.dumps(dict(rating.indicators), sort_keys=True)
        self.rating_reasons = ",".join(rating.reasons)
        self._step("rated", now)
        return rating

    @property
    def indicators(self) -> dict[str, int]:
        return json.loads(self.rating_indicators or "{}")

    # --- who reads it ---

    def is_asker(self, caller: Caller) -> bool:
        if caller.is_household():
            return caller.household_id == self.household_id
        # The agent who asked for the household.
        return caller.kind == CallerKind.STAFF and caller.subject == self.asker

    def is_advisor(self, caller: Caller) -> bool:
        return (
            caller.kind == CallerKind.STAFF and Role.LEGAL_ADVISOR in caller.roles and caller.username == self.advisor
        )

    def visible_to(self, caller: Caller) -> bool:
        office = (
            caller.kind == CallerKind.STAFF
            and Role.JUDICIAL_OFFICER in caller.roles
            and caller.area_code[:6] == self.district_code
        )
        return office or self.is_asker(caller) or self.is_advisor(caller)

    def _step(self, step: str, now: dt.datetime) -> None:
        self.record(
            ConsultationStep(self.id, self.district_code, self.village_code, self.household_id, self.advisor, step, now)
        )
