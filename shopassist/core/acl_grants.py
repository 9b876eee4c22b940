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


def _current_memo() -> dict:
    version = config.current_version_cached()
    if _memo["version"] != version:
        _memo.update(version=version, grants={})
    return _memo


def role_grants(user_id: int) -> frozenset[str]:
    _current_memo()
    grants = _memo["grants"].get(user_id)
    if grants is None:
        codenames = Group.permissions.through.objects.filter(
            group__user=user_id,
            permission__content_type__app_label=acl.PERMISSION_APP_LABEL,
            permission__content_type__model="aclresource",
        ).values_list("permission__codename", flat=True)
        grants = _memo["grants"][user_id] = frozenset(codenames)
    return grants


def grants_resource(user_id: int, resource_id: str) -> bool:
    """Whether the user's roles grant the resource (active / staff / superuser flags are the
    caller's to check, fresh from the database)."""
    grants = role_grants(user_id)
    return acl.ALL_RESOURCES in grants or resource_id in grants


@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(m2m_changed, sender=User.groups.through)
@receiver(post_delete, sender=Group)
def publish_role_change(**kwargs):
    transaction.on_commit(config.invalidate)
