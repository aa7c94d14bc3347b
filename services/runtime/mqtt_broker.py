"""The MQTT broker, as the services see it: how a service's or a device's client connects (its own
username and password, TLS with the platform's CA where the listener has it), and the broker's
accounts, kept by Mosquitto's dynamic-security plugin and managed over plain MQTT on
`$CONTROL/dynamic-security/v1` by the admin credential.

The settings are read where a process uses them (the bridge, the alerts IoT worker, eldercare's
server): MQTT_HOST, MQTT_PORT, MQTT_CA_FILE (TLS when set), <SERVICE>_MQTT_USERNAME/_PASSWORD,
MQTT_ADMIN_USERNAME/_PASSWORD."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass

import paho.mqtt.client as mqtt

from runtime.errors import Unavailable

log = logging.getLogger(__name__)
# The plugin's MQTT control topic (not a Kafka topic of the registry).
CONTROL_MQTT = "$CONTROL/dynamic-security/v1"


@dataclass(frozen=True)
class Connection:
    host: str
    port: int
    username: str = ""
    password: str = ""
    ca_file: str = ""  # TLS when set

    def client(self, client_id: str = "", **kwargs) -> mqtt.Client:
        """A paho client with these credentials (connect it yourself)."""
        c = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id or f"sbc-{uuid.uuid4().hex[:12]}",
            protocol=kwargs.pop("protocol", mqtt.MQTTv311),
            **kwargs,
        )
        if self.username:
            c.username_pw_set(self.username, self.password)
        if self.ca_file:
            c.tls_set(ca_certs=self.ca_file)
        return c


def area_and_parents(area_code: str) -> list[str]:
    """A village's code (12 digits) and those of its town (9) and district (6): the areas an alert
    for the device's place may be sent to."""
    return [area_code[:n] for n in (6, 9, 12) if len(area_code) >= n]


class BrokerError(Exception):
    """The broker refused a dynamic-security command."""


@dataclass(frozen=True)
class Acl:
    kind: str  # publishClientSend, subscribeLiteral, subscribePattern, ...
    topic: str

    def as_json(self) -> dict:
        return {"acltype": self.kind, "topic": self.topic, "priority": 0, "allow": True}


# A command to the plugin, and the errors it may answer without failing (e.g. "not found").
Command = tuple[dict, tuple[str, ...]]


class Change:
    """The commands that make one change to the accounts; several changes go in one message
    (DynamicSecurity.apply), which the plugin carries out in order."""

    @staticmethod
    def create_client(username: str, password: str, roles: list[str]) -> list[Command]:
        create = {
            "command": "createClient",
            "username": username,
            "password": password,
            "roles": [{"rolename": r} for r in roles],
        }
        return [(create, ())]

    @staticmethod
    def put_client(username: str, password: str, roles: list[str]) -> list[Command]:
        """The client exists with this password and exactly these roles (made or replaced: a
        connected client with the old password is disconnected)."""
        return Change.delete_client(username) + Change.create_client(username, password, roles)

    @staticmethod
    def delete_client(username: str) -> list[Command]:
        """The client removed (a connected one is disconnected); no such client is no error."""
        return [({"command": "deleteClient", "username": username}, ("not found",))]

    @staticmethod
    def put_role(name: str, acls: list[Acl]) -> list[Command]:
        """The role exists with exactly these ACLs. Never while a client holds it: Mosquitto 2.0
        crashes when a client is deleted after a role it held (eclipse-mosquitto/mosquitto#2660),
        so delete the client first."""
        create = {"command": "createRole", "rolename": name, "acls": [a.as_json() for a in acls]}
        return [({"command": "deleteRole", "rolename": name}, ("not found",)), (create, ())]

    @staticmethod
    def ensure_role(name: str, acls: list[Acl]) -> list[Command]:
        """The role exists (one that exists is kept as it is: shared roles, the same for everyone)."""
        create = {"command": "createRole", "rolename": name, "acls": [a.as_json() for a in acls]}
        return [(create, ("already exists",))]

    @staticmethod
    def delete_role(name: str) -> list[Command]:
        return [({"command": "deleteRole", "rolename": name}, ("not found",))]


class DynamicSecurity:
    """Commands to the dynamic-security plugin, over one admin connection, each answered by its
    correlation data. Thread-safe; connects on first use.

    `timeout` bounds a whole call (connecting included): it is shorter than the gateway's deadline
    for its backends (BACKEND_TIMEOUT_SECONDS, 10), so that a broker that does not answer is the
    caller's clear UNAVAILABLE, never a gateway timeout. A change is one message, one round trip."""

    def __init__(self, connection: Connection, timeout: float = 4.0):
        self.connection = connection
        self.timeout = timeout
        self._lock = threading.Lock()
        self._client: mqtt.Client | None = None
        self._ready = threading.Event()
        self._answers: dict[str, dict] = {}
        self._answered = threading.Condition()

    def _connect(self) -> mqtt.Client:
        with self._lock:
            if self._client is not None:
                return self._client
            c = self.connection.client(f"sbc-dynsec-{uuid.uuid4().hex[:12]}")
            c.on_connect = self._on_connect
            c.on_disconnect = self._on_disconnect
            c.on_message = self._on_message
            c.on_subscribe = self._on_subscribe
            c.reconnect_delay_set(1, 5)
            c.connect_async(self.connection.host, self.connection.port, keepalive=30)
            c.loop_start()
            self._client = c
            return c

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if reason_code.is_failure:
            log.error("the MQTT broker refused the accounts' admin: %s", reason_code)
            return
        client.subscribe(CONTROL_MQTT + "/response", qos=1)

    def _on_disconnect(self, *args) -> None:
        # Until the response topic is subscribed again, a command's answer would be lost.
        self._ready.clear()

    def _on_subscribe(self, *args) -> None:
        self._ready.set()

    def _on_message(self, client, userdata, msg) -> None:
        try:
            responses = json.loads(msg.payload)["responses"]
        except (ValueError, KeyError, TypeError):
            return
        with self._answered:
            for r in responses:
                if isinstance(r, dict) and isinstance(r.get("correlationData"), str):
                    self._answers[r["correlationData"]] = r
            self._answered.notify_all()

    def run(self, *commands: dict, tolerate: tuple[str, ...] = ()) -> list[dict]:
        """Sends the commands in one message and waits for each answer. An error whose text
        contains one of `tolerate` (e.g. "already exists", "not found") is not one."""
        return self.apply([(cmd, tolerate) for cmd in commands])

    def apply(self, commands: list[Command]) -> list[dict]:
        """The commands (Change's, concatenated) in one message, carried out in order; their answers."""
        if not commands:
            return []
        deadline = time.monotonic() + self.timeout
        c = self._connect()
        if not self._ready.wait(self.timeout):
            raise Unavailable(
                "the MQTT broker's accounts do not answer (is the broker up, the admin credential right?)"
            )
        tags = [uuid.uuid4().hex for _ in commands]
        body = {"commands": [{**cmd, "correlationData": tag} for (cmd, _), tag in zip(commands, tags, strict=True)]}
        c.publish(CONTROL_MQTT, json.dumps(body), qos=1)
        with self._answered:
            answered = self._answered.wait_for(
                lambda: all(t in self._answers for t in tags), max(0.0, deadline - time.monotonic())
            )
            answers = [self._answers.pop(t, {}) for t in tags]
            if not answered:
                raise Unavailable("the MQTT broker's accounts did not answer in time")
        for a, (_, tolerate) in zip(answers, commands, strict=True):
            error = a.get("error")
            if error and not any(t in error for t in tolerate):
                raise BrokerError(f"{a.get('command')}: {error}")
        return answers

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.loop_stop()
                self._client.disconnect()
                self._client = None
                self._ready.clear()

    # --- the accounts, one change at a time ---

    def put_client(self, username: str, password: str, roles: list[str]) -> None:
        self.apply(Change.put_client(username, password, roles))

    def delete_client(self, username: str) -> None:
        self.apply(Change.delete_client(username))

    def put_role(self, name: str, acls: list[Acl]) -> None:
        self.apply(Change.put_role(name, acls))

    def ensure_role(self, name: str, acls: list[Acl]) -> None:
        self.apply(Change.ensure_role(name, acls))

    def delete_role(self, name: str) -> None:
        self.apply(Change.delete_role(name))

    def set_client_roles(self, username: str, add: list[str], remove: list[str]) -> None:
        cmds = [{"command": "removeClientRole", "username": username, "rolename": r} for r in remove]
        cmds += [{"command": "addClientRole", "username": username, "rolename": r} for r in add]
        if cmds:
            self.run(*cmds, tolerate=("not found", "already"))

    def client_roles(self, username: str) -> list[str]:
        """The client's roles; empty when there is no such client."""
        (a,) = self.run({"command": "getClient", "username": username}, tolerate=("not found",))
        client = (a.get("data") or {}).get("client") or {}
        return [r["rolename"] for r in client.get("roles", [])]
