"""Role resources: what a role grants, read and written as ACL resource ids."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from shopassist.core import acl
from shopassist.core.models import AclResource

ACCESS_ALL = "all"
ACCESS_CUSTOM = "custom"


def _acl_permissions():
    return Permission.objects.filter(
        content_type__app_label=AclResource._meta.app_label,
        content_type__model=AclResource._meta.model_name,
    )


def role_resources(role) -> tuple[str, set[str]]:
    """(access, resource ids) of a role."""
    codenames = set(
        role.permissions.filter(pk__in=_acl_permissions()).values_list("codename", flat=True)
    )
    if acl.ALL_RESOURCES in codenames:
        return ACCESS_ALL, set()
    return ACCESS_CUSTOM, codenames


def with_ancestors(resource_ids) -> set[str]:
    """A granted resource implies its parents (they hold the menus it sits in)."""
    result = set(resource_ids)
    for resource_id in resource_ids:
        result.update(acl.ancestors(resource_id))
    return result


def set_role_resources(role, *, access: str, resource_ids) -> None:
    known = {resource.id for resource, _parent in acl.all_resources()}
    unknown = set(resource_ids) - known
    if unknown:
        raise ValueError(f"unknown resources: {sorted(unknown)}")
    wanted = {acl.ALL_RESOURCES} if access == ACCESS_ALL else with_ancestors(resource_ids)
    with transaction.atomic():
        permissions = list(_acl_permissions().filter(codename__in=wanted))
        role.permissions.remove(*_acl_permissions())
        role.permissions.add(*permissions)


def user_resources(user) -> set[str] | None:
    """Resource ids a user holds; None means all of them."""
    if user.is_superuser or user.has_perm(acl.permission_name(acl.ALL_RESOURCES)):
        return None
    return {r.id for r, _p in acl.all_resources() if acl.has_resource(user, r.id)}


def can_grant_resources(user, *, access: str, resource_ids) -> bool:
    """Staff may grant only resources they hold themselves."""
    mine = user_resources(user)
    if mine is None:
        return True
    return access == ACCESS_CUSTOM and with_ancestors(resource_ids) <= mine


def can_grant(user, role) -> bool:
    """Staff may hand out a role only if it grants nothing they do not hold themselves."""
    access, resources = role_resources(role)
    return can_grant_resources(user, access=access, resource_ids=resources)


def can_manage_role(editor, role) -> bool:
    """Staff may change, delete, give or take a role only if it holds nothing they do not hold
    (its current resources, whatever the request would make of them): otherwise a role manager
    could strip the Administrators role, or take it from the administrator."""
    return can_grant(editor, role)


def roles_beyond(editor) -> set[int]:
    """Ids of the roles holding a resource (or "All") the editor does not hold, in one query."""
    mine = user_resources(editor)
    if mine is None:
        return set()
    held: dict[int, set[str]] = {}
    rows = Group.permissions.through.objects.filter(permission__in=_acl_permissions())
    for group_id, codename in rows.values_list("group_id", "permission__codename"):
        held.setdefault(group_id, set()).add(codename)
    return {
        group_id
        for group_id, codenames in held.items()
        if acl.ALL_RESOURCES in codenames or not codenames <= mine
    }


def can_change_user_roles(editor, *, before, after) -> bool:
    """Every role given to a user, and every role taken from them, must be within the editor."""
    changed = set(before) ^ set(after)
    return all(can_manage_role(editor, role) for role in changed)


def can_manage_user(editor, user) -> bool:
    """Staff may edit (or set the password of) only users holding nothing more than they do."""
    if user.is_superuser and not editor.is_superuser:
        return False
    direct = set(
        user.user_permissions.filter(pk__in=_acl_permissions()).values_list("codename", flat=True)
    )
    if direct and not _within(editor, direct):
        return False
    return all(can_grant(editor, role) for role in user.groups.all())


def _within(editor, codenames: set[str]) -> bool:
    mine = user_resources(editor)
    return mine is None or (acl.ALL_RESOURCES not in codenames and codenames <= mine)
