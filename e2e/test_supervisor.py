"""The local supervisor (make up, the e2e platforms, the benchmarks): which database each process gets."""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "infra" / "local"))

import supervisor  # noqa: E402


def test_a_service_can_be_given_a_database_of_its_own_and_the_others_keep_sqlite():
    url = "postgresql+psycopg://sbc:sbc@127.0.0.1:5432/alerts"
    specs = supervisor.with_databases(supervisor.platform_processes(50050, 8080), {"ALERTS_DATABASE_URL": url})
    given = {name for name, spec in specs.items() if spec["env"].get("DATABASE_URL") == url}
    assert given == {"alerts", "alerts-relay", "alerts-loudspeakers", "alerts-iot", "alerts-terminals"}
    assert not any("DATABASE_URL" in spec["env"] for name, spec in specs.items() if name not in given)
    plain = supervisor.with_databases(supervisor.platform_processes(50050, 8080), {})
    assert not any("DATABASE_URL" in spec["env"] for spec in plain.values())
