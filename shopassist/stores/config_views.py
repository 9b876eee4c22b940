"""Stores › Settings › Configuration: sections in a left panel, a scope switcher, and
"Use default" checkboxes. Saving goes through ``save_config_values`` (all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shopassist.admin_panel.site import admin_site
from shopassist.core.acl import ResourceRefused, has_resource, require_resource
from shopassist.core.actor import Actor
from shopassist.core.config import Scope, config, sections
from shopassist.core.config.registry import get_section
from shopassist.core.config.services import INHERIT, ConfigValidationError, save_config_values
from shopassist.stores.acl import CONFIGURATION
from shopassist.stores.models import StoreView, Website

MENU_TITLE = gettext_lazy("Configuration")
MENU_GROUP = gettext_lazy("Settings")


def _allowed_sections(user):
    return [s for s in sections() if has_resource(user, s.resource)]


@require_resource(CONFIGURATION)
def config_index(request):
    allowed = _allowed_sections(request.user)
    if not allowed:
        raise PermissionDenied
    return HttpResponseRedirect(reverse("admin:config_edit", args=[allowed[0].id]))


def _parse_scope(raw: str):
    """'default' | 'website:ID' | 'store_view:ID' → (Scope, scope object or None); 404 if bad."""
    if not raw or raw == Scope.DEFAULT:
        return Scope.DEFAULT, None
    kind, _sep, ident = raw.partition(":")
    # At most the 19 digits of a 64-bit id: ``int()`` refuses more than 4,300.
    if not (ident.isascii() and ident.isdigit() and len(ident) <= 19):
        raise Http404
    if kind == Scope.WEBSITE:
        return Scope.WEBSITE, Website.objects.filter(pk=int(ident)).first() or _not_found()
    if kind == Scope.STORE_VIEW:
        view = StoreView.objects.select_related("store__website").filter(pk=int(ident)).first()
        return Scope.STORE_VIEW, view or _not_found()
    raise Http404


def _not_found():
    raise Http404


def _inherited_value(field, scope, target):
    """What the field resolves to one scope up."""
    if scope == Scope.WEBSITE:
        return config.get(field.path)
    if scope == Scope.STORE_VIEW:
        return config.get(field.path, website=target.store.website)
    return field.default


def _inherit_label(scope):
    return {
        Scope.DEFAULT: _("Use system value"),
        Scope.WEBSITE: _("Use Default"),
        Scope.STORE_VIEW: _("Use Website"),
    }[scope]


def _scope_choices():
    choices = [{"value": "default", "label": _("Default Config"), "indent": 0}]
    for website in Website.objects.prefetch_related("stores__views"):
        choices.append({"value": f"website:{website.pk}", "label": website.name, "indent": 1})
        for store in website.stores.all():
            for view in store.views.all():
                choices.append({"value": f"store_view:{view.pk}", "label": view.name, "indent": 2})
    return choices


def _field_name(path: str) -> str:
    return path.replace("/", "__")


@require_resource(CONFIGURATION)
@require_http_methods(["GET", "POST"])
def config_edit(request, section_id: str):
    try:
        section = get_section(section_id)
    except KeyError as exc:
        raise Http404 from exc
    if not has_resource(request.user, section.resource):
        raise ResourceRefused(section.resource)
    scope_raw = request.GET.get("scope", "default")
    scope, target = _parse_scope(scope_raw)
    scope_id = target.pk if target is not None else 0

    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {}
        for field in section.fields():
            if scope not in field.scopes:
                continue
            name = _field_name(field.path)
            if request.POST.get(f"inherit__{name}"):
                values[field.path] = INHERIT
            else:
                values[field.path] = request.POST.get(name, "")
        try:
            changed = save_config_values(
                scope=scope, scope_id=scope_id, values=values, actor=Actor.for_request(request)
            )
        except ConfigValidationError as exc:
            errors = exc.errors
            messages.error(request, _("The configuration was not saved. Correct the errors below."))
        else:
            if changed:
                messages.success(request, _("You saved the configuration."))
            else:
                messages.info(request, _("Nothing changed."))
            return HttpResponseRedirect(f"{request.path}?scope={scope_raw}")

    groups = []
    for group in section.groups:
        rows = []
        for field in group.fields:
            if scope not in field.scopes:
                continue
            name = _field_name(field.path)
            stored = config.stored(scope, scope_id, field.path)
            inherited = stored is None
            form_field = field.form_field()
            if request.method == "POST":
                value = request.POST.get(name, "")
                inherited = bool(request.POST.get(f"inherit__{name}"))
            elif inherited:
                value = field.serialize(_inherited_value(field, scope, target))
            else:
                value = stored
            widget_html = form_field.widget.render(
                name, value, attrs={"id": f"id_{name}", "disabled": inherited}
            )
            rows.append(
                {
                    "name": name,
                    "label": field.label,
                    "comment": field.comment,
                    "widget": widget_html,
                    "inherited": inherited,
                    "scope_label": _scope_label(field),
                    "errors": errors.get(field.path, []),
                }
            )
        if rows:
            groups.append({"title": group.title, "rows": rows})

    tabs: dict[str, list] = {}
    for allowed in _allowed_sections(request.user):
        tabs.setdefault(str(allowed.tab), []).append(allowed)
    context = {
        **admin_site.each_context(request),
        "title": _("Configuration"),
        "section": section,
        "tabs": tabs,
        "groups": groups,
        "scope_value": scope_raw,
        "scope_choices": _scope_choices(),
        "inherit_label": _inherit_label(scope),
        "errors": errors,
    }
    return render(request, "admin_panel/config_edit.html", context)


def _scope_label(field) -> str:
    if Scope.STORE_VIEW in field.scopes:
        return _("[STORE VIEW]")
    if Scope.WEBSITE in field.scopes:
        return _("[WEBSITE]")
    return _("[GLOBAL]")
