"""python -m servicedesk [serve|relay|scheduler|assess|migrate]"""

from __future__ import annotations

import asyncio
import pathlib
import sys

from runtime import bootstrap
from sbc.servicedesk.v1 import servicedesk_pb2_grpc
from servicedesk import store
from servicedesk.servicer import SERVICE_NAME, ServiceDeskServicer

HERE = pathlib.Path(__file__).resolve().parent
NAME = "servicedesk"


async def serve() -> None:
    settings, db = bootstrap.start_service(NAME, HERE / "migrations", default_grpc_port=50052)
    servicer = ServiceDeskServicer(db, store.load_catalog_data())
    await bootstrap.serve_grpc(
        settings,
        [SERVICE_NAME],
        lambda server: servicedesk_pb2_grpc.add_ServiceDeskServiceServicer_to_server(servicer, server),
        bootstrap.verifier_for(settings),
    )


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if command == "serve":
        asyncio.run(serve())
    elif command == "relay":
        bootstrap.run_relay(NAME, HERE / "migrations")
    elif command == "scheduler":
        from runtime.settings import env
        from servicedesk.scheduler import SlaScheduler

        bootstrap.run_worker(
            NAME,
            "scheduler",
            HERE / "migrations",
            lambda settings, db: SlaScheduler(
                db, store.load_catalog_data(), interval_seconds=float(env("SLA_SCAN_SECONDS", "5"))
            ),
        )
    elif command == "assess":
        from servicedesk.assessment import make_consumer

        bootstrap.run_worker(NAME, "assessment", HERE / "migrations", make_consumer)
    elif command == "migrate":
        bootstrap.migrate_only(NAME, HERE / "migrations")
    else:
        sys.exit(f"usage: python -m {NAME} [serve|relay|scheduler|assess|migrate], not {command!r}")


if __name__ == "__main__":
    main()
