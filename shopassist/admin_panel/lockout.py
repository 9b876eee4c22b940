"""The admin login refusing a locked-out account (django-axes' ``AXES_LOCKOUT_CALLABLE``) or a
throttled client address."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from shopassist.admin_panel.site import admin_site
from shopassist.core.signin_guard import LOCKED_MESSAGE


def _refusal_page(request, message):
    context = {**admin_site.each_context(request), "title": _("Log in"), "refusal": message}
    return render(request, "admin_panel/lockout.html", context, status=429)


def lockout_response(request, original_response, credentials):
    """The lockout page on the admin login; elsewhere the view's own answer stands.

    The storefront and the API say "locked" in their own way (a form error, a JSON error
    code), so axes' middleware must leave their responses alone."""
    if request.path == reverse("admin:login"):
        return _refusal_page(request, LOCKED_MESSAGE)
    if original_response is not None:
        return original_response
    return HttpResponse(LOCKED_MESSAGE, status=429, content_type="text/plain; charset=utf-8")


def throttled_response(request):
    """The admin login page refusing a client address over the sign-in throttle."""
    return _refusal_page(request, _("Too many requests. Try later."))
