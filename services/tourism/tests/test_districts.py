"""Tourism's districts: the built-in pilot's places and each DISTRICTS_DIR district's (runtime.districts)."""

from __future__ import annotations

import json
import pathlib

import pytest

from runtime.districts import DistrictDataError
from tourism import store

SECOND = pathlib.Path(__file__).resolve().parents[3] / "e2e" / "districts"


def copy(name: str, folder: pathlib.Path, change=None) -> None:
    data = json.loads((SECOND / "330499" / name).read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_made_up_districts_places_are_its_own(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    places = store.load_places()
    assert list(places.by_district) == ["330411", "330499"]
    assert list(places.for_area("330499101201").venues) == ["shifan-cultural-hall"]
    assert places.of_venue("rural-broadcasting-museum").district_code == "330411"
    assert list(store.load_exhibits(places)) == ["330411"]  # the made-up district has no museum


def test_a_venue_id_of_two_districts_stops_the_start(monkeypatch, tmp_path):
    def clash(data):
        data["venues"][0]["id"] = "rural-broadcasting-museum"

    copy("tourism.json", tmp_path / "330499", clash)
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="venue 'rural-broadcasting-museum' is in district 330411 and 330499"):
        store.load_places()


def test_a_file_of_another_district_is_named(monkeypatch, tmp_path):
    def other(data):
        data["district"]["code"] = "330411"

    copy("tourism.json", tmp_path / "330499", other)
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(DistrictDataError, match="the file is for district '330411', its folder for 330499"):
        store.load_places()
