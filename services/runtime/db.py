"""SQLAlchemy 2 engine and sessions, and Alembic migrations per service.

SQLite file per service by default (embedded), PostgreSQL when DATABASE_URL
is set. Each service keeps its migrations in services/<name>/migrations/versions; Alembic's
environment and revision template are the runtime's (services/runtime/alembic), and a service's
tables are its store's `metadata`.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import DateTime, MetaData, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from runtime import telemetry


class UtcDateTime(TypeDecorator):
    """An instant, stored with its zone and always read back as aware UTC (SQLite keeps no zone:
    what it hands back naive was written in UTC). A naive instant is refused on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime cannot be stored: {value!r} (use an aware UTC instant)")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            # pysqlite's own transaction handling off, so that we can BEGIN IMMEDIATE
            # (the SQLAlchemy recipe): two writers then never deadlock on lock upgrade.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # WAL lets the relay process read while the server writes.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    telemetry.instrument_engine(engine)
    return engine


class Database:
    """An engine and its session factory. `with db.transaction() as s:` commits
    on success and rolls back on any exception (the unit of work).

    On SQLite every transaction is a writer (BEGIN IMMEDIATE) and the file has one writer lock.
    Threads that meet it wait in SQLite's busy handler, which sleeps and retries: under 16 database
    threads most of a write was that sleeping. So a process's own transactions queue on
    `writer` (an RLock, held from begin to close) and only another process's meet the busy
    handler. PostgreSQL has row locks and needs none (`writer` is then a no-op)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = threading.RLock() if self.engine.dialect.name == "sqlite" else None

    def writer(self):
        """Held for a whole transaction: the process's SQLite lock (nothing on PostgreSQL)."""
        return self._writer if self._writer is not None else nullcontext()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.writer(), self.sessions.begin() as session:
            yield session

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def dispose(self) -> None:
        self.engine.dispose()


ALEMBIC = pathlib.Path(__file__).resolve().parent / "alembic"


def alembic_config(migrations_dir: pathlib.Path, url: str):
    """Alembic for the service whose migrations are `migrations_dir` (services/<name>/migrations)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(migrations_dir / "versions"))
    cfg.set_main_option("sbc_service", migrations_dir.parent.name)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(migrations_dir: pathlib.Path, url: str) -> None:
    """Bring the database at `url` to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(migrations_dir, url), "head")


def _render_item(type_: str, obj, autogen_context):
    """A migration stores an instant as what it is in the database (the UTC handling is Python's)."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_env(target_metadata: MetaData) -> None:
    """Run the migrations of a service's tables (runtime/alembic/env.py)."""
    from alembic import context
    from sqlalchemy import create_engine as _create

    url = context.config.get_main_option("sqlalchemy.url") or ""
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = _create(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=_render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def wait_for_schema(migrations_dir: pathlib.Path, url: str, timeout: float = 120.0) -> None:
    """Worker processes do not migrate (the server, or a Kubernetes Job, does):
    they wait until the database is at the newest migration."""
    import time

    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(migrations_dir, url)).get_current_head()
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect() as conn:
                    if MigrationContext.configure(conn).get_current_revision() == head:
                        return
            except Exception:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"database not migrated to {head} after {timeout:.0f} s")
            time.sleep(0.5)
    finally:
        engine.dispose()


def insert_missing(session: Session, table: Table, key: list[str], **values: object) -> None:
    """Insert the row unless one with the same `key` exists (the first writer's stands), on either
    database: e.g. a slot's row made at its first booking, before every booking locks it."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=key))
