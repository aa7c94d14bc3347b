"""Tourism's rules: the district's venues and events (places.py), entry slots and reservations
(reservations.py, on services/rules/booking.py), visitors' ID numbers (visitors.py) and signed
tickets (tickets.py), the museum's galleries and exhibits (exhibits.py). No I/O."""

from runtime.auth import Caller
from runtime.errors import PermissionDenied
from tourism.domain.exhibits import Collection, Exhibit, Exhibits, Gallery
from tourism.domain.places import AllPlaces, Event, Places, SlotTime, Venue
from tourism.domain.reservations import (
    ACTIVE,
    Booker,
    DoubleEntry,
    GateEntry,
    Reservation,
    ReservationChanged,
    Slot,
    State,
    entered_at,
)
from tourism.domain.tickets import Ticket, TicketSigner


class Role:
    """The roles tourism defines (in its registry entry too): staff at a venue's gate."""

    GATE = "venue_gate_staff"


def require_gate_staff_of(caller: Caller, venue: Venue) -> None:
    """Gate staff work at the venues of their own district only."""
    caller.require_role(Role.GATE)
    if caller.area_code[:6] != venue.area_code[:6]:
        raise PermissionDenied("this venue is in another district")


__all__ = [
    "ACTIVE",
    "Booker",
    "Collection",
    "DoubleEntry",
    "Event",
    "Exhibit",
    "AllPlaces",
    "Exhibits",
    "Gallery",
    "GateEntry",
    "Places",
    "Reservation",
    "ReservationChanged",
    "Role",
    "Slot",
    "SlotTime",
    "State",
    "Ticket",
    "require_gate_staff_of",
    "TicketSigner",
    "Venue",
    "entered_at",
]
