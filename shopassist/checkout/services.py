"""Place an order from a cart: one transaction, stock decremented atomically."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shopassist.cart.models import Cart
from shopassist.catalog import stock
from shopassist.catalog.models import Product
from shopassist.catalog.selectors import product_view
from shopassist.checkout import idempotency
from shopassist.checkout.config import (
    CHECKMO_TITLE,
    FLATRATE_PRICE,
    FLATRATE_TITLE,
    method_title,
)
from shopassist.checkout.errors import CheckoutErrorCode
from shopassist.core.config import config
from shopassist.core.errors import DomainError
from shopassist.sales.models import Order, OrderItem
from shopassist.sales.services import next_increment_id
from shopassist.sales.signals import order_placed

SHIPPING_FLATRATE = "flatrate_flatrate"
PAYMENT_CHECKMO = "checkmo"


# field → (label shown in errors, maximum length)
ADDRESS_FIELDS = {
    "first_name": (gettext_lazy("First Name"), 150),
    "last_name": (gettext_lazy("Last Name"), 150),
    "street": (gettext_lazy("Street Address"), 255),
    "city": (gettext_lazy("City"), 120),
    "postcode": (gettext_lazy("Zip/Postal Code"), 20),
    "country": (gettext_lazy("Country"), 2),
    "telephone": (gettext_lazy("Phone Number"), 40),
}


@dataclass(frozen=True)
class ShippingAddress:
    first_name: str
    last_name: str
    street: str
    city: str
    postcode: str
    country: str
    telephone: str = ""

    def validate(self) -> None:
        for name, (label, limit) in ADDRESS_FIELDS.items():
            value = getattr(self, name).strip()
            wrong_country = name == "country" and not (value.isascii() and value.isalpha())
            if (not value and name != "telephone") or len(value) > limit or wrong_country:
                raise DomainError(
                    CheckoutErrorCode.INVALID_ADDRESS,
                    _("Complete the shipping address (%(field)s).") % {"field": label},
                )


def shipping_price(store_view) -> Decimal:
    return config.get(FLATRATE_PRICE, store_view=store_view)


def place_order(
    *,
    cart: Cart | None,
    email: str,
    address: ShippingAddress,
    actor,
    shipping_method: str = SHIPPING_FLATRATE,
    payment_method: str = PAYMENT_CHECKMO,
    idempotency_key: str = "",
    store_view=None,
) -> Order:
    """Turn the cart into an order. Stock never goes negative: of two buyers racing for the
    last unit, exactly one gets it and the other a clear error.

    ``store_view``: the one the customer checks out in (the page's, the API token's), whose
    prices, names and titles the page showed; the order is placed there. By default the
    cart's (a customer's one cart follows them from store view to store view).

    With ``idempotency_key``, a request that repeats a fresh key of the same customer (a
    guest: of the same cart) gets the order placed with it — also while that first request is
    still running — instead of a second one (`checkout.idempotency`); ``cart`` may then be
    gone (None, or no longer active).
    """
    email = (email or "").strip().lower()
    keyed = idempotency.keyed_request(
        key=idempotency_key,
        cart=cart,
        actor=actor,
        email=email,
        address=address,
        shipping_method=shipping_method,
        payment_method=payment_method,
    )
    if keyed is not None and (earlier := keyed.earlier_order()) is not None:
        return earlier
    if cart is None:
        raise DomainError(CheckoutErrorCode.EMPTY_CART, _("Your shopping cart is empty."))
    if shipping_method != SHIPPING_FLATRATE or payment_method != PAYMENT_CHECKMO:
        raise DomainError(
            CheckoutErrorCode.UNKNOWN_METHOD, _("Choose a shipping and payment method.")
        )
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            CheckoutErrorCode.INVALID_EMAIL, _("Enter a valid e-mail address.")
        ) from None
    address.validate()
    try:
        return _place(
            cart=cart,
            store_view=store_view or cart.store_view,
            email=email,
            address=address,
            actor=actor,
            shipping_method=shipping_method,
            payment_method=payment_method,
            keyed=keyed,
        )
    except IntegrityError:
        # The same key sent twice at once and not serialised by one cart lock (two carts):
        # the loser's transaction rolled back whole, and it answers with the winner's order.
        earlier = keyed.earlier_order() if keyed is not None else None
        if earlier is None:
            raise
        return earlier


def _place(
    *, cart, store_view, email, address, actor, shipping_method, payment_method, keyed
) -> Order:
    with transaction.atomic():
        cart = Cart.objects.select_for_update().get(pk=cart.pk)
        # A repeat that waited here for the first request's cart lock sees its order now.
        if keyed is not None and (earlier := keyed.earlier_order()) is not None:
            return earlier
        items = list(cart.items.select_related("product").order_by("product_id"))
        if not cart.is_active or not items:
            raise DomainError(CheckoutErrorCode.EMPTY_CART, _("Your shopping cart is empty."))
        # Lock the products in a fixed order so concurrent checkouts cannot deadlock.
        products = {
            p.pk: p
            for p in Product.objects.select_for_update()
            .filter(pk__in=[i.product_id for i in items])
            .order_by("pk")
            .prefetch_related("texts")
        }
        lines = []
        for item in items:
            product = products[item.product_id]
            name = product_view(product, store_view).name
            if not product.is_active:
                raise DomainError(
                    CheckoutErrorCode.PRODUCT_UNAVAILABLE,
                    _("%(name)s is no longer available.") % {"name": name},
                )
            if not stock.take(product.pk, item.qty):
                raise DomainError(
                    CheckoutErrorCode.OUT_OF_STOCK,
                    _("%(name)s is out of stock or not available in the requested quantity.")
                    % {"name": name},
                )
            lines.append((product, name, item.qty))

        subtotal = sum((p.price * qty for p, _name, qty in lines), Decimal("0.00"))
        shipping = shipping_price(store_view)
        customer = cart.customer
        staff = getattr(actor, "staff_user", None)
        order = Order.objects.create(
            increment_id=next_increment_id("order"),
            store_view=store_view,
            customer=customer,
            customer_email=customer.email if customer else email,
            customer_first_name=customer.first_name if customer else address.first_name.strip(),
            customer_last_name=customer.last_name if customer else address.last_name.strip(),
            ship_street=address.street.strip(),
            ship_city=address.city.strip(),
            ship_postcode=address.postcode.strip(),
            ship_country=address.country.strip().upper(),
            ship_telephone=address.telephone.strip(),
            shipping_method=shipping_method,
            shipping_description=method_title(FLATRATE_TITLE, store_view),
            payment_method=payment_method,
            payment_title=method_title(CHECKMO_TITLE, store_view),
            subtotal=subtotal,
            shipping_amount=shipping,
            grand_total=subtotal + shipping,
            placed_by=staff,
            placed_by_username=staff.get_username() if staff else "",
        )
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product=product,
                sku=product.sku,
                name=name,
                price=product.price,
                qty_ordered=qty,
                row_total=product.price * qty,
            )
            for product, name, qty in lines
        )
        if keyed is not None:
            keyed.remember(order)
        cart.is_active = False
        cart.save(update_fields=["is_active"])
        order_placed.send(sender=Order, order=order, actor=actor)
    return order
