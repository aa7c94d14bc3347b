"""E-government through the gateway's HTTP routes (gateway/routes/egov.py, in the gateway app with
its problem+json errors, body limit and token checks) against the service's real gRPC server on
SQLite: what a TV or a phone sends and what it reads back, the home screen's tile, and bad input."""

from __future__ import annotations

import uuid

import httpx
import pytest

from egov.tests.conftest import PDF, PNG, VILLAGE
from gateway.app import create_app
from gateway.clients import Backends
from gateway.security import Security
from gateway.settings import GatewaySettings, backend_addrs

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
RELIEF = "330222004000-new"
# A phone's photo: 1.5 MiB, past the 64 KiB every other body stops at (EGOV_MATERIAL_MAX_BYTES: 2 MiB).
PHOTO = PNG + b"\x00" * (3 * 512 * 1024)


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'egov.db'}"


@pytest.fixture
async def gw(svc, tokens, redis_url):
    settings = GatewaySettings(backends={**backend_addrs(), "egov": f"127.0.0.1:{svc.port}"}, redis_url=redis_url)
    app = create_app(settings)
    # What the lifespan makes, with the test's token keys (the push streams are not needed here).
    app.state.backends = Backends(settings)
    app.state.security = Security(tokens.verifier(), redis_url, "10000/minute", "10000/minute")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        client.token = lambda caller: {"Authorization": f"Bearer {tokens.mint(caller)}"}
        yield client
    await app.state.backends.close()


def key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


def problem(r: httpx.Response, status: int, field: str = "") -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    if field:
        assert field in body.get("errors", {}), body
    return body


async def test_a_tv_browses_applies_uploads_from_the_phone_and_sees_its_tile(gw, who):
    h = gw.token(who.home)
    items = (await gw.get("/v1/egov/items", params={"life_event": "hardship"}, headers=h)).json()
    assert RELIEF in [i["code"] for i in items["items"]] and items["district_name"] == "嘉兴市秀洲区"
    guide = (await gw.get(f"/v1/egov/items/{RELIEF}", headers=h)).json()
    assert guide["type_name"] == "行政给付" and guide["guide"]["promised_time_limit_days"] == 10
    assert guide["guide"].get("visits", 0) == 0, "fully online (a zero is left out of the JSON)"

    r = await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers={**h, **key()})
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    for code, content, ctype in (
        ("id_card", PDF, "application/pdf"),
        ("hardship_proof", PHOTO, "image/png"),
        ("application_form", PDF, "application/pdf"),
    ):
        r = await gw.put(
            f"/v1/egov/applications/{app_id}/materials/{code}",
            params={"file_name": f"{code}.x"},
            content=content,
            headers={**h, "Content-Type": ctype},
        )
        assert r.status_code == 200, r.text
    r = await gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h)
    assert r.status_code == 200 and r.json()["state"] == "submitted" and r.json()["deadline"], r.text

    f = await gw.get(f"/v1/egov/applications/{app_id}/materials/hardship_proof", headers=h)
    assert f.content == PHOTO and f.headers["content-type"] == "image/png"
    assert (
        f.headers["content-disposition"].startswith("attachment") and f.headers["x-content-type-options"] == "nosniff"
    )

    tile = (await gw.get("/v1/egov/home-tile", headers=h)).json()
    assert (tile["service"], tile["title"], tile["screen"]) == ("egov", "办事", "egov")
    assert tile["items"] == [
        {
            "title": "临时救助申请",
            "detail": "已提交，等待受理",
            "id": app_id,
            "state": "submitted",
            "at": r.json()["deadline"],
        }
    ]
    problem(await gw.get("/v1/egov/home-tile", headers=gw.token(who.agent)), 403)
    problem(await gw.get("/v1/egov/home-tile"), 401)


async def test_the_department_decides_over_grpc_and_the_household_rates_over_http(gw, svc, who):
    from sbc.egov.v1 import egov_pb2 as pb

    h = gw.token(who.home)
    app_id = (await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers={**h, **key()})).json()["id"]
    for code in ("id_card", "hardship_proof", "application_form"):
        await gw.put(
            f"/v1/egov/applications/{app_id}/materials/{code}",
            content=PDF,
            headers={**h, "Content-Type": "application/pdf"},
        )
    await gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h)
    rate = {"level": "very_satisfied", "indicators": {"overall": 5}}
    problem(await gw.post(f"/v1/egov/applications/{app_id}/rating", json=rate, headers=h), 409)
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=app_id), metadata=svc.md(who.civil))
    await svc.dept.ApproveApplication(pb.DecisionRequest(id=app_id, reason="已发放"), metadata=svc.md(who.civil))
    seen = (await gw.get(f"/v1/egov/applications/{app_id}", headers=h)).json()
    assert seen["state"] == "approved" and seen["decision_reason"] == "已发放"
    problem(await gw.post(f"/v1/egov/applications/{app_id}/rating", json=rate, headers=gw.token(who.neighbour)), 404)
    r = await gw.post(f"/v1/egov/applications/{app_id}/rating", json=rate, headers=h)
    assert r.status_code == 200 and r.json()["rating"]["level"] == "very_satisfied", r.text
    problem(await gw.post(f"/v1/egov/applications/{app_id}/rating", json=rate, headers=h), 409)
    tile = (await gw.get("/v1/egov/home-tile", headers=h)).json()
    assert tile["items"][0]["detail"] == "已办结：准予办理"


async def test_an_agent_applies_for_a_household_of_their_village(gw, who):
    h = gw.token(who.agent)
    r = await gw.post("/v1/egov/consents", json={"item_code": RELIEF}, headers=gw.token(who.home))
    assert r.status_code == 201 and r.json()["item_name"] == "临时救助申请", r.text
    proxy = {"household_id": "hh-home", "household_area_code": VILLAGE, "consent": r.json()["code"]}
    problem(await gw.post("/v1/egov/consents", json={"item_code": RELIEF}, headers=h), 403)
    problem(await gw.post("/v1/egov/consents", json={"item_code": "a b"}, headers=gw.token(who.home)), 422)
    r = await gw.post("/v1/egov/applications", json={"item_code": RELIEF, **proxy}, headers={**h, **key()})
    assert r.status_code == 201 and r.json()["channel"] == "village_agent", r.text
    assert r.json()["steps"][0]["on_behalf_of"] == "hh-home"
    assert r.json()["consent"]["given_by"] == who.home.subject
    outside = {**proxy, "household_area_code": "330411101201"}
    problem(
        await gw.post("/v1/egov/applications", json={"item_code": RELIEF, **outside}, headers={**h, **key()}),
        403,
    )
    problem(
        await gw.post(
            "/v1/egov/applications", json={"item_code": RELIEF, **proxy, "consent": ""}, headers={**h, **key()}
        ),
        400,
        "consent",
    )
    mine = (await gw.get("/v1/egov/applications", headers=gw.token(who.home))).json()["applications"]
    assert [a["id"] for a in mine] == [r.json()["id"]]
    # The agent hands the draft to a colleague of the same point, who takes it over.
    draft = r.json()["id"]
    url = f"/v1/egov/applications/{draft}"
    problem(await gw.post(f"{url}/handover", json={}, headers=h), 422)
    problem(await gw.post(f"{url}/handover", json={"to_agent": "x" * 101}, headers=h), 422)
    problem(await gw.post(f"{url}/handover", json={"to_agent": "agent2.hh"}, headers=gw.token(who.home)), 403)
    problem(await gw.post(f"{url}/takeover", headers=gw.token(who.agent2)), 403, "id")
    offered = await gw.post(f"{url}/handover", json={"to_agent": "agent2.hh"}, headers=h)
    assert offered.status_code == 200 and offered.json()["handed_to"] == "agent2.hh", offered.text
    problem(await gw.post(f"{url}/takeover", headers=gw.token(who.other_agent)), 403)
    taken = await gw.post(f"{url}/takeover", headers=gw.token(who.agent2))
    assert taken.status_code == 200 and taken.json()["steps"][-1]["action"] == "handed_over", taken.text
    assert taken.json()["steps"][-1]["actor"] == who.agent2.subject
    problem(await gw.get(url, headers=h), 404)


async def test_bad_input_gets_a_clear_problem_and_changes_nothing(gw, who):
    h = gw.token(who.home)
    problem(await gw.get("/v1/egov/items"), 401)
    problem(await gw.get("/v1/egov/items/nope-new", headers=h), 404)
    problem(await gw.get("/v1/egov/items", params={"on_date": "2026-02-30"}, headers=h), 422)
    problem(await gw.get("/v1/egov/items", params={"life_event": "wedding"}, headers=h), 400, "life_event")
    problem(await gw.get("/v1/egov/items", params={"keyword": "x" * 51}, headers=h), 422)
    problem(await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=h), 400, "Idempotency-Key")
    problem(await gw.post("/v1/egov/applications", json={}, headers={**h, **key()}), 422)
    problem(await gw.post("/v1/egov/applications", json={"item_code": "x", "y": 1}, headers={**h, **key()}), 422)
    problem(await gw.post("/v1/egov/applications", content="item", headers={**h, **key()}), 415)
    problem(await gw.post("/v1/egov/applications", json={"item_code": "nope-new"}, headers={**h, **key()}), 404)
    app_id = (await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers={**h, **key()})).json()["id"]
    url = f"/v1/egov/applications/{app_id}/materials/id_card"
    problem(await gw.put(url, content=b"MZ\x90", headers={**h, "Content-Type": "application/pdf"}), 400, "content")
    problem(await gw.put(url, content=PDF, headers={**h, "Content-Type": "text/html"}), 415)
    problem(await gw.put(url, content=PNG, headers={**h, "Content-Type": "application/pdf"}), 400, "media_type")
    big = 2 * 1024 * 1024 + 1  # past EGOV_MATERIAL_MAX_BYTES; every other route stops at 64 KiB
    problem(await gw.put(url, content=b"%PDF-" + b"0" * big, headers={**h, "Content-Type": "application/pdf"}), 413)
    too_long = {"item_code": RELIEF, "note": "x" * 70_000}
    problem(await gw.post("/v1/egov/applications", json=too_long, headers={**h, **key()}), 413)
    problem(
        await gw.put(url.replace("id_card", "passport"), content=PDF, headers={**h, "Content-Type": "application/pdf"}),
        400,
    )
    problem(await gw.post(f"/v1/egov/applications/{app_id}/submit", headers=h), 400, "materials")
    problem(await gw.get(f"/v1/egov/applications/{app_id}", headers=gw.token(who.neighbour)), 404)
    problem(await gw.get("/v1/egov/applications/not*an*id", headers=h), 422)
    problem(await gw.get(f"/v1/egov/applications/{app_id}/materials/id_card", headers=h), 404)
    problem(await gw.post(f"/v1/egov/applications/{app_id}/rating", json={"level": "great"}, headers=h), 400, "level")
    bad_name = {"level": "satisfied", "indicators": {"Speed!": 3}}
    problem(await gw.post(f"/v1/egov/applications/{app_id}/rating", json=bad_name, headers=h), 422)
    not_a_score = {"level": "satisfied", "indicators": {"overall": {"nil": 1}}}
    problem(await gw.post(f"/v1/egov/applications/{app_id}/rating", json=not_a_score, headers=h), 422)
    seen = (await gw.get(f"/v1/egov/applications/{app_id}", headers=h)).json()
    assert seen["state"] == "draft" and not seen.get("materials") and len(seen["steps"]) == 1


async def test_a_tv_books_a_slot_at_the_service_hall_and_cancels_it(gw, who):
    h = gw.token(who.home)
    app = (await gw.post("/v1/egov/applications", json={"item_code": "330233002002-new"}, headers=h | key())).json()
    slots = (await gw.get(f"/v1/egov/applications/{app['id']}/slots", headers=h)).json()["slots"]
    first = next(s for s in slots if s["hall_code"] == "xzsc")
    assert first["hall_name"] == "秀洲区行政服务中心 (check)" and first["places_left"] == 2
    r = await gw.post(f"/v1/egov/applications/{app['id']}/appointments", json={"slot_id": first["id"]}, headers=h)
    assert r.status_code == 201, r.text
    booked = r.json()
    assert booked["state"] == "confirmed" and booked["slot_id"] == first["id"]
    again = await gw.post(f"/v1/egov/applications/{app['id']}/appointments", json={"slot_id": first["id"]}, headers=h)
    problem(again, 409)
    shown = (await gw.get(f"/v1/egov/applications/{app['id']}", headers=h)).json()
    assert [a["id"] for a in shown["appointments"]] == [booked["id"]]
    cancelled = await gw.post(f"/v1/egov/appointments/{booked['id']}/cancel", headers=h)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    # Bad input: a malformed slot, an unknown field, no body, another household, no token.
    url = f"/v1/egov/applications/{app['id']}/appointments"
    problem(await gw.post(url, json={"slot_id": "../x"}, headers=h), 422, "slot_id")
    problem(await gw.post(url, json={"slot_id": first["id"], "party": 9}, headers=h), 422)
    assert (await gw.post(url, headers=h)).status_code in (415, 422)
    problem(await gw.post(url, json={"slot_id": first["id"]}, headers=gw.token(who.neighbour)), 404)
    problem(await gw.post(url, json={"slot_id": first["id"]}), 401)
    online = (await gw.post("/v1/egov/applications", json={"item_code": RELIEF}, headers=h | key())).json()
    problem(await gw.get(f"/v1/egov/applications/{online['id']}/slots", headers=h), 409)
