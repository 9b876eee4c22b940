"""An order placed in an assisted session names the administrator: an Oscar order note, which
the dashboard shows with the order, and an entry in the session's journal."""

from django.dispatch import receiver
from django.utils.translation import gettext
from oscar.apps.checkout.signals import post_checkout
from oscar.core.loading import get_model

from login_as_customer import events
from login_as_customer.host import host

OrderNote = get_model("order", "OrderNote")


@receiver(post_checkout, dispatch_uid="login_as_customer_oscar_order")
def order_placed_in_assisted_session(sender, order, request, **kwargs):
    session = getattr(request, "assisted_session", None)
    if session is None:
        return
    message = gettext(
        "Placed by %(admin)s on the customer's behalf (Login as Customer, assisted session "
        "#%(session)s)."
    ) % {"admin": session.admin_username, "session": session.pk}
    OrderNote.objects.create(
        order=order, user=session.admin, note_type=OrderNote.SYSTEM, message=message
    )
    events.domain_action(
        session,
        action="order.placed",
        details={"order": str(order.number)},  # an int until the order is read again
        target=order,
        ip_address=host().client_ip(request),
    )
