"""Visitors' ID numbers: checked as GB 11643 resident identity numbers (18 characters, the last a
check digit) and kept only as a keyed hash (HMAC-SHA256 with the service's own key), which is all
"one booking per ID per day" needs."""

from __future__ import annotations

import hashlib
import hmac

from runtime.errors import InvalidArgument

MAX_VISITORS = 100
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def is_id_number(text: str) -> bool:
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    return text[17].upper() == _CHECK[total % 11]


def check_id_numbers(id_numbers: list[str]) -> None:
    if not id_numbers:
        raise InvalidArgument("a reservation lists each visitor's ID number", {"visitor_id_numbers": "is required"})
    if len(id_numbers) > MAX_VISITORS:
        raise InvalidArgument(f"at most {MAX_VISITORS} visitors", {"visitor_id_numbers": "too many"})
    bad = [i for i, n in enumerate(id_numbers) if not is_id_number(n)]
    if bad:
        raise InvalidArgument(
            "not a resident identity number (18 characters with its check digit)",
            {"visitor_id_numbers": f"entry {bad[0] + 1} is not an ID number"},
        )
    if len({n.upper() for n in id_numbers}) != len(id_numbers):
        raise InvalidArgument("each visitor once", {"visitor_id_numbers": "the same ID number twice"})


def id_hash(key: bytes, id_number: str) -> str:
    return hmac.new(key, id_number.upper().encode(), hashlib.sha256).hexdigest()
