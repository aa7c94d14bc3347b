"""Staff acting for a household, through the gateway against the real identity: an agent of
王江泾镇 filing for a household of 洪合镇 is refused whatever area they type, and that household's TV
shows nothing of it; an unknown household is 404; the agent's own village's household works, in
the area identity registered. An idempotency key is its caller's own, and a retry must ask for all
the same. A manager's reason pushed to the TV is one short visible line."""

from __future__ import annotations

import time
import uuid

import pytest

from e2e.desk import desk_platform, gw, h, problem, staff_post, tokens  # noqa: F401 (fixtures)
from e2e.platform import sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow, pytest.mark.local_only]


@pytest.fixture(scope="module")
def homes(desk_platform, gw):  # noqa: F811
    """This module's households (Wangjiangjing, Honghe), each with its TV's token."""
    return [
        {**hh, "token": sign_in_tv(gw, hh, f"STB-{uuid.uuid4().hex[:8]}")}
        for hh in desk_platform.households_of("acting")
    ]


def for_household(gw, token, household, key="", **over):  # noqa: F811
    body = {
        "service_type": "fault_repair_general",
        "channel": "village_agent",
        "household_id": household["id"],
        "consent": "户主当面同意并签字",
        **over,
    }
    headers = {**h(token), "Idempotency-Key": key or uuid.uuid4().hex}
    return gw.post("/v1/servicedesk/requests", json=body, headers=headers)


def requests_of(gw, home):  # noqa: F811
    return gw.get("/v1/servicedesk/requests", headers=h(home["token"])).json()["requests"]


def messages_of(gw, home, at_least: int):  # noqa: F811
    deadline = time.monotonic() + 30
    while True:
        found = gw.get("/v1/notifications/messages", headers=h(home["token"])).json()["messages"]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def test_an_agent_acts_only_for_households_identity_puts_in_their_village(gw, tokens, homes):  # noqa: F811
    mine, honghe = homes
    agent = tokens["agent.wjj"]
    typed_own = problem(for_household(gw, agent, honghe, household_area_code=mine["area_code"]), 403)
    assert "not registered in area" in typed_own["detail"]
    assert "own village" in problem(for_household(gw, agent, honghe), 403)["detail"]
    problem(for_household(gw, agent, honghe, household_area_code=honghe["area_code"]), 403)
    assert "hh-nobody" in problem(for_household(gw, agent, {"id": "hh-nobody"}), 404, "household_id")["detail"]
    problem(for_household(gw, agent, {"id": "hh\u0000nul"}), 422)
    assert requests_of(gw, honghe) == []

    ok = for_household(gw, agent, mine)
    assert ok.status_code == 201, ok.text
    assert ok.json()["area"]["code"] == mine["area_code"] and ok.json()["household_id"] == mine["id"]
    assert [r["id"] for r in requests_of(gw, mine)] == [ok.json()["id"]]

    # Nothing was pushed to Honghe's TV for the refused filings: its first message is its own filing's.
    own = gw.post(
        "/v1/servicedesk/requests", json={"service_type": "fault_repair_general"}, headers=h(honghe["token"], key=True)
    )
    assert own.status_code == 201, own.text
    pushed = messages_of(gw, honghe, 1)
    assert len(pushed) == 1 and own.json()["reference_number"] in pushed[0]["body"], pushed


def test_a_key_is_its_callers_own_and_a_retry_asks_for_all_the_same(gw, tokens, homes):  # noqa: F811
    mine = homes[0]
    key = uuid.uuid4().hex
    first = for_household(gw, tokens["agent.wjj"], mine, key)
    assert first.status_code == 201, first.text
    again = for_household(gw, tokens["agent.wjj"], mine, key)
    assert again.json()["id"] == first.json()["id"]
    counter = for_household(gw, tokens["manager.wjj"], mine, key, channel="service_hall")
    assert counter.status_code == 201 and counter.json()["id"] != first.json()["id"], counter.text
    assert counter.json()["submitted_by"]["actor_role"] == "service_point_manager"
    for over in ({"consent": "电话同意"}, {"description": "另一个问题"}, {"materials": ["id_card"]}):
        refused = problem(for_household(gw, tokens["agent.wjj"], mine, key, **over), 409, "idempotency_key")
        assert "different request" in refused["detail"]
    ids = [r["id"] for r in requests_of(gw, mine)]
    assert ids.count(first.json()["id"]) == 1 and counter.json()["id"] in ids


def test_a_reason_pushed_to_the_tv_is_one_short_visible_line(gw, tokens, homes):  # noqa: F811
    honghe = homes[1]
    before = len(messages_of(gw, honghe, 0))
    rid = gw.post(
        "/v1/servicedesk/requests", json={"service_type": "fault_repair_general"}, headers=h(honghe["token"], key=True)
    ).json()["id"]
    manager = tokens["manager.hh"]
    for bad in ("长" * 141, "请致电\n10086", "请\u202e致电", "零\u200b宽", "隔\u2066离"):
        problem(staff_post(gw, manager, rid, "reject", reason=bad), 422, "reason")
    problem(staff_post(gw, manager, rid, "reject", reason=""), 400, "reason")  # the service's, naming it
    audit = gw.get(f"/v1/servicedesk/requests/{rid}/audit", headers=h(honghe["token"])).json()["entries"]
    assert [e["to_state"] for e in audit] == ["submitted"]
    reason = "不在服务范围，请拨打96345咨询"
    r = staff_post(gw, manager, rid, "reject", reason=reason)
    assert r.status_code == 200 and r.json()["state"] == "rejected", r.text
    pushed = messages_of(gw, honghe, before + 2)
    assert any(m["body"].endswith(reason) for m in pushed), pushed
