"""Opinions through the gateway's HTTP routes (gateway/routes/opinions.py, in the gateway app with
its problem+json errors, body limit and token checks) against the service's real gRPC server on
SQLite: what staff, a TV and a phone send and read back, and bad input."""

from __future__ import annotations

import contextlib
import datetime as dt

import httpx
import pytest

from gateway.app import create_app
from gateway.clients import Backends
from gateway.security import Security
from gateway.settings import GatewaySettings, backend_addrs
from opinions.tests.conftest import NEIGHBOURHOOD, NOW, OTHER_TOWN, TOWN, VILLAGE, editor, home
from runtime.auth import Caller, CallerKind

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'opinions.db'}"


@contextlib.asynccontextmanager
async def gateway(svc, tokens, redis_url):
    s = GatewaySettings(backends={**backend_addrs(), "opinions": f"127.0.0.1:{svc.port}"}, redis_url=redis_url)
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


def problem(r: httpx.Response, status: int, field: str = "") -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    if field:
        assert field in body.get("errors", {}), body
    return body


def draft(**kw) -> dict:
    return {
        "title": "广播电视服务满意度调查",
        "purpose": "了解群众意见",
        "organizer": "王江泾镇人民政府",
        "opens_at": NOW.isoformat(),
        "closes_at": (NOW + dt.timedelta(days=7)).astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
        "target_areas": [TOWN],
        "audience": "all",
        "questions": [
            {"kind": "single", "text": "主要收看方式", "required": True, "choices": ["有线电视", "网络电视"]},
            {"kind": "multiple", "text": "想看的节目", "choices": ["农技", "戏曲", "法治"], "max_picks": 2},
            {"kind": "scale", "text": "满意吗", "required": True, "scale_low": "很不满意", "scale_high": "很满意"},
            {"kind": "text", "text": "建议", "max_length": 50},
        ],
        **kw,
    }


def member(area: str = VILLAGE, household_id: str = "hh-phone") -> Caller:
    return Caller(subject="member:m1", kind=CallerKind.MEMBER, household_id=household_id, area_code=area, name="李")


async def test_staff_publish_a_tv_and_a_phone_answer_and_staff_read_the_results(gw):
    staff = gw.token(editor())
    r = await gw.post("/v1/opinions/questionnaires", json=draft(), headers=staff)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["state"] == "draft" and [q["id"] for q in made["questions"]] == ["q1", "q2", "q3", "q4"]
    r = await gw.put(f"/v1/opinions/questionnaires/{made['id']}", json=draft(title="新标题"), headers=staff)
    assert r.status_code == 200 and r.json()["title"] == "新标题"
    r = await gw.post(f"/v1/opinions/questionnaires/{made['id']}/publish", headers=staff)
    assert r.status_code == 200 and r.json()["state"] == "published" and r.json()["open"] is True

    tv, phone = gw.token(home(VILLAGE, "hh-tv")), gw.token(member(NEIGHBOURHOOD))
    listed = (await gw.get("/v1/opinions/questionnaires/open", headers=tv)).json()
    assert [(q["id"], q["answered"]) for q in listed["questionnaires"]] == [(made["id"], False)]
    tile = (await gw.get("/v1/opinions/home-tile", headers=tv)).json()
    assert tile["screen"] == "opinions" and tile["items"][0]["id"] == made["id"]
    answers = {"answers": [{"question_id": "q1", "choices": [0]}, {"question_id": "q3", "scale": 5}]}
    r = await gw.post(f"/v1/opinions/questionnaires/{made['id']}/responses", json=answers, headers=tv)
    assert r.status_code == 201, r.text
    with_text = {
        "answers": [
            {"question_id": "q1", "choices": [1]},
            {"question_id": "q2", "choices": [0, 2]},
            {"question_id": "q3", "scale": 4},
            {"question_id": "q4", "text": "希望多放农技节目"},
        ]
    }
    r = await gw.post(f"/v1/opinions/questionnaires/{made['id']}/responses", json=with_text, headers=phone)
    assert r.status_code == 201, r.text
    # The same household again, from another terminal: 409.
    again = await gw.post(
        f"/v1/opinions/questionnaires/{made['id']}/responses",
        json=with_text,
        headers=gw.token(member(VILLAGE, "hh-tv")),
    )
    problem(again, 409, "questionnaire_id")
    seen = (await gw.get(f"/v1/opinions/questionnaires/{made['id']}", headers=tv)).json()
    assert seen["answered"] is True

    res = (await gw.get(f"/v1/opinions/questionnaires/{made['id']}/results", headers=staff)).json()
    assert res["responses"] == 2
    single, multiple, scale, text = res["questions"]
    assert [(c["choice"], c["count"]) for c in single["choices"]] == [("有线电视", 1), ("网络电视", 1)]
    assert [c["count"] for c in multiple["choices"]] == [1, 0, 1]
    assert scale["scale_counts"] == [0, 0, 0, 1, 1] and scale["scale_mean"] == 4.5
    assert text["text_answers"] == 1 and res["towns"] == [{"town_code": TOWN, "responses": 2}]
    page = (await gw.get(f"/v1/opinions/questionnaires/{made['id']}/questions/q4/answers", headers=staff)).json()
    assert page == {"answers": [{"text": "希望多放农技节目", "town_code": TOWN}], "next_page_token": ""}
    r = await gw.post(f"/v1/opinions/questionnaires/{made['id']}/close", headers=staff)
    assert r.status_code == 200 and r.json()["state"] == "closed"
    problem(await gw.post(f"/v1/opinions/questionnaires/{made['id']}/close", headers=staff), 409)
    # The staff page is served by the gateway, with no script from elsewhere.
    page_html = await gw.get("/opinions/")
    assert page_html.status_code == 200 and "createElementNS" in page_html.text
    assert "http://" not in page_html.text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page_html.text


@pytest.mark.parametrize(
    "body, field",
    [
        (draft(title=""), "title"),
        (draft(title="x" * 101), "title"),
        (draft(title="a\u202eb"), "title"),
        (draft(opens_at="tomorrow"), "opens_at"),
        (draft(target_areas=[]), "target_areas"),
        (draft(target_areas=["33041110"]), "target_areas.0"),
        (draft(audience="elders"), "audience"),
        (draft(questions=[{"kind": "essay", "text": "x"}]), "questions.0.kind"),
        (draft(questions=[{"kind": "text", "text": "x", "max_length": 501}]), "questions.0.max_length"),
        (draft(extra=1), "extra"),
    ],
)
async def test_a_malformed_draft_is_refused_and_changes_nothing(gw, body, field):
    staff = gw.token(editor())
    # the gateway's schema refuses it (422) before the service is asked
    problem(await gw.post("/v1/opinions/questionnaires", json=body, headers=staff), 422, field)
    assert (await gw.get("/v1/opinions/questionnaires", headers=staff)).json()["questionnaires"] == []


async def test_bad_answers_missing_bodies_and_callers_who_may_not(gw):
    staff = gw.token(editor())
    made = (await gw.post("/v1/opinions/questionnaires", json=draft(), headers=staff)).json()
    qid = made["id"]
    tv = gw.token(home())
    # out of order: a draft is not answerable (not found for a household), nor closed
    ok = {"answers": [{"question_id": "q1", "choices": [0]}, {"question_id": "q3", "scale": 3}]}
    problem(await gw.post(f"/v1/opinions/questionnaires/{qid}/responses", json=ok, headers=tv), 404)
    problem(await gw.post(f"/v1/opinions/questionnaires/{qid}/close", headers=staff), 409)
    await gw.post(f"/v1/opinions/questionnaires/{qid}/publish", headers=staff)
    for body, field in (
        ({"answers": [{"question_id": "q3", "scale": 3}]}, "answers.q1"),
        ({"answers": [{"question_id": "q1", "choices": [5]}, {"question_id": "q3", "scale": 3}]}, "answers.q1"),
        ({"answers": [{"question_id": "q1", "choices": [0]}, {"question_id": "q3", "scale": 6}]}, "answers.1.scale"),
        (
            {
                "answers": [
                    {"question_id": "q1", "choices": [0]},
                    {"question_id": "q3", "scale": 3},
                    {"question_id": "q4", "text": "长" * 51},
                ]
            },
            "answers.q4",
        ),
        ({"answers": [{"question_id": "x1"}]}, "answers.0.question_id"),
        ({}, "answers"),
    ):
        # the service's rules answer 400 naming the question; the gateway's schema 422 naming the field
        status = 400 if field.startswith("answers.q") else 422
        problem(await gw.post(f"/v1/opinions/questionnaires/{qid}/responses", json=body, headers=tv), status, field)
    r = await gw.post(
        f"/v1/opinions/questionnaires/{qid}/responses", content=b"answers", headers={**tv, "Content-Type": "text/plain"}
    )
    problem(r, 415)
    big = {"answers": [{"question_id": "q4", "text": "x" * 500}] * 30, "pad": "x" * 70_000}
    problem(await gw.post(f"/v1/opinions/questionnaires/{qid}/responses", json=big, headers=tv), 413)
    # unauthorized: no token, a household on staff routes, staff of another town, staff on a household's
    problem(await gw.get("/v1/opinions/questionnaires/open"), 401)
    problem(await gw.post("/v1/opinions/questionnaires", json=draft(), headers=tv), 403)
    problem(await gw.get(f"/v1/opinions/questionnaires/{qid}/results", headers=tv), 403)
    other = gw.token(editor(OTHER_TOWN))
    problem(await gw.get(f"/v1/opinions/questionnaires/{qid}/results", headers=other), 404)
    problem(await gw.post("/v1/opinions/questionnaires", json=draft(), headers=other), 403)
    problem(await gw.get("/v1/opinions/questionnaires/open", headers=staff), 403)
    problem(await gw.get("/v1/opinions/questionnaires/not%20an%20id", headers=staff), 422)
    res = (await gw.get(f"/v1/opinions/questionnaires/{qid}/results", headers=staff)).json()
    assert res["responses"] == 0
