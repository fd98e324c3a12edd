"""The client's address, also behind a reverse proxy that the operator trusts.

Behind a proxy every request comes from the proxy's address, so log-in
throttling per address would lock a user out for everyone. When REMOTE_ADDR is
one of TRUSTED_PROXIES, the client is the right-most address in
X-Forwarded-For that is not itself a trusted proxy (the left part of that
header is whatever the client chose to send). Without TRUSTED_PROXIES the
header is ignored, so a client cannot choose its own address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent the request (axes' client callable)."""
    remote = str(request.META.get("REMOTE_ADDR", "")).strip()
    if not _trusted(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if hop and not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote
