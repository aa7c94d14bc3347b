"""Where village loudspeaker controllers may be: an allow-list of networks and host names (the
data file `data/loudspeaker_endpoints.json`, also rendered as the chart's NetworkPolicy for the
loudspeakers' egress), so that a registered URL can never point the worker at anything else."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from runtime.errors import InvalidArgument

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_PORTS = {"http": 80, "https": 443}


def _bad(why: str) -> InvalidArgument:
    return InvalidArgument(f"endpoint: {why}", {"endpoint": why})


@dataclass(frozen=True)
class Endpoint:
    """A controller's URL, taken apart."""

    url: str
    host: str
    port: int
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None  # when the host is an IP literal


def parse_endpoint(url: str) -> Endpoint:
    if len(url) > 500:
        raise _bad("at most 500 characters")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise _bad("no spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _bad("not a URL") from exc
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise _bad("a loudspeaker controller's http(s) URL")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise _bad("no user, password or fragment in the URL")
    host = parts.hostname.lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    return Endpoint(url, host, port or DEFAULT_PORTS[parts.scheme], address)


@dataclass(frozen=True)
class EndpointAllowList:
    """Networks (CIDR) and host names a controller may be at, on the listed ports. `local_networks`
    are for a local run only (ALERTS_LOUDSPEAKER_LOCAL_NETWORKS, e.g. 127.0.0.0/8): any port."""

    networks: tuple[Network, ...]
    hosts: frozenset[str]
    ports: frozenset[int]
    local_networks: tuple[Network, ...] = ()

    @classmethod
    def from_data(cls, data: dict, local_networks: Iterable[str] = ()) -> EndpointAllowList:
        return cls(
            tuple(ipaddress.ip_network(n) for n in data["networks"]),
            frozenset(h.lower() for h in data["hosts"]),
            frozenset(int(p) for p in data["ports"]),
            tuple(ipaddress.ip_network(n.strip()) for n in local_networks if n.strip()),
        )

    def allows_address(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int) -> bool:
        """What a controller's host name resolves to must be on the list too (checked when sending)."""
        if any(address in n for n in self.local_networks):
            return True
        return port in self.ports and any(address in n for n in self.networks)

    def check(self, url: str) -> Endpoint:
        """A registered endpoint: on the list, or INVALID_ARGUMENT on `endpoint`."""
        e = parse_endpoint(url)
        if e.address is not None:
            if not self.allows_address(e.address, e.port):
                raise _bad("not in the loudspeaker controllers' networks and ports")
        elif e.host not in self.hosts or e.port not in self.ports:
            raise _bad("not one of the loudspeaker controllers' hosts and ports")
        return e
