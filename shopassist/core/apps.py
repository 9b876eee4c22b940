from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shopassist.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from shopassist.core import acl_grants, acl_sync, checks  # noqa: F401  (registration)

        post_migrate.connect(acl_sync.sync_permissions, dispatch_uid="acl_sync_permissions")
