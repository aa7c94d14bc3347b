"""Evaluation's tables: the assessment read model. `tallies` are its counters (per day, district,
town, service point and measure: small, so a year's report is a few queries); `subjects` hold
what the events said of each request, application, alarm or slot, just enough to attribute a later
event (a rating, an acknowledgement) to the day and area its subject counts in. No copy of the
events, and nothing read from another service's tables."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, Text, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from evaluation import domain
from evaluation.domain.folding import KINDS
from runtime import consumer, uow
from runtime.db import UtcDateTime

metadata = MetaData()
consumer.define_tables(metadata)

tallies = Table(
    "tallies",
    metadata,
    Column("day", Date, primary_key=True),
    Column("district", String(6), primary_key=True),
    Column("town", String(9), primary_key=True),
    Column("point", String(40), primary_key=True),
    Column("measure", String(160), primary_key=True),
    Column("count", BigInteger, nullable=False),
)

subjects = Table(
    "subjects",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("kind", String(24), nullable=False),
    # Where and when a service request counts, and its deadline while it is unresolved (the
    # overdue ones are counted at report time: overdue is a matter of the clock, not of an event).
    Column("district", String(6), nullable=False, default=""),
    Column("town", String(9), nullable=False, default=""),
    Column("point", String(40), nullable=False, default=""),
    Column("day", Date, nullable=True),
    Column("open_deadline", UtcDateTime, nullable=True, index=True),
    Column("state", Text, nullable=False),
)

MAX_ID = 80


class Subjects:
    def __init__(self, session: Session):
        self.session = session

    def get(self, kind: str, subject_id: str) -> domain.Subject | None:
        row = self.session.execute(
            select(subjects.c.state).where(subjects.c.key == f"{kind}:{subject_id[:MAX_ID]}")
        ).first()
        return None if row is None else KINDS[kind].from_json(subject_id, json.loads(row.state))

    def save(self, subject: domain.Subject, before: domain.Contribution, tallies_: Tallies) -> None:
        """Keep the subject as it stands, and add what its contributions changed to the counters."""
        after = subject.contributions()
        tallies_.add(domain.diff(before, after))
        cohort = next(iter(after), None)
        values = {
            "kind": subject.kind,
            "district": cohort.district if cohort else "",
            "town": cohort.town if cohort else "",
            "point": cohort.point if cohort else "",
            "day": cohort.day if cohort else None,
            "open_deadline": subject.open_deadline(),
            "state": json.dumps(subject.to_json(), ensure_ascii=False),
        }
        key = f"{subject.kind}:{subject.key[:MAX_ID]}"
        self.session.execute(_upsert(self.session, "subjects"), [{"key": key, **values}])

    def open_past_deadline(self, district: str, start: dt.date, end: dt.date, now: dt.datetime) -> dict:
        """Service requests filed in [start, end) still unresolved past their deadline, per day and area."""
        s = subjects.c
        q = (
            select(s.day, s.town, s.point, func.count())
            .where(s.kind == "servicedesk", s.district == district, s.day >= start, s.day < end)
            .where(s.open_deadline.is_not(None), s.open_deadline < now)
            .group_by(s.day, s.town, s.point)
        )
        return {
            domain.Tally(day, district, town, point, "sd.overdue"): n for day, town, point, n in self.session.execute(q)
        }


def _statements(dialect) -> dict:
    """The two upserts, built once per dialect (so SQLAlchemy compiles each once, not per event)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    t = insert(tallies)
    s = insert(subjects)
    return {
        "tallies": t.on_conflict_do_update(
            index_elements=[c for c in tallies.primary_key.columns], set_={"count": tallies.c.count + t.excluded.count}
        ),
        "subjects": s.on_conflict_do_update(
            index_elements=[subjects.c.key], set_={c.name: s.excluded[c.name] for c in subjects.c if c.name != "key"}
        ),
    }


_UPSERTS = {d: _statements(d) for d in ("postgresql", "sqlite")}


def _upsert(session: Session, table: str):
    return _UPSERTS[session.get_bind().dialect.name][table]


class Tallies:
    def __init__(self, session: Session):
        self.session = session

    def add(self, changes: dict[domain.Tally, int]) -> None:
        if changes:  # in key order, so two consumers' transactions lock rows in one order
            rows = [
                {
                    "day": t.day,
                    "district": t.district,
                    "town": t.town,
                    "point": t.point,
                    "measure": t.measure,
                    "count": n,
                }
                for t, n in sorted(changes.items())
            ]
            self.session.execute(_upsert(self.session, "tallies"), rows)

    def between(self, district: str, start: dt.date, end: dt.date) -> dict[domain.Tally, int]:
        c = tallies.c
        q = select(c.day, c.town, c.point, c.measure, c.count).where(
            c.district == district, c.day >= start, c.day < end, c.count != 0
        )
        return {domain.Tally(day, district, town, point, m): n for day, town, point, m, n in self.session.execute(q)}


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.subjects = Subjects(session)
        self.tallies = Tallies(session)

    def publish(self, session: Session, event) -> None:
        raise TypeError("evaluation publishes no events")


DATA_DIR = pathlib.Path(__file__).parent / "data"


def load_schemes(data_dir: pathlib.Path = DATA_DIR) -> dict[str, domain.Scheme]:
    """Every district's acceptance scheme: data/<district code>.json (checked as it loads)."""
    out = {}
    for p in sorted(data_dir.glob("[0-9]*.json")):
        scheme = domain.Scheme.from_json(json.loads(p.read_text(encoding="utf-8")))
        out[scheme.district] = scheme
    return out
