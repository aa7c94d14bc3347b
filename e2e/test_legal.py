"""Legal outreach through the gateway, every process of the platform a separate OS process, on the
wall clock: the judicial office publishes an article after a second officer's review and a household's
TV reads it; the household asks its village's legal advisor from the TV and the village agent asks for
a neighbour; the advisor on the roster answers, the asker sees the answer and rates it (once); nobody
else reads it; a question nobody answers escalates to the judicial office at 80% and 100% of its answer
time (the e2e run's district data gives seconds instead of 5 working hours: e2e/seed.py, Seed.legal_data);
a volunteer signs up for the practice station's activity, checks in and out with its QR code, the hours
follow the rounding rule (minutes count 0) and the manager's correction is kept with its reason. Then
the TV app in real Chromium with arrows, Enter and Backspace alone: a question asked with the remote
(a topic, a ready-made question), its answer read and rated; a quiz paper of 5 questions answered and
its score; an activity signed up for and cancelled; axe-core on each of those screens."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from zoneinfo import ZoneInfo

import httpx
import pytest

from e2e.platform import ROOT, sign_in_tv
from e2e.seed import LEGAL_ANSWER_HOURS, LEGAL_VILLAGES
from e2e.test_tv import VIEWPORT, Remote, accessible, wait_screen

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]

ADVISOR_NAME = "王店法律顾问(测试)"
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(platform, gw) -> dict[str, str]:
    homes = platform.households_of("legal")
    out = {f"home{i}": sign_in_tv(gw, homes[i], f"STB-LAW-{uuid.uuid4().hex[:6]}") for i in range(3)}
    for part, s in platform.seed.legal_staff.items():
        r = gw.post(
            "/v1/identity/token", data={"grant_type": "password", "username": s["username"], "password": s["password"]}
        )
        assert r.status_code == 200, r.text
        out[part] = r.json()["access_token"]
    return out


def h(token: str, key: bool = False) -> dict:
    return {"Authorization": f"Bearer {token}", **({"Idempotency-Key": uuid.uuid4().hex} if key else {})}


def problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, r.text
    return r.json()


@pytest.fixture(scope="module")
def unanswered(gw, tokens) -> dict:
    """A question of the second village that nobody answers, asked first so that its clock runs
    while the other tests do."""
    body = {"topic": "labour", "question": "老板拖欠工资三个月，我该怎么办？"}
    return ok(gw.post("/v1/legal/consultations", json=body, headers=h(tokens["home2"], key=True)), 201)


def test_the_office_publishes_after_a_second_review_and_the_tv_reads_it(gw, tokens, unanswered):
    article = {
        "kind": "article",
        "topic": "fraud",
        "audiences": ["elders"],
        "title": f"冒充公检法的电话 {uuid.uuid4().hex[:4]}",
        "body": "接到自称公安的电话要求转账，一律是诈骗。",
        "speech_text": "接到自称公安的电话要求转账，一律是诈骗。",
    }
    draft = ok(gw.post("/v1/legal/contents", json=article, headers=h(tokens["legal_author"], key=True)), 201)
    assert draft["state"] == "in_review"
    problem(gw.get(f"/v1/legal/contents/{draft['id']}", headers=h(tokens["home0"])), 404)
    own = gw.post(f"/v1/legal/contents/{draft['id']}/publish", headers=h(tokens["legal_author"]))
    assert "second person" in problem(own, 403)["detail"]
    published = ok(gw.post(f"/v1/legal/contents/{draft['id']}/publish", headers=h(tokens["legal_reviewer"])))
    assert published["state"] == "published"

    listed = ok(gw.get("/v1/legal/contents", params={"topic": "fraud"}, headers=h(tokens["home0"])))["contents"]
    assert draft["id"] in [c["id"] for c in listed]
    read = ok(gw.get(f"/v1/legal/contents/{draft['id']}", headers=h(tokens["home0"])))
    assert (read["title"], read["speech_text"], read["topic_label"]) == (
        article["title"],
        article["speech_text"],
        "防范诈骗",
    )


def test_a_question_from_the_tv_and_one_by_the_agent_are_answered_by_the_villages_advisor(gw, tokens, platform):
    home, agent, advisor = tokens["home0"], tokens["legal_agent"], tokens["advisor"]
    mine = ok(
        gw.post(
            "/v1/legal/consultations",
            json={"topic": "land", "question": "邻居占了我家的承包地，怎么办？"},
            headers=h(home, key=True),
        ),
        201,
    )
    assert (mine["state"], mine["advisor_name"], mine["village_code"]) == ("waiting", ADVISOR_NAME, LEGAL_VILLAGES[0])
    asked, due = (dt.datetime.fromisoformat(mine[k]) for k in ("asked_at", "due_at"))
    assert due - asked == dt.timedelta(hours=LEGAL_ANSWER_HOURS), "the district data's answer time"

    # The village agent asks for a neighbour of their village, with the neighbour's consent.
    neighbour = platform.households_of("legal")[1]
    for_neighbour = {
        "topic": "elders",
        "question": "老人的养老金被子女拿走了，可以要回来吗？",
        "household_id": neighbour["id"],
        "household_area_code": neighbour["area_code"],
        "consent": "本人到村服务点当面同意代为咨询",
    }
    theirs = ok(gw.post("/v1/legal/consultations", json=for_neighbour, headers=h(agent, key=True)), 201)
    assert (theirs["asker_kind"], theirs["household_id"]) == ("village_agent", neighbour["id"])
    problem(gw.post("/v1/legal/consultations", json={**for_neighbour, "consent": ""}, headers=h(agent, key=True)), 400)

    # Private: another village's household does not find it; the advisor lists both.
    problem(gw.get(f"/v1/legal/consultations/{mine['id']}", headers=h(tokens["home2"])), 404)
    waiting = ok(gw.get("/v1/legal/consultations", headers=h(advisor)))["consultations"]
    assert {mine["id"], theirs["id"]} <= {c["id"] for c in waiting}

    problem(gw.post(f"/v1/legal/consultations/{mine['id']}/rating", json={"level": "satisfied"}, headers=h(home)), 409)
    problem(gw.post(f"/v1/legal/consultations/{mine['id']}/answer", json={"answer": "我来答"}, headers=h(home)), 403)
    answer = "先找村委会调解；调解不成，可以向镇人民政府申请处理或向法院起诉。"
    answered = ok(gw.post(f"/v1/legal/consultations/{mine['id']}/answer", json={"answer": answer}, headers=h(advisor)))
    assert answered["state"] == "answered"
    ok(gw.post(f"/v1/legal/consultations/{theirs['id']}/answer", json={"answer": "可以要回。"}, headers=h(advisor)))
    problem(gw.post(f"/v1/legal/consultations/{mine['id']}/answer", json={"answer": "再答"}, headers=h(advisor)), 409)

    # The asker sees the answer, and rates it once.
    seen = ok(gw.get(f"/v1/legal/consultations/{mine['id']}", headers=h(home)))
    assert [(m["kind"], m["text"]) for m in seen["messages"]][-1] == ("answer", answer)
    assert seen["advisor_name"] == ADVISOR_NAME
    rating = {"level": "very_satisfied", "indicators": {"timeliness": 5, "clarity": 5}}
    rated = ok(gw.post(f"/v1/legal/consultations/{mine['id']}/rating", json=rating, headers=h(home)))
    assert rated["rating_level"] == "very_satisfied"
    problem(gw.post(f"/v1/legal/consultations/{mine['id']}/rating", json=rating, headers=h(home)), 409)
    # The neighbour reads the agent's question about them, and its answer, on their own TV.
    read = ok(gw.get(f"/v1/legal/consultations/{theirs['id']}", headers=h(tokens["home1"])))
    assert read["messages"][-1]["text"] == "可以要回。"


def test_a_question_nobody_answers_escalates_to_the_judicial_office(gw, tokens, unanswered):
    assert unanswered["advisor_name"] == ADVISOR_NAME
    office = h(tokens["legal_author"])
    deadline = time.monotonic() + 30
    found: dict = {}
    while time.monotonic() < deadline:
        listed = ok(gw.get("/v1/legal/consultations", params={"escalated_only": "true"}, headers=office))
        found = next((c for c in listed["consultations"] if c["id"] == unanswered["id"]), {})
        if found.get("escalated_percent") == 100:
            break
        time.sleep(0.5)
    assert found.get("escalated_percent") == 100, f"not escalated past its deadline: {found}"
    assert dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(unanswered["due_at"])
    # The asker sees it still waiting, past its time; the advisor may still answer.
    mine = ok(gw.get(f"/v1/legal/consultations/{unanswered['id']}", headers=h(tokens["home2"])))
    assert (mine["state"], mine["escalated_percent"]) == ("waiting", 100)
    late = ok(
        gw.post(
            f"/v1/legal/consultations/{unanswered['id']}/answer",
            json={"answer": "可以向劳动保障监察大队投诉。"},
            headers=h(tokens["advisor"]),
        )
    )
    assert late["state"] == "answered"


def test_a_volunteer_signs_up_checks_in_and_out_and_the_hours_follow_the_rules(gw, tokens):
    manager, volunteer = h(tokens["station_manager"]), h(tokens["home0"])
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=2)
    activity = {
        "title": "敬老院普法讲座志愿服务",
        "roles": ["讲解", "引导"],
        "capacity": 2,
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
    }
    a = ok(gw.post("/v1/legal/activities", json=activity, headers=manager), 201)
    assert a["station"] == LEGAL_VILLAGES[0] and a["station_name"] == "王店镇测试村新时代文明实践站"
    code = a["check_in_code"]
    assert code and ok(gw.get(f"/v1/legal/activities/{a['id']}", headers=volunteer)).get("check_in_code", "") == ""
    problem(gw.post("/v1/legal/activities", json=activity, headers=volunteer), 403)

    signed = ok(gw.post(f"/v1/legal/activities/{a['id']}/sign-up", json={"role": "讲解"}, headers=volunteer))
    assert signed["activity"]["remaining"] == 1 and signed["sign_up"]["state"] == "confirmed"
    problem(gw.post(f"/v1/legal/activities/{a['id']}/sign-up", json={"role": "讲解"}, headers=volunteer), 409)
    problem(gw.post(f"/v1/legal/activities/{a['id']}/check-out", json={"code": code}, headers=volunteer), 409)
    problem(gw.post(f"/v1/legal/activities/{a['id']}/check-in", json={"code": "not-the-code"}, headers=volunteer), 403)
    inside = ok(gw.post(f"/v1/legal/activities/{a['id']}/check-in", json={"code": code}, headers=volunteer))
    assert inside["sign_up"]["state"] == "checked_in"
    problem(gw.post(f"/v1/legal/activities/{a['id']}/check-in", json={"code": code}, headers=volunteer), 409)
    out = ok(gw.post(f"/v1/legal/activities/{a['id']}/check-out", json={"code": code}, headers=volunteer))
    # Checked out within 15 minutes: the rounding rule counts 0 hours.
    assert out["sign_up"]["state"] == "attended" and out["sign_up"].get("hours", 0) == 0

    correction = {"sign_up_id": out["sign_up"]["id"], "hours": 1.5, "reason": "签到机故障，按签到表补录"}
    problem(gw.post(f"/v1/legal/activities/{a['id']}/hours", json=correction, headers=volunteer), 403)
    corrected = ok(gw.post(f"/v1/legal/activities/{a['id']}/hours", json=correction, headers=manager))
    entry = corrected["sign_up"]["corrections"][-1]
    assert (corrected["sign_up"]["hours"], entry["hours_after"], entry["reason"]) == (1.5, 1.5, correction["reason"])
    record = ok(gw.get("/v1/legal/volunteer/record", headers=volunteer))
    assert [s["hours"] for s in record["sign_ups"] if s["activity_id"] == a["id"]] == [1.5]
    assert (record["total_hours"], record.get("stars", 0)) == (1.5, 0)
    totals = ok(gw.get("/v1/legal/stations/totals", headers=manager))
    assert LEGAL_VILLAGES[0] in [t["station"] for t in totals["stations"]], totals


def test_the_advisor_records_a_duty_and_the_offices_page_shows_the_apis_figures(gw, tokens, platform, browser):
    today = dt.datetime.now(ZONE).date().isoformat()
    village = LEGAL_VILLAGES[0]
    done = {"village_code": village, "kind": "monthly_contact", "done_on": today, "note": "电话联系村委"}
    recorded = ok(gw.post("/v1/legal/duties", json=done, headers=h(tokens["advisor"])), 201)
    assert (recorded["kind_label"], recorded["done_on"]) == ("每月联系", today)
    elsewhere = {**done, "village_code": "330411105001"}
    assert "serve" in problem(gw.post("/v1/legal/duties", json=elsewhere, headers=h(tokens["advisor"])), 403)["detail"]
    problem(gw.post("/v1/legal/duties", json=done, headers=h(tokens["legal_agent"])), 403)
    problem(gw.get("/v1/legal/duties", headers=h(tokens["home0"])), 403)

    api = ok(gw.get("/v1/legal/duties", headers=h(tokens["legal_author"])))
    [mine] = [a for a in api["advisors"] if a["advisor_name"] == ADVISOR_NAME]
    contact = next(d for d in mine["villages"][0]["duties"] if d["kind"] == "monthly_contact")
    assert (contact["status"], contact["last_done_on"], contact["last_recorded_by"]) == ("done", today, "advisor")

    s = platform.seed.legal_staff["legal_author"]
    page = browser.new_page()
    try:
        page.goto(f"{platform.base_url}/legal/duties")
        page.fill("input[name=username]", s["username"])
        page.fill("input[name=password]", s["password"])
        page.click("#sign-in button")
        page.wait_for_selector("body[data-loaded=true]")
        cells = page.eval_on_selector_all(
            "table.duties tr[data-village] td[data-kind]",
            "tds => tds.map(td => [td.parentElement.dataset.village, td.dataset.kind, td.dataset.status])",
        )
        bars = page.eval_on_selector_all(
            "#by-duty rect", "els => els.map(e => [e.dataset.kind, e.dataset.status, +e.dataset.count])"
        )
        summary = [page.text_content(f"#{k}") for k in ("done", "due", "overdue")]
        page.screenshot(path=str(ROOT / "var" / "e2e" / platform.run_id / "legal-duties.png"), full_page=True)
    finally:
        page.close()
    states = [
        (v["village_code"], d["kind"], d["status"]) for a in api["advisors"] for v in a["villages"] for d in v["duties"]
    ]
    assert [tuple(c) for c in cells] == states
    per_duty = {
        (k, st): sum(1 for _, kind, status in states if (kind, status) == (k, st))
        for _, k, _ in states
        for st in ("done", "due", "overdue")
    }
    assert {(k, st): n for k, st, n in bars} == per_duty
    assert summary == [str(api["done"]), str(api["due"]), str(api["overdue"])]


def test_the_tv_asks_reads_the_answer_rates_takes_a_quiz_and_signs_up_with_the_remote(browser, platform, gw, tokens):
    shots = ROOT / "var" / "e2e" / platform.run_id / "legal"
    shots.mkdir(parents=True, exist_ok=True)
    manager = h(tokens["station_manager"])
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    new = {"title": f"村口普法集市 {uuid.uuid4().hex[:4]}", "roles": ["引导", "讲解"], "capacity": 1}
    new |= {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=3)).isoformat()}
    activity = ok(gw.post("/v1/legal/activities", json=new, headers=manager), 201)

    # The TV signed in already (its token where the app keeps it): the phone page's sign-in is e2e/test_tv.py's.
    token = sign_in_tv(gw, platform.households_of("legal")[3], f"STB-LAW-{uuid.uuid4().hex[:6]}")
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(
        f"localStorage.setItem('sbc.tv.token', '{token}');"
        "localStorage.setItem('sbc.tv.token_until', String(Date.now() + 3600 * 1000));"
    )
    tv = context.new_page()
    tv.goto(platform.base_url + "/tv/")
    wait_screen(tv, "home", timeout=30000)
    remote = Remote(tv)  # a PC keyboard: arrows, Enter, Backspace

    def enter(nav: str, screen: str) -> None:
        remote.go_to(nav)
        remote.press("ok")
        wait_screen(tv, screen)

    def back_to(screen: str) -> None:
        for _ in range(6):
            if tv.get_attribute("#screen", "data-screen") == screen:
                break
            remote.press("back")
            tv.wait_for_timeout(150)
        wait_screen(tv, screen)  # drawn, with its focus

    # Ask: a topic, a ready-made question, confirm.
    enter("tile:legal", "legal")
    enter("lg:ask", "legal.ask")
    enter("topic:land", "legal.ask_topic")
    enter("ask:q0", "legal.ask_confirm")
    assert tv.inner_text("#lg-question") == "邻居占了我家的承包地，怎么办？"
    accessible(tv, "legal.ask_confirm")
    enter("ask:send", "legal.question")
    assert "等待律师答复" in tv.inner_text("#lg-state")
    [asked] = ok(gw.get("/v1/legal/consultations", headers=h(token)))["consultations"]
    assert asked["messages"][0]["text"] == "邻居占了我家的承包地，怎么办？" and asked["advisor_name"] == ADVISOR_NAME
    answer = "可以先请村委会调解，调解不成向镇政府申请处理。"
    ok(gw.post(f"/v1/legal/consultations/{asked['id']}/answer", json={"answer": answer}, headers=h(tokens["advisor"])))

    # My questions: the answer, and its 好差评 once.
    back_to("legal")
    enter("lg:questions", "legal.questions")
    enter(f"q:{asked['id']}", "legal.question")
    assert "律师已答复" in tv.inner_text("#lg-state") and answer in tv.inner_text("#screen")
    accessible(tv, "legal.question")
    enter("q:rate", "legal.rate")
    remote.go_to("lgrate:very_satisfied")
    remote.press("ok")
    wait_screen(tv, "legal.question")
    tv.wait_for_selector("text=您的评价：非常满意")
    assert ok(gw.get(f"/v1/legal/consultations/{asked['id']}", headers=h(token)))["rating_level"] == "very_satisfied"
    tv.screenshot(path=str(shots / "question.png"))

    # A call-back: the number typed on the on-screen keypad (arrows and OK) and with the number keys.
    back_to("legal")
    enter("lg:ask", "legal.ask")
    enter("topic:family", "legal.ask_topic")
    enter("ask:call_back", "legal.call_back")
    for d in ("1", "3", "3"):
        remote.go_to(f"pad:{d}")
        remote.press("ok")
    remote.go_to("pad:delete")
    remote.press("ok")
    for d in "912345678":
        tv.keyboard.press(d)
    tv.wait_for_selector("#lg-phone >> text=13912345678")
    accessible(tv, "legal.call_back")
    enter("pad:next", "legal.ask_confirm")
    assert "13912345678" in tv.inner_text("#lg-confirm-phone")
    enter("ask:send", "legal.question")
    latest = ok(gw.get("/v1/legal/consultations", headers=h(token)))["consultations"][0]
    assert (latest["call_back_phone"], latest["topic"]) == ("13912345678", "family")

    # A quiz paper: five questions, each answered with OK on an option, then the score.
    back_to("legal")
    enter("lg:quizzes", "legal.quizzes")
    paper = ok(gw.get("/v1/legal/quizzes", headers=h(token)))["papers"][0]
    enter(f"paper:{paper['id']}", "legal.quiz")
    accessible(tv, "legal.quiz")
    for i in range(5):
        tv.wait_for_selector(f"#lg-progress >> text=第 {i + 1}/5 题")
        remote.press("down")  # the second option
        remote.press("ok")
    tv.wait_for_selector("text=5道题都答完了")
    remote.go_to("quiz:submit")
    remote.press("ok")
    tv.wait_for_selector("#lg-score")
    score = tv.inner_text("#lg-score")
    right = tv.inner_text("#screen").count("答对了")
    assert score.startswith(f"得分 {20 * right} 分"), score
    tv.screenshot(path=str(shots / "quiz.png"))
    again = gw.post(f"/v1/legal/quizzes/{paper['id']}/submission", json={"answers": {"x": "a"}}, headers=h(token))
    assert again.status_code in (400, 409)
    towns = ok(gw.get("/v1/legal/quizzes/stats", headers=h(token)))["towns"]
    assert any(t["town"] == LEGAL_VILLAGES[1][:9] and t["attempts"] >= 1 for t in towns)

    # An activity: sign up for a role, then cancel; the place comes back.
    back_to("legal")
    enter("lg:activities", "legal.activities")
    enter(f"act:{activity['id']}", "legal.activity")
    accessible(tv, "legal.activity")
    remote.go_to("act:role1")
    remote.press("ok")
    tv.wait_for_selector("#lg-mine >> text=我已报名（讲解）")
    assert ok(gw.get(f"/v1/legal/activities/{activity['id']}", headers=h(token))).get("remaining", 0) == 0
    record = ok(gw.get("/v1/legal/volunteer/record", headers=h(token)))
    assert [(s["role"], s["state"]) for s in record["sign_ups"] if s["activity_id"] == activity["id"]] == [
        ("讲解", "confirmed")
    ]
    remote.go_to("act:cancel")
    remote.press("ok")
    tv.wait_for_selector("#lg-left >> text=余 1 个名额")
    record = ok(gw.get("/v1/legal/volunteer/record", headers=h(token)))
    assert [s["state"] for s in record["sign_ups"] if s["activity_id"] == activity["id"]] == ["cancelled"]

    # Full: the TV joins the waiting list; the place freed by the other volunteer is offered and taken.
    other = h(tokens["home2"])
    ok(gw.post(f"/v1/legal/activities/{activity['id']}/sign-up", json={"role": "引导"}, headers=other))
    back_to("legal.activities")
    enter(f"act:{activity['id']}", "legal.activity")
    remote.go_to("act:role0")
    assert tv.inner_text(".focused") == "排队候补：引导"
    remote.press("ok")
    tv.wait_for_selector("#lg-mine >> text=候补中")
    ok(gw.post(f"/v1/legal/activities/{activity['id']}/cancel", headers=other))
    back_to("legal.activities")
    enter(f"act:{activity['id']}", "legal.activity")
    tv.wait_for_selector("#lg-mine >> text=有空位了")
    remote.go_to("act:take")
    remote.press("ok")
    tv.wait_for_selector("#lg-mine >> text=已报名")
    record = ok(gw.get("/v1/legal/volunteer/record", headers=h(token)))
    assert [s["state"] for s in record["sign_ups"] if s["activity_id"] == activity["id"]] == ["confirmed"]
    tv.screenshot(path=str(shots / "activity.png"))
    tv.context.close()
