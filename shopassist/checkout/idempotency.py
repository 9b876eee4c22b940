"""Placing an order once per key: a client that never heard back retries with the same key
and gets the order the first request placed (the API's ``Idempotency-Key``; the one-time key
of the storefront's checkout page against a double submit).

A key belongs to the customer who sent it (a guest: to the cart ordered) and is fresh for
KEY_LIFETIME; after that it may place a new order. The same key with other details (e-mail,
address, methods) is refused rather than answered with an order that was not asked for.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from shopassist.checkout.errors import CheckoutErrorCode
from shopassist.core.errors import DomainError
from shopassist.sales.models import Order, OrderPlacementKey

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclasses.dataclass(frozen=True)
class KeyedRequest:
    """An order request sent with a key: whose key it is and a digest of what it asks."""

    key: str
    asked: str  # digest of the e-mail, address and methods
    customer: object = None  # the key's owner: a customer…
    guest_cart_id: int | None = None  # … or else a guest's cart

    def earlier_order(self) -> Order | None:
        """The order placed with this fresh key, or None; refused if it asked otherwise."""
        used = (
            self._keys()
            .filter(created_at__gt=timezone.now() - KEY_LIFETIME)
            .select_related("order")
            .first()
        )
        if used is None:
            return None
        if used.request_hash != self.asked:
            raise DomainError(
                CheckoutErrorCode.KEY_REUSED,
                _("This order was already placed with other details."),
            )
        return used.order

    def remember(self, order: Order) -> None:
        """Record the key with the order, in its transaction; a stale use of it gives way."""
        now = timezone.now()
        self._keys().filter(created_at__lte=now - KEY_LIFETIME).delete()
        OrderPlacementKey.objects.create(
            order=order,
            customer=self.customer,
            guest_cart_id=self.guest_cart_id,
            key=self.key,
            request_hash=self.asked,
            created_at=now,
        )

    def _keys(self):
        if self.customer is not None:
            keys = OrderPlacementKey.objects.filter(customer=self.customer)
        else:
            keys = OrderPlacementKey.objects.filter(
                customer__isnull=True, guest_cart_id=self.guest_cart_id
            )
        return keys.filter(key=self.key)


def keyed_request(
    *, key: str, cart, actor, email: str, address, shipping_method: str, payment_method: str
) -> KeyedRequest | None:
    """The request's key and its owner — the customer, else the guest's cart; None without
    a key (or with neither, when nothing could be ordered anyway)."""
    customer = (cart.customer if cart is not None else None) or actor.customer
    if not key or (customer is None and cart is None):
        return None
    asked = {
        "email": email,
        "address": {name: value.strip() for name, value in dataclasses.asdict(address).items()},
        "shipping_method": shipping_method,
        "payment_method": payment_method,
    }
    return KeyedRequest(
        key=key,
        asked=hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest(),
        customer=customer,
        guest_cart_id=None if customer is not None else cart.pk,
    )
