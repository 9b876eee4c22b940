"""The customer's orders, and placing one from the cart (the storefront's checkout service)."""

from django.utils.translation import gettext as _
from ninja import Header, Path, Router

from shopassist.api.auth import CustomerToken
from shopassist.api.endpoints import AUTH_ERRORS
from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.recording import recorded_write
from shopassist.api.schemas import Error, OrderOut, OrderSummaryOut, PlaceOrderIn
from shopassist.cart.selectors import customer_cart
from shopassist.checkout.idempotency import KEY_LIFETIME, MAX_KEY_LENGTH
from shopassist.checkout.services import ShippingAddress, place_order
from shopassist.sales.selectors import customer_orders

router = Router(tags=["orders"], auth=CustomerToken())


def _order_out(order) -> dict:
    return {
        "increment_id": order.increment_id,
        "status": order.status,
        "created_at": order.created_at,
        "subtotal": order.subtotal,
        "shipping_amount": order.shipping_amount,
        "grand_total": order.grand_total,
        "placed_by_store_administrator": bool(order.placed_by_username),
        "items": [
            {
                "sku": item.sku,
                "name": item.name,
                "price": item.price,
                "qty_ordered": item.qty_ordered,
                "row_total": item.row_total,
            }
            for item in order.items.all()
        ],
        # What the customer sees in My Account: the comments visible on the storefront.
        "comments": [
            {"comment": c.comment, "created_at": c.created_at}
            for c in order.comments.all()
            if c.is_visible_on_front
        ],
    }


@router.get("", response={200: list[OrderSummaryOut], **AUTH_ERRORS})
def list_orders(request):
    return list(customer_orders(request.auth.customer)[:100])


@router.get("/{increment_id}", response={200: OrderOut, 400: Error, 404: Error, **AUTH_ERRORS})
def get_order(request, increment_id: str = Path(..., pattern=r"^[0-9A-Za-z-]{1,32}$")):
    order = (
        customer_orders(request.auth.customer)
        .prefetch_related("items", "comments")
        .filter(increment_id=increment_id)
        .first()
    )
    if order is None:
        raise ApiError(404, ApiErrorCode.NOT_FOUND, _("No such order."))
    return _order_out(order)


@router.post("", response={200: OrderOut, 400: Error, 409: Error, 422: Error, **AUTH_ERRORS})
def create_order(
    request,
    body: PlaceOrderIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        # 1 to 255 visible ASCII characters, e.g. a UUID the client makes for this order.
        pattern=rf"^[!-~]{{1,{MAX_KEY_LENGTH}}}$",
        description=(
            "Makes a retry safe: the same key from the same customer within "
            f"{KEY_LIFETIME.total_seconds() / 3600:.0f} hours answers 200 with "
            "the order the first request placed instead of placing another (also while that "
            "request is still running); the same key with another body answers 422 "
            "`checkout.idempotency_key_reused`."
        ),
    ),
):
    """Place an order from the cart (flat rate shipping, check / money order)."""
    caller = request.auth
    address = ShippingAddress(**body.shipping_address.dict())
    with recorded_write(request, operation="orders.place"):
        order = place_order(
            # No cart (it was ordered): empty-cart error, unless the key placed an order.
            cart=customer_cart(caller.customer, caller.store_view),
            email=caller.customer.email,
            address=address,
            actor=caller.actor,
            idempotency_key=idempotency_key or "",
            store_view=caller.store_view,
        )
    return _order_out(order)
