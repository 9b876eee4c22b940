from django.utils.translation import gettext_lazy as _

from shopassist.core.acl import Resource, register_branch

SYSTEM = "system"
PERMISSIONS = "system.permissions"
ALL_USERS = "system.permissions.users"
USER_ROLES = "system.permissions.roles"

register_branch(
    Resource(
        SYSTEM,
        _("System"),
        sort_order=90,
        children=(
            Resource(
                PERMISSIONS,
                _("Permissions"),
                children=(
                    Resource(ALL_USERS, _("All Users")),
                    Resource(USER_ROLES, _("User Roles")),
                ),
            ),
        ),
    )
)
