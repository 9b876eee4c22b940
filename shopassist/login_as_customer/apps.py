from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginAsCustomerConfig(AppConfig):
    name = "shopassist.login_as_customer"
    label = "login_as_customer"
    verbose_name = _("Login as Customer")

    def ready(self):
        # Registration: ACL resources, configuration fields, and the integrations that plug
        # the feature into the commerce core through its extension points.
        from shopassist.customers.account_menu import AccountLink, register_account_link
        from shopassist.login_as_customer import acl, config  # noqa: F401
        from shopassist.login_as_customer.integrations import (  # noqa: F401
            actor,
            admin_logout,
            admin_password,
            audit_trail,
            consent_form,
            page_cache,
            password_change,
            sales,
        )

        register_account_link(
            AccountLink(_("Assisted sessions"), "login_as_customer:assisted_sessions", 60)
        )
