"""The commander (python -m eldercare commander): persistent commands to the home devices over MQTT.

Every COMMANDS_CHECK_SECONDS it publishes the queued commands of online devices on
<root>/devices/<id>/commands (QoS 1) and records each SENT once the broker has it; it reads the
devices' replies on <root>/devices/+/replies (QoS 1, a persistent session, acknowledged only once
the reply is committed, like the bridge) and matches them to their command by request id. A
command published again after a crash before SENT was recorded reaches the device twice: a device
acts once per request id. Expiry (EXPIRED, TIMEOUT) is the scheduler's."""

from __future__ import annotations

import json
import logging
import threading

from eldercare import handlers, store
from eldercare.store import UnitOfWork
from runtime.db import Database
from runtime.mqtt_broker import Connection
from runtime.settings import env, env_float, env_int, kafka_name
from runtime.times import utcnow

log = logging.getLogger(__name__)


class Commander:
    def __init__(self, db: Database, connection: Connection, client_id: str, root: str, every: float = 1.0):
        self.db = db
        self.host, self.port = connection.host, connection.port
        self.root = root
        self.client_id = client_id
        self.every = every
        # Eldercare's own broker client, as the bridge's (its role may send commands, read replies).
        self.client = connection.client(client_id, clean_session=False, manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(1, 5)
        self._stop = threading.Event()
        self.connected = threading.Event()
        self.counts = {"sent": 0, "replies": 0, "ignored": 0, "parked": 0}

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if reason_code.is_failure:
            log.error("the MQTT broker refused the commander: %s", reason_code)
            return
        client.subscribe(f"{self.root}/devices/+/replies", 1)
        self.connected.set()

    def _on_message(self, client, userdata, msg) -> None:
        try:
            result = handlers.take_reply(UnitOfWork(self.db), msg.topic, msg.payload, utcnow())
        except Exception:
            # The database does not answer: no PUBACK; the broker sends it again on reconnecting.
            log.exception("could not take a device's reply")
            self.connected.clear()
            client.disconnect()
            return
        key = "replies" if result == "applied" else "ignored" if result == "ignored" else "parked"
        self.counts[key] += 1
        if key == "parked":
            log.warning("a device reply was parked", extra={"topic": msg.topic[:200], "why": result})
        client.ack(msg.mid, msg.qos)

    def send_queued(self) -> int:
        """One pass: publish what is queued for online devices, recording each SENT."""
        sent = 0
        for out in handlers.commands_to_send(UnitOfWork(self.db), utcnow()):
            if not self.connected.is_set():
                break
            body = json.dumps(out.message, ensure_ascii=False).encode()
            info = self.client.publish(f"{self.root}/devices/{out.topic_device}/commands", body, qos=1)
            info.wait_for_publish(5)
            if info.is_published():
                handlers.command_sent(UnitOfWork(self.db), out.command_id, utcnow())
                sent += 1
        self.counts["sent"] += sent
        return sent

    def run_forever(self) -> None:
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        try:
            while not self._stop.is_set():
                try:
                    self.send_queued()
                except Exception:
                    log.exception("the commander's pass failed; trying again")
                self._stop.wait(self.every)
        finally:
            self.client.disconnect()
            self.client.loop_stop()

    def stop(self) -> None:
        self._stop.set()

    def status(self) -> dict:
        return {"connected": self.connected.is_set(), **self.counts}


def make_commander(ctx) -> Commander:
    return Commander(
        ctx.db,
        Connection(
            env("MQTT_HOST", "127.0.0.1"),
            env_int("MQTT_PORT", 11883),
            env("ELDERCARE_MQTT_USERNAME"),
            env("ELDERCARE_MQTT_PASSWORD"),
            env("MQTT_CA_FILE"),
        ),
        client_id=kafka_name("eldercare-commander"),
        root=store.mqtt_root(),
        every=env_float("COMMANDS_CHECK_SECONDS", 1.0),
    )
