"""The staff roles legal defines (listed in its registry entry too), and those of others it uses."""

from __future__ import annotations


class Role:
    """The staff roles legal defines (listed in its registry entry too), and those of others it uses."""

    JUDICIAL_OFFICER = "judicial_officer"  # the district's judicial office: publishes, reviews, oversees
    LEGAL_ADVISOR = "legal_advisor"  # a village's legal advisor (一村一法律顾问)
    VILLAGE_AGENT = "village_agent"
    STATION_MANAGER = "station_manager"  # a village's civilization practice station (新时代文明实践站)
