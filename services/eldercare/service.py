"""What the runtime runs of eldercare (python -m eldercare
[serve|relay|bridge|commander|scheduler|simulate|all|migrate]); the registry
(charts/sbc-platform/platform.yaml) says which processes it has."""

from __future__ import annotations

from eldercare import bridge, broker, commander, scheduler, store
from eldercare.servicer import PUBLIC_METHODS, EldercareServicer
from runtime.service import Service, periodic
from sbc.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc

SERVICE = Service(
    name="eldercare",
    proto=eldercare_pb2,
    register=eldercare_pb2_grpc.add_EldercareServiceServicer_to_server,
    # Provisioning makes the devices' broker accounts (MQTT_ADMIN_USERNAME/_PASSWORD).
    servicer=lambda ctx: EldercareServicer(ctx.db, accounts=broker.from_env(store.mqtt_root())),
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
