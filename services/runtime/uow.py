"""Aggregates, repositories and the unit of work ("Architecture Patterns with Python", ch. 2, 6, 8).

A domain aggregate records the events of what happened to it (`record`); it does no I/O.
A repository loads and adds a service's aggregates over the unit of work's session, and
remembers every aggregate it handed out. The unit of work is one database transaction: on
`commit()` it hands each recorded event to the service's publisher, which writes it to the
outbox in the same transaction (runtime.outbox), then commits. Leaving the block without
committing rolls everything back, events included (what it read stays readable).

    with store.UnitOfWork(db) as uow:          # a service's subclass adds its repositories
        request = uow.requests.get(request_id)
        request.accept(caller, now)            # the rule, and the event it records
        uow.commit()

A consumer's handler works inside the consumer's transaction (the event id is recorded with its
effect): `store.UnitOfWork.joining(session)` commits by flushing into it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, Self, TypeVar

from sqlalchemy.orm import Session

from runtime.db import Database


class Aggregate:
    """A consistency boundary of the domain. Its methods enforce the rules and record events."""

    def record(self, event: object) -> None:
        # Kept off __init__: the ORM builds loaded aggregates without calling it.
        self.__dict__.setdefault("_events", []).append(event)

    def pull_events(self) -> list[object]:
        """The events recorded since the last pull (the unit of work publishes them)."""
        return self.__dict__.pop("_events", [])


A = TypeVar("A", bound=Aggregate)


class Repository(Generic[A]):
    """Loads and adds aggregates of one kind; remembers each one it handed out."""

    def __init__(self, session: Session):
        self.session = session
        self.seen: list[Aggregate] = []

    def _seen(self, aggregate: A | None) -> A | None:
        if aggregate is not None and not any(a is aggregate for a in self.seen):
            self.seen.append(aggregate)
        return aggregate

    def _all_seen(self, aggregates: list[A]) -> list[A]:
        for a in aggregates:
            self._seen(a)
        return aggregates

    def add(self, aggregate: A) -> A:
        self.session.add(aggregate)
        self._seen(aggregate)
        return aggregate


Publisher = Callable[[Session, Any], None]


class UnitOfWork:
    """One transaction over a service's database, with its repositories.

    A service subclasses it: `repositories(session)` sets its repositories as attributes, and
    `publish(session, event)` writes a recorded domain event to the outbox."""

    def __init__(self, db: Database | None = None, *, session: Session | None = None):
        self._db = db
        self._outer = session
        self.session: Session
        self._committed = False
        self._writer: Any = None

    @classmethod
    def joining(cls, session: Session) -> Self:
        """A unit of work inside a transaction someone else commits (a consumer's)."""
        return cls(session=session)

    def repositories(self, session: Session) -> None:
        """Set the service's repositories on self."""

    def publish(self, session: Session, event: Any) -> None:
        """Write one recorded domain event to the outbox (the service's events module knows how)."""
        raise NotImplementedError(f"{type(self).__name__} records events but publishes none: define publish()")

    def __enter__(self) -> Self:
        if self._outer is not None:
            self.session = self._outer
        else:
            assert self._db is not None, "a unit of work needs a database or a session to join"
            # Taken before BEGIN, released after close: the process's threads queue here (Database).
            self._writer = self._db.writer()
            self._writer.__enter__()
            try:
                self.session = self._db.sessions()
                self.session.begin()
            except BaseException:
                self._release()
                raise
        self._committed = False
        self.repositories(self.session)
        return self

    def __exit__(self, *exc) -> None:
        if self._outer is not None:
            return  # the outer transaction commits or rolls back
        # Not committed: closing rolls the transaction back. (An explicit rollback would also expire
        # the aggregates read in it, which a read-only call still returns.)
        try:
            self.session.close()
        finally:
            self._release()

    def _release(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.__exit__(None, None, None)

    def _repositories(self) -> Iterator[Repository]:
        return (v for v in vars(self).values() if isinstance(v, Repository))

    def flush_events(self) -> None:
        """Write the events recorded so far to the outbox (commit does it too)."""
        for repo in self._repositories():
            for aggregate in repo.seen:
                for event in aggregate.pull_events():
                    self.publish(self.session, event)

    def commit(self) -> None:
        self.flush_events()
        if self._outer is not None:
            self.session.flush()
        else:
            self.session.commit()
        self._committed = True
