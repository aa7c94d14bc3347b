"""群众意见征集: questionnaires that staff write for their area and households answer once, on the TV
or the phone. No I/O: the store loads and keeps the aggregates, the handlers call them, the
servicer maps them to protobuf. A rule broken is a domain error (runtime.errors).

A questionnaire is a draft (edited whole), then published (answerable between its opening and
closing times, by the households its areas and audience take in), then closed. A response is one
per household; results never name a household."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, check_text, require
from runtime.uow import Aggregate

MAX_TITLE = 100
MAX_PURPOSE = 500
MAX_ORGANIZER = 100
MAX_QUESTIONS = 30
MAX_QUESTION_TEXT = 200
MAX_CHOICES = 10
MAX_CHOICE = 50
MAX_SCALE_LABEL = 10
MAX_TARGET_AREAS = 50
# A short text answer's bound when the question names none, and the most it may name.
DEFAULT_TEXT_LENGTH = 200
MAX_TEXT_LENGTH = 500
SCALE = (1, 2, 3, 4, 5)
# Text answers a staff page reads at once.
MAX_TEXT_PAGE = 50
# Households named in one invitation event (a questionnaire for a whole district has many).
INVITED_PER_EVENT = 500


class Role:
    # Writes, publishes and closes questionnaires in its area, and reads their results.
    OPINION_EDITOR = "opinion_editor"


class State:
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Kind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    TEXT = "text"
    ALL = (SINGLE, MULTIPLE, SCALE, TEXT)


class Audiences:
    """Who among an area's households a questionnaire asks, decided from the household's registered
    area code alone (the one fact the platform holds of every household): `all`, or the households
    whose village part (the last 3 digits) falls in a range of the district's data, e.g.
    neighbourhood committees 001-199, village committees 200-399."""

    ALL = "all"

    def __init__(self, ranges: Mapping[str, tuple[int, int]]):
        self.ranges = dict(ranges)

    @property
    def names(self) -> list[str]:
        return [self.ALL, *self.ranges]

    def check(self, audience: str) -> None:
        if audience not in self.names:
            raise InvalidArgument(
                f"audience is one of {', '.join(self.names)}", {"audience": "not an audience the platform knows"}
            )

    def takes_in(self, audience: str, area_code: str) -> bool:
        if audience == self.ALL:
            return True
        low, high = self.ranges.get(audience, (1, 0))
        village = area_code[-3:]
        return len(area_code) == 12 and village.isdigit() and low <= int(village) <= high


# --- what happened (recorded by the aggregates, published by the unit of work) ---


@dataclass(frozen=True)
class QuestionnairePublished:
    questionnaire_id: str
    area_code: str
    title: str
    organizer: str
    target_areas: tuple[str, ...]
    audience: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    at: dt.datetime


@dataclass(frozen=True)
class HouseholdsInvited:
    """Some of the households a published questionnaire asks (those with a registered box), for
    their terminals to be told."""

    questionnaire_id: str
    title: str
    organizer: str
    closes_at: dt.datetime
    household_ids: tuple[str, ...]
    at: dt.datetime


@dataclass(frozen=True)
class QuestionnaireClosed:
    questionnaire_id: str
    area_code: str
    at: dt.datetime


@dataclass(frozen=True)
class ResponseSubmitted:
    response_id: str
    questionnaire_id: str
    # The household's registered area (village), never the household.
    area_code: str
    # Only the choice and scale answers, each with its question's kind: text stays in the service.
    answers: tuple[tuple[str, Answer], ...]
    at: dt.datetime


# --- questions and answers ---


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    required: bool = False
    choices: tuple[str, ...] = ()
    min_picks: int = 0
    max_picks: int = 0
    scale_low: str = ""
    scale_high: str = ""
    max_length: int = 0

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "required": self.required,
            "choices": list(self.choices),
            "min_picks": self.min_picks,
            "max_picks": self.max_picks,
            "scale_low": self.scale_low,
            "scale_high": self.scale_high,
            "max_length": self.max_length,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> Question:
        return cls(**{**d, "choices": tuple(d.get("choices", ()))})


@dataclass(frozen=True)
class Answer:
    question_id: str
    choices: tuple[int, ...] = ()
    scale: int = 0
    text: str = ""

    def as_dict(self) -> dict:
        return {"question_id": self.question_id, "choices": list(self.choices), "scale": self.scale, "text": self.text}

    @classmethod
    def from_dict(cls, d: Mapping) -> Answer:
        return cls(d["question_id"], tuple(d.get("choices", ())), d.get("scale", 0), d.get("text", ""))

    @property
    def empty(self) -> bool:
        return not self.choices and not self.scale and not self.text.strip()


def make_questions(drafts: Sequence[Question]) -> list[Question]:
    """The questions of a draft, checked, with their ids (q1, q2, ... in order) and bounds filled in."""
    if len(drafts) > MAX_QUESTIONS:
        raise InvalidArgument(f"at most {MAX_QUESTIONS} questions", {"questions": f"at most {MAX_QUESTIONS}"})
    made, errors = [], {}
    for n, q in enumerate(drafts, start=1):
        at = f"questions[{n - 1}]"
        bad = question_errors(q, at)
        if bad:
            errors.update(bad)
            continue
        picks = (q.min_picks, q.max_picks or len(q.choices)) if q.kind == Kind.MULTIPLE else (0, 0)
        made.append(
            Question(
                id=f"q{n}",
                kind=q.kind,
                text=q.text,
                required=q.required,
                choices=tuple(q.choices) if q.kind in (Kind.SINGLE, Kind.MULTIPLE) else (),
                min_picks=picks[0],
                max_picks=picks[1],
                scale_low=q.scale_low if q.kind == Kind.SCALE else "",
                scale_high=q.scale_high if q.kind == Kind.SCALE else "",
                max_length=(q.max_length or DEFAULT_TEXT_LENGTH) if q.kind == Kind.TEXT else 0,
            )
        )
    if errors:
        raise InvalidArgument("invalid questions: " + ", ".join(errors), errors)
    return made


def question_errors(q: Question, at: str) -> dict[str, str]:
    if q.kind not in Kind.ALL:
        return {f"{at}.kind": f"one of {', '.join(Kind.ALL)}"}
    if not q.text.strip():
        return {f"{at}.text": "is required"}
    limits = {f"{at}.text": (q.text, MAX_QUESTION_TEXT)}
    if q.kind in (Kind.SINGLE, Kind.MULTIPLE):
        if not 2 <= len(q.choices) <= MAX_CHOICES:
            return {f"{at}.choices": f"2..{MAX_CHOICES} choices"}
        if len(set(q.choices)) != len(q.choices) or any(not c.strip() for c in q.choices):
            return {f"{at}.choices": "each choice is named, and once"}
        limits |= {f"{at}.choices[{i}]": (c, MAX_CHOICE) for i, c in enumerate(q.choices)}
    if q.kind == Kind.MULTIPLE:
        top = q.max_picks or len(q.choices)
        if not (0 <= q.min_picks <= top <= len(q.choices)):
            return {f"{at}.max_picks": "0 <= min_picks <= max_picks <= the number of choices"}
    if q.kind == Kind.SCALE:
        if not q.scale_low.strip() or not q.scale_high.strip():
            return {f"{at}.scale_low": "both ends of the scale are named (e.g. 很不满意 … 很满意)"}
        limits |= {
            f"{at}.scale_low": (q.scale_low, MAX_SCALE_LABEL),
            f"{at}.scale_high": (q.scale_high, MAX_SCALE_LABEL),
        }
    if q.kind == Kind.TEXT and not 0 <= q.max_length <= MAX_TEXT_LENGTH:
        return {f"{at}.max_length": f"1..{MAX_TEXT_LENGTH} characters (0: {DEFAULT_TEXT_LENGTH})"}
    try:
        check_text(limits, shown=set(limits))
    except InvalidArgument as exc:
        return exc.field_errors
    return {}


def check_answers(questions: Sequence[Question], answers: Sequence[Answer]) -> tuple[Answer, ...]:
    """The answers, checked against the questions (in the questions' order, unanswered ones left
    out): every required question answered, choices that exist, pick counts, 1-5, text length."""
    by_id: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    known = {q.id for q in questions}
    for a in answers:
        if a.question_id not in known:
            errors[f"answers.{a.question_id or '?'}"] = "no such question"
        elif a.question_id in by_id:
            errors[f"answers.{a.question_id}"] = "answered twice"
        else:
            by_id[a.question_id] = a
    kept = []
    for q in questions:
        given = by_id.get(q.id)
        if given is None or given.empty:
            if q.required:
                errors[f"answers.{q.id}"] = "is required"
            continue
        wrong = answer_error(q, given)
        if wrong:
            errors[f"answers.{q.id}"] = wrong
        else:
            kept.append(Answer(q.id, text=given.text.strip()) if q.kind == Kind.TEXT else given)
    if errors:
        raise InvalidArgument("invalid answers: " + ", ".join(errors), errors)
    return tuple(kept)


def answer_error(q: Question, a: Answer) -> str:
    if q.kind == Kind.TEXT:
        if a.choices or a.scale:
            return "a text question takes text"
        if len(a.text.strip()) > q.max_length:
            return f"at most {q.max_length} characters"
        try:
            check_text({"text": (a.text, q.max_length)}, multiline={"text"})
        except InvalidArgument:
            return "must not contain control characters"
        return ""
    if q.kind == Kind.SCALE:
        if a.choices or a.text:
            return "a scale question takes a number"
        return "" if a.scale in SCALE else "a scale answer is 1..5"
    if a.scale or a.text:
        return "a choice question takes choices"
    if len(set(a.choices)) != len(a.choices) or any(not 0 <= c < len(q.choices) for c in a.choices):
        return "choices that the question has, each once"
    if q.kind == Kind.SINGLE:
        return "" if len(a.choices) == 1 else "exactly one choice"
    if not q.min_picks <= len(a.choices) <= q.max_picks:
        return f"{q.min_picks}..{q.max_picks} choices"
    return ""


# --- the questionnaire ---


@dataclass(frozen=True)
class Draft:
    """What staff write: everything of a questionnaire but its state."""

    title: str
    purpose: str
    organizer: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    target_areas: tuple[str, ...]
    audience: str
    questions: tuple[Question, ...] = field(default=())


def area_of_staff(caller: Caller) -> str:
    caller.require_role(Role.OPINION_EDITOR)
    if not caller.area_code:
        raise PermissionDenied("a staff member without an area runs no questionnaire")
    return caller.area_code


def check_draft(draft: Draft, staff_area: str, audiences: Audiences) -> list[Question]:
    require(
        {"title": draft.title, "organizer": draft.organizer, "opens_at": draft.opens_at, "closes_at": draft.closes_at}
    )
    check_text(
        {
            "title": (draft.title, MAX_TITLE),
            "purpose": (draft.purpose, MAX_PURPOSE),
            "organizer": (draft.organizer, MAX_ORGANIZER),
        },
        multiline={"purpose"},
        shown={"title", "organizer"},
    )
    assert draft.opens_at is not None and draft.closes_at is not None
    if draft.closes_at <= draft.opens_at:
        raise InvalidArgument("it closes after it opens", {"closes_at": "after opens_at"})
    if not draft.target_areas or len(draft.target_areas) > MAX_TARGET_AREAS:
        raise InvalidArgument("1..50 target areas", {"target_areas": f"1..{MAX_TARGET_AREAS} area codes"})
    for code in draft.target_areas:
        if not (code.isdigit() and len(code) in (6, 9, 12)):
            raise InvalidArgument("an area is a district, town or village code", {"target_areas": f"{code!r}"})
        if not code.startswith(staff_area):
            raise PermissionDenied(f"area {code} is outside your area {staff_area}")
    audiences.check(draft.audience)
    return make_questions(draft.questions)


class Questionnaire(Aggregate):
    def __init__(
        self,
        id: str,
        area_code: str,
        title: str,
        purpose: str,
        organizer: str,
        opens_at: dt.datetime,
        closes_at: dt.datetime,
        target_areas: list[str],
        audience: str,
        questions: list[dict],
        state: str,
        created_by: str,
        created_at: dt.datetime,
        published_at: dt.datetime | None = None,
        closed_at: dt.datetime | None = None,
    ):
        self.id = id
        # The area of the staff who run it: they, and staff above them, see it.
        self.area_code = area_code
        self.title = title
        self.purpose = purpose
        self.organizer = organizer
        self.opens_at = opens_at
        self.closes_at = closes_at
        self.target_areas = target_areas
        self.audience = audience
        self.questions = questions
        self.state = state
        self.created_by = created_by
        self.created_at = created_at
        self.published_at = published_at
        self.closed_at = closed_at

    @classmethod
    def write(cls, caller: Caller, draft: Draft, audiences: Audiences, now: dt.datetime) -> Questionnaire:
        area = area_of_staff(caller)
        questions = check_draft(draft, area, audiences)
        assert draft.opens_at is not None and draft.closes_at is not None
        return cls(
            str(uuid.uuid4()),
            area,
            draft.title,
            draft.purpose,
            draft.organizer,
            draft.opens_at,
            draft.closes_at,
            list(draft.target_areas),
            draft.audience,
            [q.as_dict() for q in questions],
            State.DRAFT,
            caller.username or caller.subject,
            now,
        )

    def question_list(self) -> list[Question]:
        return [Question.from_dict(d) for d in self.questions]

    def run_by(self, caller: Caller) -> bool:
        """Staff of its area, or of an area above it, run it."""
        return (
            Role.OPINION_EDITOR in caller.roles
            and bool(caller.area_code)
            and self.area_code.startswith(caller.area_code)
        )

    def aims_at(self, household_area: str, audiences: Audiences) -> bool:
        """Whether its areas and audience take in a household of that area."""
        return any(household_area.startswith(a) for a in self.target_areas) and audiences.takes_in(
            self.audience, household_area
        )

    def asks(self, household_area: str, audiences: Audiences) -> bool:
        """Whether it asks a household of that area (published or closed: not a draft)."""
        return self.state != State.DRAFT and self.aims_at(household_area, audiences)

    def targeted(self, households: Mapping[str, str], audiences: Audiences) -> list[str]:
        """Of the households known {id: area}, those it asks, in order."""
        return sorted(h for h, area in households.items() if self.aims_at(area, audiences))

    def is_open(self, now: dt.datetime) -> bool:
        return self.state == State.PUBLISHED and self.opens_at <= now < self.closes_at

    def edit(self, caller: Caller, draft: Draft, audiences: Audiences) -> None:
        if self.state != State.DRAFT:
            raise FailedPrecondition("only a draft is edited; this questionnaire is " + self.state)
        questions = check_draft(draft, area_of_staff(caller), audiences)
        assert draft.opens_at is not None and draft.closes_at is not None
        self.title, self.purpose, self.organizer = draft.title, draft.purpose, draft.organizer
        self.opens_at, self.closes_at = draft.opens_at, draft.closes_at
        self.target_areas, self.audience = list(draft.target_areas), draft.audience
        self.questions = [q.as_dict() for q in questions]

    def publish(self, now: dt.datetime, invited: Sequence[str] = ()) -> None:
        """Published: announced, and `invited` (the targeted households known) told, a batch an event."""
        if self.state != State.DRAFT:
            raise FailedPrecondition("only a draft is published; this questionnaire is " + self.state)
        if not self.questions:
            raise FailedPrecondition("a questionnaire without questions is not published", {"questions": "none"})
        if self.closes_at <= now:
            raise FailedPrecondition("its closing time has passed", {"closes_at": "in the past"})
        self.state, self.published_at = State.PUBLISHED, now
        self.record(
            QuestionnairePublished(
                self.id,
                self.area_code,
                self.title,
                self.organizer,
                tuple(self.target_areas),
                self.audience,
                self.opens_at,
                self.closes_at,
                now,
            )
        )
        for at in range(0, len(invited), INVITED_PER_EVENT):
            batch = tuple(invited[at : at + INVITED_PER_EVENT])
            self.record(HouseholdsInvited(self.id, self.title, self.organizer, self.closes_at, batch, now))

    def close(self, now: dt.datetime) -> None:
        if self.state != State.PUBLISHED:
            raise FailedPrecondition("only a published questionnaire is closed; this one is " + self.state)
        self.state, self.closed_at = State.CLOSED, now
        self.record(QuestionnaireClosed(self.id, self.area_code, now))

    def answer(self, caller: Caller, answers: Sequence[Answer], audiences: Audiences, now: dt.datetime) -> Response:
        """A household's response (the store refuses a second one of the same household)."""
        household_id = caller.require_household()
        if not self.asks(caller.area_code, audiences):
            raise NotFound(f"no questionnaire {self.id!r} for your household", {"id": "not found"})
        if self.state == State.CLOSED or now >= self.closes_at:
            raise FailedPrecondition("this questionnaire is closed", {"questionnaire_id": "closed"})
        if now < self.opens_at:
            raise FailedPrecondition("this questionnaire is not open yet", {"questionnaire_id": "not open yet"})
        kept = check_answers(self.question_list(), answers)
        response = Response(
            str(uuid.uuid4()), self.id, household_id, caller.area_code, [a.as_dict() for a in kept], now
        )
        kinds = {q.id: q.kind for q in self.question_list()}
        counted = tuple((kinds[a.question_id], a) for a in kept if kinds[a.question_id] != Kind.TEXT)
        response.record(ResponseSubmitted(response.id, self.id, caller.area_code, counted, now))
        return response


class Response(Aggregate):
    def __init__(
        self,
        id: str,
        questionnaire_id: str,
        household_id: str,
        area_code: str,
        answers: list[dict],
        submitted_at: dt.datetime,
    ):
        self.id = id
        self.questionnaire_id = questionnaire_id
        # Kept only to refuse a second response; results never show it.
        self.household_id = household_id
        self.area_code = area_code
        self.answers = answers
        self.submitted_at = submitted_at


class AlreadyAnswered(FailedPrecondition):
    def __init__(self) -> None:
        super().__init__(
            "your household has answered this questionnaire already", {"questionnaire_id": "answered already"}
        )


# --- results ---


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    choice_counts: list[int] = field(default_factory=list)
    scale_counts: list[int] = field(default_factory=lambda: [0] * len(SCALE))
    text_answers: int = 0

    @property
    def scale_mean(self) -> float:
        n = sum(self.scale_counts)
        return round(sum(v * c for v, c in zip(SCALE, self.scale_counts, strict=True)) / n, 2) if n else 0.0


@dataclass
class TownResult:
    town_code: str
    responses: int = 0


@dataclass
class Results:
    responses: int
    questions: list[QuestionResult]
    towns: list[TownResult]
    # The households it asks that the platform knows (those with a registered box).
    targeted: int = 0


def tally(questions: Sequence[Question], responses: Iterable[tuple[str, Sequence[Mapping]]]) -> Results:
    """Counts per choice, the scale's distribution and mean, text answers counted, responses per
    town (the first 9 digits of the household's area). `responses`: (area code, answers) each."""
    results = [QuestionResult(q, choice_counts=[0] * len(q.choices)) for q in questions]
    by_id = {r.question.id: r for r in results}
    towns: dict[str, TownResult] = {}
    total = 0
    for area_code, answers in responses:
        total += 1
        town = towns.setdefault(area_code[:9], TownResult(area_code[:9]))
        town.responses += 1
        for d in answers:
            r = by_id.get(d["question_id"])
            if r is None:
                continue
            a = Answer.from_dict(d)
            r.answered += 1
            for c in a.choices:
                if 0 <= c < len(r.choice_counts):
                    r.choice_counts[c] += 1
            if a.scale in SCALE:
                r.scale_counts[a.scale - 1] += 1
            if a.text:
                r.text_answers += 1
    return Results(total, results, sorted(towns.values(), key=lambda t: t.town_code))
