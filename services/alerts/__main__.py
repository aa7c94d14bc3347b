"""python -m alerts [serve|relay|loudspeakers|iot|terminals|migrate]"""

from __future__ import annotations

import asyncio
import logging
import pathlib
import sys

from alerts import channels as channel_workers
from alerts import store
from alerts.servicer import PUBLIC_METHODS, SERVICE_NAME, AlertServicer
from runtime import bootstrap
from runtime.settings import env
from sbc.alerts.v1 import alerts_pb2_grpc

HERE = pathlib.Path(__file__).resolve().parent
NAME = "alerts"
log = logging.getLogger(__name__)


async def serve() -> None:
    settings, db = bootstrap.start_service(NAME, HERE / "migrations", default_grpc_port=50054)
    verifier = bootstrap.verifier_for(settings)
    servicer = AlertServicer(db, verifier=verifier)
    every = float(env("ALERTS_CHECK_SECONDS", "2"))
    channels = store.load_channels()
    # Seconds without a receipt before a terminal gets the alert again (data file; env for tests).
    redeliver_after = float(env("ALERTS_REDELIVER_SECONDS", str(channels["redeliver_after_seconds"])))

    async def expire_loop():
        # An expired alert stops showing: announce it on every channel. Terminals without a
        # receipt after `redeliver_after` get the alert again.
        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(servicer.expire_due)
                await asyncio.to_thread(servicer.redeliver_due, redeliver_after, channels["max_attempts"])
            except Exception:
                log.exception("expiry/re-delivery check failed; will retry")

    await bootstrap.serve_grpc(
        settings,
        [SERVICE_NAME],
        lambda server: alerts_pb2_grpc.add_AlertServiceServicer_to_server(servicer, server),
        verifier,
        public_methods=PUBLIC_METHODS,
        background=[expire_loop],
    )


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if command == "serve":
        asyncio.run(serve())
    elif command == "relay":
        bootstrap.run_relay(NAME, HERE / "migrations")
    elif command == "loudspeakers":
        bootstrap.run_worker(NAME, "loudspeakers", HERE / "migrations", channel_workers.make_loudspeakers)
    elif command == "iot":
        bootstrap.run_worker(NAME, "iot", HERE / "migrations", channel_workers.make_iot)
    elif command == "terminals":
        from alerts import terminals

        bootstrap.run_worker(NAME, "terminals", HERE / "migrations", terminals.make_consumer)
    elif command == "migrate":
        bootstrap.migrate_only(NAME, HERE / "migrations")
    else:
        sys.exit(f"usage: python -m {NAME} [serve|relay|loudspeakers|iot|terminals|migrate], not {command!r}")


if __name__ == "__main__":
    main()
