"""A second district by data alone: the platform runs with the made-up 示范区 (330499) onboarded from
its folder of data files (e2e/districts/330499, DISTRICTS_DIR) beside the built-in Xiuzhou. Its
household signs in and, through the gateway, sees its own district's standards, service points,
government items, programme brands, venues and legal advisor (and none of Xiuzhou's); files a
service request that goes to its district's point; applies for one of its district's items. Staff
of one district listing or acting on the other's data are refused, or see nothing, in every service
with staff views: service desk, e-government, eldercare, education, legal, tourism, alerts."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from e2e.desk import h, problem
from e2e.platform import sign_in_tv
from e2e.seed import DISTRICTS_DIR, SECOND, Seed

# Local only: the local platform is given the made-up district's folder (e2e/platform.py); a cluster
# serves it only when its values list it (charts/sbc-platform/values.yaml, `districts:`).
pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

FOLDER = DISTRICTS_DIR / SECOND


def data(name: str) -> dict:
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def homes(platform) -> list[dict]:
    """The second district's town village and sub-district household, and a Xiuzhou one (Honghe)."""
    return platform.households_of("second_district")


def staff_token(gw, username: str, password: str) -> str:
    r = gw.post("/v1/identity/token", data={"grant_type": "password", "username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


@pytest.fixture(scope="module")
def tokens(platform, gw, homes) -> dict[str, str]:
    out = {
        "sf_home": sign_in_tv(gw, homes[0], f"STB-SF-{uuid.uuid4().hex[:6]}"),
        "sf_home2": sign_in_tv(gw, homes[1], f"STB-SF-{uuid.uuid4().hex[:6]}"),
        "xz_home": sign_in_tv(gw, homes[2], f"STB-XZ-{uuid.uuid4().hex[:6]}"),
    }
    for username in ("manager.sf", "manager.district.sf", "agent.sf", "lawyer.sf", "manager.hh", "manager.district"):
        out[username] = staff_token(gw, username, Seed.password(username))
    for part, s in {
        **platform.seed.second_staff,
        **platform.seed.tourism_staff,
        **platform.seed.legal_staff,
        **platform.seed.egov_staff,
    }.items():
        out[part] = staff_token(gw, s["username"], s["password"])
    return out


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def test_the_second_districts_household_sees_its_own_districts_catalogs(gw, tokens):
    home, xz = h(tokens["sf_home"]), h(tokens["xz_home"])
    standards = data("servicedesk.standards.json")["versions"][0]["service_types"]
    guide = ok(gw.get("/v1/servicedesk/guide", headers=home))
    assert sorted(s["code"] for s in guide["services"]) == sorted(s["code"] for s in standards)
    assert len(ok(gw.get("/v1/servicedesk/guide", headers=xz))["services"]) == 12  # Xiuzhou's, unchanged
    points = ok(gw.get("/v1/servicedesk/points", headers=home))["service_points"]
    assert sorted(p["code"] for p in points) == ["SP-330499001", "SP-330499101"]
    assert all(
        p["code"].startswith("SP-330411") for p in ok(gw.get("/v1/servicedesk/points", headers=xz))["service_points"]
    )

    items = ok(gw.get("/v1/egov/items", headers=home))["items"]
    ours = {i["code"] for i in data("egov.json")["versions"][0]["items"]}
    assert items and {i["code"].rsplit("-", 1)[0] for i in items} <= ours
    first = ok(gw.get(f"/v1/egov/items/{items[0]['code']}", headers=home))
    assert "示范区" in first["department_name"] and "秀洲" not in json.dumps(first, ensure_ascii=False)

    towns = ok(gw.get("/v1/education/towns", headers=home))["towns"]
    assert {t["code"]: t["brand"]["name"] for t in towns} == {"330499001": "示范街道学堂", "330499101": "示范田间课"}

    venues = ok(gw.get("/v1/tourism/venues", headers=home))
    assert [v["id"] for v in venues["venues"]] == ["shifan-cultural-hall"] and venues[
        "district_name"
    ] == "示范区（虚构）"
    problem(gw.get("/v1/tourism/venues/rural-broadcasting-museum", headers=home), 404)
    assert "shifan-cultural-hall" not in {v["id"] for v in ok(gw.get("/v1/tourism/venues", headers=xz))["venues"]}

    asked = ok(
        gw.post(
            "/v1/legal/consultations",
            json={"topic": "land", "question": "承包地被占了怎么办？"},
            headers=h(tokens["sf_home"], key=True),
        ),
        201,
    )
    assert (asked["advisor_name"], asked["village_code"]) == ("示范镇法律顾问(虚构)", "330499101201")
    # The advisor of the village finds it; Xiuzhou's advisor does not.
    assert asked["id"] in {
        c["id"] for c in ok(gw.get("/v1/legal/consultations", headers=h(tokens["lawyer.sf"])))["consultations"]
    }
    problem(gw.get(f"/v1/legal/consultations/{asked['id']}", headers=h(tokens["advisor"])), 404)
    problem(
        gw.post(
            f"/v1/legal/consultations/{asked['id']}/answer", json={"answer": "找调解"}, headers=h(tokens["advisor"])
        ),
        403,
    )


@pytest.fixture(scope="module")
def filed(gw, tokens) -> dict:
    r = gw.post(
        "/v1/servicedesk/requests",
        json={"service_type": "fault_repair_general", "description": "电视没有信号"},
        headers=h(tokens["sf_home"], key=True),
    )
    return ok(r, 201)


def test_a_request_goes_to_the_second_districts_point_and_only_its_staff_see_it(gw, tokens, filed):
    assert filed["service_point_code"] == "SP-330499101"
    queue = ok(gw.get("/v1/servicedesk/staff/queue", headers=h(tokens["manager.sf"])))
    assert filed["id"] in {r["id"] for r in queue["requests"]}
    # Xiuzhou's point manager and district manager: no such request, nothing changes.
    for who in ("manager.hh", "manager.district"):
        for r in (
            gw.get(f"/v1/servicedesk/staff/requests/{filed['id']}", headers=h(tokens[who])),
            gw.post(f"/v1/servicedesk/staff/requests/{filed['id']}/accept", json={}, headers=h(tokens[who])),
        ):
            assert r.status_code in (403, 404), r.text
    assert filed["id"] not in {
        r["id"] for r in ok(gw.get("/v1/servicedesk/staff/queue", headers=h(tokens["manager.hh"])))["requests"]
    }
    # Each district's assessment holds its own points only.
    ours = ok(gw.get("/v1/servicedesk/assessment", headers=h(tokens["manager.district.sf"])))["points"]
    assert sorted(p["service_point_code"] for p in ours) == ["SP-330499001", "SP-330499101"]
    theirs = ok(gw.get("/v1/servicedesk/assessment", headers=h(tokens["manager.district"])))["points"]
    assert theirs and all(p["service_point_code"].startswith("SP-330411") for p in theirs)
    # The request is still as filed: the refused steps changed nothing.
    assert (
        ok(gw.get(f"/v1/servicedesk/requests/{filed['id']}", headers=h(tokens["sf_home"])))["state"] == filed["state"]
    )


def test_the_household_applies_for_its_districts_item_and_other_districts_agents_cannot(gw, tokens, homes):
    home = tokens["sf_home"]
    item = ok(gw.get("/v1/egov/items", headers=h(home)))["items"][0]["code"]
    app = ok(gw.post("/v1/egov/applications", json={"item_code": item}, headers=h(home, key=True)), 201)
    assert app["item_code"] == item and app["area_code"] == homes[0]["area_code"]
    # The same province-wide item code is each district's own item: Xiuzhou's household gets Xiuzhou's guide.
    assert "秀洲" in ok(gw.get(f"/v1/egov/items/{item}", headers=h(tokens["xz_home"])))["department_name"]
    assert "示范区" in ok(gw.get(f"/v1/egov/items/{item}", headers=h(home)))["department_name"]
    # The second district's village agent, for a Xiuzhou household: refused.
    xz = homes[2]
    body = {"item_code": item, "household_id": xz["id"], "household_area_code": xz["area_code"], "consent": "123456"}
    assert gw.post("/v1/egov/applications", json=body, headers=h(tokens["agent.sf"], key=True)).status_code == 403
    assert not ok(gw.get("/v1/egov/applications", headers=h(tokens["agent.sf"])))["applications"]
    # Each district's government-service office sees its own district's figures.
    sf = ok(gw.get("/v1/egov/figures", headers=h(tokens["sf_egov_office"])))
    xz = ok(gw.get("/v1/egov/figures", headers=h(tokens["egov_office"])))
    assert sf["district"]["code"] == SECOND and xz["district"]["code"] == "330411"
    assert all(t["code"].startswith(SECOND) for t in sf.get("towns", []))
    assert not any(t["code"].startswith(SECOND) for t in xz.get("towns", []))


def test_eldercare_staff_see_only_their_own_districts_elders(gw, tokens):
    sf_elder = ok(
        gw.post("/v1/eldercare/elders", json={"name": "示范阿婆", "birth_year": 1940}, headers=h(tokens["sf_home2"])),
        201,
    )
    xz_elder = ok(
        gw.post("/v1/eldercare/elders", json={"name": "秀洲阿公", "birth_year": 1938}, headers=h(tokens["xz_home"])),
        201,
    )
    seen_sf = {e["id"] for e in ok(gw.get("/v1/eldercare/elders", headers=h(tokens["sf_care_operator"])))["elders"]}
    seen_xz = {e["id"] for e in ok(gw.get("/v1/eldercare/elders", headers=h(tokens["xz_care_operator"])))["elders"]}
    assert sf_elder["id"] in seen_sf and xz_elder["id"] not in seen_sf
    assert xz_elder["id"] in seen_xz and sf_elder["id"] not in seen_xz
    # Acting on the other district's elder: refused, nothing made.
    r = gw.post(
        f"/v1/eldercare/elders/{sf_elder['id']}/care-orders",
        json={"kind": "meals", "details": "送餐", "provider": "老年食堂"},
        headers=h(tokens["xz_care_operator"], key=True),
    )
    assert r.status_code in (403, 404), r.text
    assert not ok(gw.get("/v1/eldercare/care-orders", headers=h(tokens["sf_home2"]))).get("orders", [])


def test_education_editors_keep_only_their_own_districts_towns(gw, tokens):
    series = {"title": f"跨区节目{uuid.uuid4().hex[:4]}", "description": "不该建成", "local": True}
    for editor, town in (("sf_editor", "330411004"), ("sf_editor", "330411103")):
        r = gw.post("/v1/education/series", json={**series, "town_code": town}, headers=h(tokens[editor], key=True))
        assert r.status_code == 403, r.text
    made = gw.post(
        "/v1/education/series", json={**series, "town_code": "330499101"}, headers=h(tokens["sf_editor"], key=True)
    )
    assert made.status_code == 201, made.text
    listed = ok(gw.get("/v1/education/towns/330411004/series", headers=h(tokens["xz_home"])))
    assert series["title"] not in {s["title"] for s in listed.get("series", [])}


def test_legal_officers_work_in_their_own_district_only(gw, tokens):
    queue = gw.get("/v1/legal/review-queue", headers=h(tokens["sf_judicial_officer"]))
    assert queue.status_code == 200, queue.text
    xz_drafts = gw.get("/v1/legal/review-queue", headers=h(tokens["legal_author"])).json()
    assert not {c["id"] for c in xz_drafts.get("contents", [])} & {c["id"] for c in queue.json().get("contents", [])}
    consultations = ok(gw.get("/v1/legal/consultations", headers=h(tokens["sf_judicial_officer"])))["consultations"]
    assert all(c["village_code"].startswith(SECOND) for c in consultations)


def test_gate_staff_work_at_their_own_districts_venues_only(gw, tokens):
    problem(gw.get("/v1/tourism/venues/rural-broadcasting-museum/occupancy", headers=h(tokens["sf_gate"])), 403)
    problem(gw.get("/v1/tourism/venues/shifan-cultural-hall/occupancy", headers=h(tokens["gate"])), 403)
    problem(gw.get("/v1/tourism/venues/shifan-cultural-hall/gate-entries", headers=h(tokens["gate"])), 403)
    own = ok(gw.get("/v1/tourism/venues/shifan-cultural-hall/occupancy", headers=h(tokens["sf_gate"])))
    assert (own["venue_id"], own.get("inside", 0)) == ("shifan-cultural-hall", 0)


def test_an_issuer_targets_only_their_own_districts_areas(gw, tokens):
    alert = {"headline": "演练：示范区暴雨蓝色预警", "level": 4, "status": "Exercise"}
    for issuer, areas in (
        ("sf_issuer", ["330411101"]),
        ("xz_issuer", ["330499101"]),
        ("sf_issuer", ["330499101", "330411101"]),
    ):
        r = gw.post("/v1/alerts", json={**alert, "area_codes": areas}, headers=h(tokens[issuer], key=True))
        problem(r, 403)
    made = ok(
        gw.post("/v1/alerts", json={**alert, "area_codes": ["330499101"]}, headers=h(tokens["sf_issuer"], key=True)),
        201,
    )
    assert made["area_codes"] == ["330499101"] and made["sender"] == "330499.sbc"
    assert made["identifier"].startswith("330499")
    # The other district's issuer neither reads nor submits it.
    problem(gw.get(f"/v1/alerts/{made['id']}", headers=h(tokens["xz_issuer"])), 403)
    problem(gw.post(f"/v1/alerts/{made['id']}/submit", json={"reason": "x"}, headers=h(tokens["xz_issuer"])), 403)
