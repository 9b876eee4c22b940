"""Requests of an assisted session act as the administrator on the customer's behalf."""

from django.dispatch import receiver

from shopassist.core.actor import Actor
from shopassist.core.signals import actor_for_request

ASSISTED_SESSION_ID = "assisted_session_id"
ASSISTED_SESSION = "assisted_session"


def assisted_session_of(actor):
    """The live assisted session an actor acts in, or None."""
    return getattr(actor, "context", {}).get(ASSISTED_SESSION)


@receiver(actor_for_request)
def assisted_actor(sender, request, actor, **kwargs):
    session = getattr(request, "assisted_session", None)
    if session is None:
        return None
    return Actor(
        staff_user=session.admin,
        customer=actor.customer,
        channel=actor.channel,
        ip_address=actor.ip_address,
        context={ASSISTED_SESSION_ID: session.pk, ASSISTED_SESSION: session},
    )
