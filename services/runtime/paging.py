"""Page requests (sbc.common.v1.PageRequest), read the same way by every service.
A page token is the sequence number to continue from; anything else is refused. A repository
reads `size + 1` rows and `cut()` makes the page and the next token."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from runtime.errors import InvalidArgument

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(page, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    size = page.page_size or default
    if size < 0 or size > maximum:
        raise InvalidArgument(f"page_size must be 1..{maximum}", {"page.page_size": "out of range"})
    return size


def page_token(token: str) -> int | None:
    if not token:
        return None
    if not token.isdigit() or len(token) > 18:
        raise InvalidArgument("invalid page_token", {"page.page_token": "not a token we gave"})
    return int(token)


def cut(found: list[T], size: int, token_of: Callable[[T], int]) -> tuple[list[T], str]:
    """A page from `size + 1` rows read in order: the first `size`, and the token of the next page
    (that of the last row kept; "" when the extra row shows there is no more)."""
    if len(found) <= size:
        return found, ""
    return found[:size], str(token_of(found[size - 1]))
