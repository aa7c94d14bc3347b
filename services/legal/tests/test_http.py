"""Legal through the gateway's HTTP routes (gateway/routes/legal.py, in the gateway app with its
problem+json errors, body limit and token checks) against the service's real gRPC server on
SQLite: what the judicial office's page and a citizen's TV send and read back, the home tile, and
bad input."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import Backends
from gateway.security import Security
from gateway.settings import GatewaySettings, backend_addrs

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

ARTICLE = {
    "kind": "article",
    "topic": "elders",
    "audiences": ["elders"],
    "title": "子女有赡养老人的义务",
    "body": "成年子女对父母有赡养扶助的义务。",
    "speech_text": "成年子女对父母有赡养扶助的义务。",
}


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'legal.db'}"


@pytest.fixture
async def gw(svc, tokens, redis_url):
    settings = GatewaySettings(backends={**backend_addrs(), "legal": f"127.0.0.1:{svc.port}"}, redis_url=redis_url)
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


async def test_the_office_publishes_with_a_second_review_and_the_tv_reads_it(gw, who):
    author, reviewer, home = gw.token(who.author), gw.token(who.reviewer), gw.token(who.home)
    r = await gw.post("/v1/legal/contents", json=ARTICLE, headers={**author, **key()})
    assert r.status_code == 201 and r.json()["state"] == "in_review", r.text
    cid = r.json()["id"]
    problem(await gw.get(f"/v1/legal/contents/{cid}", headers=home), 404)
    queue = (await gw.get("/v1/legal/review-queue", headers=reviewer)).json()
    assert [c["id"] for c in queue["contents"]] == [cid]

    body = problem(await gw.post(f"/v1/legal/contents/{cid}/publish", headers=author), 403)
    assert "second person" in body["detail"]
    r = await gw.post(f"/v1/legal/contents/{cid}/publish", headers=reviewer)
    assert r.status_code == 200 and r.json()["state"] == "published", r.text
    problem(await gw.post(f"/v1/legal/contents/{cid}/publish", headers=reviewer), 409)

    listed = (await gw.get("/v1/legal/contents", params={"topic": "elders"}, headers=home)).json()
    assert [(c["title"], c["topic_label"]) for c in listed["contents"]] == [("子女有赡养老人的义务", "老年人权益")]
    read = (await gw.get(f"/v1/legal/contents/{cid}", headers=home)).json()
    assert read["speech_text"] == ARTICLE["speech_text"] and read["audiences"] == ["elders"]
    tile = (await gw.get("/v1/legal/home-tile", headers=home)).json()
    assert tile["screen"] == "legal" and tile["items"][0]["title"] == "子女有赡养老人的义务"
    problem(await gw.get("/v1/legal/home-tile", headers=author), 403)


async def test_bad_input_through_the_gateway_changes_nothing(gw, who):
    author = gw.token(who.author)
    problem(await gw.post("/v1/legal/contents", json={**ARTICLE, "topic": "tax"}, headers={**author, **key()}), 400)
    problem(await gw.post("/v1/legal/contents", json={**ARTICLE, "title": ""}, headers={**author, **key()}), 422)
    problem(await gw.post("/v1/legal/contents", json={**ARTICLE, "x": 1}, headers={**author, **key()}), 422)
    problem(await gw.post("/v1/legal/contents", json=ARTICLE, headers=author), 400, "Idempotency-Key")
    big = {**ARTICLE, "body": "字" * 30000}
    assert (await gw.post("/v1/legal/contents", json=big, headers={**author, **key()})).status_code in (413, 422)
    problem(await gw.post("/v1/legal/contents", json=ARTICLE, headers={**gw.token(who.home), **key()}), 403)
    problem(await gw.get("/v1/legal/contents"), 401)
    problem(await gw.get("/v1/legal/contents", params={"kind": "Poem!"}, headers=author), 422)
    problem(await gw.post("/v1/legal/contents/nope/return", json={"note": ""}, headers=author), 422)
    assert (await gw.get("/v1/legal/review-queue", headers=author)).json()["contents"] == []


async def test_a_tv_asks_the_advisor_who_answers_and_the_tv_follows_up_and_rates(gw, who):
    home, advisor = gw.token(who.home), gw.token(who.advisor)
    r = await gw.post(
        "/v1/legal/consultations", json={"topic": "labour", "question": "老板拖欠工资三个月"}, headers={**home, **key()}
    )
    assert r.status_code == 201 and r.json()["state"] == "waiting", r.text
    cid = r.json()["id"]
    queue = (await gw.get("/v1/legal/consultations", headers=advisor)).json()
    assert [c["id"] for c in queue["consultations"]] == [cid]
    other = gw.token(who.other_advisor)
    problem(await gw.post(f"/v1/legal/consultations/{cid}/answer", json={"answer": "x"}, headers=other), 403)
    problem(await gw.get(f"/v1/legal/consultations/{cid}", headers=gw.token(who.neighbour)), 404)
    r = await gw.post(
        f"/v1/legal/consultations/{cid}/answer", json={"answer": "可申请劳动仲裁，不收费。"}, headers=advisor
    )
    assert r.status_code == 200 and r.json()["state"] == "answered", r.text
    problem(await gw.post(f"/v1/legal/consultations/{cid}/answer", json={"answer": "再答"}, headers=advisor), 409)
    r = await gw.post(f"/v1/legal/consultations/{cid}/follow-up", json={"question": "要带什么材料？"}, headers=home)
    assert r.json()["follow_ups"] == 1 and r.json()["state"] == "waiting", r.text
    problem(await gw.post(f"/v1/legal/consultations/{cid}/rating", json={"level": "satisfied"}, headers=home), 409)
    await gw.post(f"/v1/legal/consultations/{cid}/answer", json={"answer": "劳动合同和工资记录。"}, headers=advisor)
    rating = {"level": "very_satisfied", "indicators": {"clarity": 5}}
    r = await gw.post(f"/v1/legal/consultations/{cid}/rating", json=rating, headers=home)
    assert r.status_code == 200 and r.json()["rating_level"] == "very_satisfied", r.text
    read = (await gw.get(f"/v1/legal/consultations/{cid}", headers=home)).json()
    assert [m["kind"] for m in read["messages"]] == ["question", "answer", "follow_up", "answer"]


async def test_bad_questions_through_the_gateway(gw, who):
    home = {**gw.token(who.home), **key()}
    ask = "/v1/legal/consultations"
    problem(await gw.post(ask, json={"topic": "land", "question": ""}, headers=home), 422)
    problem(await gw.post(ask, json={"topic": "land", "question": "问" * 501}, headers=home), 422)
    problem(await gw.post(ask, json={"topic": "tax", "question": "x"}, headers=home), 400, "topic")
    problem(await gw.post(ask, json={"topic": "land"}, headers=home), 422)
    problem(await gw.post(ask, json={"topic": "land", "question": "x"}, headers=gw.token(who.home)), 400)
    advisor = {**gw.token(who.advisor), **key()}
    problem(await gw.post(ask, json={"topic": "land", "question": "x"}, headers=advisor), 403)
    problem(await gw.post(f"{ask}/{uuid.uuid4()}/rating", json={"level": "satisfied"}, headers=home), 404)
    assert (await gw.get(ask, headers=home)).json()["consultations"] == []


async def test_a_volunteers_hours_after_check_out_through_the_gateway(gw, who, svc):
    from runtime.testing import staff

    manager = gw.token(staff("station_manager", username="manager.gz", area_code=who.home.area_code))
    home = gw.token(who.home)
    new = {
        "title": "法治宣传摆摊",
        "roles": ["讲解"],
        "capacity": 2,
        "starts_at": "2026-12-02T01:00:00Z",
        "ends_at": "2026-12-02T05:00:00+00:00",
    }
    r = await gw.post("/v1/legal/activities", json=new, headers=manager)
    assert r.status_code == 201, r.text
    act = r.json()
    problem(
        await gw.post("/v1/legal/activities", json={**new, "starts_at": "2026-12-02T01:00:00"}, headers=manager), 422
    )
    problem(await gw.post("/v1/legal/activities", json=new, headers=home), 403)
    listed = (await gw.get("/v1/legal/activities", headers=home)).json()["activities"]
    assert [a["id"] for a in listed] == [act["id"]] and "check_in_code" not in listed[0]

    r = await gw.post(f"/v1/legal/activities/{act['id']}/sign-up", json={"role": "讲解"}, headers=home)
    assert r.status_code == 200 and r.json()["activity"]["remaining"] == 1, r.text
    code = {"code": act["check_in_code"]}
    problem(await gw.post(f"/v1/legal/activities/{act['id']}/check-out", json=code, headers=home), 409)
    svc.clock.move(days=1)
    assert (await gw.post(f"/v1/legal/activities/{act['id']}/check-in", json=code, headers=home)).status_code == 200
    problem(await gw.post(f"/v1/legal/activities/{act['id']}/check-in", json=code, headers=home), 409)
    svc.clock.move(minutes=50)  # 50 min: 1 h
    r = await gw.post(f"/v1/legal/activities/{act['id']}/check-out", json=code, headers=home)
    assert r.status_code == 200 and r.json()["sign_up"]["hours"] == 1, r.text
    sign_up_id = r.json()["sign_up"]["id"]

    fix = {"sign_up_id": sign_up_id, "hours": 1.5, "reason": ""}
    problem(await gw.post(f"/v1/legal/activities/{act['id']}/hours", json=fix, headers=manager), 422)
    problem(
        await gw.post(
            f"/v1/legal/activities/{act['id']}/hours", json={**fix, "hours": 1.2, "reason": "x"}, headers=manager
        ),
        422,
    )
    r = await gw.post(f"/v1/legal/activities/{act['id']}/hours", json={**fix, "reason": "补登半小时"}, headers=manager)
    assert r.status_code == 200 and r.json()["sign_up"]["corrections"][0]["reason"] == "补登半小时", r.text
    record = (await gw.get("/v1/legal/volunteer/record", headers=home)).json()
    assert record["total_hours"] == 1.5 and record["sign_ups"][0]["activity_title"] == "法治宣传摆摊"
    totals = (await gw.get("/v1/legal/stations/totals", headers=home)).json()
    assert totals["stations"][0]["hours"] == 1.5 and totals["stations"][0]["volunteers"] == 1


async def test_a_quiz_through_the_gateway(gw, who):
    home = gw.token(who.home)
    papers = (await gw.get("/v1/legal/quizzes", headers=home)).json()["papers"]
    paper_id = papers[0]["id"]
    paper = (await gw.get(f"/v1/legal/quizzes/{paper_id}", headers=home)).json()
    assert len(paper["questions"]) == 5 and "correct" not in json.dumps(paper)
    first = {q["id"]: q["options"][0]["key"] for q in paper["questions"]}
    problem(await gw.post(f"/v1/legal/quizzes/{paper_id}/submission", json={"answers": {}}, headers=home), 422)
    problem(await gw.post(f"/v1/legal/quizzes/{paper_id}/submission", json={"answers": {"x": "a"}}, headers=home), 400)
    r = await gw.post(f"/v1/legal/quizzes/{paper_id}/submission", json={"answers": first}, headers=home)
    assert r.status_code == 200 and len(r.json()["answers"]) == 5, r.text
    assert r.json().get("score", 0) == 20 * sum(1 for a in r.json()["answers"] if a["chosen"] == a["correct"])
    problem(await gw.post(f"/v1/legal/quizzes/{paper_id}/submission", json={"answers": first}, headers=home), 409)
    problem(await gw.get("/v1/legal/quizzes/nope", headers=home), 404)
    towns = (await gw.get("/v1/legal/quizzes/stats", headers=home)).json()["towns"]
    assert [(t["town"], t["attempts"]) for t in towns] == [("330411004", 1)]


async def test_a_retried_question_through_the_gateway_is_one_question(gw, who):
    same = key()
    question = {"topic": "fraud", "question": "接到自称公安的电话要我转账，是真的吗？"}
    first = await gw.post("/v1/legal/consultations", json=question, headers={**gw.token(who.home), **same})
    again = await gw.post("/v1/legal/consultations", json=question, headers={**gw.token(who.home), **same})
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"], again.text
    other = await gw.post("/v1/legal/consultations", json=question, headers={**gw.token(who.neighbour), **same})
    problem(other, 409, "idempotency_key")
    listed = (await gw.get("/v1/legal/consultations", headers=gw.token(who.home))).json()["consultations"]
    assert [c["id"] for c in listed] == [first.json()["id"]]
    assert (await gw.get("/v1/legal/consultations", headers=gw.token(who.neighbour))).json()["consultations"] == []


async def test_the_tvs_asking_choices_are_the_districts(gw, who):
    r = await gw.get("/v1/legal/asking-choices", headers=gw.token(who.home))
    assert r.status_code == 200, r.text
    topics = {t["code"]: t for t in r.json()["topics"]}
    assert topics["land"]["label"] == "土地权益" and "邻居占了我家的承包地，怎么办？" in topics["land"]["questions"]
    assert r.json()["call_back"] == "请法律顾问给我回个电话。"
    problem(await gw.get("/v1/legal/asking-choices"), 401)


async def test_a_sign_up_cancelled_through_the_gateway(gw, who):
    from runtime.testing import staff

    manager = gw.token(staff("station_manager", username="manager.gz", area_code=who.home.area_code))
    home = gw.token(who.home)
    new = {"title": "普法集市", "roles": ["引导"], "capacity": 1}
    new |= {"starts_at": "2026-12-02T01:00:00Z", "ends_at": "2026-12-02T05:00:00Z"}
    act = (await gw.post("/v1/legal/activities", json=new, headers=manager)).json()
    problem(await gw.post(f"/v1/legal/activities/{act['id']}/cancel", headers=home), 404)
    await gw.post(f"/v1/legal/activities/{act['id']}/sign-up", json={"role": "引导"}, headers=home)
    r = await gw.post(f"/v1/legal/activities/{act['id']}/cancel", headers=home)
    assert r.status_code == 200 and r.json()["sign_up"]["state"] == "cancelled", r.text
    assert r.json()["activity"]["remaining"] == 1
    problem(await gw.post(f"/v1/legal/activities/{act['id']}/cancel", headers=home), 404)
    problem(await gw.post(f"/v1/legal/activities/{act['id']}/cancel"), 401)
    problem(await gw.post("/v1/legal/activities/not%20an%20id/cancel", headers=home), 422)


async def test_the_advisor_records_a_duty_through_the_gateway_and_the_office_reads_the_view(gw, who):
    advisor, office = gw.token(who.advisor), gw.token(who.author)
    done = {"village_code": "330411004001", "kind": "annual_lecture", "done_on": "2026-11-30", "note": "村民法治讲座"}
    r = await gw.post("/v1/legal/duties", json=done, headers=advisor)
    assert r.status_code == 201 and r.json()["kind_label"] == "每年法治讲座", r.text
    view = (await gw.get("/v1/legal/duties", headers=office)).json()
    village = next(v for a in view["advisors"] for v in a["villages"] if v["village_code"] == "330411004001")
    lecture = next(d for d in village["duties"] if d["kind"] == "annual_lecture")
    assert (lecture["status"], lecture["last_done_on"], lecture["last_recorded_by"]) == (
        "done",
        "2026-11-30",
        "lawyer.gz",
    )
    # Zeros and empty fields are there too: the page reads every figure.
    assert view["done"] == 1 and view["due"] == 0 and view["overdue"] == 23
    assert next(d for d in village["duties"] if d["kind"] == "monthly_contact")["last_done_on"] == ""

    # Bad input, callers who may not: a clear error each, and nothing recorded.
    problem(await gw.post("/v1/legal/duties", json={**done, "done_on": "2026-12-02"}, headers=advisor), 400, "done_on")
    problem(await gw.post("/v1/legal/duties", json={**done, "kind": "tea_party"}, headers=advisor), 400, "kind")
    problem(await gw.post("/v1/legal/duties", json={**done, "done_on": "next week"}, headers=advisor), 422)
    problem(await gw.post("/v1/legal/duties", json={**done, "village_code": "33041"}, headers=advisor), 422)
    problem(await gw.post("/v1/legal/duties", json={**done, "extra": 1}, headers=advisor), 422)
    problem(await gw.post("/v1/legal/duties", json={"kind": "annual_lecture"}, headers=advisor), 422)
    problem(await gw.post("/v1/legal/duties", json={**done, "note": "长" * 201}, headers=advisor), 422)
    problem(await gw.post("/v1/legal/duties", content=json.dumps(done), headers=advisor), 415)
    other_village = {**done, "village_code": "330411105001"}
    assert "serve" in problem(await gw.post("/v1/legal/duties", json=other_village, headers=advisor), 403)["detail"]
    for caller in (who.author, who.home, who.other_advisor):
        problem(await gw.post("/v1/legal/duties", json=done, headers=gw.token(caller)), 403)
    problem(await gw.post("/v1/legal/duties", json=done), 401)
    for caller in (who.home, who.agent):
        problem(await gw.get("/v1/legal/duties", headers=gw.token(caller)), 403)
    assert (await gw.get("/v1/legal/duties", headers=office)).json()["done"] == 1

    page = await gw.get("/legal/duties")
    assert page.status_code == 200 and "一村一法律顾问" in page.text


async def test_a_call_back_through_the_gateway_needs_a_mobile_number(gw, who):
    home = gw.token(who.home)
    call_back = (await gw.get("/v1/legal/asking-choices", headers=home)).json()["call_back"]
    ask = {"topic": "land", "question": call_back}
    problem(await gw.post("/v1/legal/consultations", json=ask, headers={**home, **key()}), 400, "call_back_phone")
    for bad in ("1391234567", "12912345678", "+8613912345678", "139 1234 5678"):
        body = {**ask, "call_back_phone": bad}
        problem(await gw.post("/v1/legal/consultations", json=body, headers={**home, **key()}), 422)
    r = await gw.post(
        "/v1/legal/consultations", json={**ask, "call_back_phone": "13912345678"}, headers={**home, **key()}
    )
    assert r.status_code == 201 and r.json()["call_back_phone"] == "13912345678", r.text
    assert (await gw.get("/v1/legal/consultations", headers=home)).json()["consultations"][0]["call_back_phone"] == (
        "13912345678"
    )
    problem(await gw.get(f"/v1/legal/consultations/{r.json()['id']}", headers=gw.token(who.neighbour)), 404)
