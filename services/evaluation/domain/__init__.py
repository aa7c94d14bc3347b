"""Evaluation's rules, no I/O: the read model's subjects (what each service's events say of one
request, application, alarm or slot) and the counters they add up to (folding.py), the acceptance
scheme and its periods (scheme.py), and the report computed from the counters (report.py)."""

from evaluation.domain.folding import (
    AlarmSubject,
    ApplicationSubject,
    CaseSubject,
    Contribution,
    EpisodeSubject,
    RatingSubject,
    SlotSubject,
    Subject,
    Tally,
    diff,
)
from evaluation.domain.report import Report, build_report
from evaluation.domain.roles import ASSESSOR, Role, require_assessor_of
from evaluation.domain.scheme import Indicator, Scheme, months_of, parse_period

__all__ = [
    "ASSESSOR",
    "AlarmSubject",
    "ApplicationSubject",
    "CaseSubject",
    "Contribution",
    "EpisodeSubject",
    "Indicator",
    "RatingSubject",
    "Report",
    "Role",
    "Scheme",
    "SlotSubject",
    "Subject",
    "Tally",
    "build_report",
    "diff",
    "months_of",
    "parse_period",
    "require_assessor_of",
]
