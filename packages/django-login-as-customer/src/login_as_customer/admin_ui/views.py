"""Admin side: the confirmation page (the dialog without JavaScript) and the start POST."""

from contextlib import suppress

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from login_as_customer import binding_cookie, selectors, step_up, tokens
from login_as_customer import config as lac_config
from login_as_customer.admin_ui.dialog import dialog_context
from login_as_customer.bidi import without_direction_controls
from login_as_customer.errors import DenialCode, LoginAsCustomerDenied, message_for
from login_as_customer.flows.start import (
    StartRequest,
    record_denial,
    start_assisted_session,
)
from login_as_customer.host import host
from login_as_customer.permissions import ALLOW, VIEW_ONLY, require_any

DENIAL_STATUS = {
    DenialCode.RATE_LIMITED: 429,
    DenialCode.CUSTOMER_MISSING: 404,
    DenialCode.REAUTH_LOCKED: 429,
    DenialCode.MODE_INVALID: 400,
    DenialCode.CODE_REQUIRED: 400,
    DenialCode.REASON_DIRECTION_CONTROLS: 400,
}


def _customer_or_404(customer_id):
    customer = host().customer(customer_id)
    if customer is None:
        raise Http404
    return customer


def _refused(request, denial: LoginAsCustomerDenied):
    """The refusal page: why nothing started."""
    context = {
        **host().admin_context(request),
        "title": _("Login as Customer"),
        "message": denial.message,
    }
    return render(
        request,
        "login_as_customer/admin/refused.html",
        context,
        status=DENIAL_STATUS.get(denial.code, 403),
    )


@never_cache
@require_any(ALLOW, VIEW_ONLY)
@require_GET
def confirm(request, customer_id):
    # Refused while the feature is off, as the start it leads to is: the buttons are gone,
    # but a bookmark or a tab left open still reaches this page. A page view starts nothing:
    # nothing is recorded.
    if not lac_config.feature_enabled():
        return _refused(request, LoginAsCustomerDenied(DenialCode.FEATURE_DISABLED))
    customer = _customer_or_404(customer_id)
    # A staff account is never a target (the start refuses it): its name and e-mail address
    # are not shown to whoever may start sessions either.
    if selectors.customer_is_staff(customer):
        return _refused(request, LoginAsCustomerDenied(DenialCode.TARGET_IS_STAFF))
    return render(
        request, "login_as_customer/admin/confirm_page.html", _confirm_context(request, customer)
    )


def _confirm_context(request, customer) -> dict:
    """The confirmation page's context: the dialog's, in the admin's layout, titled."""
    return {
        **host().admin_context(request),
        **dialog_context(request, customer),
        "title": _("Login as Customer"),
    }


def _confirm_again(request, customer, *, status, **shown):
    """The confirmation again, in the tab the start opened, with what the administrator had
    chosen and typed (``shown`` adds what to ask or correct): nothing was started."""
    context = _confirm_context(request, customer)
    with suppress(TypeError, ValueError):
        context["preselected_id"] = int(request.POST.get("store_view"))
    if request.POST.get("mode") in context["modes"]:
        context["chosen_mode"] = request.POST["mode"]
    context.update(reason_value=request.POST.get("reason", ""), in_new_tab=True)
    context.update(shown)
    response = render(request, "login_as_customer/admin/confirm_page.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _ask_for_password(request, customer, *, error=None, status=403):
    """The confirmation again, with the password field."""
    return _confirm_again(
        request, customer, status=status, reauth_required=True, reauth_error=error
    )


def _correct_reason(request, customer_id, denial: LoginAsCustomerDenied):
    """A reason refused for its direction controls: the form again, its error beside the
    reason, which is offered without them (they are invisible: nobody could find them to
    delete) for the administrator to check and confirm."""
    customer = host().customer(customer_id)
    if customer is None:  # deleted meanwhile
        return _refused(request, denial)
    return _confirm_again(
        request,
        customer,
        status=DENIAL_STATUS[denial.code],
        # Not the refusal's "Remove it and try again": the form has removed them already.
        reason_error=message_for(denial.code),
        reason_value=without_direction_controls(request.POST.get("reason", "")),
    )


def _log_refused_start(request, customer_id):
    """A start POST without Allow Login as Customer is refused before the service runs: it
    is logged all the same ("start_denied", permission missing)."""
    if request.method == "POST" and request.user.is_authenticated:
        record_denial(
            DenialCode.PERMISSION_MISSING,
            staff=request.user,
            customer_id=customer_id,
            origin=StartRequest(
                ip_address=host().client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ),
        )


@never_cache
@require_any(ALLOW, VIEW_ONLY, on_refused=_log_refused_start)
@require_POST
def start(request, customer_id):
    """Re-check everything, record the session, and hand the token to the storefront by an
    auto-submitting POST form (the token never appears in a URL), binding it to this browser.

    When the administrator's password was entered too long ago, nothing starts until they
    enter it again (``step_up``)."""
    origin = StartRequest(
        ip_address=host().client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        admin_session_key=request.session.session_key,
    )
    # A recent password (the usual case) needs no customer read here: the service reads it.
    # No such customer: nothing to protect, the service refuses (and records it) below.
    customer = None
    if not step_up.password_is_recent(request.session):
        customer = host().customer(customer_id)
    if customer is not None:
        password = request.POST.get("password", "")
        if not password:
            return _ask_for_password(request, customer)
        try:
            step_up.confirm_password(
                request, password=password, customer_id=customer.pk, origin=origin
            )
        except LoginAsCustomerDenied as denial:
            return _ask_for_password(
                request,
                customer,
                error=denial.message,
                status=DENIAL_STATUS.get(denial.code, 403),
            )
    binding = tokens.new_binding()
    try:
        session, token = start_assisted_session(
            staff=request.user,
            customer_id=customer_id,
            store_view_id=request.POST.get("store_view"),
            reason=request.POST.get("reason", ""),
            mode=request.POST.get("mode") or None,
            assistance_code=request.POST.get("assistance_code", ""),
            origin=origin,
            browser_binding=binding,
        )
    except LoginAsCustomerDenied as denial:
        if denial.code == DenialCode.REASON_DIRECTION_CONTROLS:
            return _correct_reason(request, customer_id, denial)
        return _refused(request, denial)
    response = render(
        request,
        "login_as_customer/admin/redirect_to_storefront.html",
        {
            "action": host().storefront_url("login_as_customer:redeem", session.store_view),
            "token": token,
            "session": session,
        },
    )
    response["Cache-Control"] = "private, no-store"
    # Same-origin, not no-referrer: with no-referrer the browser sends "Origin: null" with
    # the form, which the redemption refuses. Nothing crosses to another site either way.
    response["Referrer-Policy"] = "same-origin"
    binding_cookie.set_binding_cookie(
        response,
        session=session,
        binding=binding,
        max_age=lac_config.setting(lac_config.LINK_LIFETIME),
    )
    return response
