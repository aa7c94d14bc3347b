"""A small process supervisor for `make up` and the e2e tests.

Starts every process of the platform, prefixes each output line with the
process name, restarts a process that dies (with backoff), writes each
child's pid to var/run/<tag>/<name>.pid (the fault test kills them by pid),
and on Ctrl-C or SIGTERM stops them all: SIGTERM, a grace period, SIGKILL.

    python infra/local/supervisor.py            # the whole platform
    PORT_BASE=51000 HTTP_PORT=18080 RUN_TAG=e2e python infra/local/supervisor.py
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


def platform_processes(port_base: int, http_port: int) -> dict[str, dict]:
    """Every process of the platform: its command and its own environment.
    Ports: gRPC servers at base+1..9 (identity 1, servicedesk 2, notifications 3,
    alerts 4), workers' health ports at base+11..29."""
    py = [sys.executable, "-m"]
    identity, servicedesk, notifications = port_base + 1, port_base + 2, port_base + 3
    alerts = port_base + 4
    addrs = {
        "IDENTITY_ADDR": f"127.0.0.1:{identity}",
        "SERVICEDESK_ADDR": f"127.0.0.1:{servicedesk}",
        "NOTIFICATIONS_ADDR": f"127.0.0.1:{notifications}",
        "ALERTS_ADDR": f"127.0.0.1:{alerts}",
    }
    return {
        "identity": {
            "cmd": py + ["identity", "serve"],
            "env": {
                **addrs,
                "GRPC_PORT": str(identity),
                "IDENTITY_VERIFICATION_URI": f"http://127.0.0.1:{http_port}/device",
            },
        },
        "identity-relay": {"cmd": py + ["identity", "relay"], "env": {**addrs, "HEALTH_PORT": str(port_base + 25)}},
        "servicedesk": {"cmd": py + ["servicedesk", "serve"], "env": {**addrs, "GRPC_PORT": str(servicedesk)}},
        "servicedesk-relay": {
            "cmd": py + ["servicedesk", "relay"],
            "env": {**addrs, "HEALTH_PORT": str(port_base + 12)},
        },
        "servicedesk-scheduler": {
            "cmd": py + ["servicedesk", "scheduler"],
            "env": {**addrs, "HEALTH_PORT": str(port_base + 20)},
        },
        "servicedesk-assessment": {
            "cmd": py + ["servicedesk", "assess"],
            "env": {**addrs, "HEALTH_PORT": str(port_base + 21)},
        },
        "notifications": {"cmd": py + ["notifications", "serve"], "env": {**addrs, "GRPC_PORT": str(notifications)}},
        "notifications-consumer": {
            "cmd": py + ["notifications", "consume"],
            "env": {**addrs, "HEALTH_PORT": str(port_base + 13)},
        },
        "notifications-relay": {
            "cmd": py + ["notifications", "relay"],
            "env": {**addrs, "HEALTH_PORT": str(port_base + 14)},
        },
        "alerts": {"cmd": py + ["alerts", "serve"], "env": {**addrs, "GRPC_PORT": str(alerts)}},
        "alerts-relay": {"cmd": py + ["alerts", "relay"], "env": {**addrs, "HEALTH_PORT": str(port_base + 15)}},
        "alerts-loudspeakers": {
            "cmd": py + ["alerts", "loudspeakers"],
            "env": {**addrs, "HEALTH_PORT": str(port_base + 16)},
        },
        "alerts-iot": {"cmd": py + ["alerts", "iot"], "env": {**addrs, "HEALTH_PORT": str(port_base + 17)}},
        "alerts-terminals": {"cmd": py + ["alerts", "terminals"], "env": {**addrs, "HEALTH_PORT": str(port_base + 26)}},
        "gateway": {"cmd": py + ["gateway"], "env": {**addrs, "HTTP_PORT": str(http_port)}},
    }


def with_databases(specs: dict[str, dict], environ) -> dict[str, dict]:
    """Local runs keep each service on SQLite files; <SERVICE>_DATABASE_URL (e.g.
    ALERTS_DATABASE_URL=postgresql+psycopg://...) gives that service's processes a database."""
    for name, spec in specs.items():
        url = environ.get(f"{name.split('-')[0].upper()}_DATABASE_URL", "")
        if url:
            spec["env"]["DATABASE_URL"] = url
    return specs


COLORS = ["\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m", "\033[37m"]


class Supervisor:
    def __init__(self, specs: dict[str, dict], base_env: dict[str, str], run_dir: pathlib.Path):
        self.specs = specs
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
            env={**self.base_env, **spec["env"]},
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
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "services"), str(ROOT / "protos"), str(ROOT)])
    env.setdefault("IDENTITY_SEED_FILE", str(ROOT / "services/identity/seed/local.json"))
    env["PYTHONUNBUFFERED"] = "1"
    for k in ("HTTP_PORT", "PORT_BASE", "RUN_TAG", "GRPC_PORT", "HEALTH_PORT"):
        env.pop(k, None)
    sup = Supervisor(
        with_databases(platform_processes(port_base, http_port), os.environ), env, ROOT / "var" / "run" / tag
    )
    signal.signal(signal.SIGINT, lambda *_: sup.stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: sup.stopping.set())
    if os.environ.get("PRINT_URLS", "1") == "1":
        sup.say(
            "\n  gateway        http://127.0.0.1:%d  (OpenAPI docs: /docs, TV sign-in page: /device)\n"
            "  pages          /servicedesk/assessment (district manager), /alerts/live (emergency manager)\n"
            "  identity       grpc 127.0.0.1:%d\n  servicedesk    grpc 127.0.0.1:%d\n"
            "  notifications  grpc 127.0.0.1:%d\n  alerts         grpc 127.0.0.1:%d\n  Ctrl-C stops everything."
            % (http_port, port_base + 1, port_base + 2, port_base + 3, port_base + 4)
        )
    return sup.run()


if __name__ == "__main__":
    sys.exit(main())
