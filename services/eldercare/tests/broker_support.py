"""The broker as the tests reach it (the environment `infra.sh env` exports): the services' own
clients on the plain listener, the accounts' admin, and devices on the TLS listener."""

from __future__ import annotations

import os

from eldercare.simulator import SimulatedDevice
from runtime.mqtt_broker import Connection

HOST = os.environ.get("MQTT_HOST", "127.0.0.1")
PORT = int(os.environ.get("MQTT_PORT", "11883"))
TLS_PORT = int(os.environ.get("MQTT_TLS_PORT", "11884"))
DEVICE_CA = os.environ.get("MQTT_DEVICE_CA_FILE", "")


def service_connection(service: str) -> Connection:
    prefix = service.upper()
    return Connection(
        HOST, PORT, os.environ.get(f"{prefix}_MQTT_USERNAME", ""), os.environ.get(f"{prefix}_MQTT_PASSWORD", "")
    )


def admin_connection() -> Connection:
    return Connection(HOST, PORT, os.environ.get("MQTT_ADMIN_USERNAME", ""), os.environ.get("MQTT_ADMIN_PASSWORD", ""))


def device_connection(device_id: str, credential: str) -> Connection:
    return Connection(HOST, TLS_PORT, device_id, credential, DEVICE_CA)


def simulated(provisioned: dict) -> SimulatedDevice:
    """A provisioned device, connected to the TLS listener as itself."""
    return SimulatedDevice(provisioned, HOST, TLS_PORT, DEVICE_CA)
