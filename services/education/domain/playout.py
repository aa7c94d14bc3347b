"""Playback on the village loudspeakers (村村响): a town's controllers, the play reports that prove
a programme was aired, and an emergency alert's precedence over any programme. No I/O: the
playout worker sends, these rules decide what it sends and what a reply means."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

from education.domain.programmes import Slot, SlotState, require_editor_of
from runtime.auth import Caller
from runtime.errors import InvalidArgument
from runtime.loudspeakers import EndpointAllowList
from runtime.uow import Aggregate

CONTROLLER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class PlayResult:
    PLAYED = "played"  # the controller played it
    FAILED = "failed"  # it said it could not, refused, or gave no report in time
    PREEMPTED = "preempted"  # an emergency alert was in force for the town: not played
    INTERRUPTED = "interrupted"  # an emergency alert cut it while it was on air
    ALL = (PLAYED, FAILED, PREEMPTED, INTERRUPTED)


class Playout:
    """Where a loudspeaker slot is in its playout (the slot's `playout`)."""

    WAITING = ""
    SENT = "sent"
    PREEMPTED = "preempted"
    MISSED = "missed"  # its time passed before it could be sent (the worker was down)
    INTERRUPTED = "interrupted"  # an emergency alert cut it on air: its rest waits for the alert to end
    RESUMED = "resumed"  # its rest was queued as a slot of its own (the slot's `resumes`)


class Controller(Aggregate):
    """A village loudspeaker controller of a town, at an endpoint on the allow-list."""

    def __init__(self, id, town_code, village_code, endpoint, registered_by, registered_at):
        self.id = id
        self.town_code = town_code
        self.village_code = village_code
        self.endpoint = endpoint
        self.registered_by = registered_by
        self.registered_at = registered_at

    @classmethod
    def register(
        cls,
        caller: Caller,
        allowed: EndpointAllowList,
        controller_id: str,
        village_code: str,
        endpoint: str,
        now: dt.datetime,
    ) -> Controller:
        if not CONTROLLER_ID.fullmatch(controller_id or ""):
            raise InvalidArgument(
                "controller_id: 1..64 letters, digits, '.', '_' or '-'", {"controller_id": "not a controller id"}
            )
        if len(village_code) != 12 or not village_code.isdigit():
            raise InvalidArgument("village_code is a 12-digit village code", {"village_code": "12 digits"})
        town_code = village_code[:9]
        require_editor_of(caller, town_code)
        allowed.check(endpoint)  # INVALID_ARGUMENT on `endpoint`
        return cls(controller_id, town_code, village_code, endpoint, caller.username or caller.subject, now)

    def move(self, caller: Caller, allowed: EndpointAllowList, other: Controller) -> None:
        """Registered again: its editor (of its town) moves it to another endpoint or village."""
        require_editor_of(caller, self.town_code)
        self.town_code, self.village_code, self.endpoint = other.town_code, other.village_code, other.endpoint
        self.registered_by, self.registered_at = other.registered_by, other.registered_at


class PlayReport(Aggregate):
    """What one controller did with one slot (or, for a slot preempted or cut, the slot's own
    report: controller_id empty). One per slot and controller."""

    def __init__(self, slot_id, controller_id, town_code, result, detail, at):
        self.slot_id = slot_id
        self.controller_id = controller_id
        self.town_code = town_code
        self.result = result
        self.detail = detail
        self.at = at

    @property
    def played(self) -> bool:
        return self.result == PlayResult.PLAYED


def play_id(slot_id: str, controller_id: str) -> str:
    """What a controller dedups a repeated play request by (a crash may send it again)."""
    return f"{slot_id}/{controller_id}"


def report_of(reply: bytes | None, expected_play_id: str) -> tuple[str, str]:
    """A controller's reply as a play report: (result, detail). Only a JSON object naming this
    play and saying `played` counts as played."""
    if reply is None:
        return PlayResult.FAILED, "no report: unreachable, refused or too slow"
    try:
        r = json.loads(reply)
    except ValueError:
        return PlayResult.FAILED, "the reply is not JSON"
    if not isinstance(r, dict) or r.get("PlayID") != expected_play_id:
        return PlayResult.FAILED, "the reply is not a report for this play"
    if r.get("result") == PlayResult.PLAYED:
        return PlayResult.PLAYED, ""
    reason = r.get("reason")
    return PlayResult.FAILED, (reason[:200] if isinstance(reason, str) and reason.isprintable() else "failed")


class AlertInForce(Aggregate):
    """An emergency alert as education needs it: the areas it covers and until when."""

    def __init__(self, alert_id, area_codes, expires_at, withdrawn, updated_at):
        self.alert_id = alert_id
        self.area_codes = area_codes
        self.expires_at = expires_at
        self.withdrawn = withdrawn
        self.updated_at = updated_at

    def covers(self, village_code: str, now: dt.datetime) -> bool:
        """In force for a village: not withdrawn or expired, for it or an area it is in (its town, the district)."""
        if self.withdrawn or (self.expires_at is not None and self.expires_at <= now):
            return False
        return any(village_code.startswith(a) for a in self.area_codes)


def alert_over(alerts: list[AlertInForce], village_code: str, now: dt.datetime) -> AlertInForce | None:
    return next((a for a in alerts if a.covers(village_code, now)), None)


def next_free(after: dt.datetime, seconds: int, nearby: list[Slot]) -> dt.datetime:
    """The first moment from `after` at which `seconds` fit on a network between its slots."""
    at = after
    for s in sorted(nearby, key=lambda s: s.starts_at):
        if s.overlaps(at, at + dt.timedelta(seconds=seconds)):
            at = max(at, s.ends_at)
    return at


def resumption(cut: Slot, cut_at: dt.datetime, now: dt.datetime, nearby: list[Slot]) -> Slot:
    """The rest of a programme an alert cut, once the alert is over: from where it was cut, in the
    town's network's next free time (now, if nothing else is on). `nearby`: the network's slots
    from now on."""
    from_seconds = max(0, int((cut_at - cut.starts_at).total_seconds())) + cut.from_seconds
    rest = max(1, int((cut.ends_at - cut_at).total_seconds()))
    starts_at = next_free(now, rest, [s for s in nearby if s.id != cut.id])
    cut.playout = Playout.RESUMED
    return Slot(
        str(uuid.uuid4()),
        cut.town_code,
        cut.channel,
        cut.episode_id,
        starts_at,
        starts_at + dt.timedelta(seconds=rest),
        cut.topic,
        cut.local,
        cut.farm,
        SlotState.SCHEDULED,
        cut.scheduled_by,
        resumes=cut.resumes or cut.id,
        from_seconds=from_seconds,
    )


@dataclass(frozen=True)
class Due:
    """A slot to send now, with what to send and where."""

    slot: Slot
    title: str
    media_url: str
    controllers: list[Controller]


def play_request(d: Due, controller: Controller) -> dict:
    """The body the controller gets: what to play, where from, and when."""
    return {
        "PlayID": play_id(d.slot.id, controller.id),
        "controller": controller.id,
        "town_code": d.slot.town_code,
        "title": d.title,
        "media_url": d.media_url,
        "starts_at": d.slot.starts_at.isoformat(),
        "ends_at": d.slot.ends_at.isoformat(),
        # Non-zero for the rest of a programme an alert cut: play from this second of the media.
        "resume_from_seconds": d.slot.from_seconds,
    }
