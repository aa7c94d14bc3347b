"""Tickets a gate can check offline: the reservation's facts signed with the service's Ed25519
key. The code (what the QR code holds) is `T1.<payload>.<signature>`, both base64url without
padding; the payload is compact JSON: reservation id, venue, slot, party, day. The public key is
published (GetTicketKey), so a gate without a network verifies the signature itself."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from runtime.errors import InvalidArgument

PREFIX = "T1"
MAX_CODE = 600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Ticket:
    reservation_id: str
    venue_id: str
    slot_id: str
    party: int
    day: str


class TicketSigner:
    def __init__(self, private_key: Ed25519PrivateKey):
        self.key = private_key
        self.public = private_key.public_key()

    def code(self, t: Ticket) -> str:
        payload = json.dumps(
            {"r": t.reservation_id, "v": t.venue_id, "s": t.slot_id, "p": t.party, "d": t.day},
            separators=(",", ":"),
        ).encode()
        return f"{PREFIX}.{_b64(payload)}.{_b64(self.key.sign(payload))}"

    def read(self, code: str) -> Ticket:
        return read(self.public, code)


def read(public: Ed25519PublicKey, code: str) -> Ticket:
    """The ticket a code holds, once its signature verifies; InvalidArgument on `ticket_code` otherwise."""
    forged = InvalidArgument("not a ticket of ours: its signature does not verify", {"ticket_code": "forged"})
    if not code or len(code) > MAX_CODE:
        raise InvalidArgument("ticket_code is required (a ticket's QR code)", {"ticket_code": "is required"})
    parts = code.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise forged
    try:
        payload, signature = _unb64(parts[1]), _unb64(parts[2])
        public.verify(signature, payload)
        p = json.loads(payload)
        return Ticket(str(p["r"]), str(p["v"]), str(p["s"]), int(p["p"]), str(p["d"]))
    except (InvalidSignature, binascii.Error, ValueError, KeyError, TypeError):
        raise forged from None
