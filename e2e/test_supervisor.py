"""The local supervisor (make up, the e2e platforms, the benchmarks): its processes are the
registry's, and which database each process gets."""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "infra" / "local"))

import supervisor  # noqa: E402

from runtime import registry  # noqa: E402


def test_make_up_runs_each_service_as_one_process_and_the_e2e_platform_each_process_alone():
    reg = registry.load()
    together = supervisor.platform_processes(50050, 8080)
    assert set(together) == {*reg.services, "gateway"}
    for s in reg.services.values():
        assert together[s.name]["cmd"][2:] == [s.name, "all"]
        assert together[s.name]["env"]["GRPC_PORT"] == str(s.port)
    split = supervisor.platform_processes(51000, 18080, split=True)
    assert set(split) == {p.component for p in reg.processes()} | {"gateway"}
    health_ports = [int(spec["env"]["HEALTH_PORT"]) for spec in split.values() if "HEALTH_PORT" in spec["env"]]
    assert len(set(health_ports)) == len(health_ports) and min(health_ports) == 51020
    assert split["gateway"]["env"]["IDENTITY_ADDR"] == "127.0.0.1:51001"
    assert split["identity"]["defaults"]["IDENTITY_VERIFICATION_URI"] == "http://127.0.0.1:18080/identity/device"


def test_a_service_can_be_given_a_database_of_its_own_and_the_others_keep_sqlite():
    url = "postgresql+psycopg://sbc:sbc@127.0.0.1:5432/alerts"
    specs = supervisor.with_databases(
        supervisor.platform_processes(50050, 8080, split=True), {"ALERTS_DATABASE_URL": url}
    )
    given = {name for name, spec in specs.items() if spec["env"].get("DATABASE_URL") == url}
    assert given == {p.component for p in registry.load().service("alerts").processes.values()}
    assert not any("DATABASE_URL" in spec["env"] for name, spec in specs.items() if name not in given)
    plain = supervisor.with_databases(supervisor.platform_processes(50050, 8080), {})
    assert not any("DATABASE_URL" in spec["env"] for spec in plain.values())


def test_a_platform_whose_parent_is_gone_stops_everything(tmp_path):
    """A killed test run leaves no platform behind: with the parent's pid (STOP_WITH_PARENT=1),
    the supervisor stops its processes once its parent is no longer the one it started with."""
    specs = {"sleeper": {"cmd": [sys.executable, "-c", "import time; time.sleep(120)"], "env": {}}}
    sup = supervisor.Supervisor(specs, {}, tmp_path, parent=-1)  # -1: never our parent, i.e. gone
    assert sup.run() == 0
    assert sup.procs["sleeper"].poll() is not None, "the child was stopped"
    assert not list(tmp_path.glob("*.pid"))
