"""Care orders over real gRPC on SQLite and PostgreSQL: family order a doctor's visit from one of
the kind's providers, due in working days (a Friday's order is due on Monday), the village's
caregiver accepts and completes it, the elder's household rates it 好差评 once; out-of-order steps,
callers who may not, and bad input each refused, changing nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import grpc
import pytest

from eldercare import store
from eldercare.tests.test_grpc import (
    CAREGIVER,
    ELDER_HOME,
    OTHER_CAREGIVER,
    SON,
    STRANGER,
    bound_family,
    count,
    enrolled,
    outbox_types,
    svc,  # noqa: F401 (the fixture)
)
from runtime.grpc_server import field_errors_of
from runtime.testing import department, rpc_error
from sbc.eldercare.v1 import eldercare_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]

TZ = ZoneInfo(store.care()["time_zone"])
FRIDAY = dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ).astimezone(dt.UTC)
MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ).astimezone(dt.UTC)
DOCTOR = store.order_rules().kinds["doctor_visit"].providers[0]


def order_request(elder: str, **kw) -> pb.CreateCareOrderRequest:
    fields = {"elder_id": elder, "kind": "doctor_visit", "details": "血压偏高，请医生上门", "provider": DOCTOR}
    return pb.CreateCareOrderRequest(**{**fields, **kw})


def rating(order_id: str, **kw) -> pb.RateCareOrderRequest:
    fields = {"id": order_id, "level": "very_satisfied", "indicators": {"overall": 5, "punctuality": 5}}
    return pb.RateCareOrderRequest(**{**fields, **kw})


async def test_family_order_a_doctors_visit_care_staff_do_it_and_the_household_rates_it(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    kinds = await svc.api.ListCareOrderKinds(pb.ListCareOrderKindsRequest(), metadata=svc.md(SON))
    assert {k.key for k in kinds.kinds} == {"doctor_visit", "transport", "meals", "housekeeping", "companionship"}
    svc.clock.at = FRIDAY
    o = await svc.api.CreateCareOrder(order_request(elder.id), metadata=svc.md(SON))
    assert (o.state, o.kind_name, o.provider, o.created_by) == ("requested", "上门问诊", DOCTOR, "hh-son")
    assert o.deadline.ToDatetime(dt.UTC) == MONDAY, "one working day after a Friday is Monday"
    for who in (ELDER_HOME, SON, CAREGIVER):
        listed = await svc.api.ListCareOrders(pb.ListCareOrdersRequest(elder_id=elder.id), metadata=svc.md(who))
        assert [x.id for x in listed.orders] == [o.id]
    for who in (STRANGER, OTHER_CAREGIVER, department()):
        assert not (await svc.api.ListCareOrders(pb.ListCareOrdersRequest(), metadata=svc.md(who))).orders
        for call in (
            svc.api.ListCareOrders(pb.ListCareOrdersRequest(elder_id=elder.id), metadata=svc.md(who)),
            svc.api.AcceptCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(who)),
            svc.api.CancelCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(who)),
        ):
            assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    # out of order: done before accepted, rated before done; family may not accept
    err = await rpc_error(
        svc.api.CompleteCareOrder(pb.CompleteCareOrderRequest(id=o.id, note="已上门"), metadata=svc.md(CAREGIVER))
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    err = await rpc_error(svc.api.RateCareOrder(rating(o.id), metadata=svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    err = await rpc_error(svc.api.AcceptCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(SON)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    svc.clock.at = MONDAY
    overdue = (await svc.api.ListCareOrders(pb.ListCareOrdersRequest(), metadata=svc.md(CAREGIVER))).orders[0]
    assert overdue.overdue, "not done by its deadline"
    accepted = await svc.api.AcceptCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(CAREGIVER))
    assert (accepted.state, accepted.accepted_by) == ("accepted", "cg-1")
    done = await svc.api.CompleteCareOrder(
        pb.CompleteCareOrderRequest(id=o.id, note="医生已上门，血压 150/90，已调整用药"), metadata=svc.md(CAREGIVER)
    )
    assert (done.state, done.done_by, done.overdue) == ("done", "cg-1", False)
    err = await rpc_error(svc.api.CancelCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(SON)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "done: it cannot be cancelled"
    err = await rpc_error(svc.api.RateCareOrder(rating(o.id), metadata=svc.md(CAREGIVER)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, "the household rates, not the staff"
    rated = await svc.api.RateCareOrder(
        rating(o.id, level="dissatisfied", reasons=["没有按时上门"], comment="晚到了半天"), metadata=svc.md(ELDER_HOME)
    )
    assert (rated.rating_level, list(rated.rating_reasons), dict(rated.rating_indicators)) == (
        "dissatisfied",
        ["没有按时上门"],
        {"overall": 5, "punctuality": 5},
    )
    err = await rpc_error(svc.api.RateCareOrder(rating(o.id), metadata=svc.md(SON)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, "one rating per order"
    states = [t for t in outbox_types(svc.db) if t == "sbc.eldercare.care_order.changed.v1"]
    assert len(states) == 4, "requested, accepted, done, rated"

    # the elder's own household does not order; a family member cancels one still requested
    err = await rpc_error(svc.api.CreateCareOrder(order_request(elder.id, kind="meals"), metadata=svc.md(ELDER_HOME)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    meals = store.order_rules().kinds["meals"].providers[0]
    m = await svc.api.CreateCareOrder(order_request(elder.id, kind="meals", provider=meals), metadata=svc.md(CAREGIVER))
    cancelled = await svc.api.CancelCareOrder(pb.CareOrderRequest(id=m.id), metadata=svc.md(SON))
    assert cancelled.state == "cancelled"
    err = await rpc_error(svc.api.AcceptCareOrder(pb.CareOrderRequest(id=m.id), metadata=svc.md(CAREGIVER)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_bad_care_orders_are_refused_naming_the_field_and_change_nothing(svc):
    elder = await enrolled(svc)
    await bound_family(svc, elder)
    for kw, code, field in (
        ({"elder_id": ""}, grpc.StatusCode.INVALID_ARGUMENT, "elder_id"),
        ({"kind": "massage"}, grpc.StatusCode.INVALID_ARGUMENT, "kind"),
        ({"provider": ""}, grpc.StatusCode.INVALID_ARGUMENT, "provider"),
        ({"provider": "某公司"}, grpc.StatusCode.NOT_FOUND, "provider"),
        ({"details": "x" * 501}, grpc.StatusCode.INVALID_ARGUMENT, "details"),
        ({"details": "a\x00"}, grpc.StatusCode.INVALID_ARGUMENT, "details"),
    ):
        err = await rpc_error(svc.api.CreateCareOrder(order_request(elder.id, **kw), metadata=svc.md(SON)))
        assert err.code() == code and field in field_errors_of(err), kw
    assert count(svc.db, store.care_orders) == 0
    o = await svc.api.CreateCareOrder(order_request(elder.id), metadata=svc.md(SON))
    await svc.api.AcceptCareOrder(pb.CareOrderRequest(id=o.id), metadata=svc.md(CAREGIVER))
    err = await rpc_error(
        svc.api.CompleteCareOrder(pb.CompleteCareOrderRequest(id=o.id, note=""), metadata=svc.md(CAREGIVER))
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and "note" in field_errors_of(err)
    await svc.api.CompleteCareOrder(pb.CompleteCareOrderRequest(id=o.id, note="已完成"), metadata=svc.md(CAREGIVER))
    for kw, field in (
        ({"level": "great"}, "level"),
        ({"indicators": {"speed": 5}}, "indicators"),
        ({"indicators": {"overall": 6}}, "indicators"),
        ({"reasons": ["不知道"]}, "reasons"),
        ({"comment": "x" * 501}, "comment"),
    ):
        err = await rpc_error(svc.api.RateCareOrder(rating(o.id, **kw), metadata=svc.md(ELDER_HOME)))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err), kw
    for call, field in (
        (svc.api.ListCareOrders(pb.ListCareOrdersRequest(state="lost"), metadata=svc.md(SON)), "state"),
        (svc.api.ListCareOrders(pb.ListCareOrdersRequest(limit=201), metadata=svc.md(SON)), "limit"),
        (svc.api.AcceptCareOrder(pb.CareOrderRequest(id=""), metadata=svc.md(CAREGIVER)), "id"),
    ):
        err = await rpc_error(call)
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT and field in field_errors_of(err)
    [still] = (await svc.api.ListCareOrders(pb.ListCareOrdersRequest(), metadata=svc.md(SON))).orders
    assert (still.state, still.rating_level) == ("done", ""), "nothing changed"
    assert (
        await rpc_error(svc.api.ListCareOrders(pb.ListCareOrdersRequest()))
    ).code() == grpc.StatusCode.UNAUTHENTICATED
