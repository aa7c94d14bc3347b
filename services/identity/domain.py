"""Identity rules: the OAuth 2.0 device authorization grant (RFC 8628), the
claims a token carries, password checks. No I/O here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from runtime.auth import Caller, CallerKind
from runtime.errors import FailedPrecondition, InvalidArgument, Unauthenticated

# RFC 8628 §6.1: a user code from an alphabet without vowels or look-alikes,
# typed on a phone: 8 characters, 20^8 ≈ 2.6e10 codes.
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
DEVICE_CODE_TTL = dt.timedelta(minutes=10)
POLL_INTERVAL_SECONDS = 5
SLOW_DOWN_STEP_SECONDS = 5
TOKEN_TTL = {
    CallerKind.DEVICE: dt.timedelta(days=30),
    CallerKind.STAFF: dt.timedelta(hours=12),
    CallerKind.DEPARTMENT: dt.timedelta(hours=1),
}
SET_TOP_BOX_CLIENT_ID = "sbc-set-top-box"


class OAuthError(FailedPrecondition):
    """An RFC 6749/8628 token error: `error` is the registered error code."""

    def __init__(self, error: str, message: str):
        super().__init__(message, {"oauth_error": error})
        self.error = error


def new_user_code(rand=secrets.choice) -> str:
    chars = "".join(rand(USER_CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_user_code(raw: str) -> str:
    """Accept what a person types: lower case, spaces, with or without the dash."""
    chars = "".join(c for c in raw.upper() if c.isalnum())
    if len(chars) != 8 or any(c not in USER_CODE_ALPHABET for c in chars):
        raise InvalidArgument("the code has 8 letters, as shown on the TV", {"user_code": "not a valid code"})
    return f"{chars[:4]}-{chars[4:]}"


def new_device_code() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:  # a corrupted stored value is a wrong password, not a crash
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)
    return hmac.compare_digest(digest.hex(), digest_hex)


# A hash of nothing anyone knows, checked when the account does not exist.
DUMMY_HASH = hash_secret("unknown account", salt=b"\x00" * 16)


def account_secret_matches(secret: str, stored: str | None) -> bool:
    """False for an unknown account (stored None), after the same work as for a
    wrong password: the time taken tells nobody which accounts exist."""
    matches = check_secret(secret, stored if stored is not None else DUMMY_HASH)
    return matches and stored is not None


class AuthorizationStatus:
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    USED = "used"  # the token was issued; the device code cannot be used again


@dataclass
class DeviceAuthorizationState:
    status: str
    expires_at: dt.datetime
    last_polled_at: dt.datetime | None
    interval_seconds: int


def poll_outcome(auth: DeviceAuthorizationState, now: dt.datetime) -> str:
    """What a poll gets (RFC 8628 §3.5): 'issue' or raises the OAuth error."""
    if now >= auth.expires_at:
        raise OAuthError("expired_token", "the code expired; ask for a new one")
    if auth.status == AuthorizationStatus.DENIED:
        raise OAuthError("access_denied", "the citizen declined this sign-in")
    if auth.status == AuthorizationStatus.USED:
        raise OAuthError("invalid_grant", "this device code was already used")
    if auth.last_polled_at and (now - auth.last_polled_at).total_seconds() < auth.interval_seconds - 0.5:
        raise OAuthError("slow_down", f"poll at most every {auth.interval_seconds} seconds")
    if auth.status == AuthorizationStatus.PENDING:
        raise OAuthError("authorization_pending", "waiting for the citizen to confirm on the phone")
    return "issue"


def confirmable(auth: DeviceAuthorizationState, now: dt.datetime) -> None:
    if now >= auth.expires_at:
        raise InvalidArgument("this code expired; ask the TV for a new one", {"user_code": "expired"})
    if auth.status != AuthorizationStatus.PENDING:
        raise InvalidArgument("this code was already used", {"user_code": "already used"})


def token_claims(caller: Caller, now: dt.datetime, jti: str) -> dict:
    """A token lives as long as its caller's kind allows."""
    return caller.token_claims(now, TOKEN_TTL[caller.kind], jti)


class Role:
    """The role identity defines (the registry lists every service's)."""

    DEPARTMENT_OFFICER = "department_officer"  # a department's system, signed in with client credentials


def parse_roles(raw: list[str], known: set[str]) -> frozenset[str]:
    """Staff and departments hold only roles some service defines (the registry's)."""
    unknown = set(raw) - known
    if unknown:
        raise InvalidArgument(f"unknown roles: {', '.join(sorted(unknown))}", {"roles": "unknown role"})
    return frozenset(raw)


def bad_credentials() -> Unauthenticated:
    # One message for every wrong-credential case, so it tells an attacker nothing.
    return Unauthenticated("wrong user name or password")
