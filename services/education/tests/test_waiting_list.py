"""Cancelling a field-class sign-up and the waiting list over real gRPC on SQLite and PostgreSQL
(services/rules/booking.py: check_cancel, next_offers): a full class puts a member who asks on its
waiting list; a cancellation offers the freed place to the first waiting, who takes it by signing
up again, never over capacity; the offer lapses after the policy's time; cancelling is refused
after the deadline, for someone without a place, or by anyone but a household."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest

from education.tests.test_classroom_grpc import CLASS_AT, VILLAGE, episode, plan
from runtime.testing import household, rpc_error
from sbc.education.v1 import education_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


def sign_up(svc, caller, session_id, member="爷爷", wait=False):
    r = pb.SignUpRequest(session_id=session_id, member=member, wait=wait)
    return svc.api.SignUp(r, metadata=svc.md(caller))


def cancel(svc, caller, session_id, member="爷爷"):
    return svc.api.CancelSignUp(pb.CancelSignUpRequest(session_id=session_id, member=member), metadata=svc.md(caller))


async def places_left(svc, who, session_id) -> int:
    listed = await svc.api.ListSessions(pb.ListSessionsRequest(), metadata=svc.md(who.home))
    return next(s.places_left for s in listed.sessions if s.id == session_id)


async def test_a_cancelled_place_goes_to_the_first_waiting_who_takes_it(svc, who):
    session = await plan(svc, who, await episode(svc, who), capacity=2)
    a, b, c, d = (household(f"hh-wait-{x}", area_code=VILLAGE) for x in "abcd")
    await sign_up(svc, a, session.id)
    await sign_up(svc, b, session.id)
    e = await rpc_error(sign_up(svc, c, session.id))
    assert e.code() == grpc.StatusCode.FAILED_PRECONDITION, "full, and not asked to wait"
    assert (await sign_up(svc, c, session.id, wait=True)).state == "waiting"
    svc.clock.move(minutes=1)
    assert (await sign_up(svc, d, session.id, wait=True)).state == "waiting"
    e = await rpc_error(sign_up(svc, d, session.id, wait=True))
    assert e.code() == grpc.StatusCode.ALREADY_EXISTS, "waiting already"
    assert await places_left(svc, who, session.id) == 0

    done = await cancel(svc, a, session.id)
    assert (done.cancelled.state, done.offered) == ("cancelled", 1)
    assert await places_left(svc, who, session.id) == 0, "the offered place is kept for c"
    e = await rpc_error(sign_up(svc, d, session.id))
    assert e.code() == grpc.StatusCode.ALREADY_EXISTS, "d still waits: the place is c's"
    assert (await sign_up(svc, c, session.id)).state == "confirmed", "c takes the offered place"
    e = await rpc_error(cancel(svc, a, session.id))
    assert e.code() == grpc.StatusCode.FAILED_PRECONDITION, "cancelled already"

    # b cancels; d's offer lapses after the policy's offer time (120 minutes), unused.
    assert (await cancel(svc, b, session.id)).offered == 1
    svc.clock.move(minutes=121)
    assert await places_left(svc, who, session.id) == 1
    taken = await sign_up(svc, a, session.id)  # a signs up again: the lapsed offer's place is free
    assert taken.state == "confirmed" and await places_left(svc, who, session.id) == 0


async def test_cancelling_is_refused_after_the_deadline_without_a_place_or_for_staff(svc, who):
    session = await plan(svc, who, await episode(svc, who), capacity=3)
    home = household("hh-cancel", area_code=VILLAGE)
    await sign_up(svc, home, session.id)
    for caller, member, code in [
        (household("hh-none", area_code=VILLAGE), "爷爷", grpc.StatusCode.FAILED_PRECONDITION),
        (home, "奶奶", grpc.StatusCode.FAILED_PRECONDITION),
        (home, "", grpc.StatusCode.INVALID_ARGUMENT),
        (home, "x" * 41, grpc.StatusCode.INVALID_ARGUMENT),
        (who.editor, "爷爷", grpc.StatusCode.PERMISSION_DENIED),
    ]:
        e = await rpc_error(cancel(svc, caller, session.id, member))
        assert e.code() == code, (member, e.details())
    e = await rpc_error(cancel(svc, home, "no-such-session"))
    assert e.code() == grpc.StatusCode.NOT_FOUND
    svc.clock.at = CLASS_AT - dt.timedelta(minutes=59)  # the deadline: 60 minutes before
    e = await rpc_error(cancel(svc, home, session.id))
    assert e.code() == grpc.StatusCode.FAILED_PRECONDITION and "cancel" in e.details()
    assert await places_left(svc, who, session.id) == 2, "nothing changed"
