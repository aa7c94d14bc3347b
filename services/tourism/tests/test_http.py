"""Culture and tourism through the gateway's HTTP routes (gateway/routes/tourism.py, in the gateway
app with its problem+json errors, body limit and token checks) against the service's real gRPC
server on SQLite: what a TV, a village agent and the gate send and read back, and bad input."""

from __future__ import annotations

import contextlib
import uuid

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import Backends
from gateway.security import Security
from gateway.settings import GatewaySettings, backend_addrs
from runtime.testing import household
from tourism.tests.conftest import HALL, MUSEUM, TODAY, TOMORROW, VILLAGE, ids, slot_id

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tourism.db'}"


@contextlib.asynccontextmanager
async def gateway(svc, tokens, redis_url, **settings):
    """The gateway app in-process, its tourism backend the test's server."""
    s = GatewaySettings(
        backends={**backend_addrs(), "tourism": f"127.0.0.1:{svc.port}"}, redis_url=redis_url, **settings
    )
    app = create_app(s)
    app.state.backends = Backends(s)
    app.state.security = Security(tokens.verifier(), redis_url, "10000/minute", "10000/minute")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        client.token = lambda caller: {"Authorization": f"Bearer {tokens.mint(caller)}"}
        yield client
    await app.state.backends.close()


@pytest.fixture
async def gw(svc, tokens, redis_url):
    async with gateway(svc, tokens, redis_url) as client:
        yield client


def key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


def problem(r: httpx.Response, status: int, field: str = "") -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    if field:
        assert field in body.get("errors", {}), body
    return body


async def reserve(gw, h, slot, visitors, group="") -> dict:
    payload = {"slot_id": slot, "visitor_id_numbers": visitors, **({"group_village_code": group} if group else {})}
    r = await gw.post("/v1/tourism/reservations", json=payload, headers={**h, **key()})
    assert r.status_code == 201, r.text
    r = await gw.post(f"/v1/tourism/reservations/{r.json()['id']}/confirm", headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_tv_finds_the_museum_reserves_shows_its_ticket_and_the_gate_checks_it_in(gw, who):
    h = gw.token(who.home)
    venues = (await gw.get("/v1/tourism/venues", params={"kind": "museum"}, headers=h)).json()
    assert [v["name"] for v in venues["venues"]] == ["嘉兴市乡村广播记忆馆"]
    cal = (await gw.get(f"/v1/tourism/venues/{MUSEUM}/slots", headers=h)).json()
    slot = next(s for s in cal["slots"] if s["id"] == slot_id(MUSEUM, TODAY, 2))
    assert slot["remaining"] == 30
    booked = await reserve(gw, h, slot["id"], ids(1, 2))
    assert booked["state"] == "confirmed" and booked["party"] == 2 and booked["ticket_code"].startswith("T1.")
    qr = await gw.get("/v1/tourism/qr.svg", params={"code": booked["ticket_code"]})
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml" and b"<svg" in qr.content
    tile = (await gw.get("/v1/tourism/home-tile", headers=h)).json()
    assert tile["screen"] == "tourism" and tile["items"][0]["id"] == booked["id"]
    assert any(i["title"].startswith("岁月回声") for i in tile["items"]), "today's events follow the ticket"
    g = gw.token(who.gate)
    wrong = await gw.post(
        "/v1/tourism/gate/check-in", json={"venue_id": HALL, "ticket_code": booked["ticket_code"]}, headers=g
    )
    problem(wrong, 409, "venue_id")
    done = await gw.post(
        "/v1/tourism/gate/check-in", json={"venue_id": MUSEUM, "ticket_code": booked["ticket_code"]}, headers=g
    )
    assert done.status_code == 200, done.text
    assert done.json()["occupancy"]["inside"] == 2 and done.json()["reservation"]["state"] == "attended"
    again = await gw.post(
        "/v1/tourism/gate/check-in", json={"venue_id": MUSEUM, "ticket_code": booked["ticket_code"]}, headers=g
    )
    problem(again, 409, "ticket_code")
    forged = booked["ticket_code"][:-2] + ("AA" if not booked["ticket_code"].endswith("AA") else "BB")
    problem(
        await gw.post("/v1/tourism/gate/check-in", json={"venue_id": MUSEUM, "ticket_code": forged}, headers=g),
        400,
        "ticket_code",
    )
    occ = (await gw.get(f"/v1/tourism/venues/{MUSEUM}/occupancy", headers=g)).json()
    assert occ["inside"] == 2 and occ["instantaneous_capacity"] == 60
    problem(await gw.get(f"/v1/tourism/venues/{MUSEUM}/occupancy", headers=h), 403)
    key_ = (await gw.get("/v1/tourism/ticket-key", headers=g)).json()
    assert key_["algorithm"] == "Ed25519"
    page = await gw.get("/tourism/gate")
    assert page.status_code == 200 and "入口核验" in page.text


async def test_cancellation_rules_and_an_agents_group(gw, svc, who):
    h = gw.token(who.home)
    booked = await reserve(gw, h, slot_id(MUSEUM, TODAY, 3), ids(1, 1))
    svc.clock.move(hours=5, minutes=1)  # 15:01 on the day
    problem(await gw.post(f"/v1/tourism/reservations/{booked['id']}/cancel", headers=h), 409)
    later = await reserve(gw, h, slot_id(MUSEUM, TOMORROW, 1), ids(2, 1))
    cancelled = await gw.post(f"/v1/tourism/reservations/{later['id']}/cancel", headers=h)
    assert cancelled.status_code == 200 and cancelled.json()["state_label"] == "已取消"
    assert "ticket_code" not in cancelled.json(), "a cancelled reservation has no ticket"
    a = gw.token(who.agent)
    group = await reserve(gw, a, slot_id(MUSEUM, TOMORROW, 3), ids(100, 12), group=VILLAGE)
    assert group["party"] == 12 and group["group_village_code"] == VILLAGE
    o = gw.token(who.other_agent)
    payload = {
        "slot_id": slot_id(MUSEUM, TOMORROW, 3),
        "visitor_id_numbers": ids(200, 3),
        "group_village_code": VILLAGE,
    }
    problem(await gw.post("/v1/tourism/reservations", json=payload, headers={**o, **key()}), 403, "group_village_code")
    # The waiting list of a full slot, over HTTP: not while places are left, then in line.
    full = slot_id(MUSEUM, TOMORROW, 2)
    line = {"slot_id": full, "visitor_id_numbers": ids(400, 2)}
    problem(await gw.post("/v1/tourism/waiting-list", json=line, headers={**h, **key()}), 409, "slot_id")
    for i in range(6):
        await reserve(gw, gw.token(household(f"hh-w{i}")), full, ids(500 + 5 * i, 5))
    r = await gw.post("/v1/tourism/waiting-list", json=line, headers={**h, **key()})
    assert r.status_code == 201 and r.json()["state_label"] == "候补中", r.text
    listed = (await gw.get("/v1/tourism/reservations", headers=a)).json()
    assert [r["id"] for r in listed["reservations"]] == [group["id"]]


async def test_bad_input_gets_a_clear_problem_and_changes_nothing(gw, who):
    h = gw.token(who.home)
    slot = slot_id(MUSEUM, TOMORROW, 1)
    problem(await gw.get("/v1/tourism/venues"), 401)
    problem(await gw.get("/v1/tourism/venues", params={"kind": "casino"}, headers=h), 400, "kind")
    problem(await gw.get("/v1/tourism/venues/nowhere", headers=h), 404)
    problem(await gw.get("/v1/tourism/events", params={"from_date": "2026-02-30"}, headers=h), 422)
    problem(await gw.get("/v1/tourism/events", params={"days": 40}, headers=h), 422)
    url = "/v1/tourism/reservations"
    problem(await gw.post(url, json={}, headers={**h, **key()}), 422)
    problem(
        await gw.post(url, json={"slot_id": slot, "visitor_id_numbers": ids(1, 1), "x": 1}, headers={**h, **key()}), 422
    )
    problem(await gw.post(url, content="slot", headers={**h, **key()}), 415)
    problem(
        await gw.post(url, json={"slot_id": slot, "visitor_id_numbers": ids(1, 1)}, headers=h), 400, "Idempotency-Key"
    )
    big = {"slot_id": slot, "visitor_id_numbers": ["1" * 18] * 4000}
    problem(await gw.post(url, json=big, headers={**h, **key()}), 413)
    # A party over 5, a slot that has started, a wrong check digit: the service's rules.
    problem(
        await gw.post(url, json={"slot_id": slot, "visitor_id_numbers": ids(1, 6)}, headers={**h, **key()}),
        400,
        "party",
    )
    past = {"slot_id": slot_id(MUSEUM, TODAY, 1), "visitor_id_numbers": ids(1, 1)}
    problem(await gw.post(url, json=past, headers={**h, **key()}), 409)
    bad_id = {"slot_id": slot, "visitor_id_numbers": ["330411198000000010"]}
    problem(await gw.post(url, json=bad_id, headers={**h, **key()}), 400, "visitor_id_numbers")
    problem(await gw.post("/v1/tourism/reservations/not*an*id/confirm", headers=h), 422)
    problem(await gw.get("/v1/tourism/qr.svg", params={"code": "<script>"}), 422)
    problem(await gw.post(f"/v1/tourism/reservations/{uuid.uuid4()}/confirm", headers=h), 404)
    problem(
        await gw.post(
            "/v1/tourism/gate/check-in", json={"venue_id": MUSEUM, "ticket_code": "x"}, headers=gw.token(who.gate)
        ),
        422,
    )
    for late in (-1, 86401, "soon"):  # an offline gate's upload: 0 to a day ago
        upload = {"venue_id": MUSEUM, "ticket_code": "T1.e30.AAAA", "offline_seconds": late}
        problem(await gw.post("/v1/tourism/gate/check-in", json=upload, headers=gw.token(who.gate)), 422)
    assert (await gw.get(url, headers=h)).json()["reservations"] == []


async def test_two_offline_gates_upload_one_ticket_the_second_is_a_double_entry_over_http(gw, svc, who):
    """Gates A and B let the same ticket in while offline and upload it: A's is the entry, B's the
    double entry (200, double_entry), each retry the same; the gate list shows both, the occupancy one visit."""
    booked = await reserve(gw, gw.token(who.home), slot_id(MUSEUM, TODAY, 2), ids(1, 3))
    g = gw.token(who.gate)
    svc.clock.move(minutes=20)

    def upload(entry_id: str, seconds_ago: int) -> dict:
        return {
            "venue_id": MUSEUM,
            "ticket_code": booked["ticket_code"],
            "offline_seconds": seconds_ago,
            "entry_id": entry_id,
        }

    first = await gw.post("/v1/tourism/gate/check-in", json=upload("a-1", 900), headers=g)
    assert first.status_code == 200 and "double_entry" not in first.json(), first.text
    for _ in range(2):  # B's upload, and its retry
        second = await gw.post("/v1/tourism/gate/check-in", json=upload("b-1", 300), headers=g)
        assert second.status_code == 200, second.text
        assert second.json()["double_entry"]["reservation_id"] == booked["id"]
        assert second.json()["occupancy"]["entered_today"] == 3
    listed = (await gw.get(f"/v1/tourism/venues/{MUSEUM}/gate-entries", headers=g)).json()
    assert [e["reservation_id"] for e in listed["entries"]] == [booked["id"]]
    assert [d["entry_id"] for d in listed["double_entries"]] == ["b-1"] and listed["double_entries"][0]["party"] == 3
    # Bad input changes nothing: a malformed entry id, another caller, no caller, no such venue.
    for bad in ("x" * 37, "b 1", "<b>"):
        problem(await gw.post("/v1/tourism/gate/check-in", json=upload(bad, 60), headers=g), 422)
    problem(await gw.get(f"/v1/tourism/venues/{MUSEUM}/gate-entries", headers=gw.token(who.home)), 403)
    problem(await gw.get(f"/v1/tourism/venues/{MUSEUM}/gate-entries"), 401)
    problem(await gw.get("/v1/tourism/venues/nowhere/gate-entries", headers=g), 404)
    again = (await gw.get(f"/v1/tourism/venues/{MUSEUM}/gate-entries", headers=g)).json()
    assert len(again["double_entries"]) == 1


async def test_the_museums_galleries_and_audio_guide_through_the_gateway(gw, who):
    h = gw.token(who.home)
    r = await gw.get(f"/v1/tourism/venues/{MUSEUM}/galleries", headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [g["name"] for g in body["galleries"]] == ["岁月回声", "奋斗声远", "时代新声", "光荣声绩", "追梦声华"]
    first = body["galleries"][0]["exhibits"][0]
    assert first["guide_text"] and first["story"] and first["gallery_id"] == body["galleries"][0]["id"]
    # The pictures the data names are served; until the museum's own, drawn illustrations said to be so.
    pictured = [e for g in body["galleries"] for e in g["exhibits"] if e.get("photo_url")]
    assert pictured and all(e["photo_note"].startswith("示意图") for e in pictured)
    for e in pictured:
        r = await gw.get(e["photo_url"])
        assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml" and b"<svg" in r.content
    assert all(not e.get("audio_url") for g in body["galleries"] for e in g["exhibits"]), "no recording yet: TTS"
    problem(await gw.get("/tourism/media/no-such-picture.svg"), 404)
    problem(await gw.get("/tourism/media/..%2Fgate.html"), 404)
    problem(await gw.get("/tourism/media/Gate.HTML"), 422)
    problem(await gw.get(f"/v1/tourism/venues/{MUSEUM}/galleries"), 401)
    problem(await gw.get(f"/v1/tourism/venues/{HALL}/galleries", headers=h), 404, "venue_id")
    problem(await gw.get("/v1/tourism/venues/NO*PE/galleries", headers=h), 422)
    problem(await gw.get(f"/v1/tourism/venues/{'a' * 65}/galleries", headers=h), 422)


async def test_the_museums_own_photos_and_recordings_show_once_its_staff_put_the_files_there(
    svc, tokens, redis_url, who, tmp_path
):
    """No code: the exhibits' data names each exhibit's files; a file in the media folder is shown."""
    (tmp_path / "reed-loudspeaker.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photograph")
    (tmp_path / "tube-amplifier.mp3").write_bytes(b"ID3 a recording")
    async with gateway(svc, tokens, redis_url, tourism_media_dir=str(tmp_path)) as gw:
        body = (await gw.get(f"/v1/tourism/venues/{MUSEUM}/galleries", headers=gw.token(who.home))).json()
        exhibits = {e["id"]: e for g in body["galleries"] for e in g["exhibits"]}
        assert all(e["photo_file"] == f"{i}.jpg" and e["audio_file"] == f"{i}.mp3" for i, e in exhibits.items())
        reed, amp = exhibits["reed-loudspeaker"], exhibits["tube-amplifier"]
        assert reed["photo_url"] == "/tourism/media/reed-loudspeaker.jpg" and not reed.get("photo_note")
        assert not reed.get("audio_url") and amp["audio_url"] == "/tourism/media/tube-amplifier.mp3"
        photo = await gw.get(reed["photo_url"])
        assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
        assert (await gw.get(amp["audio_url"])).headers["content-type"] == "audio/mpeg"
        # The drawn illustrations still serve from the image under a folder of the museum's own.
        drawn = next(e for e in exhibits.values() if e.get("photo_note"))
        assert (await gw.get(drawn["photo_url"])).status_code == 200
