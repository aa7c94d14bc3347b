"""Policy tests on the rendered output of every ci/*-values.yaml: probes, requests and
limits, the security context, Services and NetworkPolicies that name pods that exist,
every environment variable a process reads is set (the list is scanned from the code),
the migration Jobs, the topics, and that the chart covers every process of the platform."""

from __future__ import annotations

import pathlib
import re
import sys

import pytest
import yaml

from .chartlib import (
    CHART,
    CI_VALUES,
    ROOT,
    by_name,
    checked,
    components,
    container_env,
    env_reads,
    helm,
    kinds,
    manifests,
    merged_values,
    pod_specs,
    process_env_reads,
    registry,
    render,
    render_ci,
    selects,
)

CI_IDS = [p.stem for p in CI_VALUES]
SCENARIOS = pytest.mark.parametrize("values", CI_VALUES, ids=CI_IDS)
WITH_POLICIES = [p for p in CI_VALUES if merged_values(p)["networkPolicy"]["enabled"]]
INSTANCE = "app.kubernetes.io/instance"
COMPONENT = "app.kubernetes.io/component"


def deployments(docs):
    return kinds(docs, "Deployment")


def component_of(obj: dict) -> str:
    return obj["spec"]["template"]["metadata"]["labels"][COMPONENT]


def process_of(container: dict) -> tuple[str, str]:
    """(module, command) of a platform container: `python -m module command`."""
    args = container.get("args", [])
    module = args[0]
    command = args[1] if len(args) > 1 else ("serve" if module != "gateway" else "")
    return module, command


def quantity(q) -> float:
    q = str(q)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}
    for suffix, factor in units.items():
        if q.endswith(suffix):
            return float(q[: -len(suffix)]) * factor
    return float(q)


# --- the chart covers the platform ---


def test_components_are_every_process_of_the_registry_as_the_supervisor_runs_them():
    """Both from the registry: the chart's Deployments and infra/local/supervisor.py's processes (as the
    e2e platform runs them, each its own OS process) are the same, with the same commands."""
    sys.path.insert(0, str(ROOT / "infra" / "local"))
    try:
        import supervisor
    finally:
        sys.path.pop(0)
    local = {name: spec["cmd"][2:] for name, spec in supervisor.platform_processes(50050, 8080, split=True).items()}
    docs = render_ci(CHART / "ci" / "minimal-values.yaml")
    chart = {component_of(d): d["spec"]["template"]["spec"]["containers"][0]["args"] for d in deployments(docs)}
    assert chart == local, "the chart's components differ from infra/local/supervisor.py's processes"
    expected = {p.component for p in registry().processes()} | {"gateway"}
    assert set(chart) == expected
    checked(f"components = the registry's processes = infra/local/supervisor.py's: {', '.join(sorted(chart))}")


def test_kafka_topics_are_the_registrys():
    """The published topics and each consuming service's dead-letter topic, as runtime.registry
    derives them (the local Kafka and the e2e platform make the same list)."""
    reg = registry()
    listed = {t.name: {"partitions": t.partitions, "retentionMs": t.retention_ms} for t in reg.topics()}
    docs = [d for d in render_ci(CHART / "ci" / "strimzi-values.yaml") if d["kind"] == "KafkaTopic"]
    rendered = {
        d["spec"]["topicName"]: {
            "partitions": d["spec"]["partitions"],
            "retentionMs": d["spec"]["config"]["retention.ms"],
        }
        for d in docs
    }
    assert rendered == listed
    dead_letters = {s.dead_letters.name for s in reg.services.values() if s.dead_letters is not None}
    assert dead_letters == {f"sbc.{s.name}.dead_letters.v1" for s in reg.services.values() if s.consumers}
    assert dead_letters and dead_letters <= set(rendered)
    # Resource names are DNS subdomains: the topic's "_" is a "-" there.
    for d in docs:
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", d["metadata"]["name"]), d["metadata"]["name"]
        assert d["metadata"]["name"] == d["spec"]["topicName"].replace("_", "-")
    checked(
        f"Kafka topics = the registry's ({len(listed)}, {len(dead_letters)} of them dead-letter topics), "
        "rendered as Strimzi KafkaTopics"
    )


def test_every_topic_the_code_names_is_the_registrys_and_published_by_its_owner():
    """A topic constant in a service's code (XXX_TOPIC = "...") is a registry topic; one the service
    publishes to through its outbox is its own."""
    reg = registry()
    topics = {t.name: t.owner for t in reg.topics()}
    named = set()
    for f in list((ROOT / "services").rglob("*.py")) + list((ROOT / "gateway").rglob("*.py")):
        if "tests" in f.parts:
            continue
        text = f.read_text()
        found = set(re.findall(r'\b[A-Z_]*TOPIC\s*=\s*"([^"]+)"', text))
        named |= found
        service = f.relative_to(ROOT).parts[1] if f.parts[len(ROOT.parts)] == "services" else ""
        if service in reg.services and "outbox.publish(" in text:
            own = {t for t in found if topics.get(t) == service}
            assert own, f"{f.relative_to(ROOT)} publishes, but names none of {service}'s topics"
    assert named and named <= set(topics), f"topics in the code but not in the registry: {sorted(named - set(topics))}"


# --- workloads ---


@SCENARIOS
def test_every_container_has_probes_on_its_own_port(values):
    docs = render_ci(values)
    for d in deployments(docs):
        for c in d["spec"]["template"]["spec"]["containers"]:
            env = container_env(c, docs)
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert probe in c, f"{d['metadata']['name']}: no {probe}"
            module, command = process_of(c)
            if module == "gateway":
                assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
                assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
                port = {p["name"]: p["containerPort"] for p in c["ports"]}[c["readinessProbe"]["httpGet"]["port"]]
                assert str(port) == env["HTTP_PORT"]
            else:
                # native gRPC probes on the port the process serves health on
                port = env["GRPC_PORT"] if command == "serve" else env["HEALTH_PORT"]
                for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                    assert str(c[probe]["grpc"]["port"]) == port, f"{d['metadata']['name']} {probe}"
                assert int(port) in [p["containerPort"] for p in c["ports"]]
    checked(
        "every container: startup, liveness and readiness probes (gRPC health, or /healthz and /readyz) on its port"
    )


@SCENARIOS
def test_every_container_has_requests_and_limits(values):
    for owner, _, spec in pod_specs(render_ci(values)):
        for c in spec["containers"] + spec.get("initContainers", []):
            r = c.get("resources", {})
            for kind in ("requests", "limits"):
                for res in ("cpu", "memory"):
                    assert res in r.get(kind, {}), f"{owner['kind']}/{owner['metadata']['name']}: no {kind}.{res}"
            for res in ("cpu", "memory"):
                assert quantity(r["requests"][res]) <= quantity(r["limits"][res]), f"{owner['metadata']['name']}: {res}"
    checked("every container (Deployments, migration Jobs, helm tests): cpu and memory requests <= limits")


@SCENARIOS
def test_security_context_is_safe_by_default(values):
    docs = render_ci(values)
    for owner, _, spec in pod_specs(docs):
        where = f"{owner['kind']}/{owner['metadata']['name']}"
        psc = spec["securityContext"]
        assert psc["runAsNonRoot"] is True and psc["runAsUser"] > 0, where
        assert psc["seccompProfile"]["type"] == "RuntimeDefault", where
        assert spec["automountServiceAccountToken"] is False, f"{where}: the service account token is mounted"
        assert not spec.get("hostNetwork") and not spec.get("hostPID") and not spec.get("hostIPC"), where
        writable = set()
        for v in spec.get("volumes", []):
            assert "hostPath" not in v, where
        empty_dirs = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False, where
            assert sc["readOnlyRootFilesystem"] is True, where
            assert sc["capabilities"]["drop"] == ["ALL"] and not sc["capabilities"].get("add"), where
            assert not sc.get("privileged"), where
            writable = {m["mountPath"] for m in c.get("volumeMounts", []) if m["name"] in empty_dirs}
            if owner["kind"] != "Pod":  # the helm tests write nothing
                assert "/tmp" in writable, f"{where}: no writable /tmp (the root filesystem is read-only)"
    for sa in kinds(docs, "ServiceAccount"):
        assert sa["automountServiceAccountToken"] is False
    checked(
        "every pod: non-root, seccomp RuntimeDefault, no token, read-only root with an emptyDir /tmp, "
        "no privilege escalation, ALL capabilities dropped"
    )


@SCENARIOS
def test_no_secret_is_rendered_and_every_secret_reference_is_named(values):
    """Credentials only from Secrets the operator created: the chart makes none."""
    docs = render_ci(values)
    assert not kinds(docs, "Secret")
    for owner, _, spec in pod_specs(docs):
        for c in spec["containers"]:
            for e in c.get("env", []):
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] and ref["key"], f"{owner['metadata']['name']}: {e['name']}"
                value = str(e.get("value", ""))
                assert not re.search(r"://[^/\s@]*:[^/\s@]*@", value), f"{e['name']}: credentials in a plain value"
                assert not (re.search(r"(?i)password|token|secret", e["name"]) and "value" in e), e
        for v in spec.get("volumes", []):
            if "secret" in v:
                assert v["secret"]["secretName"]


@SCENARIOS
def test_the_demo_seed_is_only_in_the_e2e_scenario(values):
    docs = render_ci(values)
    seeded = [
        d["metadata"]["name"]
        for d in deployments(docs)
        if any(
            e["name"] == "IDENTITY_SEED_FILE"
            for c in d["spec"]["template"]["spec"]["containers"]
            for e in c.get("env", [])
        )
    ]
    assert seeded == (["sbc-identity"] if values.name == "e2e-values.yaml" else []), seeded
    assert "IDENTITY_SEED_FILE" not in (CHART / "values.yaml").read_text()


@SCENARIOS
def test_singletons_run_one_pod_replaced_with_recreate(values):
    docs = render_ci(values)
    hpas = {h["spec"]["scaleTargetRef"]["name"] for h in kinds(docs, "HorizontalPodAutoscaler")}
    singletons = {n for n, c in components(merged_values(values)).items() if c.get("singleton")}
    relays = {p.component for p in registry().processes() if p.kind == "relay"}
    assert relays and singletons == relays, "a relay must be one per database"
    for d in deployments(docs):
        if component_of(d) in singletons:
            assert d["spec"]["replicas"] == 1 and d["spec"]["strategy"]["type"] == "Recreate"
            assert d["metadata"]["name"] not in hpas
        else:
            assert d["spec"]["strategy"]["type"] == "RollingUpdate"
            assert d["metadata"]["name"] in hpas or d["spec"]["replicas"] >= 1
    for h in kinds(docs, "HorizontalPodAutoscaler"):
        assert h["spec"]["scaleTargetRef"]["name"] in by_name(docs, "Deployment")
        assert "replicas" not in by_name(docs, "Deployment")[h["spec"]["scaleTargetRef"]["name"]]["spec"], (
            "a Deployment with an HPA must not set replicas (every upgrade would reset the scale)"
        )


@SCENARIOS
def test_grace_period_outlasts_the_shutdown_grace(values):
    docs = render_ci(values)
    for d in deployments(docs):
        spec = d["spec"]["template"]["spec"]
        env = container_env(spec["containers"][0], docs)
        assert spec["terminationGracePeriodSeconds"] > float(env["SHUTDOWN_GRACE_SECONDS"]) + 5, d["metadata"]["name"]


@SCENARIOS
def test_every_pod_disruption_budget_selects_pods(values):
    docs = render_ci(values)
    pods = [meta["labels"] for _, meta, _ in pod_specs(docs)]
    for pdb in kinds(docs, "PodDisruptionBudget"):
        assert any(selects(pdb["spec"]["selector"], labels) for labels in pods), pdb["metadata"]["name"]


# --- Services and NetworkPolicies name pods that exist ---


@SCENARIOS
def test_every_service_selects_pods_and_ports_that_exist(values):
    docs = render_ci(values)
    for svc in kinds(docs, "Service"):
        selector = {"matchLabels": svc["spec"]["selector"]}
        targets = [d for d in deployments(docs) if selects(selector, d["spec"]["template"]["metadata"]["labels"])]
        assert len(targets) == 1, f"Service {svc['metadata']['name']} selects {len(targets)} Deployments"
        ports = {p["name"] for c in targets[0]["spec"]["template"]["spec"]["containers"] for p in c["ports"]}
        for p in svc["spec"]["ports"]:
            assert p["targetPort"] in ports, f"Service {svc['metadata']['name']}: no container port {p['targetPort']}"
    for ing in kinds(docs, "Ingress"):
        services = by_name(docs, "Service")
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] in services
                assert backend["port"]["name"] in {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
    checked("every Service and the Ingress: select exactly one Deployment, on ports its containers have")


@SCENARIOS
def test_every_address_setting_points_at_a_service_port(values):
    docs = render_ci(values)
    services = {s["metadata"]["name"]: {p["port"] for p in s["spec"]["ports"]} for s in kinds(docs, "Service")}
    config = by_name(docs, "ConfigMap")["sbc-config"]["data"]
    addrs = {k: v for k, v in config.items() if k.endswith("_ADDR")}
    assert addrs
    for key, addr in addrs.items():
        host, port = addr.rsplit(":", 1)
        assert int(port) in services.get(host, set()), f"{key}={addr}: no such Service port"


@pytest.mark.parametrize("values", WITH_POLICIES, ids=[p.stem for p in WITH_POLICIES])
def test_every_network_policy_names_pods_that_exist(values):
    docs = render_ci(values)
    policies = kinds(docs, "NetworkPolicy")
    assert policies
    pods = [(meta["labels"], spec) for _, meta, spec in pod_specs(docs)]

    def matching(selector):
        return [spec for labels, spec in pods if selects(selector, labels)]

    for np in policies:
        name = np["metadata"]["name"]
        selected = matching(np["spec"]["podSelector"])
        assert selected, f"NetworkPolicy {name} selects no pod"
        assert np["spec"]["podSelector"].get("matchLabels", {}).get(INSTANCE) == "sbc", (
            f"{name} selects beyond the release"
        )
        own_ports = {p["containerPort"] for spec in selected for c in spec["containers"] for p in c.get("ports", [])}
        for rule in np["spec"].get("ingress") or []:
            for p in rule.get("ports", []):
                assert p["port"] in own_ports, f"{name}: ingress on port {p['port']}, which its pods do not open"
            for peer in rule.get("from", []):
                if "podSelector" in peer and "namespaceSelector" not in peer:
                    assert matching(peer["podSelector"]), f"{name}: ingress from pods that do not exist: {peer}"
        for rule in np["spec"].get("egress") or []:
            for peer in rule.get("to", []):
                if "podSelector" in peer and "namespaceSelector" not in peer:
                    targets = matching(peer["podSelector"])
                    assert targets, f"{name}: egress to pods that do not exist: {peer}"
                    their_ports = {
                        p["containerPort"] for spec in targets for c in spec["containers"] for p in c.get("ports", [])
                    }
                    for p in rule.get("ports", []):
                        assert p["port"] in their_ports, f"{name}: egress to port {p['port']} the target does not open"
    # every pod of the release is covered by a policy
    for owner, meta, _ in pod_specs(docs):
        assert any(selects(np["spec"]["podSelector"], meta["labels"]) for np in policies), (
            f"{owner['kind']}/{owner['metadata']['name']} has no NetworkPolicy"
        )
    checked(
        f"NetworkPolicies: {len(policies)} in {values.name}, each selecting pods that exist, peers and ports that exist"
    )


def _allows(np: dict, direction: str, peer_labels: dict, port: int) -> bool:
    for rule in np["spec"].get(direction) or []:
        ports = [p["port"] for p in rule.get("ports", [])]
        peers = rule.get("from" if direction == "ingress" else "to", [])
        if ports and port not in ports:
            continue
        if not peers or any(
            "podSelector" in p and "namespaceSelector" not in p and selects(p["podSelector"], peer_labels)
            for p in peers
        ):
            return True
    return False


def registry_calls() -> set[tuple[str, str]]:
    """(caller, callee) components: each server's registry calls, and the gateway to every public service."""
    reg = registry()
    return {(s.name, c) for s in reg.services.values() for c in s.calls} | {("gateway", s.name) for s in reg.public()}


def test_every_grpc_call_the_code_makes_is_in_the_registry():
    """From the code: a service (or the gateway) that imports another service's gRPC stubs calls it.
    Every server verifies tokens with identity's keys (the runtime fetches them): it calls identity."""
    reg = registry()
    calls = registry_calls()
    made = set()
    for caller, folder in [(s, ROOT / "services" / s) for s in reg.services] + [("gateway", ROOT / "gateway")]:
        for f in folder.rglob("*.py"):
            if "tests" in f.parts:
                continue
            for callee in re.findall(r"from sbc\.([a-z0-9]+)\.v1 import \1_pb2_grpc", f.read_text()):
                if callee != caller:
                    made.add((caller, callee))
    assert made <= calls, f"calls the code makes that the registry does not list: {sorted(made - calls)}"
    for s in reg.services.values():
        if s.name != "identity":
            assert "identity" in s.calls, f"{s.name}'s server verifies tokens with identity's keys: it calls identity"
    checked(f"every gRPC call the code makes is in the registry: {', '.join(f'{a}->{b}' for a, b in sorted(made))}")


def test_network_policies_allow_exactly_the_registrys_calls():
    """Each call the registry lists is allowed on both sides, and nothing else may reach a service."""
    values = CHART / "ci" / "production-values.yaml"
    docs = render_ci(values)
    policies = {np["spec"]["podSelector"]["matchLabels"].get(COMPONENT): np for np in kinds(docs, "NetworkPolicy")}
    config = by_name(docs, "ConfigMap")["sbc-config"]["data"]
    servers = {component_of(d): d for d in deployments(docs)}
    labels = {name: d["spec"]["template"]["metadata"]["labels"] for name, d in servers.items()}
    calls = registry_calls()
    assert ("gateway", "identity") in calls and ("servicedesk", "identity") in calls
    for caller, callee in sorted(calls):
        port = int(config[f"{callee.upper()}_ADDR"].rsplit(":", 1)[1])
        assert _allows(policies[caller], "egress", labels[callee], port), f"{caller} may not call {callee}"
        assert _allows(policies[callee], "ingress", labels[caller], port), f"{callee} refuses {caller}"
    # and a service accepts no one else (but its helm test)
    for callee, d in servers.items():
        if callee == "gateway":
            continue
        port = d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"]
        for caller in servers:
            if caller != callee and (caller, callee) not in calls:
                assert not _allows(policies[callee], "ingress", labels[caller], port), f"{callee} accepts {caller}"
    checked(f"NetworkPolicies allow exactly the registry's calls: {', '.join(f'{a}->{b}' for a, b in sorted(calls))}")


# --- every env var a process reads is set ---

# Read by the code, deliberately not set by the chart: why.
LEFT_AT_DEFAULT = {
    "SERVICE_NAME": "defaults to the service's own name, which is right",
    "DATA_DIR": "only for SQLite; in the chart every service has DATABASE_URL (PostgreSQL)",
    "HTTP_HOST": "0.0.0.0 is right in a pod",
    "IDENTITY_SEED_FILE": "demo households: never in production (only ci/e2e-values.yaml sets it)",
    "KAFKA_PREFIX": "empty in production: it gives a platform on a shared broker (an e2e run) names of its own",
    "ALERTS_CAP_CERTIFICATES_DIR": "the image's data/cap_certificates unless components.alerts.configDirs sets it",
    "DISTRICTS_DIR": "unset: the built-in pilot district alone; the chart sets it when values list districts",
    "MQTT_CA_FILE": "unset: plain MQTT to a broker inside the cluster; mqtt.tls.caSecret sets it (TLS)",
    "WEB_PUSH_VAPID_KEY_FILE": "unset: Web Push to phones is off until the operator has a VAPID key (a mounted Secret)",
    "WEB_PUSH_SUBJECT": "read only with a VAPID key: the operator's contact in the VAPID claims",
    "WEB_PUSH_LOCAL_ENDPOINTS": "a test's local push endpoint; a cluster posts only to the browsers' push services",
    # Kafka's security (sbc.kafkaEnv): set for the components that make Kafka clients (relays,
    # consumers, the gateway) when kafka.securityProtocol is SASL_SSL; a server makes none.
    "KAFKA_SECURITY_PROTOCOL": "PLAINTEXT by default; sbc.kafkaEnv sets it for every Kafka client",
    "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512, set with SASL_SSL (sbc.kafkaEnv)",
    "KAFKA_USERNAME": "set with SASL_SSL: the service's KafkaUser (sbc.kafkaEnv)",
    "KAFKA_PASSWORD": "set with SASL_SSL from the KafkaUser's Secret (sbc.kafkaEnv)",
    "KAFKA_CA_FILE": "set with SASL_SSL when kafka.caSecret is given (sbc.kafkaEnv)",
    "KAFKA_PASSWORD_FILE": "the chart gives KAFKA_PASSWORD from the KafkaUser's Secret",
    "KAFKA_CREDENTIALS_FILE": "a laptop's file of every principal's password (infra/local); never in a cluster",
    "RECORD_SIGNING_KEY_FILE": "set for each relay from recordSigning.existingSecret; no other process signs",
    # The museum's big screen (gateway/routes/tourism.py); values.yaml's gateway component says how.
    "EXHIBITION_STAFF_USERNAME": "unset until the egov office lends an account: that figure shows 暂无数据",
    "EXHIBITION_STAFF_PASSWORD": "with the username, from a Secret (components.gateway.secretEnv)",
    "TOURISM_MEDIA_DIR": "the image's gateway/static/tourism/media unless a volume of the museum's files is mounted",
    # e-government's materials in an S3-compatible store (runtime.objects); values.yaml's
    # networkPolicy.dependencies.objectstore says how to give them to components.egov.
    "OBJECT_STORE_URL": "unset: materials stay in egov's database until the operator has a store",
    "OBJECT_STORE_BUCKET": "read only with OBJECT_STORE_URL",
    "OBJECT_STORE_ACCESS_KEY": "read only with OBJECT_STORE_URL",
    "OBJECT_STORE_SECRET_KEY": "read only with OBJECT_STORE_URL, from a Secret (secretEnv)",
    "OBJECT_STORE_SECRET_KEY_FILE": "the same key as a mounted file (secretFiles), instead of secretEnv",
    "OBJECT_STORE_REGION": "us-east-1 unless the store names another",
    "OBJECT_STORE_TIMEOUT_SECONDS": "5 s: a call waits seconds, never minutes, for a store that does not answer",
    "REVOCATION_REFRESH_SECONDS": "5 s in every gRPC server, as the gateway has it (how long a revoked token works)",
}
# Read through the shared runtime by processes that do not use it: (role, VAR): why.
NOT_USED_BY = {
    ("worker", "GRPC_PORT"): "a worker (relay, consumer, scheduler) serves no gRPC API; its health is on HEALTH_PORT",
    ("worker", "MIGRATE_ON_START"): "workers never migrate: they wait for the schema",
    ("server", "HEALTH_PORT"): "a server reports its health on GRPC_PORT",
}
# The migration Job runs `python -m <service> migrate`: Settings are read, only these are used.
USED_BY_MIGRATE = {"DATABASE_URL", "LOG_LEVEL"}


def role_of(container: dict, env: dict) -> str:
    """gateway, server, worker or migrate: the chart's kind of the process, which decides its ports."""
    module, command = process_of(container)
    if module == "gateway":
        return "gateway"
    if command == "migrate":
        return "migrate"
    return "worker" if "HEALTH_PORT" in env else "server"


def required_env(module: str, command: str, role: str) -> dict[str, str]:
    """{VAR: file that reads it} that this process needs set."""
    reads = process_env_reads(module, command)
    needed = {}
    for var, files in reads.items():
        if var in LEFT_AT_DEFAULT or (role, var) in NOT_USED_BY:
            continue
        if role == "migrate" and var not in USED_BY_MIGRATE:
            continue
        needed[var] = sorted(files)[0]
    return needed


def test_the_env_scan_finds_the_settings():
    """The scan is not vacuous, and the exemptions above name settings the code still reads."""
    services = process_env_reads("identity", "serve")
    gateway = process_env_reads("gateway", "")
    assert {
        "GRPC_PORT",
        "DATABASE_URL",
        "KAFKA_BOOTSTRAP_SERVERS",
        "IDENTITY_ADDR",
        "HEALTH_PORT",
        "MIGRATE_ON_START",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "IDENTITY_SIGNING_KEY_FILE",
    } <= set(services)
    assert {"HTTP_PORT", "REDIS_URL", "RATE_LIMIT_IP", "SERVICEDESK_ADDR"} <= set(gateway)
    every = set(services) | set(gateway)
    every |= set(env_reads([ROOT / "services"]))
    stale = ({*LEFT_AT_DEFAULT} | {v for (_, v) in NOT_USED_BY} | USED_BY_MIGRATE) - every
    assert not stale, f"no code reads {sorted(stale)} any more: remove it from this test's tables"


@SCENARIOS
def test_every_env_var_a_process_reads_is_set(values):
    docs = render_ci(values)
    count = 0
    for owner, _, spec in pod_specs(docs):
        if owner["kind"] == "Pod":
            continue  # helm tests run a check, not a platform process
        for c in spec["containers"]:
            module, command = process_of(c)
            env = container_env(c, docs)
            missing = {var: f for var, f in required_env(module, command, role_of(c, env)).items() if var not in env}
            assert not missing, (
                f"{owner['kind']}/{owner['metadata']['name']} (python -m {module} {command}) reads "
                + ", ".join(f"{v} ({f})" for v, f in sorted(missing.items()))
                + " but the chart does not set it: add it to values.yaml (config, or the component's env)"
            )
            for var, value in env.items():
                assert value not in ("", None) or var in ("OTEL_EXPORTER_OTLP_ENDPOINT",), f"{var} is empty"
            count += 1
    checked(f"every env var each process reads (scanned from the code) is set: {count} containers in {values.name}")


@SCENARIOS
def test_servers_do_not_migrate_on_start_where_a_job_migrates(values):
    docs = render_ci(values)
    jobs = kinds(docs, "Job")
    migrated = {j["spec"]["template"]["spec"]["containers"][0]["args"][0] for j in jobs}
    for d in deployments(docs):
        c = d["spec"]["template"]["spec"]["containers"][0]
        module, command = process_of(c)
        if command == "serve":
            assert module in migrated, f"{module} has no migration Job"
            assert container_env(c, docs)["MIGRATE_ON_START"] == "false"


@SCENARIOS
def test_migration_jobs_are_pre_install_hooks_that_need_nothing_the_release_makes(values):
    docs = render_ci(values)
    jobs = kinds(docs, "Job")
    assert {j["spec"]["template"]["spec"]["containers"][0]["args"][0] for j in jobs} == {
        n for n, c in components(merged_values(values)).items() if c.get("migrate")
    }
    for j in jobs:
        a = j["metadata"]["annotations"]
        assert set(a["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
        assert "before-hook-creation" in a["helm.sh/hook-delete-policy"]
        spec = j["spec"]["template"]["spec"]
        assert spec["restartPolicy"] == "Never"
        c = spec["containers"][0]
        assert c["args"][1:] == ["migrate"]
        # pre-install hooks run before the release's ConfigMaps and ServiceAccount exist
        assert "envFrom" not in c and "serviceAccountName" not in spec
    checked("migration Jobs: pre-install/pre-upgrade hooks, one per service, needing nothing the release creates")


@SCENARIOS
def test_helm_tests_check_every_service(values):
    docs = render_ci(values)
    tests = [p for p in kinds(docs, "Pod") if p["metadata"]["annotations"]["helm.sh/hook"] == "test"]
    services = by_name(docs, "Service")
    targets = set()
    for t in tests:
        target = t["spec"]["containers"][0]["args"][-1]
        host = target.removeprefix("http://").split("/")[0].rsplit(":", 1)[0]
        assert host in services, target
        targets.add(host)
    assert targets == set(services), f"helm test does not check {set(services) - targets}"


# --- a new component is one values entry ---


def test_a_new_service_is_one_registry_entry(tmp_path: pathlib.Path):
    """A service added to the registry alone (tourism, one the design plans, with its server, relay
    and a consumer): the chart renders everything it needs, with no change to the templates or values."""
    import shutil

    chart = tmp_path / "sbc-platform"
    shutil.copytree(CHART, chart)
    reg = yaml.safe_load((chart / "platform.yaml").read_text())
    reg["services"]["tourism"] = {
        "port": 50059,
        "database": "tourism",
        "public": True,
        "calls": ["identity"],
        "publishes": {"sbc.tourism.reservations.v1": {"partitions": 3, "retention_ms": 604800000}},
        "env": {"TOURISM_HOLD_MINUTES": "15"},
        "processes": {
            "serve": {"kind": "grpc"},
            "relay": {"kind": "relay"},
            "reminders": {
                "kind": "consumer",
                "group": "tourism-reminders",
                "reads": ["sbc.tourism.reservations.v1"],
                "uses": ["mqtt"],
            },
        },
    }
    (chart / "platform.yaml").write_text(yaml.safe_dump(reg, allow_unicode=True))
    out = helm(
        "template",
        "sbc",
        str(chart),
        "--namespace",
        "sbc",
        "-f",
        str(CHART / "ci" / "production-values.yaml"),
        "-f",
        str(CHART / "ci" / "strimzi-values.yaml"),
    )
    assert out.returncode == 0, out.stderr
    docs = manifests(out.stdout)
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for kind in ("Deployment", "Service", "ConfigMap", "NetworkPolicy", "PodDisruptionBudget", "Job", "Pod"):
        assert (kind, {"Job": "sbc-tourism-migrate", "Pod": "sbc-tourism-test"}.get(kind, "sbc-tourism")) in names, kind
    assert ("Deployment", "sbc-tourism-relay") in names and ("Service", "sbc-tourism-relay") not in names
    assert ("Deployment", "sbc-tourism-reminders") in names
    assert ("KafkaTopic", "sbc.tourism.reservations.v1") in names
    # It has a consumer, so a dead-letter topic (no entry of its own in the registry).
    assert ("KafkaTopic", "sbc.tourism.dead-letters.v1") in names
    assert ("Database", "sbc-pg-tourism") in names and ("DatabaseRole", "sbc-pg-tourism") in names
    assert by_name(docs, "ConfigMap")["sbc-config"]["data"]["TOURISM_ADDR"] == "sbc-tourism:50059"
    assert by_name(docs, "ConfigMap")["sbc-tourism-reminders"]["data"]["TOURISM_HOLD_MINUTES"] == "15"
    server = by_name(docs, "Deployment")["sbc-tourism"]["spec"]["template"]["spec"]["containers"][0]
    assert {"DATABASE_URL", "GRPC_PORT"} <= {e["name"] for e in server["env"]}
    reminders = by_name(docs, "Deployment")["sbc-tourism-reminders"]["spec"]["template"]["spec"]["containers"][0]
    assert {"MQTT_HOST", "MQTT_PORT", "DATABASE_URL", "HEALTH_PORT"} <= {e["name"] for e in reminders["env"]}
    gateway_policy = by_name(docs, "NetworkPolicy")["sbc-gateway"]
    assert any(p.get("port") == 50059 for r in gateway_policy["spec"]["egress"] for p in r.get("ports", []))
    checked(
        "a new service is one registry entry: its Deployments, Service, policies, Job, test, topics "
        "(its dead-letter topic too) and database"
    )


def test_the_service_monitor_renders_for_a_component_with_metrics():
    docs = render(
        [CHART / "ci" / "minimal-values.yaml"], ["serviceMonitor.enabled=true", "components.gateway.metricsPort=9464"]
    )
    (sm,) = kinds(docs, "ServiceMonitor")
    svc = by_name(docs, "Service")["sbc-gateway"]
    assert selects(sm["spec"]["selector"], svc["metadata"]["labels"])
    assert sm["spec"]["endpoints"][0]["port"] in {p["name"] for p in svc["spec"]["ports"]}


def test_env_values_in_the_chart_go_through_templates():
    docs = render_ci(CHART / "ci" / "production-values.yaml")
    assert (
        by_name(docs, "ConfigMap")["sbc-identity"]["data"]["IDENTITY_VERIFICATION_URI"]
        == "https://tv.xiuzhou.example/identity/device"
    )


def test_the_cap_path_alone_takes_cap_sized_bodies_behind_the_ingress():
    docs = render([CHART / "ci" / "minimal-values.yaml"], ["ingress.enabled=true", "ingress.hosts[0]=sbc.example"])
    ingresses = by_name(docs, "Ingress")
    main, cap = ingresses["sbc-gateway"], ingresses["sbc-gateway-cap"]
    limit = "nginx.ingress.kubernetes.io/proxy-body-size"
    assert limit not in (main["metadata"].get("annotations") or {}), "every other path keeps the controller's limit"
    assert cap["metadata"]["annotations"][limit] == "8m"
    (path,) = cap["spec"]["rules"][0]["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/v1/alerts/cap", "Exact")
    config = by_name(docs, "ConfigMap")["sbc-config"]["data"]
    assert int(config["ALERTS_CAP_MAX_BYTES"]) <= 8 * 1024 * 1024, "the Ingress takes what alerts takes"


def test_cap_certificates_come_from_a_config_map_when_given():
    docs = render(
        [CHART / "ci" / "minimal-values.yaml"],
        ["components.alerts.configDirs.ALERTS_CAP_CERTIFICATES_DIR.configMap=cap-certificates"],
    )
    spec = by_name(docs, "Deployment")["sbc-alerts"]["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in spec["containers"][0]["env"]}
    folder = env["ALERTS_CAP_CERTIFICATES_DIR"]
    mounts = {m["mountPath"]: m for m in spec["containers"][0]["volumeMounts"]}
    assert mounts[folder]["readOnly"] is True
    (volume,) = [v for v in spec["volumes"] if v["name"] == mounts[folder]["name"]]
    assert volume["configMap"]["name"] == "cap-certificates"
    plain = by_name(render([CHART / "ci" / "minimal-values.yaml"]), "Deployment")["sbc-alerts"]
    assert "ALERTS_CAP_CERTIFICATES_DIR" not in {
        e["name"] for e in plain["spec"]["template"]["spec"]["containers"][0]["env"]
    }
