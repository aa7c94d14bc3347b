"""Opinions's tables, and the repositories and unit of work that keep its aggregates in them.
The domain's classes are mapped to the tables here (imperative mapping), so the domain stays
plain Python. Questions and answers are JSON (a questionnaire is read and written whole)."""

from __future__ import annotations

import json
import pathlib

from sqlalchemy import JSON, BigInteger, Column, Integer, MetaData, String, Table, UniqueConstraint, delete, or_, select
from sqlalchemy.orm import Session, registry

from opinions import domain, events
from runtime import consumer, outbox, paging, uow
from runtime.db import UtcDateTime

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"


def load_audiences(path: pathlib.Path = DATA_DIR / "audiences.json") -> domain.Audiences:
    data = json.loads(path.read_text(encoding="utf-8"))["audiences"]
    return domain.Audiences({name: tuple(a["village_codes"]) for name, a in data.items()})


# The service's tables (its migrations are made from them: python -m runtime.revision opinions "...").
metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

questionnaires = Table(
    "questionnaires",
    metadata,
    # The order of writing, and the page token.
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("area_code", String(12), nullable=False, index=True),
    Column("title", String(domain.MAX_TITLE), nullable=False),
    Column("purpose", String(domain.MAX_PURPOSE), nullable=False),
    Column("organizer", String(domain.MAX_ORGANIZER), nullable=False),
    Column("opens_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("target_areas", JSON, nullable=False),
    Column("audience", String(32), nullable=False),
    Column("questions", JSON, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
)

responses = Table(
    "responses",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("questionnaire_id", String(36), nullable=False),
    Column("household_id", String(36), nullable=False),
    Column("area_code", String(12), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    # One response per household: a second one, even racing the first, is refused here.
    UniqueConstraint("questionnaire_id", "household_id", name="uq_responses_household"),
)

# The set-top boxes identity registered, with their household and its area (identity's devices
# topic, kept forever): the households a questionnaire asks, to tell them and to count them.
household_boxes = Table(
    "household_boxes",
    metadata,
    Column("device_id", String(64), primary_key=True),
    Column("household_id", String(36), nullable=False, index=True),
    Column("area_code", String(12), nullable=False, index=True),
)

mapper = registry()
mapper.map_imperatively(domain.Questionnaire, questionnaires)
mapper.map_imperatively(domain.Response, responses)


class Questionnaires(uow.Repository[domain.Questionnaire]):
    def get(self, questionnaire_id: str) -> domain.Questionnaire | None:
        q = select(domain.Questionnaire).where(questionnaires.c.id == questionnaire_id)
        return self._seen(self.session.scalar(q))

    def get_for_update(self, questionnaire_id: str) -> domain.Questionnaire | None:
        q = select(domain.Questionnaire).where(questionnaires.c.id == questionnaire_id).with_for_update()
        return self._seen(self.session.scalar(q))

    def page_in_area(self, area_code: str, page_token: int | None, size: int):
        """A page of the questionnaires run in the area or below it, newest first."""
        q = select(domain.Questionnaire).where(questionnaires.c.area_code.startswith(area_code, autoescape=True))
        if page_token is not None:
            q = q.where(questionnaires.c.seq < page_token)
        found = self._all_seen(list(self.session.scalars(q.order_by(questionnaires.c.seq.desc()).limit(size + 1))))
        return paging.cut(found, size, lambda x: x.seq)

    def published(self, page_token: int | None, size: int) -> list[domain.Questionnaire]:
        """Published questionnaires, newest first, from a page token (the caller filters by area)."""
        q = select(domain.Questionnaire).where(questionnaires.c.state == domain.State.PUBLISHED)
        if page_token is not None:
            q = q.where(questionnaires.c.seq < page_token)
        return self._all_seen(list(self.session.scalars(q.order_by(questionnaires.c.seq.desc()).limit(size))))


class Responses(uow.Repository[domain.Response]):
    def answered(self, household_id: str, questionnaire_ids: list[str]) -> set[str]:
        if not questionnaire_ids:
            return set()
        q = select(responses.c.questionnaire_id).where(
            responses.c.household_id == household_id, responses.c.questionnaire_id.in_(questionnaire_ids)
        )
        return set(self.session.scalars(q))

    def of_questionnaire(self, questionnaire_id: str) -> list[tuple[str, list[dict]]]:
        """(area code, answers) of every response: what results are counted from, no household."""
        q = select(responses.c.area_code, responses.c.answers).where(responses.c.questionnaire_id == questionnaire_id)
        return [(row.area_code, row.answers) for row in self.session.execute(q)]

    def text_page(self, questionnaire_id: str, question_id: str, page_token: int | None, size: int):
        """A page of one question's text answers, newest first: [(seq, text, town)], next token."""
        q = select(responses.c.seq, responses.c.area_code, responses.c.answers).where(
            responses.c.questionnaire_id == questionnaire_id
        )
        if page_token is not None:
            q = q.where(responses.c.seq < page_token)
        found: list[tuple[int, str, str]] = []
        # Read in batches: not every response answered the (optional) question.
        for row in self.session.execute(q.order_by(responses.c.seq.desc()).execution_options(yield_per=200)):
            text = next((a.get("text", "") for a in row.answers if a.get("question_id") == question_id), "")
            if text:
                found.append((row.seq, text, row.area_code[:9]))
                if len(found) > size:
                    break
        return paging.cut(found, size, lambda x: x[0])


class Households:
    """The households known by their boxes: {household id: area code}."""

    def __init__(self, session: Session):
        self.session = session

    def box_registered(self, device_id: str, household_id: str, area_code: str) -> None:
        self.session.execute(delete(household_boxes).where(household_boxes.c.device_id == device_id))
        self.session.execute(
            household_boxes.insert().values(device_id=device_id, household_id=household_id, area_code=area_code)
        )

    def box_removed(self, device_id: str) -> None:
        self.session.execute(delete(household_boxes).where(household_boxes.c.device_id == device_id))

    def within(self, area_prefixes: list[str]) -> dict[str, str]:
        if not area_prefixes:
            return {}
        q = (
            select(household_boxes.c.household_id, household_boxes.c.area_code)
            .where(or_(*[household_boxes.c.area_code.startswith(a, autoescape=True) for a in area_prefixes]))
            .distinct()
        )
        return {row.household_id: row.area_code for row in self.session.execute(q)}


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.questionnaires = Questionnaires(session)
        self.responses = Responses(session)
        self.households = Households(session)

    def publish(self, session: Session, event) -> None:
        events.publish(session, event)
