"""A guest cart merges into the customer's cart when the customer logs in themselves."""

from django.dispatch import receiver

from shopassist.cart import services
from shopassist.cart.models import Cart
from shopassist.cart.selectors import GUEST_CART_SESSION_KEY, customer_cart
from shopassist.core.actor import Actor
from shopassist.core.client_address import client_ip
from shopassist.customers.signals import customer_logged_in


@receiver(customer_logged_in)
def merge_guest_cart_on_login(sender, request, customer, previous_session, **kwargs):
    cart_id = previous_session.get(GUEST_CART_SESSION_KEY)
    request.session.pop(GUEST_CART_SESSION_KEY, None)
    if cart_id is None:
        return
    guest = Cart.objects.filter(pk=cart_id, customer__isnull=True, is_active=True).first()
    if guest is None or not guest.items.exists():
        return
    services.merge_guest_cart(
        guest_cart=guest,
        customer_cart=customer_cart(customer, request.store_view, create=True),
        actor=Actor(customer=customer, ip_address=client_ip(request)),
    )
