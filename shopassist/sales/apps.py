from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "shopassist.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from shopassist.customers.account_menu import AccountLink, register_account_link
        from shopassist.sales import acl  # noqa: F401  (registration)

        register_account_link(AccountLink(_("My Orders"), "sales:order_history", 20))
