"""Who is calling the gateway, and how often: bearer tokens verified with the
identity service's keys; Redis-backed rate limits per device and per IP."""

from __future__ import annotations

import asyncio
import logging
import math
import time

from fastapi import Request
from limits import parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from gateway.problems import Problem
from runtime.auth import ANONYMOUS, Caller, TokenVerifier, bearer_token
from runtime.errors import Unauthenticated

log = logging.getLogger(__name__)


class Security:
    def __init__(self, verifier: TokenVerifier, redis_url: str, device_limit: str, ip_limit: str):
        self.verifier = verifier
        self.storage = RedisStorage("async+" + redis_url, implementation="redispy")
        self.limiter = MovingWindowRateLimiter(self.storage)
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
        return self.verifier.cached(token) or await self._verify(token), token

    async def _verify(self, token: str) -> Caller:
        """A token not seen before, verified off the event loop (it may have to fetch the keys)."""
        try:
            return await asyncio.to_thread(self.verifier.verify, token)
        except Unauthenticated as exc:
            raise _unauthenticated(exc) from exc

    async def _hit(self, limit, kind: str, ident: str) -> None:
        try:
            allowed = await self.limiter.hit(limit, kind, ident)
            if allowed:
                return
            stats = await self.limiter.get_window_stats(limit, kind, ident)
        except Exception:
            # Redis away: let the call through (a citizen is not turned away at 3 a.m.
            # because a cache is down); the alert on Redis is the operator's signal.
            log.warning("rate limit unavailable; allowing the call", exc_info=True)
            return
        retry = max(1, math.ceil(stats.reset_time - time.time()))
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
        await self._hit(self.device_limit, "subject", caller.subject)
        return caller, token

    async def open(self, request: Request) -> None:
        """Rate limit for calls that need no sign-in."""
        await self.check_ip(request)


def _unauthenticated(exc: Unauthenticated) -> Problem:
    return Problem(401, exc.message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
