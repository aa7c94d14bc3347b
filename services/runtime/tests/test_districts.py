"""runtime.districts: every service finds its districts' data the same way, and district data that
cannot be loaded stops the start with the file to mend in the message."""

from __future__ import annotations

import json
import pathlib

import pytest

from runtime import districts
from runtime.districts import DistrictDataError

ROOT = pathlib.Path(__file__).resolve().parents[3]
SECOND = ROOT / "e2e" / "districts"


def code_of(data: dict) -> str:
    return data["district"]["code"]


def write(path: pathlib.Path, data) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def pilot(tmp_path) -> dict[str, pathlib.Path]:
    return {"330411": write(tmp_path / "builtin" / "330411.json", {"district": {"code": "330411"}})}


def test_unset_means_the_built_in_districts_alone(monkeypatch, pilot):
    monkeypatch.delenv("DISTRICTS_DIR", raising=False)
    assert districts.configured_dir() is None
    assert districts.load("egov.json", pilot, code_of) == {"330411": {"district": {"code": "330411"}}}


def test_each_sub_folder_adds_its_district(monkeypatch, tmp_path, pilot):
    write(tmp_path / "d" / "330499" / "egov.json", {"district": {"code": "330499"}})
    (tmp_path / "d" / "330498").mkdir()  # a district without this service's file: that service has none of it
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    found = districts.load("egov.json", pilot, code_of)
    assert list(found) == ["330411", "330499"] and found["330499"]["district"]["code"] == "330499"


def test_a_missing_folder_is_named(monkeypatch, tmp_path, pilot):
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(DistrictDataError, match="nowhere is not a folder"):
        districts.load("egov.json", pilot, code_of)


def test_a_relative_folder_is_the_repositorys(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", "e2e/districts")
    assert districts.configured_dir() == SECOND
    assert list(districts.district_folders()) == ["330499"]


def test_a_malformed_file_is_named(monkeypatch, tmp_path, pilot):
    bad = write(tmp_path / "d" / "330499" / "egov.json", '{"district": {"code": "330499"')
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    with pytest.raises(DistrictDataError, match=str(bad)):
        districts.load("egov.json", pilot, code_of)


def test_a_file_that_is_not_an_object_is_named(monkeypatch, tmp_path, pilot):
    bad = write(tmp_path / "d" / "330499" / "egov.json", "[1, 2]")
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    with pytest.raises(DistrictDataError, match=f"{bad}: a district's data file holds one JSON object"):
        districts.load("egov.json", pilot, code_of)


def test_a_file_without_its_district_is_named(monkeypatch, tmp_path, pilot):
    bad = write(tmp_path / "d" / "330499" / "egov.json", {"items": []})
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    with pytest.raises(DistrictDataError, match=f"{bad}: the file does not say which district"):
        districts.load("egov.json", pilot, code_of)


def test_a_folder_that_is_not_a_district_code_is_named(monkeypatch, tmp_path, pilot):
    write(tmp_path / "d" / "shifan" / "egov.json", {"district": {"code": "330499"}})
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    with pytest.raises(DistrictDataError, match="shifan: a district's folder is named by its 6-digit code"):
        districts.load("egov.json", pilot, code_of)


def test_a_file_of_another_district_than_its_folder_is_named(monkeypatch, tmp_path, pilot):
    bad = write(tmp_path / "d" / "330499" / "egov.json", {"district": {"code": "330411"}})
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    with pytest.raises(DistrictDataError, match=f"{bad}: the file is for district '330411', its folder for 330499"):
        districts.load("egov.json", pilot, code_of)


def test_a_district_both_built_in_and_in_the_folder_is_named(monkeypatch, tmp_path, pilot):
    clash = write(tmp_path / "d" / "330411" / "egov.json", {"district": {"code": "330411"}})
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path / "d"))
    with pytest.raises(DistrictDataError, match=f"{clash}: district 330411 is built in already"):
        districts.load("egov.json", pilot, code_of)
