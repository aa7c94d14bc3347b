"""The service desk's districts: the built-in pilot's and each DISTRICTS_DIR district's (runtime.districts)."""

from __future__ import annotations

import json
import pathlib

import pytest

from runtime.districts import DistrictDataError
from servicedesk.handlers import Desks

SECOND = pathlib.Path(__file__).resolve().parents[3] / "e2e" / "districts"


def copy(name: str, folder: pathlib.Path, change=None) -> None:
    data = json.loads((SECOND / "330499" / name).read_text(encoding="utf-8"))
    if change:
        change(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_made_up_district_is_a_desk_of_its_own(monkeypatch):
    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    desks = Desks.load()
    assert list(desks.by_district) == ["330411", "330499"] and desks.outreach_seeds["330499"] == []
    second = desks.by_district["330499"]
    assert sorted(p.code for p in second.points.points.values()) == ["SP-330499001", "SP-330499101"]
    assert second.scheme == desks.pilot.scheme  # no scheme of its own: the pilot's


def test_a_service_point_code_of_two_districts_stops_the_start(monkeypatch, tmp_path):
    def clash(data):
        data["service_points"][0]["code"] = "SP-330411101"  # Wangjiangjing's station

    copy("servicedesk.service_points.json", tmp_path / "330499", clash)
    copy("servicedesk.standards.json", tmp_path / "330499")
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="service point SP-330411101 is in district 330411 and 330499"):
        Desks.load()


def test_service_points_without_standards_are_named(monkeypatch, tmp_path):
    copy("servicedesk.service_points.json", tmp_path / "330499")
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(DistrictDataError, match="district 330499: servicedesk.standards.json is missing"):
        Desks.load()


def test_a_township_outside_its_district_is_named(monkeypatch, tmp_path):
    def outside(data):
        data["service_points"][0]["township_code"] = "330411101"

    copy("servicedesk.service_points.json", tmp_path / "330499", outside)
    copy("servicedesk.standards.json", tmp_path / "330499")
    monkeypatch.setenv("DISTRICTS_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="township code '330411101' is not 9 digits of 330499"):
        Desks.load()


def test_each_caller_works_at_their_own_districts_desk(monkeypatch):
    from runtime.errors import FailedPrecondition
    from runtime.testing import household, staff

    monkeypatch.setenv("DISTRICTS_DIR", str(SECOND))
    desks = Desks.load()
    assert desks.of_caller(household(area_code="330499101201")) is desks.by_district["330499"]
    assert desks.of_caller(staff("service_point_manager", area_code="330411101")) is desks.pilot
    with pytest.raises(FailedPrecondition):
        desks.of_caller(household(area_code="330412101001"))  # a district the desk does not serve
