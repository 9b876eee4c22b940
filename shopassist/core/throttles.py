"""Per-address request throttles, counted by django-ratelimit in the shared cache.

Each kind of request has one group, whichever page it comes from, and counts by the client's
network (``client_address.client_network``: the address of ``core.client_address``, an IPv6
client by its /64), so neither a forged ``X-Forwarded-For`` nor a fresh IPv6 address starts a
new count. The per-account lockout (``core/signin_guard.py``) is separate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_ratelimit.core import is_ratelimited

from shopassist.core.client_address import client_network


@dataclass(frozen=True)
class Throttle:
    group: str
    rate: str  # django-ratelimit's "count/period", e.g. "20/m", "5/15m"


# Sign-in attempts per client network (storefront sign-in form).
SIGN_IN = Throttle(group="shopassist.sign_in", rate="20/m")
# "Forgot password" requests per client network.
PASSWORD_RESET = Throttle(group="shopassist.password_reset", rate="5/15m")
# Reset requests naming one account, from anywhere: no mailbox gets a flood of reset mails.
PASSWORD_RESET_PER_ACCOUNT = Throttle(group="shopassist.password_reset_account", rate="3/h")


def over_limit(request, throttle: Throttle, *, key: str | None = None) -> bool:
    """Count this request against ``throttle``; True when it goes over the limit.

    ``key`` counts by something else than the client's network (e.g. the account named)."""
    value = key if key is not None else client_network(request)
    return is_ratelimited(
        request,
        group=throttle.group,
        key=lambda _group, _request: value,
        rate=throttle.rate,
        increment=True,
    )
