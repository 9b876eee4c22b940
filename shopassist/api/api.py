"""The headless API, version 1: one NinjaAPI, bearer tokens only (no session, no cookie)."""

from functools import wraps

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from login_as_customer.errors import LoginAsCustomerDenied
from shopassist.api.errors import ApiError, ApiErrorCode, status_for
from shopassist.api.parser import BoundedJsonParser
from shopassist.api.recording import record_failed_write, record_unrecorded_write
from shopassist.core.errors import DomainError

api = NinjaAPI(
    title="ShopAssist API",
    version="1",
    urls_namespace="api",
    description="Headless storefront API with Login as Customer token exchange (SPEC §9).",
    parser=BoundedJsonParser(),  # JSON bodies nested 32 levels at most
    # Bearer tokens only: no cookie or session authentication, so no CSRF surface (ninja
    # checks CSRF only for cookie-based auth, which this API never declares).
)


def _error(request, status: int, code, message):
    return api.create_response(request, {"code": str(code), "message": str(message)}, status=status)


@api.exception_handler(ApiError)
def api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.message)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, status_for(exc.code), exc.code, exc.message)


@api.exception_handler(LoginAsCustomerDenied)
def login_as_customer_denied(request, exc: LoginAsCustomerDenied):
    return _error(request, status_for(exc.code), exc.code, exc.message)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    return _error(request, 400, ApiErrorCode.INVALID_REQUEST, " ".join(exc.messages))


@api.exception_handler(NinjaValidationError)
def request_validation_error(request, exc: NinjaValidationError):
    fields = sorted(
        {".".join(str(part) for part in error.get("loc", ())[1:]) for error in exc.errors}
    )
    message = _("The request is not valid: %(fields)s.") % {"fields": ", ".join(fields) or "-"}
    return _error(request, 400, ApiErrorCode.INVALID_REQUEST, message)


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    return _error(request, 429, ApiErrorCode.RATE_LIMITED, _("Too many requests. Try later."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    return _error(request, 401, ApiErrorCode.TOKEN_MISSING, _("Send a bearer token."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiError):  # ninja wraps what the body parser refused
        return api_error(request, exc.__cause__)
    return _error(request, exc.status_code, ApiErrorCode.INVALID_REQUEST, exc.message)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _error(request, 404, ApiErrorCode.NOT_FOUND, _("Not found."))


def _api_view(view):
    """A path's view as the API answers it: ninja's bare text 405 (a method no operation of
    the path takes) with the API's error body instead (the ``Allow`` header kept), and every
    state-changing call of an assisted token recorded once, also one refused before its
    endpoint ran (``recording.record_unrecorded_write``)."""

    @wraps(view)  # keeps csrf_exempt
    def api_view(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            # An error of ours, answered 500 by Django's handler: the write rolled back, its
            # entry says it was tried and failed.
            record_failed_write(request)
            raise
        not_allowed = isinstance(response, HttpResponseNotAllowed)
        if not_allowed:
            response = _method_not_allowed(request, response)
        # A method the path does not take: no operation authenticated the call.
        record_unrecorded_write(request, response, authenticate=not_allowed)
        return response

    return api_view


def _method_not_allowed(request, response):
    message = _("This endpoint does not accept %(method)s.") % {"method": request.method}
    answer = _error(request, 405, ApiErrorCode.METHOD_NOT_ALLOWED, message)
    answer["Allow"] = response["Allow"]
    return answer


def urls():
    """The API's URL patterns (``api.urls``), every error answered with the API's body."""
    patterns, app_name, namespace = api.urls
    patterns = [
        URLPattern(p.pattern, _api_view(p.callback), p.default_args, p.name) for p in patterns
    ]
    return patterns, app_name, namespace


def _register_routers():
    from shopassist.api.endpoints import auth, cart, customers, login_as_customer, orders

    api.add_router("/", auth.router)
    api.add_router("/", login_as_customer.router)
    api.add_router("/customers", customers.router)
    api.add_router("/cart", cart.router)
    api.add_router("/orders", orders.router)


_register_routers()
