"""Acting for someone else: the household itself, an agent of its own village with its consent,
a department; nobody else."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import acting
from runtime.errors import InvalidArgument, PermissionDenied
from runtime.testing import department, household, staff

VILLAGE, OTHER_VILLAGE = "330411105201", "330411101201"


def test_a_household_acts_for_itself_only():
    home = household("hh-1")
    actor = acting.for_household(home, "", "", "", agent_role="village_agent")
    assert (actor.subject, actor.kind, actor.on_behalf_of) == (home.subject, "household", "")
    assert acting.for_household(home, "hh-1", "", "", agent_role="village_agent").kind == "household"
    with pytest.raises(PermissionDenied):
        acting.for_household(home, "hh-2", "", "", agent_role="village_agent")


def test_an_agent_acts_for_a_household_of_their_village_with_its_consent_recorded():
    agent = staff("village_agent", username="agent.hh", area_code=VILLAGE)
    actor = acting.for_household(agent, "hh-9", VILLAGE, "户主电话确认 ", agent_role="village_agent")
    assert (actor.kind, actor.on_behalf_of, actor.authority, actor.acts_for_another) == (
        "village_agent",
        "hh-9",
        "户主电话确认",
        True,
    )
    assert actor.note() == "village_agent agent.hh for household hh-9 (户主电话确认)"
    with pytest.raises(PermissionDenied) as info:
        acting.for_household(agent, "hh-9", OTHER_VILLAGE, "ok", agent_role="village_agent")
    assert "household_area_code" in info.value.field_errors


@pytest.mark.parametrize(
    "household_id, area, consent, field",
    [
        ("", VILLAGE, "ok", "household_id"),
        ("hh-9", VILLAGE, "", "consent"),
        ("hh-9", "3304", "ok", "household_area_code"),
        ("hh-9", "33041110520x", "ok", "household_area_code"),
        ("x" * 37, VILLAGE, "ok", "household_id"),
        ("hh-9", VILLAGE, "x" * 201, "consent"),
        ("hh-9", VILLAGE, "a\x00b", "consent"),
    ],
)
def test_an_agents_bad_fields_are_named(household_id, area, consent, field):
    agent = staff("village_agent", area_code=VILLAGE)
    with pytest.raises(InvalidArgument) as info:
        acting.for_household(agent, household_id, area, consent, agent_role="village_agent")
    assert field in info.value.field_errors


def test_other_staff_and_departments_do_not_act_for_households():
    for caller in (staff("technician", area_code=VILLAGE), department()):
        with pytest.raises(PermissionDenied):
            acting.for_household(caller, "hh-9", VILLAGE, "ok", agent_role="village_agent")


def test_a_case_is_taken_over_by_an_agent_of_the_same_point_on_the_consent_it_was_started_on():
    colleague = staff("village_agent", username="agent2.hh", area_code=VILLAGE)
    actor = acting.successor(colleague, "hh-9", VILLAGE, "consent c-1", agent_role="village_agent")
    assert (actor.subject, actor.kind, actor.on_behalf_of, actor.authority) == (
        colleague.subject,
        "village_agent",
        "hh-9",
        "consent c-1",
    )
    elsewhere = staff("village_agent", username="agent.wjj", area_code=OTHER_VILLAGE)
    for caller in (elsewhere, staff("technician", area_code=VILLAGE), household("hh-9"), department()):
        with pytest.raises(PermissionDenied):
            acting.successor(caller, "hh-9", VILLAGE, "consent c-1", agent_role="village_agent")


def test_a_department_acts_with_its_role_only():
    actor = acting.department_actor(department("dept-civil-affairs"), "department_officer")
    assert (actor.kind, actor.subject) == ("department", "department:dept-civil-affairs")
    for caller in (department(roles=()), staff("department_officer"), household()):
        with pytest.raises(PermissionDenied):
            acting.department_actor(caller, "department_officer")
    assert set(acting.ACTOR_KINDS) >= {"household", "village_agent", "family_member", "caregiver", "department"}


def test_the_area_checked_is_the_registered_one_and_a_typed_other_is_refused():
    assert acting.registered_area("hh-9", "", VILLAGE) == VILLAGE
    assert acting.registered_area("hh-9", VILLAGE, VILLAGE) == VILLAGE
    with pytest.raises(PermissionDenied) as refused:
        acting.registered_area("hh-9", OTHER_VILLAGE, VILLAGE)
    assert refused.value.field_errors == {"household_area_code": "not the household's registered area"}


# --- the household's consent, as a code on its own terminal ---

POLICY = acting.ConsentPolicy(dt.timedelta(minutes=10), max_attempts=3)
T0 = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def test_a_consent_code_is_given_on_the_households_terminal_and_used_once_for_its_purpose():
    consent, code = acting.Consent.give(household("hh-1", name="张家"), "item-a", POLICY, T0)
    assert len(code) == 6 and code.isdigit() and code not in consent.code_digest
    assert (consent.household_id, consent.purpose, consent.expires_at) == ("hh-1", "item-a", T0 + POLICY.valid_for)
    consent.redeem("agent.hh", "hh-1", "item-a", f" {code} ", POLICY, T0 + dt.timedelta(minutes=9))
    assert (consent.used_by, consent.used_at) == ("agent.hh", T0 + dt.timedelta(minutes=9))
    assert "张家" in consent.authority() and "item-a" in consent.authority()
    with pytest.raises(PermissionDenied):  # once only
        consent.redeem("agent.hh", "hh-1", "item-a", code, POLICY, T0 + dt.timedelta(minutes=9))


@pytest.mark.parametrize(
    "household_id, purpose, late",
    [("hh-2", "item-a", 0), ("hh-1", "item-b", 0), ("hh-1", "item-a", 10)],
)
def test_a_consent_is_not_for_another_household_another_purpose_or_after_it_expires(household_id, purpose, late):
    consent, code = acting.Consent.give(household("hh-1"), "item-a", POLICY, T0)
    with pytest.raises(PermissionDenied) as err:
        consent.redeem("agent.hh", household_id, purpose, code, POLICY, T0 + dt.timedelta(minutes=late))
    assert "consent" in err.value.field_errors and consent.used_at is None


def test_wrong_codes_void_a_consent_and_only_a_household_gives_one():
    consent, code = acting.Consent.give(household("hh-1"), "item-a", POLICY, T0)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(POLICY.max_attempts):
        with pytest.raises(PermissionDenied):
            consent.redeem("agent.hh", "hh-1", "item-a", wrong, POLICY, T0)
    assert consent.failed_attempts == POLICY.max_attempts and not consent.live(POLICY, T0)
    with pytest.raises(PermissionDenied):  # even the right code, now
        consent.redeem("agent.hh", "hh-1", "item-a", code, POLICY, T0)
    with pytest.raises(PermissionDenied):
        acting.Consent.give(staff("village_agent", area_code=VILLAGE), "item-a", POLICY, T0)
