"""Benchmark: N home-kit devices (smart speakers, provisioned through the gateway, each with its own
broker account) connected to the real broker's TLS listener and sending telemetry every 10 s; then
a burst of P SOS presses, one from each of P devices. For each press: the time from its publish to
the alarm raised (the alarm's raised_at: the eldercare service's clock, on this machine) and to the
alarm on the care centre's live stream (the gateway's SSE, as the live page reads it). Beside them,
in the same run, the baseline: raw MQTT publish -> subscribe on the same broker and listener, P
messages between two clients of a bench account. Prints p50/p99/max, telemetry throughput, and the
ratios to the baseline. The goal: SOS to the care centre within 2 s at p99.

    make bench-eldercare                      # N = 2000, P = 100, on a platform of its own
    make bench-eldercare DEVICES=200 PRESSES=20

run() is what e2e/test_eldercare_benchmark.py calls at smoke size against the shared e2e platform."""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import os
import pathlib
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services"), str(ROOT / "protos")]

import httpx  # noqa: E402
from eldercare.simulator import SimulatedDevice, connect, provision  # noqa: E402

from runtime.mqtt_broker import Acl, Connection, DynamicSecurity  # noqa: E402

PROFILE, KEY, SECRET = "smart_speaker", "pk-smart-speaker", "demo-smart-speaker-secret"
TELEMETRY_EVERY = 10.0


@dataclass(frozen=True)
class Broker:
    host: str
    tls_port: int
    ca_file: str
    admin: Connection  # the dynamic-security admin: the baseline's bench account

    @classmethod
    def from_env(cls) -> Broker:
        host = os.environ.get("MQTT_HOST", "127.0.0.1")
        admin = Connection(
            host,
            int(os.environ.get("MQTT_PORT", "11883")),
            os.environ["MQTT_ADMIN_USERNAME"],
            os.environ["MQTT_ADMIN_PASSWORD"],
            os.environ.get("MQTT_CA_FILE", ""),
        )
        ca = os.environ.get("MQTT_DEVICE_CA_FILE", str(ROOT / "var" / "mosquitto" / "tls" / "ca.crt"))
        return cls(host, int(os.environ.get("MQTT_TLS_PORT", "11884")), ca, admin)


def quantiles(values: list[float]) -> dict:
    s = sorted(values)
    if not s:
        return {"n": 0, "p50": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {"n": len(s), "p50": statistics.median(s), "p99": s[min(len(s) - 1, int(0.99 * len(s)))], "max": s[-1]}


class LiveStream:
    """The care centre's live stream, read in a thread: when each device's alarm was raised on it."""

    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token
        self.raised: dict[str, float] = {}
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        try:
            self._read_stream()
        except httpx.HTTPError:
            if not self.stopping.is_set():  # (once stopped, the platform may end the stream before its next line)
                raise

    def _read_stream(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(10, read=None)) as c:
            with c.stream("GET", "/v1/eldercare/alarms/events", headers=headers) as r:
                assert r.status_code == 200, r.read()
                event = ""
                for line in r.iter_lines():
                    if self.stopping.is_set():
                        return
                    if line.startswith("event:"):
                        event = line[6:].strip()
                        if event == "ready":
                            self.ready.set()
                    elif line.startswith("data:") and event == "alarm":
                        change = json.loads(line[5:])
                        if change["change"] == "raised":
                            self.raised.setdefault(change["device_id"], time.time())

    def start(self) -> LiveStream:
        self.thread.start()
        assert self.ready.wait(15), "the live stream did not open"
        return self


def baseline(broker: Broker, presses: int) -> list[float]:
    """Raw MQTT: P messages from one bench client to another on the devices' TLS listener."""
    run = uuid.uuid4().hex[:8]
    dynsec, role, topic = DynamicSecurity(broker.admin), f"sbc-bench-{run}", f"sbc-bench/{run}"
    users = {f"bench-pub-{run}": uuid.uuid4().hex, f"bench-sub-{run}": uuid.uuid4().hex}
    dynsec.put_role(role, [Acl("publishClientSend", f"{topic}/#"), Acl("subscribePattern", f"{topic}/#")])
    for user, password in users.items():
        dynsec.put_client(user, password, [role])
    got: dict[int, float] = {}
    done = threading.Event()
    pub = sub = None
    try:
        (pub_user, pub_pw), (sub_user, sub_pw) = users.items()
        sub = connect(Connection(broker.host, broker.tls_port, sub_user, sub_pw, broker.ca_file))
        subscribed = threading.Event()
        sub.on_subscribe = lambda *a: subscribed.set()

        def on_message(client, userdata, msg):
            got[int(msg.payload)] = time.time()
            if len(got) >= presses:
                done.set()

        sub.on_message = on_message
        sub.subscribe(f"{topic}/#", qos=1)
        assert subscribed.wait(10), "the baseline's subscriber was not granted its topic"
        pub = connect(Connection(broker.host, broker.tls_port, pub_user, pub_pw, broker.ca_file))
        sent = {}
        for n in range(presses):
            sent[n] = time.time()
            pub.publish(f"{topic}/{n}", str(n).encode(), qos=1)
        done.wait(30)
        return [got[n] - sent[n] for n in sent if n in got]
    finally:
        for c in (pub, sub):
            if c is not None:
                c.disconnect()
                c.loop_stop()
        for user in users:
            dynsec.delete_client(user)
        dynsec.delete_role(role)
        dynsec.close()


def deprovision(base_url: str, staff: dict, device_ids: list[str]) -> int:
    """The run's devices out of service: their accounts leave the (shared) broker. How many did not."""
    with httpx.Client(base_url=base_url, timeout=30, headers=staff) as c:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            done = list(
                pool.map(lambda i: c.post(f"/v1/eldercare/staff/devices/{i}/deprovision").status_code, device_ids)
            )
    left = len(device_ids) - done.count(200)
    if left:
        print(f"eldercare bench: {left} devices not deprovisioned: {sorted(set(done))}", file=sys.stderr)
    return left


def run(base_url: str, operator: dict, devices: int, presses: int, broker: Broker, telemetry_rounds: int = 1) -> dict:
    """The whole benchmark against a running platform; its figures (and the alarms it raised are
    acknowledged and closed again, so that it leaves the care centre's board as it found it)."""
    base_url = base_url.rstrip("/")
    presses = min(presses, devices)
    with httpx.Client(base_url=base_url, timeout=30) as c:
        t = c.post(
            "/v1/identity/token",
            data={"grant_type": "password", "username": operator["username"], "password": operator["password"]},
        )
        assert t.status_code == 200, t.text
        token = t.json()["access_token"]
    staff = {"Authorization": f"Bearer {token}"}
    run_id = uuid.uuid4().hex[:6]
    started = time.monotonic()
    # Provisioning 4 at a time: on the embedded (SQLite) platform each provisioning holds the database's
    # write lock during its broker round trip, and 16 at once queued past the gateway's 10 s deadline.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        provisioned = list(pool.map(lambda n: provision(base_url, KEY, SECRET, f"BENCH-{run_id}-{n}"), range(devices)))
    provisioning = time.monotonic() - started
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        started = time.monotonic()
        # (a loaded machine takes its time over hundreds of TLS handshakes at once)
        kit = list(
            pool.map(lambda p: SimulatedDevice(p, broker.host, broker.tls_port, broker.ca_file, 60), provisioned)
        )
    connecting = time.monotonic() - started
    left = 0
    try:
        # telemetry: every device every 10 s (the kit's rate); throughput as the broker acknowledges it
        sent, telemetry_seconds = 0, 0.0
        for n in range(telemetry_rounds):
            round_start = time.monotonic()
            infos = [
                d.client.publish(
                    d.telemetry_topic,
                    json.dumps({"id": uuid.uuid4().hex, "credential": d.credential, "values": {"volume": 30}}),
                    qos=1,
                )
                for d in kit
            ]
            for info in infos:
                info.wait_for_publish(30)
            sent += len(infos)
            telemetry_seconds += time.monotonic() - round_start
            if n + 1 < telemetry_rounds:
                time.sleep(max(0.0, TELEMETRY_EVERY - (time.monotonic() - round_start)))
        live = LiveStream(base_url, token).start()
        pressed: dict[str, float] = {}
        for d in kit[:presses]:
            pressed[d.id] = time.time()
            body = json.dumps({"id": uuid.uuid4().hex, "credential": d.credential, "event": "sos"})
            d.client.publish(d.events_topic, body.encode(), qos=1)
        deadline = time.monotonic() + 60
        while len(set(pressed) & set(live.raised)) < presses and time.monotonic() < deadline:
            time.sleep(0.05)
        live.stopping.set()
        with httpx.Client(base_url=base_url, timeout=30, headers=staff) as c:
            alarms = c.get("/v1/eldercare/alarms", params={"open_only": "true", "limit": 200}).json()["alarms"]
            mine = [a for a in alarms if a["device_id"] in pressed and a["type"] == "sos"]
            for a in mine:
                c.post(f"/v1/eldercare/alarms/{a['id']}/acknowledge")
                c.post(f"/v1/eldercare/alarms/{a['id']}/resolve", json={"follow_up": "基准测试：模拟呼叫"})
        to_raised = [
            dt.datetime.fromisoformat(a["raised_at"].replace("Z", "+00:00")).timestamp() - pressed[a["device_id"]]
            for a in mine
        ]
        to_live = [live.raised[d] - pressed[d] for d in pressed if d in live.raised]
    finally:
        for d in kit:
            d.close()
        left = deprovision(base_url, staff, [p["device_id"] for p in provisioned])
    raw = baseline(broker, presses)
    return {
        "devices": devices,
        "presses": presses,
        "provisioning_seconds": provisioning,
        "connecting_seconds": connecting,
        "telemetry_per_second": sent / telemetry_seconds if telemetry_seconds else 0.0,
        "raised": quantiles(to_raised),
        "live": quantiles(to_live),
        "baseline": quantiles(raw),
        "not_deprovisioned": left,
    }


def report(f: dict) -> str:
    def ms(q: dict) -> str:
        return f"p50 {1000 * q['p50']:.1f} ms, p99 {1000 * q['p99']:.1f} ms, max {1000 * q['max']:.1f} ms (n={q['n']})"

    def ratio(q: dict) -> str:
        b = f["baseline"]
        return f"{q['p50'] / b['p50']:.1f}x / {q['p99'] / b['p99']:.1f}x" if b["n"] and b["p50"] > 0 else "n/a"

    goal = "met" if f["live"]["n"] == f["presses"] and f["live"]["p99"] <= 2.0 else "NOT met"
    return "\n".join(
        [
            f"devices: {f['devices']} connected over TLS, each its own account "
            f"(provisioned in {f['provisioning_seconds']:.1f} s, connected in {f['connecting_seconds']:.1f} s)",
            f"telemetry: {f['telemetry_per_second']:.0f} messages/s acknowledged by the broker",
            f"SOS -> alarm raised:            {ms(f['raised'])}; vs baseline p50/p99 {ratio(f['raised'])}",
            f"SOS -> care centre live stream: {ms(f['live'])}; vs baseline p50/p99 {ratio(f['live'])}",
            f"baseline, raw MQTT pub -> sub:  {ms(f['baseline'])}",
            f"alarms on the live stream: {f['live']['n']} / {f['presses']}; goal (all, p99 <= 2 s): {goal}",
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", "-n", type=int, default=2000)
    ap.add_argument("--presses", "-p", type=int, default=100)
    ap.add_argument("--telemetry-rounds", type=int, default=3, help="rounds of telemetry, 10 s apart")
    args = ap.parse_args()
    from e2e.platform import Platform

    platform = Platform(None)
    platform.env["LOG_LEVEL"] = "WARNING"
    print(f"starting the platform (logs: {platform.log_path}) ...", flush=True)
    platform.start()
    try:
        f = run(
            platform.base_url,
            platform.seed.eldercare_staff["care_operator"],
            args.devices,
            args.presses,
            Broker.from_env(),
            args.telemetry_rounds,
        )
    finally:
        platform.stop()
    print(report(f))
    return 0 if f["live"]["n"] == f["presses"] else 1


if __name__ == "__main__":
    sys.exit(main())
