"""The storefront's own error pages (400, 404, 403, 500): the shop's look, in the store view's
language when the path names one (the browser's otherwise), never Django's debug or bare pages.

A 500 may come from a database that is gone: the page with the menu is tried first, and a
page that reads nothing but the translations is the fallback."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from shopassist.stores.selectors import default_store_view

logger = logging.getLogger(__name__)


def _render(request, template: str, status: int, context=None) -> HttpResponse:
    context = {"status": status, **(context or {})}
    if getattr(request, "store_view", None) is None:
        # No store view in the path (or an unknown one): links and names of the default one;
        # the language stays the one negotiated with the browser.
        try:
            request.store_view = default_store_view()
        except Exception:  # the database may be why we are here
            logger.exception("no store view for the storefront error page")
            request.store_view = None
    if request.store_view is not None:
        try:
            return render(request, template, context, status=status)
        except Exception:
            logger.exception("storefront error page %s could not be rendered", template)
    return HttpResponse(render_to_string("storefront/error_plain.html", context), status=status)


def bad_request(request, message: str = "") -> HttpResponse:
    return _render(request, "storefront/400.html", 400, {"message": message})


def not_found(request) -> HttpResponse:
    return _render(request, "storefront/404.html", 404)


def forbidden(request, message: str = "") -> HttpResponse:
    return _render(request, "storefront/403.html", 403, {"message": message})


def server_error(request) -> HttpResponse:
    return _render(request, "storefront/500.html", 500)
