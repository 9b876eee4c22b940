from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "shopassist.checkout"
    label = "checkout"
    verbose_name = _("Checkout")

    def ready(self):
        from shopassist.checkout import acl, config  # noqa: F401  (registration)
