"""The client's address: one answer for every throttle, lockout and audit entry.

Behind ``SHOPASSIST_TRUSTED_PROXIES`` proxies, each proxy appends the address it received the
connection from to ``X-Forwarded-For``; the nearest one is ``REMOTE_ADDR``. The client is then
the N-th entry from the right. Everything to the left of it was sent by the client and may be
forged, so it is never read. With no trusted proxy (the default) the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

# IPv6 clients usually hold a whole /64: throttles count per network, not per address.
IPV6_THROTTLE_PREFIX = 64


def trusted_proxy_count() -> int:
    """``SHOPASSIST_TRUSTED_PROXIES``, read per call so tests and deployments can change it."""
    return max(0, int(getattr(settings, "SHOPASSIST_TRUSTED_PROXIES", 0) or 0))


def client_ip(request) -> str | None:
    """The address of the client that sent ``request`` (normalised), or None if unknown."""
    remote = _parse_ip(request.META.get("REMOTE_ADDR"))
    proxies = trusted_proxy_count()
    if proxies == 0:
        return _as_text(remote)
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        # The request did not come through every trusted proxy (or they did not say whom
        # they saw): the nearest peer is all we know for sure.
        return _as_text(remote)
    forwarded = _parse_ip(entries[-proxies])
    return _as_text(forwarded if forwarded is not None else remote)


def client_network(request) -> str:
    """What throttles count by: the client's IPv4 address or IPv6 /64, "unknown" if none."""
    address = _parse_ip(client_ip(request))
    if address is None:
        return "unknown"
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_THROTTLE_PREFIX}", strict=False)
        return f"{network.network_address}/{IPV6_THROTTLE_PREFIX}"
    return str(address)


def _parse_ip(value) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]" or "[2001:db8::1]:443"
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _as_text(address) -> str | None:
    return str(address) if address is not None else None
