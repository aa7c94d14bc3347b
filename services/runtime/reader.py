"""The runtime's Kafka reading loop, and its group-less reader.

`KafkaLoop` is the one reconnect loop of every Kafka reader of the platform: connect, read until
stopped; on any failure, log it, wait a moment and connect again. Two readers use it:

- `runtime.consumer.Consumer`: a consumer group, each event applied once, offsets committed after
  the effects, a failing record retried a bounded number of times and then parked;
- `TopicTail` (here): a whole topic with no consumer group, from its end, as each gateway replica
  reads the push topics (every replica must see every message, since a terminal may be connected
  to any of them). Positions are kept across reconnects, so a Kafka outage loses nothing
  published after the reader was first ready.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from runtime import kafka_clients

log = logging.getLogger(__name__)


class KafkaLoop:
    """Connects (`connect()`), reads (`read(kafka)`) until stopped; reconnects after any failure."""

    # Seconds between a failure and the next connection.
    reconnect_pause = 1.0
    loop_name = "kafka reader"

    def __init__(self) -> None:
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    def connect(self) -> Any:
        raise NotImplementedError

    def read(self, kafka: Any) -> None:
        raise NotImplementedError

    def disconnected(self, error: Exception) -> None:
        """Called after a failure, before the pause (a reader notes it for its status)."""

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            kafka = None
            try:
                kafka = self.connect()
                self.read(kafka)
            except Exception as exc:
                log.exception("%s: Kafka connection failed, reconnecting", self.loop_name)
                self.disconnected(exc)
                self.stopping.wait(self.reconnect_pause)
            finally:
                if kafka is not None:
                    try:
                        kafka.close(autocommit=False)
                    except Exception:
                        pass


class TopicTail(KafkaLoop):
    """Reads every partition of `topic` (a Kafka name) with no consumer group, from the end,
    calling `on_record(record)` in its thread for each record. `ready` is set once the first
    positions are resolved: nothing published after it is skipped, even across reconnects.

    A record that `on_record` fails on is logged and passed: a group-less reader commits nothing
    and has nobody to park a record for, and one record must never stop the topic."""

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        on_record: Callable[[Any], None],
        client_id: str,
        poll_timeout_ms: int = 200,
    ):
        super().__init__()
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.on_record = on_record
        self.client_id = client_id
        self.poll_timeout_ms = poll_timeout_ms
        self.loop_name = f"{topic} reader"
        self.ready = threading.Event()
        # partition -> next offset to read; kept across reconnects so an outage loses nothing.
        self.positions: dict[int, int] = {}
        self._thread: threading.Thread | None = None

    def connect(self) -> Any:
        from kafka import TopicPartition

        consumer = kafka_clients.consumer(
            self.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            client_id=self.client_id,
            reconnect_backoff_max_ms=2_000,
        )
        try:
            partitions = consumer.partitions_for_topic(self.topic) or set()
            if not partitions:
                raise RuntimeError(f"topic {self.topic} not found")
            tps = [TopicPartition(self.topic, p) for p in sorted(partitions)]
            consumer.assign(tps)
            for tp in tps:
                if tp.partition in self.positions:
                    consumer.seek(tp, self.positions[tp.partition])
                else:
                    consumer.seek_to_end(tp)
                    # Resolve now, so nothing published after "ready" is skipped.
                    self.positions[tp.partition] = consumer.position(tp)
        except Exception:
            consumer.close(autocommit=False)
            raise
        self.ready.set()
        return consumer

    def read(self, kafka: Any) -> None:
        while not self.stopping.is_set():
            for records in kafka.poll(timeout_ms=self.poll_timeout_ms).values():
                for record in records:
                    try:
                        self.on_record(record)
                    except Exception:
                        log.exception("%s: a record could not be handed over; passed", self.loop_name)
                    self.positions[record.partition] = record.offset + 1

    def start(self) -> None:
        """Read in a thread of its own (a daemon: it never holds the process up)."""
        self._thread = threading.Thread(target=self.run_forever, name=self.loop_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        super().stop()
        if self._thread is not None:
            self._thread.join(timeout)
