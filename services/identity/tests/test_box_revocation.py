"""The operator's staff revoke a stolen box, over real gRPC (the `identity` server of test_grpc.py,
on SQLite and PostgreSQL): only staff with the role device_manager, only in their area, with a
reason; the box's refresh token stops at once, its access tokens are listed as revoked for the
gateway, and DeviceRevoked is written to the outbox (and relayed to Kafka). Bad input changes
nothing."""

from __future__ import annotations

import time
import uuid

import grpc
import pytest

from identity import events, handlers
from identity.store import UnitOfWork
from identity.tests.test_devices import auth, refresh, revocations
from identity.tests.test_grpc import KNOWN_ROLES, LI, ZHANG, identity, oauth_error, outbox_events  # noqa: F401
from runtime import kafka_clients
from runtime.events import Event
from runtime.grpc_server import field_errors_of
from runtime.outbox import Relay
from runtime.testing import rpc_error
from sbc.events.v1 import identity_events_pb2
from sbc.identity.v1 import identity_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

# ZHANG lives in 王江泾镇 (330411101...), LI in 洪合镇 (330411105...).
STAFF = {
    "staff": [
        {"username": "boxes.wjj", "name": "王江泾 机顶盒管理员", "password": "pass-boxes", "roles": ["device_manager"],
         "area_code": "330411101"},
        {"username": "boxes.all", "name": "区 机顶盒管理员", "password": "pass-boxes", "roles": ["device_manager"],
         "area_code": "330411"},
    ]
}  # fmt: skip


async def staff_token(identity, username: str, password: str = "pass-boxes") -> str:
    handlers.load_seed(UnitOfWork(identity.db), STAFF, KNOWN_ROLES)
    r = await identity.stub.StaffToken(pb.StaffTokenRequest(username=username, password=password))
    return r.access_token


def revoke(identity, token: str | None, device_id: str, reason: str = "机顶盒被盗，用户电话报失"):
    return identity.stub.RevokeDevice(
        pb.RevokeDeviceRequest(device_id=device_id, reason=reason), metadata=auth(token) if token else None
    )


def outbox_messages(db, event_type: str, message_class):
    """The outbox's events of one type, decoded, in order."""
    out = []
    for row in outbox_events(db):
        if row.event_type == event_type:
            m = message_class()
            m.ParseFromString(row.payload)
            out.append(m)
    return out


def revoked_events(db) -> list[identity_events_pb2.DeviceRevoked]:
    return outbox_messages(db, events.DEVICE_REVOKED, identity_events_pb2.DeviceRevoked)


async def test_staff_of_the_area_revoke_a_stolen_box_and_the_revocation_is_announced(identity):
    verify = (await identity.verifier()).verify
    stolen = await identity.sign_in_box(ZHANG)
    kept = await identity.sign_in_box(ZHANG)
    stolen_id = verify(stolen.access_token).device_id
    manager = await staff_token(identity, "boxes.wjj")

    listed = await identity.stub.ListHouseholdDevices(
        pb.ListHouseholdDevicesRequest(household_id=ZHANG["id"]), metadata=auth(manager)
    )
    assert stolen_id in [d.id for d in listed.devices]

    await revoke(identity, manager, stolen_id)
    assert f"device:{stolen_id}" in await revocations(identity)
    assert oauth_error(await rpc_error(refresh(identity, stolen.refresh_token))) == "invalid_grant"
    listed = await identity.stub.ListHouseholdDevices(
        pb.ListHouseholdDevicesRequest(household_id=ZHANG["id"]), metadata=auth(manager)
    )
    assert stolen_id not in [d.id for d in listed.devices]
    [event] = revoked_events(identity.db)
    staff_subject = verify(manager).subject
    assert (event.device_id, event.household_id, event.area_code) == (stolen_id, ZHANG["id"], ZHANG["area_code"])
    assert event.revoked_by == staff_subject and event.reason == "机顶盒被盗，用户电话报失"
    # Again: it was removed already, and nothing more is announced.
    err = await rpc_error(revoke(identity, manager, stolen_id))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION and "device_id" in field_errors_of(err)
    assert len(revoked_events(identity.db)) == 1
    # The household's other box is untouched.
    assert (await refresh(identity, kept.refresh_token)).access_token


async def test_a_household_revoking_its_box_is_announced_too(identity):
    verify = (await identity.verifier()).verify
    stolen, kept = await identity.sign_in_box(ZHANG), await identity.sign_in_box(ZHANG)
    stolen_id = verify(stolen.access_token).device_id
    await revoke(identity, kept.access_token, stolen_id, reason="")
    [event] = revoked_events(identity.db)
    assert event.device_id == stolen_id and event.revoked_by == verify(kept.access_token).subject


async def test_who_may_not_revoke_a_box_changes_nothing(identity):
    verify = (await identity.verifier()).verify
    box = await identity.sign_in_box(LI)  # 洪合镇: outside 王江泾's staff area
    box_id = verify(box.access_token).device_id
    outside = await staff_token(identity, "boxes.wjj")
    technician = (
        await identity.stub.StaffToken(pb.StaffTokenRequest(username="tech", password="pass-tech"))
    ).access_token

    refused = {
        "staff of another area": (revoke(identity, outside, box_id), grpc.StatusCode.PERMISSION_DENIED),
        "staff without the role": (revoke(identity, technician, box_id), grpc.StatusCode.PERMISSION_DENIED),
        "no token": (revoke(identity, None, box_id), grpc.StatusCode.UNAUTHENTICATED),
        "another household": (
            revoke(identity, await identity.sign_in(ZHANG), box_id),
            grpc.StatusCode.NOT_FOUND,
        ),
        "list, another area": (
            identity.stub.ListHouseholdDevices(
                pb.ListHouseholdDevicesRequest(household_id=LI["id"]), metadata=auth(outside)
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        ),
        "list, a household": (
            identity.stub.ListHouseholdDevices(
                pb.ListHouseholdDevicesRequest(household_id=LI["id"]), metadata=auth(box.access_token)
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        ),
        "list, without the role": (
            identity.stub.ListHouseholdDevices(
                pb.ListHouseholdDevicesRequest(household_id=ZHANG["id"]), metadata=auth(technician)
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        ),
    }
    for what, (call, code) in refused.items():
        assert (await rpc_error(call)).code() == code, what
    assert f"device:{box_id}" not in await revocations(identity)
    assert revoked_events(identity.db) == []
    assert (await refresh(identity, box.refresh_token)).access_token


async def test_bad_revocation_input_is_a_clear_error_and_changes_nothing(identity):
    verify = (await identity.verifier()).verify
    box = await identity.sign_in_box(ZHANG)
    box_id = verify(box.access_token).device_id
    manager = await staff_token(identity, "boxes.all")
    cases = {
        "no reason from staff": (revoke(identity, manager, box_id, reason=""), "reason"),
        "reason too long": (revoke(identity, manager, box_id, reason="被盗" * 101), "reason"),
        "reason with a control character": (revoke(identity, manager, box_id, reason="被盗\x00"), "reason"),
        "no device id": (revoke(identity, manager, ""), "device_id"),
        "device id too long": (revoke(identity, manager, "x" * 201), "device_id"),
        "no household id": (
            identity.stub.ListHouseholdDevices(pb.ListHouseholdDevicesRequest(), metadata=auth(manager)),
            "household_id",
        ),
        "household id too long": (
            identity.stub.ListHouseholdDevices(
                pb.ListHouseholdDevicesRequest(household_id="h" * 37), metadata=auth(manager)
            ),
            "household_id",
        ),
    }
    for what, (call, field) in cases.items():
        err = await rpc_error(call)
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), what
    for call in (
        revoke(identity, manager, str(uuid.uuid4())),
        identity.stub.ListHouseholdDevices(
            pb.ListHouseholdDevicesRequest(household_id="no-such"), metadata=auth(manager)
        ),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    assert f"device:{box_id}" not in await revocations(identity)
    assert revoked_events(identity.db) == []


async def test_the_relay_publishes_device_revoked_to_kafka(identity, new_topic, kafka_bootstrap, monkeypatch):
    prefix = f"test-{uuid.uuid4().hex[:8]}."
    topic = new_topic(name=prefix + events.DEVICES_TOPIC)
    monkeypatch.setenv("KAFKA_PREFIX", prefix)
    box = await identity.sign_in_box(ZHANG)
    device_id = (await identity.verifier()).verify(box.access_token).device_id
    await revoke(identity, await staff_token(identity, "boxes.all"), device_id)
    relay = Relay(identity.db, kafka_bootstrap)
    try:
        assert relay.run_once() == 2  # registered, then revoked
    finally:
        relay._close_producer()
    c = kafka_clients.consumer(kafka_bootstrap, topic, group_id=None, auto_offset_reset="earliest")
    records, deadline = [], time.monotonic() + 30
    try:
        while len(records) < 2 and time.monotonic() < deadline:
            for batch in c.poll(timeout_ms=500).values():
                records.extend(batch)
    finally:
        c.close()
    registered, revoked = (Event.from_headers(r.headers, r.value) for r in records)
    assert registered.type == events.DEVICE_REGISTERED and revoked.type == events.DEVICE_REVOKED
    assert records[1].key == device_id.encode()
    m = identity_events_pb2.DeviceRevoked()
    m.ParseFromString(records[1].value)
    assert m.device_id == device_id and m.household_id == ZHANG["id"]
