"""Everything done inside an assisted session gets a readable action log entry, written in the
transaction of the change through the commerce core's extension points (``events.*_for``:
nothing is recorded for an actor outside an assisted session)."""

from django.dispatch import receiver

from login_as_customer import events
from shopassist.cart.signals import cart_changed
from shopassist.customers.signals import (
    account_change_refused,
    address_changed,
    customer_account_changed,
)
from shopassist.sales.signals import order_placed


@receiver(cart_changed)
def cart_action(sender, cart, actor, action, sku, qty, previous_qty, **kwargs):
    events.domain_action_for(
        actor,
        action=f"cart.{action}",
        details={"sku": sku, "qty": qty, "previous_qty": previous_qty, "cart_id": cart.pk},
    )


@receiver(address_changed)
def address_action(sender, customer, address, actor, action, **kwargs):
    events.domain_action_for(
        actor,
        action=f"address.{action}",
        target=address,
        details={"address_id": address.pk, "city": address.city, "country": address.country},
    )


@receiver(order_placed)
def order_action(sender, order, actor, **kwargs):
    events.domain_action_for(
        actor,
        action="order.placed",
        target=order,
        details={"order": order.increment_id, "grand_total": str(order.grand_total)},
    )


@receiver(customer_account_changed)
def account_action(sender, customer, actor, changed, **kwargs):
    events.domain_action_for(actor, action="account.update", details={"changed": list(changed)})


@receiver(account_change_refused)
def account_change_blocked(sender, customer, actor, fields, code, **kwargs):
    events.blocked_for(
        actor, action="account.blocked", details={"fields": list(fields), "code": code}
    )
