"""What the chart tests share: the real helm binary, rendering with caching, the
Kubernetes and Strimzi schemas, and the scan of the code for the environment
variables each process reads."""

from __future__ import annotations

import ast
import copy
import functools
import json
import pathlib
import re
import subprocess
from collections.abc import Iterable

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "charts" / "sbc-platform"
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))
HELM = ROOT / ".cache" / "go" / "bin" / "helm"
CRDS = pathlib.Path(__file__).resolve().parent / "crds"
RELEASE = "sbc"
NAMESPACE = "sbc"
# The chart's kubeVersion floor and the newest schemas kubernetes-validate carries.
KUBE_VERSIONS = ["1.29.0", "1.37.0"]

# What the tests checked, printed at the end of the run (conftest.py).
CHECKED: list[str] = []


def checked(line: str) -> None:
    if line not in CHECKED:
        CHECKED.append(line)


# --- helm ---


def helm_path() -> pathlib.Path:
    if not HELM.exists():
        raise AssertionError(f"{HELM.relative_to(ROOT)} is missing: `make tools` builds it (make test does)")
    return HELM


def helm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(helm_path()), *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


@functools.cache
def helm_version() -> str:
    return helm("version", "--short").stdout.strip()


def template_args(
    values: Iterable[pathlib.Path | str] = (), sets: Iterable[str] = (), kube: str = KUBE_VERSIONS[0]
) -> list[str]:
    args = ["template", RELEASE, str(CHART), "--namespace", NAMESPACE, "--kube-version", kube]
    for v in values:
        args += ["-f", str(v)]
    for s in sets:
        args += ["--set", s]
    return args


@functools.cache
def _render(values: tuple[str, ...], sets: tuple[str, ...]) -> tuple[str, tuple[dict, ...]]:
    out = helm(*template_args(values, sets))
    if out.returncode != 0:
        raise AssertionError(f"helm template {' '.join(values)} {' '.join(sets)} failed:\n{out.stderr}")
    return out.stdout, tuple(manifests(out.stdout))


def manifests(text: str) -> list[dict]:
    """The documents of a rendered chart, read with libyaml (the pure-Python reader takes seconds)."""
    return [d for d in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if d]


def render(values: Iterable[pathlib.Path | str] = (), sets: Iterable[str] = ()) -> list[dict]:
    """The rendered manifests (deep copies: a test may change them)."""
    return copy.deepcopy(list(_render(tuple(str(v) for v in values), tuple(sets))[1]))


def render_text(values: Iterable[pathlib.Path | str] = (), sets: Iterable[str] = ()) -> str:
    """What helm template printed, with its `# Source:` lines."""
    return _render(tuple(str(v) for v in values), tuple(sets))[0]


def render_ci(path: pathlib.Path) -> list[dict]:
    return render([path])


def merged_values(values_file: pathlib.Path) -> dict:
    """values.yaml with a ci file over it (maps merge, everything else replaces), as helm does."""

    def merge(base, over):
        if isinstance(base, dict) and isinstance(over, dict):
            out = dict(base)
            for k, v in over.items():
                out[k] = merge(base.get(k), v) if k in base else copy.deepcopy(v)
            return out
        return copy.deepcopy(over)

    base = yaml.safe_load((CHART / "values.yaml").read_text())
    return merge(base, yaml.safe_load(values_file.read_text()) or {})


def registry():
    """The platform's registry (what the chart's templates read as platform.yaml)."""
    import sys

    sys.path[:0] = [str(ROOT / "services"), str(ROOT / "protos")]
    from runtime import registry as reg

    return reg.load()


def registry_components(public_url: str) -> dict[str, dict]:
    """What the chart makes of the registry, derived here independently of the templates
    (sbc.registryComponents): a component per process, and the gateway."""
    reg = registry()
    out = {}
    for s in reg.services.values():
        env = {k: v.replace("{public_url}", public_url) for k, v in s.env.items()}
        for p in s.processes.values():
            c = {"args": [s.name, p.name], "service": s.name, "env": dict(env), "calls": [], "uses": []}
            if s.database:
                c["database"] = s.database
            if p.kind == "grpc":
                c.update(kind="grpc", port=s.port, calls=list(s.calls))
                if s.database:
                    c["migrate"] = True
            else:
                c.update(kind="worker", port=50060, uses=(["kafka"] if p.uses_kafka else []) + list(p.uses))
                if p.kind == "relay":
                    c.update(singleton=True, replicas=1)
            out[p.component] = c
    out["gateway"] = {
        "kind": "http",
        "args": ["gateway"],
        "port": reg.gateway.port,
        "env": {},
        "calls": [x.name for x in reg.public()],
        "uses": ["kafka", *reg.gateway.uses],
    }
    return out


def components(values: dict) -> dict[str, dict]:
    """Each enabled component: componentDefaults, the registry's, then values' tuning (what the templates see)."""

    def merge(base, over):
        if isinstance(base, dict) and isinstance(over, dict):
            return {**base, **{k: merge(base.get(k), v) for k, v in over.items()}}
        return over

    out = {}
    for name, c in registry_components(values.get("publicUrl", "")).items():
        full = merge(merge(values["componentDefaults"], c), values.get("components", {}).get(name, {}))
        if full.get("enabled", True):
            out[name] = full
    return out


# --- rendered objects ---


def kinds(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def by_name(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in kinds(docs, kind)}


def pod_specs(docs: list[dict]) -> list[tuple[dict, dict, dict]]:
    """(owner, pod metadata, pod spec) of every pod the render makes: Deployments, Jobs, test Pods."""
    out = []
    for d in docs:
        if d["kind"] in ("Deployment", "Job"):
            t = d["spec"]["template"]
            out.append((d, t["metadata"], t["spec"]))
        elif d["kind"] == "Pod":
            out.append((d, d["metadata"], d["spec"]))
    return out


def selects(selector: dict, labels: dict) -> bool:
    """Whether a LabelSelector (matchLabels, matchExpressions) selects these labels; an
    empty selector selects everything."""
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e["key"], e["operator"], e.get("values", [])
        if (op == "In" and labels.get(key) not in values) or (op == "NotIn" and labels.get(key) in values):
            return False
        if (op == "Exists" and key not in labels) or (op == "DoesNotExist" and key in labels):
            return False
    return True


def container_env(container: dict, docs: list[dict]) -> dict[str, object]:
    """Every env var a container gets: its env, and the keys of the ConfigMaps it takes whole."""
    maps = by_name(docs, "ConfigMap")
    env: dict[str, object] = {}
    for src in container.get("envFrom", []):
        if "configMapRef" in src:
            name = src["configMapRef"]["name"]
            assert name in maps, f"envFrom names ConfigMap {name}, which the chart does not render"
            env.update(maps[name].get("data") or {})
        else:
            raise AssertionError(f"envFrom {src}: only ConfigMaps (a Secret's keys can't be checked)")
    for e in container.get("env", []):
        env[e["name"]] = e.get("value", e.get("valueFrom"))
    return env


# --- schemas ---


@functools.cache
def crd_schema(kind: str, version: str = "v1") -> dict:
    """A Strimzi CRD's openAPIV3Schema (generated from Strimzi's Maven artifacts: crds/generate.sh),
    made strict: an unknown field is an error, as with kubectl's strict field validation."""
    data = json.loads((CRDS / f"strimzi-{kind.lower()}-{version}.json").read_text())
    return _strict(data["openAPIV3Schema"], top=True)


def _strict(node, top: bool = False):
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items()}
    if out.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.get("nullable"):
        t = out.get("type")
        if t:
            out["type"] = [t, "null"]
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def crd_errors(doc: dict) -> list[str]:
    import jsonschema

    group, version = doc["apiVersion"].split("/")
    assert group == "kafka.strimzi.io", doc["apiVersion"]
    validator = jsonschema.Draft7Validator(crd_schema(doc["kind"], version))
    return [f"{'/'.join(map(str, e.absolute_path)) or '.'}: {e.message}" for e in validator.iter_errors(doc)]


@functools.cache
def _kube_validator(kind: str, api_version: str, version: str):
    """kubernetes_validate.validate()'s validator (the same schema files, the same draft),
    built once per kind and version instead of once per resource."""
    import jsonschema
    import kubernetes_validate
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    mm = utils.major_minor(version)
    schema_version = [v for v in utils.all_versions() if utils.major_minor(v) <= mm][-1]
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    folder = f"kubernetes-json-schema/v{schema_version}-local-strict"
    try:
        schema = utils.schema_contents(f"{folder}/{kind.lower()}-{group}.json", version)
    except FileNotFoundError:
        raise kubernetes_validate.SchemaNotFoundError(version=mm, kind=kind, api_version=api_version) from None
    definitions = utils.schema_contents(f"{folder}/_definitions.json", version)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def kube_errors(doc: dict, version: str) -> str | None:
    """Every schema error of a manifest against Kubernetes `version`'s strict schema, or None."""
    validator = _kube_validator(doc["kind"], doc["apiVersion"], version)
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '.'}: {e.message}" for e in validator.iter_errors(doc)]
    return "; ".join(errors) or None


# --- the code: which env vars each process reads ---

ENV_READ = re.compile(
    r"""\b(?:env|env_int|env_float)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
    r"""|os\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    # a periodic worker's interval (runtime.service.periodic(..., every="SLA_SCAN_SECONDS"))
    r"""|\bevery\s*=\s*["']([A-Z][A-Z0-9_]*)["']"""
    # a service's address (runtime.settings.service_addr("identity") reads IDENTITY_ADDR)
    r"""|\bservice_addr\(\s*["']([a-z][a-z0-9]*)["']"""
)


def _var(m: re.Match) -> str:
    var = next(g for g in m.groups() if g)
    return f"{var.upper()}_ADDR" if m.lastindex == 6 else var


def env_reads(paths: Iterable[pathlib.Path], skip: Iterable[pathlib.Path] = ()) -> dict[str, set[str]]:
    """{VAR: {files that read it}} over the non-test Python files under `paths`."""
    found: dict[str, set[str]] = {}
    skip = {pathlib.Path(s).resolve() for s in skip}
    for base in paths:
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for f in files:
            rel = f.relative_to(ROOT)
            if "tests" in rel.parts or f.name.startswith("test_") or "migrations" in rel.parts or f.resolve() in skip:
                continue
            for m in ENV_READ.finditer(f.read_text(encoding="utf-8")):
                found.setdefault(_var(m), set()).add(str(rel))
    return found


def _reads_by_line(source: str) -> list[tuple[int, str]]:
    return [(source.count("\n", 0, m.start()) + 1, _var(m)) for m in ENV_READ.finditer(source)]


def _reads_in(reads: list[tuple[int, str]], node: ast.AST) -> set[str]:
    return {var for line, var in reads if node.lineno <= line <= node.end_lineno}


def _process_names(service_py: pathlib.Path) -> dict[str, set[str]]:
    """The names each process's code in a service's service.py refers to: the server's
    (servicer=..., verifier=...) and each worker's (workers={"name": ...})."""
    tree = ast.parse(service_py.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}

    def names(node) -> set[str]:
        return {
            n.id if isinstance(n, ast.Name) else n.attr
            for n in ast.walk(node)
            if isinstance(n, (ast.Name, ast.Attribute))
        }

    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Service":
            for kw in call.keywords:
                if kw.arg in ("servicer", "verifier"):
                    out.setdefault("serve", set()).update(names(kw.value))
                if kw.arg == "workers" and isinstance(kw.value, ast.Dict):
                    for k, v in zip(kw.value.keys, kw.value.values, strict=True):
                        out.setdefault(k.value, set()).update(names(v))
    return out


def process_env_reads(module: str, command: str) -> dict[str, set[str]]:
    return {k: set(v) for k, v in _process_env_reads(module, command).items()}


@functools.cache
def _process_env_reads(module: str, command: str) -> dict[str, set[str]]:
    """{VAR: {files}} that `python -m <module> <command>` reads, scanned from the code.

    The shared runtime's reads count for every process (test_chart_policy's tables say which a
    process does not use). In the service's own code, a read inside a top-level function counts
    for the processes whose declaration in service.py names that function (the server's
    servicer=..., a worker's entry in workers={...}), or for every process when none names it;
    a read in a function of service.py itself counts for the process that names it; any other
    read counts for every process."""
    if module == "gateway":
        # The gateway uses the runtime's telemetry, logs, settings and token checks, not the services' Settings.
        reads = env_reads([ROOT / "gateway", ROOT / "services" / "runtime" / "telemetry.py"])
        for svc in registry().public():  # gateway/settings.py: service_addr() of each public service
            reads.setdefault(svc.addr_env, set()).add("gateway/settings.py")
        return reads
    reads = env_reads([ROOT / "services" / "runtime"])
    named = _process_names(ROOT / "services" / module / "service.py")
    for f in sorted((ROOT / "services" / module).rglob("*.py")):
        rel = f.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts or f.name.startswith("test_"):
            continue
        source = f.read_text(encoding="utf-8")
        found = _reads_by_line(source)
        counted: set[str] = set()
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                users = {c for c, names in named.items() if node.name in names}
                if users and command not in users:
                    continue
            if f.name == "service.py" and isinstance(node, (ast.Assign, ast.AnnAssign)):
                # the declaration itself: a worker's entry counts for that worker only
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Service":
                        for kw in call.keywords:
                            if kw.arg == "workers" and isinstance(kw.value, ast.Dict):
                                for k, v in zip(kw.value.keys, kw.value.values, strict=True):
                                    if k.value == command:
                                        counted |= _reads_in(found, v)
                            elif kw.arg in ("servicer", "verifier") and command == "serve":
                                counted |= _reads_in(found, kw.value)
                continue
            counted |= _reads_in(found, node)
        for var in counted:
            reads.setdefault(var, set()).add(str(rel))
    return reads
