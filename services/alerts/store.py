"""Alerts tables and queries, and the data files (areas, levels, trusted senders)."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import uuid

from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint, func, literal, or_, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from alerts import domain
from runtime import consumer, outbox
from runtime.db import UtcDateTime

DATA = pathlib.Path(__file__).resolve().parent / "data"


def load_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_areas() -> domain.Areas:
    return domain.Areas(load_json("areas.json"))


def load_levels() -> domain.Levels:
    return domain.Levels(load_json("levels.json"))


def load_trusted() -> set[str]:
    return set(load_json("trusted_senders.json")["trusted_senders"])


def load_channels() -> dict:
    return load_json("channels.json")


class Base(DeclarativeBase):
    pass


# The service's tables (its migrations are made from them).
metadata = Base.metadata


outbox.define_tables(Base.metadata)
consumer.define_tables(Base.metadata)


def _id() -> str:
    return str(uuid.uuid4())


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("sender", "identifier"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_id)
    identifier: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(20))  # cap | authored
    state: Mapped[str] = mapped_column(String(20), index=True)
    # The normalized alert (domain.Alert as JSON): what every channel and the outbound CAP are made from.
    body: Mapped[str] = mapped_column(Text)
    area_codes: Mapped[str] = mapped_column(Text)  # JSON list
    expires: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    references_alert_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of our ids
    created_by: Mapped[str] = mapped_column(String(200))
    submitted_by: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """Append-only (the migration adds triggers refusing UPDATE and DELETE)."""

    __tablename__ = "alert_audit"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TerminalRow(Base):
    __tablename__ = "terminals"
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(12), index=True)
    household_id: Mapped[str] = mapped_column(String(100), default="")
    endpoint: Mapped[str] = mapped_column(String(500), default="")
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DeliveryRow(Base):
    """One alert on one terminal: sent, then receipts (delivered < displayed < acknowledged)."""

    __tablename__ = "deliveries"
    alert_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(20), default="sent")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    receipt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


def audit(s: Session, alert_id: str, action: str, actor: str, role: str, detail: str, at: dt.datetime) -> None:
    s.add(AuditRow(alert_id=alert_id, action=action, actor=actor, actor_role=role, detail=detail, at=at))


def find_by_identity(s: Session, sender: str, identifier: str) -> AlertRow | None:
    return s.scalar(select(AlertRow).where(AlertRow.sender == sender, AlertRow.identifier == identifier))


def active(s: Session, now: dt.datetime) -> list[AlertRow]:
    rows = s.scalars(select(AlertRow).where(AlertRow.state == domain.State.ISSUED).order_by(AlertRow.created_at))
    return [r for r in rows if domain.is_active(r.state, aware(r.expires), now)]


def expired_but_issued(s: Session, now: dt.datetime) -> list[AlertRow]:
    rows = s.scalars(select(AlertRow).where(AlertRow.state == domain.State.ISSUED, AlertRow.expires.is_not(None)))
    return [r for r in rows if aware(r.expires) <= now]


def aware(t: dt.datetime | None) -> dt.datetime | None:
    if t is None:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _in_areas(area_codes: list[str]):
    """Terminals in any of the areas (prefix match: a town code covers its villages); None when no area."""
    prefixes = [c for c in area_codes if c]
    if not prefixes:
        return None
    return or_(*[TerminalRow.area_code.startswith(c, autoescape=True) for c in prefixes])


def terminals_in(s: Session, channel: str, area_codes: list[str]) -> list[TerminalRow]:
    """A channel's registered terminals in any of the areas."""
    where = _in_areas(area_codes)
    if where is None:
        return []
    return list(s.scalars(select(TerminalRow).where(where, TerminalRow.channel == channel)))


def upsert_terminal(
    s: Session, channel: str, terminal_id: str, area_code: str, now: dt.datetime, endpoint: str = ""
) -> TerminalRow:
    """A loudspeaker controller or IoT device registered by staff (set-top boxes: upsert_set_top_boxes)."""
    row = s.get(TerminalRow, (channel, terminal_id))
    if row is None:
        row = TerminalRow(
            channel=channel,
            terminal_id=terminal_id,
            area_code=area_code,
            household_id="",
            endpoint=endpoint,
            registered_at=now,
        )
        s.add(row)
    else:
        row.area_code, row.endpoint = area_code, endpoint
    return row


def add_deliveries(s: Session, alert_id: str, area_codes: list[str], now: dt.datetime) -> None:
    """Deliveries of a newly issued alert (none exist yet) to every terminal in its areas: one
    INSERT ... SELECT, so ten thousand terminals never travel through Python."""
    where = _in_areas(area_codes)
    if where is None:
        return
    d = DeliveryRow.__table__
    s.execute(
        d.insert().from_select(
            ["alert_id", "channel", "terminal_id", "area_code", "state", "attempts", "last_sent_at"],
            select(
                literal(alert_id, String),
                TerminalRow.channel,
                TerminalRow.terminal_id,
                TerminalRow.area_code,
                literal("sent", String),
                literal(1, Integer),
                literal(now, UtcDateTime),
            ).where(where),
        )
    )


def upsert_set_top_boxes(s: Session, boxes: list[tuple[str, str, str]], now: dt.datetime) -> dict[str, TerminalRow]:
    """Set-top boxes (terminal id, area code, household id) connecting, registered or moved to
    their household's current area, in one go; the rows by terminal id."""
    wanted = {terminal_id: (area, household) for terminal_id, area, household in boxes}
    rows = {
        r.terminal_id: r
        for r in s.scalars(
            select(TerminalRow).where(
                TerminalRow.channel == domain.Channel.SET_TOP_BOX, TerminalRow.terminal_id.in_(wanted)
            )
        )
    }
    for terminal_id, (area, household) in wanted.items():
        row = rows.get(terminal_id)
        if row is None:
            row = rows[terminal_id] = TerminalRow(
                channel=domain.Channel.SET_TOP_BOX,
                terminal_id=terminal_id,
                area_code=area,
                household_id=household,
                endpoint="",
                registered_at=now,
            )
            s.add(row)
        else:
            row.area_code, row.household_id, row.endpoint = area, household, ""
    return rows


def ensure_deliveries(s: Session, pairs: list[tuple[str, TerminalRow]], now: dt.datetime) -> None:
    """Deliveries of active alerts (alert id, terminal) to terminals that connect while they
    are active; those that exist stay as they are."""
    if not pairs:
        return
    existing = set(
        s.execute(
            select(DeliveryRow.alert_id, DeliveryRow.channel, DeliveryRow.terminal_id).where(
                DeliveryRow.alert_id.in_({a for a, _ in pairs}),
                DeliveryRow.terminal_id.in_({t.terminal_id for _, t in pairs}),
            )
        ).tuples()
    )
    for alert_id, t in pairs:
        key = (alert_id, t.channel, t.terminal_id)
        if key not in existing:
            existing.add(key)
            s.add(
                DeliveryRow(
                    alert_id=alert_id,
                    channel=t.channel,
                    terminal_id=t.terminal_id,
                    area_code=t.area_code,
                    state="sent",
                    attempts=1,
                    last_sent_at=now,
                )
            )


def record_receipts(
    s: Session, channel: str, receipts: list[tuple[str, str, str]], now: dt.datetime
) -> set[tuple[str, str]]:
    """Receipts (alert id, terminal id, kind) of one channel, in one go: a delivery's state only
    climbs (delivered < displayed < acknowledged). Returns the (alert id, terminal id) pairs
    that were sent, i.e. whose receipts count; the others change nothing."""
    if not receipts:
        return set()
    alert_ids = {a for a, _, _ in receipts}
    terminal_ids = {t for _, t, _ in receipts}
    rows = {
        (r.alert_id, r.terminal_id): r
        for r in s.scalars(
            select(DeliveryRow).where(
                DeliveryRow.channel == channel,
                DeliveryRow.alert_id.in_(alert_ids),
                DeliveryRow.terminal_id.in_(terminal_ids),
            )
        )
    }
    for alert_id, terminal_id, kind in receipts:
        row = rows.get((alert_id, terminal_id))
        if row is not None and domain.RECEIPT_RANK[kind] > domain.RECEIPT_RANK.get(row.state, 0):
            row.state = kind
            row.receipt_at = now
    return set(rows)


def record_receipt(s: Session, alert_id: str, channel: str, terminal_id: str, kind: str, now: dt.datetime) -> bool:
    return bool(record_receipts(s, channel, [(alert_id, terminal_id, kind)], now))


def status_rows(s: Session, alert_id: str) -> list[tuple[str, str, int, int, int, int]]:
    rows = s.execute(
        select(DeliveryRow.channel, DeliveryRow.area_code, DeliveryRow.state, func.count())
        .where(DeliveryRow.alert_id == alert_id)
        .group_by(DeliveryRow.channel, DeliveryRow.area_code, DeliveryRow.state)
    ).all()
    agg: dict[tuple[str, str], list[int]] = {}
    for channel, area, state, n in rows:
        counts = agg.setdefault((channel, area), [0, 0, 0, 0])
        rank = domain.RECEIPT_RANK.get(state, 0)
        counts[0] += n
        for i in range(1, 4):
            if rank >= i:
                counts[i] += n
    return [(c, a, *v) for (c, a), v in sorted(agg.items())]


def unreceipted(s: Session, older_than: dt.datetime, max_attempts: int, limit: int = 5000) -> list[DeliveryRow]:
    """Deliveries without any receipt since `older_than`, not yet tried `max_attempts` times."""
    return list(
        s.scalars(
            select(DeliveryRow)
            .where(
                DeliveryRow.state == "sent",
                DeliveryRow.last_sent_at < older_than,
                DeliveryRow.attempts < max_attempts,
            )
            .order_by(DeliveryRow.alert_id)
            .limit(limit)
        )
    )
