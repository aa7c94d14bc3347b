"""Education's districts: the built-in pilot's and each DISTRICTS_DIR district's (runtime.districts)."""

from __future__ import annotations

import json
import pathlib

import pytest

from education import store
from runtime.districts import DistrictDataError

SECOND = pathlib.Path(__file__).resolve().parents[3] / "e2e" / "districts"


def copy(name: str, folder: pathlib.Path, change=None) -> None:
    data = json.loads((SECOND / "330499" / name).read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_made_up_districts_towns_and_brands_are_its_own(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    districts = store.load_districts()
    assert list(districts.all) == ["330411", "330499"]
    assert [d.code for d in districts.seen_from("330499101201")] == ["330499"]
    assert districts.town("330499101").brand == "示范田间课"


def test_a_district_both_built_in_and_in_the_folder_is_named(monkeypatch, tmp_path):
    def pilot(data):
        data["district"]["code"] = "330411"

    copy("education.json", tmp_path / "330411", pilot)
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(DistrictDataError, match="district 330411 is built in already"):
        store.load_districts()
