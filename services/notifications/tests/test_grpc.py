"""Notifications over real gRPC and its consumer: its own server, started by the runtime's test
plugin from its declaration on SQLite and PostgreSQL, with tokens the plugin mints; the service
desk's events applied as its consumer applies them (once each, in one transaction with the event
id), and the push messages they make, on the outbox and in ListMyPushMessages."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest
from sqlalchemy import func, select

from notifications import events, store
from notifications.service import SERVICE
from runtime.consumer import Consumer
from runtime.events import Event
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import department, household, rpc_error, staff
from sbc.common.v1 import common_pb2
from sbc.events.v1 import notification_events_pb2, servicedesk_events_pb2
from sbc.notifications.v1 import notifications_pb2 as pb
from sbc.notifications.v1 import notifications_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

HOME = household("hh-zhang")


@pytest.fixture
async def svc(grpc_service, database_url):
    running = await grpc_service(SERVICE, database_url)
    running.api = running.stub(notifications_pb2_grpc.NotificationServiceStub)
    running.consumer = Consumer(running.db, "", "notifications-consumer", [], events.HANDLERS)
    return running


def submitted(household_id: str = HOME.household_id, ref: str = "SR-20261129-000042", service_type="installation"):
    m = servicedesk_events_pb2.ServiceRequestSubmitted(
        request_id="req-1", reference_number=ref, household_id=household_id, service_type=service_type
    )
    return Event.new(m, type=events.REQUEST_SUBMITTED, source="sbc/servicedesk", subject="req-1")


def transitioned(to_state: str, reason: str = "", household_id: str = HOME.household_id):
    m = servicedesk_events_pb2.ServiceRequestTransitioned(
        request_id="req-1",
        reference_number="SR-20261129-000042",
        household_id=household_id,
        service_type="fault_repair_general",
        from_state="accepted",
        to_state=to_state,
        reason=reason,
    )
    return Event.new(m, type=events.REQUEST_TRANSITIONED, source="sbc/servicedesk", subject="req-1")


def outbox_rows(db) -> list:
    t = outbox_table()
    with db.transaction() as s:
        return list(s.execute(select(t).order_by(t.c.seq)))


def message_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.push_messages))


async def mine(svc, caller=HOME, **page) -> pb.ListMyPushMessagesResponse:
    return await svc.api.ListMyPushMessages(
        pb.ListMyPushMessagesRequest(page=common_pb2.PageRequest(**page)), metadata=svc.md(caller)
    )


async def test_a_filed_request_is_pushed_to_the_household_once_and_listed(svc):
    event = submitted()
    assert svc.consumer.apply(event)
    assert not svc.consumer.apply(event), "an event delivered again is applied once"

    [message] = (await mine(svc)).messages
    assert (message.household_id, message.device_id, message.kind) == (
        HOME.household_id,
        "",
        "service_request.received",
    )
    assert "新装开户" in message.title and "SR-20261129-000042" in message.body
    assert message.cause_event_id == event.id and message.id
    created = message.created_at.ToDatetime(tzinfo=dt.UTC)
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=1)

    # In the same transaction: the push event the gateway streams, with the same payload.
    [row] = outbox_rows(svc.db)
    assert (row.topic, row.event_type, row.source) == (events.PUSH_TOPIC, events.PUSH, events.SOURCE)
    assert row.topic == "sbc.notifications.push.v1" and row.key == HOME.household_id == row.subject
    pushed = notification_events_pb2.PushMessage()
    pushed.ParseFromString(row.payload)
    assert pushed == message


async def test_the_household_hears_only_the_steps_meant_for_it(svc):
    for step in ("accepted", "dispatched", "on_site", "resolved"):
        svc.consumer.apply(transitioned(step))
    svc.consumer.apply(transitioned("rejected", reason="不在服务范围"))
    kinds = [m.kind for m in (await mine(svc)).messages]
    assert kinds == ["service_request.rejected", "service_request.resolved", "service_request.dispatched"]
    assert "不在服务范围" in (await mine(svc)).messages[0].body
    assert [r.event_type for r in outbox_rows(svc.db)] == [events.PUSH] * 3
    # An event of a type it does not consume is recorded as seen, and changes nothing.
    other = Event.new(
        servicedesk_events_pb2.ServiceRequestSubmitted(), type="sbc.other.v1", source="sbc/x", subject="x"
    )
    assert svc.consumer.apply(other)
    assert message_count(svc.db) == 3


async def test_pages_come_newest_first_each_once(svc):
    made = [submitted(ref=f"SR-20261129-{i:06d}") for i in range(5)]
    for event in made:
        svc.consumer.apply(event)
    seen, token = [], ""
    while True:
        page = await mine(svc, page_size=2, page_token=token)
        assert len(page.messages) <= 2
        seen += [m.cause_event_id for m in page.messages]
        token = page.page.next_page_token
        if not token:
            break
    assert seen == [e.id for e in reversed(made)]
    assert [m.cause_event_id for m in (await mine(svc)).messages] == seen


async def test_each_household_sees_its_own_messages_only(svc):
    svc.consumer.apply(submitted(household_id="hh-li"))
    assert not (await mine(svc)).messages
    assert [m.household_id for m in (await mine(svc, household("hh-li"))).messages] == ["hh-li"]
    assert not (await mine(svc, staff("technician"))).messages, "staff list only what is addressed to them"
    err = await rpc_error(mine(svc, department()))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(svc.api.ListMyPushMessages(pb.ListMyPushMessagesRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize(
    "page, field",
    [({"page_token": "not-a-token"}, "page.page_token"), ({"page_size": 101}, "page.page_size")],
)
async def test_a_bad_page_is_invalid_argument_naming_the_field(svc, page, field):
    err = await rpc_error(mine(svc, **page))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)


async def test_a_handler_that_fails_after_writing_leaves_nothing_behind(svc, monkeypatch):
    commit = store.UnitOfWork.commit

    def commit_then_fail(uow):
        commit(uow)  # the message and its push event are written into the consumer's transaction
        raise RuntimeError("the database went away")

    monkeypatch.setattr(store.UnitOfWork, "commit", commit_then_fail)
    event = submitted()
    with pytest.raises(RuntimeError):
        svc.consumer.apply(event)
    assert message_count(svc.db) == 0 and outbox_rows(svc.db) == []
    monkeypatch.undo()
    assert svc.consumer.apply(event), "not recorded as applied: it is applied when it comes again"
    assert message_count(svc.db) == 1 and len(outbox_rows(svc.db)) == 1


# --- the household's preferences (simple mode) ---


async def test_simple_mode_is_unset_until_the_household_chooses_then_kept_for_it_alone(svc):
    prefs = await svc.api.GetMyPreferences(pb.GetMyPreferencesRequest(), metadata=svc.md(HOME))
    assert prefs.household_id == HOME.household_id and not prefs.HasField("simple_mode")
    assert not prefs.HasField("updated_at")

    chosen = await svc.api.SetMyPreferences(pb.SetMyPreferencesRequest(simple_mode=True), metadata=svc.md(HOME))
    assert chosen.HasField("simple_mode") and chosen.simple_mode and chosen.HasField("updated_at")
    again = await svc.api.GetMyPreferences(pb.GetMyPreferencesRequest(), metadata=svc.md(HOME))
    assert again.simple_mode is True and again.updated_at == chosen.updated_at

    off = await svc.api.SetMyPreferences(pb.SetMyPreferencesRequest(simple_mode=False), metadata=svc.md(HOME))
    assert off.HasField("simple_mode") and off.simple_mode is False
    read = await svc.api.GetMyPreferences(pb.GetMyPreferencesRequest(), metadata=svc.md(HOME))
    assert read.HasField("simple_mode") and read.simple_mode is False

    other = await svc.api.GetMyPreferences(pb.GetMyPreferencesRequest(), metadata=svc.md(household("hh-li")))
    assert not other.HasField("simple_mode"), "another household's choice is its own"


async def test_only_a_household_has_preferences(svc):
    for call, request in (
        (svc.api.GetMyPreferences, pb.GetMyPreferencesRequest()),
        (svc.api.SetMyPreferences, pb.SetMyPreferencesRequest(simple_mode=True)),
    ):
        err = await rpc_error(call(request, metadata=svc.md(staff("technician"))))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
        err = await rpc_error(call(request))
        assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    with svc.db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(store.household_preferences)) == 0
