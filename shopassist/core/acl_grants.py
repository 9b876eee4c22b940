"""What each staff user's roles grant, memoised per process.

Checked on every request of an assisted session, so it must not cost queries: the grants are
kept in memory per configuration version, and any change to roles, role resources or a user's
roles publishes a new version (on commit), so every process recomputes on its next request.
"""

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver

from shopassist.core import acl
from shopassist.core.config import config

_memo: dict = {"version": None, "grants": {}}


def role_grants(user_id: int) -> frozenset[str]:
    version = config.current_version_cached()
    if _memo["version"] != version:
        _memo["version"], _memo["grants"] = version, {}
    grants = _memo["grants"].get(user_id)
    if grants is None:
        codenames = Group.permissions.through.objects.filter(
            group__user=user_id,
            permission__content_type__app_label=acl.PERMISSION_APP_LABEL,
            permission__content_type__model="aclresource",
        ).values_list("permission__codename", flat=True)
        grants = _memo["grants"][user_id] = frozenset(codenames)
    return grants


def has_resource_memoised(user, resource_id: str) -> bool:
    """``acl.has_resource`` answered from the memo (the user row itself must be fresh)."""
    if not (user and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    grants = role_grants(user.pk)
    return acl.ALL_RESOURCES in grants or resource_id in grants


@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(m2m_changed, sender=User.groups.through)
@receiver(post_delete, sender=Group)
def publish_role_change(**kwargs):
    transaction.on_commit(config.invalidate)
