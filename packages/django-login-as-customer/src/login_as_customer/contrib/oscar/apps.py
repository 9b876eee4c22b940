from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OscarLoginAsCustomerConfig(AppConfig):
    name = "login_as_customer.contrib.oscar"
    label = "login_as_customer_oscar"
    verbose_name = _("Login as Customer for django-oscar")

    def ready(self):
        from login_as_customer.contrib.oscar import receivers, trail  # noqa: F401 - connects them
        from login_as_customer.integrations.account_guard import connect

        connect()
        trail.connect()  # after the guard: a refused save of the account records no change
