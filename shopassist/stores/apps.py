from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "shopassist.stores"
    label = "stores"
    verbose_name = _("Stores")

    def ready(self):
        from shopassist.core.config import config as configuration
        from shopassist.stores import acl, config, signals  # noqa: F401  (registration)
        from shopassist.stores.selectors import websites_of_store_views

        # A store view's settings fall back to its website's: the configuration asks us which.
        configuration.set_scope_tree(websites_of_store_views)
