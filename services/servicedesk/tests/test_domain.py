"""Service-desk rules: the standard catalog, validating a new request, the
request lifecycle, reference numbers. Pure: no I/O (except reading the
catalog data file that ships with the service)."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from dataclasses import replace

import pytest

from runtime.errors import FailedPrecondition, InvalidArgument
from servicedesk import domain
from servicedesk.domain import CHANNELS, TRANSITIONS, Catalog, NewRequest, State

STANDARDS = pathlib.Path(__file__).resolve().parents[1] / "data" / "standards.json"

REQUIRED_TYPES = {
    "installation",
    "relocation",
    "transfer_of_ownership",
    "suspension",
    "resumption",
    "cancellation",
    "package_change",
    "fault_repair_general",
    "fault_repair_major",
    "terminal_upgrade_4k",
    "complaint",
    "low_income_fee_waiver",
}
FREE_TYPES = {"relocation", "transfer_of_ownership", "suspension", "resumption", "cancellation"}


def service_type(code, fee_fen=0, urban=24, village=48):
    return {
        "code": code,
        "name": code,
        "name_en": code,
        "time_limit_hours": {"urban": urban, "village": village},
        "fee_fen": fee_fen,
    }


def catalog_data(*versions):
    return {"versions": list(versions)}


def version(name, effective_from, *types):
    return {"version": name, "effective_from": effective_from, "service_types": list(types) or [service_type("x")]}


# --- the catalog ------------------------------------------------------------

DATA = catalog_data(
    # listed out of order on purpose: the catalog orders by date, not by position
    version("2027.1", "2027-01-01", service_type("installation", fee_fen=5000)),
    version("2026.1", "2026-01-01", service_type("installation", fee_fen=0)),
    version("2026.7", "2026-07-01", service_type("installation", fee_fen=2000)),
)


@pytest.mark.parametrize(
    "on, expected",
    [
        (dt.date(2026, 1, 1), "2026.1"),  # in force from its first day
        (dt.date(2026, 6, 30), "2026.1"),
        (dt.date(2026, 7, 1), "2026.7"),
        (dt.date(2026, 12, 31), "2026.7"),
        (dt.date(2027, 1, 1), "2027.1"),
        (dt.date(2030, 5, 5), "2027.1"),
    ],
)
def test_the_newest_version_in_force_on_a_date_applies(on, expected):
    catalog = Catalog.from_data(DATA, on)
    assert catalog.version == expected
    assert catalog.effective_from <= on
    fees = {"2026.1": 0, "2026.7": 2000, "2027.1": 5000}
    assert catalog.service_type("installation").fee_fen == fees[expected]


def test_no_catalog_before_the_first_version_takes_effect():
    with pytest.raises(ValueError, match="no standard catalog"):
        Catalog.from_data(DATA, dt.date(2025, 12, 31))


def test_no_catalog_when_there_are_no_versions():
    with pytest.raises(ValueError):
        Catalog.from_data(catalog_data(), dt.date(2026, 1, 1))


def test_a_negative_fee_is_rejected():
    data = catalog_data(version("v", "2026-01-01", service_type("installation", fee_fen=-1)))
    with pytest.raises(ValueError, match="installation"):
        Catalog.from_data(data, dt.date(2026, 1, 1))


@pytest.mark.parametrize("urban, village", [(0, 24), (24, 0), (-24, 24)])
def test_a_time_limit_that_is_not_positive_is_rejected(urban, village):
    data = catalog_data(version("v", "2026-01-01", service_type("repair", urban=urban, village=village)))
    with pytest.raises(ValueError, match="repair"):
        Catalog.from_data(data, dt.date(2026, 1, 1))


def test_a_free_service_with_positive_limits_is_accepted():
    data = catalog_data(version("v", "2026-01-01", service_type("relocation", fee_fen=0, urban=1, village=1)))
    st = Catalog.from_data(data, dt.date(2026, 1, 1)).service_type("relocation")
    assert st.fee_fen == 0
    assert st.time_limit_hours == {"urban": 1, "village": 1}


def test_an_unknown_service_type_is_invalid_argument():
    catalog = Catalog.from_data(DATA, dt.date(2026, 1, 1))
    with pytest.raises(InvalidArgument) as exc:
        catalog.service_type("teleportation")
    assert set(exc.value.field_errors) == {"service_type"}


# --- the real catalog file --------------------------------------------------


@pytest.fixture(scope="module")
def standards() -> dict:
    return json.loads(STANDARDS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real_catalog(standards) -> Catalog:
    first = min(dt.date.fromisoformat(v["effective_from"]) for v in standards["versions"])
    return Catalog.from_data(standards, first)


def test_every_version_of_the_real_catalog_loads(standards):
    for v in standards["versions"]:
        on = dt.date.fromisoformat(v["effective_from"])
        assert Catalog.from_data(standards, on).version == v["version"]


def test_the_real_catalog_has_the_twelve_required_service_types(standards):
    for v in standards["versions"]:
        catalog = Catalog.from_data(standards, dt.date.fromisoformat(v["effective_from"]))
        assert set(catalog.service_types) == REQUIRED_TYPES
        # no code listed twice (a duplicate would silently overwrite the first)
        assert len(v["service_types"]) == len(REQUIRED_TYPES)


@pytest.mark.parametrize("code", sorted(FREE_TYPES))
def test_relocation_transfer_suspension_resumption_cancellation_are_free(real_catalog, code):
    assert real_catalog.service_type(code).fee_fen == 0


def test_every_real_service_type_has_names_and_urban_and_village_limits(real_catalog):
    for st in real_catalog.service_types.values():
        assert st.name and st.name_en
        # DOMAIN.md: time limits differ between towns and villages
        assert set(st.time_limit_hours) == {"urban", "village"}


# --- validating a new request -----------------------------------------------


@pytest.fixture
def catalog(real_catalog) -> Catalog:
    return real_catalog


def new_request(**overrides) -> NewRequest:
    fields = dict(
        service_type="fault_repair_general",
        description="no signal on channel 5",
        idempotency_key="key-1",
        channel="set_top_box",
    )
    fields.update(overrides)
    return NewRequest(**fields)


def field_errors(req: NewRequest, catalog: Catalog) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as exc:
        domain.validate_new_request(req, catalog)
    return exc.value.field_errors


def test_a_valid_request_gets_its_service_type(catalog):
    st = domain.validate_new_request(new_request(), catalog)
    assert st.code == "fault_repair_general"


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_is_accepted(catalog, channel):
    domain.validate_new_request(new_request(channel=channel), catalog)


def test_the_description_may_be_empty_or_at_the_limit(catalog):
    domain.validate_new_request(new_request(description=""), catalog)
    domain.validate_new_request(new_request(description="字" * domain.MAX_DESCRIPTION), catalog)
    domain.validate_new_request(new_request(idempotency_key="k" * domain.MAX_IDEMPOTENCY_KEY), catalog)


def test_an_unknown_service_type_is_rejected(catalog):
    assert set(field_errors(new_request(service_type="teleportation"), catalog)) == {"service_type"}


@pytest.mark.parametrize("missing", ["service_type", "idempotency_key"])
def test_a_missing_required_field_is_named(catalog, missing):
    assert set(field_errors(new_request(**{missing: ""}), catalog)) == {missing}


def test_all_missing_fields_are_named_at_once(catalog):
    assert set(field_errors(new_request(service_type="", idempotency_key=""), catalog)) == {
        "service_type",
        "idempotency_key",
    }


def test_a_too_long_description_is_rejected(catalog):
    req = new_request(description="x" * (domain.MAX_DESCRIPTION + 1))
    assert set(field_errors(req, catalog)) == {"description"}


def test_a_too_long_idempotency_key_is_rejected(catalog):
    req = new_request(idempotency_key="k" * (domain.MAX_IDEMPOTENCY_KEY + 1))
    assert set(field_errors(req, catalog)) == {"idempotency_key"}


@pytest.mark.parametrize("channel", ["", "fax", "SET_TOP_BOX"])
def test_an_unknown_channel_is_rejected(catalog, channel):
    assert set(field_errors(new_request(channel=channel), catalog)) == {"channel"}


def test_every_bad_field_is_named_at_once(catalog):
    req = new_request(
        description="x" * (domain.MAX_DESCRIPTION + 1),
        idempotency_key="k" * (domain.MAX_IDEMPOTENCY_KEY + 1),
        channel="fax",
    )
    assert set(field_errors(req, catalog)) == {"description", "idempotency_key", "channel"}


# --- the lifecycle ----------------------------------------------------------

ALL_STATES = [v for k, v in vars(State).items() if not k.startswith("_")]
TERMINAL = {State.CLOSED, State.REJECTED, State.CANCELLED}


def test_the_transition_table_covers_every_state_and_only_known_states():
    assert set(TRANSITIONS) == set(ALL_STATES)
    for targets in TRANSITIONS.values():
        assert targets <= set(ALL_STATES)


@pytest.mark.parametrize(
    "current, target",
    [
        (State.SUBMITTED, State.ACCEPTED),
        (State.SUBMITTED, State.REJECTED),
        (State.SUBMITTED, State.CANCELLED),
        (State.ACCEPTED, State.DISPATCHED),
        (State.ACCEPTED, State.WAITING_FOR_CITIZEN),
        (State.ACCEPTED, State.CANCELLED),
        (State.WAITING_FOR_CITIZEN, State.ACCEPTED),
        (State.WAITING_FOR_CITIZEN, State.CANCELLED),
        (State.DISPATCHED, State.ON_SITE),
        (State.DISPATCHED, State.CANCELLED),
        (State.ON_SITE, State.RESOLVED),
        (State.RESOLVED, State.CLOSED),
    ],
)
def test_the_lifecycle_allows(current, target):
    assert domain.transition(current, target) == target


@pytest.mark.parametrize("current", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_every_pair_of_states_follows_the_table(current, target):
    if target in TRANSITIONS[current]:
        assert domain.transition(current, target) == target
    else:
        with pytest.raises(FailedPrecondition) as exc:
            domain.transition(current, target)
        assert current in exc.value.message and target in exc.value.message


@pytest.mark.parametrize("state", sorted(TERMINAL))
def test_closed_rejected_and_cancelled_are_final(state):
    assert TRANSITIONS[state] == set()


def test_a_request_cannot_be_cancelled_once_the_technician_is_on_site():
    with pytest.raises(FailedPrecondition):
        domain.transition(State.ON_SITE, State.CANCELLED)


def test_every_state_is_reachable_from_submitted_and_can_end():
    reached, frontier = {State.SUBMITTED}, [State.SUBMITTED]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()] - reached:
            reached.add(nxt)
            frontier.append(nxt)
    assert reached == set(ALL_STATES)
    # and from every state some final state can be reached
    for s in ALL_STATES:
        seen, todo = {s}, [s]
        while todo:
            for nxt in TRANSITIONS[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert seen & TERMINAL, s


@pytest.mark.parametrize("current, target", [("nonsense", State.ACCEPTED), (State.SUBMITTED, "nonsense")])
def test_unknown_states_are_refused(current, target):
    with pytest.raises(FailedPrecondition):
        domain.transition(current, target)


# --- reference numbers and repeated submissions -----------------------------


def test_reference_number_carries_the_districts_date_not_utcs():
    # 00:30 on 30 November in Jiaxing is still 29 November in UTC.
    at = dt.datetime(2026, 11, 29, 16, 30, tzinfo=dt.UTC)
    assert domain.reference_number(at, 7) == "SR-20261130-000007"


def test_reference_number_is_what_the_citizen_quotes():
    at = dt.datetime(2026, 11, 29, 15, 59, tzinfo=dt.UTC)
    assert domain.reference_number(at, 42) == "SR-20261129-000042"
    assert domain.reference_number(at, 1) == "SR-20261129-000001"
    assert domain.reference_number(dt.datetime(2027, 1, 5), 999999) == "SR-20270105-999999"
    assert re.fullmatch(r"SR-\d{8}-\d{6}", domain.reference_number(at, 123456))


def test_reference_numbers_of_one_day_sort_in_submission_order():
    at = dt.datetime(2026, 11, 29, 8, 0)
    refs = [domain.reference_number(at, n) for n in (1, 9, 10, 99, 100, 12345)]
    assert refs == sorted(refs)
    assert len(set(refs)) == len(refs)


def test_a_retry_is_the_same_request_only_if_it_asks_for_all_the_same():
    req = new_request(service_type="relocation", description="move the box upstairs")
    assert replace(req, idempotency_key="another key").digest() == req.digest()
    for change in (
        {"service_type": "installation"},
        {"description": "move the box downstairs"},
        {"channel": "mobile"},
        {"materials": ("id_card",)},
        {"household_id": "hh-other"},
        {"consent": "另一份同意"},
        {"home_visit": "elderly"},
        {"outreach_event_id": "ev-1"},
    ):
        assert replace(req, **change).digest() != req.digest(), change
