"""python -m runtime.new <name> [--port N] [--public]: a new service, in the one shape every service has.

It writes
  services/<name>/                    service.py (what the runtime runs), servicer.py (protobuf <->
                                      handlers), handlers.py (use cases), domain.py (aggregates and
                                      rules, no I/O), store.py (tables, repository, unit of work),
                                      events.py (what it publishes and consumes), migrations/, tests/
  protos/sbc/<name>/v1/<name>.proto   its API, and protos/sbc/events/v1/<name>_events.proto, its
                                      events, with their generated code (make protos)
  its entry in the registry           charts/sbc-platform/platform.yaml: port, database, processes,
                                      the topic it publishes (and, --public, `public: true`)
  gateway/routes/<name>.py            with --public: its REST/JSON routes in the gateway, under
                                      /v1/<name>/, with its typed client and documented responses
and then it runs in `make up`, in the e2e platform and in the chart with no other edit. Its example
aggregate, an Item a household files and closes, with its tests (domain rules; real gRPC on SQLite
and PostgreSQL, bad input and callers who may not), is there to be replaced by the domain's own.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import string
import subprocess
import sys

from runtime import registry
from runtime.settings import REPO_ROOT

# Templates (string.Template: $name, $Name, $port), each <its path in the new service>.tmpl.
SKELETON = pathlib.Path(__file__).resolve().parent / "skeleton"


def camel(name: str) -> str:
    return name[:1].upper() + name[1:]


def check_name(name: str, reg: registry.Registry) -> None:
    if not registry.NAME.match(name):
        sys.exit(f"a service is named with 2-31 lower-case letters and digits, not {name!r}")
    if name in reg.services or (REPO_ROOT / "services" / name).exists():
        sys.exit(f"there is a service {name!r} already")
    if name in ("gateway", "runtime", "e2e", "bench", "charts", "infra", "protos", "sbc") or importlib.util.find_spec(
        name
    ):
        sys.exit(f"{name!r} is the name of a module the platform imports already: choose another")


def next_port(reg: registry.Registry) -> int:
    taken = {s.port for s in reg.services.values()} | {registry.WORKER_HEALTH_PORT}
    port = registry.PORT_ORIGIN + 1
    while port in taken:
        port += 1
    if port >= registry.PORT_LIMIT:
        sys.exit(f"no free gRPC port left below {registry.PORT_LIMIT}: name one with --port")
    return port


def registry_entry(name: str, port: int, public: bool = False) -> str:
    # `public`: the gateway routes to it (gateway/routes/<name>.py).
    public_line = "\n    public: true" if public else ""
    return f"""
  {name}:
    port: {port}
    database: {name}{public_line}
    calls: [identity]
    publishes:
      sbc.{name}.items.v1: {{partitions: 3, retention_ms: 604800000}}
    processes:
      serve: {{kind: grpc}}
      relay: {{kind: relay}}
"""


def add_to_registry(path: pathlib.Path, entry: str) -> None:
    """The entry goes after the last service, before the gateway's section (its comments kept)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("gateway:"))
    while at > 0 and (lines[at - 1].startswith("#") or not lines[at - 1].strip()):
        at -= 1
    path.write_text("".join(lines[:at]) + entry + "\n" + "".join(lines[at:]).lstrip("\n"), encoding="utf-8")


def write(template: pathlib.Path, target: pathlib.Path, values: dict[str, str]) -> pathlib.Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(string.Template(template.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
    return target


def run(*args: str) -> None:
    out = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m runtime.new", description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="the service's name: lower-case letters and digits, e.g. tourism")
    parser.add_argument("--port", type=int, default=0, help="its gRPC port (default: the next free one)")
    parser.add_argument(
        "--public", action="store_true", help="the gateway routes to it: also write gateway/routes/<name>.py"
    )
    args = parser.parse_args(argv)
    reg = registry.load()
    name = args.name
    check_name(name, reg)
    port = args.port or next_port(reg)
    if port in {s.port for s in reg.services.values()}:
        sys.exit(f"port {port} is another service's")
    values = {"name": name, "Name": camel(name), "port": str(port)}
    written: list[pathlib.Path] = []
    for template in sorted((SKELETON / "service").rglob("*.tmpl")):
        target = REPO_ROOT / "services" / name / template.relative_to(SKELETON / "service").with_suffix("")
        written.append(write(template, target, values))
    (REPO_ROOT / "services" / name / "migrations" / "versions").mkdir(parents=True, exist_ok=True)
    protos = {
        "api.proto": f"protos/sbc/{name}/v1/{name}.proto",
        "events.proto": f"protos/sbc/events/v1/{name}_events.proto",
    }
    for proto, where in protos.items():
        written.append(write(SKELETON / "protos" / f"{proto}.tmpl", REPO_ROOT / where, values))
    code = [f"services/{name}"]
    if args.public:
        route = REPO_ROOT / "gateway" / "routes" / f"{name}.py"
        written.append(write(SKELETON / "gateway" / "route.py.tmpl", route, values))
        code.append(str(route.relative_to(REPO_ROOT)))
    add_to_registry(registry.REGISTRY_FILE, registry_entry(name, port, args.public))
    registry._load.cache_clear()
    run("protos/generate.py")
    run("-m", "runtime.revision", name, "initial tables")
    run("-m", "ruff", "format", "--quiet", *code)
    run("-m", "ruff", "check", "--quiet", "--fix", *code)
    print(
        f"{name}: gRPC on {port}, database {name}, topic sbc.{name}.items.v1"
        + (", REST under /v1/" + name if args.public else "")
    )
    for done in written:
        print(f"  wrote {done.relative_to(REPO_ROOT)}")
    print(f"  added its entry to {registry.REGISTRY_FILE.relative_to(REPO_ROOT)}")
    print(f"  its initial migration in services/{name}/migrations/versions, its generated protos")
    print("Next: replace the example Item with the domain's own; `make test` runs its tests.")


if __name__ == "__main__":
    main()
