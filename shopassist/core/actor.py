"""Who acts, and on whose behalf: passed explicitly into every commerce service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopassist.core.client_address import client_ip

__all__ = ["Actor", "client_ip"]  # client_ip: re-exported for older callers


@dataclass(frozen=True)
class Actor:
    """The party performing an action.

    ``staff_user`` is the administrator acting (admin panel, or on a customer's behalf);
    ``customer`` is the customer whose account is acted on; ``context`` carries extension
    data an app attaches (e.g. an assisted-session id) without the core knowing its meaning.
    """

    staff_user: Any = None
    customer: Any = None
    channel: str = "web"
    ip_address: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def on_behalf_of_customer(self) -> bool:
        return self.staff_user is not None and self.customer is not None

    @classmethod
    def system(cls) -> Actor:
        return cls(channel="system")

    @classmethod
    def for_request(cls, request) -> Actor:
        """The actor of a request; apps extend it through ``actor_for_request`` receivers."""
        from shopassist.core.signals import actor_for_request

        # request.customer is lazy: a signed-out storefront visitor wraps None, which is falsy.
        customer = getattr(request, "customer", None) or None
        if customer is not None and not customer.is_authenticated:
            customer = None
        staff = request.user if request.area == "admin" and request.user.is_authenticated else None
        actor = cls(staff_user=staff, customer=customer, ip_address=client_ip(request))
        for _receiver, replacement in actor_for_request.send(
            sender=cls, request=request, actor=actor
        ):
            if replacement is not None:
                actor = replacement
        return actor
