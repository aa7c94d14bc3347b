"""E-government's rules: the item catalog of each district (catalog.py), applications and their
steps (applications.py), appointments at the service hall (appointments.py), uploaded materials
(materials.py), the district's figures (figures.py), and who may do what (access.py). No I/O:
the store loads and keeps the aggregates, the handlers call them, the servicer maps them."""

from egov.domain.access import Role, department_may_handle, departments_of
from egov.domain.applications import (
    COMPLETED,
    OPEN_FOR_DEPARTMENT,
    SCHEDULER,
    Application,
    ApplicationStep,
    ApplicationStepTaken,
    State,
)
from egov.domain.appointments import Appointment, Hall, Halls, HallSlot, SlotRef, Visit, missed_times
from egov.domain.catalog import Catalog, Catalogs, Guide, HandlingItem, MaterialSpec
from egov.domain.certificates import CERTIFICATE_MEDIA_TYPE, Certificate
from egov.domain.figures import Figures, Tally, figures, office_area
from egov.domain.materials import Material, sniff

__all__ = [
    "CERTIFICATE_MEDIA_TYPE",
    "COMPLETED",
    "OPEN_FOR_DEPARTMENT",
    "SCHEDULER",
    "Application",
    "Appointment",
    "ApplicationStep",
    "ApplicationStepTaken",
    "Catalog",
    "Catalogs",
    "Certificate",
    "Figures",
    "Guide",
    "Hall",
    "HallSlot",
    "Halls",
    "HandlingItem",
    "Material",
    "MaterialSpec",
    "Role",
    "SlotRef",
    "State",
    "Tally",
    "Visit",
    "department_may_handle",
    "departments_of",
    "figures",
    "missed_times",
    "office_area",
    "sniff",
]
