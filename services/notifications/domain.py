"""What a household is told, and how. No I/O."""
from __future__ import annotations

from dataclasses import dataclass

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
        body=f"request received, reference number {reference_number}. 受理编号 {reference_number}，我们会尽快与您联系。",
    )
