"""E-government over real gRPC: its own server (the runtime's, with the interceptor, token checks
and error mapping of production) on SQLite and PostgreSQL, with tokens minted by the runtime's test
plugin: the catalog, a household's application from draft to rating, a return for correction, a
village agent acting for a household, and the departments' scoping."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import grpc
import pytest
from sqlalchemy import func, select

from egov import store
from egov.tests.conftest import JPG, PDF, PNG, VILLAGE
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import rpc_error
from sbc.egov.v1 import egov_pb2 as pb
from sbc.events.v1 import egov_events_pb2

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
DIBAO = "330222003000-new"  # 最低生活保障申请: 20 working days, a correction stops the clock
RELIEF = "330222004000-new"  # 临时救助申请: 10 working days, a correction does not stop it
PENSION = "330211001000-new"  # 城乡居民基本养老保险参保登记: the social-security department's


def outbox(db) -> list[egov_events_pb2.EgovApplicationStep]:
    t = outbox_table()
    with db.transaction() as s:
        rows = list(s.execute(select(t).order_by(t.c.seq)))
    assert all(r.event_type == "sbc.egov.application.step.v1" and r.topic == "sbc.egov.applications.v1" for r in rows)
    return [egov_events_pb2.EgovApplicationStep.FromString(r.payload) for r in rows]


def counts(db) -> tuple[int, int, int, int]:
    """Applications, steps, materials and events: what a refused call must leave as it was."""
    with db.transaction() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t))
            for t in (store.applications, store.application_steps, store.materials, outbox_table())
        )


def local_date(ts) -> dt.date:
    return ts.ToDatetime(dt.UTC).astimezone(SHANGHAI).date()


async def start(svc, caller, item=RELIEF, key="k1", **kw):
    return await svc.api.StartApplication(
        pb.StartApplicationRequest(item_code=item, idempotency_key=key, **kw), metadata=svc.md(caller)
    )


async def add(svc, caller, app_id, code, content=PDF, **kw):
    return await svc.api.AddMaterial(
        pb.AddMaterialRequest(application_id=app_id, material_code=code, content=content, **kw), metadata=svc.md(caller)
    )


async def submitted(svc, caller, item=RELIEF, key="k1", **kw):
    """A submitted application with every required material of its guide."""
    app = await start(svc, caller, item, key, **kw)
    guide = (await svc.api.GetItem(pb.GetItemRequest(code=item), metadata=svc.md(caller))).guide
    for m in guide.materials:
        if m.required:
            await add(svc, caller, app.id, m.code, file_name=f"{m.code}.pdf")
    return await svc.api.SubmitApplication(pb.ApplicationRef(id=app.id), metadata=svc.md(caller))


# --- the catalog ---


async def test_the_catalog_in_gb_t_39554s_structure_with_each_guide(svc, who):
    listed = await svc.api.ListItems(pb.ListItemsRequest(), metadata=svc.md(who.home))
    assert (listed.district_code, listed.district_name, listed.version) == ("330411", "嘉兴市秀洲区", "2026.1")
    assert len(listed.items) >= 20
    types = {i.type_name for i in listed.items}
    assert types <= {"行政许可", "行政确认", "行政裁决", "行政给付", "行政奖励", "行政备案", "其他行政权力", "公共服务"}
    assert {"行政给付", "行政确认", "行政许可", "公共服务"} <= types
    assert {i.kind for i in listed.items} == {"new", "change", "renewal", "cancellation"}
    for i in listed.items:
        # the six elements, and a guide with its time limits
        assert i.name and i.code and i.type and i.department_name and i.implementing_body and i.legal_basis, i.code
        g = i.guide
        assert g.place and g.hours and g.conditions and g.materials and g.steps and g.consult and g.complain, i.code
        assert 0 < g.promised_time_limit_days <= g.legal_time_limit_days and g.visits in (0, 1) and g.fee, i.code
    # a sub-item's handling items, under their main item
    subsidy = [i for i in listed.items if i.main_code == "330222002000"]
    assert {(i.sub_name, i.kind) for i in subsidy} == {
        ("困难残疾人生活补贴", "new"),
        ("困难残疾人生活补贴", "cancellation"),
        ("重度残疾人护理补贴", "new"),
        ("重度残疾人护理补贴", "cancellation"),
    }
    birth = await svc.api.GetItem(pb.GetItemRequest(code="330233001000-new"), metadata=svc.md(who.home))
    assert birth.name == "新生儿出生登记（报户口）" and birth.type_name == "行政确认" and birth.kind_name == "新办"
    cert = {m.code: m for m in birth.guide.materials}["birth_certificate"]
    assert (cert.name, cert.form, cert.original_needed, cert.from_certificate, cert.required) == (
        "出生医学证明",
        "原件",
        True,
        True,
        True,
    )
    assert birth.guide.visits == 0 and birth.guide.fee == "不收费" and "check" not in birth.check or birth.check


async def test_search_by_keyword_and_life_event_and_the_guide_in_force_on_a_date(svc, who):
    md = svc.md(who.home)
    found = await svc.api.ListItems(pb.ListItemsRequest(keyword="残疾"), metadata=md)
    assert found.items and all("残疾" in i.name + i.main_name + i.sub_name for i in found.items)
    births = await svc.api.ListItems(pb.ListItemsRequest(life_event="birth"), metadata=md)
    assert "330233001000-new" in {i.code for i in births.items} and all("birth" in i.life_events for i in births.items)
    today = await svc.api.GetItem(pb.GetItemRequest(code=DIBAO), metadata=md)
    later = await svc.api.GetItem(pb.GetItemRequest(code=DIBAO, on_date="2027-01-04"), metadata=md)
    assert (today.catalog_version, today.guide.promised_time_limit_days) == ("2026.1", 20)
    assert (later.catalog_version, later.guide.promised_time_limit_days) == ("2027.1", 15)
    # the version replaces the main item whole, and keeps the other items
    assert len((await svc.api.ListItems(pb.ListItemsRequest(on_date="2027-01-04"), metadata=md)).items) == len(
        (await svc.api.ListItems(pb.ListItemsRequest(), metadata=md)).items
    )


@pytest.mark.parametrize(
    "request_, code, field",
    [
        (pb.GetItemRequest(code="teleportation-new"), grpc.StatusCode.NOT_FOUND, "code"),
        (pb.GetItemRequest(code=""), grpc.StatusCode.INVALID_ARGUMENT, "code"),
        (pb.GetItemRequest(code="a/b"), grpc.StatusCode.INVALID_ARGUMENT, "code"),
        (pb.GetItemRequest(code="x" * 65), grpc.StatusCode.INVALID_ARGUMENT, "code"),
        (pb.GetItemRequest(code=DIBAO, on_date="2026-13-01"), grpc.StatusCode.INVALID_ARGUMENT, "on_date"),
        (pb.GetItemRequest(code=DIBAO, on_date="2025-06-01"), grpc.StatusCode.NOT_FOUND, "on_date"),
        (pb.GetItemRequest(code=DIBAO, district_code="330402"), grpc.StatusCode.NOT_FOUND, "district_code"),
        (pb.GetItemRequest(code=DIBAO, district_code="33"), grpc.StatusCode.INVALID_ARGUMENT, "district_code"),
    ],
)
async def test_a_bad_item_request_is_refused_naming_the_field(svc, who, request_, code, field):
    err = await rpc_error(svc.api.GetItem(request_, metadata=svc.md(who.home)))
    assert err.code() == code and field in field_errors_of(err), err.details()


@pytest.mark.parametrize(
    "request_, field",
    [
        (pb.ListItemsRequest(keyword="x" * 51), "keyword"),
        (pb.ListItemsRequest(keyword="a\x00"), "keyword"),
        (pb.ListItemsRequest(life_event="wedding"), "life_event"),
        (pb.ListItemsRequest(on_date="tomorrow"), "on_date"),
    ],
)
async def test_a_bad_search_is_invalid_argument(svc, who, request_, field):
    err = await rpc_error(svc.api.ListItems(request_, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)


async def test_the_catalog_needs_a_signed_in_caller(svc, who):
    err = await rpc_error(svc.api.ListItems(pb.ListItemsRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    for caller in (who.agent, who.civil, who.technician):
        assert (await svc.api.ListItems(pb.ListItemsRequest(), metadata=svc.md(caller))).items


# --- an application from the TV to its rating ---


async def test_a_household_applies_the_department_decides_and_the_household_rates(svc, who):
    draft = await start(svc, who.home, DIBAO)
    assert (draft.state, draft.channel, draft.catalog_version, draft.department) == (
        "draft",
        "set_top_box",
        "2026.1",
        "civil_affairs",
    )
    assert draft.state_label == "草稿，未提交" and not draft.HasField("deadline")
    for code in ("id_card", "household_register", "income_statement"):
        await add(svc, who.home, draft.id, code, file_name=f"{code}.pdf")
    err = await rpc_error(svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "application_form" in field_errors_of(err)["materials"]
    form = await add(svc, who.home, draft.id, "application_form", content=PNG, file_name="申请表.png")
    assert {m.code: m.media_type for m in form.materials}["application_form"] == "image/png"
    svc.clock.move(minutes=5)
    sent = await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.home))
    # 20 working days from Tuesday 1 December
    assert sent.state == "submitted" and local_date(sent.deadline) == dt.date(2026, 12, 29)

    queue = await svc.dept.ListQueue(pb.ListQueueRequest(), metadata=svc.md(who.civil))
    assert [a.id for a in queue.applications] == [draft.id]
    assert not (await svc.dept.ListQueue(pb.ListQueueRequest(), metadata=svc.md(who.hrss))).applications
    file = await svc.api.GetMaterial(
        pb.GetMaterialRequest(application_id=draft.id, material_code="application_form"), metadata=svc.md(who.civil)
    )
    assert file.content == PNG and file.media_type == "image/png"

    accepted = await svc.dept.AcceptApplication(pb.DecisionRequest(id=draft.id), metadata=svc.md(who.civil))
    assert accepted.state == "accepted"
    svc.clock.move(days=3)
    approved = await svc.dept.ApproveApplication(
        pb.DecisionRequest(id=draft.id, reason="符合条件，自2027年1月起发放"), metadata=svc.md(who.civil)
    )
    assert approved.state == "approved" and approved.decision_reason == "符合条件，自2027年1月起发放"

    seen = await svc.api.GetApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.home))
    assert seen.state_label == "已办结：准予办理" and seen.decision_reason == approved.decision_reason
    rated = await svc.api.RateApplication(
        pb.RateApplicationRequest(
            id=draft.id, level="dissatisfied", indicators={"efficiency": 2}, reasons=["办事效率低"], comment="等了很久"
        ),
        metadata=svc.md(who.home),
    )
    assert rated.rating.level == "dissatisfied" and list(rated.rating.reasons) == ["办事效率低"]
    assert rated.rating.HasField("rectification_due")
    err = await rpc_error(
        svc.api.RateApplication(pb.RateApplicationRequest(id=draft.id, level="satisfied"), metadata=svc.md(who.home))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION

    # Every step is an audit entry naming its actor, and an event, in one transaction.
    actions = ["started"] + ["material_added"] * 4 + ["submitted", "accepted", "approved", "rated"]
    assert [s.action for s in rated.steps] == actions
    assert {s.actor_kind for s in rated.steps} == {"household", "department"}
    assert [s.actor for s in rated.steps if s.action in ("accepted", "approved")] == [
        "department:dept-civil-affairs"
    ] * 2
    events = outbox(svc.db)
    assert [e.action for e in events] == actions and {e.application_id for e in events} == {draft.id}
    assert events[-1].to_state == "approved" and events[5].deadline.seconds == sent.deadline.seconds
    # Each step says the household's area, for the figures per town (the evaluation's read model).
    assert {e.area_code for e in events} == {who.home.area_code}


async def test_a_return_for_correction_lists_what_is_missing_and_stops_the_clock_where_the_guide_says(svc, who):
    sent = await submitted(svc, who.home, DIBAO)
    err = await rpc_error(
        svc.dept.ReturnForCorrection(
            pb.ReturnForCorrectionRequest(id=sent.id, reason="看不清", missing_materials=["passport"]),
            metadata=svc.md(who.civil),
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "missing_materials" in field_errors_of(err)
    back = await svc.dept.ReturnForCorrection(
        pb.ReturnForCorrectionRequest(id=sent.id, reason="收入说明未签字", missing_materials=["income_statement"]),
        metadata=svc.md(who.civil),
    )
    assert back.state == "returned" and list(back.correction_materials) == ["income_statement"]
    assert back.state_label == "需要补正材料" and back.correction == "收入说明未签字"
    # The department cannot accept it now; the household resubmits after adding the material asked for.
    err = await rpc_error(svc.dept.AcceptApplication(pb.DecisionRequest(id=sent.id), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    svc.clock.move(days=7)
    await add(svc, who.home, sent.id, "income_statement", content=JPG, file_name="签字.jpg")
    again = await svc.api.SubmitApplication(pb.ApplicationRef(id=sent.id), metadata=svc.md(who.home))
    assert again.state == "submitted" and again.deadline.seconds == sent.deadline.seconds + 7 * 86400
    assert not again.correction_materials

    relief = await submitted(svc, who.home, RELIEF, key="k2")
    await svc.dept.ReturnForCorrection(
        pb.ReturnForCorrectionRequest(id=relief.id, reason="补充票据", missing_materials=["hardship_proof"]),
        metadata=svc.md(who.civil),
    )
    svc.clock.move(days=2)
    err = await rpc_error(svc.api.SubmitApplication(pb.ApplicationRef(id=relief.id), metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, "the material asked for is not given again yet"
    await add(svc, who.home, relief.id, "hardship_proof")
    again = await svc.api.SubmitApplication(pb.ApplicationRef(id=relief.id), metadata=svc.md(who.home))
    assert again.deadline.seconds == relief.deadline.seconds, "this guide's clock runs on"


async def test_reject_and_refuse_need_a_reason_and_its_legal_basis(svc, who):
    sent = await submitted(svc, who.home, RELIEF)
    for req in (pb.DecisionRequest(id=sent.id, reason="不符合"), pb.DecisionRequest(id=sent.id, legal_basis="第X条")):
        err = await rpc_error(svc.dept.RejectApplication(req, metadata=svc.md(who.civil)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    rejected = await svc.dept.RejectApplication(
        pb.DecisionRequest(id=sent.id, reason="不属于临时救助范围", legal_basis="《社会救助暂行办法》第四十七条"),
        metadata=svc.md(who.civil),
    )
    assert rejected.state == "rejected" and rejected.decision_basis == "《社会救助暂行办法》第四十七条"
    other = await submitted(svc, who.home, RELIEF, key="k2")
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=other.id), metadata=svc.md(who.civil))
    err = await rpc_error(svc.dept.ApproveApplication(pb.DecisionRequest(id=other.id), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "reason" in field_errors_of(err)
    refused = await svc.dept.RefuseApplication(
        pb.DecisionRequest(id=other.id, reason="收入超过标准", legal_basis="《社会救助暂行办法》第十一条"),
        metadata=svc.md(who.civil),
    )
    assert refused.state == "refused" and refused.state_label == "已办结：不予批准"


async def test_the_same_idempotency_key_returns_the_same_draft(svc, who):
    first = await start(svc, who.home, RELIEF)
    again = await start(svc, who.home, RELIEF)
    assert again.id == first.id and counts(svc.db)[0] == 1
    err = await rpc_error(start(svc, who.home, DIBAO))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "idempotency_key" in field_errors_of(err)


# --- a village agent acting for a household ---


async def consent_code(svc, household, item=RELIEF) -> pb.ConsentCode:
    """The code the household's TV shows, to tell its agent."""
    return await svc.api.GiveConsent(pb.GiveConsentRequest(item_code=item), metadata=svc.md(household))


async def test_a_village_agent_acts_for_a_household_of_their_village_named_on_every_step(svc, who):
    given = await consent_code(svc, who.home)
    assert len(given.code) == 6 and given.item_name == "临时救助申请"
    assert given.expires_at.ToDatetime(dt.UTC) == svc.clock.at + dt.timedelta(minutes=15)
    svc.clock.move(minutes=5)
    proxy = {"household_id": who.home.household_id, "household_area_code": VILLAGE, "consent": given.code}
    draft = await start(svc, who.agent, RELIEF, **proxy)
    assert (draft.household_id, draft.channel, draft.area_code) == ("hh-home", "village_agent", VILLAGE)
    # recorded with the application: who consented, when, for what
    assert (draft.consent.given_by, draft.consent.item_code) == (who.home.subject, RELIEF)
    assert draft.consent.given_at.ToDatetime(dt.UTC) == svc.clock.at - dt.timedelta(minutes=5)
    # the same key again (a retry) is the same draft, though the code is spent
    assert (await start(svc, who.agent, RELIEF, **proxy)).id == draft.id
    for code in ("id_card", "hardship_proof", "application_form"):
        await add(svc, who.agent, draft.id, code)
    sent = await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.agent))
    authority = sent.steps[0].authority
    assert draft.consent.id in authority and "张家" in authority and RELIEF in authority
    assert all(
        (s.actor, s.actor_kind, s.on_behalf_of, s.authority)
        == (who.agent.subject, "village_agent", "hh-home", authority)
        for s in sent.steps
    )
    assert {e.on_behalf_of for e in outbox(svc.db)} == {"hh-home"}
    # every step's event names the agent who filed it (notifications tells them of each step)
    assert {e.agent for e in outbox(svc.db)} == {who.agent.subject}
    # the household sees it on its TV; the agent in their worklist; nobody else
    mine = await svc.api.ListMyApplications(pb.ListMyApplicationsRequest(), metadata=svc.md(who.home))
    assert [a.id for a in mine.applications] == [draft.id]
    worklist = await svc.api.ListMyApplications(pb.ListMyApplicationsRequest(), metadata=svc.md(who.agent))
    assert [a.id for a in worklist.applications] == [draft.id]
    assert not (
        await svc.api.ListMyApplications(pb.ListMyApplicationsRequest(), metadata=svc.md(who.agent2))
    ).applications
    err = await rpc_error(svc.api.GetApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.agent2)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    # another agent of the same village reusing the key gets nothing of the first agent's
    err = await rpc_error(start(svc, who.agent2, RELIEF, **proxy))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS


@pytest.mark.parametrize(
    "proxy, code, field",
    [
        # identity has hh-elsewhere in another village: the agent's typed area is not believed
        ({"household_id": "hh-elsewhere", "household_area_code": VILLAGE}, "PERMISSION_DENIED", "household_area_code"),
        (
            {"household_id": "hh-elsewhere", "household_area_code": "330411101201"},
            "PERMISSION_DENIED",
            "household_area_code",
        ),
        ({"household_id": "hh-unknown", "household_area_code": VILLAGE}, "NOT_FOUND", "household_id"),
        ({"household_id": "hh-home", "household_area_code": VILLAGE, "consent": ""}, "INVALID_ARGUMENT", "consent"),
        (
            {"household_id": "hh-home", "household_area_code": VILLAGE, "consent": "同意"},
            "PERMISSION_DENIED",
            "consent",
        ),
        ({"household_id": "", "household_area_code": VILLAGE}, "INVALID_ARGUMENT", "household_id"),
        ({"household_id": "hh-home", "household_area_code": "3304"}, "INVALID_ARGUMENT", "household_area_code"),
        (
            {"household_id": "hh-home", "household_area_code": VILLAGE, "consent": "x" * 201},
            "INVALID_ARGUMENT",
            "consent",
        ),
        (
            {"household_id": "hh-home", "household_area_code": VILLAGE, "channel": "mobile"},
            "INVALID_ARGUMENT",
            "channel",
        ),
    ],
)
async def test_an_agent_outside_their_village_or_without_consent_is_refused_and_nothing_changes(
    svc, who, proxy, code, field
):
    for household in (who.home, who.elsewhere):
        given = await consent_code(svc, household)
    proxy = {"consent": given.code, **proxy}
    err = await rpc_error(start(svc, who.agent, RELIEF, **proxy))
    assert err.code() == getattr(grpc.StatusCode, code) and field in field_errors_of(err), err.details()
    assert counts(svc.db) == (0, 0, 0, 0)


async def test_a_consent_code_is_for_its_household_and_item_once_and_briefly_and_guessing_voids_it(svc, who):
    base = {"household_id": "hh-home", "household_area_code": VILLAGE}
    neighbours = await consent_code(svc, who.neighbour)
    other_item = await consent_code(svc, who.home, DIBAO)
    given = await consent_code(svc, who.home)
    for wrong in (neighbours.code, other_item.code):  # another household's, another item's
        if wrong != given.code:
            err = await rpc_error(start(svc, who.agent, RELIEF, consent=wrong, **base))
            assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "consent" in field_errors_of(err)
    first = await start(svc, who.agent, RELIEF, key="a", consent=given.code, **base)
    err = await rpc_error(start(svc, who.agent, RELIEF, key="b", consent=given.code, **base))  # used once
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    late = await consent_code(svc, who.home)
    svc.clock.move(minutes=15)  # expired
    err = await rpc_error(start(svc, who.agent, RELIEF, key="c", consent=late.code, **base))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    guessed = await consent_code(svc, who.home)
    wrong = "000000" if guessed.code != "000000" else "111111"
    for _ in range(5):
        await rpc_error(start(svc, who.agent, RELIEF, key="d", consent=wrong, **base))
    err = await rpc_error(start(svc, who.agent, RELIEF, key="d", consent=guessed.code, **base))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "void after 5 wrong tries"
    assert counts(svc.db)[0] == 1 and first.consent.id


async def test_only_a_households_terminal_gives_consent_for_a_known_item(svc, who):
    for caller in (who.agent, who.technician, who.civil):
        err = await rpc_error(consent_code(svc, caller))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(consent_code(svc, who.home, "330299999000-new"))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(consent_code(svc, who.home, "x y"))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "item_code" in field_errors_of(err)
    err = await rpc_error(svc.api.GiveConsent(pb.GiveConsentRequest(item_code=RELIEF)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


# --- who may do what: role x operation x own/other ---


async def test_the_authorization_matrix(svc, who):
    own = await submitted(svc, who.home, RELIEF)  # the civil-affairs department's item
    draft = await start(svc, who.home, RELIEF, key="k2")
    before = counts(svc.db)
    ref = pb.ApplicationRef(id=own.id)
    nf, pd, ua = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED

    household_calls = {
        "GetApplication": lambda md: svc.api.GetApplication(ref, metadata=md),
        "AddMaterial": lambda md: svc.api.AddMaterial(
            pb.AddMaterialRequest(application_id=draft.id, material_code="id_card", content=PDF), metadata=md
        ),
        "SubmitApplication": lambda md: svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=md),
        "HandOverDraft": lambda md: svc.api.HandOverDraft(
            pb.HandOverDraftRequest(id=draft.id, to_agent="agent2.hh"), metadata=md
        ),
        "GetMaterial": lambda md: svc.api.GetMaterial(
            pb.GetMaterialRequest(application_id=own.id, material_code="id_card"), metadata=md
        ),
        "RateApplication": lambda md: svc.api.RateApplication(
            pb.RateApplicationRequest(id=own.id, level="satisfied"), metadata=md
        ),
    }
    others = {
        "another household": (who.neighbour, nf),
        "an agent who did not start it": (who.agent, nf),
        "a technician": (who.technician, pd),
        "a department": (who.civil, pd),
    }
    for op, call in household_calls.items():
        for name, (caller, code) in others.items():
            if op == "GetMaterial" and caller is who.civil:
                continue  # the competent department reads the materials (below)
            if op == "RateApplication" and caller is who.agent:
                code = pd  # the household itself rates, never its agent
            err = await rpc_error(call(svc.md(caller)))
            assert err.code() == code, (op, name, err.code())
        assert (await rpc_error(call([("authorization", "Bearer not-a-token")]))).code() == ua, op

    dept_calls = {
        "ListQueue": None,
        "GetApplication": lambda md: svc.dept.GetApplication(ref, metadata=md),
        "AcceptApplication": lambda md: svc.dept.AcceptApplication(pb.DecisionRequest(id=own.id), metadata=md),
        "ReturnForCorrection": lambda md: svc.dept.ReturnForCorrection(
            pb.ReturnForCorrectionRequest(id=own.id, reason="x", missing_materials=["id_card"]), metadata=md
        ),
        "RejectApplication": lambda md: svc.dept.RejectApplication(
            pb.DecisionRequest(id=own.id, reason="x", legal_basis="y"), metadata=md
        ),
        "ApproveApplication": lambda md: svc.dept.ApproveApplication(
            pb.DecisionRequest(id=own.id, reason="x"), metadata=md
        ),
        "RefuseApplication": lambda md: svc.dept.RefuseApplication(
            pb.DecisionRequest(id=own.id, reason="x", legal_basis="y"), metadata=md
        ),
        "GetMaterial": lambda md: svc.api.GetMaterial(
            pb.GetMaterialRequest(application_id=own.id, material_code="id_card"), metadata=md
        ),
    }
    not_departments = {
        "the household": (who.home, pd),
        "its agent": (who.agent, pd),
        "another department (0 reads, 0 writes)": (who.hrss, nf),
        "the same client of another district": (who.outsider, pd),
        "a department of no catalog": (who.unknown_dept, pd),
    }
    for op, call in dept_calls.items():
        for name, (caller, code) in not_departments.items():
            if op == "ListQueue":
                r = svc.dept.ListQueue(pb.ListQueueRequest(), metadata=svc.md(caller))
                if caller is who.hrss:
                    assert not (await r).applications, name
                    continue
                err = await rpc_error(r)
            elif op == "GetMaterial" and caller in (who.home, who.agent):
                continue  # the household's own (above)
            else:
                err = await rpc_error(call(svc.md(caller)))
            expected = nf if op == "GetMaterial" and caller in (who.hrss,) else code
            assert err.code() == expected, (op, name, err.code())
    assert counts(svc.db) == before, "no refused call changed anything"
    # the owners may
    assert (await svc.api.GetApplication(ref, metadata=svc.md(who.home))).id == own.id
    assert (await svc.dept.GetApplication(ref, metadata=svc.md(who.civil))).id == own.id


# --- bad input ---


async def test_bad_materials_are_refused_naming_the_field_and_change_nothing(svc, who, clock):
    draft = await start(svc, who.home, RELIEF)
    before = counts(svc.db)
    big = b"%PDF-" + b"0" * (2 * 1024 * 1024)
    cases = [
        (dict(code="passport"), "material_code"),  # not a material of the guide
        (dict(code=""), "material_code"),  # missing
        (dict(code="id_card", content=b""), "content"),  # missing
        (dict(code="id_card", content=big), "content"),  # oversized
        (dict(code="id_card", content=b"MZ\x90\x00 an executable"), "content"),  # forbidden type
        (dict(code="id_card", content=b"<html><script>alert(1)</script>"), "content"),
        (dict(code="id_card", content=PNG, media_type="application/pdf"), "media_type"),  # not what it says
        (dict(code="id_card", file_name="a\x00b.pdf"), "file_name"),  # malformed
        (dict(code="id_card", file_name="x" * 101), "file_name"),
    ]
    for kw, field in cases:
        code = kw.pop("code")
        err = await rpc_error(add(svc, who.home, draft.id, code, **kw))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), (field, err.details())
    for bad_id in ("", "x" * 37):
        err = await rpc_error(add(svc, who.home, bad_id, "id_card"))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "id" in field_errors_of(err)
    assert counts(svc.db) == before


@pytest.mark.parametrize(
    "request_, field",
    [
        (pb.StartApplicationRequest(item_code="", idempotency_key="k"), "item_code"),
        (pb.StartApplicationRequest(item_code="x y", idempotency_key="k"), "item_code"),
        (pb.StartApplicationRequest(item_code=RELIEF, idempotency_key=""), "idempotency_key"),
        (pb.StartApplicationRequest(item_code=RELIEF, idempotency_key="k" * 101), "idempotency_key"),
        (pb.StartApplicationRequest(item_code=RELIEF, idempotency_key="a\x00"), "idempotency_key"),
        (pb.StartApplicationRequest(item_code=RELIEF, idempotency_key="k", channel="village_agent"), "channel"),
    ],
)
async def test_a_bad_start_is_invalid_argument_and_changes_nothing(svc, who, request_, field):
    err = await rpc_error(svc.api.StartApplication(request_, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), err.details()
    assert counts(svc.db) == (0, 0, 0, 0)


async def test_unknown_items_and_items_not_offered_online_are_refused(svc, who, grpc_service, database_url, clock):
    err = await rpc_error(start(svc, who.home, "330299999000-new"))
    assert err.code() == grpc.StatusCode.NOT_FOUND and "code" in field_errors_of(err)

    from egov.service import SERVICE
    from egov.servicer import EgovServicer
    from egov.tests.conftest import catalogs_with
    from sbc.egov.v1 import egov_pb2_grpc

    def offline(data):
        for item in data["versions"][0]["items"]:
            if item["code"] == "330255001000":
                item["handling"][0]["guide"]["online"] = False

    other = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: EgovServicer(ctx.db, catalogs_with(offline), clock)
    )
    api = other.stub(egov_pb2_grpc.EgovServiceStub)
    err = await rpc_error(
        api.StartApplication(
            pb.StartApplicationRequest(item_code="330255001000-new", idempotency_key="k"), metadata=other.md(who.home)
        )
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "便民服务中心" in err.details()
    assert counts(other.db) == (0, 0, 0, 0)


async def test_out_of_order_steps_are_refused_and_change_nothing(svc, who):
    draft = await start(svc, who.home, RELIEF)
    md, dmd = svc.md(who.home), svc.md(who.civil)
    fp = grpc.StatusCode.FAILED_PRECONDITION
    # a draft is not the department's yet
    assert (await rpc_error(svc.dept.AcceptApplication(pb.DecisionRequest(id=draft.id), metadata=dmd))).code() == fp
    rate = pb.RateApplicationRequest(id=draft.id, level="satisfied")
    assert (await rpc_error(svc.api.RateApplication(rate, metadata=md))).code() == fp
    sent = await submitted(svc, who.home, RELIEF, key="k2")
    before = counts(svc.db)
    calls = [
        svc.api.SubmitApplication(pb.ApplicationRef(id=sent.id), metadata=md),  # twice
        add(svc, who.home, sent.id, "id_card"),  # after submission
        svc.dept.ApproveApplication(pb.DecisionRequest(id=sent.id, reason="ok"), metadata=dmd),  # before acceptance
        svc.dept.RefuseApplication(pb.DecisionRequest(id=sent.id, reason="x", legal_basis="y"), metadata=dmd),
        svc.api.RateApplication(pb.RateApplicationRequest(id=sent.id, level="satisfied"), metadata=md),
    ]
    for call in calls:
        assert (await rpc_error(call)).code() == fp
    await svc.dept.AcceptApplication(pb.DecisionRequest(id=sent.id), metadata=dmd)
    assert (await rpc_error(svc.dept.AcceptApplication(pb.DecisionRequest(id=sent.id), metadata=dmd))).code() == fp
    ret = pb.ReturnForCorrectionRequest(id=sent.id, reason="x", missing_materials=["id_card"])
    assert (await rpc_error(svc.dept.ReturnForCorrection(ret, metadata=dmd))).code() == fp
    assert counts(svc.db)[1] == before[1] + 1, "only the acceptance was recorded"


@pytest.mark.parametrize(
    "rating, field",
    [
        (pb.RateApplicationRequest(level="great"), "level"),
        (pb.RateApplicationRequest(level=""), "level"),
        (pb.RateApplicationRequest(level="satisfied", indicators={"speed": 3}), "indicators"),
        (pb.RateApplicationRequest(level="satisfied", indicators={"efficiency": 6}), "indicators"),
        (pb.RateApplicationRequest(level="satisfied", reasons=["太贵"]), "reasons"),
        (pb.RateApplicationRequest(level="satisfied", comment="x" * 501), "comment"),
    ],
)
async def test_a_bad_rating_is_refused_naming_the_field(svc, who, rating, field):
    sent = await submitted(svc, who.home, RELIEF)
    await svc.dept.RejectApplication(
        pb.DecisionRequest(id=sent.id, reason="x", legal_basis="y"), metadata=svc.md(who.civil)
    )
    before = counts(svc.db)
    rating = pb.RateApplicationRequest(
        id=sent.id, level=rating.level, indicators=rating.indicators, reasons=rating.reasons, comment=rating.comment
    )
    err = await rpc_error(svc.api.RateApplication(rating, metadata=svc.md(who.home)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), err.details()
    assert counts(svc.db) == before


@pytest.mark.parametrize(
    "request_, field",
    [
        (pb.DecisionRequest(id="x", reason="r" * 501, legal_basis="b"), "reason"),
        (pb.DecisionRequest(id="x", reason="r", legal_basis="b" * 501), "legal_basis"),
        (pb.DecisionRequest(id="", reason="r", legal_basis="b"), "id"),
    ],
)
async def test_a_departments_bad_decision_is_invalid_argument(svc, who, request_, field):
    sent = await submitted(svc, who.home, RELIEF)
    request_ = pb.DecisionRequest(
        id=sent.id if request_.id == "x" else request_.id, reason=request_.reason, legal_basis=request_.legal_basis
    )
    before = counts(svc.db)
    err = await rpc_error(svc.dept.RejectApplication(request_, metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), err.details()
    err = await rpc_error(svc.dept.ListQueue(pb.ListQueueRequest(states=["pending"]), metadata=svc.md(who.civil)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "states" in field_errors_of(err)
    assert counts(svc.db) == before
