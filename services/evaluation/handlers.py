"""Evaluation's use case: the report of a district for a period, from the read model's counters
(a few queries whatever the period's length). Called by the servicer on the database threads."""

from __future__ import annotations

import datetime as dt

from evaluation import domain
from evaluation.domain.folding import DISTRICT_TZ
from evaluation.domain.scheme import check_district, month_days
from evaluation.store import UnitOfWork
from runtime.auth import Caller
from runtime.errors import NotFound

# The weeks that began in a period are counted whole: the counters a week past its end are read too.
WEEK = dt.timedelta(days=7)


def get_report(
    uow: UnitOfWork, schemes: dict[str, domain.Scheme], caller: Caller, district: str, period: str, now: dt.datetime
) -> domain.Report:
    check_district(district)
    _, months = domain.parse_period(period)
    domain.require_assessor_of(caller, district)
    scheme = schemes.get(district)
    if scheme is None:
        raise NotFound(f"no acceptance scheme for district {district}", {"district": "no scheme"})
    start, end = month_days(months[0])[0], month_days(months[-1])[1]
    with uow:
        counts = uow.tallies.between(district, start, end + WEEK)
        for key, n in uow.subjects.open_past_deadline(district, start, end, now).items():
            counts[key] = counts.get(key, 0) + n
    return domain.build_report(scheme, period, months, counts, now, now.astimezone(DISTRICT_TZ).date())
