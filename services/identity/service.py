"""What the runtime runs of identity (python -m identity [serve|relay|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

import json
import logging
import pathlib

from identity import domain, handlers, keys
from identity.servicer import PUBLIC_METHODS, IdentityServicer
from identity.store import UnitOfWork
from identity.throttle import SignInAttempts
from runtime import registry
from runtime.auth import TokenVerifier
from runtime.service import Context, Service
from runtime.settings import env
from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

log = logging.getLogger("identity")

# The gateway's phone page, where a citizen confirms a TV's sign-in (the registry gives the real one).
DEFAULT_VERIFICATION_URI = "http://127.0.0.1:8080/identity/device"
DATA = pathlib.Path(__file__).resolve().parent / "data"


def sign_in_attempts(redis_url: str) -> SignInAttempts:
    """Failed sign-ins, counted in Redis (in memory only when `redis_url` is empty)."""
    policy = domain.SignInPolicy.of(json.loads((DATA / "sign_in.json").read_text(encoding="utf-8")))
    if not redis_url:
        log.warning("REDIS_URL is not set: failed sign-ins are counted in this process only")
    return SignInAttempts(policy, redis_url)


def acting_roles() -> frozenset[str]:
    """The staff roles that may look up a household they act for (data/acting_roles.json)."""
    return frozenset(json.loads((DATA / "acting_roles.json").read_text(encoding="utf-8"))["roles"])


def servicer(ctx: Context) -> IdentityServicer:
    seed = env("IDENTITY_SEED_FILE")
    if seed:
        data = json.loads(pathlib.Path(seed).read_text(encoding="utf-8"))
        handlers.load_seed(UnitOfWork(ctx.db), data, set(registry.load().roles()))
        log.info("seed loaded", extra={"file": seed})
    with ctx.db.transaction() as s:
        signer = keys.load_or_create(s, env("IDENTITY_SIGNING_KEY_FILE"))
    return IdentityServicer(
        ctx.db,
        signer,
        verification_uri=env("IDENTITY_VERIFICATION_URI", DEFAULT_VERIFICATION_URI),
        attempts=sign_in_attempts(env("REDIS_URL")),
        acting_roles=acting_roles(),
        policy=device_policy(),
    )


def device_policy() -> domain.DevicePolicy:
    return domain.DevicePolicy.of(json.loads((DATA / "devices.json").read_text(encoding="utf-8")))


SERVICE = Service(
    name="identity",
    proto=identity_pb2,
    register=identity_pb2_grpc.add_IdentityServiceServicer_to_server,
    servicer=servicer,
    public_methods=frozenset(PUBLIC_METHODS),
    # Identity verifies tokens with its own keys.
    verifier=lambda ctx, servicer: TokenVerifier(servicer.jwks),
)
