"""Staff changes made in the admin panel, in the action group "Admin Changes"."""

from django.dispatch import receiver

from shopassist.audit.models import ActionGroup
from shopassist.audit.writer import record
from shopassist.core.actor import client_ip
from shopassist.core.signals import admin_object_changed, config_saved, page_cache_flushed


@receiver(admin_object_changed)
def object_changed(sender, request, obj, action: str, message="", **kwargs) -> None:
    """Sent by the admin panel's base class inside the transaction of the change."""
    record(
        action_group=ActionGroup.ADMIN,
        action=f"{obj._meta.label_lower}.{action}",
        admin=request.user,
        target=obj,
        details={"object": str(obj)[:200], "message": _message_text(message)},
        ip_address=client_ip(request),
    )


def _message_text(message):
    if isinstance(message, list):
        return message  # Django's structured change message (JSON-able)
    return str(message)[:500]


@receiver(config_saved)
def configuration_saved(sender, scope, scope_id, paths, actor, changes=None, **kwargs):
    staff = getattr(actor, "staff_user", None)
    record(
        action_group=ActionGroup.ADMIN,
        action="configuration.save",
        admin=staff,
        # "changes": each path's value before and after at this scope (None: inherited).
        details={
            "scope": str(scope),
            "scope_id": scope_id,
            "paths": list(paths),
            "changes": changes or {},
        },
        ip_address=getattr(actor, "ip_address", None),
    )


@receiver(page_cache_flushed)
def page_cache_flushed_by_staff(sender, actor, **kwargs):
    record(
        action_group=ActionGroup.ADMIN,
        action="page_cache.flush",
        admin=getattr(actor, "staff_user", None),
        ip_address=getattr(actor, "ip_address", None),
    )
