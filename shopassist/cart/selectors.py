"""Find the cart of a storefront request and compute its totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shopassist.cart.models import Cart
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
    """The mini cart's number, in one query (a customer has one active cart at most)."""
    from django.db.models import Sum

    from shopassist.cart.models import CartItem

    if request.customer:
        items = CartItem.objects.filter(cart__customer=request.customer, cart__is_active=True)
    else:
        cart_id = request.session.get(GUEST_CART_SESSION_KEY)
        if cart_id is None:
            return 0
        items = CartItem.objects.filter(
            cart_id=cart_id, cart__customer__isnull=True, cart__is_active=True
        )
    return items.aggregate(total=Sum("qty"))["total"] or 0
