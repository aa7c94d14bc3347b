"""The broker itself authenticates and authorizes every device, through the real Mosquitto (its
dynamic-security plugin) and eldercare's real gRPC provisioning: a device connects over TLS as
itself, and only as itself; it reads only its own commands and its area's alerts. What a device
publishes on another device's topic never reaches the bridge: test_grpc's button test counts it."""

from __future__ import annotations

import dataclasses
import ssl
import threading
import uuid

import grpc
import paho.mqtt.client as mqtt
import pytest

from eldercare import broker
from eldercare.service import SERVICE
from eldercare.servicer import EldercareServicer
from eldercare.simulator import SimulatedDevice, connect
from eldercare.tests.broker_support import admin_connection, device_connection, service_connection, simulated
from eldercare.tests.test_grpc import (  # noqa: F401 (svc: the fixture)
    CAREGIVER,
    ELDER_HOME,
    OPERATOR,
    SON,
    Clock,
    call_button,
    enrolled,
    outbox_types,
    provisioned_dict,
    svc,
    wait_until,
)
from runtime.grpc_server import field_errors_of
from runtime.mqtt_broker import DynamicSecurity
from runtime.testing import rpc_error, staff
from sbc.eldercare.v1 import eldercare_pb2 as pb
from sbc.eldercare.v1 import eldercare_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
ALERT_TOPIC = "sbc/alerts/area/{area}"
OTHER_OPERATOR = staff("care_operator", username="op-youchegang", area_code="330411105")


class Subscriber:
    """A device's own connection that subscribes and keeps what it gets."""

    def __init__(self, device: SimulatedDevice):
        self.device, self.got, self.granted = device, [], []
        self.answered = threading.Event()
        device.client.on_subscribe = self._on_subscribe
        device.client.on_message = lambda client, userdata, msg: self.got.append((msg.topic, msg.payload))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties=None):
        self.granted = [not rc.is_failure for rc in reason_codes]
        self.answered.set()

    def subscribe(self, *topics: str) -> list[bool]:
        self.answered.clear()
        self.device.client.subscribe([(t, 1) for t in topics])
        assert self.answered.wait(10)
        return self.granted


def commands_topic(svc, device_id: str) -> str:
    return f"{svc.root}/devices/{device_id}/commands"


async def test_a_device_connects_over_tls_as_itself_and_a_wrong_or_no_credential_is_refused(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    device = simulated(button)  # TLS, its id and credential
    assert device.client.is_connected() and device.connection.ca_file
    device.close()
    own = device_connection(button["device_id"], button["credential"])
    for wrong in (
        dataclasses.replace(own, password="forged"),
        dataclasses.replace(own, username="", password=""),  # anonymous
        dataclasses.replace(own, username=str(uuid.uuid4())),  # no such device
        dataclasses.replace(service_connection("eldercare"), username="", password=""),  # anonymous, plain listener
    ):
        with pytest.raises(ConnectionRefusedError):
            connect(wrong)


async def test_the_tls_listener_takes_no_plain_connection_and_no_untrusted_server(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    tls = device_connection(button["device_id"], button["credential"])
    plain = dataclasses.replace(tls, ca_file="")
    with pytest.raises((ConnectionRefusedError, OSError)):
        connect(plain, timeout=2)  # MQTT in clear text to the TLS port: no CONNACK ever comes
    untrusting = plain.client()
    untrusting.tls_set()  # the system's CAs only: the broker's certificate is the platform's own CA's
    with pytest.raises(ssl.SSLError):
        untrusting.connect(tls.host, tls.port)


async def test_a_device_reads_only_its_own_commands(svc):
    elder = await enrolled(svc)
    a = simulated(provisioned_dict(await call_button(svc, elder, "BTN-A")))
    b = simulated(provisioned_dict(await call_button(svc, elder, "BTN-B")))
    sa, sb = Subscriber(a), Subscriber(b)
    try:
        assert sa.subscribe(commands_topic(svc, b.id), f"{svc.root}/devices/+/commands", "#") == [False] * 3
        assert sa.subscribe(commands_topic(svc, a.id)) == [True]
        assert sb.subscribe(commands_topic(svc, b.id)) == [True]
        # a device cannot command another one either; the service can
        a.client.publish(commands_topic(svc, b.id), b'{"command":"forged"}', qos=1).wait_for_publish(5)
        service = connect(service_connection("eldercare"))
        try:
            service.publish(commands_topic(svc, b.id), b'{"command":"silence"}', qos=1).wait_for_publish(5)
            service.publish(commands_topic(svc, a.id), b'{"command":"test"}', qos=1).wait_for_publish(5)
        finally:
            service.loop_stop()
            service.disconnect()
        wait_until(lambda: sa.got and sb.got)
        assert sb.got == [(commands_topic(svc, b.id), b'{"command":"silence"}')]
        assert sa.got == [(commands_topic(svc, a.id), b'{"command":"test"}')]
    finally:
        a.close()
        b.close()


async def test_a_device_reads_its_elders_areas_alerts_once_assigned_and_no_other(svc):
    provisioned = await svc.api.ProvisionDevice(
        pb.ProvisionDeviceRequest(
            provision_key="pk-smart-speaker", provision_secret="demo-smart-speaker-secret", serial="SPK-1"
        )
    )
    speaker = simulated(provisioned_dict(provisioned))
    s = Subscriber(speaker)
    village = "330411001001"  # the elder's (test_grpc's ELDER_HOME)
    try:
        assert s.subscribe(ALERT_TOPIC.format(area=village)) == [False], "no elder yet: no area"
        elder = await enrolled(svc)
        await svc.api.AssignDevice(
            pb.AssignDeviceRequest(device_id=speaker.id, elder_id=elder.id), metadata=svc.md(OPERATOR)
        )
        # The broker disconnects a client whose roles change; the device connects again, with its new rights.
        wait_until(lambda: not speaker.client.is_connected())
        speaker.close()
        speaker = simulated(provisioned_dict(provisioned))
        s = Subscriber(speaker)
        own = [ALERT_TOPIC.format(area=c) for c in ("330411", "330411001", village)]
        assert s.subscribe(*own) == [True] * 3
        assert s.subscribe(ALERT_TOPIC.format(area="330411001002"), ALERT_TOPIC.format(area="+")) == [False] * 2
        # and it may publish its own alert receipts, not another device's, and no alert
        alerts = connect(service_connection("alerts"))
        got: list[str] = []
        alerts.on_message = lambda client, userdata, msg: got.append(msg.topic)
        alerts.subscribe("sbc/alerts/receipts/+", qos=1)
        try:
            speaker.client.publish(f"sbc/alerts/receipts/{uuid.uuid4()}", b"{}", qos=1).wait_for_publish(5)
            speaker.client.publish(ALERT_TOPIC.format(area=village), b"{}", qos=1).wait_for_publish(5)
            speaker.client.publish(f"sbc/alerts/receipts/{speaker.id}", b"{}", qos=1).wait_for_publish(5)
            wait_until(lambda: got)
            assert got == [f"sbc/alerts/receipts/{speaker.id}"]
            assert s.got == [], "its own fake alert never came back to it"
        finally:
            alerts.loop_stop()
            alerts.disconnect()
    finally:
        speaker.close()


async def test_closing_a_devices_account_refuses_it_from_then_on(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    svc.servicer.accounts.close(button["device_id"])
    with pytest.raises(ConnectionRefusedError):
        simulated(button)


async def test_provisioning_while_the_brokers_accounts_do_not_answer_changes_nothing(grpc_service, database_url):
    wrong_admin = dataclasses.replace(admin_connection(), password="wrong")
    root = f"test-{uuid.uuid4().hex[:8]}.sbc/eldercare"
    refused = DynamicSecurity(wrong_admin, timeout=1)
    accounts = broker.BrokerAccounts(refused, root)
    running = await grpc_service(
        SERVICE, database_url, servicer=lambda ctx: EldercareServicer(ctx.db, Clock(), root, accounts)
    )
    api = eldercare_pb2_grpc.EldercareServiceStub(running.channel)
    request = pb.ProvisionDeviceRequest(
        provision_key="pk-smart-speaker", provision_secret="demo-smart-speaker-secret", serial="SPK-DOWN"
    )
    try:
        err = await rpc_error(api.ProvisionDevice(request))
        assert err.code().name == "UNAVAILABLE"
    finally:
        # The refused admin client would go on reconnecting (and logging its refusal) in later tests.
        refused.close()
    running.servicer.accounts = answering = broker.from_env(root)  # the broker answers again
    try:
        p = await api.ProvisionDevice(request)
        assert p.device_id and p.credential, "the device was not provisioned by the failed call"
        simulated(provisioned_dict(p)).close()
        answering.close(p.device_id)
    finally:
        answering.dynsec.close()


async def test_the_device_topics_are_the_alerts_services():
    import json
    from pathlib import Path

    channels = json.loads((Path(__file__).parents[2] / "alerts" / "data" / "channels.json").read_text())
    t = broker.topics()
    assert channels["mqtt_alert_topic"] in t["area_subscribes"]
    assert channels["mqtt_receipt_topic"] in t["device_publishes"]
    assert mqtt.topic_matches_sub(ALERT_TOPIC.format(area="+"), channels["mqtt_alert_topic"].format(area="330411"))


# --- rotating a credential and taking a device out of service, over gRPC, on the real broker ---


async def test_a_rotated_credential_is_the_only_one_the_broker_takes(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    connected = simulated(button)
    try:
        rotated = await svc.api.RotateDeviceCredential(
            pb.DeviceRequest(device_id=button["device_id"]), metadata=svc.md(OPERATOR)
        )
        assert rotated.device_id == button["device_id"] and rotated.credential not in ("", button["credential"])
        assert rotated.telemetry_topic == button["telemetry_topic"]
        # The broker disconnects the device's session with the old credential, and refuses it from then on.
        wait_until(lambda: not connected.client.is_connected())
    finally:
        connected.close()
    with pytest.raises(ConnectionRefusedError):
        connect(device_connection(button["device_id"], button["credential"]))
    renewed = simulated(provisioned_dict(rotated))
    try:
        assert renewed.client.is_connected()
        assert Subscriber(renewed).subscribe(commands_topic(svc, renewed.id)) == [True], "its rights are kept"
    finally:
        renewed.close()


async def test_rotating_a_device_that_never_connected_twice_then_deprovisioning_it_keeps_the_broker_up(svc):
    """The order of the account's commands (the client deleted before its role is replaced): the other
    order crashes Mosquitto 2.0 (eclipse-mosquitto/mosquitto#2660), which the e2e platform showed as
    every later provisioning call timing out."""
    elder = await enrolled(svc)
    button = await call_button(svc, elder)
    request = pb.DeviceRequest(device_id=button.device_id)
    await svc.api.RotateDeviceCredential(request, metadata=svc.md(OPERATOR))
    rotated = await svc.api.RotateDeviceCredential(request, metadata=svc.md(OPERATOR))
    simulated(provisioned_dict(rotated)).close()
    assert (await svc.api.DeprovisionDevice(request, metadata=svc.md(OPERATOR))).state == "deprovisioned"
    other = await call_button(svc, elder, "BTN-2")  # the broker still answers
    simulated(provisioned_dict(other)).close()


async def test_a_deprovisioned_device_is_refused_by_the_broker_and_never_provisions_again(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    gone = await svc.api.DeprovisionDevice(pb.DeviceRequest(device_id=button["device_id"]), metadata=svc.md(OPERATOR))
    assert gone.state == "deprovisioned"
    with pytest.raises(ConnectionRefusedError):
        simulated(button)
    # The profile's secret alone does not bring it back; nor is it rotated or deprovisioned twice.
    again = pb.ProvisionDeviceRequest(
        provision_key="pk-call-button", provision_secret="demo-call-button-secret", serial="BTN-1"
    )
    for call in (
        svc.api.ProvisionDevice(again),
        svc.api.RotateDeviceCredential(pb.DeviceRequest(device_id=button["device_id"]), metadata=svc.md(OPERATOR)),
        svc.api.DeprovisionDevice(pb.DeviceRequest(device_id=button["device_id"]), metadata=svc.md(OPERATOR)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.FAILED_PRECONDITION
    listed = await svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(OPERATOR))
    assert [(d.id, d.state) for d in listed.devices] == [(button["device_id"], "deprovisioned")]
    assert outbox_types(svc.db)[-1] == "sbc.eldercare.device.deprovisioned.v1"


async def test_only_the_areas_care_operator_rotates_or_deprovisions_and_bad_input_changes_nothing(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    device = pb.DeviceRequest(device_id=button["device_id"])
    refused = {
        grpc.StatusCode.PERMISSION_DENIED: [CAREGIVER, ELDER_HOME, SON],
        grpc.StatusCode.NOT_FOUND: [OTHER_OPERATOR],
    }
    for code, callers in refused.items():
        for who in callers:
            for call in (svc.api.RotateDeviceCredential, svc.api.DeprovisionDevice):
                assert (await rpc_error(call(device, metadata=svc.md(who)))).code() == code, (who, call)
    for bad, field in ((pb.DeviceRequest(), "device_id"), (pb.DeviceRequest(device_id="x" * 37), "device_id")):
        err = await rpc_error(svc.api.DeprovisionDevice(bad, metadata=svc.md(OPERATOR)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    err = await rpc_error(
        svc.api.DeprovisionDevice(pb.DeviceRequest(device_id=str(uuid.uuid4())), metadata=svc.md(OPERATOR))
    )
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert (await rpc_error(svc.api.DeprovisionDevice(device))).code() == grpc.StatusCode.UNAUTHENTICATED
    # Nothing changed: the device still connects with its credential.
    simulated(button).close()


async def test_while_the_brokers_accounts_do_not_answer_nothing_is_rotated_or_deprovisioned(svc):
    elder = await enrolled(svc)
    button = provisioned_dict(await call_button(svc, elder))
    answering = svc.servicer.accounts
    refused = DynamicSecurity(dataclasses.replace(admin_connection(), password="wrong"), timeout=1)
    svc.servicer.accounts = broker.BrokerAccounts(refused, svc.root)
    try:
        device = pb.DeviceRequest(device_id=button["device_id"])
        for call in (svc.api.RotateDeviceCredential, svc.api.DeprovisionDevice):
            assert (await rpc_error(call(device, metadata=svc.md(OPERATOR)))).code() == grpc.StatusCode.UNAVAILABLE
    finally:
        refused.close()
        svc.servicer.accounts = answering
    listed = await svc.api.ListDevices(pb.ListDevicesRequest(elder_id=elder.id), metadata=svc.md(OPERATOR))
    assert [d.state for d in listed.devices] == ["provisioned"]
    simulated(button).close()  # its credential still works
