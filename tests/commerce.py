"""Build carts and orders, and read the commerce tables, as the commerce tests check them."""

import re
from contextlib import contextmanager

from django.db import connection

from shopassist.cart import services as cart_services
from shopassist.cart.models import Cart, CartItem
from shopassist.cart.selectors import customer_cart
from shopassist.catalog.models import Product
from shopassist.checkout.services import ShippingAddress, place_order
from shopassist.core.actor import Actor
from shopassist.sales.models import (
    CreditMemo,
    CreditMemoItem,
    Invoice,
    InvoiceItem,
    Order,
    OrderComment,
    OrderItem,
    Sequence,
    Shipment,
    ShipmentItem,
)

ORDER_TOTALS = (
    "status",
    "subtotal",
    "shipping_amount",
    "grand_total",
    "total_paid",
    "total_refunded",
)
ITEM_QUANTITIES = ("qty_ordered", "qty_invoiced", "qty_shipped", "qty_refunded")


def commerce_snapshot() -> dict:
    """Every row a cart, checkout or sales change could touch, to show a refusal changed
    nothing: cart items, active carts, stock, orders and their totals, item quantities,
    documents, comments and the increment sequences."""
    return {
        "cart_items": list(
            CartItem.objects.order_by("pk").values_list("pk", "cart_id", "product_id", "qty")
        ),
        "active_carts": list(
            Cart.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
        ),
        "stock": dict(Product.objects.values_list("sku", "stock_qty")),
        "orders": list(Order.objects.order_by("pk").values("pk", *ORDER_TOTALS)),
        "order_items": list(OrderItem.objects.order_by("pk").values("pk", *ITEM_QUANTITIES)),
        "documents": {
            model._meta.label: model.objects.count()
            for model in (
                Invoice,
                InvoiceItem,
                Shipment,
                ShipmentItem,
                CreditMemo,
                CreditMemoItem,
                OrderComment,
            )
        },
        "sequences": dict(Sequence.objects.values_list("name", "last_value")),
    }


def stock_of(sku: str) -> int:
    return Product.objects.values_list("stock_qty", flat=True).get(sku=sku)


def cart_lines(cart) -> dict[str, int]:
    """SKU → quantity of a cart's items ({} for no cart)."""
    if cart is None:
        return {}
    return dict(cart.items.values_list("product__sku", "qty"))


def fill_cart(customer, lines: dict[str, int], store_view=None) -> Cart:
    """The customer's active cart with ``lines`` (SKU → qty) added through the service."""
    cart = customer_cart(customer, store_view or customer.created_in, create=True)
    for sku, qty in lines.items():
        cart_services.add_item(cart=cart, sku=sku, qty=qty, actor=Actor(customer=customer))
    return cart


def address_of(customer) -> ShippingAddress:
    """The customer's first address book entry as a checkout shipping address."""
    address = customer.addresses.order_by("pk").first()
    return ShippingAddress(
        first_name=address.first_name,
        last_name=address.last_name,
        street=address.street,
        city=address.city,
        postcode=address.postcode,
        country=address.country,
        telephone=address.telephone,
    )


def order_for(customer, lines: dict[str, int]) -> Order:
    """An order placed by the customer themselves for ``lines`` (SKU → qty)."""
    return place_order(
        cart=fill_cart(customer, lines),
        email=customer.email,
        address=address_of(customer),
        actor=Actor(customer=customer),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def minicart_count(response) -> int:
    match = re.search(rb'data-testid="minicart-count">(\d+)<', response.content)
    assert match, "no mini-cart count in the header"
    return int(match.group(1))


@contextmanager
def connected(signal, receiver):
    """Connect ``receiver`` to ``signal`` for the block only."""
    signal.connect(receiver, weak=False)
    try:
        yield receiver
    finally:
        signal.disconnect(receiver)


def atomic_depth() -> int:
    """How many ``transaction.atomic`` blocks the default connection is inside."""
    return len(connection.atomic_blocks)


class SignalRecorder:
    """A receiver that records each call's arguments and the atomic depth it ran at."""

    def __init__(self, raises: Exception | None = None):
        self.calls: list[dict] = []
        self.raises = raises

    def __call__(self, sender, **kwargs):
        self.calls.append({**kwargs, "atomic_depth": atomic_depth()})
        if self.raises is not None:
            raise self.raises
