"""The platform's registry (charts/sbc-platform/platform.yaml), read and checked once.

It names every service: its gRPC port, processes, topics, calls, roles and database. The
local supervisor, the e2e platform, the chart, the gateway's backend addresses and each
process's consumer group and topics are derived from it. The runtime knows no domain: it
reads what the registry says.

    python -m runtime.registry              the table of services, ports, processes and topics
    python -m runtime.registry topics       name partitions retention_ms, one topic a line (local Kafka),
                                            each service's dead-letter topic included
    python -m runtime.registry databases    one database a line (the chart's DATABASE_URL keys)
"""

from __future__ import annotations

import functools
import pathlib
import re
import sys
from dataclasses import dataclass, field

import yaml

from runtime.settings import REPO_ROOT

REGISTRY_FILE = REPO_ROOT / "charts" / "sbc-platform" / "platform.yaml"
# Where gRPC ports start locally: PORT_BASE + (port - PORT_ORIGIN) (make up keeps PORT_BASE = PORT_ORIGIN).
PORT_ORIGIN = 50050
# Every worker process's gRPC health port in a pod (HEALTH_PORT): no service's port.
WORKER_HEALTH_PORT = 50060
# Services' gRPC ports are from PORT_ORIGIN + 1 up to (not including) this.
PORT_LIMIT = 50100
PROCESS_KINDS = ("grpc", "relay", "consumer", "worker")
USES = ("mqtt", "loudspeakers", "redis", "objectstore")
NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")
PROCESS_NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")
TOPIC = re.compile(r"^sbc\.[a-z0-9]+(\.[a-z0-9_]+)+\.v[0-9]+$")
ROLE = re.compile(r"^[a-z][a-z_]{2,40}$")
# Commands every service has besides its processes.
RESERVED = ("all", "migrate", "dead-letters")
# Every service with a consumer process parks the records its consumers cannot apply on a
# dead-letter topic of its own (runtime.consumer, runtime.dead_letters), derived here: no entry in
# the registry names it, and no service publishes to it through its outbox.
DEAD_LETTERS = re.compile(r"^sbc\.[a-z0-9]+\.dead_letters\.v[0-9]+$")
# One partition: parked records are few, and are listed in the order they were parked.
DEAD_LETTER_PARTITIONS = 1
# Kept 30 days: long enough to be seen and replayed after a holiday, short enough to stay small.
DEAD_LETTER_RETENTION_MS = 30 * 24 * 3600 * 1000


def dead_letter_topic(service: str) -> str:
    """The topic a service's consumers park what they cannot apply on (its registry name)."""
    return f"sbc.{service}.dead_letters.v1"


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int
    retention_ms: int
    owner: str
    # A service's dead-letter topic (derived, not in platform.yaml).
    dead_letters: bool = False


@dataclass(frozen=True)
class Process:
    service: str
    name: str
    kind: str
    group: str = ""
    reads: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    @property
    def component(self) -> str:
        """Its name in the chart and the supervisor: the service for its server, else service-process."""
        return self.service if self.kind == "grpc" else f"{self.service}-{self.name}"

    @property
    def uses_kafka(self) -> bool:
        return self.kind in ("relay", "consumer")


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    database: str = ""
    public: bool = False
    calls: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    publishes: tuple[Topic, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)

    @property
    def addr_env(self) -> str:
        """The variable its callers find it by, e.g. SERVICEDESK_ADDR."""
        return f"{self.name.upper()}_ADDR"

    @property
    def consumers(self) -> list[Process]:
        return [p for p in self.processes.values() if p.kind == "consumer"]

    @property
    def dead_letters(self) -> Topic | None:
        """Its dead-letter topic: every service with a consumer has one."""
        if not self.consumers:
            return None
        return Topic(
            dead_letter_topic(self.name), DEAD_LETTER_PARTITIONS, DEAD_LETTER_RETENTION_MS, self.name, dead_letters=True
        )

    @property
    def server(self) -> Process | None:
        return next((p for p in self.processes.values() if p.kind == "grpc"), None)

    def process(self, name: str) -> Process:
        if name not in self.processes:
            raise RegistryError(
                f"{self.name} has no process {name!r}; its processes ({REGISTRY_FILE.name}): "
                + ", ".join(self.processes)
            )
        return self.processes[name]

    def local_port(self, port_base: int) -> int:
        return port_base + self.port - PORT_ORIGIN


@dataclass(frozen=True)
class Gateway:
    port: int
    reads: tuple[str, ...]
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Registry:
    services: dict[str, Service]
    gateway: Gateway

    def service(self, name: str) -> Service:
        if name not in self.services:
            raise RegistryError(f"no service {name!r} in {REGISTRY_FILE}; known: {', '.join(self.services)}")
        return self.services[name]

    def topics(self) -> list[Topic]:
        """Every topic to create: those the services publish, and each one's dead-letter topic."""
        published = [t for s in self.services.values() for t in s.publishes]
        return published + [s.dead_letters for s in self.services.values() if s.dead_letters is not None]

    def topic_owner(self, topic: str) -> str:
        """The service that publishes `topic` (a registry name)."""
        for t in self.topics():
            if t.name == topic:
                return t.owner
        raise RegistryError(f"no service publishes {topic}")

    def consumer_of_group(self, group: str) -> Process | None:
        """The consumer process whose group (its registry name) this is."""
        return next((p for p in self.processes() if p.kind == "consumer" and p.group == group), None)

    def processes(self) -> list[Process]:
        return [p for s in self.services.values() for p in s.processes.values()]

    def roles(self) -> dict[str, str]:
        """Every registered role -> the service that defines it."""
        return {r: s.name for s in self.services.values() for r in s.roles}

    def public(self) -> list[Service]:
        """The services the gateway routes to (and so calls)."""
        return [s for s in self.services.values() if s.public]


def _strings(raw, where: str, pattern: re.Pattern | None = None) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise RegistryError(f"{where}: a list of names")
    if pattern is not None:
        bad = [x for x in raw if not pattern.match(x)]
        if bad:
            raise RegistryError(f"{where}: malformed {bad}")
    if len(set(raw)) != len(raw):
        raise RegistryError(f"{where}: listed twice")
    return tuple(raw)


def _known(d: dict, allowed: set[str], where: str) -> None:
    unknown = set(d) - allowed
    if unknown:
        raise RegistryError(f"{where}: unknown keys {sorted(unknown)} (known: {', '.join(sorted(allowed))})")


def _process(service: str, name: str, raw: dict) -> Process:
    where = f"services.{service}.processes.{name}"
    if not PROCESS_NAME.match(name) or name in RESERVED:
        raise RegistryError(f"{where}: a process is named with lower-case letters and digits, not {RESERVED}")
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: a mapping with its kind")
    _known(raw, {"kind", "group", "reads", "uses"}, where)
    kind = raw.get("kind")
    if kind not in PROCESS_KINDS:
        raise RegistryError(f"{where}.kind: one of {', '.join(PROCESS_KINDS)}")
    if kind == "grpc" and name != "serve":
        raise RegistryError(f"{where}: the gRPC server is the process named serve")
    group = raw.get("group", "")
    reads = _strings(raw.get("reads"), f"{where}.reads", TOPIC)
    if kind == "consumer" and (not group or not reads):
        raise RegistryError(f"{where}: a consumer names its group and the topics it reads")
    if kind != "consumer" and (group or reads):
        raise RegistryError(f"{where}: only a consumer has a group and reads topics")
    uses = _strings(raw.get("uses"), f"{where}.uses")
    if set(uses) - set(USES):
        raise RegistryError(f"{where}.uses: among {', '.join(USES)}")
    return Process(service, name, kind, group, reads, uses)


def _service(name: str, raw: dict) -> Service:
    where = f"services.{name}"
    if not NAME.match(name):
        raise RegistryError(f"{where}: a service is named with 2-31 lower-case letters and digits")
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: a mapping")
    _known(raw, {"port", "database", "public", "calls", "roles", "publishes", "env", "processes"}, where)
    port = raw.get("port")
    if not isinstance(port, int) or not PORT_ORIGIN < port < PORT_LIMIT or port == WORKER_HEALTH_PORT:
        raise RegistryError(
            f"{where}.port: a port from {PORT_ORIGIN + 1} to {PORT_LIMIT - 1}, "
            f"not {WORKER_HEALTH_PORT} (the workers' health port)"
        )
    publishes = []
    for topic, t in (raw.get("publishes") or {}).items():
        if not TOPIC.match(topic) or not isinstance(t, dict):
            raise RegistryError(f"{where}.publishes.{topic}: sbc.<name>.<what>.v<n> with partitions and retention_ms")
        if DEAD_LETTERS.match(topic):
            raise RegistryError(
                f"{where}.publishes.{topic}: a dead_letters topic is the runtime's (one per service with a consumer)"
            )
        _known(t, {"partitions", "retention_ms"}, f"{where}.publishes.{topic}")
        partitions, retention = t.get("partitions"), t.get("retention_ms")
        if not isinstance(partitions, int) or partitions < 1 or not isinstance(retention, int) or retention < -1:
            raise RegistryError(f"{where}.publishes.{topic}: partitions >= 1, retention_ms >= -1")
        publishes.append(Topic(topic, partitions, retention, name))
    env = raw.get("env") or {}
    if not all(isinstance(k, str) and re.match(r"^[A-Z][A-Z0-9_]*$", k) and isinstance(v, str) for k, v in env.items()):
        raise RegistryError(f'{where}.env: NAME: "value" (strings)')
    processes = {p: _process(name, p, spec) for p, spec in (raw.get("processes") or {}).items()}
    if "serve" not in processes:
        raise RegistryError(f"{where}.processes: every service has its gRPC server, serve")
    database = raw.get("database", "")
    if any(p.kind == "relay" for p in processes.values()) and not database:
        raise RegistryError(f"{where}: a relay publishes a database's outbox; name the database")
    if publishes and not any(p.kind == "relay" for p in processes.values()):
        raise RegistryError(f"{where}: a service that publishes runs a relay")
    return Service(
        name=name,
        port=port,
        database=database,
        public=bool(raw.get("public", False)),
        calls=_strings(raw.get("calls"), f"{where}.calls"),
        roles=_strings(raw.get("roles"), f"{where}.roles", ROLE),
        publishes=tuple(publishes),
        env=dict(env),
        processes=processes,
    )


def parse(data: dict) -> Registry:
    """Check the registry whole: every name it refers to exists."""
    if not isinstance(data, dict):
        raise RegistryError("the registry is a mapping with services and gateway")
    _known(data, {"services", "gateway"}, "the registry")
    services = {n: _service(n, raw) for n, raw in (data.get("services") or {}).items()}
    gw = data.get("gateway") or {}
    _known(gw, {"port", "reads", "uses"}, "gateway")
    gateway = Gateway(
        int(gw.get("port", 8080)),
        _strings(gw.get("reads"), "gateway.reads", TOPIC),
        _strings(gw.get("uses"), "gateway.uses"),
    )
    ports: dict[int, str] = {}
    topics: dict[str, str] = {}
    roles: dict[str, str] = {}
    databases: dict[str, str] = {}
    for s in services.values():
        if s.port in ports:
            raise RegistryError(f"services.{s.name}.port {s.port} is {ports[s.port]}'s too")
        ports[s.port] = s.name
        for t in s.publishes:
            if t.name in topics:
                raise RegistryError(f"topic {t.name} is published by {topics[t.name]} and {s.name}")
            topics[t.name] = s.name
        for r in s.roles:
            if r in roles:
                raise RegistryError(f"role {r} is defined by {roles[r]} and {s.name}")
            roles[r] = s.name
        if s.database:
            if s.database in databases:
                raise RegistryError(f"database {s.database} is {databases[s.database]}'s: one database per service")
            databases[s.database] = s.name
    for s in services.values():
        for callee in s.calls:
            if callee not in services or callee == s.name:
                raise RegistryError(f"services.{s.name}.calls: {callee!r} is not another service")
        for p in s.processes.values():
            for name in p.reads:
                if name not in topics:
                    raise RegistryError(
                        f"services.{s.name}.processes.{p.name} reads {name}, which no service publishes"
                    )
    for name in gateway.reads:
        if name not in topics:
            raise RegistryError(f"gateway reads {name}, which no service publishes")
    return Registry(services, gateway)


def load(path: pathlib.Path | None = None) -> Registry:
    return _load(str(path or REGISTRY_FILE))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Registry:
    with open(path, encoding="utf-8") as f:
        return parse(yaml.safe_load(f))


def table(reg: Registry, port_base: int = PORT_ORIGIN) -> str:
    """The services as a Markdown table (make up prints it; README points here)."""
    rows = ["| service | gRPC | processes | publishes | calls |", "| --- | --- | --- | --- | --- |"]
    for s in reg.services.values():
        rows.append(
            f"| {s.name} | 127.0.0.1:{s.local_port(port_base)} | {', '.join(s.processes)} | "
            f"{', '.join(t.name for t in s.publishes) or '-'} | {', '.join(s.calls) or '-'} |"
        )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    reg = load()
    what = argv[0] if argv else "table"
    if what == "table":
        print(table(reg))
    elif what == "topics":
        for t in reg.topics():
            print(t.name, t.partitions, t.retention_ms)
    elif what == "databases":
        for s in reg.services.values():
            if s.database:
                print(s.database)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
