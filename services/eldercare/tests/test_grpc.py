"""Eldercare over real gRPC: its own server (the runtime's, with the interceptor, token checks and
error mapping of production) on SQLite and PostgreSQL, with tokens minted by the runtime's test
plugin; and the bridge on the real MQTT broker, fed by the device simulator."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid

import grpc
import pytest
from sqlalchemy import func, select

from eldercare import bridge, handlers, store
from eldercare.service import SERVICE
from eldercare.servicer import EldercareServicer
from eldercare.tests.broker_support import service_connection, simulated
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import department, household, member, rpc_error, staff
from runtime.times import utcnow
from sbc.eldercare.v1 import eldercare_pb2 as pb
from sbc.eldercare.v1 import eldercare_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

VILLAGE = "330411001001"


class Clock:
    def __init__(self):
        self.at = utcnow()

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
async def svc(grpc_service, database_url):
    clock = Clock()
    root = f"test-{uuid.uuid4().hex[:8]}.sbc/eldercare"  # this test's own topics on the shared broker, as KAFKA_PREFIX
    running = await grpc_service(SERVICE, database_url, servicer=lambda ctx: EldercareServicer(ctx.db, clock, root))
    running.api = running.stub(eldercare_pb2_grpc.EldercareServiceStub)
    running.clock, running.root = clock, root
    yield running
    # Leave no broker accounts of this test's devices on the shared broker.
    with running.db.transaction() as s:
        provisioned = list(s.scalars(select(store.devices.c.id).where(store.devices.c.credential_sha256 != "")))
    for device_id in provisioned:
        running.servicer.accounts.close(device_id)


def outbox_types(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [r.event_type for r in s.execute(select(t).order_by(t.c.seq))]


def count(db, table) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(table))


ELDER_HOME = household("hh-elder", area_code=VILLAGE)
SON = household("hh-son", area_code="330411105001")
STRANGER = household("hh-stranger", area_code=VILLAGE)
OPERATOR = staff("care_operator", username="op-xincheng", area_code="330411001")
CAREGIVER = staff("village_caregiver", username="cg-1", area_code=VILLAGE)
OTHER_CAREGIVER = staff("village_caregiver", username="cg-2", area_code="330411001002")


async def enrolled(svc) -> pb.Elder:
    return await svc.api.EnrolElder(
        pb.EnrolElderRequest(name="张阿婆", birth_year=1942, conditions=["高血压"], emergency_contacts=["13900000001"]),
        metadata=svc.md(ELDER_HOME),
    )


async def bound_family(svc, elder: pb.Elder) -> None:
    invitation = await svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))
    bound = await svc.api.BindFamily(pb.BindFamilyRequest(code=invitation.code), metadata=svc.md(SON))
    assert (bound.elder_id, bound.elder_name, bound.household_id) == (elder.id, "张阿婆", "hh-son")


async def call_button(svc, elder: pb.Elder, serial: str = "BTN-1") -> pb.ProvisionedDevice:
    await svc.api.RegisterDevice(
        pb.RegisterDeviceRequest(profile="call_button", serial=serial, elder_id=elder.id), metadata=svc.md(OPERATOR)
    )
    return await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(
            provision_key="pk-call-button", provision_secret="demo-call-button-secret", serial=serial
        )
    )


async def test_a_household_enrols_its_elder_binds_family_and_the_care_centre_provisions_a_button(svc):
    elder = await enrolled(svc)
    assert elder.area_code == VILLAGE and list(elder.conditions) == ["高血压"]
    again = await enrolled(svc)
    assert again.id == elder.id, "enrolling the same elder again is the same elder"
    await bound_family(svc, elder)
    device = await call_button(svc, elder)
    assert device.credential and device.telemetry_topic == f"{svc.root}/devices/{device.device_id}/telemetry"
    for who in (ELDER_HOME, SON, OPERATOR, CAREGIVER):
        listed = await svc.api.ListDevices(pb.ListDevicesRequest(), metadata=svc.md(who))
        assert [(d.id, d.state, d.elder_id) for d in listed.devices] == [(device.device_id, "provisioned", elder.id)]
        assert [e.id for e in (await svc.api.ListElders(pb.ListEldersRequest(), metadata=svc.md(who))).elders] == [
            elder.id
        ]
    for who in (STRANGER, OTHER_CAREGIVER, staff("technician", area_code="330411"), department()):
        assert not (await svc.api.ListDevices(pb.ListDevicesRequest(), metadata=svc.md(who))).devices
        assert not (await svc.api.ListElders(pb.ListEldersRequest(), metadata=svc.md(who))).elders
        err = await rpc_error(svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(who)))
        assert err.code() == grpc.StatusCode.NOT_FOUND
    assert outbox_types(svc.db) == ["sbc.eldercare.elder.enrolled.v1", "sbc.eldercare.device.provisioned.v1"]
    profiles = await svc.api.ListDeviceProfiles(pb.ListDeviceProfilesRequest(), metadata=svc.md(SON))
    assert {"call_button", "bed_sensor", "stb_remote", "smart_speaker"} <= {p.key for p in profiles.profiles}


async def test_provisioning_strategies_and_bad_credentials(svc):
    elder = await enrolled(svc)
    # allow_new: any serial with the key and secret; the care centre then gives it to an elder
    smoke = await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(
            provision_key="pk-smoke-sensor", provision_secret="demo-smoke-sensor-secret", serial="S-1"
        )
    )
    assigned = await svc.api.AssignDevice(
        pb.AssignDeviceRequest(device_id=smoke.device_id, elder_id=elder.id), metadata=svc.md(OPERATOR)
    )
    assert assigned.elder_id == elder.id
    err = await rpc_error(
        svc.api.AssignDevice(
            pb.AssignDeviceRequest(device_id=smoke.device_id, elder_id=elder.id), metadata=svc.md(OPERATOR)
        )
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    before = count(svc.db, store.devices)
    for request, code in [
        (
            pb.ProvisionDeviceRequest(provision_key="pk-smoke-sensor", provision_secret="wrong", serial="S-2"),
            "NOT_FOUND",
        ),
        (pb.ProvisionDeviceRequest(provision_key="pk-nope", provision_secret="x", serial="S-2"), "NOT_FOUND"),
        (
            pb.ProvisionDeviceRequest(
                provision_key="pk-call-button", provision_secret="demo-call-button-secret", serial="NOT-LISTED"
            ),
            "FAILED_PRECONDITION",
        ),
        (
            pb.ProvisionDeviceRequest(
                provision_key="pk-smoke-sensor", provision_secret="demo-smoke-sensor-secret", serial="S-1"
            ),
            "ALREADY_EXISTS",
        ),
        (
            pb.ProvisionDeviceRequest(
                provision_key="pk-smoke-sensor", provision_secret="demo-smoke-sensor-secret", serial="x" * 65
            ),
            "INVALID_ARGUMENT",
        ),
        (pb.ProvisionDeviceRequest(provision_key="", provision_secret="", serial="S-3"), "INVALID_ARGUMENT"),
    ]:
        assert (await rpc_error(svc.api.ProvisionDevice(request))).code().name == code, request
    assert count(svc.db, store.devices) == before
    # only care operators register and assign, and only for elders of their area
    for who in (ELDER_HOME, CAREGIVER, staff("care_operator", area_code="330411105")):
        err = await rpc_error(
            svc.api.RegisterDevice(
                pb.RegisterDeviceRequest(profile="call_button", serial="B", elder_id=elder.id), metadata=svc.md(who)
            )
        )
        assert err.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)
    assert count(svc.db, store.devices) == before


async def test_sos_from_the_remote_is_acknowledged_and_followed_up_and_escalates_until_then(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    alarm = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    assert (alarm.type, alarm.name, alarm.severity, alarm.state, alarm.elder_id) == (
        "sos",
        "一键呼叫",
        "CRITICAL",
        "raised",
        elder.id,
    )
    assert alarm.reminders == 1 and alarm.escalation_step == 0, "the family is reminded at once"
    again = await svc.api.PressSos(pb.PressSosRequest(elder_id=elder.id), metadata=svc.md(ELDER_HOME))
    assert again.id == alarm.id and again.repeats == 1, "a repeat folds into the open alarm"
    # the scheduler's pass, three minutes on: the village caregiver's step
    svc.clock.at += dt.timedelta(minutes=3)
    handlers.escalate_due(store.UnitOfWork(svc.db), svc.clock.at)
    (seen,) = (await svc.api.ListAlarms(pb.ListAlarmsRequest(open_only=True), metadata=svc.md(SON))).alarms
    assert seen.escalation_step == 1 and seen.reminders > 1 and not seen.overdue
    # who may not see it cannot acknowledge it; resolving before acknowledging is out of order
    for who in (STRANGER, OTHER_CAREGIVER, department()):
        err = await rpc_error(svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(who)))
        assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(
        svc.api.ResolveAlarm(pb.ResolveAlarmRequest(id=alarm.id, follow_up="x"), metadata=svc.md(OPERATOR))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    acked = await svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(OPERATOR))
    assert acked.state == "acknowledged" and acked.acknowledged_by == "op-xincheng"
    reminders = acked.reminders
    svc.clock.at += dt.timedelta(minutes=30)
    handlers.escalate_due(store.UnitOfWork(svc.db), svc.clock.at)
    err = await rpc_error(
        svc.api.ResolveAlarm(pb.ResolveAlarmRequest(id=alarm.id, follow_up="done"), metadata=svc.md(SON))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "family see and acknowledge, care staff close"
    done = await svc.api.ResolveAlarm(
        pb.ResolveAlarmRequest(id=alarm.id, follow_up="上门查看，老人安好"), metadata=svc.md(CAREGIVER)
    )
    assert (done.state, done.follow_up, done.reminders, done.overdue) == (
        "resolved",
        "上门查看，老人安好",
        reminders,
        False,
    )
    types = outbox_types(svc.db)
    assert types.count("sbc.eldercare.alarm.raised.v1") == 1 and types[-2:] == [
        "sbc.eldercare.alarm.acknowledged.v1",
        "sbc.eldercare.alarm.resolved.v1",
    ]
    summary = await svc.api.GetHomeSummary(pb.GetHomeSummaryRequest(), metadata=svc.md(ELDER_HOME))
    assert (summary.elders, summary.open_alarms) == (1, 0)
    fresh = await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(ELDER_HOME))
    assert fresh.id != alarm.id, "once resolved, the next SOS is a new alarm"


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda api, md: api.EnrolElder(pb.EnrolElderRequest(name="", birth_year=1940), metadata=md), "name"),
        (lambda api, md: api.EnrolElder(pb.EnrolElderRequest(name="x" * 51, birth_year=1940), metadata=md), "name"),
        (lambda api, md: api.EnrolElder(pb.EnrolElderRequest(name="a\x00", birth_year=1940), metadata=md), "name"),
        (lambda api, md: api.EnrolElder(pb.EnrolElderRequest(name="张", birth_year=3000), metadata=md), "birth_year"),
        (lambda api, md: api.BindFamily(pb.BindFamilyRequest(code="12ab"), metadata=md), "code"),
        (lambda api, md: api.InviteFamily(pb.InviteFamilyRequest(elder_id="x" * 37), metadata=md), "elder_id"),
        (lambda api, md: api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=""), metadata=md), "id"),
        (lambda api, md: api.ListAlarms(pb.ListAlarmsRequest(limit=201), metadata=md), "limit"),
    ],
)
async def test_bad_input_is_invalid_argument_naming_the_field_and_changes_nothing(svc, call, field):
    err = await rpc_error(call(svc.api, svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert count(svc.db, store.elders) == 0 and outbox_types(svc.db) == []


async def test_who_may_call_what(svc):
    elder = await enrolled(svc)
    assert (await rpc_error(svc.api.ListElders(pb.ListEldersRequest()))).code() == grpc.StatusCode.UNAUTHENTICATED
    bad = [("authorization", "Bearer not-a-token")]
    assert (
        await rpc_error(svc.api.ListAlarms(pb.ListAlarmsRequest(), metadata=bad))
    ).code() == grpc.StatusCode.UNAUTHENTICATED
    for call in (
        svc.api.EnrolElder(pb.EnrolElderRequest(name="x", birth_year=1940), metadata=svc.md(OPERATOR)),
        svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(OPERATOR)),
        svc.api.BindFamily(pb.BindFamilyRequest(code="12345678"), metadata=svc.md(OPERATOR)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    # a stranger's household cannot invite for, or press SOS for, another household's elder
    for call in (
        svc.api.InviteFamily(pb.InviteFamilyRequest(elder_id=elder.id), metadata=svc.md(STRANGER)),
        svc.api.PressSos(pb.PressSosRequest(elder_id=elder.id), metadata=svc.md(STRANGER)),
        svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(STRANGER)),
        svc.api.BindFamily(pb.BindFamilyRequest(code="00000000"), metadata=svc.md(SON)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    # family bound to one elder sees no other elder's
    await bound_family(svc, elder)
    other = await svc.api.EnrolElder(pb.EnrolElderRequest(name="李阿公", birth_year=1938), metadata=svc.md(STRANGER))
    await svc.api.PressSos(pb.PressSosRequest(), metadata=svc.md(STRANGER))
    assert not (await svc.api.ListAlarms(pb.ListAlarmsRequest(), metadata=svc.md(SON))).alarms
    err = await rpc_error(svc.api.ListAlarms(pb.ListAlarmsRequest(elder_id=other.id), metadata=svc.md(SON)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert count(svc.db, store.alarms) == 1


# --- the bridge, on the real broker ---


def wait_until(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def start_bridge(svc, client_id: str, clock=utcnow) -> tuple[bridge.Bridge, threading.Thread]:
    b = bridge.Bridge(svc.db, service_connection("eldercare"), client_id=client_id, root=svc.root, clock=clock)
    t = threading.Thread(target=b.run_forever, daemon=True)
    t.start()
    bridge.wait_connected(b)
    return b, t


def stop_bridge(b: bridge.Bridge, t: threading.Thread, forget: bool = True) -> None:
    b.stop()
    t.join(10)
    if forget:  # leave no persistent session of this test on the shared broker
        c = b.connection.client(b.client_id, clean_session=True)
        c.connect(b.connection.host, b.connection.port)
        c.loop(2)
        c.disconnect()


def provisioned_dict(p: pb.ProvisionedDevice) -> dict:
    return {
        "device_id": p.device_id,
        "credential": p.credential,
        "telemetry_topic": p.telemetry_topic,
        "events_topic": p.events_topic,
    }


async def open_alarms(svc, who=OPERATOR) -> list[pb.Alarm]:
    return list((await svc.api.ListAlarms(pb.ListAlarmsRequest(open_only=True), metadata=svc.md(who))).alarms)


async def async_wait(svc, predicate, timeout: float = 15.0):
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await predicate()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_a_button_press_over_mqtt_raises_the_sos_once_and_bad_messages_are_parked(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    button = await call_button(svc, elder)
    bed = await svc.api.RegisterDevice(
        pb.RegisterDeviceRequest(profile="bed_sensor", serial="BED-1", elder_id=elder.id), metadata=svc.md(OPERATOR)
    )
    bed_p = await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(
            provision_key="pk-bed-sensor", provision_secret="demo-bed-sensor-secret", serial="BED-1"
        )
    )
    assert bed.id == bed_p.device_id
    b, t = start_bridge(svc, f"test-bridge-{uuid.uuid4().hex[:8]}")
    device = simulated(provisioned_dict(button))
    bed_device = simulated(provisioned_dict(bed_p))
    try:
        # bad messages first: each parked, none stops the bridge
        device.client.publish(device.events_topic, b"not json", qos=1).wait_for_publish(5)
        device.client.publish(device.events_topic, b"{" + b" " * 5000 + b"}", qos=1).wait_for_publish(5)
        device.event("unknown_event")
        # on another device's topic, or an unknown one: the broker drops it, the bridge never gets it
        device.client.publish(bed_device.events_topic, b'{"id":"1","credential":"x","event":"sos"}', qos=1)
        device.client.publish(f"{svc.root}/devices/{uuid.uuid4()}/events", b'{"id":"2","event":"sos"}', qos=1)
        pressed = device.event("sos")
        device.event("sos", message_id=pressed)  # the broker's redelivery of the same press
        (alarm,) = await async_wait(svc, lambda: open_alarms(svc))
        assert (alarm.type, alarm.severity, alarm.device_id, alarm.elder_id) == (
            "sos",
            "CRITICAL",
            button.device_id,
            elder.id,
        )
        wait_until(lambda: b.counts["repeats"] == 1)
        assert (b.counts["parked"], b.counts["stored"]) == (3, 1), "the forged ones never reached the bridge"
        assert count(svc.db, store.parked_messages) == 3
        assert (await open_alarms(svc, SON))[0].id == alarm.id, "the family sees it"
        # bed telemetry: latest values kept, an abnormal heart rate is an alarm, an unknown key is parked
        bed_device.telemetry({"heart_rate": 72, "breathing_rate": 15, "in_bed": True})
        bed_device.telemetry({"pulse": 1})
        bed_device.telemetry({"heart_rate": 160})
        alarms = await async_wait(svc, lambda: _two(svc))
        assert {a.type for a in alarms} == {"sos", "abnormal_heart_rate"}
        listed = await svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(SON))
        state = {d.profile: d for d in listed.devices}["bed_sensor"]
        assert state.online and json.loads(state.latest_json) == {
            "heart_rate": 160,
            "breathing_rate": 15,
            "in_bed": True,
        }
        wait_until(lambda: b.counts["parked"] == 4)
    finally:
        device.close()
        bed_device.close()
        stop_bridge(b, t)


async def _two(svc):
    found = await open_alarms(svc)
    return found if len(found) == 2 else None


async def test_presses_while_the_bridge_is_down_are_kept_by_its_session_and_none_is_lost(svc):
    elder = await enrolled(svc)
    buttons = [await call_button(svc, elder, f"BTN-{n}") for n in range(20)]
    client_id = f"test-bridge-{uuid.uuid4().hex[:8]}"
    b, t = start_bridge(svc, client_id)  # the persistent session exists from here on
    stop_bridge(b, t, forget=False)
    for p in buttons:
        d = simulated(provisioned_dict(p))
        d.event("sos")
        d.close()
    b, t = start_bridge(svc, client_id)
    try:
        alarms = await async_wait(svc, lambda: _all(svc, len(buttons)), timeout=60)
        assert sorted(a.device_id for a in alarms) == sorted(p.device_id for p in buttons)
    finally:
        stop_bridge(b, t)


async def _all(svc, n):
    found = await open_alarms(svc)
    return found if len(found) == n else None


async def given_to(svc, elder: pb.Elder, profile: str, serial: str) -> pb.ProvisionedDevice:
    """An allow_new device (profile with dashes) provisioned by itself, then given to the elder by a care operator."""
    device = await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(
            provision_key=f"pk-{profile}", provision_secret=f"demo-{profile}-secret", serial=serial
        )
    )
    await svc.api.AssignDevice(
        pb.AssignDeviceRequest(device_id=device.device_id, elder_id=elder.id), metadata=svc.md(OPERATOR)
    )
    return device


async def test_lingering_gas_and_repeated_fast_heart_rates_over_mqtt_raise_their_alarms_at_their_boundary(svc):
    """The simulator's gas sensor and bed sensor, through the broker and the bridge (whose clock the
    test sets for each reading): gas over its level one second short of its duration raises
    nothing, at its duration it does; the heart rate's last-but-one episode nothing, the last one its alarm."""
    elder = await enrolled(svc)
    gas_p = await given_to(svc, elder, "gas-sensor", "G-1")
    await svc.api.RegisterDevice(
        pb.RegisterDeviceRequest(profile="bed_sensor", serial="BED-2", elder_id=elder.id), metadata=svc.md(OPERATOR)
    )
    bed_p = await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(
            provision_key="pk-bed-sensor", provision_secret="demo-bed-sensor-secret", serial="BED-2"
        )
    )
    profiles = store.profiles()
    (lingering,) = [r for r in profiles["gas_sensor"].rules if r.kind == "duration"]
    (episodes,) = [r for r in profiles["bed_sensor"].rules if r.kind == "repeating"]
    clock = Clock()
    start = clock.at
    b, t = start_bridge(svc, f"test-bridge-{uuid.uuid4().hex[:8]}", clock)
    gas, bed = simulated(provisioned_dict(gas_p)), simulated(provisioned_dict(bed_p))

    def send(device, values: dict, after: float) -> None:
        taken = b.counts["stored"]
        clock.at = start + dt.timedelta(seconds=after)
        device.telemetry(values)
        wait_until(lambda: b.counts["stored"] == taken + 1)

    async def raised() -> set[str]:
        return {a.type for a in await open_alarms(svc)}

    try:
        for after in (0, 10, 20, lingering.seconds - 1):
            send(gas, {"gas_lel": lingering.above + 2}, after)
        fast, calm = {"heart_rate": episodes.above + 10}, {"heart_rate": episodes.above - 30}
        for n in range(episodes.count - 1):
            send(bed, fast, 2 * n)
            send(bed, calm, 2 * n + 1)
        assert await raised() == set(), "one reading short of the duration, one episode short of the count"
        send(gas, {"gas_lel": lingering.above + 2}, lingering.seconds)
        send(bed, fast, episodes.seconds)
        assert await raised() == {"gas_lingering", "heart_rate_episodes"}
        by_type = {a.type: a for a in await open_alarms(svc, ELDER_HOME)}
        assert (by_type["gas_lingering"].name, by_type["gas_lingering"].severity) == ("燃气浓度持续偏高", "CRITICAL")
        assert (by_type["heart_rate_episodes"].name, by_type["heart_rate_episodes"].severity) == (
            "反复心率过快",
            "MAJOR",
        )
    finally:
        gas.close()
        bed.close()
        stop_bridge(b, t)


async def test_no_water_use_is_raised_by_the_scheduler_on_time_not_on_the_next_reading(svc):
    elder = await enrolled(svc)
    meter = await given_to(svc, elder, "water-meter", "W-1")
    (rule,) = store.profiles()["water_meter"].inactivity_rules()
    with store.UnitOfWork(svc.db) as uow:
        provisioned_at = uow.devices.get(meter.device_id).registered_at
    limit = dt.timedelta(seconds=rule.seconds)
    assert handlers.check_inactivity(store.UnitOfWork(svc.db), provisioned_at + limit - dt.timedelta(seconds=1)) == 0
    assert not await open_alarms(svc)
    assert handlers.check_inactivity(store.UnitOfWork(svc.db), provisioned_at + limit) == 1
    (alarm,) = await open_alarms(svc, ELDER_HOME)
    assert (alarm.type, alarm.name, alarm.severity) == ("no_water_use", "长时间未用水", "MAJOR")
    assert handlers.check_inactivity(store.UnitOfWork(svc.db), provisioned_at + 2 * limit) == 0, "one open alarm"
    await svc.api.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=svc.md(CAREGIVER))
    await svc.api.ResolveAlarm(
        pb.ResolveAlarmRequest(id=alarm.id, follow_up="电话确认：外出探亲"), metadata=svc.md(CAREGIVER)
    )
    later = provisioned_at + 3 * limit
    assert handlers.check_inactivity(store.UnitOfWork(svc.db), later) == 0, "the same spell is not raised again"
    # water used again, then none for the rule's time: a new spell, a new alarm
    with store.UnitOfWork(svc.db) as uow:
        device = uow.devices.get(meter.device_id, for_update=True)
        device.take_telemetry(store.profiles()["water_meter"], {"flow_litres": 2.0}, later)
        uow.commit()
    assert handlers.check_inactivity(store.UnitOfWork(svc.db), later + limit - dt.timedelta(seconds=1)) == 0
    assert handlers.check_inactivity(store.UnitOfWork(svc.db), later + limit) == 1


async def test_a_device_keeps_its_own_offline_timeout_and_only_its_care_operator_sets_it(svc):
    elder = await enrolled(svc)
    button = await call_button(svc, elder)
    profile = store.profiles()["call_button"]
    seen = svc.clock.at
    with store.UnitOfWork(svc.db) as uow:
        uow.devices.get(button.device_id, for_update=True).seen(seen)
        uow.commit()

    async def listed(who=ELDER_HOME) -> pb.Device:
        (d,) = (await svc.api.ListDevices(pb.ListDevicesRequest(), metadata=svc.md(who))).devices
        return d

    def at(seconds: float) -> None:
        svc.clock.at = seen + dt.timedelta(seconds=seconds)

    own = 2 * int(profile.offline_after.total_seconds())
    at(profile.offline_after.total_seconds() - 1)
    d = await listed()
    assert (d.online, d.offline_after_seconds, d.own_offline_timeout) == (True, 900, False)
    at(profile.offline_after.total_seconds())
    assert not (await listed()).online, "offline at its profile's timeout"
    set_to = pb.SetDeviceOfflineTimeoutRequest(device_id=button.device_id, offline_after_seconds=own)
    d = await svc.api.SetDeviceOfflineTimeout(set_to, metadata=svc.md(OPERATOR))
    assert (d.online, d.offline_after_seconds, d.own_offline_timeout) == (True, own, True)
    at(own - 1)
    assert (await listed(CAREGIVER)).online
    at(own)
    assert not (await listed(CAREGIVER)).online, "offline at its own timeout"

    # bad values, and callers who may not: refused, and the device keeps its timeout
    for seconds in (1, 59, 604801, -5):
        r = pb.SetDeviceOfflineTimeoutRequest(device_id=button.device_id, offline_after_seconds=seconds)
        err = await rpc_error(svc.api.SetDeviceOfflineTimeout(r, metadata=svc.md(OPERATOR)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "offline_after_seconds" in field_errors_of(err)
    for who, code in [
        (ELDER_HOME, grpc.StatusCode.PERMISSION_DENIED),
        (CAREGIVER, grpc.StatusCode.PERMISSION_DENIED),
        (staff("care_operator", area_code="330411105"), grpc.StatusCode.NOT_FOUND),
    ]:
        r = pb.SetDeviceOfflineTimeoutRequest(device_id=button.device_id, offline_after_seconds=60)
        assert (await rpc_error(svc.api.SetDeviceOfflineTimeout(r, metadata=svc.md(who)))).code() == code, who
    r = pb.SetDeviceOfflineTimeoutRequest(device_id="nope", offline_after_seconds=60)
    assert (await rpc_error(svc.api.SetDeviceOfflineTimeout(r, metadata=svc.md(OPERATOR)))).code().name in (
        "NOT_FOUND",
        "INVALID_ARGUMENT",
    )
    assert (await listed()).offline_after_seconds == own

    # 0 returns it to its profile's; a deprovisioned device takes none
    r = pb.SetDeviceOfflineTimeoutRequest(device_id=button.device_id, offline_after_seconds=0)
    d = await svc.api.SetDeviceOfflineTimeout(r, metadata=svc.md(OPERATOR))
    assert (d.offline_after_seconds, d.own_offline_timeout) == (900, False)
    await svc.api.DeprovisionDevice(pb.DeviceRequest(device_id=button.device_id), metadata=svc.md(OPERATOR))
    r = pb.SetDeviceOfflineTimeoutRequest(device_id=button.device_id, offline_after_seconds=600)
    err = await rpc_error(svc.api.SetDeviceOfflineTimeout(r, metadata=svc.md(OPERATOR)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_family_invited_by_number_accept_on_the_phone_signed_in_with_it_and_nobody_else_can(svc):
    elder = await enrolled(svc)
    daughter = member("hh-daughter", phone="13900000077", area_code="330411105001")
    impostor = member("hh-impostor", phone="13900000078", area_code="330411105001")
    invited = await svc.api.InviteFamily(
        pb.InviteFamilyRequest(elder_id=elder.id, phone=daughter.phone), metadata=svc.md(ELDER_HOME)
    )
    assert invited.phone == daughter.phone
    week = dt.timedelta(seconds=store.care()["family_invitation_by_phone_seconds"])
    assert abs(invited.expires_at.ToDatetime(dt.UTC) - (svc.clock.at + week)) < dt.timedelta(seconds=1)

    def waiting(who):
        return svc.api.ListFamilyInvitations(pb.ListFamilyInvitationsRequest(), metadata=svc.md(who))

    (shown,) = (await waiting(daughter)).invitations
    assert (shown.code, shown.elder_id, shown.elder_name) == (invited.code, elder.id, "张阿婆")
    assert not (await waiting(impostor)).invitations
    for who in (SON, OPERATOR):  # a TV has no number; staff are not invited
        assert (await rpc_error(waiting(who))).code() == grpc.StatusCode.PERMISSION_DENIED
    # Only the number it is addressed to accepts it: the code alone is not enough.
    for who in (impostor, SON):
        err = await rpc_error(svc.api.BindFamily(pb.BindFamilyRequest(code=invited.code), metadata=svc.md(who)))
        assert err.code() == grpc.StatusCode.NOT_FOUND
    bound = await svc.api.BindFamily(pb.BindFamilyRequest(code=invited.code), metadata=svc.md(daughter))
    assert (bound.elder_id, bound.household_id) == (elder.id, "hh-daughter")
    assert not (await waiting(daughter)).invitations, "accepted: no longer waiting"
    assert [e.id for e in (await svc.api.ListElders(pb.ListEldersRequest(), metadata=svc.md(daughter))).elders] == [
        elder.id
    ]

    # bad numbers, and inviting oneself, are refused and invite nobody
    before = count(svc.db, store.family_invitations)
    own = member(ELDER_HOME.household_id, phone="13900000079", area_code=VILLAGE)
    for who, phone, code in [
        (ELDER_HOME, "12345", grpc.StatusCode.INVALID_ARGUMENT),
        (ELDER_HOME, "23900000077", grpc.StatusCode.INVALID_ARGUMENT),
        (ELDER_HOME, "1390000007" + "7" * 10, grpc.StatusCode.INVALID_ARGUMENT),
        (own, own.phone, grpc.StatusCode.FAILED_PRECONDITION),
        (STRANGER, daughter.phone, grpc.StatusCode.NOT_FOUND),
    ]:
        r = pb.InviteFamilyRequest(elder_id=elder.id, phone=phone)
        assert (await rpc_error(svc.api.InviteFamily(r, metadata=svc.md(who)))).code() == code, phone
    assert count(svc.db, store.family_invitations) == before

    # an invitation by number runs out after its week
    later = await svc.api.InviteFamily(
        pb.InviteFamilyRequest(elder_id=elder.id, phone=impostor.phone), metadata=svc.md(ELDER_HOME)
    )
    svc.clock.at += week
    assert not (await waiting(impostor)).invitations
    err = await rpc_error(svc.api.BindFamily(pb.BindFamilyRequest(code=later.code), metadata=svc.md(impostor)))
    assert err.code() == grpc.StatusCode.NOT_FOUND
