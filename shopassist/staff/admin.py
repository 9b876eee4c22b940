"""System › Permissions › All Users and User Roles (with the Role Resources tree)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.resource_admin import (
    AdminChangeLog,
    ResourceModelAdmin,
    ResourcePermissions,
)
from shopassist.admin_panel.site import admin_site
from shopassist.staff import roles
from shopassist.staff.acl import ALL_USERS, USER_ROLES
from shopassist.staff.forms import RoleForm
from shopassist.staff.models import Role, StaffUser


@admin.register(Role, site=admin_site)
class RoleAdmin(ResourceModelAdmin):
    acl_resource = USER_ROLES
    form = RoleForm
    list_display = ("name", "access", "user_count")

    class Media:
        js = ("shopassist/role_resources.js",)

    search_fields = ("name",)
    fieldsets = (
        (_("Role Information"), {"fields": ("name",)}),
        (_("Role Resources"), {"fields": ("resource_access", "resources")}),
    )

    @admin.display(description=_("Resource Access"))
    def access(self, obj):
        access, _ids = roles.role_resources(obj)
        return _("All") if access == roles.ACCESS_ALL else _("Custom")

    @admin.display(description=_("Users"))
    def user_count(self, obj):
        return obj.user_set.count()

    def save_model(self, request, obj, form, change):
        if not roles.can_grant_resources(
            request.user,
            access=form.cleaned_data["resource_access"],
            resource_ids=form.cleaned_data["resources"],
        ):
            # A role granting more than its editor holds would be an escalation path.
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        form.save_resources(obj)


class StaffUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = StaffUser
        fields = ("username",)


class StaffUserChangeForm(UserChangeForm):
    """Django's user change form: the password shows as a read-only summary, never the hash."""

    class Meta(UserChangeForm.Meta):
        model = StaffUser
        fields = ("username", "password", "first_name", "last_name", "email", "is_active", "groups")
        labels = {"groups": _("User Roles")}


@admin.register(StaffUser, site=admin_site)
class StaffUserAdmin(AdminChangeLog, ResourcePermissions, UserAdmin):
    acl_resource = ALL_USERS
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    list_display = ("username", "first_name", "last_name", "email", "is_active", "role_names")
    list_filter = ("is_active", "groups")
    filter_horizontal = ()
    fieldsets = (
        (_("Account Information"), {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("User Role"), {"fields": ("is_active", "groups")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
    )

    @admin.display(description=_("User Roles"))
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Editing someone more powerful (e.g. setting their password) would be an escalation path.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_manage_user(request.user, obj))

    def save_model(self, request, obj, form, change):
        obj.is_staff = True  # every user of this page is staff; customers live elsewhere
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        for role in form.cleaned_data.get("groups", []):
            if not roles.can_grant(request.user, role):
                raise PermissionDenied
        super().save_related(request, form, formsets, change)


add_entry(
    "system",
    MenuEntry(_("All Users"), "admin:staff_staffuser_changelist", ALL_USERS, _("Permissions"), 10),
)
add_entry(
    "system",
    MenuEntry(_("User Roles"), "admin:staff_role_changelist", USER_ROLES, _("Permissions"), 20),
)
