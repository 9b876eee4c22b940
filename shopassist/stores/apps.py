from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "shopassist.stores"
    label = "stores"
    verbose_name = _("Stores")

    def ready(self):
        from shopassist.stores import acl, config, signals  # noqa: F401  (registration)
