from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartConfig(AppConfig):
    name = "shopassist.cart"
    label = "cart"
    verbose_name = _("Cart")

    def ready(self):
        from shopassist.cart import receivers  # noqa: F401  (guest cart merge on login)
