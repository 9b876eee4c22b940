"""Staff users and roles are Django users and groups, seen through these proxies."""

from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _


class StaffUser(User):
    class Meta:
        proxy = True
        verbose_name = _("user")
        verbose_name_plural = _("All Users")
        default_permissions = ()


class Role(Group):
    class Meta:
        proxy = True
        verbose_name = _("user role")
        verbose_name_plural = _("User Roles")
        default_permissions = ()
