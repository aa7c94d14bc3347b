"""What a household is told, and how: the notice for what happened, and the push message that
carries it to the household's terminals (the aggregate). No I/O."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from runtime.uow import Aggregate

# Service type codes -> how the TV names them (simple Chinese first: the TV is read from the sofa).
SERVICE_NAMES = {
    "installation": "新装开户",
    "relocation": "移机迁移",
    "transfer_of_ownership": "过户",
    "suspension": "报停",
    "resumption": "恢复",
    "cancellation": "注销",
    "package_change": "套餐变更",
    "fault_repair_general": "一般故障维修",
    "fault_repair_major": "重大故障维修",
    "terminal_upgrade_4k": "4K终端升级",
    "complaint": "投诉",
    "low_income_fee_waiver": "广电低保费用减免",
}


@dataclass(frozen=True)
class Notice:
    kind: str
    title: str
    body: str


def request_received(reference_number: str, service_type: str) -> Notice:
    name = SERVICE_NAMES.get(service_type, "服务")
    return Notice(
        kind="service_request.received",
        title=f"已收到您的{name}申请",
        body=f"request received, reference number {reference_number}. "
        f"受理编号 {reference_number}，我们会尽快与您联系。",
    )


# What the household hears when its request moves on (the other steps are staff-internal).
_STEP_NOTICES = {
    "dispatched": ("已派师傅上门", "您的{name}申请（{ref}）已派技术员上门，请留意来电。"),
    "resolved": ("已处理完成，请评价", "您的{name}申请（{ref}）已处理完成，请在电视上给这次服务评价。"),
    "rejected": ("申请未受理", "您的{name}申请（{ref}）未受理：{reason}"),
}


def request_step(reference_number: str, service_type: str, to_state: str, reason: str) -> Notice | None:
    """The notice for a request's new state, or None when the household need not be told."""
    if to_state not in _STEP_NOTICES:
        return None
    title, body = _STEP_NOTICES[to_state]
    name = SERVICE_NAMES.get(service_type, "服务")
    return Notice(
        kind=f"service_request.{to_state}",
        title=title,
        body=body.format(name=name, ref=reference_number, reason=reason),
    )


# --- the message pushed to the household's terminals ---


@dataclass(frozen=True)
class MessagePushed:
    """A push message is on its way to the household's terminals (the gateway streams it)."""

    id: str
    household_id: str
    device_id: str
    kind: str
    title: str
    body: str
    cause_event_id: str
    created_at: dt.datetime


class PushMessage(Aggregate):
    def __init__(
        self,
        id: str,
        household_id: str,
        device_id: str,
        kind: str,
        title: str,
        body: str,
        cause_event_id: str,
        created_at: dt.datetime,
    ):
        self.id = id
        self.household_id = household_id
        # Empty: every terminal of the household.
        self.device_id = device_id
        self.kind = kind
        self.title = title
        self.body = body
        # The event that caused it: one message per event.
        self.cause_event_id = cause_event_id
        self.created_at = created_at

    @classmethod
    def to_household(cls, household_id: str, notice: Notice, cause_event_id: str, now: dt.datetime) -> PushMessage:
        """A notice for every terminal of the household."""
        message = cls(str(uuid.uuid4()), household_id, "", notice.kind, notice.title, notice.body, cause_event_id, now)
        message.record(
            MessagePushed(
                message.id,
                message.household_id,
                message.device_id,
                message.kind,
                message.title,
                message.body,
                message.cause_event_id,
                message.created_at,
            )
        )
        return message


# --- how the household wants its terminals to show things ---


class HouseholdPreferences(Aggregate):
    """A household's choices for all its terminals. Simple mode (适老化) is None until the household
    chooses: the TV then uses its default (on where the household has an elder)."""

    def __init__(self, household_id: str, simple_mode: bool | None = None, updated_at: dt.datetime | None = None):
        self.household_id = household_id
        self.simple_mode = simple_mode
        self.updated_at = updated_at

    def choose_simple_mode(self, on: bool, now: dt.datetime) -> None:
        self.simple_mode = on
        self.updated_at = now
