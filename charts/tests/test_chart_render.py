"""The chart through the real tools: helm lint --strict and helm template for every
ci/*-values.yaml, every rendered manifest against the Kubernetes JSON schemas (strict:
an unknown field is an error) for the oldest and newest Kubernetes the chart supports,
and the Strimzi resources against Strimzi's own CRD schemas."""

from __future__ import annotations

import pathlib

import pytest

from .chartlib import (
    CHART,
    CI_VALUES,
    KUBE_VERSIONS,
    checked,
    crd_errors,
    helm,
    helm_version,
    kube_errors,
    render_ci,
    render_text,
)

CI_IDS = [p.stem for p in CI_VALUES]


def test_there_are_the_ci_scenarios_the_issue_asks_for():
    assert {"minimal-values", "production-values", "strimzi-values"} <= set(CI_IDS), CI_IDS


@pytest.mark.parametrize("values", CI_VALUES, ids=CI_IDS)
def test_helm_lint_strict(values: pathlib.Path):
    out = helm("lint", "--strict", str(CHART), "-f", str(values))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 chart(s) failed" in out.stdout
    checked(f"helm lint --strict ({helm_version()}): {len(CI_VALUES)} ci values files clean")


@pytest.mark.parametrize("kube", KUBE_VERSIONS)
@pytest.mark.parametrize("values", CI_VALUES, ids=CI_IDS)
def test_rendered_manifests_match_the_kubernetes_schemas(values: pathlib.Path, kube: str):
    docs = render_ci(values)
    errors, validated = [], 0
    for d in docs:
        if d["apiVersion"].startswith(("kafka.strimzi.io/", "monitoring.coreos.com/", "postgresql.cnpg.io/")):
            continue  # custom resources: their own schemas below (CloudNativePG's by structure, test_chart_infra)
        problem = kube_errors(d, kube)
        validated += 1
        if problem:
            errors.append(f"{d['kind']}/{d['metadata']['name']}: {problem}")
    assert not errors, f"{values.name} against Kubernetes {kube}:\n" + "\n".join(errors)
    from kubernetes_validate.version import __version__

    checked(
        f"kubernetes-validate {__version__} (strict) on Kubernetes {' and '.join(KUBE_VERSIONS)}: "
        f"every rendered resource of every ci file"
    )


@pytest.mark.parametrize("values", CI_VALUES, ids=CI_IDS)
def test_strimzi_resources_match_strimzis_crd_schemas(values: pathlib.Path):
    topics = [d for d in render_ci(values) if d["apiVersion"].startswith("kafka.strimzi.io/")]
    for d in topics:
        errors = crd_errors(d)
        assert not errors, f"{d['kind']}/{d['metadata']['name']}:\n" + "\n".join(errors)
    if topics:
        checked("Strimzi CRD schemas (generated from io.strimzi:api 1.2.0): the chart's KafkaTopics")


def test_the_strimzi_schema_check_does_refuse_a_bad_topic():
    """The check is not vacuous: a misspelt field and a wrong type are both refused."""
    topic = {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaTopic",
        "metadata": {"name": "t"},
        "spec": {"partitons": 3, "replicas": "three"},
    }
    errors = "\n".join(crd_errors(topic))
    assert "partitons" in errors and "'three' is not of type 'integer'" in errors


def test_the_kubernetes_schema_check_does_refuse_a_bad_manifest():
    deployment = render_ci(CI_VALUES[0])
    d = next(x for x in deployment if x["kind"] == "Deployment")
    d["spec"]["replica"] = 2
    assert "'replica' was unexpected" in (kube_errors(d, KUBE_VERSIONS[0]) or "")


def test_every_template_renders_something_in_some_scenario():
    """A template no ci file exercises is a template nothing checks."""
    rendered = set()
    for values in CI_VALUES:
        rendered |= {
            line.split("templates/", 1)[1]
            for line in render_text([values]).splitlines()
            if line.startswith("# Source:")
        }
    templates = {str(p.relative_to(CHART / "templates")) for p in (CHART / "templates").rglob("*.yaml")}
    # The ServiceMonitor renders only for a component with metricsPort (none today): test_policy renders it.
    # A district's ConfigMap renders only from its files in the values: test_chart_districts renders it.
    missing = templates - rendered - {"servicemonitor.yaml", "districts.yaml"}
    assert not missing, f"no ci/*-values.yaml renders {sorted(missing)}"


def test_helm_is_the_version_the_makefile_pins():
    import re

    pinned = re.search(r"^HELM_VERSION := (\S+)", (CHART.parents[1] / "Makefile").read_text(), re.M).group(1)
    assert helm_version().startswith(pinned), f"{helm_version()} is not the Makefile's {pinned}: run `make tools`"
