"""Who is calling the gateway, and how often: bearer tokens verified with the identity
service's keys and checked against its revocations; rate limits per device and per IP, kept in
Redis (shared by every replica), in the process's memory while Redis does not answer."""

from __future__ import annotations

import asyncio
import logging
import math
import time

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from opentelemetry import metrics

from gateway.problems import Problem
from runtime.auth import ANONYMOUS, Caller, Revocations, TokenVerifier, bearer_token
from runtime.errors import Unauthenticated, Unavailable

log = logging.getLogger(__name__)
_in_memory = metrics.get_meter("sbc.gateway").create_counter(
    "sbc.gateway.rate_limit.in_memory",
    unit="{call}",
    description="calls rate-limited in the process's memory because Redis did not answer in time",
)


class RateLimits:
    """Moving-window limits in Redis, shared by every replica. One check has a short deadline
    (`deadline` seconds in all): a Redis that is down or frozen (running, not answering) never
    holds a call up longer. Then this replica counts in its own memory, so the limits still hold
    (per replica), and tries Redis again after `retry_seconds`."""

    def __init__(self, redis_url: str, deadline: float = 0.25, retry_seconds: float = 5.0):
        self.deadline = deadline
        self.retry_seconds = retry_seconds
        self.redis = MovingWindowRateLimiter(
            RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                socket_timeout=deadline,
                socket_connect_timeout=deadline,
            )
        )
        self.memory = MovingWindowRateLimiter(MemoryStorage())
        # Until when (monotonic) Redis is left alone after it failed, and how it failed.
        self.redis_skipped_until = 0.0
        self.redis_error = ""

    @property
    def in_memory(self) -> bool:
        return time.monotonic() < self.redis_skipped_until

    async def hit(self, limit: RateLimitItem, kind: str, ident: str) -> float | None:
        """Count one call: None when it is allowed, else when (epoch seconds) its window resets."""
        if not self.in_memory:
            try:
                async with asyncio.timeout(self.deadline):
                    return await self._hit(self.redis, limit, kind, ident)
            except Exception as exc:
                self.redis_skipped_until = time.monotonic() + self.retry_seconds
                self.redis_error = "no answer in time" if isinstance(exc, TimeoutError) else repr(exc)[:200]
                log.warning(
                    "rate limits: Redis failed (%s); counting in memory for %.0f s",
                    self.redis_error,
                    self.retry_seconds,
                )
        _in_memory.add(1, {"kind": kind})
        return await self._hit(self.memory, limit, kind, ident)

    @staticmethod
    async def _hit(limiter: MovingWindowRateLimiter, limit: RateLimitItem, kind: str, ident: str) -> float | None:
        if await limiter.hit(limit, kind, ident):
            return None
        return (await limiter.get_window_stats(limit, kind, ident)).reset_time


class Security:
    def __init__(
        self,
        verifier: TokenVerifier,
        redis_url: str,
        device_limit: str,
        ip_limit: str,
        revocations: Revocations | None = None,
    ):
        self.verifier = verifier
        self.revocations = revocations
        self.limits = RateLimits(redis_url)
        self.device_limit = parse(device_limit)
        self.ip_limit = parse(ip_limit)

    def _token(self, request: Request, allow_query_token: bool) -> str:
        try:
            token = bearer_token({"authorization": request.headers.get("authorization", "")})
        except Unauthenticated as exc:
            raise _unauthenticated(exc) from exc
        if not token and allow_query_token:
            # Browsers' EventSource cannot set headers; the SSE stream also takes ?access_token=.
            token = request.query_params.get("access_token", "")
        return token

    async def caller(self, request: Request, allow_query_token: bool = False) -> tuple[Caller, str]:
        """The verified caller and its raw token; ANONYMOUS when no token was sent."""
        token = self._token(request, allow_query_token)
        if not token:
            return ANONYMOUS, ""
        caller = self.verifier.cached(token) or await self._verify(token)
        self._check_revoked(caller, token)
        return caller, token

    def _check_revoked(self, caller: Caller, token: str) -> None:
        if self.revocations is not None and self.revocations.refuses(caller, token):
            raise _unauthenticated(Unauthenticated("this token was revoked; sign in again"))

    async def _verify(self, token: str) -> Caller:
        """A token not seen before, verified off the event loop (it may have to fetch the keys)."""
        try:
            return await asyncio.to_thread(self.verifier.verify, token)
        except Unauthenticated as exc:
            raise _unauthenticated(exc) from exc
        except Unavailable as exc:
            # The keys could not be fetched: 503, so the terminal keeps its token and tries again.
            raise Problem(503, exc.message, headers={"Retry-After": "5"}) from exc

    async def _hit(self, limit, kind: str, ident: str) -> None:
        reset_time = await self.limits.hit(limit, kind, ident)
        if reset_time is None:
            return
        retry = max(1, math.ceil(reset_time - time.time()))
        raise Problem(
            429,
            f"too many requests from this {'terminal' if kind == 'subject' else 'address'}; try again in {retry} s",
            headers={"Retry-After": str(retry)},
        )

    async def check_ip(self, request: Request) -> None:
        ip = request.client.host if request.client else "unknown"
        await self._hit(self.ip_limit, "ip", ip)

    async def require(self, request: Request, allow_query_token: bool = False) -> tuple[Caller, str]:
        """A signed-in caller. A token not verified before is counted against the address first,
        so a flood of forged tokens is limited; then every call is counted against its terminal.
        A terminal whose token is known is not held back by its address: a whole village's
        TVs may share one (and answer an alert's receipt in the same second)."""
        token = self._token(request, allow_query_token)
        caller = self.verifier.cached(token) if token else None
        if caller is None:
            await self.check_ip(request)
            if not token:
                raise Problem(
                    401, "sign in first: send 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"}
                )
            caller = await self._verify(token)
        self._check_revoked(caller, token)
        await self._hit(self.device_limit, "subject", caller.subject)
        return caller, token

    async def open(self, request: Request) -> None:
        """Rate limit for calls that need no sign-in."""
        await self.check_ip(request)


def _unauthenticated(exc: Unauthenticated) -> Problem:
    return Problem(401, exc.message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
