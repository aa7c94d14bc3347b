"""The emergency broadcast's areas: the built-in pilot's and each DISTRICTS_DIR district's (runtime.districts)."""

from __future__ import annotations

import json
import pathlib

import pytest

from alerts import store
from runtime.districts import DistrictDataError

SECOND = pathlib.Path(__file__).resolve().parents[3] / "e2e" / "districts"


def copy(name: str, folder: pathlib.Path, change=None) -> None:
    data = json.loads((SECOND / "330499" / name).read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_made_up_districts_areas_are_known(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    areas = store.load_areas()
    assert areas.districts == ("330411", "330499") and areas.district == "330411"
    assert areas.name("330499101") == "示范镇" and areas.name("330411101") == "王江泾镇"


def test_an_area_code_of_the_pilot_in_the_second_district_stops_the_start(monkeypatch, tmp_path):
    def clash(data):
        data["areas"][1]["code"] = "330411101"

    copy("alerts.areas.json", tmp_path / "330499", clash)
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="area 330411101 is not a new area of district 330499"):
        store.load_areas()


def test_a_malformed_area_table_is_named(monkeypatch, tmp_path):
    (tmp_path / "330499").mkdir()
    (tmp_path / "330499" / "alerts.areas.json").write_text("{", encoding="utf-8")
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(DistrictDataError, match="330499/alerts.areas.json: not a readable JSON file"):
        store.load_areas()
