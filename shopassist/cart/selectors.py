"""Find the cart of a storefront request and compute its totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connections
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from shopassist.cart.models import Cart, CartItem
from shopassist.catalog.selectors import product_view
from shopassist.core.prepared import kept_plan_cursor

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


# The customer's attribute holding the mini cart's number when it was read with their row.
MINI_CART_COUNT = "mini_cart_count"


def item_count_expression(customer_ref: str):
    """The mini cart's number as a scalar expression on a customer's row (``customer_ref``: the
    path of the customer's key there), read with the customer on requests that change nothing
    (``customers.auth.read_along``). Every cart change is a POST (views and API), so a GET or
    HEAD request's count cannot go stale before its page is rendered."""
    items = (
        CartItem.objects.filter(cart__customer=OuterRef(customer_ref), cart__is_active=True)
        .order_by()
        .values("cart__customer")
        .annotate(total=Sum("qty"))
        .values("total")
    )
    return Coalesce(Subquery(items), 0)


def item_count_for_request(request) -> int:
    """The mini cart's number: read with the customer's row on a request that changes nothing,
    else in one statement written once per process (every page of a visitor with a session
    shows it; a customer has one active cart at most)."""
    if request.customer:
        count = getattr(request.customer, MINI_CART_COUNT, None)
        if count is not None:
            return int(count)
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
    with kept_plan_cursor(connections[alias]) as cursor:
        cursor.execute(_item_count_sql(alias, whose), [int(owner_id), True])
        return int(cursor.fetchone()[0])
