"""The SLA scheduler (its own process: python -m servicedesk scheduler, a runtime Periodic worker
every SLA_SCAN_SECONDS).

Each pass lets every watched request keep its clock (ServiceRequest.watch): the 80 % and 100 %
events of its time limit (escalation to the point's manager, then the district), the end of a
wait for the citizen that lasted too long, the close of a resolved request whose rating window
has passed. A pass goes through every watched request, a page of BATCH at a time (keyset paging
on `seq`, one transaction per page), so no number of requests that sort first ever blinds it; on
PostgreSQL the requests a call holds are left to the next pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from runtime.db import Database
from runtime.times import utcnow
from servicedesk import domain
from servicedesk.store import UnitOfWork

BATCH = 500


class SlaScheduler:
    def __init__(
        self,
        db: Database,
        standards: domain.Standards | Mapping[str, domain.Standards],
        clock: Callable[[], dt.datetime] = utcnow,
    ):
        self.db = db
        # Each district's standards, by district code (a request keeps its household's district's).
        self.standards = {"": standards} if isinstance(standards, domain.Standards) else dict(standards)
        self.now = clock

    def standards_of(self, request: domain.ServiceRequest) -> domain.Standards:
        found = self.standards.get(request.area_code[:6])
        return found if found is not None else next(iter(self.standards.values()))

    def tick(self, batch: int = BATCH) -> int:
        """One pass over every watched request; how many it changed."""
        at = self.now()
        changed, after = 0, 0
        while True:
            with UnitOfWork(self.db) as uow:
                page = uow.requests.watched(domain.WATCHED_STATES, batch, after)
                changed += sum(r.watch(at, self.standards_of(r).named(r.catalog_version)) for r in page)
                uow.commit()
            if len(page) < batch:
                return changed
            after = page[-1].seq
