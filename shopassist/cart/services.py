"""Cart writes: add, update, remove, merge. Each takes an explicit actor."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shopassist.cart.errors import CartErrorCode
from shopassist.cart.models import Cart, CartItem
from shopassist.cart.signals import cart_changed
from shopassist.catalog.models import Product
from shopassist.core.errors import DomainError

MAX_QTY = 10_000


def parse_qty(raw) -> int:
    """A quantity from user input: an integer from 1 to MAX_QTY — written in ASCII digits
    (``int`` would also read "1_0", "+1" and other scripts' digits such as "٣"), else a clear
    error."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        qty = raw
    else:
        text = str(raw).strip()
        qty = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0
    if not 1 <= qty <= MAX_QTY:
        raise DomainError(
            CartErrorCode.INVALID_QTY,
            _("Enter a quantity from 1 to %(max)s.") % {"max": f"{MAX_QTY:,}"},
        )
    return qty


def _product(sku: str) -> Product:
    product = Product.objects.filter(sku=str(sku)[:64]).first()
    if product is None:
        raise DomainError(CartErrorCode.UNKNOWN_PRODUCT, _("The product does not exist."))
    if not product.is_active:
        raise DomainError(CartErrorCode.PRODUCT_DISABLED, _("The product is not available."))
    return product


def _check_stock(product: Product, qty: int) -> None:
    if product.stock_qty <= 0:
        raise DomainError(CartErrorCode.OUT_OF_STOCK, _("The product is out of stock."))
    if qty > product.stock_qty:
        raise DomainError(
            CartErrorCode.NOT_ENOUGH_STOCK,
            _("The requested quantity is not available. Only %(qty)s left in stock.")
            % {"qty": product.stock_qty},
        )


def add_item(*, cart: Cart, sku: str, qty, actor) -> CartItem:
    """Add a quantity of a product (by SKU) to the cart."""
    qty = parse_qty(qty)
    product = _product(sku)
    with transaction.atomic():
        item = CartItem.objects.select_for_update().filter(cart=cart, product=product).first()
        previous = item.qty if item else 0
        _check_stock(product, previous + qty)
        if item is None:
            item = CartItem.objects.create(cart=cart, product=product, qty=qty)
        else:
            item.qty = previous + qty
            item.save(update_fields=["qty"])
        Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
        cart_changed.send(
            sender=Cart,
            cart=cart,
            actor=actor,
            action="add",
            sku=product.sku,
            qty=item.qty,
            previous_qty=previous,
        )
    return item


def _item(cart: Cart, item_id) -> CartItem:
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        item_id = 0
    item = (
        CartItem.objects.select_for_update()
        .select_related("product")
        .filter(cart=cart, pk=item_id)
        .first()
    )
    if item is None:
        raise DomainError(CartErrorCode.UNKNOWN_ITEM, _("The item is not in your cart."))
    return item


def update_item(*, cart: Cart, item_id, qty, actor) -> CartItem:
    """Set the quantity of a cart item."""
    qty = parse_qty(qty)
    with transaction.atomic():
        item = _item(cart, item_id)
        _check_stock(item.product, qty)
        previous = item.qty
        item.qty = qty
        item.save(update_fields=["qty"])
        cart_changed.send(
            sender=Cart,
            cart=cart,
            actor=actor,
            action="update",
            sku=item.product.sku,
            qty=qty,
            previous_qty=previous,
        )
    return item


def remove_item(*, cart: Cart, item_id, actor) -> None:
    """Remove an item from the cart."""
    with transaction.atomic():
        item = _item(cart, item_id)
        sku, previous = item.product.sku, item.qty
        item.delete()
        cart_changed.send(
            sender=Cart,
            cart=cart,
            actor=actor,
            action="remove",
            sku=sku,
            qty=0,
            previous_qty=previous,
        )


def merge_guest_cart(*, guest_cart: Cart, customer_cart: Cart, actor) -> None:
    """Move a guest cart's items into the customer's cart (capped by stock), then close it."""
    with transaction.atomic():
        for guest_item in guest_cart.items.select_related("product"):
            item = (
                CartItem.objects.select_for_update()
                .filter(cart=customer_cart, product=guest_item.product)
                .first()
            )
            previous = item.qty if item else 0
            qty = min(previous + guest_item.qty, max(guest_item.product.stock_qty, 1))
            if item is None:
                # Created with its quantity: a cart item of 0 violates cart_item_qty_positive.
                item = CartItem.objects.create(
                    cart=customer_cart, product=guest_item.product, qty=qty
                )
            else:
                item.qty = qty
                item.save(update_fields=["qty"])
            cart_changed.send(
                sender=Cart,
                cart=customer_cart,
                actor=actor,
                action="merge",
                sku=guest_item.product.sku,
                qty=item.qty,
                previous_qty=previous,
            )
        guest_cart.items.all().delete()
        guest_cart.is_active = False
        guest_cart.save(update_fields=["is_active"])


def abandon_guest_cart(*, cart: Cart, actor) -> None:
    """Empty and close a guest cart whose browser session is being replaced."""
    with transaction.atomic():
        cart.items.all().delete()
        cart.is_active = False
        cart.save(update_fields=["is_active"])
