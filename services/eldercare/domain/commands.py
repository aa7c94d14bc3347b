"""Persistent commands to a home device (silence a siren, test a sensor), as ThingsBoard's
persistent RPC: queued with a time to live, sent over MQTT on the device's command topic while it is
online, then delivered and answered by the device on its reply topic, matched by the command's
request id. Until it is sent it may expire (EXPIRED); sent, it may go unanswered (TIMEOUT). A reply
to a command that is over, or with an unknown request id, changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from eldercare.domain.alarms import Where, who
from eldercare.domain.devices import Device, Profile
from runtime.auth import Caller
from runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from runtime.uow import Aggregate

MAX_RESULT = 500  # characters of a device's result or error kept


class CommandState:
    QUEUED = "QUEUED"
    SENT = "SENT"
    DELIVERED = "DELIVERED"
    SUCCESSFUL = "SUCCESSFUL"
    TIMEOUT = "TIMEOUT"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"


OVER = (CommandState.SUCCESSFUL, CommandState.TIMEOUT, CommandState.EXPIRED, CommandState.FAILED)
# What a device may answer: a receipt, then how it went.
REPLIES = {"delivered": CommandState.DELIVERED, "successful": CommandState.SUCCESSFUL, "failed": CommandState.FAILED}


@dataclass(frozen=True)
class CommandChanged:
    command_id: str
    device_id: str
    where: Where
    command: str
    state: str
    at: dt.datetime


@dataclass(frozen=True)
class Reply:
    request_id: str
    credential: str
    status: str
    result: str


def read_reply(payload: bytes, max_bytes: int) -> Reply:
    """A device's reply: {"request_id", "credential", "status": delivered|successful|failed,
    "result"?: any JSON}. ValueError when it is not one."""
    if len(payload) > max_bytes:
        raise ValueError(f"over {max_bytes} bytes")
    try:
        doc = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("not JSON") from None
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    request_id, credential, status = doc.get("request_id"), doc.get("credential"), doc.get("status")
    if not isinstance(request_id, str) or not 1 <= len(request_id) <= 36:
        raise ValueError("no request_id")
    if not isinstance(credential, str) or not credential:
        raise ValueError("no credential")
    if status not in REPLIES:
        raise ValueError("status is delivered, successful or failed")
    result = doc.get("result", "")
    text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
    return Reply(request_id, credential, status, text[:MAX_RESULT])


class DeviceCommand(Aggregate):
    def __init__(
        self,
        id: str,
        device_id: str,
        elder_id: str,
        household_id: str,
        area_code: str,
        command: str,
        state: str,
        created_by: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
        sent_at: dt.datetime | None = None,
        delivered_at: dt.datetime | None = None,
        done_at: dt.datetime | None = None,
        result: str = "",
    ):
        self.id = id  # the request id the device's reply names
        self.device_id = device_id
        self.elder_id = elder_id
        self.household_id = household_id
        self.area_code = area_code
        self.command = command
        self.state = state
        self.created_by = created_by
        self.created_at = created_at
        self.expires_at = expires_at
        self.sent_at = sent_at
        self.delivered_at = delivered_at
        self.done_at = done_at
        self.result = result

    @classmethod
    def queue(
        cls,
        caller: Caller,
        device: Device,
        profile: Profile,
        where: Where,
        command: str,
        ttl: dt.timedelta,
        max_ttl: dt.timedelta,
        now: dt.datetime,
    ) -> DeviceCommand:
        """Whether the caller may command the device is the handler's check (with the elder)."""
        if command not in profile.commands:
            known = ", ".join(sorted(profile.commands)) or "none"
            raise NotFound(f"this device has no command {command[:40]!r} (it has: {known})", {"command": "not found"})
        if not dt.timedelta(seconds=1) <= ttl <= max_ttl:
            raise InvalidArgument(f"ttl_seconds is 1..{int(max_ttl.total_seconds())}", {"ttl_seconds": "out of range"})
        if device.state != "provisioned":
            raise FailedPrecondition("the device is not provisioned yet", {"device_id": "not provisioned"})
        c = cls(
            str(uuid.uuid4()),
            device.id,
            where.elder_id,
            where.household_id,
            where.area_code,
            command,
            CommandState.QUEUED,
            who(caller),
            now,
            now + ttl,
        )
        c._changed(now)
        return c

    @property
    def where(self) -> Where:
        return Where(self.elder_id, self.household_id, self.area_code)

    @property
    def is_over(self) -> bool:
        return self.state in OVER

    def message(self) -> dict[str, Any]:
        """What the device reads on its command topic."""
        return {"request_id": self.id, "command": self.command, "expires_at": self.expires_at.isoformat()}

    def sent(self, now: dt.datetime) -> None:
        """The broker took it (QoS 1) for the device."""
        if self.state == CommandState.QUEUED and now < self.expires_at:
            self.state, self.sent_at = CommandState.SENT, now
            self._changed(now)

    def take_reply(self, status: str, result: str, now: dt.datetime) -> bool:
        """The device's receipt or answer. False (nothing changes) when the command is over, or the
        reply would go back (a receipt after the answer)."""
        target = REPLIES[status]
        if self.is_over or (target == CommandState.DELIVERED and self.state == CommandState.DELIVERED):
            return False
        if now >= self.expires_at:
            self.expire(now)
            return False
        if target == CommandState.DELIVERED:
            self.state, self.delivered_at = target, now
        else:
            self.state, self.done_at, self.result = target, now, result
        self.sent_at = self.sent_at or now  # answered before its sending was recorded
        self._changed(now)
        return True

    def expire(self, now: dt.datetime) -> None:
        """Past its time to live: EXPIRED if it never reached the device, TIMEOUT if unanswered."""
        if self.is_over or now < self.expires_at:
            return
        self.state = CommandState.EXPIRED if self.state == CommandState.QUEUED else CommandState.TIMEOUT
        self.done_at = now
        self._changed(now)

    def _changed(self, now: dt.datetime) -> None:
        self.record(CommandChanged(self.id, self.device_id, self.where, self.command, self.state, now))
