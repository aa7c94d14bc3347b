"""E-government's catalogs: the built-in pilot's and each DISTRICTS_DIR district's (runtime.districts)."""

from __future__ import annotations

import json
import pathlib

import pytest

from egov import store
from runtime.districts import DistrictDataError

SECOND = pathlib.Path(__file__).resolve().parents[3] / "e2e" / "districts"


def copy(name: str, folder: pathlib.Path, change=None) -> None:
    data = json.loads((SECOND / "330499" / name).read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_made_up_districts_catalog_is_its_own(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    catalogs = store.load_catalogs()
    assert list(catalogs.by_district) == ["330411", "330499"]
    assert catalogs.for_area("330499101201").district_code == "330499"
    assert catalogs.for_area("330411101001").district_code == "330411"


def test_a_catalog_without_its_district_is_named(monkeypatch, tmp_path):
    copy("egov.json", tmp_path / "330499", lambda data: data.pop("district"))
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(DistrictDataError, match="egov.json: the file does not say which district it is for"):
        store.load_catalogs()
