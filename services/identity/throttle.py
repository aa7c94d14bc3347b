"""Failed sign-ins counted per account and per TV user code, and the lockouts they earn
(the rule is the domain's SignInPolicy). Counted in Redis, shared by every replica; while Redis
does not answer (each call has a short deadline), in this process's memory, which fails closed:
when it holds as many keys as it may, sign-ins are refused rather than left uncounted.

Checked before the password's scrypt, so a locked account costs identity no hashing."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable

import redis

from identity.domain import SignInLocked, SignInPolicy
from runtime.errors import ResourceExhausted

log = logging.getLogger(__name__)
PREFIX = "sbc:identity:sign-in:"


class SignInAttempts:
    def __init__(
        self,
        policy: SignInPolicy,
        redis_url: str = "",
        deadline: float = 0.2,
        retry_seconds: float = 5.0,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.time,
    ):
        self.policy = policy
        self.redis = (
            redis.Redis.from_url(redis_url, socket_timeout=deadline, socket_connect_timeout=deadline)
            if redis_url
            else None
        )
        self.retry_seconds = retry_seconds
        self.max_keys = max_keys
        self.clock = clock
        # In memory: key -> [failures, forgotten_at, locked_until] (epoch seconds).
        self.memory: dict[str, list[float]] = {}
        self.redis_skipped_until = 0.0

    def _use_redis(self) -> bool:
        return self.redis is not None and time.monotonic() >= self.redis_skipped_until

    def _redis_failed(self, exc: Exception) -> None:
        self.redis_skipped_until = time.monotonic() + self.retry_seconds
        log.warning("sign-in throttle: Redis failed (%r); counting in memory for %.0f s", exc, self.retry_seconds)

    def check(self, keys: Iterable[str]) -> None:
        """Raise SignInLocked while any of `keys` is locked."""
        keys = list(keys)
        now = self.clock()
        locked_until = 0.0
        if self._use_redis():
            assert self.redis is not None
            try:
                values = self.redis.mget([PREFIX + "lock:" + k for k in keys])
                locked_until = max((float(v) for v in values if v is not None), default=0.0)
            except redis.RedisError as exc:
                self._redis_failed(exc)
        if not self._use_redis():
            locked_until = max((self.memory.get(k, [0, 0, 0])[2] for k in keys), default=0.0)
        if locked_until > now:
            raise SignInLocked(math.ceil(locked_until - now))

    def failed(self, keys: Iterable[str]) -> None:
        """Count a failure against each of `keys`; lock those past the free failures."""
        keys = list(keys)
        now = self.clock()
        if self._use_redis():
            assert self.redis is not None
            try:
                pipe = self.redis.pipeline()
                for k in keys:
                    pipe.set(PREFIX + "n:" + k, 0, ex=self.policy.window_seconds, nx=True)
                    pipe.incr(PREFIX + "n:" + k)
                counts = pipe.execute()[1::2]
                pipe = self.redis.pipeline()
                for k, failures in zip(keys, counts, strict=True):
                    lockout = self.policy.lockout_seconds(int(failures))
                    if lockout:
                        pipe.set(PREFIX + "lock:" + k, now + lockout, ex=lockout)
                pipe.execute()
                return
            except redis.RedisError as exc:
                self._redis_failed(exc)
        self._room_for(len(keys), now)
        for k in keys:
            entry = self.memory.get(k)
            if entry is None or entry[1] <= now:
                entry = self.memory[k] = [0, now + self.policy.window_seconds, 0]
            entry[0] += 1
            lockout = self.policy.lockout_seconds(int(entry[0]))
            if lockout:
                entry[2] = now + lockout
                entry[1] = max(entry[1], entry[2])

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password: the account's failures are forgotten."""
        keys = list(keys)
        if self._use_redis():
            assert self.redis is not None
            try:
                self.redis.delete(*(PREFIX + "n:" + k for k in keys))
            except redis.RedisError as exc:
                self._redis_failed(exc)
        for k in keys:
            self.memory.pop(k, None)

    def _room_for(self, n: int, now: float) -> None:
        if len(self.memory) + n <= self.max_keys:
            return
        for k in [k for k, entry in self.memory.items() if entry[1] <= now]:
            del self.memory[k]
        if len(self.memory) + n > self.max_keys:
            # Failing closed: an uncounted failure would be a free guess.
            raise ResourceExhausted("sign-in is busy; try again in a minute", retry_after_seconds=60)
