"""Find the cart of a storefront request and compute its totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connections

from shopassist.cart.models import Cart, CartItem
from shopassist.catalog.selectors import product_view

GUEST_CART_SESSION_KEY = "_guest_cart_id"


def customer_cart(customer, store_view, *, create: bool = False) -> Cart | None:
    cart = Cart.objects.filter(customer=customer, is_active=True).first()
    if cart is None and create:
        cart, _created = Cart.objects.get_or_create(
            customer=customer, is_active=True, defaults={"store_view": store_view}
        )
    return cart


def guest_cart(session, store_view, *, create: bool = False) -> Cart | None:
    cart_id = session.get(GUEST_CART_SESSION_KEY)
    cart = None
    if cart_id is not None:
        cart = Cart.objects.filter(pk=cart_id, customer__isnull=True, is_active=True).first()
    if cart is None and create:
        cart = Cart.objects.create(store_view=store_view)
        session[GUEST_CART_SESSION_KEY] = cart.pk
    return cart


def ordered_or_active_guest_cart(session) -> Cart | None:
    """The guest cart the session refers to, also once it was ordered (no longer active)."""
    cart_id = session.get(GUEST_CART_SESSION_KEY)
    if cart_id is None:
        return None
    return Cart.objects.filter(pk=cart_id, customer__isnull=True).first()


def cart_for_request(request, *, create: bool = False) -> Cart | None:
    if request.customer:
        return customer_cart(request.customer, request.store_view, create=create)
    return guest_cart(request.session, request.store_view, create=create)


@dataclass(frozen=True)
class CartLine:
    item_id: int
    product: object  # ProductView
    qty: int
    row_total: Decimal


@dataclass(frozen=True)
class CartSummary:
    lines: list[CartLine]
    subtotal: Decimal
    item_count: int

    @property
    def is_empty(self) -> bool:
        return not self.lines


EMPTY = CartSummary(lines=[], subtotal=Decimal("0.00"), item_count=0)


def cart_summary(cart: Cart | None, store_view) -> CartSummary:
    if cart is None:
        return EMPTY
    items = cart.items.select_related("product").prefetch_related("product__texts")
    lines = []
    for item in items:
        view = product_view(item.product, store_view)
        lines.append(CartLine(item.pk, view, item.qty, view.price * item.qty))
    return CartSummary(
        lines=lines,
        subtotal=sum((line.row_total for line in lines), Decimal("0.00")),
        item_count=sum(line.qty for line in lines),
    )


def item_count_for_request(request) -> int:
    """The mini cart's number, in one statement written once per process (every page of a
    visitor with a session shows it; a customer has one active cart at most)."""
    if request.customer:
        return _item_count("customer", request.customer.pk)
    cart_id = request.session.get(GUEST_CART_SESSION_KEY)
    if cart_id is None:
        return 0
    return _item_count("guest", cart_id)


@cache
def _item_count_sql(alias: str, whose: str) -> str:
    quote = connections[alias].ops.quote_name
    cart, item = Cart._meta, CartItem._meta
    owner = {
        "customer": f"c.{quote(cart.get_field('customer').column)} = %s",
        "guest": f"c.{quote(cart.pk.column)} = %s "
        f"AND c.{quote(cart.get_field('customer').column)} IS NULL",
    }[whose]
    return (
        f"SELECT COALESCE(SUM(i.{quote(item.get_field('qty').column)}), 0) "  # noqa: S608
        f"FROM {quote(item.db_table)} i INNER JOIN {quote(cart.db_table)} c "
        f"ON c.{quote(cart.pk.column)} = i.{quote(item.get_field('cart').column)} "
        f"WHERE {owner} AND c.{quote(cart.get_field('is_active').column)} = %s"
    )


def _item_count(whose: str, owner_id) -> int:
    alias = CartItem.objects.db
    with connections[alias].cursor() as cursor:
        cursor.execute(_item_count_sql(alias, whose), [int(owner_id), True])
        return int(cursor.fetchone()[0])
