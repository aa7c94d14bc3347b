"""What alerts publishes: one broadcast event per thing every terminal must
show or stop showing, on a topic of its own (never behind ordinary traffic)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.orm import Session

from alerts import domain
from alerts.store import AlertRow
from runtime import outbox
from sbc.events.v1 import alert_events_pb2

BROADCAST_TOPIC = "sbc.alerts.broadcast.v1"
BROADCAST = "sbc.alerts.broadcast.v1"
SOURCE = "sbc/alerts"


def alert_to_json(a: domain.Alert) -> str:
    d = dataclasses.asdict(a)
    d["sent"] = a.sent.isoformat()
    d["expires"] = a.expires.isoformat() if a.expires else None
    return json.dumps(d, ensure_ascii=False)


def alert_from_json(raw: str) -> domain.Alert:
    d = json.loads(raw)
    d["sent"] = dt.datetime.fromisoformat(d["sent"])
    d["expires"] = dt.datetime.fromisoformat(d["expires"]) if d["expires"] else None
    d["texts"] = tuple(domain.AlertText(**t) for t in d["texts"])
    d["areas"] = tuple(
        domain.CapArea(
            a["desc"],
            tuple(tuple(tuple(p) for p in poly) for poly in a["polygons"]),
            tuple(tuple(c) for c in a["circles"]),
            tuple(tuple(g) for g in a["geocodes"]),
        )
        for a in d["areas"]
    )
    d["references"] = tuple(d["references"])
    d["area_codes"] = tuple(d["area_codes"])
    return domain.Alert(**d)


def ts(t: dt.datetime | None) -> Timestamp | None:
    if t is None:
        return None
    out = Timestamp()
    out.FromDatetime(t if t.tzinfo else t.replace(tzinfo=dt.UTC))
    return out


def broadcast(row: AlertRow, kind: str, attempt: int = 1, only_terminals=()) -> alert_events_pb2.AlertBroadcast:
    a = alert_from_json(row.body)
    return alert_events_pb2.AlertBroadcast(
        alert_id=row.id,
        kind=kind,
        identifier=a.identifier,
        sender=a.sender,
        sender_name=a.sender_name,
        status=a.status,
        drill=a.drill,
        severity=a.severity,
        level=a.level,
        colour=a.colour,
        event_type=a.event_type,
        texts=[
            alert_events_pb2.AlertText(
                language=t.language,
                headline=t.headline,
                description=t.description,
                instruction=t.instruction,
                event=t.event,
            )
            for t in a.texts
        ],
        area_codes=json.loads(row.area_codes),
        sent=ts(a.sent),
        expires=ts(a.expires),
        supersedes=json.loads(row.references_alert_ids),
        attempt=attempt,
        msg_type=a.msg_type,
        only_terminals=list(only_terminals),
    )


def publish_broadcast(s: Session, row: AlertRow, kind: str, attempt: int = 1, only_terminals=()) -> None:
    outbox.publish(
        s,
        topic=BROADCAST_TOPIC,
        key=row.id,
        message=broadcast(row, kind, attempt, only_terminals),
        event_type=BROADCAST,
        source=SOURCE,
    )


def kind_of(msg_type: str) -> str:
    return {"Update": "update", "Cancel": "cancel"}.get(msg_type, "alert")


def receipted(b: alert_events_pb2.AlertBroadcast) -> bool:
    """Receipts count for the broadcast that carries the alert itself (an Alert, an Update, a CAP
    Cancel message); withdrawing (a cancel action, expiry) is sent to every terminal but not counted."""
    return b.kind == kind_of(b.msg_type)
