"""Every refusal of the admin panel is a page of the admin shell: the menu, breadcrumbs and a
sentence naming the resource the user's roles lack (or why else it was refused), status 403 —
never Django's bare "403 Forbidden", which has no way back. A page that does not exist (404)
is answered inside the shell too."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shopassist.core import acl


def refused_resource(request, refusal: PermissionDenied, view=None) -> str | None:
    """The resource whose absence caused the refusal, if one did.

    ``require_resource`` says so (:class:`~shopassist.core.acl.ResourceRefused`); Django's own
    model admin views raise a bare ``PermissionDenied``, so the model admin is asked which
    resource the view needs — named only if the user indeed lacks it (a role manager refused
    an escalation holds the page's resource: the refusal is about something else)."""
    if isinstance(refusal, acl.ResourceRefused):
        return refusal.resource_id
    model_admin = getattr(view, "__self__", None)
    needed = getattr(model_admin, "acl_resources_for_view", None)
    if needed is None:
        return None
    for resource_id in needed(request, view.__name__):
        if resource_id and not acl.has_resource(request.user, resource_id):
            return resource_id
    return None


def _reason(refusal: PermissionDenied) -> str:
    """A sentence the code gave with the refusal (ours are translated), if any."""
    if isinstance(refusal, acl.ResourceRefused) or not refusal.args:
        return ""
    reason = refusal.args[0]
    return str(reason) if isinstance(reason, str | Promise) else ""


def _back_url(request) -> str:
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def refusal_response(request, refusal: PermissionDenied, *, view=None):
    """The admin shell page that answers a refusal (403)."""
    from shopassist.admin_panel.site import admin_site

    resource_id = refused_resource(request, refusal, view)
    try:
        path = acl.resource_path(resource_id) if resource_id else []
    except KeyError:  # a resource id that is not in the tree: say nothing wrong
        path = []
    context = {
        **admin_site.each_context(request),
        "title": _("Access denied"),
        "resource_path": path,
        "resource_title": " › ".join(str(resource.title) for resource in path),
        "resource_id": resource_id if path else "",
        "reason": _reason(refusal),
        "dashboard_url": reverse("admin:index"),
        "back_url": _back_url(request),
    }
    response = render(request, "admin_panel/refused.html", context, status=403)
    add_never_cache_headers(response)
    return response


def not_found_response(request):
    """The admin shell page for an address that matches no page or object (404)."""
    from shopassist.admin_panel.site import admin_site

    context = {
        **admin_site.each_context(request),
        "title": _("Page not found"),
        "dashboard_url": reverse("admin:index"),
        "back_url": _back_url(request),
    }
    response = render(request, "admin_panel/not_found.html", context, status=404)
    add_never_cache_headers(response)
    return response
