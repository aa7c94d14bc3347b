"""The device simulator (python -m eldercare simulate): provisions devices through the gateway's
provisioning endpoint (a profile's key and secret) and sends their telemetry, SOS presses and falls
over MQTT, as the home kit does: each device on a connection of its own to the broker's TLS
listener, its id as username and its credential as password (--ca-file: the CA to trust). The
tests use its SimulatedDevice too.

    python -m eldercare simulate --devices 3 --profile smart_speaker --sos 1
    python -m eldercare simulate --profile bed_sensor --serial BED-1 --telemetry heart_rate=150
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import paho.mqtt.client as mqtt

from runtime.mqtt_broker import Connection

# The local broker's (infra/local): its TLS listener for devices and the CA that signed its certificate.
LOCAL_TLS = ("127.0.0.1", 11884, str(Path(__file__).resolve().parents[2] / "var" / "mosquitto" / "tls" / "ca.crt"))


def connect(connection: Connection, client_id: str = "", timeout: float = 10.0) -> mqtt.Client:
    """Connected (the broker accepted the credential), its network loop running; else
    ConnectionRefusedError (refused), or TimeoutError (no answer within `timeout`: a loaded broker)."""
    client = connection.client(client_id or f"sim-{uuid.uuid4().hex[:12]}")
    accepted, answered = [], threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties=None):
        accepted.append(not reason_code.is_failure)
        answered.set()

    client.on_connect = on_connect
    client.connect(connection.host, connection.port, keepalive=30)
    client.loop_start()
    if not answered.wait(timeout) or not accepted[0]:
        client.disconnect()
        client.loop_stop()
        who = connection.username or "an anonymous client"
        if not accepted:
            raise TimeoutError(f"the MQTT broker did not answer {who} within {timeout:.0f} s")
        raise ConnectionRefusedError(f"the MQTT broker refused {who}")
    return client


class SimulatedDevice:
    """A provisioned device (what provisioning answered: its id, credential and topics), connected
    to the broker as itself."""

    def __init__(
        self,
        provisioned: dict,
        host: str = LOCAL_TLS[0],
        port: int = LOCAL_TLS[1],
        ca_file: str = LOCAL_TLS[2],
        connect_timeout: float = 10.0,
    ):
        self.id = provisioned["device_id"]
        self.credential = provisioned["credential"]
        self.telemetry_topic = provisioned["telemetry_topic"]
        self.events_topic = provisioned["events_topic"]
        self.commands_topic = provisioned.get("commands_topic", "")
        self.replies_topic = provisioned.get("replies_topic", "")
        self.connection = Connection(host, port, self.id, self.credential, ca_file)
        self.client = connect(self.connection, f"dev-{self.id}", connect_timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _publish(self, topic: str, doc: dict, message_id: str) -> str:
        message_id = message_id or uuid.uuid4().hex
        body = json.dumps({"id": message_id, "credential": self.credential, **doc}, ensure_ascii=False)
        self.client.publish(topic, body.encode(), qos=1).wait_for_publish(10)  # QoS 1: the broker has it
        return message_id

    def event(self, name: str, message_id: str = "") -> str:
        return self._publish(self.events_topic, {"event": name}, message_id)

    def telemetry(self, values: dict, message_id: str = "") -> str:
        return self._publish(self.telemetry_topic, {"values": values}, message_id)

    def answer_commands(self, statuses: tuple[str, ...] = ("delivered", "successful"), result: str = "ok") -> list:
        """Read the device's commands and answer each (its receipt, then how it went; none with
        statuses=()), as the kit does. The list fills with the commands read."""
        read: list[dict] = []

        def on_command(client, userdata, msg) -> None:
            command = json.loads(msg.payload)
            read.append(command)
            for status in statuses:
                self.reply(command["request_id"], status, result, wait=False)

        self.client.message_callback_add(self.commands_topic, on_command)
        self.client.subscribe(self.commands_topic, qos=1)
        return read

    def reply(self, request_id: str, status: str, result: str = "", wait: bool = True) -> None:
        body = json.dumps(
            {"request_id": request_id, "credential": self.credential, "status": status, "result": result},
            ensure_ascii=False,
        )
        info = self.client.publish(self.replies_topic, body.encode(), qos=1)
        if wait:  # (not from paho's own callback thread, which would wait for itself)
            info.wait_for_publish(10)


def provision(gateway: str, key: str, secret: str, serial: str) -> dict:
    r = httpx.post(
        f"{gateway}/v1/eldercare/provision",
        json={"provision_key": key, "provision_secret": secret, "serial": serial},
        timeout=30,
    )
    if r.status_code != 201:
        raise SystemExit(f"provisioning {serial} failed: {r.status_code} {r.text}")
    return r.json()


def _value(raw: str):
    text = raw.lower()
    return text == "true" if text in ("true", "false") else float(raw)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m eldercare simulate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gateway", default="http://127.0.0.1:8080")
    ap.add_argument("--mqtt-host", default=LOCAL_TLS[0])
    ap.add_argument("--mqtt-port", type=int, default=LOCAL_TLS[1], help="the broker's TLS listener")
    ap.add_argument("--ca-file", default=LOCAL_TLS[2], help="the CA that signed the broker's certificate")
    ap.add_argument("--profile", default="smart_speaker")
    ap.add_argument("--secret", default="", help="the profile's provisioning secret (default: the local demo one)")
    ap.add_argument("--devices", type=int, default=1)
    ap.add_argument("--serial", default="", help="the first device's serial (default: SIM-<random>-<n>)")
    ap.add_argument("--sos", type=int, default=0, help="SOS presses per device")
    ap.add_argument("--fall", type=int, default=0, help="falls per device")
    ap.add_argument("--telemetry", action="append", default=[], help="key=value, sent by every device")
    ap.add_argument("--rounds", type=int, default=1, help="how many times the telemetry is sent")
    ap.add_argument("--every", type=float, default=10.0, help="seconds between telemetry rounds")
    args = ap.parse_args(argv)
    slug = args.profile.replace("_", "-")
    key, secret = f"pk-{slug}", args.secret or f"demo-{slug}-secret"
    run = uuid.uuid4().hex[:6]
    serials = [args.serial] if args.serial and args.devices == 1 else [f"SIM-{run}-{n}" for n in range(args.devices)]
    devices = []
    for serial in serials:
        provisioned = provision(args.gateway, key, secret, serial)
        devices.append(SimulatedDevice(provisioned, args.mqtt_host, args.mqtt_port, args.ca_file))
        print(json.dumps({"provisioned": serial, "device_id": devices[-1].id}))
    values = dict(kv.split("=", 1) for kv in args.telemetry)
    for n in range(args.rounds if values else 0):
        for d in devices:
            d.telemetry({k: _value(v) for k, v in values.items()})
        print(json.dumps({"telemetry_round": n + 1, "devices": len(devices)}))
        if n + 1 < args.rounds:
            time.sleep(args.every)
    for d in devices:
        for _ in range(args.sos):
            print(json.dumps({"sos": d.id, "message_id": d.event("sos")}))
        for _ in range(args.fall):
            print(json.dumps({"fall": d.id, "message_id": d.event("fall")}))
    for d in devices:
        d.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
