from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shopassist.audit"
    label = "audit"
    verbose_name = _("Action Log")

    def ready(self):
        from shopassist.audit import acl, admin_changes, config  # noqa: F401  (registration)
