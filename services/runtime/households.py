"""Households as identity registered them, for a service about to act for one on a staff caller's
behalf (rules.acting): the household id a caller names and the area the rules check come from
identity, never from the request.

Each service asks identity itself (GetHousehold, with the caller's own token, so identity checks the
caller's role too) rather than trusting something the gateway resolved: a service is reachable over
gRPC without the gateway, and the check is then still made, in one place (this module).

    households = IdentityHouseholds(ctx.settings.identity_addr)
    area = households.area_of(household_id)   # NotFound, PermissionDenied, Unavailable
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Protocol

import grpc
from cachetools import TTLCache

from runtime import auth
from runtime.errors import DomainError, InvalidArgument, NotFound, PermissionDenied, Unauthenticated, Unavailable

# A household rarely moves; a minute-old answer is good enough, and saves a call per filing.
CACHE_SECONDS = 60.0
TIMEOUT_SECONDS = 3.0

_ERRORS: dict[grpc.StatusCode, type[DomainError]] = {
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
}


class Households(Protocol):
    def area_of(self, household_id: str) -> str:
        """The registered area code (12 digits) of a household; NotFound when there is none."""
        ...


class IdentityHouseholds:
    """Identity's GetHousehold, with the current caller's token; answers kept CACHE_SECONDS.
    Ask only once the service's own rules let the caller act for someone (the cache is by household)."""

    def __init__(self, identity_addr: str, cache_seconds: float = CACHE_SECONDS, timeout: float = TIMEOUT_SECONDS):
        self.identity_addr = identity_addr
        self.timeout = timeout
        self._cache: TTLCache = TTLCache(maxsize=10_000, ttl=cache_seconds)
        self._lock = threading.Lock()
        self._stub: Any = None

    def _identity(self):
        from sbc.identity.v1 import identity_pb2_grpc

        with self._lock:
            if self._stub is None:
                self._stub = identity_pb2_grpc.IdentityServiceStub(grpc.insecure_channel(self.identity_addr))
            return self._stub

    def area_of(self, household_id: str) -> str:
        from sbc.identity.v1 import identity_pb2

        with self._lock:
            area = self._cache.get(household_id)
        if area is not None:
            return area
        try:
            found = self._identity().GetHousehold(
                identity_pb2.GetHouseholdRequest(household_id=household_id),
                metadata=[("authorization", f"Bearer {auth.current_bearer()}")],
                timeout=self.timeout,
            )
        except grpc.RpcError as exc:
            kind = _ERRORS.get(exc.code())
            if kind is None:
                raise Unavailable(f"identity does not answer who household {household_id!r} is; try again") from exc
            if kind is NotFound:
                raise NotFound(
                    f"no household {household_id!r} is registered", {"household_id": "not a registered household"}
                ) from exc
            raise kind(exc.details() or "identity refused the lookup of the household") from exc
        with self._lock:
            self._cache[household_id] = found.area.code
        return found.area.code


class HouseholdsOnFile:
    """Households from a mapping {household id: area code} (a service's tests)."""

    def __init__(self, areas: Mapping[str, str]):
        self.areas = dict(areas)

    def area_of(self, household_id: str) -> str:
        if household_id not in self.areas:
            raise NotFound(
                f"no household {household_id!r} is registered", {"household_id": "not a registered household"}
            )
        return self.areas[household_id]
