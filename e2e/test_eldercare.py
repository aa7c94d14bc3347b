"""Eldercare through the gateway, every part a separate process: a household enrols its elder and
binds family with the code its TV shows; the care centre puts a call button on the pre-provisioned
list, the button provisions itself and presses SOS over MQTT (the real broker, through the bridge
process); the care centre sees the alarm and acknowledges it within the escalation's first step,
the family sees it, a caregiver resolves it with the follow-up; the TV's home tile and simple mode;
the remote's SOS key; who may see what; and SOS presses while the bridge is killed are all kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time

import httpx
import pytest

from e2e.platform import Platform, sign_in_tv

pytestmark = [pytest.mark.infra, pytest.mark.slow]

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CARE = json.load(open(os.path.join(ROOT_DIR, "services/eldercare/data/care.json"), encoding="utf-8"))
# The devices' TLS listener (each device connects as itself: its id and credential).
MQTT = (os.environ.get("MQTT_HOST", "127.0.0.1"), int(os.environ.get("MQTT_TLS_PORT", "11884")))


@pytest.fixture(scope="module")
def gw(platform):
    with httpx.Client(base_url=platform.base_url, timeout=30) as c:
        yield c


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def staff(c: httpx.Client, p: Platform, part: str) -> dict:
    s = p.seed.eldercare_staff[part]
    r = c.post(
        "/v1/identity/token", data={"grant_type": "password", "username": s["username"], "password": s["password"]}
    )
    assert r.status_code == 200, r.text
    return bearer(r.json()["access_token"])


@pytest.fixture(scope="module")
def people(gw, platform):
    """The elder's TV, the family's TV (another village), a stranger's TV, and the staff."""
    homes = platform.households_of("eldercare")
    return {
        "elder": bearer(sign_in_tv(gw, homes[0], serial=f"STB-{platform.run_id}-elder")),
        "family": bearer(sign_in_tv(gw, homes[1], serial=f"STB-{platform.run_id}-family")),
        "stranger": bearer(sign_in_tv(gw, homes[2], serial=f"STB-{platform.run_id}-stranger")),
        **{part: staff(gw, platform, part) for part in ("care_operator", "caregiver", "other_operator")},
    }


@pytest.fixture(scope="module")
def elder(gw, people) -> dict:
    home = gw.get("/v1/eldercare/home", headers=people["elder"]).json()
    assert home == {"tile": None, "has_elder": False}, "no tile and no simple mode before an elder is enrolled"
    r = gw.post(
        "/v1/eldercare/elders",
        headers=people["elder"],
        json={"name": "沈阿婆", "birth_year": 1941, "conditions": ["高血压"], "emergency_contacts": ["13900000009"]},
    )
    assert r.status_code == 201, r.text
    elder = r.json()
    code = gw.post(f"/v1/eldercare/elders/{elder['id']}/family-invitations", headers=people["elder"])
    assert code.status_code == 201, code.text
    bound = gw.post("/v1/eldercare/family-bindings", headers=people["family"], json={"code": code.json()["code"]})
    assert bound.status_code == 201 and bound.json()["elder_name"] == "沈阿婆", bound.text
    again = gw.post("/v1/eldercare/family-bindings", headers=people["stranger"], json={"code": code.json()["code"]})
    assert again.status_code == 404, "a code binds once"
    return elder


def deprovision_all(gw, operator: dict, device_ids) -> None:
    """A module's devices out of service at its end (through the gateway, as a care operator): their
    accounts leave the shared broker, which would otherwise collect every run's."""
    left = []
    for device_id in sorted(device_ids):
        began = time.monotonic()
        r = gw.post(f"/v1/eldercare/staff/devices/{device_id}/deprovision", headers=operator)
        if r.status_code not in (200, 409):  # (409: a test took it out of service itself)
            left.append((device_id, r.status_code, f"{time.monotonic() - began:.1f} s", r.text[:200]))
    assert not left, f"devices not deprovisioned: {left}"


PROVISIONED: set[str] = set()  # this module's devices


@pytest.fixture(scope="module", autouse=True)
def devices_deprovisioned_at_the_end(gw, people):
    yield
    deprovision_all(gw, people["care_operator"], PROVISIONED)


def button(gw, people, elder, serial: str):
    from eldercare.simulator import provision
    from eldercare.tests.broker_support import simulated

    r = gw.post(
        "/v1/eldercare/staff/devices",
        headers=people["care_operator"],
        json={"profile": "call_button", "serial": serial, "elder_id": elder["id"]},
    )
    assert r.status_code == 201, r.text
    provisioned = provision(str(gw.base_url).rstrip("/"), "pk-call-button", "demo-call-button-secret", serial)
    PROVISIONED.add(provisioned["device_id"])
    return simulated(provisioned)


def wait_for(fetch, predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fetch()
        if predicate(last):
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out; last: {last}")


def alarms(gw, who: dict, **params) -> list[dict]:
    r = gw.get("/v1/eldercare/alarms", headers=who, params=params)
    assert r.status_code == 200, r.text
    return r.json()["alarms"]


def test_an_sos_press_over_mqtt_reaches_the_care_centre_and_the_family(gw, people, elder, platform):
    device = button(gw, people, elder, f"BTN-{platform.run_id}-1")
    pressed_at = dt.datetime.now(dt.UTC)
    device.event("sos")
    (alarm,) = wait_for(lambda: alarms(gw, people["care_operator"], open_only=True), lambda a: len(a) == 1)
    assert (alarm["type"], alarm["name"], alarm["severity"], alarm["state"]) == (
        "sos",
        "一键呼叫",
        "CRITICAL",
        "raised",
    )
    assert alarm["device_id"] == device.id and alarm["elder_id"] == elder["id"]
    # the family sees it, and the elder's devices' state; a stranger and another town's care centre do not
    assert [a["id"] for a in alarms(gw, people["family"])] == [alarm["id"]]
    devices = gw.get("/v1/eldercare/devices", headers=people["family"]).json()["devices"]
    assert [(d["id"], d["online"]) for d in devices] == [(device.id, True)]
    for who in ("stranger", "other_operator"):
        assert alarms(gw, people[who]) == [] and gw.get("/v1/eldercare/devices", headers=people[who]).json() == {
            "devices": []
        }
        r = gw.post(f"/v1/eldercare/alarms/{alarm['id']}/acknowledge", headers=people[who])
        assert r.status_code == 404, "acknowledging an alarm you may not see"
    # the TV's home tile counts it
    home = gw.get("/v1/eldercare/home", headers=people["elder"]).json()
    assert home["has_elder"] is True and home["tile"]["screen"] == "eldercare"
    assert ("open_alarms", "1 条") in [(i["state"], i["detail"]) for i in home["tile"]["items"]]
    # the care centre acknowledges within the escalation's first step
    r = gw.post(f"/v1/eldercare/alarms/{alarm['id']}/acknowledge", headers=people["care_operator"])
    assert r.status_code == 200, r.text
    acked = r.json()
    first_step = CARE["escalation"]["CRITICAL"]["steps"][1]["after_seconds"]
    acked_at = dt.datetime.fromisoformat(acked["acknowledged_at"].replace("Z", "+00:00"))
    assert acked["state"] == "acknowledged" and (acked_at - pressed_at).total_seconds() < first_step
    assert acked.get("escalation_step", 0) == 0
    r = gw.post(f"/v1/eldercare/alarms/{alarm['id']}/acknowledge", headers=people["family"])
    assert r.status_code == 409, "acknowledged already"
    r = gw.post(f"/v1/eldercare/alarms/{alarm['id']}/resolve", headers=people["family"], json={"follow_up": "好"})
    assert r.status_code == 403, "family do not close alarms"
    r = gw.post(
        f"/v1/eldercare/alarms/{alarm['id']}/resolve",
        headers=people["caregiver"],
        json={"follow_up": "上门查看，老人安好"},
    )
    assert r.status_code == 200 and r.json()["state"] == "resolved", r.text
    assert alarms(gw, people["family"], open_only=True) == []
    device.close()


def test_the_remotes_sos_key_raises_an_alarm_the_care_centre_sees(gw, people, elder):
    r = gw.post("/v1/eldercare/sos", headers=people["elder"], json={})
    assert r.status_code == 201, r.text
    alarm = r.json()
    assert alarm["type"] == "sos" and alarm["elder_id"] == elder["id"]
    assert alarm["id"] in [a["id"] for a in alarms(gw, people["care_operator"], open_only=True)]
    again = gw.post("/v1/eldercare/sos", headers=people["elder"], json={}).json()
    assert again["id"] == alarm["id"] and again["repeats"] == 1, "a second press folds into the open alarm"
    r = gw.post("/v1/eldercare/sos", headers=people["stranger"], json={})
    assert r.status_code == 404, "no elder enrolled in that household"
    r = gw.post(f"/v1/eldercare/alarms/{alarm['id']}/acknowledge", headers=people["family"])
    assert r.status_code == 200 and r.json()["acknowledged_by"]


@pytest.mark.parametrize(
    "method, path, who, payload, status",
    [
        ("post", "/v1/eldercare/elders", "elder", {"name": "", "birth_year": 1940}, 422),  # missing
        ("post", "/v1/eldercare/elders", "elder", {"name": "x" * 51, "birth_year": 1940}, 422),  # oversized
        ("post", "/v1/eldercare/elders", "elder", {"name": "a\u0000b", "birth_year": 1940}, 422),  # malformed
        ("post", "/v1/eldercare/elders", "care_operator", {"name": "张", "birth_year": 1940}, 403),  # not a household
        ("post", "/v1/eldercare/family-bindings", "family", {"code": "1234"}, 422),
        ("post", "/v1/eldercare/family-bindings", "family", {"code": "00000000"}, 404),
        (
            "post",
            "/v1/eldercare/provision",
            None,
            {"provision_key": "pk-call-button", "provision_secret": "wrong", "serial": "X"},
            404,
        ),
        (
            "post",
            "/v1/eldercare/provision",
            None,
            {"provision_key": "pk-call-button", "provision_secret": "demo-call-button-secret", "serial": "NOT-LISTED"},
            409,
        ),
        (
            "post",
            "/v1/eldercare/staff/devices",
            "caregiver",
            {"profile": "call_button", "serial": "Y", "elder_id": "x"},
            403,
        ),
        (
            "post",
            "/v1/eldercare/staff/devices",
            "elder",
            {"profile": "call_button", "serial": "Y", "elder_id": "x"},
            403,
        ),
        ("get", "/v1/eldercare/alarms", None, None, 401),
        ("post", "/v1/eldercare/alarms/not-an-alarm/acknowledge", "care_operator", None, 404),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(gw, people, elder, method, path, who, payload, status):
    before = gw.get("/v1/eldercare/elders", headers=people["care_operator"]).json()
    headers = people[who] if who else {}
    r = (
        gw.request(method.upper(), path, headers=headers, json=payload)
        if payload is not None
        else gw.request(method.upper(), path, headers=headers)
    )
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert gw.get("/v1/eldercare/elders", headers=people["care_operator"]).json() == before


@pytest.mark.local_only
def test_sos_presses_while_the_bridge_is_killed_are_all_kept(gw, people, elder, platform):
    devices = [button(gw, people, elder, f"BTN-{platform.run_id}-burst-{n}") for n in range(30)]
    sent: list[str] = []

    def burst():
        for d in devices:
            d.event("sos")
            sent.append(d.id)
            time.sleep(0.05)

    presser = threading.Thread(target=burst)
    presser.start()
    time.sleep(0.4)
    old = platform.kill9("eldercare-bridge")
    presser.join(30)
    platform.wait_restarted("eldercare-bridge", old, timeout=120)
    assert len(sent) == len(devices)
    ids = {d.id for d in devices}
    found = wait_for(
        lambda: [a for a in alarms(gw, people["care_operator"], open_only=True, limit=200) if a["device_id"] in ids],
        lambda a: len(a) == len(ids),
        timeout=240,  # a restarted process may take long to start on a loaded machine
    )
    assert sorted(a["device_id"] for a in found) == sorted(ids), "no SOS lost, none twice"
    for d in devices:
        d.close()


def test_the_simulator_provisions_speakers_whose_sos_the_care_centre_sees(gw, people, platform):
    """The README's demo: `python -m eldercare simulate` provisions allow_new devices through the gateway
    and presses SOS over MQTT; a device no elder has yet is the care centre's to see (and no family's)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "eldercare", "simulate", "--gateway", platform.base_url, "--mqtt-host", MQTT[0]]
        + ["--mqtt-port", str(MQTT[1]), "--ca-file", os.environ.get("MQTT_DEVICE_CA_FILE", "")]
        + ["--profile", "smart_speaker", "--devices", "2", "--sos", "1"],
        cwd=ROOT_DIR,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([f"{ROOT_DIR}/services", f"{ROOT_DIR}/protos"])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    ids = {line["device_id"] for line in lines if "provisioned" in line}
    PROVISIONED.update(ids)
    assert len(ids) == 2 and sum("sos" in line for line in lines) == 2
    found = wait_for(
        lambda: [a for a in alarms(gw, people["care_operator"], open_only=True, limit=200) if a["device_id"] in ids],
        lambda a: len(a) == 2,
    )
    assert {a["type"] for a in found} == {"sos"} and {a.get("elder_id", "") for a in found} == {""}
    assert not [a for a in alarms(gw, people["family"], limit=200) if a["device_id"] in ids]


def test_a_care_operator_rotates_a_credential_and_deprovisions_a_device_the_broker_then_refuses(gw, people, platform):
    """Through the gateway, on the real broker: the old credential refused after a rotation, the new one
    taken; a deprovisioned device refused and never provisioned again; only a care operator of the area may."""
    from eldercare.simulator import provision
    from eldercare.tests.broker_support import simulated

    base = str(gw.base_url).rstrip("/")
    speaker = provision(base, "pk-smart-speaker", "demo-smart-speaker-secret", f"SPK-{platform.run_id}-rotated")
    PROVISIONED.add(speaker["device_id"])
    rotate = f"/v1/eldercare/staff/devices/{speaker['device_id']}/rotate-credential"
    gone = f"/v1/eldercare/staff/devices/{speaker['device_id']}/deprovision"
    for who, status in ((people["caregiver"], 403), (people["family"], 403), ({}, 401)):
        assert gw.post(rotate, headers=who).status_code == status
        assert gw.post(gone, headers=who).status_code == status
    assert (
        gw.post("/v1/eldercare/staff/devices/not%20an%20id/deprovision", headers=people["care_operator"]).status_code
        == 422
    )
    r = gw.post(rotate, headers=people["care_operator"])
    assert r.status_code == 200, r.text
    rotated = {**speaker, "credential": r.json()["credential"]}
    assert rotated["credential"] != speaker["credential"]
    with pytest.raises(ConnectionRefusedError):
        simulated(speaker)
    simulated(rotated).close()
    # its own offline timeout: only its care operator sets it, and only within bounds
    timeout = f"/v1/eldercare/staff/devices/{speaker['device_id']}/offline-timeout"
    for who, body, status in [
        (people["caregiver"], {"offline_after_seconds": 7200}, 403),
        ({}, {"offline_after_seconds": 7200}, 401),
        (people["care_operator"], {"offline_after_seconds": 30}, 400),
        (people["care_operator"], {"offline_after_seconds": 10**9}, 422),
        (people["care_operator"], {"seconds": 7200}, 422),
    ]:
        assert gw.put(timeout, headers=who, json=body).status_code == status, (who, body)
    r = gw.put(timeout, headers=people["care_operator"], json={"offline_after_seconds": 7200})
    assert (r.status_code, r.json()["offline_after_seconds"], r.json()["own_offline_timeout"]) == (200, 7200, True)
    r = gw.post(gone, headers=people["care_operator"])
    assert (r.status_code, r.json()["state"]) == (200, "deprovisioned")
    with pytest.raises(ConnectionRefusedError):
        simulated(rotated)
    assert gw.post(gone, headers=people["care_operator"]).status_code == 409
    assert gw.put(timeout, headers=people["care_operator"], json={"offline_after_seconds": 600}).status_code == 409
    again = gw.post(
        "/v1/eldercare/provision",
        json={
            "provision_key": "pk-smart-speaker",
            "provision_secret": "demo-smart-speaker-secret",
            "serial": f"SPK-{platform.run_id}-rotated",
        },
    )
    assert again.status_code == 409, "a deprovisioned device does not provision itself again"
