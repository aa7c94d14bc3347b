"""The bridge: devices' MQTT messages into eldercare's store (python -m eldercare bridge).

It subscribes with QoS 1 on a persistent session (clean_session false, one client id per
deployment) and acknowledges a message (PUBACK, paho's manual ack) only once its effect is
committed: the message stored, its values kept, its alarms raised and announced through the
outbox. A bridge killed in between gets the message again from the broker when it reconnects; a
repeat is dropped by its message id. A message that cannot be taken (malformed, oversized, an
unknown device or key, a wrong credential in the payload) is parked in the store and acknowledged: it never
stops the bridge. While the database does not answer nothing is acknowledged: the bridge
disconnects and the broker keeps the messages for its session."""

from __future__ import annotations

import logging
import threading
import time

from eldercare import handlers, store
from eldercare.store import UnitOfWork
from runtime.db import Database
from runtime.mqtt_broker import Connection
from runtime.settings import env, env_int, kafka_name
from runtime.times import utcnow

log = logging.getLogger(__name__)
TRIES = 3


class Bridge:
    def __init__(self, db: Database, connection: Connection, client_id: str, root: str, clock=utcnow):
        self.db = db
        self.clock = clock  # when a message is taken (the rules' durations and windows count by it)
        self.connection = connection
        self.root = root
        self.client_id = client_id
        # Its own broker client (ELDERCARE_MQTT_USERNAME/_PASSWORD), whose role may read the devices'
        # topics; a device itself publishes only on its own (the broker's ACLs).
        self.client = connection.client(client_id, clean_session=False, manual_ack=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(1, 5)
        self._stop = threading.Event()
        self.connected = threading.Event()
        self.counts = {"stored": 0, "repeats": 0, "parked": 0, "unacknowledged": 0}

    def topics(self) -> list[str]:
        return [f"{self.root}/devices/+/telemetry", f"{self.root}/devices/+/events"]

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if reason_code.is_failure:
            log.error("the MQTT broker refused the bridge: %s", reason_code)
            return
        client.subscribe([(t, 1) for t in self.topics()])
        self.connected.set()
        log.info("bridge connected", extra={"session_present": flags.session_present})

    def _on_message(self, client, userdata, msg) -> None:
        if self.take(msg.topic, msg.payload):
            client.ack(msg.mid, msg.qos)
        else:
            # The database does not answer: no PUBACK; reconnecting makes the broker send it again.
            self.counts["unacknowledged"] += 1
            self.connected.clear()
            client.disconnect()

    def take(self, topic: str, payload: bytes) -> bool:
        """True once the message's effect (or its parking) is committed."""
        for attempt in range(TRIES):
            try:
                result = handlers.take_message(UnitOfWork(self.db), topic, payload, self.clock())
                key = "stored" if result == "stored" else "repeats" if result == "repeat" else "parked"
                self.counts[key] += 1
                if key == "parked":
                    log.warning("a device message was parked", extra={"topic": topic[:200], "why": result})
                return True
            except Exception:
                log.exception("could not take a device message (try %d of %d)", attempt + 1, TRIES)
                if self._stop.wait(0.2 * 2**attempt):
                    return False
        try:  # it fails each time: park it, so that the bridge goes on
            with UnitOfWork(self.db) as uow:
                uow.messages.park(topic, payload[:4096], "could not be taken (see the bridge's log)", self.clock())
                uow.commit()
            self.counts["parked"] += 1
            return True
        except Exception:
            log.exception("the database does not answer: the message stays with the broker")
            return False

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self.client.connect(self.connection.host, self.connection.port, keepalive=30)
                self.client.loop_forever(retry_first_connection=True)
            except OSError as exc:
                log.warning("MQTT broker unreachable: %s", exc)
            self._stop.wait(1)

    def stop(self) -> None:
        self._stop.set()
        self.client.disconnect()

    def status(self) -> dict:
        return {"connected": self.connected.is_set(), **self.counts}


def make_bridge(ctx) -> Bridge:
    return Bridge(
        ctx.db,
        Connection(
            env("MQTT_HOST", "127.0.0.1"),
            env_int("MQTT_PORT", 11883),
            env("ELDERCARE_MQTT_USERNAME"),
            env("ELDERCARE_MQTT_PASSWORD"),
            env("MQTT_CA_FILE"),  # TLS when set (the CA that signed the broker's certificate)
        ),
        client_id=kafka_name("eldercare-bridge"),
        root=store.mqtt_root(),
    )


def wait_connected(bridge: Bridge, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not bridge.connected.wait(0.1):
        if time.monotonic() > deadline:
            raise TimeoutError("the bridge did not connect to the MQTT broker")
