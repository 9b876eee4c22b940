from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "shopassist.staff"
    label = "staff"
    verbose_name = _("System")

    def ready(self):
        from shopassist.staff import acl  # noqa: F401  (registration)
