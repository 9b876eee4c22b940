"""An order placed in an assisted session names the administrator and says so to the customer
(SPEC §6: the administrator in a field, and two comments): two Oscar order notes — one for the
dashboard, by the administrator (the note's user), naming them and the session; one the
customer's order page shows ("Order placed by store administrator",
``templates/oscar/customer/order/order_detail.html``) — and an entry in the session's journal."""

from django.dispatch import receiver
from django.utils.translation import gettext
from oscar.apps.checkout.signals import post_checkout
from oscar.core.loading import get_model

from login_as_customer import events
from login_as_customer.host import host

OrderNote = get_model("order", "OrderNote")

# The type of the note the customer sees (Oscar's notes have no "visible to the customer"
# flag; its order page shows none of them): the template override looks for it.
CUSTOMER_NOTE_TYPE = "Login as Customer"


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
    OrderNote.objects.create(
        order=order,
        user=session.admin,
        note_type=CUSTOMER_NOTE_TYPE,
        message=gettext("Order placed by store administrator"),
    )
    events.domain_action(
        session,
        action="order.placed",
        details={"order": str(order.number)},  # an int until the order is read again
        target=order,
        ip_address=host().client_ip(request),
    )
