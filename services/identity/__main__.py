"""python -m identity [serve|relay|migrate]"""

from __future__ import annotations

import asyncio
import logging
import pathlib
import sys

from identity import keys, store
from identity.servicer import PUBLIC_METHODS, SERVICE_NAME, IdentityServicer
from runtime import bootstrap
from runtime.auth import TokenVerifier
from runtime.settings import env
from sbc.identity.v1 import identity_pb2_grpc

HERE = pathlib.Path(__file__).resolve().parent
log = logging.getLogger("identity")


async def serve() -> None:
    settings, db = bootstrap.start_service("identity", HERE / "migrations", default_grpc_port=50051)
    seed = env("IDENTITY_SEED_FILE")
    with db.transaction() as s:
        if seed:
            store.load_seed(s, pathlib.Path(seed))
            log.info("seed loaded", extra={"file": seed})
        signer = keys.load_or_create(s, env("IDENTITY_SIGNING_KEY_FILE"))
    servicer = IdentityServicer(
        db, signer, verification_uri=env("IDENTITY_VERIFICATION_URI", "http://127.0.0.1:8080/device")
    )
    verifier = TokenVerifier(lambda: signer.jwks())
    await bootstrap.serve_grpc(
        settings,
        [SERVICE_NAME],
        lambda server: identity_pb2_grpc.add_IdentityServiceServicer_to_server(servicer, server),
        verifier,
        PUBLIC_METHODS,
    )


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if command == "serve":
        asyncio.run(serve())
    elif command == "relay":
        bootstrap.run_relay("identity", HERE / "migrations")
    elif command == "migrate":
        bootstrap.migrate_only("identity", HERE / "migrations")
    else:
        sys.exit(f"usage: python -m identity [serve|relay|migrate], not {command!r}")


if __name__ == "__main__":
    main()
