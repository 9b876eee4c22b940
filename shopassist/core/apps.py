from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shopassist.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Registration: ACL grants, checks, and (cache_tags, sessions) every kind of
        # invalidation a Redis outage may leave recorded (core/invalidations.py).
        from shopassist.core import acl_grants, acl_sync, cache_tags, checks, sessions  # noqa: F401

        post_migrate.connect(acl_sync.sync_permissions, dispatch_uid="acl_sync_permissions")
        acl_grants.connect_role_deletes()
