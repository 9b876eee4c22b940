"""Login as Customer for headless clients: an RFC 8693-style token exchange, and the support
manager's dashboard figures."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from login_as_customer.admin_ui.dashboard.figures import dashboard_figures
from login_as_customer.admin_ui.dashboard.forms import DashboardFilterForm
from login_as_customer.config import feature_enabled
from login_as_customer.flows.redeem import start_api_session
from login_as_customer.flows.start import StartRequest, start_assisted_session
from login_as_customer.overdue import end_overdue_sessions
from login_as_customer.permissions import VIEW_LOG, staff_may
from shopassist.api import services
from shopassist.api.auth import AdminToken
from shopassist.api.endpoints import AUTH_ERRORS
from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.models import TokenKind
from shopassist.api.schemas import DashboardOut, Error, ExchangedTokenOut, LoginAsCustomerIn
from shopassist.core.actor import client_ip
from shopassist.customers.models import Customer
from shopassist.stores.models import StoreView

router = Router(tags=["login as customer"])


def _customer_id(body: LoginAsCustomerIn):
    if body.customer_id is not None:
        return body.customer_id
    if not body.email:
        raise ApiError(400, ApiErrorCode.INVALID_REQUEST, _("Give a customer_id or an email."))
    ids = list(
        Customer.objects.filter(email=body.email.strip().lower()).values_list("pk", flat=True)[:2]
    )
    if len(ids) > 1:
        raise ApiError(
            400,
            ApiErrorCode.INVALID_REQUEST,
            _("Several websites have a customer with this e-mail: give the customer_id."),
        )
    return ids[0] if ids else None  # no customer: the service refuses (and logs it)


def _store_view_id(body: LoginAsCustomerIn):
    if not body.store_view:
        return None
    view_id = StoreView.objects.filter(code=body.store_view).values_list("pk", flat=True).first()
    if view_id is None:
        raise ApiError(400, ApiErrorCode.UNKNOWN_STORE_VIEW, _("Unknown store view."))
    return view_id


@router.post(
    "/login-as-customer/token",
    response={200: ExchangedTokenOut, 400: Error, 404: Error, 429: Error, **AUTH_ERRORS},
    auth=AdminToken(),
)
def exchange_token(request, body: LoginAsCustomerIn):
    """Start an assisted session and get a customer token that carries the administrator.

    The same checks as the admin panel (feature, permission, consent, staff targets, website
    rules, reason, rate limit), the same session record and log entries (channel "api")."""
    staff = request.auth.token.user
    origin = StartRequest(
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        channel="api",
    )
    session, raw_login_token = start_assisted_session(
        staff=staff,
        customer_id=_customer_id(body),
        store_view_id=_store_view_id(body),
        reason=body.reason,
        mode=body.mode,
        assistance_code=body.assistance_code,
        origin=origin,
    )
    issued = []

    def issue_assisted_token(started):
        # In the redemption's transaction: the session starts with its token, or not at all.
        issued.append(
            services.issue_token(
                kind=TokenKind.ASSISTED,
                user=staff,
                customer=started.customer,
                store_view=started.store_view,
                session=started,
                expires_at=started.expires_at,
                minted_by=request.auth.token,
            )
        )

    start_api_session(
        session=session, raw_token=raw_login_token, origin=origin, open_in_api=issue_assisted_token
    )
    ((token, raw),) = issued
    return {
        "access_token": raw,
        "expires_in": max(0, int((token.expires_at - timezone.now()).total_seconds())),
    }


@router.get(
    "/login-as-customer/dashboard",
    response={200: DashboardOut, 400: Error, 404: Error, **AUTH_ERRORS},
    auth=AdminToken(),
)
def dashboard(request, date_from: str = "", date_to: str = "", website: str = ""):
    """Customers › Login as Customer › Dashboard's figures, for an administrator with *View
    Login as Customer Log*: the sessions requested from ``date_from`` to ``date_to``
    (YYYY-MM-DD, default the last 30 days, at most 366) on ``website`` (default all)."""
    if not staff_may(request.auth.token.user, VIEW_LOG):
        raise ApiError(
            403, ApiErrorCode.FORBIDDEN, _("You may not view the Login as Customer Log.")
        )
    if not feature_enabled():
        raise ApiError(404, ApiErrorCode.NOT_FOUND, _("Login as Customer is disabled."))
    query = QueryDict(mutable=True)
    query.update({"date_from": date_from, "date_to": date_to, "website": website})
    form = DashboardFilterForm(query, today=timezone.localdate())
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        raise ApiError(400, ApiErrorCode.INVALID_REQUEST, message)
    end_overdue_sessions()  # sessions past their limits count as ended
    data = form.cleaned_data
    figures = dashboard_figures(
        first_day=data["date_from"], last_day=data["date_to"], website=data["website"]
    )
    return {
        "first_day": figures.first_day,
        "last_day": figures.last_day,
        "website": data["website"],
        **{
            name: getattr(figures, name)
            for name in (
                "sessions",
                "started",
                "ended",
                "with_reason",
                "view_only",
                "median_seconds",
                "actions_mean",
                "actions_median",
            )
        },
        "per_day": [{"day": day, "sessions": n} for day, n in figures.per_day],
        "by_admin": [{"name": name, "sessions": n} for name, n in figures.by_admin],
        "by_end_reason": [{"name": name, "sessions": n} for name, n in figures.by_end_reason],
        "actions": [{"actions": a, "sessions": n} for a, n in sorted(figures.actions.items())],
    }
