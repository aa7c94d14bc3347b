"""The SLA scheduler (its own process: python -m servicedesk scheduler, a runtime Periodic
worker every SLA_SCAN_SECONDS).

Each pass looks at the open requests: raises an event when a
request's clock passes 80% and 100% of its time limit (escalation to the
point manager, then the district), ends a wait for the citizen that has
lasted longer than the standard allows, and closes resolved requests whose
rating window has passed. Each change is written with its audit entry and
event in one transaction; rows locked by a server call are skipped this round.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from runtime.db import Database
from servicedesk import domain, events, store
from servicedesk.domain import State
from servicedesk.servicer import ServiceDeskServicer, aware, now, resume

ACTOR = "system:sla-scheduler"
BATCH = 500


class SlaScheduler:
    def __init__(self, db: Database, catalog_data: dict, clock=now):
        self.db = db
        self.catalog_data = catalog_data
        self.now = clock

    def catalog(self, version: str) -> domain.Catalog:
        return domain.Catalog.named(self.catalog_data, version)

    def tick(self) -> int:
        """One pass; returns how many requests it changed."""
        t = self.now()
        changed = 0
        with self.db.transaction() as s:
            q = (
                select(store.ServiceRequestRow)
                .where(
                    store.ServiceRequestRow.state.in_(
                        domain.CLOCK_RUNNING + (State.WAITING_FOR_CITIZEN, State.RESOLVED)
                    )
                )
                .order_by(store.ServiceRequestRow.seq)
                .limit(BATCH)
            )
            if self.db.is_postgres:
                q = q.with_for_update(skip_locked=True)
            for row in s.scalars(q):
                changed += self._one(s, row, t)
        return changed

    def _one(self, s, row: store.ServiceRequestRow, t: dt.datetime) -> int:
        if row.deadline_at is None:
            return 0  # filed before requests carried a deadline (migration 0002): no clock to watch
        catalog = self.catalog(row.catalog_version)
        if row.state == State.WAITING_FOR_CITIZEN:
            if domain.wait_too_long(aware(row.waiting_since), t, catalog):
                resume(row, t)
                row.state = domain.transition(row.state, State.ACCEPTED)
                ServiceDeskServicer.record(
                    s,
                    row,
                    State.WAITING_FOR_CITIZEN,
                    ACTOR,
                    "system",
                    "system",
                    "the wait for the citizen reached its limit",
                    t,
                )
                return 1
            return 0
        if row.state == State.RESOLVED and row.resolved_at is not None:
            window = dt.timedelta(hours=catalog.rule("rating_window_hours"))
            if t - aware(row.resolved_at) >= window:
                row.state = domain.transition(row.state, State.CLOSED)
                ServiceDeskServicer.record(
                    s, row, State.RESOLVED, ACTOR, "system", "system", "the rating window passed", t
                )
                return 1
            return 0
        if row.state == State.RESOLVED:
            return 0
        used = domain.percent_used(
            aware(row.submitted_at), aware(row.deadline_at), dt.timedelta(seconds=row.paused_seconds), t
        )
        reached = domain.thresholds_reached(used, row.sla_percent_raised, catalog.rule("sla_thresholds_percent"))
        for percent in reached:
            events.sla_reached(s, row, percent, domain.escalate_to(percent), t)
            row.sla_percent_raised = percent
        return 1 if reached else 0
