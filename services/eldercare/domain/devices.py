"""Devices: profiles as a thing model (properties, telemetry keys, events, commands, alarm rules:
data, services/eldercare/data/device_profiles.json), provisioning (a profile key and secret yield
a per-device credential, for any new device or only for the serials registered first), and what a
device's message means: its latest values, its connectivity, and the alarms its rules raise."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, check_text, require
from runtime.uow import Aggregate

MAX_SERIAL = 64
# A device's own offline timeout: from a minute (a device that reports every few seconds) to a week.
MIN_OFFLINE_AFTER, MAX_OFFLINE_AFTER = 60, 7 * 24 * 3600
MAX_MESSAGE_ID = 64


class Strategy:
    ALLOW_NEW = "allow_new"
    PRE_PROVISIONED = "pre_provisioned"


class DeviceState:
    REGISTERED = "registered"  # on the pre-provisioned list, no credential yet
    PROVISIONED = "provisioned"
    DEPROVISIONED = "deprovisioned"  # taken out of service: no credential, never provisioned again


class RuleKind:
    THRESHOLD = "threshold"  # a reading out of range raises the alarm at once
    DURATION = "duration"  # out of range for at least `seconds` (every reading of the spell out of range)
    REPEATING = "repeating"  # out of range `count` times (each time it goes out) within `seconds`
    INACTIVITY = "inactivity"  # no activity for `seconds` (the scheduler raises it on time)


@dataclass(frozen=True)
class Rule:
    alarm: str
    kind: str  # a RuleKind
    key: str
    severity: str
    below: float | None = None
    above: float | None = None
    # inactivity: what counts as activity (True for a boolean key, "positive" for a number) and for how long none may be
    active_when: Any = None
    # inactivity: how long without activity; duration: how long out of range; repeating: the window
    seconds: float = 0.0
    count: int = 0  # repeating: how many times within the window

    def __post_init__(self) -> None:
        ranged = self.below is not None or self.above is not None
        ok = {
            RuleKind.THRESHOLD: ranged,
            RuleKind.DURATION: ranged and self.seconds > 0,
            RuleKind.REPEATING: ranged and self.seconds > 0 and self.count >= 2,
            RuleKind.INACTIVITY: self.active_when is not None and self.seconds > 0,
        }.get(self.kind, False)
        if not ok:  # the profiles are data the operator edits: a bad rule stops the service at its start
            raise ValueError(f"alarm rule {self.alarm!r}: kind {self.kind!r} with these fields is not a rule")

    def out_of_range(self, value: Any) -> bool:
        if self.kind == RuleKind.INACTIVITY or isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return (self.below is not None and value < self.below) or (self.above is not None and value > self.above)

    def breached(self, value: Any) -> bool:
        return self.kind == RuleKind.THRESHOLD and self.out_of_range(value)

    def is_activity(self, value: Any) -> bool:
        if self.active_when == "positive":
            return not isinstance(value, bool) and isinstance(value, int | float) and value > 0
        return value == self.active_when

    def take(self, value: Any, state: Any, now: dt.datetime) -> tuple[bool, Any]:
        """A duration or repeating rule's reading: whether it raises the alarm now, and the rule's
        state to keep for the next reading (None: nothing to keep)."""
        out = self.out_of_range(value)
        span = dt.timedelta(seconds=self.seconds)
        if self.kind == RuleKind.DURATION:
            if not out:
                return False, None  # the spell is over
            spell = state or {"since": now.isoformat(), "raised": False}
            due = not spell["raised"] and now - dt.datetime.fromisoformat(spell["since"]) >= span
            # One alarm per spell: none again until the reading comes back into range.
            return due, {**spell, "raised": spell["raised"] or due}
        was = state or {"out": False, "at": []}
        times = [t for t in was["at"] if now - dt.datetime.fromisoformat(t) <= span]
        if out and not was["out"]:  # it goes out of range: one time more
            times.append(now.isoformat())
        if len(times) >= self.count:
            return True, {"out": out, "at": []}  # the next alarm needs `count` times again
        return False, {"out": out, "at": times}


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    provision_key: str
    provision_secret_sha256: str
    strategy: str
    offline_after: dt.timedelta
    properties: Mapping[str, str]
    telemetry: Mapping[str, Mapping[str, Any]]
    events: Mapping[str, Mapping[str, str]]
    commands: Mapping[str, Mapping[str, str]]
    rules: tuple[Rule, ...] = field(default=())

    @classmethod
    def of(cls, key: str, raw: Mapping[str, Any]) -> Profile:
        rules = tuple(Rule(**r) for r in raw["rules"])
        kept = [r.alarm for r in rules if r.kind != RuleKind.THRESHOLD]  # their state is kept by alarm
        if len(kept) != len(set(kept)):
            raise ValueError(f"profile {key!r}: two rules keep state for one alarm")
        return cls(
            key=key,
            name=raw["name"],
            provision_key=raw["provision_key"],
            provision_secret_sha256=raw["provision_secret_sha256"],
            strategy=raw["strategy"],
            offline_after=dt.timedelta(seconds=raw["offline_after_seconds"]),
            properties=raw["properties"],
            telemetry=raw["telemetry"],
            events=raw["events"],
            commands=raw["commands"],
            rules=rules,
        )

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(hashlib.sha256(secret.encode()).hexdigest(), self.provision_secret_sha256)

    def inactivity_rules(self) -> list[Rule]:
        return [r for r in self.rules if r.kind == RuleKind.INACTIVITY]


def load_profiles(doc: Mapping[str, Any]) -> dict[str, Profile]:
    return {key: Profile.of(key, raw) for key, raw in doc["profiles"].items()}


def hash_credential(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()


@dataclass(frozen=True)
class DeviceProvisioned:
    device_id: str
    profile: str
    elder_id: str
    at: dt.datetime


@dataclass(frozen=True)
class DeviceDeprovisioned:
    device_id: str
    profile: str
    elder_id: str
    at: dt.datetime


class Device(Aggregate):
    def __init__(
        self,
        id: str,
        profile: str,
        serial: str,
        state: str,
        elder_id: str,
        registered_at: dt.datetime,
        credential_sha256: str = "",
        last_seen_at: dt.datetime | None = None,
        latest: str = "{}",
        activity: str = "{}",
        offline_after_seconds: int = 0,
    ):
        self.id = id
        self.profile = profile
        self.serial = serial
        self.state = state
        self.elder_id = elder_id
        self.registered_at = registered_at
        self.credential_sha256 = credential_sha256
        self.last_seen_at = last_seen_at
        # JSON: the latest value of each telemetry key; and per rule's alarm what its next reading
        # needs: the last activity (inactivity), the spell out of range (duration), the times it
        # went out of range within the window (repeating)
        self.latest = latest
        self.activity = activity
        # This device's own time without a message before it counts as offline (0: its profile's):
        # a water meter in a holiday home reports less often than its profile expects.
        self.offline_after_seconds = offline_after_seconds

    @classmethod
    def register(cls, profile: Profile, serial: str, elder_id: str, now: dt.datetime) -> Device:
        """A care operator puts a serial on the pre-provisioned list, for an elder."""
        check_serial(serial)
        return cls(str(uuid.uuid4()), profile.key, serial, DeviceState.REGISTERED, elder_id, now)

    @classmethod
    def provision(
        cls, profile: Profile, secret: str, serial: str, existing: Device | None, now: dt.datetime
    ) -> tuple[Device, str]:
        """A device presents its profile's key and secret: it gets its own credential (shown once;
        only its hash is kept). Pre-provisioned profiles take only registered serials."""
        check_serial(serial)
        if not profile.secret_matches(secret):
            # The same answer as an unknown key: a guess learns nothing.
            raise NotFound("no such provisioning key and secret", {"provision_key": "not found"})
        if existing is not None and existing.state == DeviceState.PROVISIONED:
            raise AlreadyExists("this device is provisioned already", {"serial": "already provisioned"})
        if existing is not None and existing.state == DeviceState.DEPROVISIONED:
            # A device taken out of service (lost, stolen, returned) does not come back with the
            # profile's secret alone.
            raise FailedPrecondition("this device was deprovisioned", {"serial": "deprovisioned"})
        if existing is None:
            if profile.strategy == Strategy.PRE_PROVISIONED:
                raise FailedPrecondition(
                    "this profile takes only devices on the pre-provisioned list", {"serial": "not registered"}
                )
            existing = cls(str(uuid.uuid4()), profile.key, serial, DeviceState.REGISTERED, "", now)
        credential = secrets.token_urlsafe(24)
        existing.state, existing.credential_sha256 = DeviceState.PROVISIONED, hash_credential(credential)
        existing.activity = json.dumps({r.alarm: now.isoformat() for r in profile.inactivity_rules()})
        existing.record(DeviceProvisioned(existing.id, profile.key, existing.elder_id, now))
        return existing, credential

    def rotate_credential(self) -> str:
        """A new credential for a provisioned device (shown once); the former one no longer works."""
        if self.state != DeviceState.PROVISIONED:
            raise FailedPrecondition(f"the device is {self.state}, not provisioned", {"device_id": self.state})
        credential = secrets.token_urlsafe(24)
        self.credential_sha256 = hash_credential(credential)
        return credential

    def deprovision(self, now: dt.datetime) -> None:
        """Out of service: its credential is void, and its messages are refused from now on."""
        if self.state == DeviceState.DEPROVISIONED:
            raise FailedPrecondition("the device is deprovisioned already", {"device_id": "deprovisioned"})
        self.state, self.credential_sha256 = DeviceState.DEPROVISIONED, ""
        self.record(DeviceDeprovisioned(self.id, self.profile, self.elder_id, now))

    def assign(self, elder_id: str) -> None:
        if self.elder_id:
            raise FailedPrecondition("this device belongs to an elder already", {"device_id": "assigned"})
        self.elder_id = elder_id

    def credential_matches(self, credential: str) -> bool:
        return bool(self.credential_sha256) and hmac.compare_digest(hash_credential(credential), self.credential_sha256)

    def offline_after(self, profile: Profile) -> dt.timedelta:
        return dt.timedelta(seconds=self.offline_after_seconds) if self.offline_after_seconds else profile.offline_after

    def set_offline_after(self, seconds: int) -> None:
        """A care operator sets this device's own offline timeout (0 returns it to its profile's)."""
        if self.state == DeviceState.DEPROVISIONED:
            raise FailedPrecondition("the device is deprovisioned", {"device_id": "deprovisioned"})
        if seconds and not MIN_OFFLINE_AFTER <= seconds <= MAX_OFFLINE_AFTER:
            raise InvalidArgument(
                f"an offline timeout is {MIN_OFFLINE_AFTER} to {MAX_OFFLINE_AFTER} seconds, or 0 for the profile's",
                {"offline_after_seconds": "out of range"},
            )
        self.offline_after_seconds = seconds

    def online(self, profile: Profile, now: dt.datetime) -> bool:
        return self.last_seen_at is not None and now - self.last_seen_at < self.offline_after(profile)

    def values(self) -> dict[str, Any]:
        return dict(json.loads(self.latest))

    def take_telemetry(self, profile: Profile, values: Mapping[str, Any], now: dt.datetime) -> list[Rule]:
        """Keep the latest values and what the rules need of them; the rules that raise their alarm now."""
        latest = self.values()
        latest.update(values)
        self.latest = json.dumps(latest, ensure_ascii=False)
        state = json.loads(self.activity)
        breached = []
        for rule in profile.rules:
            if rule.key not in values:
                continue
            value = values[rule.key]
            if rule.kind == RuleKind.INACTIVITY:
                if rule.is_activity(value):
                    state[rule.alarm] = now.isoformat()
            elif rule.kind == RuleKind.THRESHOLD:
                if rule.breached(value):
                    breached.append(rule)
            else:
                raised, kept = rule.take(value, state.get(rule.alarm), now)
                if raised:
                    breached.append(rule)
                if kept is None:
                    state.pop(rule.alarm, None)
                else:
                    state[rule.alarm] = kept
        self.activity = json.dumps(state)
        self.seen(now)
        return breached

    def seen(self, now: dt.datetime) -> None:
        if self.last_seen_at is None or now > self.last_seen_at:
            self.last_seen_at = now

    def inactive(self, profile: Profile, now: dt.datetime) -> list[tuple[Rule, dt.datetime]]:
        """The inactivity rules with no activity for their time at `now` (each with when it began)."""
        activity = json.loads(self.activity)
        found = []
        for rule in profile.inactivity_rules():
            since = dt.datetime.fromisoformat(activity.get(rule.alarm, self.registered_at.isoformat()))
            if now - since >= dt.timedelta(seconds=rule.seconds):
                found.append((rule, since))
        return found


def check_serial(serial: str) -> None:
    require({"serial": serial})
    check_text({"serial": (serial, MAX_SERIAL)})


@dataclass(frozen=True)
class Message:
    """A device's message over MQTT, read and checked against its profile."""

    id: str
    credential: str
    telemetry: dict[str, Any]
    event: str


class BadMessage(ValueError):
    """A message the bridge parks: it never stops the bridge."""


def read_message(raw: bytes, kind: str, profile: Profile, max_bytes: int) -> Message:
    """kind: telemetry ({"id", "credential", "values": {key: value}}) or events ({"id", "credential",
    "event"}). Unknown keys or events, values out of their range, and oversized payloads are refused."""
    if len(raw) > max_bytes:
        raise BadMessage(f"over {max_bytes} bytes")
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadMessage("not JSON") from exc
    if not isinstance(doc, dict):
        raise BadMessage("not a JSON object")
    msg_id, credential = doc.get("id"), doc.get("credential")
    if not isinstance(msg_id, str) or not 0 < len(msg_id) <= MAX_MESSAGE_ID or not msg_id.isprintable():
        raise BadMessage("id: 1..64 printable characters")
    if not isinstance(credential, str) or not credential:
        raise BadMessage("credential missing")
    if kind == "events":
        event = doc.get("event")
        if event not in profile.events:
            raise BadMessage(f"event: not one of {profile.key}'s")
        return Message(msg_id, credential, {}, str(event))
    values = doc.get("values")
    if not isinstance(values, dict) or not values:
        raise BadMessage("values: an object of telemetry keys")
    for key, value in values.items():
        spec = profile.telemetry.get(key)
        if spec is None:
            raise BadMessage(f"values.{key}: not a telemetry key of {profile.key}")
        if spec["type"] == "boolean":
            if not isinstance(value, bool):
                raise BadMessage(f"values.{key}: true or false")
        elif isinstance(value, bool) or not isinstance(value, int | float) or not spec["min"] <= value <= spec["max"]:
            raise BadMessage(f"values.{key}: a number from {spec['min']} to {spec['max']}")
    return Message(msg_id, credential, values, "")
