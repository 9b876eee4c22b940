"""Storefront side: redeem the one-time token, close the assisted session."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from login_as_customer import binding_cookie
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied, message_for
from login_as_customer.flows import live_check, notice
from login_as_customer.flows.end import end_session, replace_in_browser
from login_as_customer.flows.redeem import malformed_token_refusal, redeem_login_token
from login_as_customer.flows.start import StartRequest, record_denial
from login_as_customer.host import host
from login_as_customer.models import EndReason

# The storefront session outlives the assisted session's absolute limit a little, so the first
# request after the limit still reaches the middleware, which records the end and destroys it.
SESSION_EXPIRY_GRACE = 3600  # seconds


def replaced_message(name: str, other: str) -> str:
    """Why an assisted session ended in this browser when another one started in it (the
    banner's script shows it in the tabs that were still showing the old one)."""
    text = _("The assisted session as %(name)s was closed because you started one as %(other)s.")
    return text % {"name": name, "other": other}


def _origin(request) -> StartRequest:
    return StartRequest(
        ip_address=host().client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )


def _refused(request, code: DenialCode, status: int):
    response = render(
        request,
        "login_as_customer/refused.html",
        {"message": message_for(code), "storefront_template": host().storefront_template},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _sent_from_another_site(request) -> bool:
    """An ``Origin`` other than this site's own, "null" included (a sandboxed frame, a data:
    URL, a page whose referrer policy is no-referrer). Without the header (older browsers)
    the binding cookie, SameSite=Strict, still keeps other sites out."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    scheme = "https" if request.is_secure() else "http"
    return origin.lower() != f"{scheme}://{request.get_host()}".lower()


# Not Django's CSRF check: the form comes from the admin area, which cannot hold a storefront
# CSRF token. What proves intent instead: the one-time token, minted by a CSRF-protected admin
# POST for this admin, customer and store view, and the binding cookie that start response
# gave this browser (SameSite=Strict, so never sent with another site's POST); plus the Origin
# check above (docs/security.md, "Redemption without a storefront CSRF token").
@csrf_exempt
@never_cache
@require_POST
def redeem(request):
    if _sent_from_another_site(request):
        denial = record_denial(
            DenialCode.TOKEN_CROSS_SITE,
            staff=None,
            customer_id=None,
            origin=_origin(request),
            stage="redeem",
        )
        return _refused(request, denial.code, 400)
    values = request.POST.getlist("token")
    malformed = malformed_token_refusal(values=values, origin=_origin(request))
    if malformed is not None:
        return _refused(request, malformed.code, 400)
    replaced = request.assisted_session
    try:
        session = redeem_login_token(
            raw_token=values[0],
            store_view=host().current_store_view(request),
            origin=_origin(request),
            browser_bindings=binding_cookie.bindings_of(request),
            open_in_browser=lambda opened: _open_storefront_session(request, opened, replaced),
        )
    except LoginAsCustomerDenied as denial:
        status = 400 if denial.code == DenialCode.TOKEN_INVALID else 403
        return _refused(request, denial.code, status)

    name = host().customer_name(session.customer)
    messages.success(request, _("You are logged in as customer: %(name)s") % {"name": name})
    if replaced is not None:
        messages.info(request, replaced_message(replaced.customer_name, name))
    response = HttpResponseRedirect(host().landing_url(host().current_store_view(request)))
    # Saved with the redemption: the session middleware only gives the browser its cookie
    # (and saves again if the messages above had to go into the session).
    request.session.modified = False
    host().set_session_cookie(request, response)
    binding_cookie.delete_binding_cookie(response, session=session)
    return response


def _open_storefront_session(request, session, replaced) -> None:
    """In the redemption's transaction: a new storefront session as the customer, saved there
    so that the redemption, its log entry and the session are one commit. Whatever this
    browser had on the storefront is discarded, never merged."""
    host().discard_guest_cart(request)
    if replaced is not None:  # its record must not stay live, and the browser is told why
        replace_in_browser(replaced=replaced, by=session)
    request.session.flush()
    host().open_customer_session(request, session.customer)
    request.session[live_check.SESSION_ID_KEY] = session.pk
    request.session.set_expiry(live_check.seconds_left(session) + SESSION_EXPIRY_GRACE)
    request.session.save()


@never_cache
@require_POST
def close(request):
    session = request.assisted_session
    if session is None:
        return HttpResponseRedirect(host().home_url(host().current_store_view(request)))
    end_session(session, EndReason.CLOSED_BY_ADMIN)
    host().end_customer_session(request)
    response = render(
        request,
        "login_as_customer/closed.html",
        {"session": session, "storefront_template": host().storefront_template},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_POST
def dismiss_notice(request):
    """The customer has read the notice of assisted sessions: it leaves their pages (POST with
    CSRF; back to ``next`` on this site)."""
    notice.dismiss(request)
    return HttpResponseRedirect(
        back_to(request, fallback=host().home_url(host().current_store_view(request)))
    )


def back_to(request, *, fallback: str) -> str:
    """The form's ``next`` when it is an address on this site, else ``fallback`` (no open
    redirect)."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback
