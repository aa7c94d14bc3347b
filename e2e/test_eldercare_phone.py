"""Eldercare's family on the phone (gateway/static/phone/screens/eldercare.js) in real headless
Chromium at 360x640 on the suite's platform, with this module's two households (e2e/seed.py): the
elder's, whose TV enrols the elder, presses SOS and shows a family code; and the son's, whose member
signs in on the phone with phone and password (a member token, no TV), binds by the code (a malformed
and a wrong code first, each refused in Chinese), sees the elder's health notes and the open SOS,
answers it (its reminders stop, as the service says); the care centre closes it, the son rates its
handling 差评, the care centre calls him back and records the fix, and his phone shows the answer; he
is told of a missed dose by a push. The
elder's household sees the alarm answered; a third party's phone token sees nothing of it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from e2e.platform import sign_in_tv
from e2e.test_eldercare import staff
from e2e.test_eldercare_care import missed_event, send_events
from e2e.test_phone import VIEWPORT, home_with, phone_signed_in, shots, tap, wait_screen  # noqa: F401 (shots: the fixture)
from e2e.test_tv import accessible

pytestmark = [pytest.mark.infra, pytest.mark.slow]


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30, limits=httpx.Limits(keepalive_expiry=2)) as c:
        yield c


def member_token(gw, member: dict) -> str:
    r = gw.post(
        "/v1/identity/token",
        data={
            "grant_type": "password",
            "client_id": "sbc-phone",
            "username": member["phone"],
            "password": member["password"],
        },
    )
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_son_binds_on_his_phone_and_answers_his_mothers_sos(browser, platform, gw, shots):  # noqa: F811
    elder_home, son_home = platform.households_of("eldercare_phone")
    tv = bearer(sign_in_tv(gw, elder_home, f"STB-{uuid.uuid4().hex[:8]}"))
    r = gw.post(
        "/v1/eldercare/elders", json={"name": "钱阿婆", "birth_year": 1943, "conditions": ["糖尿病"]}, headers=tv
    )
    assert r.status_code == 201, r.text
    elder = r.json()
    sos = gw.post("/v1/eldercare/sos", json={}, headers=tv)
    assert sos.status_code == 201, sos.text
    code = gw.post(f"/v1/eldercare/elders/{elder['id']}/family-invitations", headers=tv).json()["code"]

    member = son_home["members"][0]
    page = phone_signed_in(browser, platform.base_url, member)
    context = page.context
    # Not yet bound: the tile offers the binding.
    page.wait_for_selector("button[data-name='tile:eldercare']")
    assert "绑定家中老人" in page.inner_text("[data-name='tile:eldercare']")
    tap(page, "tile:eldercare", "eldercare")
    assert "还没有绑定老人" in page.inner_text("#screen")
    tap(page, "ec:bind", "eldercare.bind")
    for typed, said in (
        ("1234", "请输入 8 位数字邀请码。"),
        ("00000000", "邀请码不对、已用过或已过期，请在电视上重新生成。"),
    ):
        page.fill("#ec-code", typed)
        page.click("[data-name='ec:submit']")
        page.wait_for_function(f"document.getElementById('ec-note').textContent === {said!r}")
    page.fill("#ec-code", code)
    page.click("[data-name='ec:submit']")
    page.wait_for_selector("#ec-note.done")
    assert page.inner_text("#ec-note") == "已绑定：钱阿婆。"
    tap(page, "ec:to_elders", "eldercare")

    # The bound elder: health notes, the open SOS; answered here.
    screen = page.inner_text("#screen")
    assert "钱阿婆（1943 年生）" in screen and "健康情况：糖尿病" in screen and "暂无设备" in screen
    alarm = f"[data-name='alarm:{sos.json()['id']}']"
    assert page.inner_text(alarm).startswith("一键呼叫")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    accessible(page, "phone eldercare")
    page.screenshot(path=str(shots / "eldercare.png"), full_page=True)
    page.click(alarm)
    page.wait_for_selector(f"div{alarm}")  # answered: no longer a button
    assert "已有人确认" in page.inner_text(alarm)
    seen = gw.get("/v1/eldercare/alarms?open_only=true", headers=tv).json()["alarms"]
    assert [(a["id"], a["state"]) for a in seen] == [(sos.json()["id"], "acknowledged")]

    # The care centre closes it; the son rates its handling 差评 (through the gateway, with his phone's
    # token): a rectification opens, which the care centre calls back and fixes, and his phone shows it.
    son = bearer(member_token(gw, member))
    operator = staff(gw, platform, "care_operator_jb")
    alarm_id = sos.json()["id"]
    r = gw.post(f"/v1/eldercare/alarms/{alarm_id}/resolve", json={"follow_up": "已上门，老人安好"}, headers=operator)
    assert r.status_code == 200, r.text
    rating = {"level": "very_dissatisfied", "indicators": {"response": 1}, "comment": "二十分钟才有人回电"}
    bad = gw.post(f"/v1/eldercare/alarms/{alarm_id}/rating", json={**rating, "reasons": ["没有按时上门"]}, headers=son)
    assert bad.status_code == 400, "a care order's reason is not an alarm's"
    r = gw.post(f"/v1/eldercare/alarms/{alarm_id}/rating", json={**rating, "reasons": ["响应太慢"]}, headers=son)
    assert (r.status_code, r.json()["rating_level"]) == (200, "very_dissatisfied"), r.text
    [opened] = gw.get("/v1/eldercare/rectifications", headers=operator).json()["rectifications"]
    assert (opened["subject_id"], opened["state"], opened["rated_by"]) == (alarm_id, "open", son_home["id"])
    answer = f"/v1/eldercare/rectifications/{opened['id']}"
    assert gw.post(answer + "/fix", json={"text": "x"}, headers=operator).status_code == 409, "call back first"
    assert gw.post(answer + "/call-back", json={"text": "已电话致歉"}, headers=son).status_code == 403
    assert gw.post(answer + "/call-back", json={"text": "已电话致歉"}, headers=operator).status_code == 200
    fixed = gw.post(answer + "/fix", json={"text": "夜间值班增加一人，五分钟内回电"}, headers=operator)
    assert (fixed.status_code, fixed.json()["state"]) == (200, "fixed"), fixed.text
    page.go_back()
    wait_screen(page, "home")
    tap(page, "tile:eldercare", "eldercare")
    rect = f"[data-name='rect:{opened['id']}']"
    assert "已整改" in page.inner_text(rect) and "夜间值班增加一人，五分钟内回电" in page.inner_text(rect)

    # A missed dose (its window is an hour: its event, as eldercare's scheduler writes it) is pushed
    # to the family's phone.
    send_events(platform, [missed_event(elder, son_home["id"])])
    # (Other pushes may show between: the banner is waited for until it tells of the missed dose.)
    page.wait_for_function(
        "['漏服药', '钱阿婆'].every(w => document.getElementById('banner').textContent.includes(w))", timeout=30000
    )

    # Someone else's phone sees none of it, whatever id it names.
    stranger = bearer(member_token(gw, platform.households_of("phone")[0]["members"][0]))
    assert gw.get("/v1/eldercare/elders", headers=stranger).json()["elders"] == []
    assert gw.get(f"/v1/eldercare/alarms?elder_id={elder['id']}", headers=stranger).status_code == 404
    r = gw.post(f"/v1/eldercare/alarms/{sos.json()['id']}/acknowledge", headers=stranger)
    assert r.status_code == 404
    context.close()


def test_a_son_invited_by_his_number_accepts_on_his_phone(browser, platform, gw):
    """The elder's household invites family by mobile number (no code to read off the TV); the son, signed
    in on his phone with that number, finds the invitation on the eldercare screen and accepts it there.
    Nobody else's phone sees it, and the TV (which has no number) is told so."""
    elder_home, son_home = platform.households_of("eldercare_phone")
    member = son_home["members"][0]
    tv = bearer(sign_in_tv(gw, elder_home, f"STB-{uuid.uuid4().hex[:8]}"))
    r = gw.post("/v1/eldercare/elders", json={"name": "钱阿公", "birth_year": 1940}, headers=tv)
    assert r.status_code == 201, r.text
    elder = r.json()
    invitations = f"/v1/eldercare/elders/{elder['id']}/family-invitations"
    for body, status in (({"phone": "12345"}, 422), ({"phone": member["phone"], "x": 1}, 422)):
        assert gw.post(invitations, json=body, headers=tv).status_code == status, body
    r = gw.post(invitations, json={"phone": member["phone"]}, headers=tv)
    assert r.status_code == 201, r.text
    assert r.json()["phone"] == member["phone"]
    assert gw.get("/v1/eldercare/family-invitations", headers=tv).status_code == 403, "a TV has no number"
    stranger = bearer(member_token(gw, platform.households_of("phone")[0]["members"][0]))
    assert gw.get("/v1/eldercare/family-invitations", headers=stranger).json()["invitations"] == []

    page = phone_signed_in(browser, platform.base_url, member)
    home_with(page, "eldercare")
    tap(page, "tile:eldercare", "eldercare")
    card = f"[data-name='invitation:{elder['id']}']"
    page.wait_for_selector(card)
    assert "邀请您绑定老人：钱阿公" in page.inner_text(card)
    page.click(f"{card} button")
    page.wait_for_selector(f"[data-name='elder:{elder['id']}']")
    assert "钱阿公（1940 年生）" in page.inner_text("#screen")
    assert page.locator(card).count() == 0, "accepted: no longer waiting"
    page.context.close()
    assert [e["id"] for e in gw.get("/v1/eldercare/elders", headers=stranger).json()["elders"]] == []
