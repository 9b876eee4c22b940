from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "shopassist.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self):
        from shopassist.customers import acl, config  # noqa: F401  (registration)
