"""The emergency broadcast's use cases: each loads aggregates through a unit of work, lets the
domain decide, and commits the change with the events it recorded (the broadcast on the outbox,
the audit trail). Called by the servicer (on the database threads: runtime.aio.run_sync), by the
scheduler worker (expiry, re-delivery) and by the channel and terminal consumers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, IntegrityError

from alerts import cap, domain, store
from alerts.domain import Alert, Broadcast, Channel, Receipt, Terminal
from alerts.store import UnitOfWork
from runtime.auth import Caller
from runtime.errors import DomainError, InvalidArgument, PermissionDenied, Unavailable

# The gateway's batches (streams opening together, receipts arriving together).
MAX_PER_BATCH = 1000
log = logging.getLogger(__name__)
# Verifies a token carried inside a batched call: its caller, or Unauthenticated.
Verify = Callable[[str], Caller]


@dataclass(frozen=True)
class Setup:
    """The data the rules read."""

    areas: domain.Areas
    levels: domain.Levels
    trusted: frozenset[str]  # departments whose CAP alerts skip approval
    endpoints: domain.EndpointAllowList  # where loudspeaker controllers may be
    senders: Mapping[str, frozenset[str]]  # the CAP senders each department may send as
    certificates: Mapping[str, str] = field(default_factory=dict)  # CAP sender -> its signing certificate (PEM)
    cap_max_bytes: int = cap.DEFAULT_MAX_BYTES

    @classmethod
    def load(cls) -> Setup:
        """From the data files (data/) and ALERTS_CAP_MAX_BYTES."""
        return cls(
            store.load_areas(),
            store.load_levels(),
            frozenset(store.load_trusted()),
            store.load_endpoint_allow_list(),
            store.load_senders(),
            store.load_certificates(),
            cap.max_bytes(),
        )


def _alert(uow: UnitOfWork, alert_id: str, for_update: bool = False) -> Alert:
    domain.check_alert_id(alert_id)
    alert = uow.alerts.get_for_update(alert_id) if for_update else uow.alerts.get(alert_id)
    if alert is None:
        raise domain.no_such_alert()
    return alert


def _check_batch(n: int, name: str) -> None:
    if n > MAX_PER_BATCH:
        raise InvalidArgument(f"at most {MAX_PER_BATCH} {name} per call", {name: "too many"})


def _verified(verify: Verify, token: str) -> Caller:
    """A batch item's own token, checked at the edge before it costs a signature check."""
    domain.check_token(token)
    return verify(token)


# --- intake and authoring ---


def submit_cap(uow: UnitOfWork, caller: Caller, xml: str | bytes, setup: Setup, now: dt.datetime) -> Alert:
    """A department's CAP message (its bytes as sent, in the encoding it declares): received, and
    issued at once when the department is trusted. A sender with a registered certificate must
    sign it, and only what the signature covers is read. A reference to an alert never received
    (this platform started after it) is no reason to refuse: an Update is the alert now in force,
    and a Cancel of only such alerts is recorded, so that the original is never broadcast if it
    arrives after all."""
    domain.department_of(caller)
    document = cap.parse(xml, setup.cap_max_bytes)
    message = cap.read(document, setup.levels)
    domain.check_sender(caller, message.sender, setup.senders)
    certificate = setup.certificates.get(message.sender)
    if certificate:
        signed = cap.read(cap.check_signature(document, certificate), setup.levels)
        if signed.sender != message.sender:
            raise PermissionDenied("the signed part names another sender", {"signature": "another sender"})
        message = signed
    message = domain.with_repaired_polygons(message)
    domain.check_rules(message)
    with uow:
        if uow.alerts.by_identity(message.sender, message.identifier) is not None:
            raise domain.AlreadyReceived()
        replaced = []
        for ref in message.references:
            sender, identifier = domain.parse_reference(ref)
            old = uow.alerts.by_identity(sender, identifier)
            if old is not None:
                old.check_replaceable_by(caller)
                replaced.append(old)
        came_first = uow.alerts.replacing(message.sender, message.identifier, caller.subject)
        alert = Alert.receive(message, caller, replaced, setup.areas, setup.trusted, now, came_first)
        try:
            uow.alerts.add_at_once(alert)
        except IntegrityError as exc:  # the same message sent twice at once
            raise domain.AlreadyReceived() from exc
        if alert.is_issued:
            uow.deliveries.add_for_every_terminal(alert, now)
        uow.commit()
        return alert


def draft_alert(uow: UnitOfWork, caller: Caller, draft: domain.Draft, setup: Setup, now: dt.datetime) -> Alert:
    with uow:
        replaced = uow.alerts.get(draft.references_alert_id[:36]) if draft.references_alert_id else None
        alert = Alert.draft(caller, draft, replaced, setup.areas, setup.levels, now)
        uow.alerts.add(alert)
        uow.commit()
        return alert


def submit_for_approval(uow: UnitOfWork, caller: Caller, alert_id: str, reason: str, now: dt.datetime) -> Alert:
    with uow:
        alert = _alert(uow, alert_id, for_update=True)
        alert.submit(caller, reason, now)
        uow.commit()
        return alert


def approve(uow: UnitOfWork, caller: Caller, alert_id: str, reason: str, now: dt.datetime) -> Alert:
    """Approved by a second person: issued, to every terminal in its areas."""
    with uow:
        alert = _alert(uow, alert_id, for_update=True)
        alert.approve(caller, reason, uow.alerts.among(alert.replaces), now)
        uow.deliveries.add_for_every_terminal(alert, now)
        uow.commit()
        return alert


def reject(uow: UnitOfWork, caller: Caller, alert_id: str, reason: str, now: dt.datetime) -> Alert:
    with uow:
        alert = _alert(uow, alert_id, for_update=True)
        alert.reject(caller, reason, now)
        uow.commit()
        return alert


def cancel(uow: UnitOfWork, caller: Caller, alert_id: str, reason: str, now: dt.datetime) -> Alert:
    with uow:
        alert = _alert(uow, alert_id, for_update=True)
        alert.cancel(caller, reason, now)
        uow.commit()
        return alert


# --- the periodic jobs (the scheduler worker) ---


def expire_due(uow: UnitOfWork, now: dt.datetime) -> int:
    """Every issued alert whose time has passed is withdrawn on every channel. How many."""
    with uow:
        due = [a for a in uow.alerts.issued() if a.is_due_to_expire(now)]
        for alert in due:
            alert.expire(now)
        uow.commit()
        return len(due)


def redeliver_due(uow: UnitOfWork, after_seconds: float, max_attempts: int, now: dt.datetime, page: int = 5000) -> int:
    """An active alert goes again to every terminal with no receipt after `after_seconds` (one
    broadcast per alert and page of `page` terminals, naming them; each channel sends to its own).
    Only active alerts' deliveries are read, page after page, so no number of stale rows of
    withdrawn or expired alerts starves the others. How many terminals."""
    older_than = now - dt.timedelta(seconds=after_seconds)
    with uow:
        active = [a.id for a in uow.alerts.issued() if a.is_active(now)]
    sent = 0
    for alert_id in active:
        after: tuple[str, str] | None = None
        while True:
            with uow:
                alert = uow.alerts.get(alert_id)
                if alert is None or not alert.is_active(now):
                    break
                due = uow.deliveries.unanswered(alert_id, older_than, max_attempts, after, page)
                if due:
                    alert.send_again(due, now)
                    uow.commit()
            sent += len(due)
            if len(due) < page:
                break
            after = (due[-1].channel, due[-1].terminal_id)
    return sent


# --- reading ---


def get_alert(uow: UnitOfWork, caller: Caller, alert_id: str) -> Alert:
    with uow:
        alert = _alert(uow, alert_id)
        alert.check_readable_by(caller)
        return alert


def alert_status(uow: UnitOfWork, caller: Caller, alert_id: str) -> tuple[Alert, list[domain.AreaStatus]]:
    """How far the alert got: targeted, delivered, displayed, acknowledged per channel and area."""
    with uow:
        alert = _alert(uow, alert_id)
        alert.check_readable_by(caller)
        return alert, domain.delivery_status(uow.deliveries.counts(alert.id))


def delivery_commitments(caller: Caller) -> domain.DeliveryCommitments:
    """The published delivery commitments (any signed-in caller)."""
    if not caller.subject:
        raise PermissionDenied("sign in first")
    return store.load_commitments()


def delivery_figures(uow: UnitOfWork) -> tuple[int, int, int]:
    """Public (no sign-in), counts only: the alerts that went out, the terminals they targeted,
    and those that sent a receipt (delivered or further), over every alert and channel."""
    with uow:
        sent, counts = uow.deliveries.all_counts()
    rows = domain.delivery_status(counts)
    return sent, sum(r.targeted for r in rows), sum(r.delivered for r in rows)


def audit_trail(uow: UnitOfWork, caller: Caller, alert_id: str) -> list[domain.AuditEntry]:
    with uow:
        alert = _alert(uow, alert_id)
        alert.check_readable_by(caller)
        return uow.audit.of(alert.id)


def _showing(uow: UnitOfWork, now: dt.datetime) -> list[Alert]:
    return [a for a in uow.alerts.issued() if a.is_showing(now)]


def list_active(uow: UnitOfWork, caller: Caller, area_code: str, now: dt.datetime) -> list[Broadcast]:
    """The alerts showing now (in `area_code`, when given)."""
    domain.require_signed_in(caller)
    with uow:
        showing = _showing(uow, now)
    return [a.broadcast() for a in showing if not area_code or a.targets(area_code)]


def alert_cap(uow: UnitOfWork, alert_id: str, setup: Setup) -> str:
    """An alert that went out, as CAP 1.2 XML (for other systems, without signing in)."""
    with uow:
        alert = _alert(uow, alert_id)
    if not alert.is_published:
        raise domain.no_such_alert()
    return cap.render(alert.message, setup.areas.names())


def active_feed(uow: UnitOfWork, base_url: str, now: dt.datetime) -> str:
    """An Atom feed of the alerts showing now, each linking its CAP document."""
    with uow:
        showing = _showing(uow, now)
    return cap.atom_feed([(a.id, a.message) for a in showing], base_url[:200].rstrip("/"), now)


# --- terminals and receipts ---


def _connect(uow: UnitOfWork, callers: Sequence[Caller], now: dt.datetime) -> list[list[Broadcast]]:
    """Set-top boxes opening their streams: registered with their household's area (moved there
    when signed in by another household), and sent, now and in the live status, the alerts
    showing there. Their alerts, in order."""
    if not callers:
        return []
    wanted = {c.device_id or c.subject: c for c in callers}
    boxes = uow.terminals.set_top_boxes(wanted)
    for terminal_id, c in wanted.items():
        box = boxes.get(terminal_id)
        if box is None:
            boxes[terminal_id] = uow.terminals.add(Terminal.set_top_box(terminal_id, c.area_code, c.household_id, now))
        else:
            box.signed_in_by(c.household_id, c.area_code)
    showing = _showing(uow, now)
    broadcasts = {a.id: a.broadcast() for a in showing}
    out, pairs = [], []
    for c in callers:
        box = boxes[c.device_id or c.subject]
        mine = [a.id for a in showing if a.targets(c.area_code)]
        pairs += [(alert_id, box) for alert_id in mine]
        out.append([broadcasts[alert_id] for alert_id in mine])
    uow.deliveries.ensure(pairs, now)
    return out


def connect_terminal(uow: UnitOfWork, caller: Caller, now: dt.datetime) -> list[Broadcast]:
    caller.require_household()
    with uow:
        [showing] = _connect(uow, [caller], now)
        uow.commit()
    return showing


def connect_terminals(
    uow: UnitOfWork, verify: Verify, tokens: Sequence[str], now: dt.datetime
) -> list[list[Broadcast] | DomainError]:
    """Many set-top boxes opening their streams at once, each named by its own token, in one
    transaction: for each, its alerts, or why it was refused."""
    _check_batch(len(tokens), "tokens")
    out: list[list[Broadcast] | DomainError] = [[] for _ in tokens]
    callers: dict[int, Caller] = {}
    for i, token in enumerate(tokens):
        try:
            caller = _verified(verify, token)
            caller.require_household()
            callers[i] = caller
        except DomainError as exc:
            out[i] = exc
    with uow:
        for i, showing in zip(callers, _connect(uow, list(callers.values()), now), strict=True):
            out[i] = showing
        uow.commit()
    return out


def _record(uow: UnitOfWork, channel: str, receipts: Collection[Receipt], now: dt.datetime) -> set[tuple[str, str]]:
    """Receipts of one channel; the (alert id, terminal id) of those that count (the others were
    never sent the alert, and change nothing)."""
    sent = uow.deliveries.receiving(channel, receipts)
    for r in receipts:
        delivery = sent.get(r.delivery_key)
        if delivery is not None:
            delivery.record_receipt(r.kind, now)
    return set(sent)


def record_receipt(uow: UnitOfWork, caller: Caller, alert_id: str, kind: str, now: dt.datetime) -> None:
    receipt = Receipt.from_set_top_box(caller, alert_id, kind)
    with uow:
        _alert(uow, alert_id)
        if not _record(uow, Channel.SET_TOP_BOX, [receipt], now):
            raise domain.NotSentToTerminal()
        uow.commit()


def record_receipts(
    uow: UnitOfWork, verify: Verify, receipts: Sequence[tuple[str, str, str]], now: dt.datetime
) -> list[DomainError | None]:
    """Many set-top boxes' receipts (token, alert id, kind) in one transaction: for each, None
    when it was recorded, or why not."""
    _check_batch(len(receipts), "receipts")
    results: list[DomainError | None] = [None] * len(receipts)
    sound: list[tuple[int, Receipt]] = []
    for i, (token, alert_id, kind) in enumerate(receipts):
        try:
            sound.append((i, Receipt.from_set_top_box(_verified(verify, token), alert_id, kind)))
        except DomainError as exc:
            results[i] = exc
    try:
        with uow:
            counted = _record(uow, Channel.SET_TOP_BOX, [r for _, r in sound], now)
            uow.commit()
    except DBAPIError:
        # Something the edge did not catch made the database refuse the batch: each receipt alone,
        # so the one to blame fails by itself and the others are recorded.
        log.exception("a batch of %d receipts failed; recording each alone", len(sound))
        counted = set()
        for i, r in sound:
            try:
                with uow:
                    counted |= _record(uow, Channel.SET_TOP_BOX, [r], now)
                    uow.commit()
            except DBAPIError as exc:
                results[i] = Unavailable(f"this receipt could not be recorded ({type(exc.orig).__name__}); try again")
    for i, r in sound:
        if results[i] is None and r.delivery_key not in counted:
            results[i] = domain.NotSentToTerminal()
    return results


def register_terminal(
    uow: UnitOfWork,
    caller: Caller,
    channel: str,
    terminal_id: str,
    area_code: str,
    endpoint: str,
    setup: Setup,
    now: dt.datetime,
) -> Terminal:
    """Staff register a loudspeaker controller or an IoT device in their area (again: it moves,
    if they may move it); each registration is a line of the terminals' audit trail."""
    registration = Terminal.register(
        caller, channel, terminal_id, area_code, endpoint, setup.areas, setup.endpoints, now
    )
    with uow:
        terminal = uow.terminals.get(channel, terminal_id)
        if terminal is None:
            terminal = uow.terminals.add(registration)
            entry = terminal.audit_entry(caller, "registered", f"{area_code} {endpoint}".strip(), now)
        else:
            entry = terminal.registered_again(caller, registration, now)
        uow.terminals.audit(entry)
        uow.commit()
        return terminal


def register_set_top_box(
    uow: UnitOfWork, terminal_id: str, area_code: str, household_id: str, registered_at: dt.datetime, now: dt.datetime
) -> None:
    """A set-top box whose sign-in completed (identity's DeviceRegistered), in its household's
    area: an alert already active there targets it from now on (it gets it when it connects)."""
    with uow:
        box = uow.terminals.set_top_boxes([terminal_id]).get(terminal_id)
        if box is None:
            box = uow.terminals.add(Terminal.set_top_box(terminal_id, area_code, household_id, registered_at))
        else:
            box.signed_in_by(household_id, area_code)
        active = [a for a in uow.alerts.issued() if a.is_active(now) and a.targets(area_code)]
        uow.deliveries.ensure([(a.id, box) for a in active], now)
        uow.commit()


def remove_set_top_box(uow: UnitOfWork, terminal_id: str) -> None:
    """A box removed by its household or the operator's staff (identity's DeviceRevoked): the
    next alert does not target it. Removing a box that is not there changes nothing."""
    with uow:
        uow.terminals.remove_set_top_box(terminal_id)
        uow.commit()


# --- the channels' side (loudspeakers, IoT) ---


def channel_terminals(uow: UnitOfWork, channel: str, area_codes: Sequence[str], only: Sequence[str]) -> list[Terminal]:
    """The terminals of a channel a broadcast goes to."""
    with uow:
        return domain.addressed(uow.terminals.in_areas(channel, area_codes), only)


def sent_on_channel(
    uow: UnitOfWork,
    channel: str,
    alert_id: str,
    terminals: Sequence[Terminal],
    receipts: dict[str, str],
    now: dt.datetime,
) -> None:
    """An alert sent to a channel's terminals: each has its delivery, and the receipts that came
    back at once (a loudspeaker controller's reply) are recorded."""
    with uow:
        uow.deliveries.ensure([(alert_id, t) for t in terminals], now)
        _record(uow, channel, [Receipt(alert_id, t, kind) for t, kind in receipts.items()], now)
        uow.commit()


def record_channel_receipt(
    uow: UnitOfWork, channel: str, alert_id: str, terminal_id: str, kind: str, now: dt.datetime
) -> None:
    """A receipt a terminal sent back on its own (a home IoT device over MQTT)."""
    with uow:
        _record(uow, channel, [Receipt(alert_id, terminal_id, kind)], now)
        uow.commit()
