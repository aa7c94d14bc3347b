"""The departments through the gateway (gateway/routes/egov.py, with the department's own token):
public security registers a household's ID card into the e-certificate registry and the household
sees it; the civil-affairs portal's queue and decisions; and who may do which of it, with bad input
that changes nothing."""

from __future__ import annotations

import pytest

from egov.tests.conftest import PDF
from egov.tests.test_http import RELIEF, database_url, gw, key, problem  # noqa: F401 (fixtures)
from runtime.testing import department

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
POLICE = department("dept-public-security")
ID_CARD = {"household_id": "hh-home", "kind": "id_card", "number": "330411196001011234", "holder": "张某"}


async def submitted(gw, who) -> str:
    h = gw.token(who.home)
    app_id = (await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers={**h, **key()})).json()["id"]
    for code in ("id_card", "hardship_proof", "application_form"):
        r = await gw.put(
            f"/v1/egov/applications/{app_id}/materials/{code}",
            content=PDF,
            headers={**h, "Content-Type": "application/pdf"},
        )
        assert r.status_code == 200, r.text
    assert (await gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h)).json()["state"] == "submitted"
    return app_id


async def test_public_security_registers_an_id_card_and_the_household_sees_it(gw, who):
    police = gw.token(POLICE)
    r = await gw.post("/v1/egov/certificates", json=ID_CARD, headers=police)
    assert r.status_code == 201, r.text
    assert (r.json()["name"], r.json()["issuer"]) == ("居民身份证（电子证照）", "嘉兴市公安局秀洲区分局")
    again = await gw.post("/v1/egov/certificates", json=ID_CARD, headers=police)
    assert again.json()["id"] == r.json()["id"], "the same number again is the one recorded"
    mine = (await gw.get("/v1/egov/certificates", headers=gw.token(who.home))).json()["certificates"]
    assert [(c["kind"], c["number"]) for c in mine] == [("id_card", "330411196001011234")]
    assert (await gw.get("/v1/egov/certificates", headers=gw.token(who.neighbour))).json()["certificates"] == []
    # an application started now takes the ID card from the registry: nothing to upload for it
    draft = await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=gw.token(who.home) | key())
    assert [m["code"] for m in draft.json()["materials"]] == ["id_card"]


async def test_the_registry_refuses_who_may_not_and_bad_input_changes_nothing(gw, who):
    police = gw.token(POLICE)
    problem(await gw.post("/v1/egov/certificates", json=ID_CARD, headers=gw.token(who.home)), 403)
    problem(await gw.post("/v1/egov/certificates", json=ID_CARD, headers=gw.token(who.agent)), 403)
    problem(await gw.post("/v1/egov/certificates", json=ID_CARD, headers=gw.token(who.civil)), 403)
    problem(await gw.post("/v1/egov/certificates", json={**ID_CARD, "kind": "relief_decision"}, headers=police), 403)
    problem(await gw.post("/v1/egov/certificates", json={**ID_CARD, "household_id": "hh-nobody"}, headers=police), 404)
    problem(await gw.post("/v1/egov/certificates", json={**ID_CARD, "number": ""}, headers=police), 422)
    problem(await gw.post("/v1/egov/certificates", json={**ID_CARD, "holder": "x" * 101}, headers=police), 422)
    problem(await gw.post("/v1/egov/certificates", json={**ID_CARD, "extra": 1}, headers=police), 422)
    problem(await gw.post("/v1/egov/certificates", content="id", headers=police), 415)
    problem(await gw.post("/v1/egov/certificates", json=ID_CARD), 401)
    problem(await gw.get("/v1/egov/certificates", headers=police), 403)
    assert (await gw.get("/v1/egov/certificates", headers=gw.token(who.home))).json()["certificates"] == []


async def test_the_portal_lists_the_departments_queue_and_decides(gw, who):
    app_id = await submitted(gw, who)
    civil = gw.token(who.civil)
    queue = (await gw.get("/v1/egov/department/queue", headers=civil)).json()["applications"]
    assert [(a["id"], a["state"]) for a in queue] == [(app_id, "submitted")]
    assert (await gw.get("/v1/egov/department/queue", headers=gw.token(who.hrss))).json()["applications"] == []
    seen = (await gw.get(f"/v1/egov/department/applications/{app_id}", headers=civil)).json()
    assert sorted(m["code"] for m in seen["materials"]) == ["application_form", "hardship_proof", "id_card"]
    url = f"/v1/egov/department/applications/{app_id}"
    problem(await gw.post(f"{url}/approve", json={"reason": "x"}, headers=civil), 409)  # not accepted yet
    assert (await gw.post(f"{url}/accept", json={}, headers=civil)).json()["state"] == "accepted"
    problem(await gw.post(f"{url}/approve", json={}, headers=civil), 400, "reason")
    problem(await gw.post(f"{url}/refuse", json={"reason": "不符合条件"}, headers=civil), 400, "legal_basis")
    r = await gw.post(f"{url}/approve", json={"reason": "核准救助金2000元"}, headers=civil)
    assert r.status_code == 200 and r.json()["state"] == "approved", r.text
    assert r.json()["steps"][-1]["actor_kind"] == "department"
    home = (await gw.get(f"/v1/egov/applications/{app_id}", headers=gw.token(who.home))).json()
    assert (home["state"], home["decision_reason"]) == ("approved", "核准救助金2000元")
    queue = (await gw.get("/v1/egov/department/queue", params={"state": "approved"}, headers=civil)).json()
    assert [a["id"] for a in queue["applications"]] == [app_id]


async def test_the_portal_returns_for_correction_and_refuses_across_departments(gw, who):
    app_id = await submitted(gw, who)
    url = f"/v1/egov/department/applications/{app_id}"
    # another department of the district sees no such application; one of another district is not competent
    for other, status in ((who.hrss, 404), (who.outsider, 403)):
        problem(await gw.get(url, headers=gw.token(other)), status)
        problem(await gw.post(f"{url}/accept", json={}, headers=gw.token(other)), status)
    problem(await gw.post(f"{url}/accept", json={}, headers=gw.token(who.unknown_dept)), 403)
    problem(await gw.post(f"{url}/accept", json={}, headers=gw.token(who.home)), 403)
    problem(await gw.get("/v1/egov/department/queue", headers=gw.token(who.agent)), 403)
    civil = gw.token(who.civil)
    problem(await gw.post(f"{url}/archive", json={}, headers=civil), 404)
    problem(await gw.get("/v1/egov/department/queue", params={"state": "lost"}, headers=civil), 400, "states")
    problem(await gw.post(f"{url}/return", json={"reason": "x", "missing_materials": ["passport"]}, headers=civil), 400)
    problem(await gw.post(f"{url}/reject", json={"reason": "x" * 501}, headers=civil), 422)
    problem(await gw.post(f"{url}/accept", json={"unknown": 1}, headers=civil), 422)
    assert (await gw.get(url, headers=civil)).json()["state"] == "submitted", "nothing changed"
    body = {"reason": "困难证明不清晰", "missing_materials": ["hardship_proof"]}
    r = await gw.post(f"{url}/return", json=body, headers=civil)
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["correction_materials"]) == ("returned", ["hardship_proof"])
