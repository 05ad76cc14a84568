"""The address a request came from, the one rule for rate limits and django-axes alike.

`X-Forwarded-For` is a list anyone can write: a client sends whatever it likes and each proxy
appends the address it saw. Only the entries our own proxies appended can be believed, so the
header is read only with `BEHIND_PROXY` set, and then from the right: past the proxies listed in
`TRUSTED_PROXIES`, the first entry is the address our outermost proxy saw. Everything left of it
was written by the client and is ignored; reading the leftmost entry would let every request
choose its own address and walk past any limit.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address as this deployment can know it (also AXES_CLIENT_IP_CALLABLE)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if not settings.BEHIND_PROXY or not forwarded:
        return remote
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:  # not written by a proxy of ours: stop believing the header here
            break
        if not any(address in network for network in trusted):
            return str(address)
    return remote
