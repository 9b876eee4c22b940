from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminPanelConfig(AppConfig):
    name = "shopassist.admin_panel"
    label = "admin_panel"
    verbose_name = _("Administration")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's admin.py registers its pages and menu entries on our site.
        autodiscover_modules("admin")
