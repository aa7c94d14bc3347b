"""The emergency broadcast's own errors (each is one of the runtime's kinds, which the runtime
maps to a gRPC status code)."""

from __future__ import annotations

from runtime.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied


class AlertNotFound(NotFound):
    """No such alert (or none the caller may reference)."""


class AlreadyReceived(AlreadyExists):
    """A CAP message with this sender and identifier came in before."""

    def __init__(self) -> None:
        super().__init__(
            "an alert with this sender and identifier was already received", {"identifier": "already received"}
        )


class TwoPersonRule(PermissionDenied):
    """Whoever wrote or submitted an alert does not approve it."""


class NotAllowedNow(FailedPrecondition):
    """The alert is not in a state that allows this step."""


class NotSentToTerminal(NotFound):
    """A receipt from a terminal that was never sent the alert."""

    def __init__(self) -> None:
        super().__init__("this terminal was not sent that alert", {"alert_id": "not sent to this terminal"})
