"""Domain errors: what went wrong, in the domain's terms. Domain code raises these (or its own
subclasses of them, named in its language); it knows nothing of gRPC. The runtime maps each
kind to a gRPC status code (runtime.grpc_server.grpc_code) and the gateway to HTTP problem+json.
"""

from __future__ import annotations

import re
from collections.abc import Collection


class DomainError(Exception):
    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        # field name -> what is wrong with it
        self.field_errors = dict(field_errors or {})


class InvalidArgument(DomainError):
    """The request itself is wrong (missing, malformed, out of range): it cannot succeed as sent."""


class NotFound(DomainError):
    """No such thing, or none the caller may know of."""


class AlreadyExists(DomainError):
    """It exists already (the same key used for something else, a message received before)."""


class FailedPrecondition(DomainError):
    """Sound, but not now: the thing is not in a state that allows it."""


class PermissionDenied(DomainError):
    """The caller is known, and may not do this."""


class Unauthenticated(DomainError):
    """The caller is not known: no token, or one that does not verify."""


class Unavailable(DomainError):
    """Something this call needs does not answer now (the keys that verify tokens, say): the
    same call may succeed in a moment. Not the caller's fault, and not an answer about them."""


class ResourceExhausted(DomainError):
    """Too many attempts, or too much at once: the same call may succeed later
    (`retry_after_seconds`, when known)."""

    def __init__(self, message: str, retry_after_seconds: int = 0):
        super().__init__(message, {"retry_after_seconds": str(retry_after_seconds)} if retry_after_seconds else {})
        self.retry_after_seconds = retry_after_seconds


def require(fields: dict[str, object]) -> None:
    """Raise InvalidArgument naming every empty field among `fields`."""
    missing = {name: "is required" for name, value in fields.items() if value in ("", None)}
    if missing:
        raise InvalidArgument("missing required fields: " + ", ".join(missing), missing)


def _control(ch: str, multiline: bool) -> bool:
    if multiline and ch in "\n\r\t":
        return False
    return ord(ch) < 32 or ord(ch) == 127


# What a screen shows nothing of, or shows other than written: the soft hyphen, the letter and
# direction marks, zero-width characters, direction embeddings, overrides and isolates, line and
# paragraph separators, the byte-order mark, interlinear annotation. As a regex character class's
# contents, so that the gateway's schemas (gateway/routes) say exactly what the services refuse.
INVISIBLE_CHARACTERS = "\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")


def text_errors(
    limits: dict[str, tuple[str, int]],
    multiline: Collection[str] = frozenset(),
    shown: Collection[str] = frozenset(),
) -> dict[str, str]:
    """What is wrong with each text field: too long, or carrying control characters
    (a NUL, say, which PostgreSQL refuses). `limits`: name -> (value, max length);
    fields in `multiline` may hold line breaks and tabs (free text); fields in `shown` are put
    before a citizen as they are (a push to the TV): nothing invisible or direction-changing."""
    errors = {}
    for name, (value, max_len) in limits.items():
        if len(value) > max_len:
            errors[name] = f"at most {max_len} characters"
        elif any(_control(ch, name in multiline) for ch in value):
            errors[name] = "must not contain control characters"
        elif name in shown and _INVISIBLE.search(value):
            errors[name] = "must not contain invisible or direction-changing characters"
    return errors


def check_text(
    limits: dict[str, tuple[str, int]], multiline: Collection[str] = frozenset(), shown: Collection[str] = frozenset()
) -> None:
    """Raise InvalidArgument naming every field that text_errors() finds wrong."""
    errors = text_errors(limits, multiline, shown)
    if errors:
        raise InvalidArgument("invalid fields: " + ", ".join(errors), errors)
