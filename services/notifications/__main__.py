"""python -m notifications [serve|consume|relay|migrate]"""

from __future__ import annotations

import asyncio
import pathlib
import sys

from notifications import events
from notifications.servicer import SERVICE_NAME, NotificationServicer
from runtime import bootstrap
from runtime.consumer import Consumer
from runtime.settings import env
from sbc.notifications.v1 import notifications_pb2_grpc

HERE = pathlib.Path(__file__).resolve().parent
NAME = "notifications"


async def serve() -> None:
    settings, db = bootstrap.start_service(NAME, HERE / "migrations", default_grpc_port=50053)
    servicer = NotificationServicer(db)
    await bootstrap.serve_grpc(
        settings,
        [SERVICE_NAME],
        lambda server: notifications_pb2_grpc.add_NotificationServiceServicer_to_server(servicer, server),
        bootstrap.verifier_for(settings),
    )


def make_consumer(settings, db) -> Consumer:
    # One group per deployment: two platforms on one Kafka must not share it.
    group = env("NOTIFICATIONS_GROUP", events.GROUP)
    return Consumer(db, settings.kafka_bootstrap_servers, group, events.CONSUMED_TOPICS, events.HANDLERS)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if command == "serve":
        asyncio.run(serve())
    elif command == "consume":
        bootstrap.run_worker(NAME, "consumer", HERE / "migrations", make_consumer)
    elif command == "relay":
        bootstrap.run_relay(NAME, HERE / "migrations")
    elif command == "migrate":
        bootstrap.migrate_only(NAME, HERE / "migrations")
    else:
        sys.exit(f"usage: python -m {NAME} [serve|consume|relay|migrate], not {command!r}")


if __name__ == "__main__":
    main()
