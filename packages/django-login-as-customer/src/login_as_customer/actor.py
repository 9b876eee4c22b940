"""Who acts in a flow of Login as Customer, and the assisted session an actor acts in.

A flow that records who did something takes an actor: any object with the attributes of
``ActorLike`` (ShopAssist's ``core.actor.Actor`` has them). A host without an actor of its own
passes ``Actor``; ``Host.actor_of(request)`` gives the actor of a request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

# What an assisted request's actor carries in its ``context``.
ASSISTED_SESSION_ID = "assisted_session_id"
ASSISTED_SESSION = "assisted_session"


class ActorLike(Protocol):
    staff_user: Any  # the administrator acting (in the admin, or on a customer's behalf)
    customer: Any  # the customer whose account is acted on
    channel: str  # "web", "api" or "system"
    ip_address: str | None
    context: Mapping[str, Any]  # an assisted request: ASSISTED_SESSION(_ID)

    @property
    def on_behalf_of_customer(self) -> bool: ...


@dataclass(frozen=True)
class Actor:
    staff_user: Any = None
    customer: Any = None
    channel: str = "web"
    ip_address: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def on_behalf_of_customer(self) -> bool:
        return self.staff_user is not None and self.customer is not None


def assisted_session_of(actor: ActorLike):
    """The live assisted session an actor acts in, or None."""
    return getattr(actor, "context", {}).get(ASSISTED_SESSION)


def assisted_context(session) -> dict[str, Any]:
    """The ``context`` of an actor acting in ``session``: the administrator, for the customer."""
    return {ASSISTED_SESSION_ID: session.pk, ASSISTED_SESSION: session}
