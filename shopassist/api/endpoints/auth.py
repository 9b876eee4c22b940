"""Admin and customer tokens: issue (rate-limited, with lockout) and revoke."""

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.throttling import AnonRateThrottle

from login_as_customer.flows import notice
from login_as_customer.flows.end import end_session
from login_as_customer.models import EndReason
from shopassist.api import services
from shopassist.api.auth import AnyToken, InactiveToken, IntrospectedToken
from shopassist.api.endpoints import AUTH_ERRORS
from shopassist.api.errors import ApiError, ApiErrorCode
from shopassist.api.recording import recorded_write
from shopassist.api.schemas import (
    Act,
    AdminCredentials,
    CustomerCredentials,
    CustomerTokenOut,
    Error,
    IntrospectionOut,
    TokenOut,
)
from shopassist.core.client_address import client_network
from shopassist.core.resilient_cache import CacheUnavailable
from shopassist.stores.selectors import store_view_by_code

router = Router(tags=["auth"])

CREDENTIAL_ERRORS = {400: Error, 401: Error, 429: Error}


class TokenRequestThrottle(AnonRateThrottle):
    """Password attempts per client address, on top of the per-account lockout.

    The address is the one of ``core.client_address`` (ninja's own reading trusts any
    ``X-Forwarded-For``, so a forged header would start a fresh count)."""

    scope = "api_token_request"

    def get_ident(self, request):
        return client_network(request)

    def allow_request(self, request):
        try:
            return super().allow_request(request)
        except CacheUnavailable:
            # Uncounted while the cache is down, like the storefront's sign-in
            # (core/throttles.py): the per-account lockout, in the database, still counts.
            return True


def _token_out(token, raw) -> dict:
    return {
        "access_token": raw,
        "token_type": "Bearer",
        "expires_in": max(0, int((token.expires_at - timezone.now()).total_seconds())),
    }


@router.post(
    "/auth/admin-token",
    response={200: TokenOut, **CREDENTIAL_ERRORS},
    throttle=[TokenRequestThrottle("20/m")],
)
def admin_token(request, body: AdminCredentials):
    """An administrator token (4 hours) for active staff."""
    token, raw = services.issue_admin_token(
        request=request, username=body.username, password=body.password
    )
    return _token_out(token, raw)


@router.post(
    "/auth/customer-token",
    response={200: CustomerTokenOut, **CREDENTIAL_ERRORS},
    throttle=[TokenRequestThrottle("20/m")],
)
def customer_token(request, body: CustomerCredentials):
    """A customer token (1 hour) on the website of the given store view, with the notice of
    the assisted sessions on the account since the customer was last told (once)."""
    store_view = store_view_by_code(body.store_view)
    if store_view is None:
        raise ApiError(400, ApiErrorCode.UNKNOWN_STORE_VIEW, _("Unknown store view."))
    token, raw = services.issue_customer_token(
        request=request, store_view=store_view, email=body.email, password=body.password
    )
    return {**_token_out(token, raw), "assisted_sessions_notice": _notice(token.customer)}


def _notice(customer) -> dict | None:
    told = notice.take_untold(customer)
    if told is None:
        return None
    return {
        "sessions": [
            {
                "administrator": session["admin"] or None,
                "started_at": session["started_at"],
                "duration_seconds": session["seconds"],
            }
            for session in told["sessions"]
        ],
        "more": told["more"],
    }


@router.post("/auth/logout", response={204: None, **AUTH_ERRORS}, auth=AnyToken())
def logout(request):
    """Revoke the token this request is made with. An assisted token's session ends too; an
    administrator token revokes the assisted tokens it minted and ends their sessions."""
    # Recorded as the storefront's Close session: the write that ends its own session.
    with recorded_write(request, operation="auth.logout"), transaction.atomic():
        services.revoke_token(request.auth.token)
        session = request.auth.assisted_session
        if session is not None:
            end_session(session, EndReason.CLOSED_BY_ADMIN)
    return HttpResponse(status=204)


@router.get(
    "/token/introspect",
    response={200: IntrospectionOut, **AUTH_ERRORS},
    auth=IntrospectedToken(),
    exclude_unset=True,
    # The bearer is the token asked about, not a credential for the call: any value gets an
    # answer (a dead one "active": false), so the schema adds the anonymous alternative.
    openapi_extra={"security": [{}]},
)
def introspect(request):
    """What the bearer token stands for; an assisted token names its administrator in ``act``.

    A token that is unknown, expired, revoked or whose session ended answers
    ``{"active": false}`` and nothing else (RFC 7662)."""
    caller = request.auth
    if isinstance(caller, InactiveToken):
        return {"active": False}
    token = caller.token
    out = {
        "active": True,
        "scope": token.kind,
        "exp": int(token.expires_at.timestamp()),
        "sub": str(token.user_id if token.kind == "admin" else token.customer_id),
        "act": None,
    }
    session = caller.assisted_session
    if session is not None:
        out["act"] = Act(sub=str(session.admin_id), username=session.admin_username)
    return out
