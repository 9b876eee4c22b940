"""The customer's cart: the same cart services as the storefront."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router

from shopassist.api.auth import CustomerToken
from shopassist.api.endpoints import AUTH_ERRORS
from shopassist.api.recording import recorded_write
from shopassist.api.schemas import CartItemIn, CartItemPatch, CartOut, Error
from shopassist.cart import services
from shopassist.cart.errors import CartErrorCode
from shopassist.cart.selectors import cart_summary, customer_cart
from shopassist.core.errors import DomainError

router = Router(tags=["cart"], auth=CustomerToken())
WRITE_ERRORS = {400: Error, 404: Error, 409: Error, **AUTH_ERRORS}


def _cart_out(caller) -> dict:
    cart = customer_cart(caller.customer, caller.store_view)
    store_view = cart.store_view if cart else caller.store_view
    summary = cart_summary(cart, store_view)
    return {
        "store_view": store_view.code,
        "lines": [
            {
                "item_id": line.item_id,
                "sku": line.product.sku,
                "name": line.product.name,
                "price": line.product.price,
                "qty": line.qty,
                "row_total": line.row_total,
            }
            for line in summary.lines
        ],
        "subtotal": summary.subtotal,
        "item_count": summary.item_count,
    }


@router.get("", response={200: CartOut, **AUTH_ERRORS})
def get_cart(request):
    return _cart_out(request.auth)


@router.post("/items", response={200: CartOut, **WRITE_ERRORS})
def add_item(request, body: CartItemIn):
    caller = request.auth
    # One transaction: a refused first item leaves no empty cart behind.
    with recorded_write(request, operation="cart.add_item"), transaction.atomic():
        cart = customer_cart(caller.customer, caller.store_view, create=True)
        services.add_item(cart=cart, sku=body.sku, qty=body.qty, actor=caller.actor)
    return _cart_out(caller)


@router.patch("/items/{item_id}", response={200: CartOut, **WRITE_ERRORS})
def update_item(request, item_id: int, body: CartItemPatch):
    caller = request.auth
    with recorded_write(request, operation="cart.update_item"):
        cart = _existing_cart(caller)
        services.update_item(cart=cart, item_id=item_id, qty=body.qty, actor=caller.actor)
    return _cart_out(caller)


@router.delete("/items/{item_id}", response={200: CartOut, **WRITE_ERRORS})
def remove_item(request, item_id: int):
    caller = request.auth
    with recorded_write(request, operation="cart.remove_item"):
        cart = _existing_cart(caller)
        services.remove_item(cart=cart, item_id=item_id, actor=caller.actor)
    return _cart_out(caller)


def _existing_cart(caller):
    cart = customer_cart(caller.customer, caller.store_view)
    if cart is None:
        raise DomainError(CartErrorCode.UNKNOWN_ITEM, _("The item is not in your cart."))
    return cart
