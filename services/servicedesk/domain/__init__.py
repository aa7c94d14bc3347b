"""The service desk's rules, split by subdomain. No I/O: the store loads and keeps the aggregates
(ServiceRequest, OutreachEvent) and hands in the data (the standards, the service points, the
assessment scheme); the handlers call them; a rule broken is a domain error (runtime.errors).

- catalog: the published standards, versioned, and the service guide in plain Chinese
- points: the service points, routing by area, and who may act (Role)
- filing: what a new request carries, who may file for whom
- lifecycle: the states and steps, reference numbers
- requests: the ServiceRequest aggregate (its steps, its rating, its SLA clock)
- history: the domain events and the audit trail made of them
- appointments: windows, and technicians never double-booked
- outreach: outreach events in the villages (OutreachEvent)
- home_visits: home visits for elderly and disabled citizens
- assessment: the points' figures, scores and ranks, from a read model of the events

The 好差评 rating rules and the deadline arithmetic are shared with other domains (services/rules).
"""

from servicedesk.domain.appointments import Technician, TechnicianBooked, Window, overlaps
from servicedesk.domain.assessment import (
    PUBLIC_MONTHS,
    Case,
    PointAssessment,
    assess,
    month_bounds,
    months_asked,
    previous_months,
    public_figures,
    score,
    validate_scheme,
)
from servicedesk.domain.catalog import (
    AREA_TYPES,
    CHANNELS,
    DISTRICT_TZ,
    Catalog,
    ServiceType,
    Standards,
    district_date,
)
from servicedesk.domain.filing import (
    HOUSEHOLD_CHANNELS,
    MAX_DESCRIPTION,
    MAX_IDEMPOTENCY_KEY,
    MAX_REASON,
    OUTREACH_CHANNEL,
    Filing,
    NewRequest,
    as_registered,
    household_to_look_up,
    validate_new_request,
)
from servicedesk.domain.history import (
    SYSTEM,
    AuditEntry,
    RectificationFollowedUp,
    RequestFiled,
    RequestRated,
    RequestTransitioned,
    SlaThresholdReached,
)
from servicedesk.domain.home_visits import HOME_VISIT_REASONS
from servicedesk.domain.lifecycle import (
    BOOKED_STATES,
    CLOCK_RUNNING,
    OPEN_STATES,
    RATABLE_STATES,
    TRANSITIONS,
    WATCHED_STATES,
    State,
    StepNotAllowed,
    queue_states,
    reference_number,
    transition,
)
from servicedesk.domain.outreach import MAX_PLACE, OutreachEvent, upcoming
from servicedesk.domain.points import (
    Role,
    ServicePoint,
    ServicePoints,
    managed_point,
    require_district_manager,
    require_reader,
)
from servicedesk.domain.requests import ESCALATION, INDICATORS, MAX_COMMENT, ServiceRequest

__all__ = [
    "AREA_TYPES",
    "BOOKED_STATES",
    "CHANNELS",
    "CLOCK_RUNNING",
    "DISTRICT_TZ",
    "ESCALATION",
    "HOME_VISIT_REASONS",
    "HOUSEHOLD_CHANNELS",
    "INDICATORS",
    "MAX_COMMENT",
    "MAX_DESCRIPTION",
    "MAX_IDEMPOTENCY_KEY",
    "MAX_PLACE",
    "MAX_REASON",
    "OPEN_STATES",
    "OUTREACH_CHANNEL",
    "RATABLE_STATES",
    "SYSTEM",
    "TRANSITIONS",
    "WATCHED_STATES",
    "AuditEntry",
    "Case",
    "Catalog",
    "Filing",
    "NewRequest",
    "OutreachEvent",
    "PointAssessment",
    "RectificationFollowedUp",
    "RequestFiled",
    "RequestRated",
    "RequestTransitioned",
    "Role",
    "ServicePoint",
    "ServicePoints",
    "ServiceRequest",
    "ServiceType",
    "SlaThresholdReached",
    "Standards",
    "State",
    "StepNotAllowed",
    "Technician",
    "TechnicianBooked",
    "Window",
    "assess",
    "district_date",
    "managed_point",
    "month_bounds",
    "months_asked",
    "overlaps",
    "previous_months",
    "public_figures",
    "PUBLIC_MONTHS",
    "queue_states",
    "reference_number",
    "require_district_manager",
    "require_reader",
    "as_registered",
    "household_to_look_up",
    "score",
    "transition",
    "upcoming",
    "validate_new_request",
    "validate_scheme",
]
