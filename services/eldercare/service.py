"""What the runtime runs of eldercare (python -m eldercare
[serve|relay|bridge|commander|scheduler|simulate|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from eldercare import bridge, commander, scheduler
from eldercare.servicer import PUBLIC_METHODS, EldercareServicer
from runtime.service import Service, periodic
from sbc.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc

SERVICE = Service(
    name="eldercare",
    proto=eldercare_pb2,
    register=eldercare_pb2_grpc.add_EldercareServiceServicer_to_server,
    servicer=lambda ctx: EldercareServicer(ctx.db),
    public_methods=frozenset(PUBLIC_METHODS),
    workers={
        # Devices' MQTT messages into the store (QoS 1, acknowledged once committed).
        "bridge": bridge.make_bridge,
        # Persistent commands to the devices over MQTT, and their replies matched by request id.
        "commander": commander.make_commander,
        # Inactivity alarms on time, the escalation's reminders, medication doses, commands' expiry.
        "scheduler": periodic(scheduler.scheduler_pass, every="ELDERCARE_CHECK_SECONDS", default=5),
    },
)
