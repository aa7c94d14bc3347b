"""What a household is told when its service request is received. Pure."""

from __future__ import annotations

import json
import re

import pytest

from notifications import domain, events

ZH = events.catalog()  # what households read

CJK = re.compile(r"[\u4e00-\u9fff]")

# The service types of the standard catalog, with how a TV viewer knows them.
CHINESE_NAMES = {
    "installation": "新装",
    "relocation": "移机",
    "transfer_of_ownership": "过户",
    "suspension": "报停",
    "resumption": "恢复",
    "cancellation": "注销",
    "package_change": "套餐",
    "fault_repair_general": "故障",
    "fault_repair_major": "重大故障",
    "terminal_upgrade_4k": "4K",
    "complaint": "投诉",
    "low_income_fee_waiver": "低保",
}


@pytest.mark.parametrize("service_type, name", sorted(CHINESE_NAMES.items()))
def test_request_received_names_the_service_in_chinese_and_the_reference(service_type, name):
    notice = domain.request_received(ZH, "SR-20261129-000042", service_type)
    assert notice.kind == "service_request.received"
    assert name in notice.title
    assert ZH.service_names[service_type] in notice.title
    assert CJK.search(notice.title)
    # The citizen quotes the reference number on the phone: it must be on screen.
    assert "SR-20261129-000042" in notice.body
    assert CJK.search(notice.body)


def test_every_catalog_service_type_has_a_chinese_name():
    assert set(ZH.service_names) == set(CHINESE_NAMES)
    assert all(CJK.search(name) for name in ZH.service_names.values())


@pytest.mark.parametrize("service_type", ["", "teleportation", "Installation"])
def test_an_unknown_service_type_still_produces_a_message(service_type):
    notice = domain.request_received(ZH, "SR-20261129-000007", service_type)
    assert notice.title and CJK.search(notice.title)
    assert service_type == "" or service_type not in notice.title  # no raw code shown on the TV
    assert "SR-20261129-000007" in notice.body


def test_the_household_hears_of_dispatch_resolution_and_rejection_only():
    from notifications.domain import request_step

    assert request_step(ZH, "SR-1", "fault_repair_general", "dispatched", "").title == "已派师傅上门"
    assert "请在电视上给这次服务评价" in request_step(ZH, "SR-1", "fault_repair_general", "resolved", "").body
    assert "不在服务范围" in request_step(ZH, "SR-1", "relocation", "rejected", "不在服务范围").body
    assert request_step(ZH, "SR-1", "relocation", "accepted", "") is None


def test_a_notice_pushed_to_a_household_is_recorded_once_for_its_terminals():
    import datetime as dt

    now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
    notice = domain.request_received(ZH, "SR-20261129-000042", "installation")
    message = domain.PushMessage.to_household("hh-1", notice, "event-1", now)
    assert (message.household_id, message.device_id, message.cause_event_id, message.created_at) == (
        "hh-1",
        "",  # every terminal of the household
        "event-1",
        now,
    )
    assert (message.kind, message.title, message.body) == (notice.kind, notice.title, notice.body) and message.id
    assert message.pull_events() == [
        domain.MessagePushed(message.id, "hh-1", "", notice.kind, notice.title, notice.body, "event-1", now)
    ]
    assert message.pull_events() == [], "each event is handed out once"
    other = domain.PushMessage.to_household("hh-1", notice, "event-2", now)
    assert other.id != message.id


LATIN_WORD = re.compile(r"\b(?!SR\b)[A-Za-z]{3,}\b")  # an English word (not the reference's SR prefix)


@pytest.mark.parametrize("to_state", ["received", *domain.TOLD_STEPS])
def test_a_households_push_is_in_chinese_only(to_state):
    """Not "request received, reference number SR-… 受理编号…": one language, the citizens' catalog."""
    if to_state == "received":
        notice = domain.request_received(ZH, "SR-20261129-000042", "fault_repair_general")
    else:
        notice = domain.request_step(ZH, "SR-20261129-000042", "fault_repair_general", to_state, "不在服务范围")
    assert notice is not None
    for text in (notice.title, notice.body):
        assert CJK.search(text) and not LATIN_WORD.search(text.replace("4K", "")), text
    assert "SR-20261129-000042" in notice.body


def test_every_language_catalog_has_the_same_notices_and_service_names():
    languages = sorted(p.stem for p in events.MESSAGES.glob("*.json"))
    assert events.CITIZENS in languages and len(languages) >= 2
    catalogs = [events.catalog(language) for language in languages]
    for c in catalogs:
        assert c.notices.keys() == ZH.notices.keys() and c.service_names.keys() == ZH.service_names.keys(), c.language
        for kind in c.notices:
            c.notice(kind, "installation", "SR-1", "x")  # every placeholder is one the service fills
    english = events.catalog("en").notice("service_request.received", "relocation", "SR-1")
    assert english.title == "Your relocation request is received" and not CJK.search(english.body)


def test_every_language_catalog_has_the_same_words_as_the_citizens_one():
    """Every section and key of zh-CN.json (the catalog citizens read) is in every other language's, with
    the same placeholders, so that no push of any service falls back to a missing word."""

    def shape(node, path=""):
        if isinstance(node, dict):
            return {
                k: v
                for key, value in node.items()
                if key not in ("_comment", "language")
                for k, v in shape(value, f"{path}/{key}").items()
            }
        return {path: sorted(re.findall(r"{(\w+)}", node)) if isinstance(node, str) else type(node).__name__}

    def read(path):
        return shape(json.loads(path.read_text(encoding="utf-8")))

    citizens = read(events.MESSAGES / f"{events.CITIZENS}.json")
    for path in sorted(events.MESSAGES.glob("*.json")):
        assert read(path) == citizens, path.name
