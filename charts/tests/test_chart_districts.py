"""A second district by a values entry alone (values `districts:`): its folder of data files, an
existing ConfigMap or files given in the values, is mounted in every process at DISTRICTS_DIR/<code>,
with no image change; bad entries are refused by the schema."""

from __future__ import annotations

import json

import yaml

from .chartlib import CHART, ROOT, by_name, helm, render, template_args

MINIMAL = CHART / "ci" / "minimal-values.yaml"
FOLDER = ROOT / "e2e" / "districts" / "330499"


def env_of(deployment: dict) -> dict[str, str]:
    return {e["name"]: e.get("value") for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}


def mounted(deployment: dict, path: str) -> dict:
    """The volume mounted at `path` in the deployment's container."""
    spec = deployment["spec"]["template"]["spec"]
    (mount,) = [m for m in spec["containers"][0]["volumeMounts"] if m["mountPath"] == path]
    assert mount["readOnly"] is True
    (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
    return volume


def test_without_districts_no_process_has_a_districts_folder():
    for name, d in by_name(render([MINIMAL]), "Deployment").items():
        assert "DISTRICTS_DIR" not in env_of(d), name


def districts(tmp_path, *entries: dict):
    """A values file listing these districts (a district code is a string: --set would make it a number)."""
    path = tmp_path / "districts.yaml"
    path.write_text(yaml.safe_dump({"districts": list(entries)}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_district_as_an_existing_config_map_is_mounted_in_every_process(tmp_path):
    values = districts(tmp_path, {"code": "330499", "configMap": "sbc-district-330499"})
    deployments = by_name(render([MINIMAL, values]), "Deployment")
    for name in ("sbc-servicedesk", "sbc-egov", "sbc-education", "sbc-legal", "sbc-tourism", "sbc-alerts"):
        d = deployments[name]
        assert env_of(d)["DISTRICTS_DIR"] == "/etc/sbc/districts", name
        assert mounted(d, "/etc/sbc/districts/330499")["configMap"]["name"] == "sbc-district-330499"
    assert all(env_of(d)["DISTRICTS_DIR"] == "/etc/sbc/districts" for d in deployments.values())


def test_a_district_given_as_files_renders_its_config_map(tmp_path):
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(FOLDER.glob("*.json"))}
    docs = render([MINIMAL, districts(tmp_path, {"code": "330499", "files": files})])
    config = by_name(docs, "ConfigMap")["sbc-district-330499"]
    assert sorted(config["data"]) == sorted(files)
    assert json.loads(config["data"]["egov.json"]) == json.loads(files["egov.json"])
    volume = mounted(by_name(docs, "Deployment")["sbc-tourism"], "/etc/sbc/districts/330499")
    assert volume["configMap"]["name"] == "sbc-district-330499"


def refused(tmp_path, entry: dict) -> str:
    out = helm(*template_args([MINIMAL, districts(tmp_path, entry)]))
    assert out.returncode != 0, f"helm template accepted {entry}"
    assert not out.stdout.strip(), "nothing may be rendered from bad values"
    return out.stderr


def test_bad_district_entries_are_refused(tmp_path):
    assert "'/districts/0/code'" in refused(tmp_path, {"code": "3304", "configMap": "x"})
    assert "'/districts/0/code'" in refused(tmp_path, {"code": 330499, "configMap": "x"})
    assert "'/districts/0'" in refused(tmp_path, {"code": "330499"})  # neither a ConfigMap nor files
    assert "'/districts/0'" in refused(tmp_path, {"code": "330499", "configMap": "x", "files": {"egov.json": "{}"}})
    assert "'egov' does not match" in refused(tmp_path, {"code": "330499", "files": {"egov": "{}"}})
