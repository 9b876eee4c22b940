"""Per-address request throttles, counted by django-ratelimit in the shared cache.

Each kind of request has one group, whichever page it comes from, and counts by the client's
network (``client_address.client_network``: the address of ``core.client_address``, an IPv6
client by its /64), so neither a forged ``X-Forwarded-For`` nor a fresh IPv6 address starts a
new count. The per-account lockout (``core/signin_guard.py``) is separate.

With the cache unreachable no count can be kept, and each throttle says what happens
(``when_uncounted``): sign-in stays open (the per-account lockout is in the database and still
locks an account after 5 failures; locking every customer and administrator out during an outage
would be worse), "forgot password" is refused (each request sends mail: an outage must not
open a mail flood, and a few minutes without a reset link harm nobody).
"""

from __future__ import annotations

from dataclasses import dataclass

from django_ratelimit.core import is_ratelimited

from shopassist.core.client_address import client_network
from shopassist.core.resilient_cache import CacheUnavailable

ALLOW, REFUSE = "allow", "refuse"


@dataclass(frozen=True)
class Throttle:
    group: str
    rate: str  # django-ratelimit's "count/period", e.g. "20/m", "5/15m"
    when_uncounted: str  # ALLOW (fail open) or REFUSE (fail closed) while the cache is down


# Sign-in attempts per client network (storefront sign-in form).
SIGN_IN = Throttle(group="shopassist.sign_in", rate="20/m", when_uncounted=ALLOW)
# "Forgot password" requests per client network.
PASSWORD_RESET = Throttle(group="shopassist.password_reset", rate="5/15m", when_uncounted=REFUSE)
# Reset requests naming one account, from anywhere: no mailbox gets a flood of reset mails.
PASSWORD_RESET_PER_ACCOUNT = Throttle(
    group="shopassist.password_reset_account", rate="3/h", when_uncounted=REFUSE
)


def over_limit(request, throttle: Throttle, *, key: str | None = None) -> bool:
    """Count this request against ``throttle``; True when it goes over the limit.

    ``key`` counts by something else than the client's network (e.g. the account named)."""
    value = key if key is not None else client_network(request)
    try:
        return is_ratelimited(
            request,
            group=throttle.group,
            key=lambda _group, _request: value,
            rate=throttle.rate,
            increment=True,
        )
    except CacheUnavailable:
        return throttle.when_uncounted == REFUSE
