"""The devices' accounts on the MQTT broker: provisioning gives a device a broker client of its own
(username = device id, password = its credential) and a role that lets it publish only its own
telemetry, events and receipts and read only its own commands and its area's alerts. The handlers
see the port (DeviceAccounts); BrokerAccounts keeps it in Mosquitto's dynamic-security plugin."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Protocol

from runtime.mqtt_broker import Acl, Change, Command, Connection, DynamicSecurity, area_and_parents
from runtime.settings import env, env_int

DATA = Path(__file__).parent / "data"
AREA_ROLE = "sbc-area-"


class DeviceAccounts(Protocol):
    def open(self, device_id: str, credential: str, area_code: str) -> None:
        """The device may connect with this credential (a former one no longer works)."""

    def move(self, device_id: str, area_code: str) -> None:
        """The device reads the alerts of this area (its elder's) from now on."""

    def close(self, device_id: str) -> None:
        """The device may no longer connect."""


@cache
def topics() -> dict:
    return json.loads((DATA / "broker.json").read_text(encoding="utf-8"))


def device_acls(root: str, device_id: str) -> list[Acl]:
    t = topics()
    return [Acl("publishClientSend", x.format(root=root, device=device_id)) for x in t["device_publishes"]] + [
        Acl("subscribeLiteral", x.format(root=root, device=device_id)) for x in t["device_subscribes"]
    ]


def area_acls(area_code: str) -> list[Acl]:
    return [Acl("subscribeLiteral", x.format(area=area_code)) for x in topics()["area_subscribes"]]


class BrokerAccounts:
    def __init__(self, dynsec: DynamicSecurity, root: str):
        self.dynsec = dynsec
        self.root = root

    def _area_roles(self, area_code: str) -> tuple[list[str], list[Command]]:
        """The roles that read the alerts of the area and its parents, and the changes that make them."""
        codes = area_and_parents(area_code)
        changes = [c for code in codes for c in Change.ensure_role(AREA_ROLE + code, area_acls(code))]
        return [AREA_ROLE + code for code in codes], changes

    def open(self, device_id: str, credential: str, area_code: str) -> None:
        # One message, one round trip: the client (a rotation's former one) deleted first, then its
        # role replaced, its area's roles, and the client made with them. In this order only: deleting
        # the role first, while the client holds it, crashes Mosquitto 2.0 (see Change.put_role).
        role = f"sbc-device-{device_id}"
        area_roles, making_them = self._area_roles(area_code)
        self.dynsec.apply(
            Change.delete_client(device_id)
            + Change.put_role(role, device_acls(self.root, device_id))
            + making_them
            + Change.create_client(device_id, credential, [role, *area_roles])
        )

    def move(self, device_id: str, area_code: str) -> None:
        now = {r for r in self.dynsec.client_roles(device_id) if r.startswith(AREA_ROLE)}
        wanted, making_them = self._area_roles(area_code)
        self.dynsec.apply(making_them)
        self.dynsec.set_client_roles(device_id, add=sorted(set(wanted) - now), remove=sorted(now - set(wanted)))

    def close(self, device_id: str) -> None:
        # The client before its role (Change.put_role).
        self.dynsec.apply(Change.delete_client(device_id) + Change.delete_role(f"sbc-device-{device_id}"))


def from_env(root: str) -> BrokerAccounts:
    """The accounts on the configured broker (MQTT_ADMIN_USERNAME/_PASSWORD); connects on first use."""
    admin = Connection(
        env("MQTT_HOST", "127.0.0.1"),
        env_int("MQTT_PORT", 11883),
        env("MQTT_ADMIN_USERNAME"),
        env("MQTT_ADMIN_PASSWORD"),
        env("MQTT_CA_FILE"),
    )
    return BrokerAccounts(DynamicSecurity(admin), root)
