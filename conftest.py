"""Fixtures shared by every test: the real local infrastructure (started by
`make test` through infra/local/infra.sh), fresh databases on SQLite and
PostgreSQL, and fresh Kafka topics."""

from __future__ import annotations

import os
import pathlib
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

ROOT = pathlib.Path(__file__).resolve().parent
# Token minting, a service's gRPC server under test, callers (services/runtime/testing.py).
pytest_plugins = ["runtime.testing"]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return _env("REDIS_URL", "redis://127.0.0.1:16379/0")


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    return _env("PG_ADMIN_URL", "postgresql+psycopg://sbc:sbc@127.0.0.1:15432/sbc")


@pytest.fixture
def new_pg_database(pg_admin_url):
    """Make fresh PostgreSQL databases; dropped after the test."""
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    made = []

    def make() -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return pg_admin_url.rsplit("/", 1)[0] + "/" + name

    yield make
    for name in made:
        _drop_database(admin, name)
    admin.dispose()


def _drop_database(admin, name: str, tries: int = 40) -> None:
    # FORCE ends the test's own connections, but not an autovacuum worker on the new database
    # (a superuser's backend: InsufficientPrivilege for our role); it is gone a moment later.
    import psycopg
    from sqlalchemy.exc import ProgrammingError

    for attempt in range(tries):
        try:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as exc:
            if not isinstance(exc.orig, psycopg.errors.InsufficientPrivilege) or attempt == tries - 1:
                raise
            time.sleep(0.25)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, new_pg_database) -> str:
    """Each store test runs on both: the embedded default and production's database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return new_pg_database()


@pytest.fixture
def new_topic(kafka_bootstrap):
    """Create fresh Kafka topics with explicit partitions (auto-creation is off)."""
    from kafka.admin import NewTopic

    from runtime import kafka_clients

    admin = kafka_clients.admin(kafka_bootstrap)
    made = []

    def make(partitions: int = 3, name: str = "") -> str:
        name = name or f"test.{uuid.uuid4().hex[:10]}"
        admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
        made.append(name)
        return name

    yield make
    try:
        admin.delete_topics(made)
    finally:
        admin.close()


@pytest.fixture(scope="session", autouse=True)
def telemetry_spans():
    """Real tracer provider in the test process, with an in-memory exporter."""
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from runtime import telemetry

    telemetry.setup_telemetry("tests")
    exporter = InMemorySpanExporter()
    telemetry.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium (Debian's), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# `make test` runs the suite on two workers (pytest-xdist). Each module goes whole to one worker,
# so its module-scoped fixtures are set up once. Every e2e module goes to the same worker, first,
# so they share one platform and keep their order (e2e/conftest.py); that worker runs nothing
# else, and the other takes the unit modules meanwhile. (A scheduler of our own: xdist's
# `loadgroup` marks do not reach this pytest's node ids.)
E2E = ROOT / "e2e"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: E2E not in item.path.parents)  # stable: the order within each stays


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ModulesWithE2ETogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "e2e" if nodeid.startswith("e2e/") else nodeid.split("::", 1)[0]

        def _reschedule(self, node) -> None:
            # The e2e worker takes nothing after them: the browser fixture (Playwright's sync API)
            # keeps an event loop running in its thread, where asyncio tests could not run theirs.
            if "e2e" in self.assigned_work.get(node, {}) and self.workqueue:
                return
            super()._reschedule(node)

    return ModulesWithE2ETogether(config, log)


# Benchmarks run by the suite (e2e/test_*_benchmark.py) hand their figures to the end of the report
# (e2e/reports.py). Under xdist a worker's stash is not the controller's, so each figure travels
# with its test's report and is printed by whichever process writes the summary.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    from e2e.reports import BENCH_REPORTS

    outcome = yield
    figures = item.config.stash.get(BENCH_REPORTS, [])
    if figures:
        outcome.get_result().user_properties.extend(("benchmark", f) for f in figures)
        figures.clear()


_SUMMARY: list[str] = []


def pytest_runtest_logreport(report):
    _SUMMARY.extend(value for name, value in report.user_properties if name == "benchmark")


def pytest_terminal_summary(terminalreporter, config):
    for figure in _SUMMARY:
        terminalreporter.write_sep("-", "benchmark")
        terminalreporter.write_line(figure)
