"""What the runtime runs of the emergency broadcast service
(python -m alerts [serve|relay|scheduler|loudspeakers|iot|terminals|all|migrate])."""

from __future__ import annotations

from alerts import cap, channels, handlers, store, terminals
from alerts.servicer import PUBLIC_METHODS, AlertServicer
from runtime.service import Context, Service, periodic
from runtime.times import utcnow
from sbc.alerts.v1 import alerts_pb2, alerts_pb2_grpc


def scheduler_pass(ctx: Context):
    """An expired alert stops showing: announce it on every channel. Terminals without a receipt
    after ALERTS_REDELIVER_SECONDS get the alert again."""
    redeliver_after, max_attempts = store.redelivery()

    def tick() -> None:
        handlers.expire_due(store.UnitOfWork(ctx.db), utcnow())
        handlers.redeliver_due(store.UnitOfWork(ctx.db), redeliver_after, max_attempts, utcnow())

    return tick


SERVICE = Service(
    name="alerts",
    proto=alerts_pb2,
    register=alerts_pb2_grpc.add_AlertServiceServicer_to_server,
    servicer=lambda ctx: AlertServicer(ctx.db, verifier=ctx.verifier),
    public_methods=frozenset(PUBLIC_METHODS),
    # A CAP message of ALERTS_CAP_MAX_BYTES, and the rest of the request around it.
    max_message_bytes=lambda: cap.max_bytes() + 64 * 1024,
    workers={
        "scheduler": periodic(scheduler_pass, every="ALERTS_CHECK_SECONDS", default=2),
        "loudspeakers": channels.make_loudspeakers,
        "iot": channels.make_iot,
        "terminals": lambda ctx: terminals.make_consumer(ctx.db, ctx.kafka, ctx.topics[0], ctx.group),
    },
)
