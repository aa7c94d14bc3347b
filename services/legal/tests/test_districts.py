"""Legal's districts: the built-in pilot's (or LEGAL_DATA_DIR's) and each DISTRICTS_DIR district's."""

from __future__ import annotations

import json
import pathlib

from legal import store

SECOND = pathlib.Path(__file__).resolve().parents[3] / "e2e" / "districts"


def copy(name: str, folder: pathlib.Path, change=None) -> None:
    data = json.loads((SECOND / "330499" / name).read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_made_up_districts_advisors_are_its_own(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    districts = store.load_districts()
    assert list(districts.by_code) == ["330411", "330499"]
    assert districts.of("330499101201").office == "示范区司法局（虚构）"
