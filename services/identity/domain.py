"""Identity's rules, as aggregates with methods: the OAuth 2.0 device authorization grant
(RFC 8628) that signs a household's set-top box in, the box itself, staff members and
department clients who sign in with a secret, and the claims a token carries. No I/O: the
store loads and keeps the aggregates, the handlers call them, the servicer maps them to protobuf."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from runtime.auth import Caller, CallerKind
from runtime.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    check_text,
    require,
)
from runtime.uow import Aggregate

# RFC 8628 §6.1: a user code from an alphabet without vowels or look-alikes,
# typed on a phone: 8 characters, 20^8 ≈ 2.6e10 codes.
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
DEVICE_CODE_TTL = dt.timedelta(minutes=10)
POLL_INTERVAL_SECONDS = 5
SLOW_DOWN_STEP_SECONDS = 5
# A device's token lives as long as DevicePolicy (data/devices.json) says.
TOKEN_TTL = {
    CallerKind.STAFF: dt.timedelta(hours=12),
    CallerKind.DEPARTMENT: dt.timedelta(hours=1),
}
SET_TOP_BOX_CLIENT_ID = "sbc-set-top-box"
# The phone app: a household member signs in with phone number and password.
PHONE_CLIENT_ID = "sbc-phone"
MAX_FIELD = 200


class Role:
    """The role identity defines (the registry lists every service's)."""

    DEPARTMENT_OFFICER = "department_officer"  # a department's system, signed in with client credentials
    DEVICE_MANAGER = "device_manager"  # the cable operator's staff who manage set-top boxes (a theft reported)
    STAFF_ADMIN = "staff_admin"  # who manages staff accounts of an area (revokes one who left)


class OAuthError(FailedPrecondition):
    """An RFC 6749/8628 token error: `error` is the registered error code."""

    def __init__(self, error: str, message: str):
        super().__init__(message, {"oauth_error": error})
        self.error = error


def check_input(**fields: str) -> None:
    """Each field is required, at most MAX_FIELD characters, and free of control characters."""
    required: dict[str, object] = dict(fields)
    require(required)
    check_text({name: (value, MAX_FIELD) for name, value in fields.items()})


# --- user codes and secrets -------------------------------------------------


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


def bad_credentials() -> Unauthenticated:
    # One message for every wrong-credential case, so it tells an attacker nothing.
    return Unauthenticated("wrong user name or password")


@dataclass(frozen=True)
class SignInPolicy:
    """How many failed sign-ins an account or a TV's user code may have (data/sign_in.json)."""

    free_failures: int
    window_seconds: int
    first_lockout_seconds: int
    longest_lockout_seconds: int

    @classmethod
    def of(cls, data: dict) -> SignInPolicy:
        return cls(**{k: int(v) for k, v in data.items() if not k.startswith("_")})

    def lockout_seconds(self, failures: int) -> int:
        """How long the account is locked after its `failures`-th failure: nothing within the
        free failures, then the first lockout, doubled with each further failure."""
        beyond = failures - self.free_failures
        if beyond < 0:
            return 0
        return min(self.longest_lockout_seconds, self.first_lockout_seconds * 2 ** min(beyond, 30))


class SignInLocked(ResourceExhausted):
    def __init__(self, retry_after_seconds: int):
        super().__init__(
            f"too many failed sign-ins; try again in {retry_after_seconds} s", retry_after_seconds=retry_after_seconds
        )


def sign_in_keys(kind: str, *names: str) -> list[str]:
    """The throttle's keys of a sign-in: what is counted (an account of a kind, a user code),
    hashed so that no phone number or user name is kept in the counter store."""
    return [f"{kind}:{hashlib.sha256(name.encode()).hexdigest()[:32]}" for name in names]


class Account(Protocol):
    """Whoever signs in with a secret: a household member, a staff member, a department client."""

    @property
    def secret_hash(self) -> str: ...

    @property
    def active(self) -> bool: ...


AccountT = TypeVar("AccountT", bound=Account)


def authenticate(account: AccountT | None, secret: str) -> AccountT:
    """The account, if `secret` is its own and it is still active; else bad_credentials(), for an
    unknown or revoked account too, after the same work (the answer tells nobody which it was)."""
    matches = account_secret_matches(secret, account.secret_hash if account is not None else None)
    if account is None or not matches or not account.active:
        raise bad_credentials()
    return account


def parse_roles(raw: Iterable[str], known: set[str]) -> frozenset[str]:
    """Staff and departments hold only roles some service defines (the registry's)."""
    roles = frozenset(raw)
    unknown = roles - known
    if unknown:
        raise InvalidArgument(f"unknown roles: {', '.join(sorted(unknown))}", {"roles": "unknown role"})
    return roles


# --- households and their set-top boxes --------------------------------------


@dataclass(frozen=True)
class DeviceRegistered:
    """A box was registered for a household, or signed in again (by the same household or another)."""

    device_id: str
    household_id: str
    area_code: str
    serial: str
    registered_at: dt.datetime


@dataclass(frozen=True)
class DeviceRevoked:
    """A box was removed (stolen, sold) by its household or by the operator's staff."""

    device_id: str
    household_id: str
    area_code: str
    serial: str
    revoked_at: dt.datetime
    revoked_by: str
    reason: str


@dataclass(frozen=True)
class StaffAccountRevoked:
    """A staff member's account was revoked (they left): no sign-in, their tokens refused."""

    staff_id: str
    username: str
    area_code: str
    revoked_at: dt.datetime
    revoked_by: str
    reason: str


class Household(Aggregate):
    def __init__(self, id: str, name: str, area_code: str, address: str = ""):
        self.id = id
        self.name = name
        self.area_code = area_code
        self.address = address


class HouseholdMember(Aggregate):
    """A person of the household who signs in on the phone: to confirm a TV's sign-in, and in
    the phone app (the password grant), as the household."""

    def __init__(self, id: str, household_id: str, phone: str, name: str, password_hash: str):
        self.id = id
        self.household_id = household_id
        self.phone = phone
        self.name = name
        self.password_hash = password_hash

    @classmethod
    def enrol(cls, household: Household, phone: str, name: str, password: str) -> HouseholdMember:
        return cls(str(uuid.uuid4()), household.id, phone, name, hash_secret(password))

    @property
    def secret_hash(self) -> str:
        return self.password_hash

    @property
    def active(self) -> bool:
        # Members are not removed yet; a member's tokens are revoked by subject.
        return True

    @property
    def subject(self) -> str:
        return f"member:{self.id}"

    def caller(self, household: Household) -> Caller:
        """Who the member is, in the tokens the phone gets: the household's, as a phone member."""
        return Caller(
            subject=self.subject,
            kind=CallerKind.MEMBER,
            household_id=household.id,
            area_code=household.area_code,
            name=household.name,
            phone=self.phone,
        )


def new_device_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """A high-entropy secret's stored form (a device secret, a refresh token): SHA-256 suffices,
    no password hashing is needed for 256 random bits."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class DevicePolicy:
    """How many boxes a household may have, and how long a box's and a phone's tokens live (data/devices.json)."""

    max_devices_per_household: int
    device_access_token_minutes: int
    device_refresh_token_days: int
    member_access_token_minutes: int
    member_refresh_token_days: int

    @classmethod
    def of(cls, data: dict) -> DevicePolicy:
        return cls(**{k: int(v) for k, v in data.items() if not k.startswith("_")})

    @property
    def access_ttl(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.device_access_token_minutes)

    @property
    def refresh_ttl(self) -> dt.timedelta:
        return dt.timedelta(days=self.device_refresh_token_days)

    @property
    def member_access_ttl(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.member_access_token_minutes)

    @property
    def member_refresh_ttl(self) -> dt.timedelta:
        return dt.timedelta(days=self.member_refresh_token_days)

    def longest_access_ttl(self) -> dt.timedelta:
        """How long any token lives at most: a retired key is published that long, a revocation kept that long."""
        return max([self.access_ttl, self.member_access_ttl, *TOKEN_TTL.values()])

    def check_room(self, household: Household, devices: int) -> None:
        """A household with `devices` boxes signs in one more."""
        if devices >= self.max_devices_per_household:
            raise FailedPrecondition(
                f"this household already has {devices} boxes signed in (at most "
                f"{self.max_devices_per_household}); remove one on a TV first",
                {"household": "too many devices"},
            )


class Device(Aggregate):
    """A household's set-top box. It is the box that holds its secret (given to it once, at its
    first sign-in), not whatever shows its serial: a box signing in again proves its secret."""

    def __init__(
        self,
        id: str,
        household_id: str,
        serial: str,
        registered_at: dt.datetime,
        secret_hash: str = "",
        revoked_at: dt.datetime | None = None,
    ):
        self.id = id
        self.household_id = household_id
        self.serial = serial
        self.registered_at = registered_at
        self.secret_hash = secret_hash
        self.revoked_at = revoked_at

    @classmethod
    def register(cls, household: Household, serial: str, now: dt.datetime) -> tuple[Device, str]:
        """A box not seen before (or one whose secret is lost: a resold, reset box): a new device,
        and its secret, which only the box gets (once)."""
        secret = new_device_secret()
        device = cls(str(uuid.uuid4()), household.id, serial, now, digest(secret))
        device._announce(household, now)
        return device, secret

    def proves(self, serial: str, secret: str) -> bool:
        return (
            self.revoked_at is None
            and bool(secret)
            and self.serial == serial
            and hmac.compare_digest(self.secret_hash, digest(secret))
        )

    def bind_to(self, household: Household, now: dt.datetime) -> None:
        """The box signed in again, proving its secret: for another household, it moves there."""
        self.household_id = household.id
        # Announced even for the same household: that also announces boxes registered before the event existed.
        self._announce(household, now)

    def revoke(self, household: Household, by: Caller, reason: str, now: dt.datetime) -> None:
        """The box was removed (stolen, sold): its tokens stop working, it cannot sign in as itself again."""
        if self.revoked_at is not None:
            raise FailedPrecondition("this box was removed already", {"device_id": "removed already"})
        self.revoked_at = now
        self.record(DeviceRevoked(self.id, household.id, household.area_code, self.serial, now, by.subject, reason))

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def _announce(self, household: Household, now: dt.datetime) -> None:
        # Alerts counts the box as targeted in its household's area.
        self.record(DeviceRegistered(self.id, household.id, household.area_code, self.serial, now))

    def caller(self, household: Household) -> Caller:
        """Who the box is, in the tokens it gets."""
        return Caller(
            subject=self.subject,
            kind=CallerKind.DEVICE,
            household_id=household.id,
            device_id=self.id,
            area_code=household.area_code,
            name=household.name,
        )

    @property
    def subject(self) -> str:
        return f"device:{self.id}"


class RefreshToken(Aggregate):
    """A box's (or a phone member's) long-lived token that gets it a new access token, once: each
    use gives a new one of the same family. An old one used again means someone copied it: the
    family is revoked. A box's token has its device_id; a member's its member_id (device_id "")."""

    def __init__(
        self,
        token_hash: str,
        family_id: str,
        device_id: str,
        issued_at: dt.datetime,
        expires_at: dt.datetime,
        used_at: dt.datetime | None = None,
        revoked_at: dt.datetime | None = None,
        member_id: str | None = None,
    ):
        self.token_hash = token_hash
        self.family_id = family_id
        self.device_id = device_id
        self.issued_at = issued_at
        self.expires_at = expires_at
        self.used_at = used_at
        self.revoked_at = revoked_at
        self.member_id = member_id

    @classmethod
    def issue(
        cls, holder: Device | HouseholdMember, policy: DevicePolicy, now: dt.datetime, family_id: str = ""
    ) -> tuple[RefreshToken, str]:
        token = secrets.token_urlsafe(32)
        family = family_id or str(uuid.uuid4())
        if isinstance(holder, HouseholdMember):
            return cls(digest(token), family, "", now, now + policy.member_refresh_ttl, member_id=holder.id), token
        return cls(digest(token), family, holder.id, now, now + policy.refresh_ttl), token

    @property
    def is_members(self) -> bool:
        return bool(self.member_id)

    @property
    def subject(self) -> str:
        """Whose access tokens a reuse revokes."""
        return f"member:{self.member_id}" if self.member_id else f"device:{self.device_id}"

    def use(
        self, holder: Device | HouseholdMember | None, policy: DevicePolicy, now: dt.datetime
    ) -> tuple[RefreshToken, str]:
        """The next token of the family, for a box still signed in (or its member). A token used
        before raises RefreshReused (the caller revokes the family)."""
        again = "sign in again on the phone" if self.is_members else "sign the TV in again"
        if self.revoked_at is not None or holder is None or not holder.active:
            raise OAuthError("invalid_grant", f"this refresh token was revoked; {again}")
        if self.used_at is not None:
            raise RefreshReused(self.family_id, self.device_id, self.subject)
        if now >= self.expires_at:
            raise OAuthError("invalid_grant", f"this refresh token expired; {again}")
        self.used_at = now
        return RefreshToken.issue(holder, policy, now, self.family_id)

    def revoke(self, now: dt.datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


class RefreshReused(OAuthError):
    def __init__(self, family_id: str, device_id: str, subject: str = ""):
        super().__init__("invalid_grant", "this refresh token was already used; sign in again")
        self.family_id = family_id
        self.device_id = device_id
        self.subject = subject or f"device:{device_id}"


class Revocation(Aggregate):
    """Tokens of `subject` issued at or before `revoked_at` are no longer accepted. Kept until
    the last of them would have expired anyway (`expires_at`); the gateway reads the list."""

    def __init__(self, subject: str, revoked_at: dt.datetime, expires_at: dt.datetime, seq: int | None = None):
        self.seq = seq
        self.subject = subject
        self.revoked_at = revoked_at
        self.expires_at = expires_at

    @classmethod
    def of(cls, subject: str, policy: DevicePolicy, now: dt.datetime) -> Revocation:
        return cls(subject, now, now + policy.longest_access_ttl())


# --- the device authorization grant (RFC 8628) ---------------------------------


class AuthorizationStatus:
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    USED = "used"  # the token was issued; the device code cannot be used again


class DeviceAuthorization(Aggregate):
    """A TV's sign-in: it shows the user code, a household member confirms or declines it on the
    phone, and the TV polls with the device code until it gets its token, once."""

    def __init__(
        self,
        device_code: str,
        user_code: str,
        client_id: str,
        device_serial: str,
        status: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
        interval_seconds: int,
        household_id: str | None = None,
        last_polled_at: dt.datetime | None = None,
        device_id: str | None = None,
    ):
        self.device_code = device_code
        self.user_code = user_code
        self.client_id = client_id
        self.device_serial = device_serial
        self.status = status
        self.created_at = created_at
        self.expires_at = expires_at
        self.interval_seconds = interval_seconds
        self.household_id = household_id
        self.last_polled_at = last_polled_at
        # The known box signing in again (it proved its secret); None for a box new to us.
        self.device_id = device_id

    @classmethod
    def start(
        cls, client_id: str, device_serial: str, now: dt.datetime, device: Device | None = None
    ) -> DeviceAuthorization:
        """A set-top box asks to sign in: it gets a fresh user code to show and a device code to
        poll with. `device`: the box it proved to be (with its secret), if any."""
        check_input(client_id=client_id, device_serial=device_serial)
        if client_id != SET_TOP_BOX_CLIENT_ID:
            raise OAuthError("invalid_client", "unknown client_id")
        return cls(
            device_code=new_device_code(),
            user_code=new_user_code(),
            client_id=client_id,
            device_serial=device_serial,
            status=AuthorizationStatus.PENDING,
            created_at=now,
            expires_at=now + DEVICE_CODE_TTL,
            interval_seconds=POLL_INTERVAL_SECONDS,
            device_id=device.id if device is not None else None,
        )

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at

    # On the phone.

    def confirm(
        self, member: HouseholdMember, household: Household, devices: int, policy: DevicePolicy, now: dt.datetime
    ) -> None:
        """The member approves: the box will be their household's (`devices`: the household's
        active boxes besides this one), if it has room for one more."""
        self.check_confirmable(now)
        policy.check_room(household, devices)
        self.status = AuthorizationStatus.APPROVED
        self.household_id = member.household_id

    def decline(self, now: dt.datetime) -> None:
        self.check_confirmable(now)
        self.status = AuthorizationStatus.DENIED

    def check_confirmable(self, now: dt.datetime) -> None:
        if self.expired(now):
            raise InvalidArgument("this code expired; ask the TV for a new one", {"user_code": "expired"})
        if self.status != AuthorizationStatus.PENDING:
            raise InvalidArgument("this code was already used", {"user_code": "already used"})

    # On the TV.

    def poll(self, client_id: str, now: dt.datetime) -> None:
        """The TV polls (RFC 8628 §3.5): returns when a token may be issued, else raises the
        OAuth error. The poll is remembered either way (for slow_down)."""
        if client_id != self.client_id:
            raise unknown_device_code()
        last, self.last_polled_at = self.last_polled_at, now
        if self.expired(now):
            raise OAuthError("expired_token", "the code expired; ask for a new one")
        if self.status == AuthorizationStatus.DENIED:
            raise OAuthError("access_denied", "the citizen declined this sign-in")
        if self.status == AuthorizationStatus.USED:
            raise OAuthError("invalid_grant", "this device code was already used")
        # Half a second of slack: a box polling at its interval arrives a little early now and then.
        if last is not None and (now - last).total_seconds() < self.interval_seconds - 0.5:
            error = OAuthError("slow_down", f"poll at most every {self.interval_seconds} seconds")
            # RFC 8628 §3.5: each slow_down adds 5 seconds to the interval.
            self.interval_seconds += SLOW_DOWN_STEP_SECONDS
            raise error
        if self.status == AuthorizationStatus.PENDING:
            raise OAuthError("authorization_pending", "waiting for the citizen to confirm on the phone")

    def use(
        self, household: Household, device: Device | None, devices: int, policy: DevicePolicy, now: dt.datetime
    ) -> tuple[Device, str]:
        """The approved code signs the box in for the household that approved it: the box that
        proved its secret at the start (`device`) is re-bound and keeps its id; any other box,
        even one showing a known serial (a resold box, a copied serial), is a new device with a
        new secret (returned, else ""). The code cannot be used again."""
        if self.status != AuthorizationStatus.APPROVED or household.id != self.household_id:
            raise OAuthError("invalid_grant", "this device code was not approved for this household")
        self.status = AuthorizationStatus.USED
        if device is not None and device.id == self.device_id and device.active:
            device.bind_to(household, now)
            return device, ""
        try:
            policy.check_room(household, devices)
        except FailedPrecondition as exc:
            raise OAuthError("access_denied", exc.message) from exc
        return Device.register(household, self.device_serial, now)


def unknown_device_code() -> OAuthError:
    return OAuthError("invalid_grant", "unknown device code")


# --- staff and departments ---------------------------------------------------


class StaffMember(Aggregate):
    def __init__(
        self,
        id: str,
        username: str,
        name: str,
        password_hash: str,
        roles: frozenset[str],
        area_code: str = "",
        revoked_at: dt.datetime | None = None,
    ):
        self.id = id
        self.username = username
        self.name = name
        self.password_hash = password_hash
        self.roles = roles
        self.area_code = area_code
        self.revoked_at = revoked_at

    @classmethod
    def enrol(cls, username: str, name: str, password: str, roles: frozenset[str], area_code: str = "") -> StaffMember:
        return cls(str(uuid.uuid4()), username, name, hash_secret(password), roles, area_code)

    @property
    def secret_hash(self) -> str:
        return self.password_hash

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def subject(self) -> str:
        return f"staff:{self.id}"

    def revoke(self, by: Caller, reason: str, now: dt.datetime) -> None:
        """The member left: they cannot sign in again, and their tokens stop working."""
        if self.revoked_at is not None:
            raise FailedPrecondition("this account was revoked already", {"username": "revoked already"})
        self.revoked_at = now
        self.record(StaffAccountRevoked(self.id, self.username, self.area_code, now, by.subject, reason))

    def caller(self) -> Caller:
        return Caller(
            subject=self.subject,
            kind=CallerKind.STAFF,
            area_code=self.area_code,
            roles=frozenset(self.roles),
            name=self.name,
            username=self.username,
        )


class DepartmentClient(Aggregate):
    """A department's system, signing in with client credentials."""

    def __init__(self, client_id: str, name: str, secret_hash: str, roles: frozenset[str], area_code: str = ""):
        self.client_id = client_id
        self.name = name
        self.secret_hash = secret_hash
        self.roles = roles
        self.area_code = area_code

    @property
    def active(self) -> bool:
        return True

    @classmethod
    def enrol(
        cls, client_id: str, name: str, secret: str, roles: frozenset[str], area_code: str = ""
    ) -> DepartmentClient:
        return cls(client_id, name, hash_secret(secret), roles, area_code)

    def caller(self) -> Caller:
        return Caller(
            subject=f"department:{self.client_id}",
            kind=CallerKind.DEPARTMENT,
            area_code=self.area_code,
            roles=frozenset(self.roles),
            name=self.name,
        )


# --- tokens ------------------------------------------------------------------


def token_claims(caller: Caller, now: dt.datetime, jti: str, policy: DevicePolicy) -> dict:
    """A token lives as long as its caller's kind allows."""
    if caller.kind == CallerKind.DEVICE:
        ttl = policy.access_ttl
    elif caller.kind == CallerKind.MEMBER:
        ttl = policy.member_access_ttl
    else:
        ttl = TOKEN_TTL[caller.kind]
    return caller.token_claims(now, ttl, jti)


def revoke_device(
    caller: Caller,
    device: Device | None,
    household: Household | None,
    reason: str,
    policy: DevicePolicy,
    now: dt.datetime,
) -> Revocation:
    """A household removes one of its boxes (from another of its TVs, the phone, or the box
    itself); the operator's staff remove a box of a household in their area, saying why."""
    check_text({"reason": (reason, MAX_FIELD)})
    if caller.kind == CallerKind.STAFF:
        require({"reason": reason})
        if device is None or household is None:
            raise NotFound("no such box")
        check_manages(caller, household)
    elif device is None or household is None or device.household_id != caller.require_household():
        raise NotFound("no such box in this household")
    device.revoke(household, caller, reason, now)
    return Revocation.of(device.subject, policy, now)


def check_manages(caller: Caller, household: Household) -> None:
    """Staff who manage boxes, for a household in their area (a town's staff its villages)."""
    if caller.kind != CallerKind.STAFF or Role.DEVICE_MANAGER not in caller.roles:
        raise PermissionDenied(f"this call is for the operator's staff with the role {Role.DEVICE_MANAGER}")
    if not household.area_code.startswith(caller.area_code):
        raise PermissionDenied("this household is outside your area", {"household_id": "outside your area"})


def revoke_staff_member(
    caller: Caller, member: StaffMember | None, reason: str, policy: DevicePolicy, now: dt.datetime
) -> Revocation:
    """A staff administrator revokes the account of a staff member who left, in their own area or
    below (a district's administrator any town's staff), saying why; never their own account."""
    if caller.kind != CallerKind.STAFF or Role.STAFF_ADMIN not in caller.roles:
        raise PermissionDenied(f"this call is for staff with the role {Role.STAFF_ADMIN}")
    require({"reason": reason})
    check_text({"reason": (reason, MAX_FIELD)})
    if member is None:
        raise NotFound("no such staff member", {"username": "unknown"})
    if not member.area_code.startswith(caller.area_code):
        raise PermissionDenied("this staff member works outside your area", {"username": "outside your area"})
    if member.subject == caller.subject:
        raise FailedPrecondition("you cannot revoke your own account", {"username": "your own account"})
    member.revoke(caller, reason, now)
    return Revocation.of(member.subject, policy, now)
