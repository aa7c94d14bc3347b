"""Who may do what on Kafka, from the registry: one principal per service and one for the gateway.

A service writes only the topics it publishes (and its own dead-letter topic) and reads only what
its consumers read, in its own consumer groups; the gateway reads only the topics it streams. No
one else may do anything (the broker allows nothing without an ACL; the admin is a super user).
The same grants serve the local broker (infra/local) and each e2e run's topic prefix; the chart's
Strimzi KafkaUsers are made from `grants` too (charts/sbc-platform/templates/kafkausers.yaml is
checked against it).

    python -m runtime.kafka_security sync CREDENTIALS_FILE [--prefix P]
        as the admin: every principal's SCRAM credential (passwords kept in CREDENTIALS_FILE, made
        once) and its ACLs for the topics and groups under prefix P
    python -m runtime.kafka_security grants      the grants, one a line (principal operation type name)
"""

from __future__ import annotations

import argparse
import json
import pathlib
import secrets
from dataclasses import dataclass

from runtime import kafka_clients, registry

GATEWAY = "gateway"
ADMIN = "admin"


@dataclass(frozen=True, order=True)
class Grant:
    principal: str  # a user name (User:<principal>)
    operation: str  # READ or WRITE
    resource: str  # topic or group
    name: str  # a registry name (the prefix is added when granted)


def principals() -> list[str]:
    return [*registry.load().services, GATEWAY]


def grants() -> list[Grant]:
    reg = registry.load()
    out: set[Grant] = set()
    for s in reg.services.values():
        for t in s.publishes:
            out.add(Grant(s.name, "WRITE", "topic", t.name))
        if s.dead_letters is not None:
            # Its consumers park records there; its dead-letters tool lists them.
            out.add(Grant(s.name, "WRITE", "topic", s.dead_letters.name))
            out.add(Grant(s.name, "READ", "topic", s.dead_letters.name))
        for p in s.processes.values():
            for topic in p.reads:
                out.add(Grant(s.name, "READ", "topic", topic))
            if p.group:
                out.add(Grant(s.name, "READ", "group", p.group))
    for topic in reg.gateway.reads:
        out.add(Grant(GATEWAY, "READ", "topic", topic))
    return sorted(out)


def credentials(path: pathlib.Path) -> dict[str, str]:
    """Every principal's password (and the admin's), made once and kept in `path` (mode 600)."""
    users = json.loads(path.read_text()) if path.exists() else {}
    missing = [u for u in [ADMIN, *principals()] if u not in users]
    if missing:
        users.update({u: secrets.token_urlsafe(24) for u in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(users, indent=2, sort_keys=True))
        tmp.chmod(0o600)
        tmp.replace(path)
    return users


def acls(prefix: str = "") -> list:
    from kafka.admin import ACL, ACLOperation, ACLPermissionType, ACLResourcePatternType, ResourcePattern, ResourceType

    kinds = {"topic": ResourceType.TOPIC, "group": ResourceType.GROUP}
    return [
        ACL(
            principal=f"User:{g.principal}",
            host="*",
            operation=ACLOperation[g.operation],
            permission_type=ACLPermissionType.ALLOW,
            resource_pattern=ResourcePattern(kinds[g.resource], prefix + g.name, ACLResourcePatternType.LITERAL),
        )
        for g in grants()
    ]


def grant(admin, prefix: str = "") -> None:
    """Create the ACLs for the topics and groups under `prefix` (creating an existing ACL is a no-op)."""
    result = admin.create_acls(acls(prefix))
    if result.get("failed"):
        raise RuntimeError(f"ACLs not created: {result['failed']}")


def sync(bootstrap_servers: str, credentials_file: pathlib.Path, prefix: str = "") -> None:
    from kafka.admin import ScramMechanism, UserScramCredentialUpsertion

    users = credentials(credentials_file)
    admin = kafka_clients.admin(bootstrap_servers, request_timeout_ms=10_000)
    try:
        have = admin.describe_user_scram_credentials()
        new = [u for u in principals() if not (have.get(u) or {}).get("credential_infos")]
        if new:
            errors = admin.alter_user_scram_credentials(
                [UserScramCredentialUpsertion(u, ScramMechanism.SCRAM_SHA_512, users[u]) for u in new]
            )
            failed = {u: e for u, e in errors.items() if e}
            if failed:
                raise RuntimeError(f"SCRAM credentials not created: {failed}")
            print("kafka: SCRAM users created:", " ".join(new))
        grant(admin, prefix)
    finally:
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m runtime.kafka_security")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sync")
    s.add_argument("credentials_file", type=pathlib.Path)
    s.add_argument("--prefix", default="")
    s.add_argument("--bootstrap-servers", default="")
    sub.add_parser("grants")
    args = parser.parse_args()
    if args.command == "grants":
        for g in grants():
            print(g.principal, g.operation, g.resource, g.name)
        return
    from runtime.settings import env

    sync(
        args.bootstrap_servers or env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"), args.credentials_file, args.prefix
    )


if __name__ == "__main__":
    main()
