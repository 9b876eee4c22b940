"""Admin base classes: every permission of a model's pages comes from one ACL resource."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import (
    DataError,
    NotSupportedError,
    OperationalError,
    connections,
    models,
    transaction,
)
from django.db.models.constants import LOOKUP_SEP

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


def _readable_pks(model, values, using) -> list[str]:
    """The values of ``values`` the primary key of ``model`` can read and the database can
    bind: not ``abc``, not an integer past the key's column (SQLite's driver cannot bind one
    past 64 bits: an ``OverflowError``)."""
    pk = model._meta.pk
    target = pk.target_field if pk.is_relation else pk
    readable = []
    for value in values:
        try:
            python_value = target.to_python(value)
        except ValidationError:
            continue
        if isinstance(python_value, int):
            try:
                low, high = connections[using].ops.integer_field_range(target.get_internal_type())
            except KeyError:
                low = high = None
            if (low is not None and python_value < low) or (
                high is not None and python_value > high
            ):
                continue
        readable.append(value)
    return readable


class ObjectLookup:
    """Django's model admin checks ``?_to_field=`` only when it is not empty, then looks an
    empty one up as a field name (``FieldDoesNotExist``: a 500): empty means the primary key.

    A change-list action filters its objects on the posted ``_selected_action`` ids as they
    are (``pk__in``): one that is no id (``abc``: a ``ValueError``) or past the key's column
    is a 500. Those are dropped; with none left, Django's own "Items must be selected"
    message is shown and nothing is changed."""

    def get_object(self, request, object_id, from_field=None):
        return super().get_object(request, object_id, from_field or None)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        readable = _readable_pks(self.model, selected, queryset.db)
        if len(readable) != len(selected):
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, readable)
            request.POST = post
        return super().response_action(request, queryset)


class DateDrillDownChangeList(ChangeList):
    """Django's change list, whose date drill-down (``?created_at__year=``) refuses a date
    past what Python's datetime holds as it refuses a malformed one (Django catches the
    ``ValueError`` of ``datetime(...)`` only, not its ``OverflowError`` or the year after 9999),
    and a related filter's id past 64 bits (``?website=``), which SQLite cannot bind: the
    change list then redirects to ``?e=1``."""

    def get_filters(self, request):
        refused = getattr(self.model_admin, "lookup_unsupported", None)
        if refused is not None:
            for key in self.get_filters_params():
                # A lookup through a credential stays refused as Django refuses it (a 400).
                if not _names_a_secret(key) and refused(key, request):
                    raise IncorrectLookupParameters(f"Filtering by {key} not supported")
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        """A lookup whose value fails only as the query runs (a year the database cannot
        hold, a number past the column's precision, a pattern too complex for SQLite's
        ``LIKE``) is a bad lookup too, not a 500. The query runs in a savepoint, which
        PostgreSQL needs to go on after the error."""
        try:
            with transaction.atomic(using=self.queryset.db):
                super().get_results(request)
                len(self.result_list)  # run the page's query here, not as the page renders
        except (
            ValueError,
            OverflowError,  # raised by SQLite's driver as the list is counted
            DataError,
            NotSupportedError,
            OperationalError,
        ) as error:
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


# Lookups no page of the admin links to whose value can fail only as the query runs: a
# pattern the database cannot compile (``?sku__regex=[``), a date part out of the database's
# range (``?created_at__year=0``).
_PATTERN_LOOKUPS = frozenset({"regex", "iregex"})
_DATE_PARTS = frozenset(
    {
        "year",
        "iso_year",
        "quarter",
        "month",
        "week",
        "week_day",
        "iso_week_day",
        "day",
        "hour",
        "minute",
        "second",
        "date",
        "time",
    }
)
MAX_SEARCH_TERM_LENGTH = 200


def _field_and_rest(model, lookup: str):
    """The field ``lookup`` ends on (through its relations) and the transforms and lookup
    after it; ``(None, parts)`` when it does not start with a field."""
    parts = lookup.split(LOOKUP_SEP)
    field = None
    for index, part in enumerate(parts):
        try:
            next_field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return field, parts[index:]
        field = next_field
        path_infos = getattr(field, "path_infos", None)
        if not path_infos:
            return field, parts[index + 1 :]
        model = path_infos[-1].to_opts.model
    return field, []


class ResourceModelAdmin(ObjectLookup, AdminChangeLog, ResourcePermissions, admin.ModelAdmin):
    change_form_template = "admin_panel/change_form.html"

    def lookup_allowed(self, lookup, value, request=None):
        """Django allows a list to be filtered on any of its model's own fields from the query
        string: on a credential, the count of "1 customer" or "0 customers" would tell its
        hash character by character (Django's UserAdmin refuses ``password`` lookups the
        same way): refused, a 400. Lookups the admin's own filters do not offer and whose
        value can fail only as the query runs (``lookup_unsupported``) are refused too: the
        change list redirects to ``?e=1``, as for any other bad lookup."""
        if _names_a_secret(lookup):
            return False
        if self.lookup_unsupported(lookup, request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _offered_lookups(self, request) -> set[str]:
        """The query-string keys the list's filters and date drill-down produce themselves."""
        offered = set()
        if self.date_hierarchy:
            offered.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
        list_filter = self.get_list_filter(request) if request else self.list_filter
        for item in list_filter:
            if isinstance(item, (tuple, list)):
                item = item[0]
            if isinstance(item, str):
                offered.update(f"{item}{suffix}" for suffix in ("", "__exact", "__isnull", "__in"))
            else:
                parameter_name = getattr(item, "parameter_name", None)
                if parameter_name:
                    offered.add(parameter_name)
        return offered

    def lookup_unsupported(self, lookup, request=None) -> bool:
        """A regex lookup, a lookup into a JSON field, or a date part (``__year``,
        ``__date``, ...) that neither ``list_filter`` nor ``date_hierarchy`` offers."""
        parts = lookup.split(LOOKUP_SEP)
        field, rest = _field_and_rest(self.model, lookup)
        unsupported = (
            bool(_PATTERN_LOOKUPS.intersection(parts))
            or isinstance(field, models.JSONField)
            or (
                isinstance(field, (models.DateField, models.TimeField))
                and bool(_DATE_PARTS.intersection(rest))
            )
        )
        return unsupported and lookup not in self._offered_lookups(request)

    def get_search_results(self, request, queryset, search_term):
        """A search term past ``MAX_SEARCH_TERM_LENGTH`` characters matches nothing: searched,
        100 KB of text is a pattern too complex for SQLite's ``LIKE`` (a 500), and a long
        query on any database. Used by the change list (``?q=``) and the autocomplete of
        the related fields that point here (``?term=``)."""
        if len(search_term or "") > MAX_SEARCH_TERM_LENGTH and self.get_search_fields(request):
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

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
