from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "shopassist.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from shopassist.catalog import acl, cache_tags  # noqa: F401  (registration)
