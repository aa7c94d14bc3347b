"""Home visits (上门服务): asked for when filing, with its reason, for the types whose standard offers one."""

from __future__ import annotations

from runtime.errors import InvalidArgument
from servicedesk.domain.catalog import ServiceType

HOME_VISIT_REASONS = {"elderly": "老年人", "disabled": "残疾人"}


def validate_home_visit(reason: str, standard: ServiceType) -> None:
    """A home visit is asked for with its reason, and only for types whose standard offers one."""
    if not reason:
        return
    if reason not in HOME_VISIT_REASONS:
        raise InvalidArgument(
            "a home visit is for elderly or disabled citizens",
            {"home_visit": f"one of {', '.join(HOME_VISIT_REASONS)}"},
        )
    if not standard.home_visit_offered:
        raise InvalidArgument(f"{standard.name}不提供上门服务", {"home_visit": f"{standard.code} offers no home visit"})
