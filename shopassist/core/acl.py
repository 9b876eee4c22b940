"""The admin resource tree (ACL), declared once in code.

Each app declares its branch in its own ``acl.py`` with :func:`register_branch`; the tree is
assembled in app-registry order. Every resource maps to one Django permission
``core.<resource id>`` (content type ``core.aclresource``), so roles are plain Django groups.
A role with Resource Access "All" holds the special permission ``core.all``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied

PERMISSION_APP_LABEL = "core"
ALL_RESOURCES = "all"


class ResourceRefused(PermissionDenied):
    """A page refused because the user's roles lack one resource: the refusal page names it."""

    def __init__(self, resource_id: str):
        super().__init__(resource_id)
        self.resource_id = resource_id


@dataclass(frozen=True)
class Resource:
    id: str
    title: str  # lazily translated
    children: tuple[Resource, ...] = field(default_factory=tuple)
    sort_order: int = 100

    def walk(self, parent: Resource | None = None) -> Iterator[tuple[Resource, Resource | None]]:
        yield self, parent
        for child in self.children:
            yield from child.walk(self)


_branches: list[Resource] = []


def register_branch(resource: Resource) -> Resource:
    if any(branch.id == resource.id for branch in _branches):
        raise ValueError(f"ACL branch {resource.id!r} registered twice")
    _branches.append(resource)
    _branches.sort(key=lambda r: r.sort_order)
    return resource


def extend_branch(parent_id: str, *children: Resource) -> None:
    """Let an app hang resources below another app's node (e.g. Customers › Login as Customer)."""
    parent = get_resource(parent_id)
    new = parent.children + children
    object.__setattr__(parent, "children", new)


def tree() -> tuple[Resource, ...]:
    return tuple(_branches)


def all_resources() -> Iterator[tuple[Resource, Resource | None]]:
    for branch in _branches:
        yield from branch.walk()


def get_resource(resource_id: str) -> Resource:
    for resource, _parent in all_resources():
        if resource.id == resource_id:
            return resource
    raise KeyError(resource_id)


def ancestors(resource_id: str) -> list[str]:
    parents = {r.id: p.id if p else None for r, p in all_resources()}
    chain, current = [], parents.get(resource_id)
    while current:
        chain.append(current)
        current = parents[current]
    return chain


def resource_path(resource_id: str) -> list[Resource]:
    """The resource and its ancestors, root first (Sales › Operations › Orders)."""
    return [get_resource(rid) for rid in reversed([resource_id, *ancestors(resource_id)])]


def permission_name(resource_id: str) -> str:
    return f"{PERMISSION_APP_LABEL}.{resource_id}"


def has_resource(user, resource_id: str) -> bool:
    """True if an active staff user's roles (or own permissions) grant this resource.

    The grants come from a per-process memo renewed with the configuration version
    (``acl_grants``), as ModelBackend's ``has_perm`` would find them but without its two
    queries per request: any change to roles or permissions publishes a new version."""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    from shopassist.core.acl_grants import grants_resource  # acl_grants imports this module

    return grants_resource(user.pk, resource_id)


def require_resource(resource_id: str, *alternatives: str, on_refused=None):
    """Decorate an admin view: 403 (:class:`ResourceRefused`, naming ``resource_id``) unless
    the user holds the resource, or one of its ``alternatives`` (a page two resources open).

    ``on_refused(request, *args, **kwargs)``, if given, runs before the 403 (to log it)."""
    resource_ids = (resource_id, *alternatives)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(has_resource(request.user, rid) for rid in resource_ids):
                if on_refused is not None:
                    on_refused(request, *args, **kwargs)
                raise ResourceRefused(resource_id)
            return view(request, *args, **kwargs)

        wrapped.acl_resource = resource_id
        wrapped.acl_alternatives = alternatives
        return wrapped

    return decorator
