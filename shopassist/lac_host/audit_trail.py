"""Everything done inside an assisted session gets a readable action log entry, written in the
transaction of the change through the commerce core's extension points."""

from django.dispatch import receiver

from login_as_customer import events
from login_as_customer.actor import assisted_session_of
from shopassist.cart.signals import cart_changed
from shopassist.customers.signals import (
    account_change_refused,
    address_changed,
    customer_account_changed,
)
from shopassist.sales.signals import order_placed


def _channel(actor):
    return getattr(actor, "channel", "web")


@receiver(cart_changed)
def cart_action(sender, cart, actor, action, sku, qty, previous_qty, **kwargs):
    session = assisted_session_of(actor)
    if session is not None:
        events.domain_action(
            session,
            action=f"cart.{action}",
            details={"sku": sku, "qty": qty, "previous_qty": previous_qty, "cart_id": cart.pk},
            channel=_channel(actor),
            ip_address=actor.ip_address,
        )


@receiver(address_changed)
def address_action(sender, customer, address, actor, action, **kwargs):
    session = assisted_session_of(actor)
    if session is not None:
        events.domain_action(
            session,
            action=f"address.{action}",
            target=address,
            details={"address_id": address.pk, "city": address.city, "country": address.country},
            channel=_channel(actor),
            ip_address=actor.ip_address,
        )


@receiver(order_placed)
def order_action(sender, order, actor, **kwargs):
    session = assisted_session_of(actor)
    if session is not None:
        events.domain_action(
            session,
            action="order.placed",
            target=order,
            details={"order": order.increment_id, "grand_total": str(order.grand_total)},
            channel=_channel(actor),
            ip_address=actor.ip_address,
        )


@receiver(customer_account_changed)
def account_action(sender, customer, actor, changed, **kwargs):
    session = assisted_session_of(actor)
    if session is not None:
        events.domain_action(
            session,
            action="account.update",
            details={"changed": list(changed)},
            channel=_channel(actor),
            ip_address=actor.ip_address,
        )


@receiver(account_change_refused)
def account_change_blocked(sender, customer, actor, fields, code, **kwargs):
    session = assisted_session_of(actor)
    if session is not None:
        events.blocked(
            session,
            action="account.blocked",
            details={"fields": list(fields), "code": code},
            channel=_channel(actor),
            ip_address=actor.ip_address,
        )
