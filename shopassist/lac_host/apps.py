from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LacHostConfig(AppConfig):
    """ShopAssist as the host of Login as Customer: what its commerce apps report to the
    feature (actions in an assisted session, orders, sign-outs), the consent checkbox on its
    account forms, the account menu link, the page cache's policy, and (``admin.py``) the
    customer admin's consent column and field."""

    name = "shopassist.lac_host"
    label = "lac_host"
    verbose_name = _("Login as Customer in ShopAssist")

    def ready(self):
        from shopassist.customers.account_menu import AccountLink, register_account_link
        from shopassist.lac_host import (  # noqa: F401
            account_forms,
            acl,
            actor,
            audit_stream,
            audit_trail,
            config,
            orders,
            page_cache,
            signals,
        )

        register_account_link(
            AccountLink(_("Assisted sessions"), "login_as_customer:assisted_sessions", 60)
        )
