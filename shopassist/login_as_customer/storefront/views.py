"""Storefront side: redeem the one-time token, close the assisted session."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shopassist.cart.selectors import guest_cart
from shopassist.cart.services import abandon_guest_cart
from shopassist.core.actor import Actor, client_ip
from shopassist.customers.auth import end_storefront_session, start_customer_session
from shopassist.login_as_customer import services, session_state
from shopassist.login_as_customer.errors import DenialCode, message_for
from shopassist.login_as_customer.models import EndReason
from shopassist.stores.urls import store_reverse

# The storefront session outlives the assisted session's absolute limit a little, so the first
# request after the limit still reaches the middleware, which records the end and destroys it.
SESSION_EXPIRY_GRACE = 3600  # seconds


def _origin(request) -> services.StartRequest:
    return services.StartRequest(
        ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )


def _refused(request, code: DenialCode, status: int):
    response = render(
        request, "login_as_customer/refused.html", {"message": message_for(code)}, status=status
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _cross_origin(request) -> bool:
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    scheme = "https" if request.is_secure() else "http"
    return origin != f"{scheme}://{request.get_host()}"


# The one-time token is the CSRF defence of this endpoint: it is minted for this admin, this
# customer and this store view by a CSRF-protected admin POST, and can be used once
# (docs/security.md, "Redemption without a storefront CSRF token").
@csrf_exempt
@never_cache
@require_POST
def redeem(request):
    values = request.POST.getlist("token")
    if len(values) != 1 or _cross_origin(request):
        return _refused(request, DenialCode.TOKEN_INVALID, 400)
    try:
        session = services.redeem_login_token(
            raw_token=values[0], store_view=request.store_view, origin=_origin(request)
        )
    except services.LoginAsCustomerDenied as denial:
        status = 400 if denial.code == DenialCode.TOKEN_INVALID else 403
        return _refused(request, denial.code, status)

    # Whatever this browser had on the storefront is discarded, never merged.
    cart = guest_cart(request.session, request.store_view)
    if cart is not None:
        abandon_guest_cart(cart=cart, actor=Actor.system())
    if request.assisted_session is not None:  # replaced: its record must not stay live
        services.end_assisted_session(
            session=request.assisted_session, reason=EndReason.CLOSED_BY_ADMIN
        )
    request.session.flush()
    customer = session.customer
    start_customer_session(request, customer)
    request.session[session_state.SESSION_ID_KEY] = session.pk
    session_state.touch(request)
    request.session.set_expiry(session_state.seconds_left(session) + SESSION_EXPIRY_GRACE)
    messages.success(
        request, _("You are logged in as customer: %(name)s") % {"name": customer.full_name}
    )
    return HttpResponseRedirect(store_reverse("customers:account", store_view=request.store_view))


@never_cache
@require_POST
def close(request):
    session = request.assisted_session
    if session is None:
        return HttpResponseRedirect(store_reverse("storefront:home", store_view=request.store_view))
    services.end_assisted_session(session=session, reason=EndReason.CLOSED_BY_ADMIN)
    end_storefront_session(request)
    response = render(request, "login_as_customer/closed.html", {"session": session})
    response["Cache-Control"] = "private, no-store"
    return response
