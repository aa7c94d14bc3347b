"""Legal-knowledge quizzes: question banks by topic and papers of 5 of their questions (the
district's data, checked when it loads); a citizen answers a paper once a day and gets the score
and the right answers only after submitting."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from runtime.auth import Caller
from runtime.errors import InvalidArgument, NotFound
from runtime.uow import Aggregate


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: Mapping[str, str]
    answer: str


@dataclass(frozen=True)
class Paper:
    id: str
    topic: str
    title: str
    questions: tuple[Question, ...]


class Quizzes:
    def __init__(self, q: Mapping, topics: Mapping[str, str]):
        self.per_paper = int(q["questions_per_paper"])
        self.points = int(q["points_per_question"])
        banks = {
            topic: {x["id"]: Question(x["id"], x["text"], dict(x["options"]), x["answer"]) for x in bank}
            for topic, bank in q["banks"].items()
        }
        for topic, bank in banks.items():
            if topic not in topics:
                raise ValueError(f"quizzes: a bank of an unknown topic {topic!r}")
            for question in bank.values():
                if question.answer not in question.options or len(question.options) < 2:
                    raise ValueError(f"quizzes: question {question.id} needs options and its answer among them")
        self.papers: dict[str, Paper] = {}
        for p in q["papers"]:
            bank = banks.get(p["topic"], {})
            if len(p["questions"]) != self.per_paper or len(set(p["questions"])) != self.per_paper:
                raise ValueError(f"quizzes: paper {p['id']} has {self.per_paper} different questions")
            missing = [x for x in p["questions"] if x not in bank]
            if missing:
                raise ValueError(f"quizzes: paper {p['id']} names questions not in its topic's bank: {missing}")
            self.papers[p["id"]] = Paper(p["id"], p["topic"], p["title"], tuple(bank[x] for x in p["questions"]))

    def paper(self, paper_id: str) -> Paper:
        paper = self.papers.get(paper_id)
        if paper is None:
            raise NotFound(f"no quiz paper {paper_id!r}", {"paper_id": "not found"})
        return paper


@dataclass(frozen=True)
class QuizSubmitted:
    attempt_id: str
    paper_id: str
    town: str
    score: int
    at: dt.datetime


class Attempt(Aggregate):
    """One person's answers to one paper on one local day (a second one that day is refused)."""

    def __init__(
        self,
        id: str,
        paper_id: str,
        household_id: str,
        town: str,
        day: str,
        answers: str,
        correct: int,
        score: int,
        submitted_at: dt.datetime,
    ):
        self.id, self.paper_id, self.household_id, self.town, self.day = id, paper_id, household_id, town, day
        self.answers, self.correct, self.score, self.submitted_at = answers, correct, score, submitted_at

    @classmethod
    def submit(
        cls, caller: Caller, quizzes: Quizzes, paper: Paper, answers: Mapping[str, str], zone, now: dt.datetime
    ) -> Attempt:
        household = caller.require_household()
        ids = {q.id for q in paper.questions}
        if set(answers) != ids:
            raise InvalidArgument(
                "answer every question of the paper, and only those", {"answers": ", ".join(sorted(ids))}
            )
        wrong = [q.id for q in paper.questions if answers[q.id] not in q.options]
        if wrong:
            raise InvalidArgument("an answer is one of its question's options", {"answers": ", ".join(wrong)})
        correct = sum(1 for q in paper.questions if answers[q.id] == q.answer)
        a = cls(
            str(uuid.uuid4()),
            paper.id,
            household,
            caller.area_code[:9],
            now.astimezone(zone).date().isoformat(),
            json.dumps(dict(answers), sort_keys=True),
            correct,
            correct * quizzes.points,
            now,
        )
        a.record(QuizSubmitted(a.id, paper.id, a.town, a.score, now))
        return a

    @property
    def answer_map(self) -> dict[str, str]:
        return json.loads(self.answers)
