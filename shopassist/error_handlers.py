"""The error pages of each area (``handler400/403/404/500`` and ``CSRF_FAILURE_VIEW``): the admin
panel answers inside its shell, the storefront with its own pages, the API with its JSON body.

Django calls the 404 and 500 handlers when DEBUG is off; the 403 and CSRF ones always."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from shopassist.admin_panel import refusals
from shopassist.admin_panel.site import admin_site
from shopassist.api.errors import ApiErrorCode
from shopassist.core import areas
from shopassist.core.views import csrf_failure as bare_csrf_failure
from shopassist.storefront import error_pages


def _area(request) -> str:
    return getattr(request, "area", None) or areas.area_for_path(request.path_info)


def _json(status: int, code: ApiErrorCode, message: str) -> JsonResponse:
    """The API's error body (docs/architecture.md › Headless API › Errors)."""
    return JsonResponse({"code": str(code), "message": message}, status=status)


def _in_admin_shell(request) -> bool:
    """An admin page for a signed-in staff user (the shell shows their menu)."""
    return (
        _area(request) == areas.ADMIN
        and hasattr(request, "user")
        and admin_site.has_permission(request)
    )


def _csrf_message() -> str:
    return _("Your form expired or was sent from another page. Reload and try again.")


def bad_request(request, exception=None):
    """A request no page can read (NUL characters, a malformed or oversized body): 400.

    Our own ``BadRequest`` says why (translated); Django's other refusals (an oversized body,
    too many fields) are told in general terms."""
    reason = str(exception) if type(exception) is BadRequest and exception.args else ""
    if _area(request) == areas.API:
        return _json(400, ApiErrorCode.INVALID_REQUEST, reason or _("The request is not valid."))
    return error_pages.bad_request(request, reason)


def forbidden(request, exception=None):
    if _area(request) == areas.API:
        return _json(403, ApiErrorCode.FORBIDDEN, _("You are not allowed to do this."))
    if _in_admin_shell(request):
        return refusals.refusal_response(request, exception or PermissionDenied())
    return error_pages.forbidden(request)


def not_found(request, exception=None):
    if _area(request) == areas.API:
        return _json(404, ApiErrorCode.NOT_FOUND, _("Not found."))
    if _in_admin_shell(request):
        return refusals.not_found_response(request)
    return error_pages.not_found(request)


def server_error(request):
    if _area(request) == areas.API:
        return _json(
            500, ApiErrorCode.SERVER_ERROR, _("An error occurred on the server. Try again later.")
        )
    if _area(request) == areas.ADMIN:
        # Its own page, without the menu: the menu reads the roles, and the database may be
        # why we are here.
        html = render_to_string("admin_panel/500.html", {"home_url": reverse("admin:index")})
        return HttpResponse(html, status=500)
    return error_pages.server_error(request)


def csrf_failure(request, reason=""):
    if _area(request) == areas.API:
        return _json(403, ApiErrorCode.FORBIDDEN, _csrf_message())
    if _in_admin_shell(request):
        return refusals.refusal_response(request, PermissionDenied(_csrf_message()))
    if _area(request) == areas.STOREFRONT:
        return error_pages.forbidden(request, _csrf_message())
    return bare_csrf_failure(request, reason)  # the admin login page: no shell to show
