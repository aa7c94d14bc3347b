"""The emergency broadcast's tables, and the repositories and unit of work that keep its
aggregates in them (the domain's classes are mapped to the tables here, imperatively, so the
domain stays plain Python); the data files (areas, levels, trusted senders, channel settings).

Deliveries are the bulk of it (one per alert and terminal, 10,000 terminals in a town): an issued
alert's deliveries are made with one INSERT ... SELECT, receipts are read in one query per batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pathlib
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session, registry
from sqlalchemy.types import TypeDecorator

from alerts import domain, events
from runtime import consumer, districts, loudspeakers, outbox, uow
from runtime.db import UtcDateTime
from runtime.settings import env, env_float

DATA = pathlib.Path(__file__).resolve().parent / "data"


def load_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_areas() -> domain.Areas:
    """Every district's areas: data/areas.json (the pilot's), and each DISTRICTS_DIR district's
    alerts.areas.json (runtime.districts)."""
    pilot = DATA / "areas.json"
    found = districts.load("alerts.areas.json", {load_json("areas.json")["district"]: pilot}, lambda d: d["district"])
    return domain.Areas(*found.values())


def load_levels() -> domain.Levels:
    return domain.Levels(load_json("levels.json"))


def load_trusted() -> set[str]:
    return set(load_json("trusted_senders.json")["trusted_senders"])


def load_senders() -> dict[str, frozenset[str]]:
    """The CAP senders each department may send as."""
    return {k: frozenset(v) for k, v in load_json("cap_senders.json").items() if not k.startswith("_")}


def load_certificates() -> dict[str, str]:
    """The CAP senders whose messages must be signed, and the certificate each signs with:
    data/cap_certificates/<sender>.pem (ALERTS_CAP_CERTIFICATES_DIR elsewhere)."""
    folder = pathlib.Path(env("ALERTS_CAP_CERTIFICATES_DIR", str(DATA / "cap_certificates")))
    return {p.stem: p.read_text(encoding="ascii") for p in sorted(folder.glob("*.pem"))}


def load_channels() -> dict:
    return load_json("channels.json")


def redelivery() -> tuple[float, int]:
    """Seconds without a receipt before a terminal gets an alert again (ALERTS_REDELIVER_SECONDS
    over the data's), and the attempts at most per terminal."""
    settings = load_channels()
    return env_float("ALERTS_REDELIVER_SECONDS", settings["redeliver_after_seconds"]), settings["max_attempts"]


def load_commitments() -> domain.DeliveryCommitments:
    after, attempts = redelivery()
    return domain.DeliveryCommitments.of(load_json("commitments.json"), after, attempts, load_levels().levels)


def load_endpoint_allow_list() -> domain.EndpointAllowList:
    """The loudspeaker controllers' networks and hosts (runtime's one list, which education reads
    too), and for a local run the networks of ALERTS_LOUDSPEAKER_LOCAL_NETWORKS (comma-separated;
    never set in the chart)."""
    return loudspeakers.load_allow_list("ALERTS_LOUDSPEAKER_LOCAL_NETWORKS")


# --- how an alert message and lists of codes are kept (JSON text) ---


def message_to_json(m: domain.AlertMessage) -> str:
    d = dataclasses.asdict(m)
    d["sent"] = m.sent.isoformat()
    d["expires"] = m.expires.isoformat() if m.expires else None
    return json.dumps(d, ensure_ascii=False)


def message_from_json(raw: str) -> domain.AlertMessage:
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
    return domain.AlertMessage(**d)


class MessageText(TypeDecorator):
    """An AlertMessage, kept as JSON: what every channel and the outbound CAP are made from."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else message_to_json(value)

    def process_result_value(self, value, dialect):
        return None if value is None else message_from_json(value)


class CodeList(TypeDecorator):
    """A tuple of strings (area codes, alert ids), kept as a JSON list."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(list(value))

    def process_result_value(self, value, dialect):
        return None if value is None else tuple(json.loads(value))


# --- the tables (the service's migrations are made from them) ---

metadata = MetaData()
outbox.define_tables(metadata)
consumer.define_tables(metadata)

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("identifier", String(200), nullable=False),
    Column("sender", String(200), nullable=False),
    Column("origin", String(20), nullable=False),  # cap | authored
    Column("state", String(20), nullable=False, index=True),
    Column("body", MessageText, nullable=False),
    Column("area_codes", CodeList, nullable=False),  # targeted
    Column("expires", UtcDateTime, nullable=True),
    Column("references_alert_ids", CodeList, nullable=False),  # the ids of the alerts it replaces
    Column("created_by", String(200), nullable=False),
    Column("submitted_by", String(200), nullable=False),
    Column("approved_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("sender", "identifier"),
)

# Append-only (the migration adds triggers refusing UPDATE and DELETE).
audit = Table(
    "alert_audit",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("alert_id", String(36), nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(100), nullable=False),
    Column("detail", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

terminals = Table(
    "terminals",
    metadata,
    Column("channel", String(20), primary_key=True),
    Column("terminal_id", String(100), primary_key=True),
    Column("area_code", String(12), nullable=False, index=True),
    Column("household_id", String(100), nullable=False),
    Column("endpoint", String(500), nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("registered_by", String(200), nullable=False, server_default=""),
)

# Who registered or moved which loudspeaker controller or IoT device; append-only like alert_audit.
terminal_audit = Table(
    "terminal_audit",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("channel", String(20), nullable=False),
    Column("terminal_id", String(100), nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(100), nullable=False),
    Column("detail", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("alert_id", String(36), primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("terminal_id", String(100), primary_key=True),
    Column("area_code", String(12), nullable=False),
    Column("state", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_sent_at", UtcDateTime, nullable=False),
    Column("receipt_at", UtcDateTime, nullable=True),
)

mapper = registry()
mapper.map_imperatively(
    domain.Alert, alerts, properties={"message": alerts.c.body, "replaces": alerts.c.references_alert_ids}
)
mapper.map_imperatively(domain.Terminal, terminals)
mapper.map_imperatively(domain.Delivery, deliveries)


# --- repositories ---


class Alerts(uow.Repository[domain.Alert]):
    def get(self, alert_id: str) -> domain.Alert | None:
        return self._seen(self.session.get(domain.Alert, alert_id))

    def get_for_update(self, alert_id: str) -> domain.Alert | None:
        return self._seen(self.session.scalar(select(domain.Alert).where(alerts.c.id == alert_id).with_for_update()))

    def among(self, alert_ids: Iterable[str]) -> list[domain.Alert]:
        """The alerts of these ids that exist, in that order."""
        return [a for a in (self.get(i) for i in alert_ids) if a is not None]

    def by_identity(self, sender: str, identifier: str) -> domain.Alert | None:
        q = select(domain.Alert).where(alerts.c.sender == sender, alerts.c.identifier == identifier)
        return self._seen(self.session.scalar(q))

    def replacing(self, sender: str, identifier: str, department: str) -> list[domain.Alert]:
        """The department's Updates and Cancels that went out (or were recorded) referencing this
        message: they arrived before it."""
        needle = f"{sender},{identifier},"
        q = select(domain.Alert).where(
            alerts.c.created_by == department,
            alerts.c.state.in_(domain.State.WENT_OUT),
            type_coerce(alerts.c.body, Text).contains(needle, autoescape=True),
        )
        found = self._all_seen(list(self.session.scalars(q)))
        return [a for a in found if any(r.startswith(needle) for r in a.message.references)]

    def issued(self) -> list[domain.Alert]:
        """Every issued alert, oldest first (the domain says which are still active)."""
        q = select(domain.Alert).where(alerts.c.state == domain.State.ISSUED).order_by(alerts.c.created_at)
        return self._all_seen(list(self.session.scalars(q)))

    def add_at_once(self, alert: domain.Alert) -> domain.Alert:
        """Added and written now, so that a second copy of the same message arriving at the same
        moment fails here (an IntegrityError on sender and identifier)."""
        self.add(alert)
        self.session.flush()
        return alert


class AuditTrail:
    def __init__(self, session: Session):
        self.session = session

    def append(self, entry: domain.AuditEntry) -> None:
        self.session.execute(
            audit.insert().values(
                alert_id=entry.alert_id,
                action=entry.action,
                actor=entry.actor,
                actor_role=entry.actor_role,
                detail=entry.detail,
                at=entry.at,
            )
        )

    def of(self, alert_id: str) -> list[domain.AuditEntry]:
        rows = self.session.execute(select(audit).where(audit.c.alert_id == alert_id).order_by(audit.c.seq))
        return [domain.AuditEntry(r.alert_id, r.action, r.actor, r.actor_role, r.detail, r.at, r.seq) for r in rows]


def _in_areas(area_codes: Iterable[str]):
    """Terminals in any of the areas (prefix match: a town code covers its villages); None when no area."""
    prefixes = [c for c in area_codes if c]
    if not prefixes:
        return None
    return or_(*[terminals.c.area_code.startswith(c, autoescape=True) for c in prefixes])


class Terminals(uow.Repository[domain.Terminal]):
    """Terminals record no events, so the repository keeps no note of those it hands out
    (a town has thousands)."""

    def add(self, terminal: domain.Terminal) -> domain.Terminal:
        self.session.add(terminal)
        return terminal

    def audit(self, entry: domain.TerminalAuditEntry) -> None:
        self.session.execute(terminal_audit.insert().values(**dataclasses.asdict(entry)))

    def audit_of(self, channel: str, terminal_id: str) -> list[domain.TerminalAuditEntry]:
        q = (
            select(terminal_audit)
            .where(terminal_audit.c.channel == channel, terminal_audit.c.terminal_id == terminal_id)
            .order_by(terminal_audit.c.seq)
        )
        return [
            domain.TerminalAuditEntry(r.channel, r.terminal_id, r.action, r.actor, r.actor_role, r.detail, r.at)
            for r in self.session.execute(q)
        ]

    def get(self, channel: str, terminal_id: str) -> domain.Terminal | None:
        return self.session.get(domain.Terminal, (channel, terminal_id))

    def set_top_boxes(self, terminal_ids: Collection[str]) -> dict[str, domain.Terminal]:
        """The registered set-top boxes among these, by terminal id."""
        q = select(domain.Terminal).where(
            terminals.c.channel == domain.Channel.SET_TOP_BOX, terminals.c.terminal_id.in_(terminal_ids)
        )
        return {t.terminal_id: t for t in self.session.scalars(q)}

    def remove_set_top_box(self, terminal_id: str) -> None:
        """A box removed (stolen, sold): no alert targets it from now on, and what it never
        received is not sent to it again (what it did receive stays, as the alerts' record)."""
        box = (terminals.c.channel == domain.Channel.SET_TOP_BOX) & (terminals.c.terminal_id == terminal_id)
        self.session.execute(terminals.delete().where(box))
        self.session.execute(
            deliveries.delete().where(
                deliveries.c.channel == domain.Channel.SET_TOP_BOX,
                deliveries.c.terminal_id == terminal_id,
                deliveries.c.state == domain.delivery.SENT,
            )
        )

    def in_areas(self, channel: str, area_codes: Iterable[str]) -> list[domain.Terminal]:
        """A channel's registered terminals in any of the areas."""
        where = _in_areas(area_codes)
        if where is None:
            return []
        return list(self.session.scalars(select(domain.Terminal).where(where, terminals.c.channel == channel)))


class Deliveries(uow.Repository[domain.Delivery]):
    """Deliveries record no events either; there is one per alert and terminal."""

    def add(self, delivery: domain.Delivery) -> domain.Delivery:
        self.session.add(delivery)
        return delivery

    def add_for_every_terminal(self, alert: domain.Alert, now: dt.datetime) -> None:
        """A newly issued alert (none of its deliveries exist yet) is sent to every terminal in
        its areas: one INSERT ... SELECT, so ten thousand terminals never travel through Python."""
        where = _in_areas(alert.area_codes)
        if where is None:
            return
        self.session.execute(
            deliveries.insert().from_select(
                ["alert_id", "channel", "terminal_id", "area_code", "state", "attempts", "last_sent_at"],
                select(
                    literal(alert.id, String),
                    terminals.c.channel,
                    terminals.c.terminal_id,
                    terminals.c.area_code,
                    literal(domain.delivery.SENT, String),
                    literal(1, Integer),
                    literal(now, UtcDateTime),
                ).where(where),
            )
        )

    def ensure(self, pairs: Sequence[tuple[str, domain.Terminal]], now: dt.datetime) -> None:
        """Deliveries of active alerts (alert id, terminal) to terminals that connect or register
        while they are active; those that exist stay as they are."""
        if not pairs:
            return
        existing = set(
            self.session.execute(
                select(deliveries.c.alert_id, deliveries.c.channel, deliveries.c.terminal_id).where(
                    deliveries.c.alert_id.in_({a for a, _ in pairs}),
                    deliveries.c.terminal_id.in_({t.terminal_id for _, t in pairs}),
                )
            ).tuples()
        )
        for alert_id, t in pairs:
            key = (alert_id, t.channel, t.terminal_id)
            if key not in existing:
                existing.add(key)
                self.add(domain.Delivery.sent(alert_id, t, now))

    def receiving(self, channel: str, receipts: Collection[domain.Receipt]) -> dict[tuple[str, str], domain.Delivery]:
        """The deliveries these receipts of one channel are for, by (alert id, terminal id), in one query;
        a receipt without one is from a terminal that was never sent the alert."""
        if not receipts:
            return {}
        q = select(domain.Delivery).where(
            deliveries.c.channel == channel,
            deliveries.c.alert_id.in_({r.alert_id for r in receipts}),
            deliveries.c.terminal_id.in_({r.terminal_id for r in receipts}),
        )
        return {(d.alert_id, d.terminal_id): d for d in self.session.scalars(q)}

    def all_counts(self) -> tuple[int, list[tuple[str, str, str, int]]]:
        """How many alerts went out, and their deliveries in each state (as `counts`, for them all)."""
        sent = self.session.scalar(select(func.count(func.distinct(deliveries.c.alert_id)))) or 0
        q = select(deliveries.c.channel, deliveries.c.area_code, deliveries.c.state, func.count()).group_by(
            deliveries.c.channel, deliveries.c.area_code, deliveries.c.state
        )
        return sent, [(c, a, s, n) for c, a, s, n in self.session.execute(q)]

    def counts(self, alert_id: str) -> list[tuple[str, str, str, int]]:
        """How many of an alert's deliveries are in each state, per channel and area."""
        q = (
            select(deliveries.c.channel, deliveries.c.area_code, deliveries.c.state, func.count())
            .where(deliveries.c.alert_id == alert_id)
            .group_by(deliveries.c.channel, deliveries.c.area_code, deliveries.c.state)
        )
        return [(c, a, s, n) for c, a, s, n in self.session.execute(q)]

    def unanswered(
        self,
        alert_id: str,
        older_than: dt.datetime,
        max_attempts: int,
        after: tuple[str, str] | None,
        limit: int,
    ) -> list[domain.Delivery]:
        """An alert's deliveries without any receipt since `older_than`, not yet tried `max_attempts`
        times: the next `limit` after the (channel, terminal id) `after`, in that order (its primary key's)."""
        c = deliveries.c
        q = select(domain.Delivery).where(
            c.alert_id == alert_id,
            c.state == domain.delivery.SENT,
            c.last_sent_at < older_than,
            c.attempts < max_attempts,
        )
        if after is not None:
            q = q.where(tuple_(c.channel, c.terminal_id) > tuple_(*after))
        return list(self.session.scalars(q.order_by(c.channel, c.terminal_id).limit(limit)))


class UnitOfWork(uow.UnitOfWork):
    def repositories(self, session: Session) -> None:
        self.alerts = Alerts(session)
        self.terminals = Terminals(session)
        self.deliveries = Deliveries(session)
        self.audit = AuditTrail(session)

    def publish(self, session: Session, event) -> None:
        # Each step of an alert is a line of its audit trail, in the same transaction.
        if isinstance(event, domain.AlertStep):
            self.audit.append(event.entry())
        events.publish(session, event)
