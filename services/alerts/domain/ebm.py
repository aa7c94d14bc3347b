"""What the village loudspeakers get: an EBD envelope carrying one EB message (the structure of
GY/T 385-2023, rendered as JSON)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from alerts.domain.message import CHINA, AlertText

EBM_TYPE_REAL, EBM_TYPE_CANCEL, EBM_TYPE_TERMINAL_DRILL = 1, 2, 5


def ebm_type(kind: str, drill: bool) -> int:
    if kind in ("cancel", "expire"):
        return EBM_TYPE_CANCEL
    return EBM_TYPE_TERMINAL_DRILL if drill else EBM_TYPE_REAL


@dataclass(frozen=True)
class EbdFields:
    ebd_id: str
    source: str
    destination: str
    alert_id: str
    related_alert_ids: tuple[str, ...]
    kind: str
    drill: bool
    sender_name: str
    sender_code: str
    sent: dt.datetime
    event_type: str
    severity: str
    level: int
    expires: dt.datetime | None
    texts: tuple[AlertText, ...]
    area_codes: tuple[str, ...]
    attempt: int = 1
    extra: dict = field(default_factory=dict)


def ebd_id(alert_id: str, kind: str, attempt: int, terminal_id: str) -> str:
    """One EBD per alert, kind, attempt and controller: a controller drops one it has seen."""
    return f"{alert_id}-{kind}-{attempt}-{terminal_id}"


def render_ebd(f: EbdFields, now: dt.datetime) -> dict:
    """An EBD envelope carrying one EBM (JSON rendering of GY/T 385-2023's structure)."""
    zh = f.texts[0] if f.texts else AlertText("zh-CN")

    def t(x: dt.datetime | None) -> str:
        return x.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if x else ""

    return {
        "EBD": {
            "EBDVersion": "1",
            "EBDID": f.ebd_id,
            "EBDType": "EBM",
            "SRC": {"EBRID": f.source},
            "DEST": {"EBRID": f.destination},
            "EBDTime": t(now),
            "RelatedEBD": {"EBDID": ""},
            "EBM": {
                "EBMVersion": "1",
                "EBMID": f.alert_id,
                "RelatedEBM": {"EBMID": ",".join(f.related_alert_ids)},
                "MsgBasicInfo": {
                    "MsgType": ebm_type(f.kind, f.drill),
                    "SenderName": f.sender_name,
                    "SenderCode": f.sender_code,
                    "SendTime": t(f.sent),
                    "EventType": f.event_type,
                    "Severity": f.level or 0,
                    "StartTime": t(f.sent),
                    "EndTime": t(f.expires),
                },
                "MsgContent": {
                    "LanguageCode": "zho",
                    "MsgTitle": ("【演练】" if f.drill else "") + zh.headline,
                    "MsgDesc": zh.description + (("\n" + zh.instruction) if zh.instruction else ""),
                    "AreaCode": ",".join(f.area_codes),
                },
                "Dispatch": {"Attempt": f.attempt},
            },
        }
    }
