"""What each staff user's roles and own permissions grant, memoised per process.

Checked on every admin request and on every request of an assisted session, so it must not
cost queries: the grants are kept in memory per configuration version, and any change to
roles, role resources, a user's roles or a user's own permissions publishes a new version (on
commit), so every process recomputes on its next request; the process that makes the change
forgets at once.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.db.models import Q
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
    """The ACL resources the user's roles and own permissions grant (what Django's
    ModelBackend would find for ``core.<resource>``), in one query per user and version."""
    memo = _current_memo()
    grants = memo["grants"].get(user_id)
    if grants is None:
        codenames = (
            Permission.objects.filter(
                content_type__app_label=acl.PERMISSION_APP_LABEL,
                content_type__model="aclresource",
            )
            .filter(Q(group__user=user_id) | Q(user=user_id))
            .values_list("codename", flat=True)
            .distinct()
        )
        grants = memo["grants"][user_id] = frozenset(codenames)
    return grants


def grants_resource(user_id: int, resource_id: str) -> bool:
    """Whether the user's roles grant the resource (active / staff / superuser flags are the
    caller's to check, fresh from the database)."""
    grants = role_grants(user_id)
    return acl.ALL_RESOURCES in grants or resource_id in grants


@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def publish_role_change(**kwargs):
    # This process forgets at once (what its next check reads inside this transaction is the
    # change); every process, this one included, forgets again when the change commits.
    _memo["grants"] = {}
    transaction.on_commit(config.invalidate)


def publish_role_deleted(sender, **kwargs):
    publish_role_change()


def connect_role_deletes() -> None:
    """Called by the app's ready(): a role is deleted through its proxy model (staff.Role),
    whose signals name the proxy, not Group; its members and permissions go with it by
    cascade, without m2m_changed. Connected to each model that is a group or a permission,
    proxies included — never without a sender, which would turn Django's fast delete off for
    every model."""
    for model in apps.get_models():
        if issubclass(model, (Group, Permission)):
            post_delete.connect(
                publish_role_deleted,
                sender=model,
                dispatch_uid=f"core.acl_grants.deleted.{model._meta.label_lower}",
            )
