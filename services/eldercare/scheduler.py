"""The scheduler (python -m eldercare scheduler): every ELDERCARE_CHECK_SECONDS, inactivity ("no data
for X") is raised on time, not on a device's next message; reminders of unacknowledged alarms go
out as their timetable says; medication doses fall due, are reminded until confirmed, and are
missed past their window; device commands past their time to live expire. Each step is its own
transaction: one failing never holds the others."""

from __future__ import annotations

import logging

from eldercare import handlers
from eldercare.store import UnitOfWork
from runtime.times import utcnow

log = logging.getLogger(__name__)


def scheduler_pass(ctx, clock=utcnow):
    steps = (handlers.check_inactivity, handlers.escalate_due, handlers.remind_doses, handlers.expire_commands)

    def tick() -> None:
        now = clock()
        for step in steps:
            try:
                step(UnitOfWork(ctx.db), now)
            except Exception:
                log.exception("the scheduler's %s failed (tried again next pass)", step.__name__)

    return tick
