"""Where village loudspeaker controllers may be: the allow-list (the data file
`runtime/data/loudspeaker_endpoints.json`, also rendered as the chart's NetworkPolicy for the loudspeakers'
egress). The mechanism is shared with education's playout: runtime.loudspeakers."""

from runtime.loudspeakers import DEFAULT_PORTS, Endpoint, EndpointAllowList, Network, parse_endpoint

__all__ = ["DEFAULT_PORTS", "Endpoint", "EndpointAllowList", "Network", "parse_endpoint"]
