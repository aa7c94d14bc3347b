"""The SLA scheduler (its own process: python -m servicedesk scheduler, a runtime Periodic worker
every SLA_SCAN_SECONDS).

Each pass lets every watched request keep its clock (ServiceRequest.watch): the 80 % and 100 %
events of its time limit (escalation to the point's manager, then the district), the end of a
wait for the citizen that lasted too long, the close of a resolved request whose rating window
has passed. One transaction per pass; on PostgreSQL the requests a call holds are left to the
next pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from runtime.db import Database
from runtime.times import utcnow
from servicedesk import domain
from servicedesk.store import UnitOfWork

BATCH = 500


class SlaScheduler:
    def __init__(self, db: Database, standards: domain.Standards, clock: Callable[[], dt.datetime] = utcnow):
        self.db = db
        self.standards = standards
        self.now = clock

    def tick(self) -> int:
        """One pass; how many requests it changed."""
        at = self.now()
        with UnitOfWork(self.db) as uow:
            changed = sum(
                r.watch(at, self.standards.named(r.catalog_version))
                for r in uow.requests.watched(domain.WATCHED_STATES, BATCH)
            )
            uow.commit()
        return changed
