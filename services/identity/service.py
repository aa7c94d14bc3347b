"""What the runtime runs of identity (python -m identity [serve|relay|all|migrate])."""

from __future__ import annotations

import logging
import pathlib

from identity import keys, store
from identity.servicer import PUBLIC_METHODS, IdentityServicer
from runtime.auth import TokenVerifier
from runtime.service import Context, Service
from runtime.settings import env
from sbc.identity.v1 import identity_pb2, identity_pb2_grpc

log = logging.getLogger("identity")


def servicer(ctx: Context) -> IdentityServicer:
    seed = env("IDENTITY_SEED_FILE")
    with ctx.db.transaction() as s:
        if seed:
            store.load_seed(s, pathlib.Path(seed))
            log.info("seed loaded", extra={"file": seed})
        signer = keys.load_or_create(s, env("IDENTITY_SIGNING_KEY_FILE"))
    return IdentityServicer(
        ctx.db, signer, verification_uri=env("IDENTITY_VERIFICATION_URI", "http://127.0.0.1:8080/device")
    )


SERVICE = Service(
    name="identity",
    proto=identity_pb2,
    register=identity_pb2_grpc.add_IdentityServiceServicer_to_server,
    servicer=servicer,
    public_methods=frozenset(PUBLIC_METHODS),
    # Identity verifies tokens with its own keys.
    verifier=lambda ctx, servicer: TokenVerifier(servicer.signer.jwks),
)
