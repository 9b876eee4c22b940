from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfigValue(models.Model):
    """One configuration value at one scope (default: scope_id 0)."""

    scope = models.CharField(max_length=16)
    scope_id = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=255)
    value = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("configuration value")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "scope_id", "path"], name="config_value_unique"
            )
        ]

    def __str__(self):
        return f"{self.scope}:{self.scope_id}:{self.path}"


class AclResource(models.Model):
    """Anchor for the ACL permissions (``core.<resource id>``); holds no rows."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("ACL resource")

    def __str__(self):
        return "ACL resource"


class PendingInvalidation(models.Model):
    """An invalidation the shared cache could not take because it was unreachable: applied
    before the cache is trusted again (``core/invalidations.py``)."""

    kind = models.CharField(max_length=16)  # "tags", "config" or "sessions"
    keys = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pending cache invalidation")

    def __str__(self):
        return f"{self.kind} ({len(self.keys)})"  # session keys are secrets: never shown
