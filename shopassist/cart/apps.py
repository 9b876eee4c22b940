from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "shopassist.cart"
    label = "cart"
    verbose_name = _("Cart")

    def ready(self):
        from shopassist.cart import receivers  # noqa: F401  (guest cart merge on login)
        from shopassist.cart.selectors import (
            MINI_CART_COUNT,
            item_count_expression,
            item_count_for_request,
        )
        from shopassist.customers.auth import read_along
        from shopassist.storefront.visitor_parts import count_cart_items_with

        read_along(MINI_CART_COUNT, item_count_expression)
        count_cart_items_with(item_count_for_request)
