"""A small process supervisor for `make up` and the e2e tests.

Starts every process of the platform, prefixes each output line with the
process name, restarts a process that dies (with backoff), writes each
child's pid to var/run/<tag>/<name>.pid (the fault test kills them by pid),
and on Ctrl-C or SIGTERM stops them all: SIGTERM, a grace period, SIGKILL.

    python infra/local/supervisor.py            # the whole platform: one OS process per service
    PORT_BASE=51000 HTTP_PORT=18080 RUN_TAG=e2e SPLIT_PROCESSES=1 STOP_WITH_PARENT=1 python infra/local/supervisor.py

The processes come from the registry (charts/sbc-platform/platform.yaml).
"""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _registry():
    sys.path[:0] = [str(ROOT / "services"), str(ROOT / "protos")]
    from runtime import registry

    return registry


def platform_processes(port_base: int, http_port: int, split: bool = False) -> dict[str, dict]:
    """Every process of the platform, from the registry: its command and its own environment.

    Each service runs as one OS process (`python -m <service> all`), or, with `split`, each of its
    processes on its own as the chart runs them (the e2e platform: its fault test kills a relay).
    Ports: a service's gRPC server at port_base + (its registry port - 50050); workers' health
    ports (split only) from port_base + 20."""
    registry = _registry()
    reg = registry.load()
    py = [sys.executable, "-m"]
    addrs = {s.addr_env: f"127.0.0.1:{s.local_port(port_base)}" for s in reg.services.values()}
    public_url = f"http://127.0.0.1:{http_port}"
    specs: dict[str, dict] = {}
    health = port_base + 20
    for s in reg.services.values():
        # The registry's settings are defaults: the caller's environment (an e2e platform's) wins.
        defaults = {k: v.replace("{public_url}", public_url) for k, v in s.env.items()}
        if not split:
            port = {"GRPC_PORT": str(s.local_port(port_base))}
            specs[s.name] = {
                "service": s.name,
                "cmd": py + [s.name, "all"],
                "defaults": defaults,
                "env": {**addrs, **port},
            }
            continue
        for p in s.processes.values():
            if p.kind == "grpc":
                port = {"GRPC_PORT": str(s.local_port(port_base))}
            else:
                port, health = {"HEALTH_PORT": str(health)}, health + 1
            specs[p.component] = {
                "service": s.name,
                "cmd": py + [s.name, p.name],
                "defaults": defaults,
                "env": {**addrs, **port},
            }
    specs["gateway"] = {"service": "", "cmd": py + ["gateway"], "env": {**addrs, "HTTP_PORT": str(http_port)}}
    return specs


def with_databases(specs: dict[str, dict], environ) -> dict[str, dict]:
    """Local runs keep each service on SQLite files; <SERVICE>_DATABASE_URL (e.g.
    ALERTS_DATABASE_URL=postgresql+psycopg://...) gives that service's processes a database."""
    for spec in specs.values():
        url = environ.get(f"{spec['service'].upper()}_DATABASE_URL", "") if spec["service"] else ""
        if url:
            spec["env"]["DATABASE_URL"] = url
    return specs


def pages() -> list[str]:
    """The gateway's pages: gateway/static/<service>/<page>.html is served at /<service>/<page>."""
    return sorted(f"/{f.parent.name}/{f.stem}" for f in (ROOT / "gateway" / "static").glob("*/*.html"))


COLORS = ["\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m", "\033[37m"]


class Supervisor:
    def __init__(
        self, specs: dict[str, dict], base_env: dict[str, str], run_dir: pathlib.Path, parent: int | None = None
    ):
        self.specs = specs
        # With a parent pid (STOP_WITH_PARENT=1: the e2e platforms, the benchmarks), everything stops
        # when that parent is gone, so a test run that was killed leaves no platform behind.
        self.parent = parent
        self.base_env = base_env
        self.run_dir = run_dir
        self.procs: dict[str, subprocess.Popen] = {}
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.width = max(len(n) for n in specs)
        self.color = sys.stdout.isatty()

    def start(self, name: str) -> None:
        spec = self.specs[name]
        proc = subprocess.Popen(
            spec["cmd"],
            cwd=ROOT,
            env={**spec.get("defaults", {}), **self.base_env, **spec["env"]},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,  # Ctrl-C reaches us only; we stop the children in order
        )
        self.procs[name] = proc
        (self.run_dir / f"{name}.pid").write_text(str(proc.pid))
        threading.Thread(target=self._pipe, args=(name, proc), daemon=True).start()

    def _pipe(self, name: str, proc: subprocess.Popen) -> None:
        i = list(self.specs).index(name)
        prefix = f"{name:<{self.width}} | "
        if self.color:
            prefix = f"{COLORS[i % len(COLORS)]}{prefix}\033[0m"
        for line in proc.stdout:
            with self.lock:
                sys.stdout.write(prefix + line)
                sys.stdout.flush()

    def run(self) -> int:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for name in self.specs:
            self.start(name)
        restarts: dict[str, list[float]] = {n: [] for n in self.specs}
        while not self.stopping.is_set():
            if self.parent is not None and os.getppid() != self.parent:
                self.say(f"parent {self.parent} is gone; stopping")
                break
            for name, proc in list(self.procs.items()):
                code = proc.poll()
                if code is None:
                    continue
                recent = [t for t in restarts[name] if time.monotonic() - t < 60]
                delay = min(10.0, 0.5 * 2 ** len(recent))
                self.say(f"{name} exited with {code}; restarting in {delay:.1f} s")
                restarts[name] = recent + [time.monotonic()]
                self.stopping.wait(delay)
                if not self.stopping.is_set():
                    self.start(name)
            self.stopping.wait(0.3)
        return self.stop_all()

    def stop_all(self, grace: float = 15.0) -> int:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, proc in self.procs.items():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{name} did not stop in {grace:.0f} s; killing it")
                proc.kill()
                proc.wait()
        for pid_file in self.run_dir.glob("*.pid"):
            pid_file.unlink(missing_ok=True)
        self.say("all processes stopped")
        return 0

    def say(self, text: str) -> None:
        with self.lock:
            sys.stdout.write(f"{'supervisor':<{self.width}} | {text}\n")
            sys.stdout.flush()


def main() -> int:
    port_base = int(os.environ.get("PORT_BASE", "50050"))
    http_port = int(os.environ.get("HTTP_PORT", "8080"))
    tag = os.environ.get("RUN_TAG", "up")
    split = os.environ.get("SPLIT_PROCESSES", "") == "1"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "services"), str(ROOT / "protos"), str(ROOT)])
    if "IDENTITY_SEED_FILE" not in env:
        env["IDENTITY_SEED_FILE"] = str(ROOT / "services/identity/seed/local.json")
        # The local seed's government-service office lends the museum's exhibition area its figures.
        env.setdefault("EXHIBITION_STAFF_USERNAME", "egov.office")
        env.setdefault("EXHIBITION_STAFF_PASSWORD", "demo-egov-office")
    env["PYTHONUNBUFFERED"] = "1"
    for k in ("HTTP_PORT", "PORT_BASE", "RUN_TAG", "GRPC_PORT", "HEALTH_PORT", "SPLIT_PROCESSES", "STOP_WITH_PARENT"):
        env.pop(k, None)
    specs = with_databases(platform_processes(port_base, http_port, split), os.environ)
    parent = os.getppid() if os.environ.get("STOP_WITH_PARENT") == "1" else None
    sup = Supervisor(specs, env, ROOT / "var" / "run" / tag, parent)
    signal.signal(signal.SIGINT, lambda *_: sup.stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: sup.stopping.set())
    if os.environ.get("PRINT_URLS", "1") == "1":
        registry = _registry()
        sup.say(
            f"\n  gateway  http://127.0.0.1:{http_port}  (OpenAPI docs: /docs, TV sign-in page: /identity/device)\n"
            f"  pages    {', '.join(pages())}\n\n"
            + registry.table(registry.load(), port_base)
            + "\n\n  Ctrl-C stops everything."
        )
    return sup.run()


if __name__ == "__main__":
    sys.exit(main())
