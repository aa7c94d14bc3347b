"""Domain errors. Domain code raises these; the gRPC layer maps them to status
codes (INVALID_ARGUMENT, NOT_FOUND, ...) and the gateway to HTTP problem+json.
"""

from __future__ import annotations

import grpc


class DomainError(Exception):
    code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        # field name -> what is wrong with it
        self.field_errors = dict(field_errors or {})


class InvalidArgument(DomainError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(DomainError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(DomainError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(DomainError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class PermissionDenied(DomainError):
    code = grpc.StatusCode.PERMISSION_DENIED


class Unauthenticated(DomainError):
    code = grpc.StatusCode.UNAUTHENTICATED


def require(fields: dict[str, object]) -> None:
    """Raise InvalidArgument naming every empty field among `fields`."""
    missing = {name: "is required" for name, value in fields.items() if value in ("", None)}
    if missing:
        raise InvalidArgument("missing required fields: " + ", ".join(missing), missing)


def _control(ch: str, multiline: bool) -> bool:
    if multiline and ch in "\n\r\t":
        return False
    return ord(ch) < 32 or ord(ch) == 127


def text_errors(limits: dict[str, tuple[str, int]], multiline: set[str] = frozenset()) -> dict[str, str]:
    """What is wrong with each text field: too long, or carrying control characters
    (a NUL, say, which PostgreSQL refuses). `limits`: name -> (value, max length);
    fields in `multiline` may hold line breaks and tabs (free text)."""
    errors = {}
    for name, (value, max_len) in limits.items():
        if len(value) > max_len:
            errors[name] = f"at most {max_len} characters"
        elif any(_control(ch, name in multiline) for ch in value):
            errors[name] = "must not contain control characters"
    return errors


def check_text(limits: dict[str, tuple[str, int]], multiline: set[str] = frozenset()) -> None:
    """Raise InvalidArgument naming every field that text_errors() finds wrong."""
    errors = text_errors(limits, multiline)
    if errors:
        raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
