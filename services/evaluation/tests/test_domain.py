"""Evaluation's rules, without I/O."""

from __future__ import annotations

import datetime as dt

import pytest

from evaluation import domain
from runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from runtime.testing import household, staff

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def test_a_household_files_an_item_and_it_is_announced():
    home = household("hh-1")
    item = domain.Item.create(home, "第一件事", "key-1", NOW)
    assert (item.household_id, item.title, item.state, item.created_at) == ("hh-1", "第一件事", "open", NOW)
    assert item.visible_to(home) and not item.visible_to(household("hh-2"))
    assert item.pull_events() == [domain.ItemCreated(item.id, "hh-1", "第一件事", NOW)]
    assert item.pull_events() == [], "each event is handed out once"


def test_only_a_household_files():
    with pytest.raises(PermissionDenied):
        domain.Item.create(staff(), "x", "key-1", NOW)


@pytest.mark.parametrize(
    "title, key, field",
    [("", "k", "title"), ("x" * 201, "k", "title"), ("a\x00b", "k", "title"), ("x", "", "idempotency_key")],
)
def test_a_bad_item_is_refused_naming_the_field(title, key, field):
    with pytest.raises(InvalidArgument) as info:
        domain.Item.create(household(), title, key, NOW)
    assert field in info.value.field_errors


def test_an_item_closes_once():
    item = domain.Item.create(household("hh-1"), "x", "k", NOW)
    item.pull_events()
    later = NOW + dt.timedelta(hours=1)
    item.close(later)
    assert (item.state, item.closed_at) == ("closed", later)
    assert item.pull_events() == [domain.ItemClosed(item.id, "hh-1", later)]
    with pytest.raises(FailedPrecondition):
        item.close(later)
