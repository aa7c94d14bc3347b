"""Village loudspeaker controllers (村村响), as every service that sends to them sees them: the
allow-list of networks and host names they may be at (one data file for every such service,
data/loudspeaker_endpoints.json, also rendered as the chart's NetworkPolicy for the `loudspeakers`
dependency), so a registered URL can never point a
worker at anything else; and one HTTP send to a controller, with retries under an overall deadline
and a bounded reply. What is sent and what the reply means are the caller's (alerts: an EBD and its
receipt; education: a programme to play and its play report)."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import pathlib
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from runtime.errors import DomainError, InvalidArgument
from runtime.settings import env

log = logging.getLogger(__name__)

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


ALLOW_LIST_FILE = pathlib.Path(__file__).parent / "data" / "loudspeaker_endpoints.json"


def load_allow_list(local_networks_env: str, path: pathlib.Path = ALLOW_LIST_FILE) -> EndpointAllowList:
    """The controllers' allow-list (the one file every service reads), and for a local run the
    networks of the service's `local_networks_env` (comma-separated, e.g. 127.0.0.0/8; never set
    in the chart)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return EndpointAllowList.from_data(data, env(local_networks_env, "").split(","))


MAX_REPLY_BYTES = 64 * 1024


async def allowed(allow_list: EndpointAllowList, url: str) -> bool:
    """The endpoint is on the allow-list, and so is every address its host resolves to now."""
    try:
        e = allow_list.check(url)
    except DomainError:
        return False
    if e.address is not None:
        return True
    infos = await asyncio.get_running_loop().getaddrinfo(e.host, e.port, type=socket.SOCK_STREAM)
    return bool(infos) and all(allow_list.allows_address(ipaddress.ip_address(i[4][0]), e.port) for i in infos)


async def post(http: httpx.AsyncClient, url: str, body: dict) -> tuple[int, bytes]:
    """One try: its status and (at most MAX_REPLY_BYTES of) its reply."""
    async with http.stream("POST", url, json=body) as r:
        reply = b""
        async for chunk in r.aiter_bytes():
            reply += chunk
            if len(reply) > MAX_REPLY_BYTES:
                break
        return r.status_code, reply


async def send(
    http: httpx.AsyncClient,
    allow_list: EndpointAllowList,
    url: str,
    body: dict,
    backoff: Iterable[float],
    deadline: float,
    stopping=None,
    who: str = "",
) -> bytes | None:
    """POST `body` to a controller, retrying unreachable ones, 5xx and 429 with `backoff` while the
    deadline (seconds, across the tries) allows. The reply of a 2xx, or None: not on the allow-list,
    refused (another 4xx), or no answer in time. The caller bounds the whole with the deadline too
    (asyncio.wait_for), so a controller trickling its reply is cut off."""
    if not await allowed(allow_list, url):
        log.warning("loudspeaker endpoint not on the allow-list", extra={"terminal": who})
        return None
    until = time.monotonic() + deadline
    for i, pause in enumerate([0.0, *backoff]):
        if pause:
            if (stopping is not None and stopping.is_set()) or time.monotonic() + pause > until:
                return None
            await asyncio.sleep(pause)
        try:
            status, reply = await post(http, url, body)
        except httpx.HTTPError as exc:
            log.info(
                "loudspeaker unreachable, will retry",
                extra={"terminal": who, "try": i + 1, "error": type(exc).__name__},
            )
            continue
        if status < 300:
            return reply
        if status < 500 and status != 429:
            log.warning("loudspeaker refused the request", extra={"terminal": who, "status": status})
            return None
    return None
