"""A department's queue as a server stream (DepartmentService.WatchQueue) over real gRPC, on SQLite
and PostgreSQL: what is in its queue first, then each new application for its items as it is
submitted, a reconnection from its cursor missing nothing, and the refusals."""

from __future__ import annotations

import asyncio

import grpc
import pytest

from egov.tests.test_grpc import PENSION, RELIEF, add, counts, submitted
from runtime.grpc_server import field_errors_of
from sbc.egov.v1 import egov_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]
WAIT = 5.0  # seconds an entry may take to arrive: a deadline, not a sleep


async def entries(call, n: int) -> list[pb.QueueEntry]:
    """The next n entries of an open stream (the test fails if they do not come in time)."""
    return [await asyncio.wait_for(call.read(), WAIT) for _ in range(n)]


async def nothing_more(call) -> None:
    """No entry comes in a short while (an entry that should not be sent would come at once)."""
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(call.read()), 0.3)


async def test_a_department_gets_its_queue_then_each_new_application_and_resumes_from_its_cursor(svc, who):
    first = await submitted(svc, who.home, RELIEF, key="k1")
    pension = await submitted(svc, who.home, PENSION, key="k2")  # social security's, not civil affairs'
    watch = svc.dept.WatchQueue(pb.WatchQueueRequest(), metadata=svc.md(who.civil))
    [queued] = await entries(watch, 1)
    assert (queued.action, queued.application.id, queued.application.state) == ("queued", first.id, "submitted")

    second = await submitted(svc, who.neighbour, RELIEF, key="k3")
    [arrived] = await entries(watch, 1)
    assert (arrived.action, arrived.application.id) == ("submitted", second.id)
    assert int(arrived.cursor) > int(queued.cursor)
    await nothing_more(watch)
    watch.cancel()

    # While the department is away: a new application, and one resubmitted after a correction.
    third = await submitted(svc, who.home, RELIEF, key="k4")
    await svc.dept.ReturnForCorrection(
        pb.ReturnForCorrectionRequest(id=second.id, reason="补充票据", missing_materials=["hardship_proof"]),
        metadata=svc.md(who.civil),
    )
    svc.clock.move(minutes=5)
    await add(svc, who.neighbour, second.id, "hardship_proof")
    await svc.api.SubmitApplication(pb.ApplicationRef(id=second.id), metadata=svc.md(who.neighbour))

    again = svc.dept.WatchQueue(pb.WatchQueueRequest(after=arrived.cursor), metadata=svc.md(who.civil))
    missed = await entries(again, 2)
    assert [(e.action, e.application.id) for e in missed] == [("submitted", third.id), ("resubmitted", second.id)]
    await nothing_more(again)
    again.cancel()

    # Social security's stream has its own application only, and none of civil affairs' after it.
    theirs = svc.dept.WatchQueue(pb.WatchQueueRequest(), metadata=svc.md(who.hrss))
    [only] = await entries(theirs, 1)
    assert only.application.id == pension.id
    await submitted(svc, who.elsewhere, RELIEF, key="k5")  # another village of the district: civil's
    await nothing_more(theirs)
    theirs.cancel()


# (caller, after, the status, why): one server for every case (each costs a server's start otherwise).
BAD_WATCHES = [
    ("civil", "abc", grpc.StatusCode.INVALID_ARGUMENT, "a malformed cursor"),
    ("civil", "-1", grpc.StatusCode.INVALID_ARGUMENT, "a negative cursor"),
    ("civil", "1" * 20, grpc.StatusCode.INVALID_ARGUMENT, "an oversized cursor"),
    ("civil", "999", grpc.StatusCode.INVALID_ARGUMENT, "a cursor never given (out of order)"),
    ("home", "", grpc.StatusCode.PERMISSION_DENIED, "a household"),
    ("agent", "", grpc.StatusCode.PERMISSION_DENIED, "a village agent"),
    ("outsider", "", grpc.StatusCode.PERMISSION_DENIED, "another district's department"),
    ("unknown_dept", "", grpc.StatusCode.PERMISSION_DENIED, "not a department of the catalog"),
    (None, "", grpc.StatusCode.UNAUTHENTICATED, "no token"),
]


async def test_a_bad_watch_is_refused_at_once_and_changes_nothing(svc, who):
    await submitted(svc, who.home, RELIEF)
    before = counts(svc.db)
    for caller, after, code, why in BAD_WATCHES:
        md = svc.md(getattr(who, caller)) if caller else ()
        watch = svc.dept.WatchQueue(pb.WatchQueueRequest(after=after), metadata=md)
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await asyncio.wait_for(watch.read(), WAIT)
        assert info.value.code() == code, why
        if code == grpc.StatusCode.INVALID_ARGUMENT:
            assert "after" in field_errors_of(info.value), why
    assert counts(svc.db) == before
