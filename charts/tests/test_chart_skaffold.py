"""skaffold.yaml: every artifact's context and Dockerfile (and target) exist, every release
deploys the chart with values files that exist, and every component of the chart runs an
image that is an artifact whose built reference the release sets."""

from __future__ import annotations

import re

import pytest
import yaml

from .chartlib import CHART, ROOT, checked, components, merged_values

SKAFFOLD = yaml.safe_load((ROOT / "skaffold.yaml").read_text())
PIPELINES = [("default", SKAFFOLD)] + [(p["name"], {**SKAFFOLD, **p}) for p in SKAFFOLD.get("profiles", [])]


def test_skaffold_config_shape():
    assert SKAFFOLD["apiVersion"].startswith("skaffold/v4") and SKAFFOLD["kind"] == "Config"
    assert "dev" in {p["name"] for p in SKAFFOLD["profiles"]}


@pytest.mark.parametrize("name, pipeline", PIPELINES, ids=[n for n, _ in PIPELINES])
def test_every_artifact_builds_from_files_that_exist(name, pipeline):
    for a in pipeline["build"]["artifacts"]:
        context = ROOT / a.get("context", ".")
        assert context.is_dir(), f"{a['image']}: no context {context}"
        dockerfile = context / a.get("docker", {}).get("dockerfile", "Dockerfile")
        assert dockerfile.is_file(), f"{a['image']}: no {dockerfile}"
        target = a.get("docker", {}).get("target")
        if target:
            assert re.search(rf"^FROM\s+\S+\s+AS\s+{re.escape(target)}\s*$", dockerfile.read_text(), re.M | re.I), (
                f"{a['image']}: {dockerfile.name} has no stage {target}"
            )


@pytest.mark.parametrize("name, pipeline", PIPELINES, ids=[n for n, _ in PIPELINES])
def test_every_component_runs_an_artifact(name, pipeline):
    artifacts = {a["image"] for a in pipeline["build"]["artifacts"]}
    for release in pipeline["deploy"]["helm"]["releases"]:
        assert (ROOT / release["chartPath"]).resolve() == CHART.resolve()
        values_files = [ROOT / v for v in release.get("valuesFiles", [])]
        for v in values_files:
            assert v.is_file(), f"{release['name']}: no values file {v}"
        values = merged_values(values_files[0]) if values_files else yaml.safe_load((CHART / "values.yaml").read_text())
        sets = release.get("setValueTemplates", {})
        for component, c in components(values).items():
            override = (c.get("image") or {}).get("repository")
            image = override or values["image"]["repository"]
            assert image in artifacts, f"component {component} runs {image}, which no skaffold artifact builds"
            key = f"components.{component}.image" if override else "image"
            var = re.sub(r"[^A-Za-z0-9]", "_", image)
            assert sets.get(f"{key}.repository") == f"{{{{.IMAGE_REPO_{var}}}}}", f"{component}: {key}.repository"
            assert sets.get(f"{key}.tag", "").startswith(f"{{{{.IMAGE_TAG_{var}}}}}"), f"{component}: {key}.tag"
        checked(
            f"skaffold ({name}): artifacts {sorted(artifacts)} build from files that exist; "
            f"all {len(components(values))} components run them"
        )
