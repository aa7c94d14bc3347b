"""Evaluation over real gRPC: its own server (the runtime's, with the interceptor, token checks and
error mapping of production) on SQLite and PostgreSQL, with tokens minted by the runtime's test
plugin, through the proto's calls, good and bad input."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import func, select

from evaluation import store
from evaluation.service import SERVICE
from runtime.grpc_server import field_errors_of
from runtime.outbox import outbox_table
from runtime.testing import household, rpc_error, staff
from sbc.common.v1 import common_pb2
from sbc.evaluation.v1 import evaluation_pb2 as pb
from sbc.evaluation.v1 import evaluation_pb2_grpc

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
async def svc(grpc_service, database_url):
    running = await grpc_service(SERVICE, database_url)
    running.api = running.stub(evaluation_pb2_grpc.EvaluationServiceStub)
    return running


def outbox_types(db) -> list[str]:
    t = outbox_table()
    with db.transaction() as s:
        return [r.event_type for r in s.execute(select(t).order_by(t.c.seq))]


def item_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(store.items))


async def test_a_household_files_reads_lists_and_closes_its_item(svc):
    home = household("hh-a")
    made = await svc.api.CreateItem(pb.CreateItemRequest(title="第一件事", idempotency_key="k1"), metadata=svc.md(home))
    assert made.id and made.household_id == "hh-a" and made.state == "open" and made.created_at.seconds
    assert await svc.api.GetItem(pb.GetItemRequest(id=made.id), metadata=svc.md(home)) == made
    listed = await svc.api.ListMyItems(pb.ListMyItemsRequest(), metadata=svc.md(household("hh-a")))
    assert [i.id for i in listed.items] == [made.id] and listed.page.next_page_token == ""
    closed = await svc.api.CloseItem(pb.CloseItemRequest(id=made.id), metadata=svc.md(home))
    assert closed.state == "closed" and closed.closed_at.seconds
    # Each change and its event were written in one transaction.
    assert outbox_types(svc.db) == ["sbc.evaluation.item.created.v1", "sbc.evaluation.item.closed.v1"]


async def test_the_same_idempotency_key_returns_the_same_item(svc):
    home = household("hh-a")
    first = await svc.api.CreateItem(pb.CreateItemRequest(title="x", idempotency_key="k1"), metadata=svc.md(home))
    again = await svc.api.CreateItem(pb.CreateItemRequest(title="x", idempotency_key="k1"), metadata=svc.md(home))
    assert again == first and item_count(svc.db) == 1 and len(outbox_types(svc.db)) == 1
    err = await rpc_error(
        svc.api.CreateItem(pb.CreateItemRequest(title="other", idempotency_key="k1"), metadata=svc.md(home))
    )
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS and "idempotency_key" in field_errors_of(err)


async def test_pages_come_newest_first_each_once(svc):
    home = household("hh-a")
    made = [
        await svc.api.CreateItem(pb.CreateItemRequest(title=f"#{i}", idempotency_key=f"k{i}"), metadata=svc.md(home))
        for i in range(5)
    ]
    seen, token = [], ""
    while True:
        page = await svc.api.ListMyItems(
            pb.ListMyItemsRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)), metadata=svc.md(home)
        )
        seen += [i.id for i in page.items]
        token = page.page.next_page_token
        if not token:
            break
    assert seen == [i.id for i in reversed(made)]


@pytest.mark.parametrize(
    "request_, field",
    [
        (pb.CreateItemRequest(title="", idempotency_key="k"), "title"),  # missing
        (pb.CreateItemRequest(title="x" * 201, idempotency_key="k"), "title"),  # oversized
        (pb.CreateItemRequest(title="a\x00b", idempotency_key="k"), "title"),  # malformed
        (pb.CreateItemRequest(title="x", idempotency_key=""), "idempotency_key"),
    ],
)
async def test_bad_input_is_invalid_argument_naming_the_field_and_changes_nothing(svc, request_, field):
    err = await rpc_error(svc.api.CreateItem(request_, metadata=svc.md(household())))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    assert item_count(svc.db) == 0 and outbox_types(svc.db) == []


async def test_who_may_call_what(svc):
    home = household("hh-a")
    made = await svc.api.CreateItem(pb.CreateItemRequest(title="x", idempotency_key="k"), metadata=svc.md(home))
    # no token, or a bad one
    assert (await rpc_error(svc.api.GetItem(pb.GetItemRequest(id=made.id)))).code() == grpc.StatusCode.UNAUTHENTICATED
    bad = [("authorization", "Bearer not-a-token")]
    err = await rpc_error(svc.api.GetItem(pb.GetItemRequest(id=made.id), metadata=bad))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    # staff file nothing; another household sees nothing of it
    err = await rpc_error(
        svc.api.CreateItem(pb.CreateItemRequest(title="x", idempotency_key="k"), metadata=svc.md(staff()))
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    other = household("hh-b")
    for call in (
        svc.api.GetItem(pb.GetItemRequest(id=made.id), metadata=svc.md(other)),
        svc.api.CloseItem(pb.CloseItemRequest(id=made.id), metadata=svc.md(other)),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    assert not (await svc.api.ListMyItems(pb.ListMyItemsRequest(), metadata=svc.md(other))).items


async def test_out_of_order_calls_are_refused_and_change_nothing(svc):
    home = household("hh-a")
    made = await svc.api.CreateItem(pb.CreateItemRequest(title="x", idempotency_key="k"), metadata=svc.md(home))
    await svc.api.CloseItem(pb.CloseItemRequest(id=made.id), metadata=svc.md(home))
    err = await rpc_error(svc.api.CloseItem(pb.CloseItemRequest(id=made.id), metadata=svc.md(home)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert len(outbox_types(svc.db)) == 2, "the refused close wrote no event"
    for bad_id in ("", "x" * 37):
        err = await rpc_error(svc.api.GetItem(pb.GetItemRequest(id=bad_id), metadata=svc.md(home)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
