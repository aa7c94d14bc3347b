"""Persistent commands to devices over real gRPC and the real MQTT broker: the commander process
(its own thread here) sends a queued command on the device's command topic, the simulated device
answers on its reply topic, matched by request id (SUCCESSFUL); a device that does not answer is
TIMEOUT at the time to live, an offline one's command EXPIRED; a late reply, an unknown request id
or a forged reply changes nothing. Plus the states' rules without I/O, who may command, bad input."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid

import grpc
import pytest

from eldercare import commander, domain, handlers, store
from eldercare.tests.broker_support import service_connection, simulated
from eldercare.tests.test_grpc import (
    CAREGIVER,
    ELDER_HOME,
    OPERATOR,
    OTHER_CAREGIVER,
    SON,
    STRANGER,
    async_wait,
    bound_family,
    count,
    enrolled,
    outbox_types,
    provisioned_dict,
    start_bridge,
    stop_bridge,
    svc,  # noqa: F401 (the fixture)
    wait_until,
)
from runtime.errors import InvalidArgument, NotFound
from runtime.grpc_server import field_errors_of
from runtime.testing import department, rpc_error
from runtime.times import utcnow
from sbc.eldercare.v1 import eldercare_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

S = dt.timedelta(seconds=1)
T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
WHERE = domain.Where("elder-1", "hh-elder", "330411001001")


def queued(ttl: dt.timedelta = dt.timedelta(seconds=60)) -> domain.DeviceCommand:
    profile = store.profiles()["smoke_sensor"]
    device, _ = domain.Device.provision(profile, "demo-smoke-sensor-secret", "S-1", None, T0)
    return domain.DeviceCommand.queue(
        CAREGIVER, device, profile, WHERE, "silence", ttl, dt.timedelta(seconds=86400), T0
    )


async def test_the_states_of_a_command_at_their_boundaries():
    c = queued()
    assert c.state == "QUEUED" and c.expires_at == T0 + dt.timedelta(seconds=60)
    c.sent(T0 + S)
    assert c.take_reply("delivered", "", T0 + 2 * S) and c.state == "DELIVERED"
    assert not c.take_reply("delivered", "", T0 + 3 * S), "a second receipt changes nothing"
    assert c.take_reply("successful", "已消音", T0 + 4 * S) and (c.state, c.result) == ("SUCCESSFUL", "已消音")
    assert not c.take_reply("failed", "", T0 + 5 * S) and c.state == "SUCCESSFUL", "over: a late reply changes nothing"
    c.expire(T0 + dt.timedelta(hours=1))
    assert c.state == "SUCCESSFUL"

    never_sent = queued()
    never_sent.expire(never_sent.expires_at - S)
    assert never_sent.state == "QUEUED"
    never_sent.expire(never_sent.expires_at)
    assert never_sent.state == "EXPIRED"
    never_sent.sent(never_sent.expires_at + S)
    assert never_sent.state == "EXPIRED" and not never_sent.take_reply("successful", "", never_sent.expires_at + S)

    unanswered = queued()
    unanswered.sent(T0 + S)
    unanswered.expire(unanswered.expires_at)
    assert unanswered.state == "TIMEOUT"
    late = queued()
    late.sent(T0 + S)
    assert not late.take_reply("successful", "", late.expires_at), "a reply at the time to live is too late"
    assert late.state == "TIMEOUT"
    failed = queued()
    assert failed.take_reply("failed", "电池电量低", T0 + S) and (failed.state, failed.sent_at) == ("FAILED", T0 + S)
    assert [e.state for e in failed.pull_events()] == ["QUEUED", "FAILED"]
    with pytest.raises(NotFound):
        domain.DeviceCommand.queue(
            CAREGIVER, *_device("water_meter"), WHERE, "silence", dt.timedelta(seconds=60), dt.timedelta(days=1), T0
        )
    for ttl in (dt.timedelta(0), dt.timedelta(days=2)):
        with pytest.raises(InvalidArgument):
            queued(ttl)


def _device(key: str):
    profile = store.profiles()[key]
    device, _ = domain.Device.provision(profile, f"demo-{key.replace('_', '-')}-secret", "X-1", None, T0)
    return device, profile


@pytest.mark.parametrize(
    "payload, why",
    [
        (b"not json", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"credential": "c", "status": "successful"}', "no request_id"),
        (b'{"request_id": "r", "status": "successful"}', "no credential"),
        (b'{"request_id": "r", "credential": "c", "status": "done"}', "status"),
        (b'{"request_id": "r", "credential": "c", "status": "successful", "x": "' + b"y" * 5000 + b'"}', "over"),
    ],
)
async def test_a_malformed_reply_is_refused(payload, why):
    with pytest.raises(ValueError, match=why):
        domain.read_reply(payload, store.care()["max_payload_bytes"])


async def device_of(svc, elder, profile: str, serial: str) -> pb.ProvisionedDevice:
    slug = profile.replace("_", "-")
    listed = store.profiles()[profile].strategy == domain.Strategy.PRE_PROVISIONED
    if listed:
        request = pb.RegisterDeviceRequest(profile=profile, serial=serial, elder_id=elder.id)
        await svc.api.RegisterDevice(request, metadata=svc.md(OPERATOR))
    p = await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(provision_key=f"pk-{slug}", provision_secret=f"demo-{slug}-secret", serial=serial)
    )
    if not listed:
        request = pb.AssignDeviceRequest(device_id=p.device_id, elder_id=elder.id)
        await svc.api.AssignDevice(request, metadata=svc.md(OPERATOR))
    return p


def start_commander(svc) -> tuple[commander.Commander, threading.Thread]:
    c = commander.Commander(
        svc.db,
        service_connection("eldercare"),
        client_id=f"test-commander-{uuid.uuid4().hex[:8]}",
        root=svc.root,
        every=0.2,
    )
    t = threading.Thread(target=c.run_forever, daemon=True)
    t.start()
    assert c.connected.wait(10), "the commander did not connect to the broker"
    return c, t


def stop_commander(c: commander.Commander, t: threading.Thread) -> None:
    c.stop()
    t.join(10)
    account = service_connection("eldercare")
    forget = account.client(c.client_id, clean_session=True)
    forget.connect(account.host, account.port)  # leave no persistent session of this test on the shared broker
    forget.loop(2)
    forget.disconnect()


async def commands_of(svc, device_id: str, who=ELDER_HOME) -> list[pb.DeviceCommand]:
    r = await svc.api.ListDeviceCommands(pb.ListDeviceCommandsRequest(device_id=device_id), metadata=svc.md(who))
    return list(r.commands)


async def state_is(svc, device_id: str, state: str):
    async def check():
        found = await commands_of(svc, device_id)
        return found if found and found[0].state == state else None

    return await async_wait(svc, check)


async def test_a_command_reaches_the_device_over_mqtt_and_its_replies_are_matched_by_request_id(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    smoke = await device_of(svc, elder, "smoke_sensor", "SMOKE-1")
    gas = await device_of(svc, elder, "gas_sensor", "GAS-1")
    radar = await device_of(svc, elder, "radar_fall_sensor", "RADAR-1")  # never online
    assert smoke.commands_topic == f"{svc.root}/devices/{smoke.device_id}/commands"
    assert smoke.replies_topic == f"{svc.root}/devices/{smoke.device_id}/replies"
    b, bt = start_bridge(svc, f"test-bridge-{uuid.uuid4().hex[:8]}")
    c, ct = start_commander(svc)
    devices = []
    try:
        # Each device on the broker as itself (its own account, the broker's ACLs).
        answering = simulated(provisioned_dict(smoke) | _topics(smoke))
        silent = simulated(provisioned_dict(gas) | _topics(gas))
        devices += [answering, silent]
        read = answering.answer_commands(("delivered", "successful"), result="已消音")
        unanswered = silent.answer_commands(statuses=())
        answering.telemetry({"battery": 90})  # both online
        silent.telemetry({"battery": 80})
        await async_wait(svc, lambda: _online(svc, elder, {smoke.device_id, gas.device_id}))

        # answered: QUEUED, then SENT, DELIVERED and SUCCESSFUL as the device replies
        sent = await svc.api.SendDeviceCommand(
            pb.SendDeviceCommandRequest(device_id=smoke.device_id, command="silence"), metadata=svc.md(ELDER_HOME)
        )
        assert (sent.state, sent.command, sent.created_by) == ("QUEUED", "silence", "hh-elder")
        [done] = await state_is(svc, smoke.device_id, "SUCCESSFUL")
        assert done.id == sent.id and done.result == "已消音" and done.delivered_at.seconds and done.sent_at.seconds
        assert read == [{"request_id": sent.id, "command": "silence", "expires_at": read[0]["expires_at"]}]
        seen_by_family = await commands_of(svc, smoke.device_id, SON)
        assert [x.state for x in seen_by_family] == ["SUCCESSFUL"], "family see the device's commands"

        # not answered: SENT until its time to live, then TIMEOUT; a late reply changes nothing
        test = await svc.api.SendDeviceCommand(
            pb.SendDeviceCommandRequest(device_id=gas.device_id, command="self_test", ttl_seconds=30),
            metadata=svc.md(CAREGIVER),
        )
        await state_is(svc, gas.device_id, "SENT")
        wait_until(lambda: len(unanswered) == 1)
        expires = test.expires_at.ToDatetime(dt.UTC)
        assert handlers.expire_commands(store.UnitOfWork(svc.db), expires - S) == 0
        assert handlers.expire_commands(store.UnitOfWork(svc.db), expires) == 1
        [timed_out] = await commands_of(svc, gas.device_id)
        assert timed_out.state == "TIMEOUT"
        silent.reply(test.id, "successful", "迟到的回复")
        wait_until(lambda: c.counts["ignored"] == 1)
        [still] = await commands_of(svc, gas.device_id)
        assert (still.state, still.result) == ("TIMEOUT", "")

        # an offline device's command is never sent: EXPIRED at its time to live
        offline = await svc.api.SendDeviceCommand(
            pb.SendDeviceCommandRequest(device_id=radar.device_id, command="self_test", ttl_seconds=20),
            metadata=svc.md(ELDER_HOME),
        )
        assert handlers.commands_to_send(store.UnitOfWork(svc.db), utcnow()) == []
        handlers.expire_commands(store.UnitOfWork(svc.db), offline.expires_at.ToDatetime(dt.UTC))
        late_device = simulated(provisioned_dict(radar) | _topics(radar))
        devices.append(late_device)
        late_device.reply(offline.id, "successful")
        wait_until(lambda: c.counts["ignored"] == 2)
        assert [x.state for x in await commands_of(svc, radar.device_id)] == ["EXPIRED"]

        # an unknown request id, another device's request id, a forged credential: parked, nothing changes
        parked = count(svc.db, store.parked_messages)
        answering.reply(str(uuid.uuid4()), "failed")
        answering.reply(offline.id, "failed")
        forged = json.dumps({"request_id": sent.id, "credential": "forged", "status": "failed", "result": ""})
        answering.client.publish(answering.replies_topic, forged.encode(), qos=1).wait_for_publish(5)
        answering.client.publish(answering.replies_topic, b"not json", qos=1).wait_for_publish(5)
        wait_until(lambda: c.counts["parked"] == 4)
        assert count(svc.db, store.parked_messages) == parked + 4
        assert [x.state for x in await commands_of(svc, smoke.device_id)] == ["SUCCESSFUL"]
        assert [x.state for x in await commands_of(svc, radar.device_id)] == ["EXPIRED"]
        kinds = [t for t in outbox_types(svc.db) if t == "sbc.eldercare.device.command.v1"]
        assert len(kinds) >= 8, "each change announced"
    finally:
        for device in devices:
            device.close()
        stop_commander(c, ct)
        stop_bridge(b, bt)


def _topics(p: pb.ProvisionedDevice) -> dict:
    return {"commands_topic": p.commands_topic, "replies_topic": p.replies_topic}


async def _online(svc, elder, ids: set[str]):
    listed = await svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(OPERATOR))
    return {d.id for d in listed.devices if d.online} >= ids


async def test_who_may_command_and_bad_input_change_nothing(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    smoke = await device_of(svc, elder, "smoke_sensor", "SMOKE-2")

    def send(who, **kw):
        request = pb.SendDeviceCommandRequest(**{"device_id": smoke.device_id, "command": "silence", **kw})
        return rpc_error(svc.api.SendDeviceCommand(request, metadata=svc.md(who)))

    assert (await send(SON)).code() == grpc.StatusCode.PERMISSION_DENIED, "family see the device, do not command it"
    for who in (STRANGER, OTHER_CAREGIVER, department()):
        assert (await send(who)).code() == grpc.StatusCode.NOT_FOUND
        err = await rpc_error(
            svc.api.ListDeviceCommands(pb.ListDeviceCommandsRequest(device_id=smoke.device_id), metadata=svc.md(who))
        )
        assert err.code() == grpc.StatusCode.NOT_FOUND
    err = await rpc_error(
        svc.api.SendDeviceCommand(pb.SendDeviceCommandRequest(device_id=smoke.device_id, command="x"))
    )
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    assert (await send(ELDER_HOME, command="speak")).code() == grpc.StatusCode.NOT_FOUND, "not this profile's"
    for kw, field in (
        ({"device_id": ""}, "device_id"),
        ({"device_id": "x" * 37}, "device_id"),
        ({"command": ""}, "command"),
        ({"ttl_seconds": 86401}, "ttl_seconds"),
        ({"ttl_seconds": -1}, "ttl_seconds"),
    ):
        err = await send(ELDER_HOME, **kw)
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), kw
    err = await rpc_error(
        svc.api.ListDeviceCommands(
            pb.ListDeviceCommandsRequest(device_id=smoke.device_id, limit=201), metadata=svc.md(SON)
        )
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert count(svc.db, store.device_commands) == 0
    # a reply no command matches, on a topic that names no device: parked, nothing else
    assert handlers.take_reply(
        store.UnitOfWork(svc.db), f"{svc.root}/devices/nope/replies", json.dumps({}).encode(), utcnow()
    ).startswith("parked")
