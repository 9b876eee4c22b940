"""Admin base classes: every permission of a model's pages comes from one ACL resource."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

from shopassist.admin_panel.buttons import buttons_for
from shopassist.core.acl import has_resource
from shopassist.core.signals import admin_object_changed


class ResourcePermissions:
    acl_resource: str = ""  # set by each subclass
    # Optional finer resources: add/delete may need more than viewing and editing.
    acl_add_resource: str | None = None
    acl_delete_resource: str | None = None

    def _allowed(self, request, resource=None):
        return has_resource(request.user, resource or self.acl_resource)

    def acl_resources_for_view(self, request, view_name: str) -> list[str | None]:
        """The resources a view of this admin needs, for the refusal page to name the missing
        one (``admin_panel.refusals``)."""
        needed = [self.acl_resource]
        if view_name == "add_view":
            needed.append(self.acl_add_resource)
        elif view_name == "delete_view" or (
            view_name == "changelist_view" and request.POST.get("action") == "delete_selected"
        ):
            needed.append(self.acl_delete_resource)
        return needed

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request, self.acl_add_resource)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, self.acl_delete_resource)


class ObjectLookup:
    """Django's model admin checks ``?_to_field=`` only when it is not empty, then looks an
    empty one up as a field name (``FieldDoesNotExist``: a 500): empty means the primary key."""

    def get_object(self, request, object_id, from_field=None):
        return super().get_object(request, object_id, from_field or None)


class DateDrillDownChangeList(ChangeList):
    """Django's change list, whose date drill-down (``?created_at__year=``) refuses a date
    past what Python's datetime holds as it refuses a malformed one (Django catches the
    ``ValueError`` of ``datetime(...)`` only, not its ``OverflowError`` or the year after 9999),
    and a related filter's id past 64 bits (``?website=``), which SQLite cannot bind: the
    change list then redirects to ``?e=1``."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except OverflowError as error:  # raised by SQLite's driver as the list is counted
            raise IncorrectLookupParameters(error) from error


def _changed(request, obj, action: str, message="") -> None:
    admin_object_changed.send(
        sender=type(obj), request=request, obj=obj, action=action, message=message
    )


class AdminChangeLog:
    """Every create / change / delete also goes to the action log (``admin_object_changed``,
    recorded by the audit app), in the same transaction."""

    def log_addition(self, request, obj, message):
        _changed(request, obj, "create", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        _changed(request, obj, "change", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            _changed(request, obj, "delete")
        return super().log_deletions(request, queryset)


def _names_a_secret(lookup: str) -> bool:
    """A lookup through a credential: a password or a hash of one (``password__startswith``,
    ``customer__password__regex``, ``code_hash``)."""
    return any(part == "password" or part.endswith("_hash") for part in lookup.split("__"))


class ResourceModelAdmin(ObjectLookup, AdminChangeLog, ResourcePermissions, admin.ModelAdmin):
    change_form_template = "admin_panel/change_form.html"

    def lookup_allowed(self, lookup, value, request=None):
        """Django allows a list to be filtered on any of its model's own fields from the query
        string: on a credential, the count of "1 customer" or "0 customers" would tell its
        hash character by character (Django's UserAdmin refuses ``password`` lookups the
        same way): refused, a 400."""
        if _names_a_secret(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_or_change_permission(request, obj):
            extra_context["object_buttons"] = buttons_for(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            # No pencil/plus/cross pop-ups: related records are edited on their own pages,
            # under their own resources.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return formfield


class ResourceTabularInline(ResourcePermissions, admin.TabularInline):
    pass


class ResourceStackedInline(ResourcePermissions, admin.StackedInline):
    pass
