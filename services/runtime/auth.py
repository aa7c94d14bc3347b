"""Who is calling: tokens are JWTs signed by the identity service; every
service verifies them itself against the published keys (JWKS)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from cachetools import TLRUCache
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from runtime.errors import PermissionDenied, Unauthenticated, Unavailable

log = logging.getLogger(__name__)

ISSUER = "sbc-identity"
AUDIENCE = "sbc"
ALGORITHM = "ES256"


class CallerKind:
    DEVICE = "device"  # a household's signed-in set-top box
    STAFF = "staff"
    DEPARTMENT = "department"  # a government department's system
    MEMBER = "member"  # a household member signed in on the phone app (subject "member:<id>")


@dataclass(frozen=True)
class Caller:
    subject: str
    kind: str
    household_id: str = ""
    device_id: str = ""
    area_code: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    name: str = ""
    # A staff member's user name (what rosters, e.g. a service point's technicians, name).
    username: str = ""
    # A household member's mobile number, as they sign in on the phone (what a family invitation by
    # number is addressed to); empty for boxes, staff and departments.
    phone: str = ""

    def is_household(self) -> bool:
        """A household's box or a member on the phone: both act as the household."""
        return self.kind in (CallerKind.DEVICE, CallerKind.MEMBER) and bool(self.household_id)

    def require_household(self) -> str:
        if not self.is_household():
            raise PermissionDenied("this call is for a household's signed-in terminal")
        return self.household_id

    def require_role(self, *roles: str) -> None:
        if not self.roles.intersection(roles):
            raise PermissionDenied(f"requires one of the roles: {', '.join(roles)}")

    def claims(self) -> dict:
        return {
            "sub": self.subject,
            "typ": self.kind,
            "hid": self.household_id,
            "did": self.device_id,
            "area": self.area_code,
            "roles": sorted(self.roles),
            "name": self.name,
            **({"usr": self.username} if self.username else {}),
            **({"tel": self.phone} if self.phone else {}),
        }

    def token_claims(self, now: dt.datetime, ttl: dt.timedelta, jti: str) -> dict:
        """The claims of a token for this caller, issued at `now`, valid for `ttl`."""
        return {**self.claims(), "iat": int(now.timestamp()), "exp": int((now + ttl).timestamp()), "jti": jti}

    @classmethod
    def from_claims(cls, c: dict) -> Caller:
        return cls(
            subject=c["sub"],
            kind=c.get("typ", ""),
            household_id=c.get("hid", ""),
            device_id=c.get("did", ""),
            area_code=c.get("area", ""),
            roles=frozenset(c.get("roles", [])),
            name=c.get("name", ""),
            username=c.get("usr", ""),
            phone=c.get("tel", ""),
        )


ANONYMOUS = Caller(subject="", kind="anonymous")
_current: contextvars.ContextVar[Caller] = contextvars.ContextVar("caller", default=ANONYMOUS)


def current_caller() -> Caller:
    return _current.get()


# The caller's own bearer token, for a service that calls another on the caller's behalf (identity's
# GetHousehold: runtime.households), so the other checks the caller's rights itself.
_bearer: contextvars.ContextVar[str] = contextvars.ContextVar("bearer", default="")


def current_bearer() -> str:
    return _bearer.get()


def set_caller(caller: Caller, bearer: str = ""):
    return _current.set(caller), _bearer.set(bearer)


def reset_caller(token) -> None:
    caller, bearer = token
    _current.reset(caller)
    _bearer.reset(bearer)


class TokenVerifier:
    """Verifies tokens against a JWKS document fetched by `fetch_jwks`; fetches
    again (at most every `min_refresh_seconds`) when a token names an unknown key.

    A verified token is remembered until it expires (or its key leaves the JWKS):
    a set-top box sends the same token with every call, and checking an ES256
    signature again each time is most of what a small call costs."""

    def __init__(
        self,
        fetch_jwks: Callable[[], str],
        min_refresh_seconds: float = 10.0,
        remember: int = 20_000,
        clock: Callable[[], float] = time.time,
        max_key_age_seconds: float = 300.0,
    ):
        self._fetch = fetch_jwks
        self._min_refresh = min_refresh_seconds
        # The keys are read again after this long: a key identity no longer publishes (retired
        # and its tokens expired, or withdrawn) stops verifying anything.
        self._max_key_age = max_key_age_seconds
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()
        # sha256(token) -> (caller, kid, exp); each entry lives until its token's exp, the least
        # recently used go first beyond `remember` (an entry is about 1.5 KB).
        self._verified: TLRUCache = TLRUCache(maxsize=remember, ttu=lambda _k, v, _now: v[2], timer=clock)
        self._verified_lock = threading.Lock()

    def _stale(self) -> bool:
        return time.monotonic() - self._fetched_at >= self._max_key_age

    def _refresh(self, force: bool) -> None:
        with self._lock:
            if self._keys and not force and self._stale():
                try:
                    self._load()
                except Exception:  # keep the keys known: identity away must not turn tokens away
                    self._fetched_at = time.monotonic() - self._max_key_age + self._min_refresh
                return
            if self._keys and not force:
                return
            if force and time.monotonic() - self._fetched_at < self._min_refresh:
                return
            self._load()

    def _load(self) -> None:
        jwks = jwt.PyJWKSet.from_json(self._fetch())
        self._keys = {k.key_id or "": k.key for k in jwks.keys}
        self._fetched_at = time.monotonic()

    def cached(self, token: str) -> Caller | None:
        """The caller of a token verified before and still valid; None otherwise. No I/O."""
        with self._verified_lock:
            hit = self._verified.get(_digest(token))
        if hit is None or hit[1] not in self._keys or self._stale():
            return None  # (stale keys: verify() reads them again first)
        return hit[0]

    def verify(self, token: str) -> Caller:
        caller = self.cached(token)
        if caller is not None:
            return caller
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"malformed token: {exc}") from exc
        try:
            self._refresh(force=False)
            if kid not in self._keys:
                self._refresh(force=True)
        except Exception as exc:
            # Not the token's fault: a client told 401 would throw a good token away (and a TV
            # would need someone to sign it in again). Unavailable: try again in a moment.
            raise Unavailable(f"cannot load the keys that verify tokens: {exc}") from exc
        key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("token signed by an unknown key")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("token expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from exc
        caller = Caller.from_claims(claims)
        with self._verified_lock:
            self._verified[_digest(token)] = (caller, kid, float(claims["exp"]))
        return caller


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class Signer:
    """Signs tokens (ES256, with the key's id in the header) and publishes the public keys (JWKS).
    Identity signs every token with one; the runtime's test plugin mints tokens with another."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey, others: dict | None = None, kid: str = ""):
        self.kid = kid or key_id(private_key)
        self.private_key = private_key
        # Every key still trusted (older keys, another replica's): all are published.
        self.public_keys = {**(others or {}), self.kid: private_key.public_key()}

    @classmethod
    def generate(cls) -> Signer:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    def sign(self, claims: dict) -> str:
        return jwt.encode(
            {**claims, "iss": ISSUER, "aud": AUDIENCE}, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid}
        )

    def jwks(self) -> str:
        keys = []
        for kid, public_key in sorted(self.public_keys.items()):
            jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public_key))
            jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
            keys.append(jwk)
        return json.dumps({"keys": keys})


def key_id(key: ec.EllipticCurvePrivateKey) -> str:
    """A key's id: the start of the SHA-256 of its public key."""
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def bearer_token(metadata: dict[str, str]) -> str:
    value = metadata.get("authorization", "")
    if not value:
        return ""
    scheme, _, token = value.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("authorization must be 'Bearer <token>'")
    return token


class Revocations:
    """Subjects whose tokens issued at or before a moment are refused (a stolen TV, a reused
    refresh token, a staff member who left), read from identity every `refresh_seconds` by one
    background task, in the gateway and in every service's gRPC server (CallerInterceptor), so that
    checking a call costs one dict look-up and no I/O. The price: a revoked token still works for
    up to `refresh_seconds` (plus one fetch), and while identity is away the last list read holds
    (a token revoked meanwhile works until identity answers again). Identity keeps each
    revocation only until the last token it covers would have expired, so the list stays short."""

    def __init__(self, fetch: Callable[[], Awaitable[dict[str, float]]], refresh_seconds: float = 5.0):
        self.fetch = fetch
        self.refresh_seconds = refresh_seconds
        # subject -> revoked at (epoch seconds)
        self.revoked: dict[str, float] = {}
        self.fetched_at = 0.0  # monotonic; 0 before the first answer
        self._task: asyncio.Task | None = None

    def refuses(self, caller: Caller, token: str) -> bool:
        at = self.revoked.get(caller.subject)
        if at is None:
            return False
        # Only for a revoked subject: read the token's issue time (its signature is already verified).
        issued = jwt.decode(token, options={"verify_signature": False}).get("iat", 0)
        return issued <= at

    async def refresh(self) -> None:
        self.revoked = await self.fetch()
        self.fetched_at = time.monotonic()

    async def _run(self) -> None:
        warned_at = None  # while identity is away (every process starting before it, say): once a minute
        while True:
            try:
                await self.refresh()
                if warned_at is not None:
                    log.info("revocations: read from identity again")
                warned_at = None
            except Exception as exc:  # identity away: keep the last list, try again
                if warned_at is None or time.monotonic() - warned_at >= 60:
                    warned_at = time.monotonic()
                    details = getattr(exc, "details", None)  # a gRPC error's one line, not its debug string
                    detail = details() if callable(details) else exc
                    log.warning("revocations: cannot read them from identity (%s); keeping the last list", detail)
            await asyncio.sleep(self.refresh_seconds)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="revocations")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def grpc_revocations_fetcher(identity_addr: str, timeout: float = 2.0) -> Callable[[], Awaitable[dict[str, float]]]:
    """Read identity's revocations in force over gRPC: subject -> revoked at (epoch seconds)."""
    channel = None

    async def fetch() -> dict[str, float]:
        import grpc

        from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

        nonlocal channel
        if channel is None:
            channel = grpc.aio.insecure_channel(identity_addr)
        stub = identity_pb2_grpc.IdentityServiceStub(channel)
        r = await stub.ListRevocations(identity_pb2.ListRevocationsRequest(), timeout=timeout)
        return {x.subject: x.revoked_at.seconds + x.revoked_at.nanos / 1e9 for x in r.revocations}

    return fetch


def grpc_jwks_fetcher(identity_addr: str) -> Callable[[], str]:
    """Fetch the JWKS from the identity service over gRPC (a short sync call)."""

    def fetch() -> str:
        import grpc

        from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

        with grpc.insecure_channel(identity_addr) as channel:
            stub = identity_pb2_grpc.IdentityServiceStub(channel)
            return stub.GetJwks(identity_pb2.GetJwksRequest(), timeout=5).json

    return fetch


def static_jwks(jwks: dict | str) -> Callable[[], str]:
    text = jwks if isinstance(jwks, str) else json.dumps(jwks)
    return lambda: text
