"""System › Permissions › All Users and User Roles (with the Role Resources tree)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from shopassist.admin_panel.menu import MenuEntry, add_entry
from shopassist.admin_panel.resource_admin import (
    AdminChangeLog,
    ObjectLookup,
    ResourceModelAdmin,
    ResourcePermissions,
)
from shopassist.admin_panel.site import admin_site
from shopassist.core import acl
from shopassist.staff import roles
from shopassist.staff.acl import ALL_USERS, USER_ROLES
from shopassist.staff.forms import CheckboxSelectWithDisabled, RoleForm
from shopassist.staff.models import Role, StaffUser

READ_ONLY_ROLE_NOTICE = _(
    "This role holds resources you do not hold: you may view it, not change it."
)
READ_ONLY_USER_NOTICE = _(
    "This user holds resources you do not hold: you may view the account, not change it."
)
# The reason the refusal page gives (admin_panel.refusals) when an edit would escalate.
ESCALATION_REFUSED = _(
    "You can grant, change or take away only roles and resources you hold yourself."
)


class WithinEditorsPowers:
    """Change and delete only what holds nothing beyond the editor (``can_manage``): editing a
    role or a user more powerful than oneself would be a way to escalate or to strip. Django's
    change view, delete view and bulk delete action all ask these two permissions."""

    @staticmethod
    def can_manage(editor, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.can_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.can_manage(request.user, obj))


@admin.register(Role, site=admin_site)
class RoleAdmin(WithinEditorsPowers, ResourceModelAdmin):
    acl_resource = USER_ROLES
    can_manage = staticmethod(roles.can_manage_role)
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

    # What the read-only page shows in place of the two form fields (same names).
    resource_access = access

    @admin.display(description=_("Resources"))
    def resources(self, obj):
        _access, ids = roles.role_resources(obj)
        return "\n".join(str(r.title) for r, _parent in acl.all_resources() if r.id in ids)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user  # a class of this request's own (modelform_factory)
        return form

    def get_list_display(self, request):
        if roles.user_resources(request.user) is None:
            return self.list_display
        beyond = roles.roles_beyond(request.user)

        @admin.display(description=_("Editable by you"), boolean=True)
        def editable(obj):
            return obj.pk not in beyond

        return (*self.list_display, editable)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not roles.can_manage_role(request.user, obj)
            ):
                messages.warning(request, READ_ONLY_ROLE_NOTICE)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not roles.can_manage_role(request.user, obj):
            # The role as stored (its permissions are not saved yet): a second line behind
            # has_change_permission.
            raise PermissionDenied(ESCALATION_REFUSED)
        if not roles.can_grant_resources(
            request.user,
            access=form.cleaned_data["resource_access"],
            resource_ids=form.cleaned_data["resources"],
        ):
            # A role granting more than its editor holds would be an escalation path.
            raise PermissionDenied(ESCALATION_REFUSED)
        super().save_model(request, obj, form, change)
        form.save_resources(obj)

    def delete_model(self, request, obj):
        if not roles.can_manage_role(request.user, obj):
            raise PermissionDenied(ESCALATION_REFUSED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(not roles.can_manage_role(request.user, role) for role in queryset):
            raise PermissionDenied(ESCALATION_REFUSED)
        super().delete_queryset(request, queryset)


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
class StaffUserAdmin(
    WithinEditorsPowers, ObjectLookup, AdminChangeLog, ResourcePermissions, UserAdmin
):
    acl_resource = ALL_USERS
    can_manage = staticmethod(roles.can_manage_user)
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
            # Roles beyond the editor are shown but cannot be ticked (save_related refuses them).
            widget = CheckboxSelectWithDisabled()
            widget.disabled_values = frozenset(str(pk) for pk in roles.roles_beyond(request.user))
            kwargs["widget"] = widget
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.is_staff = True  # every user of this page is staff; customers live elsewhere
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not roles.can_manage_user(request.user, obj)
            ):
                messages.warning(request, READ_ONLY_USER_NOTICE)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        after = set(form.cleaned_data.get("groups", []))
        before = set(form.instance.groups.all()) if change else set()
        # Neither give a role beyond the editor (escalation) nor take one away (stripping).
        if not all(roles.can_grant(request.user, role) for role in after):
            raise PermissionDenied(ESCALATION_REFUSED)
        if not roles.can_change_user_roles(request.user, before=before, after=after):
            raise PermissionDenied(ESCALATION_REFUSED)
        super().save_related(request, form, formsets, change)


add_entry(
    "system",
    MenuEntry(_("All Users"), "admin:staff_staffuser_changelist", ALL_USERS, _("Permissions"), 10),
)
add_entry(
    "system",
    MenuEntry(_("User Roles"), "admin:staff_role_changelist", USER_ROLES, _("Permissions"), 20),
)
