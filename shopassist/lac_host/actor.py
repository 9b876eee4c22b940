"""Requests of an assisted session act as the administrator on the customer's behalf."""

from django.dispatch import receiver

from login_as_customer.actor import assisted_context
from shopassist.core.actor import Actor
from shopassist.core.signals import actor_for_request


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
        context=assisted_context(session),
    )
