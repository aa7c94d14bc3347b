"""A village agent's draft handed to another agent of the same agency point over real gRPC, on
SQLite and PostgreSQL: the draft's agent changes (audited, on the household's consent it was
started on), the refusals (another point's agent, a submitted application, someone who is not the
draft's agent, bad input), and what an agent's leaving the point means for a draft."""

from __future__ import annotations

import dataclasses

import grpc
import pytest

from egov.tests.conftest import OTHER_VILLAGE, VILLAGE
from egov.tests.test_grpc import RELIEF, add, consent_code, counts, outbox, start
from runtime.grpc_server import field_errors_of
from runtime.testing import rpc_error
from sbc.egov.v1 import egov_pb2 as pb

pytestmark = [pytest.mark.infra, pytest.mark.asyncio(loop_scope="session")]


async def agents_draft(svc, who) -> pb.Application:
    """A draft the village's agent started for the 张家 household, on its consent, with one material."""
    given = await consent_code(svc, who.home)
    proxy = {"household_id": who.home.household_id, "household_area_code": VILLAGE, "consent": given.code}
    draft = await start(svc, who.agent, RELIEF, **proxy)
    return await add(svc, who.agent, draft.id, "id_card")


def hand_over(svc, caller, app_id: str, to_agent: str):
    return svc.api.HandOverDraft(pb.HandOverDraftRequest(id=app_id, to_agent=to_agent), metadata=svc.md(caller))


def take_over(svc, caller, app_id: str):
    return svc.api.TakeOverDraft(pb.ApplicationRef(id=app_id), metadata=svc.md(caller))


async def worklist(svc, caller) -> list[str]:
    found = await svc.api.ListMyApplications(pb.ListMyApplicationsRequest(), metadata=svc.md(caller))
    return [a.id for a in found.applications]


async def test_a_draft_is_handed_to_another_agent_of_the_point_who_finishes_it_on_the_households_consent(svc, who):
    draft = await agents_draft(svc, who)
    consent = draft.steps[0].authority
    offered = await hand_over(svc, who.agent, draft.id, "agent2.hh")
    assert offered.handed_to == "agent2.hh" and offered.steps[-1].action == "handover_offered"
    assert offered.steps[-1].actor == who.agent.subject
    assert await worklist(svc, who.agent2) == [draft.id], "the colleague sees what is handed to them"

    taken = await take_over(svc, who.agent2, draft.id)
    last = taken.steps[-1]
    assert (last.action, last.actor, last.actor_kind, last.on_behalf_of) == (
        "handed_over",
        who.agent2.subject,
        "village_agent",
        "hh-home",
    )
    assert last.authority == consent and taken.consent.id == draft.consent.id, "the household's consent holds"
    assert taken.handed_to == "" and who.agent.subject in last.detail
    # The giver can no longer work on it; the taker finishes it, named (with the consent) on each step.
    err = await rpc_error(add(svc, who.agent, draft.id, "hardship_proof"))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    for code in ("hardship_proof", "application_form"):
        await add(svc, who.agent2, draft.id, code)
    sent = await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.agent2))
    after = [s for s in sent.steps if s.n > last.n]
    assert sent.state == "submitted" and {(s.actor, s.authority) for s in after} == {(who.agent2.subject, consent)}
    assert (await worklist(svc, who.agent), await worklist(svc, who.agent2)) == ([], [draft.id])
    assert await worklist(svc, who.home) == [draft.id]
    # Audited and announced: each step is an event too.
    assert [e.action for e in outbox(svc.db) if e.action.startswith("hand")] == ["handover_offered", "handed_over"]


async def test_a_handover_is_refused_outside_the_point_after_submission_or_by_another_and_changes_nothing(svc, who):
    draft = await agents_draft(svc, who)
    before = counts(svc.db)
    pd, nf, bad = grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT
    refused = [
        ("the household", hand_over(svc, who.home, draft.id, "agent2.hh"), pd, None),
        ("an agent who is not the draft's", hand_over(svc, who.agent2, draft.id, "agent2.hh"), nf, None),
        ("another point's agent", hand_over(svc, who.other_agent, draft.id, "agent.wjj"), nf, None),
        ("no one named", hand_over(svc, who.agent, draft.id, ""), bad, "to_agent"),
        ("an oversized name", hand_over(svc, who.agent, draft.id, "a" * 101), bad, "to_agent"),
        ("oneself", hand_over(svc, who.agent, draft.id, "agent.hh"), bad, "to_agent"),
        ("a malformed id", hand_over(svc, who.agent, "x" * 80, "agent2.hh"), bad, "id"),
        ("taken before it is handed (out of order)", take_over(svc, who.agent2, draft.id), pd, "id"),
        ("taken by a technician", take_over(svc, who.technician, draft.id), pd, None),
        ("taken by a department", take_over(svc, who.civil, draft.id), pd, None),
        ("no such draft", take_over(svc, who.agent2, "00000000-0000-0000-0000-000000000000"), nf, "id"),
    ]
    for why, call, code, field in refused:
        err = await rpc_error(call)
        assert err.code() == code, (why, err.code(), err.details())
        assert field is None or field in field_errors_of(err), (why, field_errors_of(err))
    assert counts(svc.db) == before, "no refused call changed anything"

    # Handed to an agent of another point by name: that agent cannot take it.
    await hand_over(svc, who.agent, draft.id, "agent.wjj")
    err = await rpc_error(take_over(svc, who.other_agent, draft.id))
    assert err.code() == pd and "id" in field_errors_of(err)
    # Handed to the colleague, but the giver submits it first: it is no longer a draft to take.
    await hand_over(svc, who.agent, draft.id, "agent2.hh")
    for code in ("hardship_proof", "application_form"):
        await add(svc, who.agent, draft.id, code)
    await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.agent))
    assert (await rpc_error(take_over(svc, who.agent2, draft.id))).code() == grpc.StatusCode.FAILED_PRECONDITION
    err = await rpc_error(hand_over(svc, who.agent, draft.id, "agent2.hh"))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    seen = await svc.api.GetApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.agent))
    assert seen.state == "submitted" and all(s.actor == who.agent.subject for s in seen.steps)


async def test_an_agent_who_leaves_the_point_loses_the_draft_to_the_household_not_to_nothing(svc, who):
    draft = await agents_draft(svc, who)
    moved = dataclasses.replace(who.agent, area_code=OTHER_VILLAGE)  # the same agent, now at another point
    for call in (add(svc, moved, draft.id, "hardship_proof"), hand_over(svc, moved, draft.id, "agent2.hh")):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    # The draft is the household's: its TV lists it, and it finishes it itself.
    assert await worklist(svc, who.home) == [draft.id]
    for code in ("hardship_proof", "application_form"):
        await add(svc, who.home, draft.id, code)
    sent = await svc.api.SubmitApplication(pb.ApplicationRef(id=draft.id), metadata=svc.md(who.home))
    assert sent.state == "submitted" and sent.steps[-1].actor_kind == "household"
